/**
 * `pnpm --filter @imlu/api bench:signer-lookup`: what finding a contact's signatures costs (`/me`,
 * `imlu signer`, `src/signer/records.ts`) in a campaign of BENCH_LOOKUP_ROWS (default 100,000) signatures.
 *
 * A phone number is found by `signatures.phone_hash` in every status. The family-phone index holds counted
 * rows only, so the lookup reads the campaign's rows; this measures that, then the same lookup with a full
 * `(campaign_id, phone_hash)` index (created here, in the throwaway file only — not a migration; the query
 * alone, without the index hint) and the e-mail lookup (a seek in the blind index). It prints the query plans
 * and the medians; it asserts nothing.
 *
 * Local files only; never part of the test suite.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { createCampaign } from '../src/campaigns/create.ts';
import { createDb, migrateDb } from '../src/db/client.ts';
import { findByContact } from '../src/signer/records.ts';
import { FieldCrypto } from '../src/signing/crypto.ts';
import { canonicalEmail } from '../src/signing/normalise.ts';
import { OPEN_CAMPAIGN } from '../test/helpers.ts';
import { insertSignatures, syntheticRow } from '../test/synthetic.ts';

const ROWS = Number(process.env['BENCH_LOOKUP_ROWS'] ?? 100_000);
const RUNS = 30;

async function median(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(RUNS / 2)]!;
}

const dir = mkdtempSync(path.join(tmpdir(), 'imlu-bench-lookup-'));
try {
  const crypto = new FieldCrypto({ encryptionKey: randomBytes(32), blindIndexKey: randomBytes(32) });
  const db = await createDb(`file:${path.join(dir, 'bench.db')}`);
  await migrateDb(db);
  const start = Date.UTC(2026, 10, 1);
  const campaignId = await createCampaign(db, OPEN_CAMPAIGN, start);
  const phone = '+254712345678';
  const email = 'wanjiru.kamau@example.org';
  await insertSignatures(db.client, crypto, campaignId, (function* () {
    for (let i = 0; i < ROWS; i++) yield syntheticRow(i, start);
  })());
  // Every row a phone hash (as the writer stores it); one of them is the contact looked up, with an e-mail too.
  await db.client.execute('UPDATE signatures SET phone_hash = randomblob(32)');
  const [target] = (await db.client.execute({ sql: 'SELECT id FROM signatures ORDER BY created_at LIMIT 1 OFFSET ?', args: [Math.floor(ROWS / 2)] })).rows;
  const id = String(target![0]);
  await db.client.batch(
    [
      { sql: 'UPDATE signatures SET phone_hash = ?, email_enc = ? WHERE id = ?', args: [crypto.blindIndex('phone', campaignId, phone), crypto.encrypt(email, campaignId, 'email'), id] },
      { sql: "INSERT INTO signature_dedupe (campaign_id, key_hmac, kind, signature_id) VALUES (?, ?, 'email', ?)", args: [campaignId, crypto.blindIndex('email', campaignId, canonicalEmail(email)), id] },
    ],
    'write',
  );

  const plan = async (sql: string, args: unknown[]) =>
    (await db.client.execute({ sql: `EXPLAIN QUERY PLAN ${sql}`, args: args as never[] })).rows.map((r) => String(r['detail'])).join('; ');
  const phoneSql =
    'SELECT s.id FROM signatures AS s INDEXED BY signatures_campaign_created_idx JOIN campaigns c ON c.id = s.campaign_id WHERE s.campaign_id = ? AND s.phone_hash = ?';
  const proposedSql = 'SELECT s.id FROM signatures s JOIN campaigns c ON c.id = s.campaign_id WHERE s.campaign_id = ? AND s.phone_hash = ?';
  const phoneArgs = [campaignId, crypto.blindIndex('phone', campaignId, phone)];

  const found = await findByContact(db.client, crypto, { kind: 'phone', value: phone });
  if (found.length !== 1) throw new Error(`expected one signature, found ${found.length}`);
  const scanPlan = await plan(phoneSql, phoneArgs);
  const scanMs = await median(() => findByContact(db.client, crypto, { kind: 'phone', value: phone }));
  const emailMs = await median(() => findByContact(db.client, crypto, { kind: 'email', value: canonicalEmail(email) }));

  await db.client.execute('CREATE INDEX bench_phone_all_idx ON signatures (campaign_id, phone_hash)');
  const seekPlan = await plan(proposedSql, phoneArgs);
  const seekMs = await median(() => db.client.execute({ sql: proposedSql, args: phoneArgs }));
  db.close();

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`signer lookup, one campaign of ${ROWS.toLocaleString('en-GB')} signatures, ${cpus().length} × ${cpu}, median of ${RUNS}:`);
  console.log(`  by phone, as shipped:            ${scanMs.toFixed(2)} ms   (${scanPlan})`);
  console.log(`  by phone, with a full index (proposed, the query alone): ${seekMs.toFixed(2)} ms   (${seekPlan})`);
  console.log(`  by e-mail (blind-index seek):    ${emailMs.toFixed(2)} ms`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
