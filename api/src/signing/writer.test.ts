import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SignRequestSchema, type SignRequest, type SignRequestParsed } from '@imlu/contracts';
import { createCampaign } from '../campaigns/create.ts';
import { OPEN_CAMPAIGN, TEST_KEYS, createTestDb, type TestDb } from '../../test/helpers.ts';
import { FieldCrypto } from './crypto.ts';
import { prepareSubmission, type SigningCampaign } from './prepare.ts';
import { SignatureWriter, WriterUnavailableError, type CommitInfo, type WriterOptions } from './writer.ts';

const crypto = new FieldCrypto(TEST_KEYS);

let testDb: TestDb;
let campaign: SigningCampaign;
let writer: SignatureWriter;
let commits: CommitInfo[];

function newWriter(options: WriterOptions = {}) {
  commits = [];
  writer = new SignatureWriter(testDb.db.client, { ...options, onCommit: (info) => commits.push(info) });
  return writer;
}

/** A request as the schema hands it on (phone in E.164, defaults filled), as every channel's `sign()` does. */
function input(overrides: Partial<SignRequest> = {}): SignRequestParsed {
  const request: Record<string, unknown> = { name: 'Achieng Odhiambo', phone: '0712345678', county: 'KE-30', consent: { terms: true }, ...overrides };
  for (const key of Object.keys(request)) if (request[key] === undefined) delete request[key];
  return SignRequestSchema.parse(request);
}

function submission(overrides: Partial<SignRequest> = {}, idempotencyKey?: string, target = campaign) {
  return prepareSubmission(input(overrides), { campaign: target, crypto, now: Date.now(), origin: null, idempotencyKey });
}

async function scalar(sql: string, args: (string | number)[] = []): Promise<number> {
  const result = await testDb.db.client.execute({ sql, args });
  return Number(result.rows[0]?.[0] ?? 0);
}

const signatureRows = () => scalar('SELECT COUNT(*) FROM signatures');
const totalCounted = () => scalar("SELECT counted FROM campaign_counts WHERE bucket = 'total' AND campaign_id = ?", [campaign.id]);

beforeEach(async () => {
  testDb = await createTestDb();
  const id = await createCampaign(testDb.db, OPEN_CAMPAIGN);
  campaign = { id, verification: 'none', consentVersion: 'test-v1' };
  newWriter();
});

afterEach(async () => {
  await writer.close();
  testDb.cleanup();
});

