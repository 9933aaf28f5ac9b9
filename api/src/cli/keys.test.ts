/**
 * `imlu keys status` and `imlu keys rotate` against a real libSQL file, with the keys given the way an
 * operator gives them: in the environment. The rotation itself is tested in depth in
 * src/signing/key-rotation.test.ts; this file tests what the operator sees and the exit codes.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign } from '../campaigns/create.ts';
import { createDb } from '../db/client.ts';
import { FieldCrypto } from '../signing/crypto.ts';
import { OPEN_CAMPAIGN } from '../../test/helpers.ts';
import { insertSignatures, syntheticRow } from '../../test/synthetic.ts';
import { runCli } from './main.ts';

const BIN = fileURLToPath(new URL('../../bin/imlu.mjs', import.meta.url));
const blindIndexKey = randomBytes(32);
const keyA = randomBytes(32);
const keyB = randomBytes(32);
const idA = new FieldCrypto({ encryptionKey: keyA, blindIndexKey }).keyId;
const idB = new FieldCrypto({ encryptionKey: keyB, blindIndexKey }).keyId;
let dir: string;
/** Values stored under key A in `beforeAll` (names, phones, and the e-mails some synthetic rows have). */
let storedValues = 0;
let baseEnv: Record<string, string | undefined>;

const keysEnv = (current: Buffer, previous?: Buffer) => ({
  ...baseEnv,
  ENCRYPTION_KEY: current.toString('base64'),
  ENCRYPTION_KEY_PREVIOUS: previous?.toString('base64'),
});

