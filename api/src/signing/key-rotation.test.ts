/**
 * Encryption-key rotation on a real libSQL file: values written under the old key (through the signing
 * API, the accountability and webhook code, and as `v1` envelopes of the code before key ids) are
 * re-encrypted in batches while a server keeps signing; an interrupted run resumes; afterwards a server
 * with the NEW key alone reads every value (an SMS and an e-mail go out from the rotated outbox, a code
 * confirms with the handle a retried request gets back), and the database files hold none of the old
 * envelopes, checked on their raw bytes.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type Api } from '../app.ts';
import { createTarget } from '../accountability/operations.ts';
import { listAudit } from '../audit/audit.ts';
import { createCampaign } from '../campaigns/create.ts';
import { ConfigError, parseEnv } from '../config/env.ts';
import type { Keys } from '../config/keys.ts';
import { verifyKeyFingerprint } from '../db/key-check.ts';
import { smtpTransport } from '../messages/email.ts';
import { africasTalkingProvider } from '../messages/sms.ts';
import { startServer } from '../server.ts';
import { createWebhook } from '../webhooks/webhooks.ts';
import { createTestApi, createTestDb, OPEN_CAMPAIGN, PARTNER_ORIGIN, TEST_KEYS, validSignature, type TestApi, type TestDb } from '../../test/helpers.ts';
import { startTestAfricasTalking, type TestAfricasTalking } from '../../test/africastalking.ts';
import { legacyV1Envelope } from '../../test/legacy-envelope.ts';
import { startTestSmtp, type TestSmtp } from '../../test/smtp.ts';
import { insertSignatures, syntheticRow } from '../../test/synthetic.ts';
import { FieldCrypto } from './crypto.ts';
import { countByKeyId, rotateEncryptionKey } from './key-rotation.ts';

const BASE = 'https://sign.imlu.example';
const ACTOR = { id: 'cli:test', name: 'test' };
const blindIndexKey = TEST_KEYS.blindIndexKey;
const oldKey = TEST_KEYS.encryptionKey;
const OLD: Keys = { encryptionKey: oldKey, blindIndexKey };

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** The database files as they are on disk: the main file and its write-ahead log. */
function onDisk(file: string): Buffer {
  return Buffer.concat([file, `${file}-wal`].filter((path) => existsSync(path)).map((path) => readFileSync(path)));
}

/** Every stored envelope, read with plain SQL (not with the rotation's own list of locations). */
async function storedEnvelopes(db: TestDb['db']): Promise<string[]> {
  const result = await db.client.batch([
    'SELECT name_enc, email_enc, phone_enc, comment_enc FROM signatures',
    'SELECT delivery_contact_enc FROM targets',
    'SELECT secret_enc FROM webhooks',
    "SELECT json_extract(payload, '$.to') FROM outbox",
    "SELECT json_extract(response, '$.confirmation.handle') FROM idempotency_keys",
  ]);
  return result.flatMap((r) => r.rows.flatMap((row) => Array.from({ length: row.length }, (_, i) => row[i]).filter((v): v is string => typeof v === 'string')));
}

async function appWith(t: TestApi, keys: Keys, services: { at: TestAfricasTalking; smtp: TestSmtp }): Promise<Api> {
  const api = await createApp({
    db: t.db,
    config: { ...keys, allowedOrigins: [PARTNER_ORIGIN], countsMaxAge: 10, rateLimits: { trustProxy: true } },
    publicBaseUrl: BASE,
    sms: africasTalkingProvider({ username: services.at.username, apiKey: services.at.apiKey, from: 'IMLU', baseUrl: services.at.baseUrl }),
    mail: smtpTransport({ url: services.smtp.url, from: 'IMLU <no-reply@imlu.example>', timeouts: { connection: 2, greeting: 2, socket: 5 } }),
    outbox: { random: () => 1 },
  });
  cleanups.push(() => api.close());
  return api;
}

function sign(api: Api, slug: string, body: Record<string, unknown>, ip: string, idempotencyKey?: string) {
  return api.app.request(`/v1/campaigns/${slug}/signatures`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': ip, ...(idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {}) },
    body: JSON.stringify(body),
  });
}

