/**
 * `imlu keys signing …` and `imlu export verify` against a real libSQL file, through the same `runCli`
 * as cli.test.ts; the offline verify runs the real bin script in a child process whose environment names
 * no database at all, as on an official's laptop.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../db/client.ts';
import { FieldCrypto } from '../signing/crypto.ts';
import { insertSignatures } from '../../test/synthetic.ts';
import { cliEnv, runImlu, spawnImlu } from '../../test/cli-harness.ts';

const keys = { encryptionKey: randomBytes(32), blindIndexKey: randomBytes(32) };
let dir: string;
let env: NodeJS.ProcessEnv;

const imlu = (...args: string[]) => runImlu(env, ...args);
const imluWith = (runEnv: NodeJS.ProcessEnv, ...args: string[]) => runImlu(runEnv, ...args);

const CAMPAIGN = `slug: pack-campaign
status: open
verification: either
consentVersion: v1
title: { en: Justice now, sw: Haki sasa }
summary: { en: Summary, sw: Muhtasari }
body: { en: We demand justice., sw: Tunadai haki. }
demands:
  - { en: Prosecute, sw: Shtaki }
`;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'imlu-pack-cli-'));
  env = cliEnv(dir, keys);
  expect((await imlu('migrate')).code).toBe(0);
  writeFileSync(path.join(dir, 'campaign.yaml'), CAMPAIGN);
  expect((await imlu('campaign', 'apply', path.join(dir, 'campaign.yaml'))).code).toBe(0);
  const db = await createDb(env['DATABASE_URL']!);
  const campaignId = String((await db.client.execute("SELECT id FROM campaigns WHERE slug = 'pack-campaign'")).rows[0]![0]);
  await insertSignatures(db.client, new FieldCrypto(keys), campaignId, [
    { name: 'Wanjirũ Kamau', county: 'KE-30', status: 'counted', shareWithTargets: true, flag: null, createdAt: Date.UTC(2026, 10, 2) },
    { name: 'Otieno', county: 'KE-42', status: 'counted', shareWithTargets: true, flag: null, createdAt: Date.UTC(2026, 10, 3) },
  ]);
  db.close();
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('imlu keys signing and imlu export verify', () => {
  it('exports unsigned with a clear warning while no key exists; verify says NOT SIGNED and fails unless --allow-unsigned', async () => {
    expect((await imlu('keys', 'signing', 'list')).stdout).toContain('no signing key');
    const out = path.join(dir, 'unsigned');
    const exported = await imlu('export', '--campaign', 'pack-campaign', '--out', out);
    expect(exported.code).toBe(0);
    expect(exported.stderr).toContain('warning: the pack is NOT signed');
    expect(readdirSync(out)).toContain('SHA256SUMS');
    const verified = await imlu('export', 'verify', out);
    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain('NOT SIGNED');
    expect(verified.stderr).toContain('FAILED signature.json is missing: the pack is not signed');
    const allowed = await imlu('export', 'verify', out, '--allow-unsigned');
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toContain('warning: the pack is not signed');
  }, 60_000);

  it('creates keys (the new one retires the old), lists them, prints a public key, and audits the creation', async () => {
    const first = await imlu('keys', 'signing', 'create');
    expect(first.code).toBe(0);
    const firstId = first.stdout.trim();
    expect(firstId).toMatch(/^[0-9a-f]{16}$/);
    expect(first.stderr).toContain(`Created signing key ed25519:${firstId}`);
    const second = await imlu('keys', 'signing', 'create');
    const secondId = second.stdout.trim();
    expect(second.stderr).toContain(`Retired ed25519:${firstId}`);

    const table = await imlu('keys', 'signing', 'list');
    expect(table.stdout.split('\n')[1]).toMatch(new RegExp(`^ed25519:${secondId} .* — +signs new exports$`));
    expect(table.stdout.split('\n')[2]).toMatch(new RegExp(`^ed25519:${firstId} .*Z +verifies older packs$`));
    const listed = JSON.parse((await imlu('keys', 'signing', 'list', '--json')).stdout) as { keyId: string; retiredAt: string | null; publicKeyPem: string }[];
    expect(listed.map((k) => [k.keyId, k.retiredAt === null])).toEqual([
      [secondId, true],
      [firstId, false],
    ]);
    expect(JSON.stringify(listed)).not.toMatch(/PRIVATE/);
    const pem = await imlu('keys', 'signing', 'public-key');
    expect(pem.stdout).toBe(listed[0]!.publicKeyPem);
    expect(pem.stdout).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect((await imlu('keys', 'signing', 'public-key', `ed25519:${firstId}`)).stdout).toBe(listed[1]!.publicKeyPem);
    expect((await imlu('keys', 'signing', 'public-key', 'feedfeedfeedfeed')).code).toBe(1);

    const audit = JSON.parse((await imlu('audit', '--action', 'signing-key.created', '--json')).stdout) as { subject: string; actor: string }[];
    expect(audit.map((a) => a.subject)).toEqual([secondId, firstId]);
    expect(audit[0]!.actor).toMatch(/^cli:/);
    // Three deep, usage errors still end in exit code 2, help in 0 (never a process.exit).
    expect((await imlu('keys', 'signing', 'create', '--bogus')).code).toBe(2);
    const help = await imlu('keys', 'signing', '--help');
    expect([help.code, help.stdout]).toEqual([0, expect.stringContaining('public-key')]);
  }, 60_000);

  it('signs an export (and its zip); verify checks files, SHA256SUMS, signature and audit with the database, and offline with the public key alone', async () => {
    const out = path.join(dir, 'signed');
    // A copy of the database from before the export: it has the key but no audit entry for this pack.
    for (const suffix of ['', '-wal']) if (existsSync(path.join(dir, `imlu.db${suffix}`))) copyFileSync(path.join(dir, `imlu.db${suffix}`), path.join(dir, `before.db${suffix}`));
    const exported = await imlu('export', '--campaign', 'pack-campaign', '--split', 'county', '--zip', '--out', out);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain(`${out}.zip`);
    const keyId = (await imlu('keys', 'signing', 'list', '--json')).stdout.match(/"keyId": "([0-9a-f]{16})"/)![1]!;
    expect(exported.stderr).toContain(`signed with key ed25519:${keyId}`);

    for (const target of [out, `${out}.zip`]) {
      const verified = await imlu('export', 'verify', target);
      expect([verified.code, verified.stderr]).toEqual([0, '']);
      expect(verified.stdout).toMatch(/^OK +files +2 file\(s\) match manifest\.json$/m);
      expect(verified.stdout).toMatch(/^OK +SHA256SUMS +4 file\(s\) listed/m);
      expect(verified.stdout).toMatch(new RegExp(`^OK +signature +Ed25519, key ed25519:${keyId} \\(current key`, 'm'));
      expect(verified.stdout).toMatch(/^OK +audit +export\.created .* by cli:.*, 2 row\(s\)$/m);
    }

    // Offline: the bin script, no database in its environment, only the public key (a file, or base64).
    const pemFile = path.join(dir, 'imlu-signing.pem');
    writeFileSync(pemFile, (await imlu('keys', 'signing', 'public-key')).stdout);
    const official = mkdtempSync(path.join(tmpdir(), 'imlu-official-'));
    try {
      const offlineEnv = { PATH: process.env['PATH'], HOME: official };
      const offline = await spawnImlu(offlineEnv, official, 'export', 'verify', `${out}.zip`, '--public-key', pemFile);
      expect([offline.code, offline.stderr]).toEqual([0, '']);
      expect(offline.stdout).toContain('not checked (no database: --public-key)');
      const base64 = readFileSync(pemFile, 'utf8').replace(/-----[^-]+-----|\s/g, '');
      expect((await imluWith(offlineEnv, 'export', 'verify', out, '--public-key', base64)).code).toBe(0);
      expect(readdirSync(official)).toEqual([]); // nothing created: no data folder, no keys
      // The retired key alone does not verify a pack the current key signed.
      const oldKey = (JSON.parse((await imlu('keys', 'signing', 'list', '--json')).stdout) as { publicKeyPem: string }[])[1]!.publicKeyPem;
      writeFileSync(path.join(dir, 'old.pem'), oldKey);
      const wrong = await imluWith(offlineEnv, 'export', 'verify', out, '--public-key', path.join(dir, 'old.pem'));
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toContain(`FAILED signed with key ed25519:${keyId}, which is not a key we have`);
      const bad = await imluWith(offlineEnv, 'export', 'verify', out, '--public-key', Buffer.from('not a key, only some text of 40 bytes or more').toString('base64'));
      expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('--public-key: not a public key')]);
      expect((await imluWith(offlineEnv, 'export', 'verify', out, '--public-key', path.join(dir, 'missing.pem'))).stderr).toContain('--public-key: no such file');
    } finally {
      rmSync(official, { recursive: true, force: true });
    }

    // The database from before the export knows the key but has no audit entry for this manifest.
    const before = await imluWith({ ...env, DATABASE_URL: `file:${path.join(dir, 'before.db')}` }, 'export', 'verify', out);
    expect(before.code).toBe(1);
    expect(before.stdout).toMatch(/^OK +signature/m);
    expect(before.stderr).toContain("FAILED no export.created entry in this database's audit log names this manifest");

    // Tampering: a file and its hash in the manifest changed together.
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { files: { name: string; sha256: string }[] };
    const csv = manifest.files[0]!;
    writeFileSync(path.join(out, csv.name), readFileSync(path.join(out, csv.name), 'utf8').replace('Wanjirũ', 'Wanjiru'));
    const tampered = await imlu('export', 'verify', out);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toContain(`FAILED ${csv.name}: SHA-256 differs`);
    expect(tampered.stderr).toContain(`imlu: ${out}: the pack does not verify`);
  }, 120_000);

  it('says plainly when the pack is missing, and how to verify without a database', async () => {
    const missing = await imlu('export', 'verify', path.join(dir, 'no-such-pack'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`imlu: ${path.join(dir, 'no-such-pack')}: no such folder or zip file\n`);
    const unmigrated = mkdtempSync(path.join(tmpdir(), 'imlu-unmigrated-'));
    try {
      const noDb = await imluWith({ ...env, DATA_DIR: unmigrated, DATABASE_URL: `file:${path.join(unmigrated, 'x.db')}` }, 'export', 'verify', path.join(dir, 'signed'));
      expect(noDb.code).toBe(1);
      expect(noDb.stderr).toContain('to verify without one, give --public-key');
    } finally {
      rmSync(unmigrated, { recursive: true, force: true });
    }
  }, 60_000);

  it('fails a pack signed with a key after that key was retired', async () => {
    const out = path.join(dir, 'late');
    expect((await imlu('export', '--campaign', 'pack-campaign', '--out', out)).code).toBe(0);
    expect((await imlu('export', 'verify', out)).code).toBe(0);
    // The key that signed it is retired, as of a moment before the pack was made (a leaked key's forgery).
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { generatedAt: string };
    const db = await createDb(env['DATABASE_URL']!);
    try {
      const { createSigningKey } = await import('../exports/signing-key.ts');
      await createSigningKey(db, new FieldCrypto(keys), { actor: { id: 'cli:test', name: 'test' }, now: Date.parse(manifest.generatedAt) - 1 });
    } finally {
      db.close();
    }
    const late = await imlu('export', 'verify', out);
    expect(late.code).toBe(1);
    expect(late.stdout).toMatch(/^FAILED signature +Ed25519, key ed25519:[0-9a-f]{16} \(created .*, retired /m);
    expect(late.stderr).toMatch(/FAILED key ed25519:[0-9a-f]{16} was retired on .*, before this pack was made/);
  }, 60_000);
});
