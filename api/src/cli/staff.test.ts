/**
 * `imlu staff add|list|remove` and `imlu staff sessions list|revoke` against a real libSQL file: the secret
 * printed once works with the server's sign-in, the list never shows a full e-mail, and removing a staff
 * member or revoking a session ends it at once.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Secret, TOTP } from 'otpauth';
import { listAudit } from '../audit/audit.ts';
import { createDb, type Db } from '../db/client.ts';
import { deriveCsrfKey, newSecret, StaffSessions } from '../staff/sessions.ts';
import { cliEnv, runImlu } from '../../test/cli-harness.ts';

let dir: string;
let env: NodeJS.ProcessEnv;
let db: Db;
const keys = { encryptionKey: randomBytes(32), blindIndexKey: randomBytes(32) };
const imlu = (...args: string[]) => runImlu(env, ...args);

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'imlu-staff-cli-'));
  env = cliEnv(dir, keys);
  expect((await imlu('migrate')).code).toBe(0);
  db = await createDb(env['DATABASE_URL']!);
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

it('adds a staff member, printing the TOTP secret and otpauth URI once; refuses bad input with usage errors', async () => {
  const added = await imlu('staff', 'add', '--name', 'Wanjirũ Kamau', '--email', 'wanjiru@imlu.example', '--role', 'campaigner');
  expect(added.code, added.stderr).toBe(0);
  const secret = /^secret: ([A-Z2-7]{32})$/m.exec(added.stdout)![1]!;
  const uri = /^uri: (otpauth:\/\/\S+)$/m.exec(added.stdout)![1]!;
  expect(new URL(uri).searchParams.get('secret')).toBe(secret);
  expect(new TOTP({ secret: Secret.fromBase32(secret) }).generate()).toMatch(/^\d{6}$/);
  expect(added.stderr).toMatch(/shown only now/);

  expect((await imlu('staff', 'add', '--name', 'X', '--email', 'WANJIRU@imlu.example', '--role', 'viewer')).code).toBe(1);
  expect((await imlu('staff', 'add', '--name', 'X', '--email', 'not-an-address', '--role', 'viewer')).code).toBe(2);
  expect((await imlu('staff', 'add', '--name', 'X', '--email', 'x@imlu.example', '--role', 'root')).code).toBe(2);

  const list = await imlu('staff', 'list');
  expect(list.stdout).toContain('Wanjirũ Kamau');
  expect(list.stdout).toContain('w•••@imlu.example');
  expect(list.stdout).not.toContain('wanjiru@');
  const json = JSON.parse((await imlu('staff', 'list', '--json')).stdout) as { id: string; role: string }[];
  expect(json).toEqual([expect.objectContaining({ role: 'campaigner' })]);
  expect(JSON.stringify(json)).not.toContain('wanjiru@');
  expect((await listAudit(db, { action: 'staff.added' }))[0]).toMatchObject({ subject: json[0]!.id, actor: expect.stringMatching(/^cli:/) });
});

it('lists and revokes sessions; removing a staff member ends theirs', async () => {
  const [member] = JSON.parse((await imlu('staff', 'list', '--json')).stdout) as { id: string }[];
  const sessions = new StaffSessions(db.client, deriveCsrfKey(keys.blindIndexKey), Date.now);
  const open = async () => {
    const secret = newSecret();
    const { id, statement } = sessions.insertStatement(secret, member!.id, Date.now());
    await db.client.execute(statement);
    return { id, secret };
  };
  const a = await open();
  const b = await open();
  expect((await imlu('staff', 'sessions', 'list')).stdout).toContain(a.id);
  const revoked = await imlu('staff', 'sessions', 'revoke', a.id);
  expect(revoked.code).toBe(0);
  expect(await sessions.authenticate(a.secret)).toBeUndefined();
  expect(await sessions.authenticate(b.secret)).toBeDefined();
  expect((await imlu('staff', 'sessions', 'revoke', a.id)).code).toBe(1);

  expect((await imlu('staff', 'remove', member!.id)).code).toBe(0);
  expect(await sessions.authenticate(b.secret)).toBeUndefined();
  expect((await imlu('staff', 'list')).stdout).toBe('no staff\n');
  expect((await imlu('staff', 'remove', member!.id)).code).toBe(1);
  expect((await listAudit(db, { action: 'staff.removed' }))).toHaveLength(1);
});
