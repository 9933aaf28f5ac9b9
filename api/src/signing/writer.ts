/**
 * The signature writer: the ONE path by which signatures reach the database.
 *
 * Callers `await writer.submit(submission)`. Concurrent submissions are grouped into one `batch(…,
 * 'write')` transaction (at most `maxBatchSize` rows, or whatever arrived within `maxWaitMs` of the first),
 * and every caller is answered only after that transaction committed — or rejected if it failed, so
 * nothing acknowledged is ever lost. One fsync then covers up to a hundred signatures instead of one.
 *
 * Correctness does not depend on this process being the only writer: every decision is made by the SQL
 * itself, inside the transaction, so several API nodes writing to one sqld server stay correct.
 * - A signature row is inserted only `WHERE NOT EXISTS` a blind-index row for any of its contacts
 *   (a signature with both e-mail and phone is a duplicate if either matches), and its blind-index rows
 *   are inserted only if the signature row now exists.
 * - An idempotency record is inserted `ON CONFLICT DO NOTHING`; a signature carrying a key is inserted
 *   only if no record for that key holds a different body, and each keyed caller reads back the record
 *   that won.
 * - Count deltas are computed by SQL from the signature rows that really exist among this batch's ids,
 *   and applied to the running totals with an upsert; no COUNT(*) over the table, no `+1` per request.
 * Whether each statement changed a row (`rowsAffected`) tells each caller what happened.
 */
import type { Client, InStatement, InValue, ResultSet } from '@libsql/client';
import type { Logger } from '../logging/logger.ts';
import { silentLogger } from '../logging/logger.ts';

export type SignatureStatus = 'counted' | 'pending';

/** A signature row as stored: personal fields already encrypted. */
export interface SignatureRow {
  id: string;
  campaignId: string;
  status: SignatureStatus;
  nameEnc: string;
  emailEnc: string | null;
  phoneEnc: string | null;
  commentEnc: string | null;
  county: string | null;
  locale: string | null;
  consentTerms: boolean;
  consentPublicName: boolean;
  consentShareWithTargets: boolean;
  consentUpdates: boolean;
  consentVersion: string;
  consentAt: number;
  origin: string | null;
  sourceRef: string | null;
  createdAt: number;
}

export interface DedupeKey {
  kind: 'email' | 'phone';
  hmac: Uint8Array;
}

/** The HTTP answer for a signature, stored with an idempotency key and replayed on a retry. */
export interface StoredResponse {
  status: number;
  body: string;
}

export interface Submission {
  signature: SignatureRow;
  /** One or two blind-index keys (e-mail and/or phone). */
  dedupeKeys: DedupeKey[];
  idempotency?: { keyHmac: Uint8Array; bodyHmac: Uint8Array } | undefined;
  /** What to answer (and store under the idempotency key) if this submission is accepted. */
  response: StoredResponse;
}

export type SubmitResult =
  /** `stored`: a new signature; `duplicate`: one of its contacts had already signed; `replayed`: the
   * idempotency key had already been used with the same body. The HTTP answer is the same for all three. */
  | { outcome: 'stored' | 'duplicate' | 'replayed'; response: StoredResponse }
  | { outcome: 'idempotency-conflict' };

/** A row of `campaign_counts` as read back after a commit. */
export interface CountRow {
  campaignId: string;
  bucket: string;
  counted: number;
  pending: number;
  version: number;
  updatedAt: number;
}

export interface CommitInfo {
  submissions: number;
  inserted: number;
  /** Current totals of every campaign touched by the batch, read inside the same transaction. */
  counts: CountRow[];
}

export interface WriterStats {
  /** Committed write transactions. */
  batches: number;
  /** Submissions answered from committed transactions. */
  submissions: number;
  /** New signature rows. */
  inserted: number;
  /** Transactions that failed (their callers were rejected). */
  failedBatches: number;
}

export interface WriterOptions {
  /** Most submissions in one transaction. Default 100. */
  maxBatchSize?: number;
  /** How long the first submission of an idle writer waits for company. Default 2 ms. */
  maxWaitMs?: number;
  /** Clock for `updated_at` of the counts. */
  now?: () => number;
  /** Called after every commit, before the callers are resolved (used to refresh the counts snapshot). */
  onCommit?: (info: CommitInfo) => void;
  logger?: Logger;
}

