/**
 * The real server (`src/main.ts`) as a child process for the benchmarks: production mode, a temporary
 * data directory, fresh keys, rate limits off (one load generator is one IP).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const API_DIR = fileURLToPath(new URL('..', import.meta.url));
export const ORIGIN = 'http://partner.bench.localhost';

/**
 * The environment of the real server in a benchmark: production mode, a temporary data directory, these
 * keys, rate limits off (the load generator is one source signing thousands of times a second: with the
 * production limits every signature after the first would be suspect, and most would get 429; the
 * benchmarks measure the signing path, and the limits' own cost is one bounded count per signature).
 */
export function benchServerEnv(
  dataDir: string,
  keys: { encryptionKey: Buffer; blindIndexKey: Buffer },
  extraEnv: Record<string, string> = {},
): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'warn', // one log line per request would measure the terminal, not the API
    ALLOWED_ORIGINS: ORIGIN,
    ENCRYPTION_KEY: keys.encryptionKey.toString('base64'),
    BLIND_INDEX_KEY: keys.blindIndexKey.toString('base64'),
    RATE_LIMIT_IP_PER_MINUTE: '0',
    RATE_LIMIT_IP_PER_5_MINUTES: '0',
    RATE_LIMIT_DOMAIN_PER_MINUTE: '0',
    RATE_LIMIT_DOMAIN_PER_5_MINUTES: '0',
    RATE_LIMIT_HARD_PER_MINUTE: '0',
    ...extraEnv,
  };
}

export async function startChild(
  dataDir: string,
  extraEnv: Record<string, string> = {},
  /** Node flags before the script, e.g. `--cpu-prof` (which NODE_OPTIONS refuses). */
  nodeArgs: string[] = [],
): Promise<{ apiUrl: string; pid: number; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/main.ts'], {
    cwd: API_DIR,
    env: benchServerEnv(dataDir, { encryptionKey: randomBytes(32), blindIndexKey: randomBytes(32) }, { DEMO_PORT: '0', ...extraEnv }),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const apiUrl = await new Promise<string>((resolve, reject) => {
    let output = '';
    // On a database of a million signatures the start-up checks (migrations, the phone-key backfill scan)
    // take seconds, more on a busy machine.
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 120_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /IMLU Campaign SDK API\s+(http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then((code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  return {
    apiUrl,
    pid: child.pid!,
    async stop() {
      child.kill('SIGTERM');
      const code = await exited;
      if (code !== 0) throw new Error(`server exited with code ${code} on SIGTERM`);
    },
  };
}

