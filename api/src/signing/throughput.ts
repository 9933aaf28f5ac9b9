/**
 * Raw signature-writer throughput, without HTTP: how many rows per second the writer commits into a
 * migrated database with the production settings, from `submitters` concurrent callers. Used by
 * `api/bench`; it writes `rows` real signatures into whatever database it is given, so give it a
 * scratch one (or a copy of a pre-filled one, with `campaignId`).
 *
 * The submissions are the HTTP path's, built the same way: the benchmark's signer bodies
 * (`benchSignerBody`, which the HTTP phases send too) parsed by the request schema, prepared by
 * `prepareSubmission` with an Idempotency-Key each (as the widget sends), the partner origin, the source
 * address and the soft limits as the benchmark's server runs them (off). So the writer runs the statements
 * a signing request runs, including, on a campaign that confirms by e-mail, the confirmation enqueue.
 */
import { randomBytes } from 'node:crypto';
import { COUNTY_CODES, SignRequestSchema } from '@imlu/contracts';
import { DEFAULT_RATE_LIMITS, type RateLimitConfig } from '../abuse/rate-limit.ts';
import { createCampaign } from '../campaigns/create.ts';
import type { Keys } from '../config/keys.ts';
import type { Db } from '../db/client.ts';
import { ThreadClient, type StatementTimings } from '../db/thread/client.ts';
import { FieldCrypto } from './crypto.ts';
import { prepareSubmission, type SigningCampaign } from './prepare.ts';
import { SignatureWriter, type Submission, type WriterOptions } from './writer.ts';

export type ThroughputVerification = 'none' | 'email';

export interface ThroughputOptions {
  rows: number;
  submitters: number;
  /**
   * Stop submitting after this long, whatever is left: on a database where the writer has fallen off a cliff,
   * `rows` could take an hour. `rows` in the result says how many were written.
   */
  maxSeconds?: number;
  /**
   * How the campaign confirms. `email`: every signature is stored pending and queues a confirmation
   * message in the same transaction. Default `none` (counted at once).
   */
  verification?: ThroughputVerification;
  /** Write into this campaign (say, one pre-filled with a million signatures) instead of a new one. */
  campaignId?: string;
  /** The keys the database was written with; default: new random keys (nothing is read back). */
  keys?: Pick<Keys, 'encryptionKey' | 'blindIndexKey'>;
  /** Number of the first signer (`benchSignerBody`); default 0. Another run into the same campaign starts past the last. */
  firstSigner?: number;
  /** The partner origin stored with each signature, as the widget's `Origin` header; default none. */
  origin?: string | null;
  writer?: Pick<WriterOptions, 'maxBatchSize' | 'maxWaitMs'>;
}

export interface ThroughputResult {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  transactions: number;
  /** Confirmation messages the writer queued (0 on a campaign that does not confirm). */
  queued: number;
  /** Time spent preparing (encrypting, HMAC-ing) the submissions beforehand, not part of `seconds`. */
  prepareSeconds: number;
  /**
   * Where the writer's transactions spent their time on the database thread, when the database was opened
   * with `timeStatements` (`pnpm bench`); undefined otherwise.
   */
  timings?: StatementTimings | undefined;
}

/**
 * The benchmark's `i`-th signer as the widget sends it: a new name and a distinct valid Kenyan mobile
 * number (0710000000 upwards: Safaricom's 071x range), a county, consent, a language. On a campaign that
 * confirms by e-mail every signer gives an address and every other one a phone number too.
 */
export function benchSignerBody(i: number, verification: ThroughputVerification): Record<string, unknown> {
  const email = verification === 'email';
  return {
    name: `Bench Signer ${i}`,
    ...(email ? { email: `bench.signer.${i}@example.org` } : {}),
    ...(!email || i % 2 === 0 ? { phone: `07${String(10_000_000 + i)}` } : {}),
    county: COUNTY_CODES[i % COUNTY_CODES.length],
    consent: { terms: true, shareWithTargets: i % 2 === 0 },
    locale: i % 3 === 0 ? 'sw' : 'en',
  };
}

/**
 * The soft limits as the benchmark's server runs them (`RATE_LIMIT_*=0`, since one load generator is one
 * source): off, so nothing is hashed for them, but their settings still travel to the intake trigger.
 */
const BENCH_RATE_LIMITS: RateLimitConfig = {
  ...DEFAULT_RATE_LIMITS,
  hardPerMinute: null,
  soft: { ...DEFAULT_RATE_LIMITS.soft, ipBurst: null, ipWindow: null, domainBurst: null, domainWindow: null },
};

/** The writer under test. Kept to this one line so a change in how the writer is made changes only here. */
const openWriter = (db: Db, options: ThroughputOptions['writer']) => new SignatureWriter(db.client, options);