describe('imlu keys rotate (rotateEncryptionKey)', () => {
  it('re-encrypts every value under the new key in resumable batches while the server signs; the old key can then go', async () => {
    const at = await startTestAfricasTalking();
    const smtp = await startTestSmtp();
    cleanups.push(() => at.stop(), () => smtp.stop());
    const t = await createTestApi({ campaign: { verification: 'sms' }, rateLimits: { trustProxy: true } });
    cleanups.push(() => t.close());
    const services = { at, smtp };
    const db = t.db;
    const before = new FieldCrypto(OLD);
    expect(await verifyKeyFingerprint(db, before)).toMatchObject({ switching: false, retiredKeyIds: [] });

    // --- Written under the old key, the way the server writes it.
    const oldApi = await appWith(t, OLD, services);
    const smsSigners = [1, 2, 3].map((i) => ({ name: `Mũthoni Wambũi ${i}`, phone: `+25471200000${i}`, comment: `Haki ${i}`, key: `retry-${i}` }));
    const handles = new Map<string, string>();
    for (const [i, s] of smsSigners.entries()) {
      const response = await sign(oldApi, t.slug, validSignature({ name: s.name, phone: s.phone, comment: s.comment }), `198.51.100.${i + 1}`, s.key);
      expect(response.status).toBe(202);
      handles.set(s.phone, ((await response.json()) as { confirmation: { handle: string } }).confirmation.handle);
    }
    const emailCampaignId = await createCampaign(db, { ...OPEN_CAMPAIGN, slug: 'email-campaign', verification: 'email' });
    const emailSigners = [1, 2].map((i) => ({ name: `Otieno Auma ${i}`, email: `otieno${i}@example.org`, comment: `Tunadai ${i}` }));
    for (const [i, s] of emailSigners.entries()) {
      const response = await sign(oldApi, 'email-campaign', validSignature({ name: s.name, email: s.email, phone: undefined, comment: s.comment }), `203.0.113.${i + 1}`);
      expect(response.status).toBe(202);
    }
    const bulkRows = Array.from({ length: 23 }, (_, i) => syntheticRow(i, Date.UTC(2026, 10, 1)));
    const bulkIds = await insertSignatures(db.client, before, emailCampaignId, bulkRows);
    const target = await createTarget(db, before, { name: 'Inspector-General', jurisdiction: { level: 'national' }, deliveryContact: 'ig.office@example.go.ke' }, Date.now());
    const hook = await createWebhook(db, before, { campaignId: t.campaignId, url: 'https://partner.example/hook', events: ['signature.confirmed'], actor: ACTOR });
    // ... and as the code before key ids wrote it (v1): two signatures, a target, a queued message.
    const legacy = bulkRows.slice(0, 2).map((row, i) => ({ id: bulkIds[i]!, name: row.name, phone: row.phone! }));
    for (const row of legacy) {
      await db.client.execute({
        sql: 'UPDATE signatures SET name_enc = ?, phone_enc = ? WHERE id = ?',
        args: [legacyV1Envelope(oldKey, row.name, emailCampaignId, 'name'), legacyV1Envelope(oldKey, row.phone, emailCampaignId, 'phone'), row.id],
      });
    }
    const legacyTarget = await createTarget(db, before, { name: 'DPP', jurisdiction: { level: 'national' } }, Date.now());
    await db.client.execute({
      sql: 'UPDATE targets SET delivery_contact_enc = ? WHERE id = ?',
      args: [legacyV1Envelope(oldKey, 'dpp.registry@example.go.ke', legacyTarget.id, 'target-delivery-contact'), legacyTarget.id],
    });
    await db.client.execute({
      sql: "UPDATE outbox SET payload = json_set(payload, '$.to', ?) WHERE kind = 'confirm-sms' AND json_extract(payload, '$.to') = (SELECT phone_enc FROM signatures WHERE phone_hash = ?)",
      args: [legacyV1Envelope(oldKey, smsSigners[0]!.phone, t.campaignId, 'phone'), before.blindIndex('phone', t.campaignId, smsSigners[0]!.phone)],
    });
    const oldEnvelopes = await storedEnvelopes(db);
    // The check below can fail: before rotation, every one of them is in the files.
    expect(oldEnvelopes.filter((envelope) => !onDisk(t.file).includes(envelope))).toEqual([]);
    const oldCounts = await countByKeyId(db);
    const oldTotal = oldCounts.reduce((sum, c) => sum + c.values, 0);
    expect(oldCounts.filter((c) => c.keyId === null)).toEqual([
      { location: 'signatures.name_enc', keyId: null, values: 2 },
      { location: 'signatures.phone_enc', keyId: null, values: 2 },
      { location: 'targets.delivery_contact_enc', keyId: null, values: 1 },
      { location: 'outbox.payload.to', keyId: null, values: 1 },
    ]);
    expect(new Set(oldCounts.map((c) => c.location))).toEqual(
      new Set([
        'signatures.name_enc',
        'signatures.email_enc',
        'signatures.phone_enc',
        'signatures.comment_enc',
        'targets.delivery_contact_enc',
        'webhooks.secret_enc',
        'outbox.payload.to',
        'idempotency_keys.response.confirmation.handle',
      ]),
    );
    expect(oldEnvelopes).toHaveLength(oldTotal);
    await oldApi.close();

    // --- The new key, with the old one as ENCRYPTION_KEY_PREVIOUS: the database switches, the server works.
    const newKey = randomBytes(32);
    const rotating = new FieldCrypto({ encryptionKey: newKey, previousEncryptionKey: oldKey, blindIndexKey });
    expect(await verifyKeyFingerprint(db, rotating)).toEqual({ recordedKeyId: before.keyId, switching: true, retiredKeyIds: [before.keyId] });
    const server = await appWith(t, { encryptionKey: newKey, previousEncryptionKey: oldKey, blindIndexKey }, services);

    // An interrupted run: a batch of 4 rows is committed, then the run stops.
    await expect(
      rotateEncryptionKey(db, rotating, {
        actor: ACTOR,
        batchSize: 4,
        onBatch: () => {
          throw new Error('operator pressed Ctrl-C');
        },
      }),
    ).rejects.toThrow('operator pressed Ctrl-C');
    const halfway = await countByKeyId(db);
    const underNew = halfway.filter((c) => c.keyId === rotating.keyId).reduce((sum, c) => sum + c.values, 0);
    expect(underNew).toBeGreaterThanOrEqual(4);
    expect(halfway.some((c) => c.keyId === before.keyId)).toBe(true);
    // The server reads both kinds meanwhile, and writes under the new key.
    const during = await sign(server, t.slug, validSignature({ name: 'Kĩmani Mwangi', phone: '+254712000009' }), '198.51.100.9');
    expect(during.status).toBe(202);

    // The second run resumes; the server keeps signing between its batches.
    let signedMeanwhile = 0;
    const progress: number[] = [];
    const report = await rotateEncryptionKey(db, rotating, {
      actor: ACTOR,
      batchSize: 4,
      onBatch: async ({ done, total }) => {
        progress.push(done);
        expect(done).toBeLessThanOrEqual(total);
        if (signedMeanwhile++ === 0) {
          const response = await sign(server, 'email-campaign', validSignature({ name: 'Chebet', email: 'chebet@example.org', phone: undefined }), '203.0.113.50');
          expect(response.status).toBe(202);
        }
      },
    });
    expect(progress.length).toBeGreaterThan(1);
    expect(report).toMatchObject({ keyId: rotating.keyId, previousKeyId: before.keyId, interrupted: false, failureCount: 0, changedMeanwhile: 0, remaining: [], retiredKeyIds: [], vacuum: 'done', walCheckpoint: 'complete' });
    const audit = await listAudit(db, { action: 'keys.rotated', limit: 10 });
    expect(audit).toHaveLength(2);
    const [second, first] = audit;
    expect(first!.details).toMatchObject({ finished: false, stoppedBy: 'Error', previousKeyId: before.keyId, keyId: rotating.keyId });
    expect(second!.details).toMatchObject({ finished: true, remaining: 0, failures: 0, retiredKeyIds: [] });
    expect(first!.rowCount! + second!.rowCount!).toBe(oldTotal);
    const auditText = JSON.stringify(audit);
    for (const secret of [...smsSigners.flatMap((s) => [s.name, s.phone]), ...emailSigners.map((s) => s.email), 'ig.office', hook.secret]) {
      expect(auditText).not.toContain(secret);
    }

    // --- On disk: no old envelope anywhere, and every envelope names the new key.
    const bytes = onDisk(t.file);
    expect(oldEnvelopes.filter((envelope) => bytes.includes(envelope))).toEqual([]);
    expect(bytes.includes(`v2.${before.keyId}.`)).toBe(false);
    expect(/v1\.[\w-]{16}\.[\w-]{22}\./.test(bytes.toString('latin1'))).toBe(false);
    expect((await countByKeyId(db)).every((c) => c.keyId === rotating.keyId)).toBe(true);
    await server.close();

    // --- The old key removed: the check passes, and every value reads under the new key alone.
    const after = new FieldCrypto({ encryptionKey: newKey, blindIndexKey });
    expect(await verifyKeyFingerprint(db, after)).toEqual({ recordedKeyId: rotating.keyId, switching: false, retiredKeyIds: [] });
    const rows = await db.client.execute({ sql: 'SELECT id, name_enc, phone_enc FROM signatures WHERE id IN (?, ?)', args: legacy.map((l) => l.id) });
    for (const row of rows.rows) {
      const expected = legacy.find((l) => l.id === row[0])!;
      expect([after.decrypt(String(row[1]), emailCampaignId, 'name'), after.decrypt(String(row[2]), emailCampaignId, 'phone')]).toEqual([expected.name, expected.phone]);
    }
    const bulk = await db.client.execute({ sql: `SELECT id, name_enc, email_enc FROM signatures WHERE id IN (${bulkIds.map(() => '?').join(', ')})`, args: bulkIds });
    for (const row of bulk.rows) {
      const source = bulkRows[bulkIds.indexOf(String(row[0]))]!;
      expect(after.decrypt(String(row[1]), emailCampaignId, 'name')).toBe(source.name);
      expect(row[2] === null ? null : after.decrypt(String(row[2]), emailCampaignId, 'email')).toBe(source.email ?? null);
    }
    const comments = await db.client.execute({ sql: 'SELECT campaign_id, comment_enc FROM signatures WHERE comment_enc IS NOT NULL ORDER BY rowid' });
    expect(comments.rows.map((r) => after.decrypt(String(r[1]), String(r[0]), 'comment'))).toEqual([...smsSigners.map((s) => s.comment), ...emailSigners.map((s) => s.comment)]);
    const targets = await db.client.execute({ sql: 'SELECT id, delivery_contact_enc FROM targets WHERE id IN (?, ?) ORDER BY name', args: [target.id, legacyTarget.id] });
    expect(targets.rows.map((r) => after.decrypt(String(r[1]), String(r[0]), 'target-delivery-contact'))).toEqual(['dpp.registry@example.go.ke', 'ig.office@example.go.ke']);
    const secret = (await db.client.execute({ sql: 'SELECT secret_enc FROM webhooks WHERE id = ?', args: [hook.info.id] })).rows[0]![0];
    expect(after.decrypt(String(secret), t.campaignId, 'webhook-secret')).toBe(hook.secret);

    // A server with the new key alone sends the queued messages (their recipients were rotated too) ...
    const newServer = await appWith(t, { encryptionKey: newKey, blindIndexKey }, services);
    await newServer.outbox.runOnce();
    expect(at.sent.map((m) => m.to).sort()).toEqual([...smsSigners.map((s) => s.phone), '+254712000009'].sort());
    await smtp.waitFor(3);
    expect(smtp.received.map((m) => m.to && !Array.isArray(m.to) ? m.to.value[0]!.address : undefined).sort()).toEqual([...emailSigners.map((s) => s.email), 'chebet@example.org'].sort());
    // ... and a retried request gets its stored answer back, whose handle (rotated) confirms with the code.
    const first3 = smsSigners[0]!;
    const retried = await sign(newServer, t.slug, validSignature({ name: first3.name, phone: first3.phone, comment: first3.comment }), '198.51.100.1', first3.key);
    const { handle } = ((await retried.json()) as { confirmation: { handle: string } }).confirmation;
    expect(handle).not.toBe(handles.get(first3.phone));
    expect(handle.startsWith(`v2.${after.keyId}.`)).toBe(true);
    const code = /\b(\d{6})\b/.exec(at.sent.find((m) => m.to === first3.phone)!.message)![1]!;
    const confirmed = await newServer.app.request(`/v1/campaigns/${t.slug}/confirmations`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ handle, code }),
    });
    expect([confirmed.status, await confirmed.json()]).toEqual([200, { status: 'counted' }]);
  }, 60_000);
});

