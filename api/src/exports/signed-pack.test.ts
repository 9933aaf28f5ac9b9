/**
 * A pack an official can verify, on a real migrated database: the signing key (created, retired, stored
 * encrypted, re-encrypted by key rotation), the signed manifest, SHA256SUMS checked by the real
 * `sha256sum -c`, the signature checked by OpenSSL as docs/exports.md tells an official to, the zip, and
 * every kind of tampering.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync, createHash, randomBytes, sign } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApi, TEST_KEYS, type TestApi } from '../../test/helpers.ts';
import { insertSignatures, type SyntheticRow } from '../../test/synthetic.ts';
import { listAudit } from '../audit/audit.ts';
import { cliActor } from '../auth/actor.ts';
import { FieldCrypto } from '../signing/crypto.ts';
import { rotateEncryptionKey } from '../signing/key-rotation.ts';
import { verifyKeyFingerprint } from '../db/key-check.ts';
import { givenKeys, openPack, PackOpenError, verifyPack, type KeyLookup, type PackVerification } from './pack.ts';
import { exportToDirectory, type ExportRequest } from './run.ts';
import { createSigningKey, currentSigningKey, listSigningKeys, parsePublicKeys, publicKeyObject, signBytes, signingKeyId, verifyBytes } from './signing-key.ts';

let t: TestApi;
let tmp: string;
let out: string;
const START = Date.UTC(2026, 10, 1, 8);

beforeEach(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'imlu-signed-pack-'));
  out = path.join(tmp, 'pack');
  t = await createTestApi({});
  const rows: SyntheticRow[] = [
    { name: 'Wanjirũ Kamau', county: 'KE-30', status: 'counted', shareWithTargets: true, flag: null, createdAt: START },
    { name: "Ng'ang'a Mwangi", county: 'KE-30', status: 'pending', shareWithTargets: true, flag: null, createdAt: START + 1000 },
    { name: 'Otieno Auma', county: 'KE-42', status: 'counted', shareWithTargets: true, flag: null, createdAt: START + 2000 },
  ];
  await insertSignatures(t.db.client, t.api.services.crypto, t.campaignId, rows);
});
afterEach(async () => {
  await t.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function exportPack(overrides: { zip?: boolean; split?: 'county'; format?: ExportRequest['format'] } = {}) {
  const campaign = (await t.api.services.campaigns.findBySlug(t.slug))!;
  return exportToDirectory(
    t.db,
    t.api.services.crypto,
    { campaign, format: overrides.format ?? 'csv', filter: {}, locale: 'en', includeContacts: false },
    { dir: out, actor: cliActor(), now: START + 86_400_000, split: 'split' in overrides ? overrides.split : 'county', zip: overrides.zip },
  );
}

/** Keys as an official has them: the PEM of every published key, parsed as `--public-key` does. */
async function publishedKeys(): Promise<KeyLookup> {
  const keys = await listSigningKeys(t.db.orm);
  return givenKeys(keys.flatMap((key) => parsePublicKeys(key.publicKeyPem)));
}

async function verify(target = out, lookup?: KeyLookup, allowUnsigned = false): Promise<PackVerification> {
  const source = await openPack(target);
  try {
    return await verifyPack(source, lookup ?? (await publishedKeys()), { allowUnsigned });
  } finally {
    source.close();
  }
}

const sha256sum = (dir: string) => spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' });