/** The submission could not be written; the caller may retry (with the same Idempotency-Key). */
export class WriterUnavailableError extends Error {
  override name = 'WriterUnavailableError';
}

interface Pending {
  submission: Submission;
  resolve: (result: SubmitResult) => void;
  reject: (error: Error) => void;
}

export class SignatureWriter {
  readonly #client: Client;
  readonly #maxBatchSize: number;
  readonly #maxWaitMs: number;
  readonly #now: () => number;
  readonly #onCommit: ((info: CommitInfo) => void) | undefined;
  readonly #logger: Logger;
  readonly #stats: WriterStats = { batches: 0, submissions: 0, inserted: 0, failedBatches: 0 };
  #queue: Pending[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #draining: Promise<void> | undefined;
  #closed = false;

  constructor(client: Client, options: WriterOptions = {}) {
    this.#client = client;
    this.#maxBatchSize = Math.max(1, options.maxBatchSize ?? 100);
    this.#maxWaitMs = Math.max(0, options.maxWaitMs ?? 2);
    this.#now = options.now ?? Date.now;
    this.#onCommit = options.onCommit;
    this.#logger = options.logger ?? silentLogger;
  }

  get stats(): Readonly<WriterStats> {
    return { ...this.#stats };
  }

  /** Resolves after the transaction holding this submission committed; rejects if it did not. */
  submit(submission: Submission): Promise<SubmitResult> {
    if (this.#closed) return Promise.reject(new WriterUnavailableError('the signature writer is shut down'));
    if (submission.dedupeKeys.length < 1 || submission.dedupeKeys.length > 2) {
      return Promise.reject(new Error('a submission needs one or two dedupe keys'));
    }
    return new Promise<SubmitResult>((resolve, reject) => {
      this.#queue.push({ submission, resolve, reject });
      this.#schedule();
    });
  }

  /** Refuses new submissions, then writes everything already submitted. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#draining || this.#queue.length) await (this.#draining ?? this.#drain());
  }

  #schedule(): void {
    // While a transaction runs, new submissions collect in the queue; #drain takes them when it ends.
    if (this.#draining) return;
    if (this.#queue.length >= this.#maxBatchSize) {
      if (this.#timer) clearTimeout(this.#timer);
      this.#timer = undefined;
      void this.#drain();
    } else if (!this.#timer) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        void this.#drain();
      }, this.#maxWaitMs);
    }
  }

  #drain(): Promise<void> {
    if (this.#draining) return this.#draining;
    this.#draining = (async () => {
      try {
        // Submissions that arrived during the previous transaction have already waited that long, so the
        // next batch starts at once rather than after another maxWaitMs.
        while (this.#queue.length) {
          const batch = this.#queue.splice(0, this.#maxBatchSize);
          await this.#write(batch);
        }
      } finally {
        this.#draining = undefined;
      }
    })();
    return this.#draining;
  }

  async #write(batch: Pending[]): Promise<void> {
    try {
      const results = await this.#commit(batch.map((p) => p.submission));
      batch.forEach((p, i) => p.resolve(results[i]!));
    } catch (error) {
      this.#stats.failedBatches++;
      const code = (error as { code?: string }).code;
      // One submission that violates a constraint (say, its campaign was deleted a moment ago) must not
      // take the others down with it: retry each alone. Other errors (I/O, lock timeout) would fail the
      // same way again, so those callers are rejected at once.
      if (batch.length > 1 && typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT')) {
        this.#logger.warn('signature batch hit a constraint, retrying one by one', { size: batch.length, code });
        for (const pending of batch) await this.#write([pending]);
        return;
      }
      this.#logger.error('signature batch failed', { size: batch.length, code: code ?? (error as Error).name });
      const failure = new WriterUnavailableError('the signature could not be stored', { cause: error });
      for (const pending of batch) pending.reject(failure);
    }
  }

  async #commit(submissions: Submission[]): Promise<SubmitResult[]> {
    const now = this.#now();
    const statements: InStatement[] = [];
    const plans: { idempotencyAt?: number; signatureAt?: number; readbackAt?: number }[] = [];
    const attemptedIds: string[] = [];
    const campaignIds = new Set<string>();
    // In-memory dedupe within the batch, an optimisation only: a submission whose contact set equals that
    // of an earlier un-keyed submission in this batch would be refused by the SQL guard anyway, so its
    // INSERTs are skipped. Only equal sets qualify: if the earlier one is refused because of a contact this
    // one does not have, this one must still be tried.
    const seenContactSets = new Set<string>();

    for (const submission of submissions) {
      const { signature, dedupeKeys, idempotency, response } = submission;
      campaignIds.add(signature.campaignId);
      const plan: (typeof plans)[number] = {};
      if (idempotency) {
        plan.idempotencyAt = statements.push({
          sql: INSERT_IDEMPOTENCY,
          args: [signature.campaignId, idempotency.keyHmac, idempotency.bodyHmac, response.status, response.body, now],
        }) - 1;
      }
      const contactSet = `${signature.campaignId}|${dedupeKeys.map((k) => Buffer.from(k.hmac).toString('base64')).sort().join('|')}`;
      if (!seenContactSets.has(contactSet)) {
        if (!idempotency) seenContactSets.add(contactSet);
        plan.signatureAt = statements.push(insertSignature(signature, dedupeKeys, idempotency)) - 1;
        attemptedIds.push(signature.id);
        for (const key of dedupeKeys) {
          statements.push({
            sql: INSERT_DEDUPE,
            args: [signature.campaignId, key.hmac, key.kind, signature.id, signature.id],
          });
        }
      }
      plans.push(plan);
    }

    if (attemptedIds.length) {
      const placeholders = attemptedIds.map(() => '?').join(', ');
      statements.push({ sql: upsertCounts('total', placeholders), args: [now, ...attemptedIds] });
      statements.push({ sql: upsertCounts('county', placeholders), args: [now, ...attemptedIds] });
    }
    // Keyed callers whose record already existed learn which body it holds, and what was answered then.
    submissions.forEach((submission, i) => {
      if (!submission.idempotency) return;
      plans[i]!.readbackAt = statements.push({
        sql: 'SELECT body_hmac, status, response FROM idempotency_keys WHERE campaign_id = ? AND key_hmac = ?',
        args: [submission.signature.campaignId, submission.idempotency.keyHmac],
      }) - 1;
    });
    const countsAt = statements.push({
      sql: `SELECT campaign_id, bucket, counted, pending, version, updated_at FROM campaign_counts WHERE campaign_id IN (${[...campaignIds].map(() => '?').join(', ')})`,
      args: [...campaignIds],
    }) - 1;

    const results = await this.#client.batch(statements, 'write');

    let inserted = 0;
    const outcomes = submissions.map((submission, i): SubmitResult => {
      const plan = plans[i]!;
      const stored = plan.signatureAt !== undefined && results[plan.signatureAt]!.rowsAffected === 1;
      if (stored) inserted++;
      if (plan.readbackAt !== undefined && !(plan.idempotencyAt !== undefined && results[plan.idempotencyAt]!.rowsAffected === 1)) {
        const row = results[plan.readbackAt]!.rows[0];
        if (!row) throw new Error('idempotency record missing after insert');
        if (!bytesEqual(row[0] as ArrayBuffer, submission.idempotency!.bodyHmac)) return { outcome: 'idempotency-conflict' };
        return { outcome: 'replayed', response: { status: Number(row[1]), body: String(row[2]) } };
      }
      return { outcome: stored ? 'stored' : 'duplicate', response: submission.response };
    });

    this.#stats.batches++;
    this.#stats.submissions += submissions.length;
    this.#stats.inserted += inserted;
    const counts = readCountRows(results[countsAt]!);
    try {
      this.#onCommit?.({ submissions: submissions.length, inserted, counts });
    } catch (error) {
      // The data is committed; a failing observer must not turn that into an error for the signers.
      this.#logger.error('onCommit observer failed', { error: (error as Error).name });
    }
    return outcomes;
  }
}

const SIGNATURE_COLUMNS = [
  'id',
  'campaign_id',
  'status',
  'name_enc',
  'email_enc',
  'phone_enc',
  'comment_enc',
  'county',
  'locale',
  'consent_terms',
  'consent_public_name',
  'consent_share_with_targets',
  'consent_updates',
  'consent_version',
  'consent_at',
  'origin',
  'source_ref',
  'created_at',
] as const;

const INSERT_IDEMPOTENCY =
  'INSERT INTO idempotency_keys (campaign_id, key_hmac, body_hmac, status, response, created_at) VALUES (?, ?, ?, ?, ?, ?) ' +
  'ON CONFLICT (campaign_id, key_hmac) DO NOTHING';

// The EXISTS guard makes the blind-index rows follow the signature row: nothing is indexed for a
// signature that the dedupe guard refused. (`ON CONFLICT` after `INSERT … SELECT` needs the WHERE.)
const INSERT_DEDUPE =
  'INSERT INTO signature_dedupe (campaign_id, key_hmac, kind, signature_id) ' +
  'SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM signatures WHERE id = ?) ON CONFLICT DO NOTHING';

const insertSignatureSql = new Map<string, string>();

function insertSignature(row: SignatureRow, keys: DedupeKey[], idempotency: Submission['idempotency']): InStatement {
  const variant = `${keys.length}:${idempotency ? 'keyed' : 'plain'}`;
  let sql = insertSignatureSql.get(variant);
  if (!sql) {
    sql =
      `INSERT INTO signatures (${SIGNATURE_COLUMNS.join(', ')}) SELECT ${SIGNATURE_COLUMNS.map(() => '?').join(', ')} ` +
      `WHERE NOT EXISTS (SELECT 1 FROM signature_dedupe WHERE campaign_id = ? AND key_hmac IN (${keys.map(() => '?').join(', ')}))` +
      (idempotency
        ? ' AND NOT EXISTS (SELECT 1 FROM idempotency_keys WHERE campaign_id = ? AND key_hmac = ? AND body_hmac <> ?)'
        : '');
    insertSignatureSql.set(variant, sql);
  }
  const args: InValue[] = [
    row.id,
    row.campaignId,
    row.status,
    row.nameEnc,
    row.emailEnc,
    row.phoneEnc,
    row.commentEnc,
    row.county,
    row.locale,
    row.consentTerms ? 1 : 0,
    row.consentPublicName ? 1 : 0,
    row.consentShareWithTargets ? 1 : 0,
    row.consentUpdates ? 1 : 0,
    row.consentVersion,
    row.consentAt,
    row.origin,
    row.sourceRef,
    row.createdAt,
    row.campaignId,
    ...keys.map((k) => k.hmac),
  ];
  if (idempotency) args.push(row.campaignId, idempotency.keyHmac, idempotency.bodyHmac);
  return { sql, args };
}

/**
 * Adds this batch's new signatures to the running totals. The deltas are computed from the rows that
 * exist among the batch's ids, i.e. exactly those the guarded INSERTs wrote (ids are fresh random UUIDs).
 */
function upsertCounts(kind: 'total' | 'county', idPlaceholders: string): string {
  const bucket = kind === 'total' ? "'total'" : 'county';
  const groupBy = kind === 'total' ? 'campaign_id' : 'campaign_id, county';
  const countyFilter = kind === 'total' ? '' : ' AND county IS NOT NULL';
  return (
    'INSERT INTO campaign_counts (campaign_id, bucket, counted, pending, version, updated_at) ' +
    `SELECT campaign_id, ${bucket}, SUM(status = 'counted'), SUM(status = 'pending'), 1, ? ` +
    `FROM signatures WHERE id IN (${idPlaceholders})${countyFilter} GROUP BY ${groupBy} ` +
    'ON CONFLICT (campaign_id, bucket) DO UPDATE SET ' +
    'counted = campaign_counts.counted + excluded.counted, ' +
    'pending = campaign_counts.pending + excluded.pending, ' +
    'version = campaign_counts.version + 1, ' +
    'updated_at = MAX(campaign_counts.updated_at, excluded.updated_at)'
  );
}

export function readCountRows(result: ResultSet): CountRow[] {
  return result.rows.map((row) => ({
    campaignId: String(row[0]),
    bucket: String(row[1]),
    counted: Number(row[2]),
    pending: Number(row[3]),
    version: Number(row[4]),
    updatedAt: Number(row[5]),
  }));
}

function bytesEqual(a: ArrayBuffer | Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a instanceof Uint8Array ? a : new Uint8Array(a)).equals(b);
}
