/**
 * Yardsticks measured in the same run as the project, so the report can give ratios that do not depend on
 * how fast or how busy the machine was: the reference signing server (`../shared/reference-bench`: a
 * minimal Hono + libSQL group-commit server with the same durability, `synchronous=FULL`) and a bare Hono
 * hello-world answering a counts-shaped GET (`hello.mjs` there).
 *
 * As its README asks, the folder is copied to a temporary directory (never into the project) and
 * `npm install`ed there; the install is kept, keyed by the folder's files, for the next run. Without the
 * folder or without a registry to install from, `prepareBaselines` says why and the report skips them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../src/config/env.ts';

/** The shared folder beside the repository (`BENCH_REFERENCE_DIR` to point elsewhere). */
const SOURCE = process.env.BENCH_REFERENCE_DIR ?? path.resolve(REPO_ROOT, '..', 'shared', 'reference-bench');

export interface Baselines {
  dir: string;
  /** Versions of what the reference installed, for the report. */
  versions: string;
}

export interface RunningServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** The installed copy, or why there is none. */
export function prepareBaselines(log: (line: string) => void): Baselines | { skipped: string } {
  if (!existsSync(path.join(SOURCE, 'server.mjs'))) return { skipped: `the reference server is not on this machine (${SOURCE})` };
  const files = readdirSync(SOURCE)
    .filter((name) => statSync(path.join(SOURCE, name)).isFile())
    .sort();
  const hash = createHash('sha256');
  for (const name of files) hash.update(name).update('\0').update(readFileSync(path.join(SOURCE, name))).update('\0');
  const dir = path.join(tmpdir(), `imlu-bench-reference-${hash.digest('hex').slice(0, 16)}`);
  const marker = path.join(dir, '.installed');
  if (!existsSync(marker)) {
    log(`installing the reference server into ${dir} (npm install) …`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const name of files) cpSync(path.join(SOURCE, name), path.join(dir, name));
    const npm = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
    if (npm.status !== 0) {
      const reason = npm.error ? npm.error.message : (npm.stderr || npm.stdout).trim().split('\n').slice(-1)[0];
      return { skipped: `the reference server could not be installed (npm install: ${reason ?? `exit ${npm.status}`}; no network?)` };
    }
    writeFileSync(marker, new Date().toISOString());
  }
  const version = (name: string) => {
    try {
      return `${name} ${(JSON.parse(readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version}`;
    } catch {
      return `${name} ?`;
    }
  };
  return { dir, versions: ['hono', '@hono/node-server', '@libsql/client'].map(version).join(', ') };
}

/** The reference signing server: `MODE=group SYNC=FULL UNIQUE_EMAILS=1`, as its README runs it. Its database starts empty. */
export function startReference(baselines: Baselines): Promise<RunningServer> {
  mkdirSync(path.join(baselines.dir, 'db'), { recursive: true });
  return startScript(baselines.dir, 'server.mjs', { MODE: 'group', SYNC: 'FULL', UNIQUE_EMAILS: '1' }, () => rmSync(path.join(baselines.dir, 'db'), { recursive: true, force: true }));
}

/** Bare Hono answering `GET /v1/campaigns/:slug/counts` with a counts-shaped body. */
export function startHello(baselines: Baselines): Promise<RunningServer> {
  return startScript(baselines.dir, 'hello.mjs', {});
}

async function startScript(dir: string, script: string, env: Record<string, string>, cleanup?: () => void): Promise<RunningServer> {
  // The scripts take a PORT but do not say which one they got: pick a free one for them.
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [script], {
    cwd: dir,
    env: { PATH: process.env.PATH, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${script} did not start:\n${output}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then(() => reject(new Error(`${script} exited:\n${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      cleanup?.();
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