describe('SignatureWriter', () => {
  it('answers a small batch no sooner than its floor, wakes onAnswered only after the caller has its answer, and close() waits for held answers', async () => {
    const events: string[] = [];
    newWriter({ onAnswered: (info) => events.push(`answered ${info.submissions}`) });
    // Each alone in its batch: the first sets the floor, the next ones are held to it.
    for (const phone of ['0712000001', '0712000002', '0712000003']) {
      const result = await writer.submit(submission({ phone }));
      events.push(result.outcome);
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(['stored', 'answered 1', 'stored', 'answered 1', 'stored', 'answered 1']);
    // Submitted, then closed at once: close() returns with the answer given.
    let answered = false;
    const last = writer.submit(submission({ phone: '0712000004' })).then(() => (answered = true));
    await writer.close();
    expect(answered).toBe(true);
    await last;
  });

  it('stores 50 concurrent identical signatures once, counts +1, and answers all 50 alike', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => writer.submit(submission())));
    expect(results.filter((r) => r.outcome === 'stored')).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'duplicate')).toHaveLength(49);
    const responses = new Set(results.map((r) => (r.outcome === 'idempotency-conflict' ? 'conflict' : JSON.stringify(r.response))));
    expect([...responses]).toEqual([JSON.stringify({ status: 201, body: '{"status":"counted"}' })]);
    expect(await signatureRows()).toBe(1);
    expect(await totalCounted()).toBe(1);
  });

  it('dedupes across batches too (one row per transaction)', async () => {
    newWriter({ maxBatchSize: 1 });
    const results = await Promise.all(Array.from({ length: 10 }, () => writer.submit(submission())));
    expect(results.filter((r) => r.outcome === 'stored')).toHaveLength(1);
    expect(commits).toHaveLength(10);
    expect(await signatureRows()).toBe(1);
    expect(await totalCounted()).toBe(1);
  });

  it('groups concurrent distinct signatures into fewer transactions, and counts every one', async () => {
    const n = 250;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) => writer.submit(submission({ name: `Signer ${i}`, phone: `+2547${String(10_000_000 + i).slice(-8)}` }))),
    );
    expect(results.every((r) => r.outcome === 'stored')).toBe(true);
    expect(await signatureRows()).toBe(n);
    expect(await totalCounted()).toBe(n);
    // The grouping itself, observed through the commit hook rather than timing.
    expect(commits.length).toBeLessThan(n);
    expect(commits.length).toBeGreaterThanOrEqual(Math.ceil(n / 100));
    expect(commits.every((c) => c.submissions <= 100)).toBe(true);
    expect(commits.reduce((sum, c) => sum + c.inserted, 0)).toBe(n);
    expect(writer.stats).toMatchObject({ batches: commits.length, submissions: n, inserted: n, failedBatches: 0 });
  });

  it('treats a signature as a duplicate if its e-mail OR its phone matches', async () => {
    await writer.submit(submission({ email: 'amina@example.org', phone: '0722000001' }));
    const samePhone = await writer.submit(submission({ email: 'other@example.org', phone: '+254722000001' }));
    const sameEmail = await writer.submit(submission({ email: 'AMINA@example.org', phone: undefined }));
    const neither = await writer.submit(submission({ email: undefined, phone: '0722000002' }));
    expect([samePhone.outcome, sameEmail.outcome, neither.outcome]).toEqual(['duplicate', 'duplicate', 'stored']);
    expect(await signatureRows()).toBe(2);
    expect(await scalar('SELECT COUNT(*) FROM signature_dedupe')).toBe(3);
  });

  it('still stores a signature whose batch-mate was refused for a contact it does not share', async () => {
    await writer.submit(submission({ email: 'known@example.org', phone: '0733000001' }));
    // Same batch: A is refused (its e-mail is known); B shares only A's new phone, so B is new.
    const [a, b] = await Promise.all([
      writer.submit(submission({ email: 'known@example.org', phone: '0733000002' })),
      writer.submit(submission({ email: undefined, phone: '0733000002' })),
    ]);
    expect(a!.outcome).toBe('duplicate');
    expect(b!.outcome).toBe('stored');
  });

  it('decides row by row inside one batch: a refused row indexes none of its contacts', async () => {
    // A is new. B shares A's phone, so B is refused, and B's new e-mail must NOT be indexed, or C (who has
    // only that e-mail) would be refused too.
    const [a, b, c] = await Promise.all([
      writer.submit(submission({ email: 'a@example.org', phone: '0733100001' })),
      writer.submit(submission({ email: 'b@example.org', phone: '0733100001' })),
      writer.submit(submission({ email: 'b@example.org', phone: undefined })),
    ]);
    expect(commits).toHaveLength(1);
    expect([a!.outcome, b!.outcome, c!.outcome]).toEqual(['stored', 'duplicate', 'stored']);
    expect(await scalar('SELECT COUNT(*) FROM signature_dedupe')).toBe(3);
    expect(await totalCounted()).toBe(2);
  });

  it('keeps counts per county and pending apart from counted', async () => {
    const verifying = { ...campaign, verification: 'either' as const };
    await Promise.all([
      writer.submit(submission({ phone: '0711000001', county: 'KE-30' })),
      writer.submit(submission({ phone: '0711000002', county: 'KE-30' })),
      writer.submit(submission({ phone: '0711000003', county: 'KE-17' })),
      writer.submit(submission({ phone: '0711000004', county: undefined })),
      writer.submit(submission({ phone: '0711000005', county: 'KE-17' }, undefined, verifying)),
    ]);
    const rows = await testDb.db.client.execute({
      sql: 'SELECT bucket, counted, pending FROM campaign_counts WHERE campaign_id = ? ORDER BY bucket',
      args: [campaign.id],
    });
    expect(rows.rows.map((r) => [r[0], r[1], r[2]])).toEqual([
      ['KE-17', 1, 1],
      ['KE-30', 2, 0],
      ['total', 4, 1],
    ]);
  });

  it('stores one record per Idempotency-Key and replays it; another body under the same key conflicts', async () => {
    const key = randomUUID();
    const [first, retry] = await Promise.all([writer.submit(submission({}, key)), writer.submit(submission({}, key))]);
    expect(first).toEqual({ outcome: 'stored', response: { status: 201, body: '{"status":"counted"}' } });
    expect(retry).toEqual({ outcome: 'replayed', response: { status: 201, body: '{"status":"counted"}' } });

    // Same key, different body, in one batch with a legitimate new signature: only the latter is stored.
    const [conflict, other] = await Promise.all([
      writer.submit(submission({ phone: '0744000001' }, key)),
      writer.submit(submission({ phone: '0744000002' })),
    ]);
    expect(conflict).toEqual({ outcome: 'idempotency-conflict' });
    expect(other!.outcome).toBe('stored');
    expect(await signatureRows()).toBe(2);
    expect(await scalar('SELECT COUNT(*) FROM idempotency_keys')).toBe(1);
    expect(await totalCounted()).toBe(2);
  });

  it('does not let one bad submission sink its batch: the others are stored, it alone is rejected', async () => {
    const ghost = { ...campaign, id: randomUUID() }; // no such campaign: the foreign key refuses it
    const results = await Promise.allSettled([
      writer.submit(submission({ phone: '0755000001' })),
      writer.submit(submission({ phone: '0755000002' }, undefined, ghost)),
      writer.submit(submission({ phone: '0755000003' })),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(WriterUnavailableError);
    expect(await signatureRows()).toBe(2);
    expect(await totalCounted()).toBe(2);
  });

  it('rejects every caller of a batch whose commit fails, and acknowledges nothing', async () => {
    const pending = [writer.submit(submission({ phone: '0766000001' })), writer.submit(submission({ phone: '0766000002' }))];
    testDb.db.client.close(); // the transaction cannot even begin
    const results = await Promise.allSettled(pending);
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(writer.stats.submissions).toBe(0);
  });

  it('writes everything already submitted on close(), then refuses new work', async () => {
    const pending = Array.from({ length: 20 }, (_, i) => writer.submit(submission({ phone: `07770000${String(i).padStart(2, '0')}` })));
    await writer.close();
    expect(await signatureRows()).toBe(20);
    expect((await Promise.all(pending)).every((r) => r.outcome === 'stored')).toBe(true);
    await expect(writer.submit(submission({ phone: '0777999999' }))).rejects.toBeInstanceOf(WriterUnavailableError);
  });
});

