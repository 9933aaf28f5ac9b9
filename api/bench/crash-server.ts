/**
 * The real server (`src/main.ts`) as a child process for the fault harness: production mode, on a data
 * directory and with keys the harness chose (so it can decrypt what was stored), rate limits off (one
 * load generator is one IP). Unlike `child.ts` it can be killed with any signal, and it says when it
 * exited and how.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { benchServerEnv, ORIGIN } from './child.ts';

export const API_DIR = fileURLToPath(new URL('..', import.meta.url));
export { ORIGIN };

export interface ServerKeys {
  encryptionKey: Buffer;
  blindIndexKey: Buffer;
}

export const newKeys = (): ServerKeys => ({ encryptionKey: randomBytes(32), blindIndexKey: randomBytes(32) });

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** `performance.now()` when the process was seen to exit. */
  at: number;
}

export interface ServerProcess {
  apiUrl: string;
  /** `performance.now()` at spawn, and when `/ready` first answered 200. */
  spawnedAt: number;
  readyAt: number;
  exited: Promise<Exit>;
  /** What the server printed (stdout and stderr), for a failure report. */
  output(): string;
  kill(signal: NodeJS.Signals): void;
}

export async function startServer(dataDir: string, keys: ServerKeys, extraEnv: Record<string, string> = {}): Promise<ServerProcess> {
  const spawnedAt = performance.now();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: API_DIR,
    env: benchServerEnv(dataDir, keys, extraEnv),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<Exit>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, at: performance.now() })));
  const apiUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    const look = () => {
      const match = /IMLU Campaign SDK API\s+(http:\/\/\S+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', look);
      resolve(match[1]!);
    };
    child.stdout!.on('data', look);
    void exited.then((exit) => reject(new Error(`server exited (${exit.code ?? exit.signal}) before it started:\n${output}`)));
  });
  let readyAt = 0;
  for (const deadline = performance.now() + 30_000; performance.now() < deadline; ) {
    const ready = await fetch(`${apiUrl}/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) {
      readyAt = performance.now();
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  if (!readyAt) throw new Error(`server never became ready:\n${output}`);
  return {
    apiUrl,
    spawnedAt,
    readyAt,
    exited,
    output: () => output,
    kill(signal) {
      child.kill(signal);
    },
  };
}
