/**
 * The benchmark's pre-filled database (`bench/prefill.ts`) must look like what the signature writer leaves
 * behind, or the benchmark on it measures something no deployment has: these check the rows agree with
 * each other, the schema is left as the migrations made it, and the server's start-up checks and the writer
 * accept the file.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BENCH_SLUGS, campaignFigures, prefillDatabase } from '../bench/prefill.ts';
import { backfillPhoneNameKeys } from '../src/db/backfill.ts';
import { verifyKeyFingerprint } from '../src/db/key-check.ts';
import { FieldCrypto } from '../src/signing/crypto.ts';
import { measureWriterThroughput } from '../src/signing/throughput.ts';
import { createTestDb, type TestDb } from './helpers.ts';

let testDb: TestDb;
beforeEach(async () => {
  testDb = await createTestDb();
});
afterEach(() => testDb.cleanup());

const ROWS = 250;
const keys = () => ({ encryptionKey: randomBytes(32), blindIndexKey: randomBytes(32) });
const one = async (sql: string, args: (string | number)[] = []) => Number((await testDb.db.client.execute({ sql, args })).rows[0]![0]);
const schema = async () => (await testDb.db.client.execute("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name")).rows.map((r) => [r[0], r[1], r[2]]);

describe.each(['none', 'email'] as const)('a campaign that %s', (verification) => {
  it('holds the signatures with their blind-index rows, idempotency records, counts and messages, as the writer leaves them', async () => {
    const before = await schema();
    const result = await prefillDatabase(testDb.db, { verification, rows: ROWS, keys: keys() });
    expect(result).toMatchObject({ rows: ROWS, slug: BENCH_SLUGS[verification] });
    expect(await schema()).toEqual(before);

    const figures = await campaignFigures(testDb.db, result.campaignId);
    const email = verification === 'email';
    expect(figures).toEqual({
      signatures: ROWS,
      counted: email ? ROWS - ROWS / 5 : ROWS,
      pending: email ? ROWS / 5 : 0,
      suspect: 0,
      idempotencyKeys: ROWS,
      confirmations: email ? ROWS : 0,
      confirmationsSent: email ? ROWS : 0,
    });
    const id = result.campaignId;
    // The county buckets add up to the total, as the writer's count deltas do.
    expect(await one("SELECT SUM(counted) + SUM(pending) FROM campaign_counts WHERE campaign_id = ? AND bucket <> 'total'", [id])).toBe(ROWS);
    // One blind-index row per contact, each pointing at its signature; the phone's key is not the bare phone hash.
    expect(await one('SELECT COUNT(*) FROM signatures WHERE campaign_id = ? AND phone_enc IS NOT NULL', [id])).toBe(email ? ROWS / 2 : ROWS);
    expect(await one("SELECT COUNT(*) FROM signature_dedupe d JOIN signatures s ON s.id = d.signature_id WHERE d.kind = 'phone' AND s.phone_enc IS NOT NULL", [])).toBe(
      email ? ROWS / 2 : ROWS,
    );
    expect(await one("SELECT COUNT(*) FROM signature_dedupe d JOIN signatures s ON s.id = d.signature_id WHERE d.kind = 'email' AND s.email_enc IS NOT NULL")).toBe(
      email ? ROWS : 0,
    );
    expect(await one('SELECT COUNT(*) FROM idempotency_keys k JOIN signatures s ON s.id = k.submission_id AND s.created_at = k.created_at')).toBe(ROWS);
    expect(await one('SELECT COUNT(DISTINCT id) FROM signatures')).toBe(ROWS);
    if (email) {
      expect(await one("SELECT COUNT(*) FROM signatures WHERE confirm_channel = 'email' AND confirmation_sends = 1")).toBe(ROWS);
      expect(await one("SELECT COUNT(*) FROM outbox o JOIN signature_dedupe d ON d.signature_id = o.signature_id AND d.kind = 'email' AND d.key_hmac = o.contact_hmac")).toBe(ROWS);
    }
    expect(await one('SELECT COUNT(*) FROM signing_attempts')).toBe(0);
    expect((await testDb.db.client.execute('PRAGMA foreign_key_check')).rows).toEqual([]);
    expect(await one('PRAGMA foreign_keys')).toBe(1);
  });

  it('passes the server start-up checks, decrypts, and takes new signatures from the writer', async () => {
    const prefillKeys = keys();
    const { campaignId } = await prefillDatabase(testDb.db, { verification, rows: ROWS, keys: prefillKeys });
    const crypto = new FieldCrypto(prefillKeys);
    await expect(verifyKeyFingerprint(testDb.db, crypto)).resolves.toMatchObject({ switching: false });
    expect(await backfillPhoneNameKeys(testDb.db, crypto)).toBe(0);
    const name = (await testDb.db.client.execute({ sql: 'SELECT name_enc FROM signatures WHERE campaign_id = ? LIMIT 1', args: [campaignId] })).rows[0]![0];
    expect(crypto.decrypt(String(name), campaignId, 'name')).toMatch(/^Prefill Signer \d+$/);

    const written = await measureWriterThroughput(testDb.db, { rows: 100, submitters: 10, verification, campaignId, keys: prefillKeys });
    expect(written.rows).toBe(100);
    expect((await campaignFigures(testDb.db, campaignId)).signatures).toBe(ROWS + 100);
  });
});