describe('SignatureWriter: the owner of a contact decides (migration 0012)', () => {
  const verifying = () => ({ ...campaign, verification: 'either' as const });
  const pendingTotal = () => scalar("SELECT pending FROM campaign_counts WHERE bucket = 'total' AND campaign_id = ?", [campaign.id]);
  const suspectTotal = () => scalar("SELECT suspect FROM campaign_counts WHERE bucket = 'total' AND campaign_id = ?", [campaign.id]);
  const current = async () =>
    (await testDb.db.client.execute('SELECT id, county, flag FROM signatures WHERE superseded_by IS NULL ORDER BY created_at')).rows.map((r) => [
      String(r[0]),
      r[1],
      r[2],
    ]);
  /** What a recount from the rows gives: the running totals must always equal it. */
  const recount = async () => {
    const row = (
      await testDb.db.client.execute(
        "SELECT SUM(status = 'counted' AND flag IS NULL), SUM(status = 'pending' AND flag IS NULL AND superseded_by IS NULL), SUM(flag IS NOT NULL) FROM signatures",
      )
    ).rows[0]!;
    return { counted: Number(row[0] ?? 0), pending: Number(row[1] ?? 0), suspect: Number(row[2] ?? 0) };
  };
  const totals = async () => ({ counted: await totalCounted(), pending: await pendingTotal(), suspect: await suspectTotal() });

  it('replaces an unconfirmed signature with a later submission for the same contact, across batches and within one', async () => {
    const first = submission({ county: 'KE-47' }, undefined, verifying());
    expect((await writer.submit(first)).outcome).toBe('stored');
    const second = submission({ county: 'KE-30' }, undefined, verifying());
    expect((await writer.submit(second)).outcome).toBe('stored');
    expect(await current()).toEqual([[second.signature.id, 'KE-30', null]]);
    // Within one batch: the last word wins too.
    const [a, b] = [submission({ county: 'KE-01' }, undefined, verifying()), submission({ county: 'KE-02' }, undefined, verifying())];
    await Promise.all([writer.submit(a), writer.submit(b)]);
    expect(commits.at(-1)!.submissions).toBe(2);
    expect(await current()).toEqual([[b.signature.id, 'KE-02', null]]);
    expect(await scalar('SELECT COUNT(*) FROM signatures')).toBe(4);
    expect(await scalar('SELECT COUNT(*) FROM signature_dedupe')).toBe(1);
    // The running totals (total and every county) equal a recount: one pending, nothing else.
    expect(await totals()).toEqual({ counted: 0, pending: 1, suspect: 0 });
    expect(await recount()).toEqual({ counted: 0, pending: 1, suspect: 0 });
    const counties = await testDb.db.client.execute("SELECT bucket, pending FROM campaign_counts WHERE bucket <> 'total' AND pending <> 0");
    expect(counties.rows.map((r) => [r[0], r[1]])).toEqual([['KE-02', 1]]);
    // One confirmation message per stored version that was still current when its batch committed.
    expect(await scalar("SELECT COUNT(*) FROM outbox WHERE kind = 'confirm-sms'")).toBe(3);
  });

  it('never replaces a confirmed signature: a later submission is a duplicate and changes nothing', async () => {
    const owner = submission({ county: 'KE-30' }, undefined, verifying());
    await writer.submit(owner);
    await testDb.db.client.execute({ sql: "UPDATE signatures SET status = 'counted', confirmed_at = 1 WHERE id = ?", args: [owner.signature.id] });
    expect((await writer.submit(submission({ county: 'KE-47' }, undefined, verifying()))).outcome).toBe('duplicate');
    expect(await current()).toEqual([[owner.signature.id, 'KE-30', null]]);
    expect(await totals()).toEqual({ counted: 1, pending: 0, suspect: 0 });
  });

  it('does the same writes for a duplicate as for a new signature, and leaves nothing of them', async () => {
    const owner = submission({ email: 'owner@example.org' }, undefined, verifying());
    await writer.submit(owner);
    await testDb.db.client.execute({ sql: "UPDATE signatures SET status = 'counted', confirmed_at = 1 WHERE id = ?", args: [owner.signature.id] });
    const before = { rows: await scalar('SELECT COUNT(*) FROM signatures'), dedupe: await scalar('SELECT COUNT(*) FROM signature_dedupe'), outbox: await scalar('SELECT COUNT(*) FROM outbox') };
    const changesBefore = await scalar('SELECT total_changes()');
    expect((await writer.submit(submission({ email: 'owner@example.org' }, undefined, verifying()))).outcome).toBe('duplicate');
    // The decoy was written (its row, a message) and deleted again in the transaction.
    expect((await scalar('SELECT total_changes()')) - changesBefore).toBeGreaterThanOrEqual(5);
    expect({ rows: await scalar('SELECT COUNT(*) FROM signatures'), dedupe: await scalar('SELECT COUNT(*) FROM signature_dedupe'), outbox: await scalar('SELECT COUNT(*) FROM outbox') }).toEqual(before);
    expect(await scalar("SELECT COUNT(*) FROM signatures WHERE flag_reason = 'decoy'")).toBe(0);
    expect(await totals()).toEqual({ counted: 1, pending: 0, suspect: 0 });
  });

  it('lets a real signature replace a suspect one, never the other way round', async () => {
    const flooded = { ...submission({ county: 'KE-47' }, undefined, verifying()), suspect: true };
    await writer.submit(flooded);
    expect(await current()).toEqual([[flooded.signature.id, 'KE-47', 'suspect']]);
    const real = submission({ county: 'KE-30' }, undefined, verifying());
    expect((await writer.submit(real)).outcome).toBe('stored');
    expect(await current()).toEqual([[real.signature.id, 'KE-30', null]]);
    // A suspect submission now finds a real one holding the contact: it is not stored at all.
    expect((await writer.submit({ ...submission({ county: 'KE-01' }, undefined, verifying()), suspect: true })).outcome).toBe('duplicate');
    expect(await current()).toEqual([[real.signature.id, 'KE-30', null]]);
    // The suspect row is kept for review, and only the real one is pending.
    expect(await totals()).toEqual({ counted: 0, pending: 1, suspect: 1 });
    expect(await recount()).toEqual(await totals());
  });

  it('lets the owner of a contact that a confirmed signature never proved take it', async () => {
    // Confirmed by e-mail: its phone was typed, never proved.
    const byEmail = submission({ email: 'someone@example.org', phone: '0712345678' }, undefined, verifying());
    await writer.submit(byEmail);
    await testDb.db.client.execute({ sql: "UPDATE signatures SET status = 'counted', confirmed_at = 1 WHERE id = ?", args: [byEmail.signature.id] });
    const phoneOwner = submission({ email: undefined, phone: '+254712345678' }, undefined, verifying());
    expect((await writer.submit(phoneOwner)).outcome).toBe('stored');
    const rows = await testDb.db.client.execute('SELECT id, status, email_enc IS NOT NULL, phone_enc IS NOT NULL, phone_hash IS NOT NULL FROM signatures ORDER BY created_at');
    expect(rows.rows.map((r) => [String(r[0]), r[1], r[2], r[3], r[4]])).toEqual([
      [byEmail.signature.id, 'counted', 1, 0, 0],
      [phoneOwner.signature.id, 'pending', 0, 1, 1],
    ]);
    // The e-mail it did prove still binds.
    expect((await writer.submit(submission({ email: 'SOMEONE@example.org', phone: undefined }, undefined, verifying()))).outcome).toBe('duplicate');
    expect(await totals()).toEqual({ counted: 1, pending: 1, suspect: 0 });
  });

  it('never stores a keyed retry twice: the retry replays the first answer instead of replacing it', async () => {
    const key = randomUUID();
    const first = submission({}, key, verifying());
    expect((await writer.submit(first)).outcome).toBe('stored');
    const retry = await writer.submit(submission({}, key, verifying()));
    expect(retry).toEqual({ outcome: 'replayed', response: first.response });
    expect(await current()).toEqual([[first.signature.id, 'KE-30', null]]);
    expect(await scalar("SELECT COUNT(*) FROM outbox")).toBe(1);
  });

  it('keeps different names on one phone apart, and holds one more than the family limit for review (no confirmation)', async () => {
    const names = ['Achieng Odhiambo', 'Otieno Odhiambo', 'Akinyi Odhiambo'];
    for (const name of names) expect((await writer.submit(submission({ name }))).outcome).toBe('stored');
    // The same name written differently is the same signer.
    expect((await writer.submit(submission({ name: 'achieng  ODHIAMBO' }))).outcome).toBe('duplicate');
    expect(await totals()).toEqual({ counted: 2, pending: 0, suspect: 1 });
    const held = await testDb.db.client.execute('SELECT flag, flag_reason FROM signatures WHERE flag IS NOT NULL');
    expect(held.rows.map((r) => [r[0], r[1]])).toEqual([['suspect', 'household']]);
  });
});
