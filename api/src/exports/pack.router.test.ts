/**
 * The delivery pack over HTTP and its verification (pack.router.ts), on a real libSQL file: the zip that
 * `GET /admin/campaigns/{slug}/pack` sends is the pack `imlu export --zip` writes, it verifies (through the
 * API and through the code `imlu export verify` runs), a changed copy does not, and a request that cannot
 * be served stores nothing.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { createTestApi, validSignature, type TestApi } from '../../test/helpers.ts';
import { insertSignatures, syntheticRow } from '../../test/synthetic.ts';
import { cliActor } from '../auth/actor.ts';
import { openPack } from './pack.ts';
import { verifyPackWithDatabase } from './pack-check.ts';
import { MAX_VERIFY_BYTES, type PackVerificationAnswer } from './pack.router.ts';
import { createSigningKey } from './signing-key.ts';

const BOOTSTRAP = 'test-admin-token-0123456789abcdef0123';
let t: TestApi;
afterEach(async () => {
  await t.close();
});

const call = (pathname: string, token: string, init: RequestInit = {}) =>
  t.request(pathname, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });

async function makeToken(scopes: string[]): Promise<string> {
  const response = await call('/admin/tokens', BOOTSTRAP, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'Exporter', scopes }) });
  expect(response.status).toBe(201);
  return ((await response.json()) as { token: string }).token;
}

const verify = async (token: string, zip: Buffer, type = 'application/zip') => {
  const response = await call('/admin/exports/verify', token, { method: 'POST', headers: { 'Content-Type': type }, body: new Uint8Array(zip) });
  expect(response.status).toBe(200);
  return (await response.json()) as PackVerificationAnswer;
};

/** The zip's files by name, as a pack's reader sees them. */
function unzip(bytes: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      const files = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, async (err, stream) => {
          if (err) return reject(err);
          const chunks: Buffer[] = [];
          for await (const chunk of stream) chunks.push(chunk as Buffer);
          files.set(entry.fileName, Buffer.concat(chunks));
          zip.readEntry();
        });
      });
      zip.on('end', () => resolve(files));
      zip.readEntry();
    });
  });
}