describe('the key check around a rotation', () => {
  let testDb: TestDb;
  afterEach(() => testDb.cleanup());

  const A = OLD;
  const keyB = randomBytes(32);
  const B: Keys = { encryptionKey: keyB, blindIndexKey };
  const BwithA: Keys = { ...B, previousEncryptionKey: A.encryptionKey };
  const check = (keys: Keys, options?: { record?: boolean }) => verifyKeyFingerprint(testDb.db, new FieldCrypto(keys), options);
  const idOf = (keys: Keys) => new FieldCrypto(keys).keyId;

  it('refuses a new key without the old one, a wrong previous key and another blind-index key, naming what to set', async () => {
    testDb = await createTestDb();
    await check(A);
    await expect(check(B)).rejects.toBeInstanceOf(ConfigError);
    await expect(check(B)).rejects.toThrow(`give the key with id ${idOf(A)} as ENCRYPTION_KEY_PREVIOUS`);
    const wrongPrevious: Keys = { ...B, previousEncryptionKey: randomBytes(32) };
    await expect(check(wrongPrevious)).rejects.toThrow(
      new RegExp(`encryption key has key id ${idOf(A)}; ENCRYPTION_KEY has key id ${idOf(B)} and ENCRYPTION_KEY_PREVIOUS has key id ${new FieldCrypto(wrongPrevious).previousKeyId}`),
    );
    await expect(check({ ...A, blindIndexKey: randomBytes(32) })).rejects.toThrow(/BLIND_INDEX_KEY is another key/);
    // A read-only look does not switch the database.
    expect(await check(BwithA, { record: false })).toMatchObject({ switching: true, retiredKeyIds: [idOf(A)] });
    await expect(check(A)).resolves.toMatchObject({ switching: false });
  });

  it('once switched: the old key alone and the new key alone are refused until rotation; a rollback is allowed', async () => {
    testDb = await createTestDb();
    await check(A);
    expect(await check(BwithA)).toMatchObject({ switching: true, retiredKeyIds: [idOf(A)] });
    expect(await check(BwithA)).toMatchObject({ switching: false, retiredKeyIds: [idOf(A)] });
    await expect(check(B)).rejects.toThrow(new RegExp(`ENCRYPTION_KEY_PREVIOUS must be the key with id ${idOf(A)}: rows may still be encrypted under it \\(ENCRYPTION_KEY_PREVIOUS is not set`));
    await expect(check(A)).rejects.toThrow(`give the key with id ${idOf(B)} as ENCRYPTION_KEY_PREVIOUS`);
    // A third key cannot start before the rotation to the second one has finished.
    const C: Keys = { encryptionKey: randomBytes(32), previousEncryptionKey: keyB, blindIndexKey };
    await expect(check(C)).rejects.toThrow(new RegExp(`ENCRYPTION_KEY cannot replace the key with id ${idOf(B)} yet: rows may still be encrypted under key id ${idOf(A)}`));
    // Going back: the old key as ENCRYPTION_KEY with the new one as previous switches back.
    expect(await check({ ...A, previousEncryptionKey: keyB })).toMatchObject({ switching: true, retiredKeyIds: [idOf(B)] });
  });

  it('lets the new key run alone once a rotation has found no value under the old one', async () => {
    testDb = await createTestDb();
    const campaignId = await createCampaign(testDb.db, OPEN_CAMPAIGN);
    await check(A);
    await insertSignatures(testDb.db.client, new FieldCrypto(A), campaignId, [syntheticRow(1, Date.UTC(2026, 0, 1))]);
    await check(BwithA);
    const report = await rotateEncryptionKey(testDb.db, new FieldCrypto(BwithA), { actor: ACTOR });
    expect(report).toMatchObject({ remaining: [], retiredKeyIds: [], rotated: { 'signatures.name_enc': 1, 'signatures.phone_enc': 1 } });
    expect(await check(B)).toEqual({ recordedKeyId: idOf(B), switching: false, retiredKeyIds: [] });
    // The old key alone now is simply the wrong key.
    await expect(check(A)).rejects.toThrow(/do not match the keys this database was written with/);
  });

  it('keeps the old key required when a value under it cannot be re-encrypted, and says which row', async () => {
    testDb = await createTestDb();
    const campaignId = await createCampaign(testDb.db, OPEN_CAMPAIGN);
    await check(A);
    const [id] = await insertSignatures(testDb.db.client, new FieldCrypto(A), campaignId, [syntheticRow(2, Date.UTC(2026, 0, 1))]);
    // A damaged value: its ciphertext no longer authenticates.
    await testDb.db.client.execute({ sql: "UPDATE signatures SET comment_enc = substr(name_enc, 1, length(name_enc) - 2) || 'AA' WHERE id = ?", args: [id!] });
    await check(BwithA);
    const report = await rotateEncryptionKey(testDb.db, new FieldCrypto(BwithA), { actor: ACTOR });
    expect(report.failures).toEqual([{ location: 'signatures.comment_enc', row: id, keyId: idOf(A), reason: 'undecryptable' }]);
    expect(report.remaining).toEqual([{ location: 'signatures.comment_enc', keyId: idOf(A), values: 1 }]);
    expect(report.retiredKeyIds).toEqual([idOf(A)]);
    await expect(check(B)).rejects.toThrow(/ENCRYPTION_KEY_PREVIOUS must be the key with id/);
  });
});

