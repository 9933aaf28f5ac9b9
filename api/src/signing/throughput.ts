/**
 * Raw signature-writer throughput, without HTTP: how many rows per second the writer commits into a
 * migrated database with the production settings, from `submitters` concurrent callers. Used by
 * `api/bench`; it writes `rows` real signatures into whatever database it is given, so give it a
 * scratch one.
 */
import { randomBytes } from 'node:crypto';
import { COUNTY_CODES, type SignRequestParsed } from '@imlu/contracts';
import { createCampaign } from '../campaigns/create.ts';
import type { Db } from '../db/client.ts';
import { FieldCrypto } from './crypto.ts';
import { prepareSubmission } from './prepare.ts';
import { SignatureWriter, type Submission, type WriterOptions } from './writer.ts';

export interface ThroughputOptions {
  rows: number;
  submitters: number;
  writer?: Pick<WriterOptions, 'maxBatchSize' | 'maxWaitMs'>;
}

export interface ThroughputResult {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  transactions: number;
  /** Time spent preparing (encrypting, HMAC-ing) the submissions beforehand, not part of `seconds`. */
  prepareSeconds: number;
}

export async function measureWriterThroughput(db: Db, options: ThroughputOptions): Promise<ThroughputResult> {
  const campaignId = await createCampaign(db, {
    slug: `throughput-${Date.now()}`,
    status: 'open',
    requiresVerification: false,
    consentVersion: 'bench',
    title: { en: 'Throughput', sw: 'Kasi' },
    summary: { en: '-', sw: '-' },
    body: { en: '-', sw: '-' },
  });
  const crypto = new FieldCrypto({ encryptionKey: randomBytes(32), blindIndexKey: randomBytes(32) });
  const campaign = { id: campaignId, verification: 'none' as const, consentVersion: 'bench' };

  // Encryption and HMACs happen up front: this measures the writer and the database only.
  const prepareStarted = performance.now();
  const submissions: Submission[] = Array.from({ length: options.rows }, (_, i) => {
    const input: SignRequestParsed = {
      name: `Writer Signer ${i}`,
      phone: `+2547${String(10_000_000 + i).slice(-8)}`, // distinct valid numbers, in E.164 as the schema hands them on
      email: i % 2 === 0 ? `writer.signer.${i}@example.org` : undefined,
      county: COUNTY_CODES[i % COUNTY_CODES.length],
      consent: { terms: true, publicName: false, shareWithTargets: true, updates: false },
    };
    return prepareSubmission(input, { campaign, crypto, now: Date.now(), origin: null });
  });
  const prepareSeconds = (performance.now() - prepareStarted) / 1000;

  const writer = new SignatureWriter(db.client, options.writer);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.submitters }, async () => {
      while (next < submissions.length) await writer.submit(submissions[next++]!);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await writer.close();

  const counted = await db.client.execute({
    sql: "SELECT counted FROM campaign_counts WHERE campaign_id = ? AND bucket = 'total'",
    args: [campaignId],
  });
  const rows = Number(counted.rows[0]?.[0] ?? 0);
  if (rows !== options.rows) throw new Error(`the writer counted ${rows} rows, expected ${options.rows}`);
  return { rows, seconds, rowsPerSecond: rows / seconds, transactions: writer.stats.batches, prepareSeconds };
}