async function imlu(env: Record<string, string | undefined>, ...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { env, stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) } });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'imlu-keys-test-'));
  baseEnv = {
    PATH: process.env['PATH'],
    NODE_ENV: 'test',
    DATA_DIR: dir,
    DATABASE_URL: `file:${path.join(dir, 'imlu.db')}`,
    BLIND_INDEX_KEY: blindIndexKey.toString('base64'),
    LOG_LEVEL: 'silent',
  };
  expect((await imlu(keysEnv(keyA), 'migrate')).code).toBe(0);
  const db = await createDb(baseEnv['DATABASE_URL']!);
  const campaignId = await createCampaign(db, OPEN_CAMPAIGN);
  await insertSignatures(db.client, new FieldCrypto({ encryptionKey: keyA, blindIndexKey }), campaignId, Array.from({ length: 5 }, (_, i) => syntheticRow(i, Date.UTC(2026, 0, 1))));
  db.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('imlu keys', () => {
  it('status counts the values per key id and changes nothing', async () => {
    const status = await imlu(keysEnv(keyA), 'keys', 'status', '--json');
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.stdout) as { values: { location: string; keyId: string; values: number }[] };
    expect(parsed).toMatchObject({ keyId: idA, previousKeyId: null, databaseKeyId: idA, switching: false, retiredKeyIds: [], notUnderCurrentKey: 0, previousKeyNeeded: false });
    expect(parsed.values.every((v) => v.keyId === idA)).toBe(true);
    storedValues = parsed.values.reduce((sum, v) => sum + v.values, 0);
    expect(storedValues).toBeGreaterThan(10);
    expect(parsed.values.find((v) => v.location === 'signatures.name_enc')).toEqual({ location: 'signatures.name_enc', keyId: idA, values: 5 });

    // With the new key and the old one as previous, a look does not switch the database.
    const look = await imlu(keysEnv(keyB, keyA), 'keys', 'status');
    expect(look.code).toBe(0);
    expect(look.stdout).toContain(`ENCRYPTION_KEY           key id ${idB} (encrypts new values)`);
    expect(look.stdout).toContain(`ENCRYPTION_KEY_PREVIOUS  key id ${idA} (decrypts only)`);
    expect(look.stdout).toContain(`written under key id ${idA}: the first server or imlu command started with these keys switches it to ${idB}`);
    expect(look.stdout).toContain('ENCRYPTION_KEY_PREVIOUS is still needed');
    expect((await imlu(keysEnv(keyA), 'keys', 'status')).code).toBe(0);
  });

  it('refuses a new key without the old one, and a wrong previous key, with a clear message (exit 1)', async () => {
    const alone = await imlu(keysEnv(keyB), 'keys', 'rotate');
    expect(alone.code).toBe(1);
    expect(alone.stderr).toContain(`give the key with id ${idA} as ENCRYPTION_KEY_PREVIOUS`);
    const wrong = randomBytes(32);
    const wrongId = new FieldCrypto({ encryptionKey: wrong, blindIndexKey }).keyId;
    const mistaken = await imlu(keysEnv(keyB, wrong), 'keys', 'rotate');
    expect(mistaken.code).toBe(1);
    expect(mistaken.stderr).toContain(`the database's encryption key has key id ${idA}; ENCRYPTION_KEY has key id ${idB} and ENCRYPTION_KEY_PREVIOUS has key id ${wrongId}`);
    expect(mistaken.stderr).not.toContain(wrong.toString('base64'));
    const same = await imlu(keysEnv(keyA, keyA), 'keys', 'status');
    expect([same.code, same.stderr]).toEqual([1, expect.stringContaining('ENCRYPTION_KEY_PREVIOUS is the same key as ENCRYPTION_KEY')]);
    expect((await imlu(keysEnv(keyB, keyA), 'keys', 'rotate', '--batch-size', '0')).code).toBe(2);
    const malformed = await imlu({ ...keysEnv(keyB), ENCRYPTION_KEY_PREVIOUS: 'c2VjcmV0LWJ1dC10b28tc2hvcnQ=' }, 'keys', 'status');
    expect([malformed.code, malformed.stderr]).toEqual([2, expect.stringContaining('ENCRYPTION_KEY_PREVIOUS must be 32 random bytes in base64')]);
    expect(malformed.stderr).not.toContain('c2VjcmV0');
    // Nothing of it switched the database.
    expect(JSON.parse((await imlu(keysEnv(keyA), 'keys', 'status', '--json')).stdout)).toMatchObject({ databaseKeyId: idA, switching: false });
  });

  it('rotates to the new key, says the old one is no longer needed, and audits the run', async () => {
    const rotated = await imlu(keysEnv(keyB, keyA), 'keys', 'rotate', '--batch-size', '2');
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toContain(`re-encrypted ${storedValues} value(s) under key id ${idB} in 3 batch(es) (signatures.name_enc 5, signatures.email_enc ${storedValues - 10}, signatures.phone_enc 5)`);
    expect(rotated.stdout).toContain('rebuilt the database file (VACUUM)');
    expect(rotated.stdout).toContain('ENCRYPTION_KEY_PREVIOUS is no longer needed');
    // Again: nothing left to do.
    const again = await imlu(keysEnv(keyB, keyA), 'keys', 'rotate', '--no-vacuum');
    expect(again.stdout).toContain('re-encrypted 0 value(s)');
    expect(again.stderr).toContain('without VACUUM the database file may still hold stale copies');

    const status = await imlu(keysEnv(keyB), 'keys', 'status');
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('every value is readable with ENCRYPTION_KEY alone');
    expect(status.stdout).not.toContain(idA);
    const oldAlone = await imlu(keysEnv(keyA), 'keys', 'status');
    expect(oldAlone.code).toBe(1);

    const audit = JSON.parse((await imlu(keysEnv(keyB), 'audit', '--action', 'keys.rotated', '--json')).stdout) as { rowCount: number; details: Record<string, unknown> }[];
    expect(audit.map((e) => [e.rowCount, e.details['finished'], e.details['previousKeyId']])).toEqual([
      [0, true, idA],
      [storedValues, true, idA],
    ]);
  });

  it('exits 1 from the real bin script when ENCRYPTION_KEY is not the database\'s key', async () => {
    const run = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(process.execPath, [BIN, 'keys', 'status'], { env: keysEnv(randomBytes(32)) as NodeJS.ProcessEnv, cwd: dir }, (error, _stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stderr });
      });
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`the database's encryption key has key id ${idB}`);
  }, 60_000);
});