export async function measureWriterThroughput(db: Db, options: ThroughputOptions): Promise<ThroughputResult> {
  const verification = options.verification ?? 'none';
  const campaignId =
    options.campaignId ??
    (await createCampaign(db, {
      slug: `throughput-${Date.now()}`,
      status: 'open',
      verification,
      consentVersion: 'bench',
      title: { en: 'Throughput', sw: 'Kasi' },
      summary: { en: '-', sw: '-' },
      body: { en: '-', sw: '-' },
    }));
  const row = (await db.client.execute({ sql: 'SELECT verification, consent_version, phone_household FROM campaigns WHERE id = ?', args: [campaignId] })).rows[0];
  if (!row) throw new Error(`no campaign ${campaignId}`);
  if (row[0] !== verification) throw new Error(`campaign ${campaignId} confirms by ${String(row[0])}, not ${verification}`);
  const campaign: SigningCampaign = { id: campaignId, verification, consentVersion: String(row[1]), phoneHousehold: Number(row[2]) };
  const crypto = new FieldCrypto(options.keys ?? { encryptionKey: randomBytes(32), blindIndexKey: randomBytes(32) });
  const before = await figures(db, campaignId);

  // Validation, encryption and HMACs happen up front: this measures the writer and the database only.
  const prepareStarted = performance.now();
  const submissions: Submission[] = Array.from({ length: options.rows }, (_, i) =>
    prepareSubmission(SignRequestSchema.parse(benchSignerBody((options.firstSigner ?? 0) + i, verification)), {
      campaign,
      crypto,
      now: Date.now(),
      origin: options.origin ?? null,
      idempotencyKey: `writer-${i}-${randomBytes(6).toString('base64url')}`,
      sourceIp: '127.0.0.1',
      rateLimits: BENCH_RATE_LIMITS,
      suspect: false,
    }),
  );
  const prepareSeconds = (performance.now() - prepareStarted) / 1000;

  // Timings (when the database thread keeps them) of the writer's own transactions only.
  const timed = db.client instanceof ThreadClient ? db.client : undefined;
  await timed?.statementTimings();
  const writer = openWriter(db, options.writer);
  let next = 0;
  let seconds: number;
  try {
    const started = performance.now();
    const deadline = started + (options.maxSeconds ?? Infinity) * 1000;
    await Promise.all(
      Array.from({ length: options.submitters }, async () => {
        while (next < submissions.length && performance.now() < deadline) {
          const result = await writer.submit(submissions[next++]!);
          if (result.outcome !== 'stored') {
            next = submissions.length; // the other submitters stop too
            throw new Error(`a new signer was answered ${result.outcome}`);
          }
        }
      }),
    );
    seconds = (performance.now() - started) / 1000;
  } finally {
    await writer.close();
  }
  const timings = await timed?.statementTimings();

  // Every row stored, counted once (pending when it waits for its e-mail), keyed, and messaged.
  const after = await figures(db, campaignId);
  const rows = after.signatures - before.signatures;
  const submitted = Math.min(next, submissions.length);
  const expect = (what: string, got: number) => {
    if (got !== submitted) throw new Error(`the writer left ${got} ${what} for ${submitted} submissions`);
  };
  expect('new signature rows', rows);
  expect('new counts', after.counted + after.pending - before.counted - before.pending);
  expect('new idempotency records', after.keys - before.keys);
  const queued = after.messages - before.messages;
  if (verification === 'email') expect('confirmation messages', queued);
  return {
    rows,
    seconds,
    rowsPerSecond: rows / seconds,
    transactions: writer.stats.batches,
    queued,
    prepareSeconds,
    timings: timings?.transactions ? timings : undefined,
  };
}

async function figures(db: Db, campaignId: string) {
  const [signatures, counts, keys, messages] = await db.client.batch(
    [
      { sql: 'SELECT COUNT(*) FROM signatures WHERE campaign_id = ?', args: [campaignId] },
      { sql: "SELECT counted, pending FROM campaign_counts WHERE campaign_id = ? AND bucket = 'total'", args: [campaignId] },
      { sql: 'SELECT COUNT(*) FROM idempotency_keys WHERE campaign_id = ?', args: [campaignId] },
      { sql: "SELECT COUNT(*) FROM outbox WHERE campaign_id = ? AND kind IN ('confirm-email', 'confirm-sms')", args: [campaignId] },
    ],
    'read',
  );
  return {
    signatures: Number(signatures!.rows[0]![0]),
    counted: Number(counts!.rows[0]?.[0] ?? 0),
    pending: Number(counts!.rows[0]?.[1] ?? 0),
    keys: Number(keys!.rows[0]![0]),
    messages: Number(messages!.rows[0]![0]),
  };
}