async function zipOf(files: Map<string, Buffer>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, bytes] of files) zip.addBuffer(bytes, name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const packTemps = () => readdirSync(tmpdir()).filter((name) => /^imlu-(pack|verify)-/.test(name)).sort();

describe('delivery pack over HTTP', () => {
  it('is the signed pack of the CLI: verifies through the API and `imlu export verify`’s checks; a changed copy does not; audited with the caller', async () => {
    t = await createTestApi({ adminToken: BOOTSTRAP });
    await createSigningKey(t.db, t.api.services.crypto, { actor: cliActor() });
    const token = await makeToken(['signatures:export', 'audit:read']);
    await t.sign(validSignature({ name: 'Wanjirũ Kamau', consent: { terms: true, shareWithTargets: true } }));
    await t.sign(validSignature({ name: 'Quiet Signer', phone: '0712345679', county: 'KE-01', consent: { terms: true } }));
    const before = packTemps();

    const response = await call(`/admin/campaigns/${t.slug}/pack?format=csv`, token);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/zip');
    expect(response.headers.get('Cache-Control')).toBe('no-store, no-transform');
    expect(response.headers.get('X-Export-Rows')).toBe('2');
    const name = /^attachment; filename="(test-campaign-\d{8}-\d{6}-csv\.zip)"$/.exec(response.headers.get('Content-Disposition') ?? '')?.[1];
    expect(name).toBeDefined();
    const zip = Buffer.from(await response.arrayBuffer());
    expect(response.headers.get('Content-Length')).toBe(String(zip.length));
    // The temporary folder is gone once the pack was read.
    await expect.poll(packTemps).toEqual(before);

    const files = await unzip(zip);
    const folder = name!.replace(/\.zip$/, '');
    expect([...files.keys()].sort()).toEqual([`${folder}/SHA256SUMS`, `${folder}/manifest.json`, `${folder}/signature.json`, `${folder}/${folder.replace(/-csv$/, '.csv')}`].sort());
    const csv = files.get(`${folder}/${folder.replace(/-csv$/, '.csv')}`)!.toString('utf8');
    expect(csv).toContain('Wanjirũ Kamau');
    expect(csv).not.toContain('Quiet Signer');

    const auditSize = async () => ((await (await call('/admin/audit', token)).json()) as { entries: unknown[] }).entries.length;
    const entriesBefore = await auditSize();
    const answer = await verify(token, zip);
    expect(answer).toMatchObject({
      valid: true,
      readable: true,
      files: { ok: true, checked: 1 },
      sums: { ok: true },
      signature: { status: 'valid', retiredBefore: false },
      audit: { actorName: 'Exporter', rowCount: 2 },
      manifest: { campaign: t.slug, format: 'csv', totalRows: 2 },
      problems: [],
    });
    // What `imlu export verify` runs says the same of the saved file.
    const dir = mkdtempSync(path.join(tmpdir(), 'pack-test-'));
    try {
      writeFileSync(path.join(dir, name!), zip);
      const source = await openPack(path.join(dir, name!));
      const { result, audit } = await verifyPackWithDatabase(t.db, source);
      source.close();
      expect(result.ok).toBe(true);
      expect(audit.entry).toMatchObject({ actorName: 'Exporter', rowCount: 2 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const { entries } = (await (await call('/admin/audit?action=export.created', token)).json()) as {
      entries: { actor: string; actorName: string; subject: string; rowCount: number; details: Record<string, unknown> }[];
    };
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorName: 'Exporter', rowCount: 2, subject: expect.stringMatching(/^manifest:[0-9a-f]{64}$/), details: { destination: 'http-pack', format: 'csv' } });
    expect(JSON.stringify(entries)).not.toMatch(/Wanjir|Quiet/);

    // A name changed in the list, its hash changed in the manifest to match: the signature no longer does.
    const changed = new Map(files);
    const manifestName = `${folder}/manifest.json`;
    const dataName = `${folder}/${folder.replace(/-csv$/, '.csv')}`;
    changed.set(dataName, Buffer.from(csv.replace('Wanjirũ Kamau', 'Someone Else'), 'utf8'));
    const manifest = JSON.parse(files.get(manifestName)!.toString('utf8')) as { files: { sha256: string; bytes: number }[] };
    const { createHash } = await import('node:crypto');
    manifest.files[0]!.sha256 = createHash('sha256').update(changed.get(dataName)!).digest('hex');
    manifest.files[0]!.bytes = changed.get(dataName)!.length;
    changed.set(manifestName, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
    const tampered = await verify(token, await zipOf(changed));
    expect(tampered).toMatchObject({ valid: false, readable: true, files: { ok: true }, sums: { ok: false }, signature: { status: 'invalid' }, audit: null });
    expect(tampered.problems.join('\n')).toMatch(/signature does not match/);

    // Only the data file changed: its hash no longer matches the manifest.
    const edited = new Map(files);
    edited.set(dataName, Buffer.from(csv.replace('Wanjirũ Kamau', 'Someone Else'), 'utf8'));
    const editedAnswer = await verify(token, await zipOf(edited), 'application/x-zip-compressed');
    expect(editedAnswer).toMatchObject({ valid: false, files: { ok: false }, signature: { status: 'valid' }, audit: { rowCount: 2 } });
    expect(editedAnswer.problems.join('\n')).toMatch(/SHA-256 differs/);

    // Not a zip at all.
    expect(await verify(token, Buffer.from('name,phone\nA,0712345678\n'), 'application/octet-stream')).toMatchObject({ valid: false, readable: false });
    expect(packTemps()).toEqual(before);
    // Verifying stored nothing, not even an audit entry.
    expect(await auditSize()).toBe(entriesBefore);
  });

  it('refuses: without the scope (403), without a signing key (503), a bad filter (422), a body that is not a zip or too large; each stores nothing', async () => {
    t = await createTestApi({ adminToken: BOOTSTRAP });
    const token = await makeToken(['signatures:export', 'audit:read']);
    const reader = await makeToken(['campaigns:read', 'audit:read']);
    await t.sign(validSignature({ name: 'Wanjirũ Kamau', consent: { terms: true, shareWithTargets: true } }));

    const noKey = await call(`/admin/campaigns/${t.slug}/pack`, token);
    expect(noKey.status).toBe(503);
    expect(((await noKey.json()) as { type: string; detail: string }).detail).toContain('imlu keys signing create');
    await createSigningKey(t.db, t.api.services.crypto, { actor: cliActor() });

    expect((await call(`/admin/campaigns/${t.slug}/pack`, reader)).status).toBe(403);
    expect((await call('/admin/exports/verify', reader, { method: 'POST', headers: { 'Content-Type': 'application/zip' }, body: 'PK' })).status).toBe(403);
    expect((await t.request(`/admin/campaigns/${t.slug}/pack`)).status).toBe(404);
    expect((await call(`/admin/campaigns/nope/pack`, token)).status).toBe(404);
    const contacts = await call(`/admin/campaigns/${t.slug}/pack?format=pdf&includeContacts=true`, token);
    expect(contacts.status).toBe(422);
    expect(((await contacts.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(['includeContacts']);

    const post = (init: RequestInit) => call('/admin/exports/verify', token, { method: 'POST', ...init });
    expect((await post({ headers: { 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(415);
    expect((await post({ headers: { 'Content-Type': 'application/zip' }, body: '' })).status).toBe(422);
    const tooLarge = await post({ headers: { 'Content-Type': 'application/zip', 'Content-Length': String(MAX_VERIFY_BYTES + 1) }, body: 'PK' });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers.get('Content-Type')).toContain('application/problem+json');

    const { entries } = (await (await call('/admin/audit', token)).json()) as { entries: { action: string }[] };
    expect(entries.map((e) => e.action).filter((a) => a.startsWith('export'))).toEqual([]);
  });

  it('a download abandoned after it began leaves no copy of the pack behind', async () => {
    t = await createTestApi({ adminToken: BOOTSTRAP });
    await createSigningKey(t.db, t.api.services.crypto, { actor: cliActor() });
    const token = await makeToken(['signatures:export']);
    // A pack far larger than what a stream reads ahead, so only the cancel can end it.
    const start = Date.now() - 86_400_000;
    await insertSignatures(t.db.client, t.api.services.crypto, t.campaignId, Array.from({ length: 20_000 }, (_, i) => ({ ...syntheticRow(i, start), flag: null })));
    const before = packTemps();
    const response = await call(`/admin/campaigns/${t.slug}/pack?format=csv`, token);
    expect(response.status).toBe(200);
    expect(Number(response.headers.get('Content-Length'))).toBeGreaterThan(512 * 1024);
    expect(packTemps()).not.toEqual(before); // made, waiting to be read
    // What @hono/node-server does when the client goes away: it cancels the body.
    await response.body!.cancel();
    await expect.poll(packTemps).toEqual(before);
  });

  it('a PDF pack by default, in the language asked for, which verifies', async () => {
    t = await createTestApi({ adminToken: BOOTSTRAP });
    await createSigningKey(t.db, t.api.services.crypto, { actor: cliActor() });
    const token = await makeToken(['signatures:export']);
    await t.sign(validSignature({ name: 'Wanjirũ Kamau', consent: { terms: true, shareWithTargets: true } }));
    const response = await call(`/admin/campaigns/${t.slug}/pack?locale=sw`, token);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Disposition')).toMatch(/-pdf\.zip"$/);
    const zip = Buffer.from(await response.arrayBuffer());
    expect([...(await unzip(zip)).keys()].some((n) => n.endsWith('.pdf'))).toBe(true);
    expect(await verify(token, zip)).toMatchObject({ valid: true, manifest: { format: 'pdf', locale: 'sw', totalRows: 1 } });
    // Bytes changed inside the zip's compressed data: damaged, which is an answer (not a 500).
    const damaged = Buffer.from(zip);
    for (let i = 200; i < 260; i++) damaged[i] = damaged[i]! ^ 0xff;
    expect(await verify(token, damaged)).toMatchObject({ valid: false });
  });
});
