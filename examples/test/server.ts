/**
 * Starts the real demo server (API + partner site) as a child process on a temporary database and free
 * ports, the way `pnpm start` does, and stops it again. Used by the end-to-end tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const repoRoot = resolve(import.meta.dirname, '../..');

export interface RunningDemo {
  apiUrl: string;
  partnerUrl: string;
  dataDir: string;
  output: () => string;
  stop: () => Promise<number | null>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function waitForReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`demo server exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`demo server not ready at ${url} within 30 s:\n${output()}`);
}

export async function startDemo(extraEnv: Record<string, string> = {}): Promise<RunningDemo> {
  if (!existsSync(join(repoRoot, 'packages/widget/dist/embed.js'))) {
    throw new Error('packages/widget/dist/embed.js is missing: run `pnpm --filter @imlu/widget build` first');
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'imlu-e2e-'));
  const [port, demoPort] = [await freePort(), await freePort()];
  let log = '';
  // One process, as `pnpm start` runs it: the tsx CLI wrapper would relay SIGTERM to a child process and,
  // on a busy machine, exit 143 itself instead of waiting for the graceful shutdown under test.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: join(repoRoot, 'api'),
    env: { ...process.env, NODE_ENV: 'test', HOST: '127.0.0.1', PORT: String(port), DEMO_PORT: String(demoPort), DATA_DIR: dataDir, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const output = () => log;
  const apiUrl = `http://127.0.0.1:${port}`;
  const partnerUrl = `http://127.0.0.1:${demoPort}`;
  await waitForReady(`${apiUrl}/ready`, child, output);
  await waitForReady(`${partnerUrl}/`, child, output);

  const stop = async () => {
    if (child.exitCode !== null) return child.exitCode;
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 10_000);
    const code = await exited;
    clearTimeout(timer);
    rmSync(dataDir, { recursive: true, force: true });
    return code;
  };
  return { apiUrl, partnerUrl, dataDir, output, stop };
}

/** Chromium from CHROME_PATH or Debian's package; never downloaded. */
export function chromiumPath(): string {
  const path = [process.env.CHROME_PATH, '/usr/bin/chromium'].find((p) => p && existsSync(p));
  if (!path) throw new Error('No Chromium: install it (apt-get install chromium) or set CHROME_PATH');
  return path;
}

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/** Headless Chromium as every end-to-end test runs it: the machine's own browser, never a download. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
}
