import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestDb, OPEN_CAMPAIGN, type TestDb } from '../../test/helpers.ts';
import { createCampaign } from '../campaigns/create.ts';
import { createDb } from '../db/client.ts';
import type { ThreadClient } from '../db/thread/client.ts';
import { measureWriterThroughput } from './throughput.ts';

let testDb: TestDb;
beforeEach(async () => {
  testDb = await createTestDb();
});
afterEach(() => testDb.cleanup());

const count = async (sql: string) => Number((await testDb.db.client.execute(sql)).rows[0]![0]);

it('writes and counts exactly the requested rows, grouped into shared transactions, each with its idempotency record', async () => {
  const result = await measureWriterThroughput(testDb.db, { rows: 300, submitters: 30 });
  expect(result.rows).toBe(300);
  expect(result.transactions).toBeLessThan(300);
  expect(result.rowsPerSecond).toBeGreaterThan(0);
  expect(result.queued).toBe(0);
  expect(await count("SELECT COUNT(*) FROM signatures WHERE status = 'counted'")).toBe(300);
  expect(await count('SELECT COUNT(*) FROM idempotency_keys k JOIN signatures s ON s.id = k.submission_id')).toBe(300);
});

it('on a campaign that confirms by e-mail, stores pending signatures and queues one confirmation message each', async () => {
  const result = await measureWriterThroughput(testDb.db, { rows: 200, submitters: 20, verification: 'email' });
  expect(result).toMatchObject({ rows: 200, queued: 200 });
  expect(await count("SELECT COUNT(*) FROM signatures WHERE status = 'pending' AND confirm_channel = 'email'")).toBe(200);
  expect(await count("SELECT COUNT(*) FROM outbox WHERE kind = 'confirm-email' AND status = 'pending'")).toBe(200);
  expect(await count("SELECT COUNT(*) FROM signature_dedupe WHERE kind = 'email'")).toBe(200);
  // Every other signer gave a phone number too.
  expect(await count("SELECT COUNT(*) FROM signature_dedupe WHERE kind = 'phone'")).toBe(100);
});

it('writes into an existing campaign that already has signatures, and refuses one that confirms otherwise', async () => {
  const campaignId = await createCampaign(testDb.db, { ...OPEN_CAMPAIGN, verification: 'none' });
  const keys = { encryptionKey: randomBytes(32), blindIndexKey: randomBytes(32) };
  await measureWriterThroughput(testDb.db, { rows: 50, submitters: 10, campaignId, keys });
  // Under the same keys the same signers would be duplicates (and the measurement refuses them): the second
  // run's are the next fifty people, counted on top.
  await expect(measureWriterThroughput(testDb.db, { rows: 5, submitters: 1, campaignId, keys })).rejects.toThrow(/answered duplicate/);
  const second = await measureWriterThroughput(testDb.db, { rows: 50, submitters: 10, campaignId, keys, firstSigner: 50, writer: { maxBatchSize: 7 } });
  expect(second.rows).toBe(50);
  expect(await count("SELECT counted FROM campaign_counts WHERE bucket = 'total'")).toBe(100);
  await expect(measureWriterThroughput(testDb.db, { rows: 10, submitters: 2, campaignId, verification: 'email' })).rejects.toThrow(/confirms by none/);
});

it('stops submitting at maxSeconds and reports, and checks, what it wrote', async () => {
  const result = await measureWriterThroughput(testDb.db, { rows: 2000, submitters: 10, maxSeconds: 0.05 });
  expect(result.rows).toBeGreaterThanOrEqual(10);
  expect(result.rows).toBeLessThanOrEqual(2000);
  expect(await count('SELECT COUNT(*) FROM signatures')).toBe(result.rows);
});

it('says where its transactions spent their time on the database thread when the database times its statements', async () => {
  // Without timing (the default), nothing is reported.
  expect((await measureWriterThroughput(testDb.db, { rows: 20, submitters: 5 })).timings).toBeUndefined();
  const timed = await createDb(testDb.url, undefined, { timeStatements: true });
  try {
    const result = await measureWriterThroughput(timed, { rows: 120, submitters: 12, verification: 'email', writer: { maxBatchSize: 10 } });
    const timings = result.timings!;
    // Only the writer's own transactions: every one of them, each with its BEGIN and COMMIT.
    expect(timings.transactions).toBe(result.transactions);
    const runs = Object.fromEntries(timings.statements.map((s) => [s.label, s.runs]));
    expect(runs).toMatchObject({
      BEGIN: result.transactions,
      COMMIT: result.transactions,
      'INSERT INTO signature_intake': result.transactions,
      'INSERT INTO idempotency_keys': result.transactions,
      'INSERT INTO outbox': result.transactions, // the e-mail campaign's confirmations
      'SELECT … FROM idempotency_keys': result.transactions,
    });
    for (const { ms } of timings.statements) expect(ms).toBeGreaterThanOrEqual(0);
    expect(timings.statements.find((s) => s.label === 'COMMIT')!.ms).toBeGreaterThan(0);
    // A reading starts the next one afresh (the first here has the figures the measurement read after the writer).
    await (timed.client as ThreadClient).statementTimings();
    expect(await (timed.client as ThreadClient).statementTimings()).toEqual({ transactions: 0, statements: [] });
  } finally {
    timed.close();
  }
});