describe('a server started from the environment during a rotation', () => {
  it('reads values under ENCRYPTION_KEY_PREVIOUS, writes under ENCRYPTION_KEY, and refuses the new key alone', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'imlu-rotation-server-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const newKey = randomBytes(32);
    const env = (keys: Record<string, Buffer>) => ({
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      PORT: '0',
      LOG_LEVEL: 'silent',
      BLIND_INDEX_KEY: blindIndexKey.toString('base64'),
      ...Object.fromEntries(Object.entries(keys).map(([name, key]) => [name, key.toString('base64')])),
    });
    const start = (keys: Record<string, Buffer>) =>
      startServer({ config: parseEnv(env(keys)), seed: false, partnerSite: false, widgetBundle: path.join(dataDir, 'no-such-embed.js') });

    const first = await start({ ENCRYPTION_KEY: oldKey });
    const hook = await createWebhook(first.db, first.api.services.crypto, { campaignId: await createCampaign(first.db, OPEN_CAMPAIGN), url: 'https://partner.example/hook', events: ['signature.confirmed'], actor: ACTOR });
    await first.close();

    const both = await start({ ENCRYPTION_KEY: newKey, ENCRYPTION_KEY_PREVIOUS: oldKey });
    const crypto = both.api.services.crypto;
    expect([crypto.keyId, crypto.previousKeyId]).toEqual([new FieldCrypto({ encryptionKey: newKey, blindIndexKey }).keyId, new FieldCrypto(OLD).keyId]);
    const row = await both.db.client.execute({ sql: 'SELECT campaign_id, secret_enc FROM webhooks WHERE id = ?', args: [hook.info.id] });
    expect(crypto.decrypt(String(row.rows[0]![1]), String(row.rows[0]![0]), 'webhook-secret')).toBe(hook.secret);
    expect(crypto.isCurrent(crypto.encrypt('x', 'c', 'name'))).toBe(true);
    await both.close();

    await expect(start({ ENCRYPTION_KEY: newKey })).rejects.toThrow(/ENCRYPTION_KEY_PREVIOUS must be the key with id/);
  }, 60_000);
});
