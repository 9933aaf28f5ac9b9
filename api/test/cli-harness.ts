/**
 * The `imlu` command in a test: the environment of a fresh data folder with its own keys, and runs of the
 * command in this process (output captured) or through the real bin script in a child process.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../src/cli/main.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

const BIN = fileURLToPath(new URL('../bin/imlu.mjs', import.meta.url));

/** What the command reads: the database, DATA_DIR and keys of `dir`, quiet logs. */
export function cliEnv(dir: string, keys: { encryptionKey: Buffer; blindIndexKey: Buffer }): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'],
    NODE_ENV: 'test',
    DATA_DIR: dir,
    DATABASE_URL: `file:${path.join(dir, 'imlu.db')}`,
    ENCRYPTION_KEY: keys.encryptionKey.toString('base64'),
    BLIND_INDEX_KEY: keys.blindIndexKey.toString('base64'),
    LOG_LEVEL: 'silent',
  };
}

/** `imlu …` in this process (a child process costs seconds of start-up on a busy 2-core machine). */
export async function runImlu(env: NodeJS.ProcessEnv, ...args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { env, stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) } });
  return { code, stdout, stderr };
}

/** `imlu …` through the real bin script, for the wiring from `pnpm imlu` to the exit status. */
export function spawnImlu(env: NodeJS.ProcessEnv, cwd: string, ...args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env, cwd }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}