describe('signing keys', () => {
  it('creates an Ed25519 key, stores only its encrypted private half, retires the old one on a new one, and audits both', async () => {
    const first = await createSigningKey(t.db, t.api.services.crypto, { actor: cliActor(), now: START });
    expect(first.key.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(first.key.keyId).toBe(signingKeyId(publicKeyObject(first.key)));
    // The id is the SHA-256 of the DER public key, as anyone can recompute it.
    expect(first.key.keyId).toBe(createHash('sha256').update(Buffer.from(first.key.publicKey, 'base64')).digest('hex').slice(0, 16));
    const stored = await t.db.client.execute('SELECT private_key_enc FROM signing_keys');
    expect(String(stored.rows[0]![0])).toMatch(new RegExp(`^v2\\.${t.api.services.crypto.keyId}\\.`));

    const second = await createSigningKey(t.db, t.api.services.crypto, { actor: cliActor(), now: START + 1000 });
    expect(second.retired).toEqual([first.key.keyId]);
    const keys = await listSigningKeys(t.db.orm);
    expect(keys.map((k) => [k.keyId, k.retiredAt])).toEqual([
      [second.key.keyId, null],
      [first.key.keyId, START + 1000],
    ]);
    expect((await currentSigningKey(t.db, t.api.services.crypto))!.keyId).toBe(second.key.keyId);
    const audit = await listAudit(t.db, { action: 'signing-key.created' });
    expect(audit.map((a) => [a.subject, a.details['retired']])).toEqual([
      [second.key.keyId, [first.key.keyId]],
      [first.key.keyId, []],
    ]);
  });

  it('keeps signing after `keys rotate` re-encrypted the private key under a new ENCRYPTION_KEY', async () => {
    const { key } = await createSigningKey(t.db, t.api.services.crypto, { actor: cliActor() });
    const newKey = randomBytes(32);
    const rotating = new FieldCrypto({ encryptionKey: newKey, previousEncryptionKey: TEST_KEYS.encryptionKey, blindIndexKey: TEST_KEYS.blindIndexKey });
    // As a server or `imlu` started with both keys does first: the database switches to the new key.
    await verifyKeyFingerprint(t.db, rotating);
    const report = await rotateEncryptionKey(t.db, rotating, { actor: cliActor(), vacuum: false });
    expect(report.rotated['signing_keys.private_key_enc']).toBe(1);
    // The new key alone (ENCRYPTION_KEY_PREVIOUS removed) still reads it, and it still signs.
    const afterwards = new FieldCrypto({ encryptionKey: newKey, blindIndexKey: TEST_KEYS.blindIndexKey });
    const signing = await currentSigningKey(t.db, afterwards);
    expect(signing!.keyId).toBe(key.keyId);
    const bytes = Buffer.from('manifest');
    expect(verifyBytes(publicKeyObject(key), bytes, signBytes(signing!, bytes))).toBe(true);
    await expect(currentSigningKey(t.db, new FieldCrypto(TEST_KEYS))).rejects.toThrow(/neither ENCRYPTION_KEY/);
  });
});

describe('a signed pack', () => {
  it('signs manifest.json, writes SHA256SUMS that `sha256sum -c` accepts, verifies with the public key alone and with OpenSSL, and is audited', async () => {
    const { key } = await createSigningKey(t.db, t.api.services.crypto, { actor: cliActor() });
    const result = await exportPack();
    expect(result.signature).toMatchObject({ algorithm: 'Ed25519', keyId: key.keyId, signed: 'manifest.json' });
    const names = readdirSync(out).sort();
    expect(names).toEqual([...result.manifest.files.map((f) => f.name), 'SHA256SUMS', 'manifest.json', 'signature.json'].sort());
    // The exact format sha256sum writes and reads: "<hex>  <name>", one per file but itself.
    const sums = readFileSync(path.join(out, 'SHA256SUMS'), 'utf8');
    expect(sums.split('\n').filter(Boolean).map((line) => line.split('  ')[1])).toEqual([...result.manifest.files.map((f) => f.name), 'manifest.json', 'signature.json']);
    for (const line of sums.split('\n').filter(Boolean)) expect(line).toMatch(/^[0-9a-f]{64} {2}[\w.-]+$/);
    const checked = sha256sum(out);
    expect([checked.status, checked.stdout]).toEqual([0, expect.stringContaining('signature.json: OK')]);

    const verified = await verify();
    expect(verified).toMatchObject({ ok: true, files: { ok: true, checked: 2 }, sums: { ok: true, lines: 4 }, signature: { status: 'valid', keyId: key.keyId } });
    // The raw 32-byte key in base64 works as well as the PEM.
    const raw = publicKeyObject(key).export({ format: 'jwk' }).x!;
    expect((await verify(out, givenKeys(parsePublicKeys(Buffer.from(raw, 'base64url').toString('base64'))))).ok).toBe(true);

    // What docs/exports.md tells an official without our tools to run.
    const pem = path.join(tmp, 'imlu-signing.pem');
    writeFileSync(pem, key.publicKeyPem);
    const signature = JSON.parse(readFileSync(path.join(out, 'signature.json'), 'utf8')) as { signature: string };
    writeFileSync(path.join(tmp, 'manifest.sig'), Buffer.from(signature.signature, 'base64'));
    const openssl = (manifest: string) =>
      spawnSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', pem, '-rawin', '-in', manifest, '-sigfile', path.join(tmp, 'manifest.sig')], { encoding: 'utf8' });
    const good = openssl(path.join(out, 'manifest.json'));
    expect([good.status, good.stdout.trim()]).toEqual([0, 'Signature Verified Successfully']);
    writeFileSync(path.join(tmp, 'changed.json'), readFileSync(path.join(out, 'manifest.json'), 'utf8').replace('"totalRows": 3', '"totalRows": 4'));
    expect(openssl(path.join(tmp, 'changed.json')).status).not.toBe(0);

    const [audit] = await listAudit(t.db, { action: 'export.created' });
    const manifestHash = createHash('sha256').update(readFileSync(path.join(out, 'manifest.json'))).digest('hex');
    expect(audit).toMatchObject({ subject: `manifest:${manifestHash}`, details: { signingKey: key.keyId, zip: false } });
    expect(verified.manifestSha256).toBe(manifestHash);
  });

  it('fails on every kind of tampering', async () => {
    await createSigningKey(t.db, t.api.services.crypto, { actor: cliActor() });
    const { manifest } = await exportPack();
    const pristine = new Map(readdirSync(out).map((name) => [name, readFileSync(path.join(out, name))]));
    const restore = () => {
      for (const [name, bytes] of pristine) writeFileSync(path.join(out, name), bytes);
    };
    const sha = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');
    const file = manifest.files.find((f) => f.county === 'KE-30')!;
    const original = pristine.get(file.name)!;

    // 1. One byte of a data file.
    const flipped = Buffer.from(original);
    flipped[flipped.length - 3]! ^= 0x01;
    writeFileSync(path.join(out, file.name), flipped);
    let result = await verify();
    expect(result.ok).toBe(false);
    expect(result.files.problems).toEqual([`${file.name}: SHA-256 differs (file was changed)`]);
    expect(result.sums.problems).toEqual([`SHA256SUMS: ${file.name} has another SHA-256`]);
    expect(result.signature.status).toBe('valid'); // the manifest itself is untouched
    expect(sha256sum(out).status).not.toBe(0);
    restore();

    // 2. A file and its hash in the manifest, and even SHA256SUMS, changed together: only the signature tells.
    const edited = Buffer.from(original.toString('utf8').replace('Wanjirũ', 'Wanjiru'));
    writeFileSync(path.join(out, file.name), edited);
    const manifestText = pristine
      .get('manifest.json')!
      .toString('utf8')
      .replace(file.sha256, sha(edited))
      .replace(`"bytes": ${file.bytes}`, `"bytes": ${edited.length}`);
    writeFileSync(path.join(out, 'manifest.json'), manifestText);
    const sums = pristine
      .get('SHA256SUMS')!
      .toString('utf8')
      .replace(file.sha256, sha(edited))
      .replace(sha(pristine.get('manifest.json')!), sha(manifestText));
    writeFileSync(path.join(out, 'SHA256SUMS'), sums);
    expect(sha256sum(out).status).toBe(0); // sha256sum alone cannot see it: that is what the signature is for
    result = await verify();
    expect(result).toMatchObject({ ok: false, files: { ok: true }, sums: { ok: true }, signature: { status: 'invalid' } });
    restore();

    // 3. SHA256SUMS edited (a line's hash; a line removed).
    const sumsText = pristine.get('SHA256SUMS')!.toString('utf8');
    writeFileSync(path.join(out, 'SHA256SUMS'), sumsText.replace(/^[0-9a-f]/, (c) => (c === '0' ? '1' : '0')));
    result = await verify();
    expect([result.ok, result.sums.ok]).toEqual([false, false]);
    writeFileSync(path.join(out, 'SHA256SUMS'), sumsText.split('\n').filter((line) => !line.endsWith('signature.json')).join('\n'));
    expect((await verify()).sums.problems).toEqual(['SHA256SUMS does not list signature.json']);
    restore();

    // 4. The signature swapped: another key's signature over the same manifest, claiming our key id.
    const other = generateKeyPairSync('ed25519');
    const claimed = JSON.parse(pristine.get('signature.json')!.toString('utf8')) as { signature: string; keyId: string };
    writeFileSync(
      path.join(out, 'signature.json'),
      JSON.stringify({ ...claimed, signature: sign(null, pristine.get('manifest.json')!, other.privateKey).toString('base64') }),
    );
    result = await verify();
    expect(result.signature.status).toBe('invalid');
    expect(result.ok).toBe(false);
    restore();

    // 5. Signed with a key we do not have (the forger's own, under its own id).
    writeFileSync(
      path.join(out, 'signature.json'),
      JSON.stringify({ ...claimed, keyId: signingKeyId(other.publicKey), signature: sign(null, pristine.get('manifest.json')!, other.privateKey).toString('base64') }),
    );
    result = await verify();
    expect(result.signature).toMatchObject({ status: 'unknown-key', keyId: signingKeyId(other.publicKey) });
    expect(result.ok).toBe(false);
    // … and a pack checked against the forger's key (not ours) fails too: the key must be the one we published.
    restore();
    expect((await verify(out, givenKeys([other.publicKey]))).signature.status).toBe('unknown-key');

    // 6. The signature removed (and its SHA256SUMS line): not signed is not a pass.
    rmSync(path.join(out, 'signature.json'));
    writeFileSync(path.join(out, 'SHA256SUMS'), sumsText.split('\n').filter((line) => !line.endsWith('signature.json')).join('\n'));
    result = await verify();
    expect(result).toMatchObject({ ok: false, signature: { status: 'not-signed' }, files: { ok: true }, sums: { ok: true } });
    restore();

    // 7. A file added beside them.
    writeFileSync(path.join(out, 'extra.csv'), 'x');
    result = await verify();
    expect(result.files.problems).toEqual(['extra.csv: not listed in the manifest']);
    expect(result.sums.problems).toEqual(['SHA256SUMS does not list extra.csv']);
    rmSync(path.join(out, 'extra.csv'));

    expect((await verify()).ok).toBe(true);
  });

  it('without a signing key the export still works, unsigned: SHA256SUMS still checks, verify says "not signed"', async () => {
    const result = await exportPack({ split: undefined });
    expect(result.signature).toBeNull();
    expect(readdirSync(out).sort()).toEqual([result.manifest.files[0]!.name, 'SHA256SUMS', 'manifest.json'].sort());
    expect(sha256sum(out).status).toBe(0);
    const verified = await verify(out, givenKeys([]));
    expect(verified).toMatchObject({ ok: false, signature: { status: 'not-signed' }, files: { ok: true }, sums: { ok: true } });
    expect((await verify(out, givenKeys([]), true)).ok).toBe(true);
  });

  it('writes the same pack as one zip, which verifies; a changed zip does not', async () => {
    await createSigningKey(t.db, t.api.services.crypto, { actor: cliActor() });
    const result = await exportPack({ zip: true });
    expect(result.zipPath).toBe(`${out}.zip`);
    const zipped = await verify(`${out}.zip`);
    expect(zipped).toMatchObject({ ok: true, files: { checked: 2 }, sums: { lines: 4 }, signature: { status: 'valid' } });

    // Unzipped by the system's unzip (when there is one), the folder checks with sha256sum -c.
    if (spawnSync('unzip', ['-v']).status === 0) {
      const unzipped = path.join(tmp, 'unzipped');
      execFileSync('unzip', ['-q', `${out}.zip`, '-d', unzipped]);
      expect(sha256sum(path.join(unzipped, 'pack')).status).toBe(0);
    }

    // A zip whose data file was replaced: rebuilt from the folder after an edit.
    const file = result.manifest.files.find((f) => f.county === 'KE-42')!;
    const text = readFileSync(path.join(out, file.name), 'utf8');
    expect(text).toContain('Otieno');
    writeFileSync(path.join(out, file.name), text.replace('Otieno', 'Odhiambo'));
    rmSync(`${out}.zip`);
    const { zipPack } = await import('./pack.ts');
    await zipPack(out, `${out}.zip`, new Date());
    const tampered = await verify(`${out}.zip`);
    expect(tampered.ok).toBe(false);
    expect(tampered.files.problems).toEqual([`${file.name}: SHA-256 differs (file was changed)`]);
  });

  it('says plainly when the pack is missing or not a pack', async () => {
    await expect(openPack(path.join(tmp, 'nowhere'))).rejects.toThrow(new PackOpenError(`${path.join(tmp, 'nowhere')}: no such folder or zip file`));
    writeFileSync(path.join(tmp, 'notes.txt'), 'not a zip');
    await expect(openPack(path.join(tmp, 'notes.txt'))).rejects.toThrow(/not a folder or a readable zip file/);
  });
});
