/**
 * A command run in this process (`runCli`: the tests, anything embedding the CLI) closes the database before
 * it returns. A connection left open keeps the process's POSIX locks on the file, and any other descriptor of
 * the file closed in this process drops them all: a foreign `imlu` then took the file as unused, checkpointed
 * and deleted the WAL under that connection (SQLITE_CORRUPT in cli.test.ts under load, once, on CI).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliEnv, runImlu } from '../../test/cli-harness.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'imlu-cli-runtime-test-'));
const env = cliEnv(dir, { encryptionKey: randomBytes(32), blindIndexKey: randomBytes(32) });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** This process's descriptors of the database file and of SQLite's files beside it. */
function openDescriptors(file: string): string[] {
  const open: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(file)) open.push(path.basename(target));
    } catch {
      // closed while listing (the listing's own descriptor)
    }
  }
  return open;
}

describe('imlu in this process', () => {
  // Linux lists a process's descriptors in /proc; elsewhere there is nothing to look at.
  it.skipIf(!existsSync('/proc/self/fd'))('leaves no descriptor of the database open once a command returns, so no lock of its is left to drop', async () => {
    const file = path.join(dir, 'imlu.db');
    expect(await runImlu(env, 'migrate')).toMatchObject({ code: 0 });
    expect(await runImlu(env, 'token', 'create', '--name', 'laptop', '--scopes', 'audit:read')).toMatchObject({ code: 0 });
    expect(openDescriptors(file)).toEqual([]);
    const listed = await runImlu(env, 'token', 'list', '--json');
    expect(JSON.parse(listed.stdout)).toMatchObject([{ name: 'laptop' }]);
    expect(openDescriptors(file)).toEqual([]);
    // A command that fails after opening the database closes it too.
    expect(await runImlu(env, 'token', 'revoke', 'no-such-id')).toMatchObject({ code: 1 });
    expect(openDescriptors(file)).toEqual([]);
  }, 60_000);
});
