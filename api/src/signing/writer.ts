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
 * - All signatures of a batch go into the `signature_intake` view in one multi-row INSERT; its trigger
 *   (`src/db/sql/triggers/signature_intake_insert.sql`) decides, row by row and in order, what the owner of a contact would want: a
 *   submission is stored unless a contact of it is bound by a confirmed signature that proved it (or, for
 *   a suspect submission, by any signature that is not suspect); once stored, it supersedes the
 *   unconfirmed holders of its contacts — the latest word of whoever holds the phone or mailbox replaces
 *   details nobody has confirmed — and takes their place in the blind index. A later submission in the
 *   same batch supersedes an earlier one exactly as across batches.
 * - Idempotency records are inserted first, `ON CONFLICT DO NOTHING`; a signature carrying a key is
 *   inserted only if the record for that key is its own (a retry is never stored twice), and each keyed
 *   caller reads back the record that won.
 * - Count deltas are computed by SQL from the signature rows that really exist among this batch's ids,
 *   and applied to the running totals with an upsert; no COUNT(*) over the table, no `+1` per request.
 *   Rows superseded later are taken out again by the counts trigger (`src/db/sql/triggers/signature_counts_on_update.sql`).
 * - Confirmation messages go into the `outbox` in the same transaction: one for every signature this batch
 *   stored that waits for confirmation, while its contact has had fewer than
 *   `MAX_CONFIRMATIONS_PER_CONTACT_PER_DAY` messages in the last 24 hours (across every version of its
 *   signature), so a stranger cannot turn the campaign into a way to flood someone's phone.
 * A batch is about seven statements whatever its size: @libsql/client's cost per statement, not SQLite's
 * per row, is what limits small inserts (measured here: several times the rows/s of per-row statements).
 */
import type { Client, InStatement, InValue, ResultSet } from '@libsql/client';
import { AnswerFloor } from './answer-floor.ts';
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
  /** How a pending signature is confirmed; null for campaigns without verification. */
  confirmChannel: ConfirmChannel | null;
  /** Keyed hash of the source IP (never the IP), for per-source limits; null when unknown or exempt. */
  sourceHash?: Uint8Array | null;
  /** Keyed hash of the e-mail domain, for per-domain limits; null without e-mail or for exempt domains. */
  domainHash?: Uint8Array | null;
  /** Keyed hash of the E.164 phone number (family-phone limit, message cap); null without a phone. */
  phoneHash?: Uint8Array | null;
}

/**
 * Soft limits per campaign, applied in SQL by the intake trigger (`src/db/sql/triggers/signature_intake_insert.sql`): a signature whose
 * source (or e-mail domain) already has `burst` signatures in the campaign within `burstMs`, or `window`
 * within `windowMs`, is stored as suspect. `null` turns a limit off.
 */
export interface RateLimits {
  ipBurst: number | null;
  ipBurstMs: number;
  ipWindow: number | null;
  ipWindowMs: number;
  domainBurst: number | null;
  domainBurstMs: number;
  domainWindow: number | null;
  domainWindowMs: number;
}

export type ConfirmChannel = 'email' | 'sms';

/** Confirmation messages to one contact (e-mail address or phone number) in any 24 hours, per campaign. */
export const MAX_CONFIRMATIONS_PER_CONTACT_PER_DAY = 5;
export const CONFIRMATION_CAP_WINDOW_MS = 24 * 60 * 60 * 1000;

/** A contact's blind index: the canonical e-mail address, or the phone number together with the name. */
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
  /** Limits in force for this submission (see `RateLimits`); absent = none. */
  rateLimits?: RateLimits | undefined;
  /**
   * Bot friction tripped (honeypot filled, or sent faster than the minimum fill time): stored as `suspect`
   * by the intake trigger, answered like any other signature.
   */
  suspect?: boolean | undefined;
  /** Names that may sign from one phone number (`campaigns.phone_household`); default 2. */
  household?: number | undefined;
  /** What to answer (and store under the idempotency key) if this submission is accepted. */
  response: StoredResponse;
  /** A pledge (issue 16): the actions pledged (distinct ids of the campaign's actions) and whether to remind. */
  pledge?: { actionIds: string[]; remind: boolean } | undefined;
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
  /** Messages queued in the outbox by this transaction. */
  queued: number;
  /** Submissions of this batch to campaigns that confirm, stored or not (whether a message was queued). */
  confirming: number;
  /** Current totals of every campaign touched by the batch, read inside the same transaction. */
  counts: CountRow[];
  /** Current figures of the pledge actions of the campaigns whose pledges this batch carried. */
  actionCounts: ActionCountRow[];
}

/** A row of `pledge_action_counts` as read back for the counts snapshot. */
export interface ActionCountRow {
  actionId: string;
  campaignId: string;
  pledged: number;
  reminded: number;
  kept: number;
  cant: number;
  version: number;
}

/** The columns `readActionCountRows` reads, in its order. */
export const ACTION_COUNT_COLUMNS = 'action_id, campaign_id, pledged, reminded, kept, cant, version';

export function readActionCountRows(result: ResultSet): ActionCountRow[] {
  return result.rows.map((row) => ({
    actionId: String(row[0]),
    campaignId: String(row[1]),
    pledged: Number(row[2]),
    reminded: Number(row[3]),
    kept: Number(row[4]),
    cant: Number(row[5]),
    version: Number(row[6]),
  }));
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

/** Whether writes are getting through, for readiness (`/ready`): a full disk or a foreign lock shows here. */
export interface WriterHealth {
  /** Server time of the first failure of the current run of failed transactions; null when the last one committed. */
  failingSince: number | null;
  /** Server time of the last committed transaction; null before the first. */
  lastCommitAt: number | null;
}

export interface WriterOptions {
  /** Most submissions in one transaction. Default 100. */
  maxBatchSize?: number;
  /** How long the first submission of an idle writer waits for company. Default 2 ms. */
  maxWaitMs?: number;
  /** Clock for `updated_at` of the counts. */
  now?: () => number;
  /**
   * How long a batch may wait for a write lock held by another process (a CLI command, `sqlite3`) before its
   * signers are answered 503 with `Retry-After`; on an embedded database only. Default 1,000 ms: a signer on
   * a phone is better served by "try again" in a second than by a spinner for the connection's 5 s.
   */
  busyTimeoutMs?: number;
  /** Called after every commit, before the callers are resolved (used to refresh the counts snapshot). */
  onCommit?: (info: CommitInfo) => void;
  /**
   * Called once the callers of a committed batch have been answered (after any hold, ./answer-floor.ts), for
   * work that must not delay or shape their answers: waking the outbox worker.
   */
  onAnswered?: (info: CommitInfo) => void;
  logger?: Logger;
}

/** The submission could not be written; the caller may retry (with the same Idempotency-Key). */
export class WriterUnavailableError extends Error {
  override name = 'WriterUnavailableError';
}

type BatchWithin = (stmts: InStatement[], mode: 'write', options: { busyTimeoutMs: number }) => Promise<ResultSet[]>;

interface Pending {
  submission: Submission;
  resolve: (result: SubmitResult) => void;
  reject: (error: Error) => void;
}

export class SignatureWriter {
  readonly #client: Client;
  readonly #maxBatchSize: number;
  readonly #maxWaitMs: number;
  readonly #busyTimeoutMs: number;
  readonly #now: () => number;
  readonly #onCommit: ((info: CommitInfo) => void) | undefined;
  readonly #onAnswered: ((info: CommitInfo) => void) | undefined;
  readonly #logger: Logger;
  readonly #stats: WriterStats = { batches: 0, submissions: 0, inserted: 0, failedBatches: 0 };
  readonly #health: WriterHealth = { failingSince: null, lastCommitAt: null };
  readonly #answerFloor = new AnswerFloor();
  /** Answers written and committed, waiting for their floor. */
  readonly #held = new Set<Promise<void>>();
  #queue: Pending[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #draining: Promise<void> | undefined;
  #closed = false;

  constructor(client: Client, options: WriterOptions = {}) {
    this.#client = client;
    this.#maxBatchSize = Math.max(1, options.maxBatchSize ?? 100);
    this.#maxWaitMs = Math.max(0, options.maxWaitMs ?? 2);
    this.#busyTimeoutMs = Math.max(0, options.busyTimeoutMs ?? 1000);
    this.#now = options.now ?? Date.now;
    this.#onCommit = options.onCommit;
    this.#onAnswered = options.onAnswered;
    this.#logger = options.logger ?? silentLogger;
  }

  get stats(): Readonly<WriterStats> {
    return { ...this.#stats };
  }

  get health(): Readonly<WriterHealth> {
    return { ...this.#health };
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
    await Promise.all(this.#held);
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
      const started = performance.now();
      const { outcomes: results, info } = await this.#commit(batch.map((p) => p.submission));
      this.#health.failingSince = null;
      this.#health.lastCommitAt = Date.now();
      const answer = () => {
        batch.forEach((p, i) => p.resolve(results[i]!));
        // After the answers have gone out (the resolutions above run first, as microtasks).
        if (this.#onAnswered) setImmediate(() => this.#observe('onAnswered', info));
      };
      // A small batch's answers leave no sooner than most small batches take, so that their time does not
      // tell a new signature from a duplicate (./answer-floor.ts). The writer goes on with the next batch.
      const hold = this.#answerFloor.hold(batch.length, performance.now() - started);
      if (hold > 0) {
        const held = new Promise<void>((resolve) => setTimeout(resolve, hold)).then(answer);
        this.#held.add(held);
        void held.finally(() => this.#held.delete(held));
      } else {
        answer();
      }
    } catch (error) {
      this.#stats.failedBatches++;
      this.#health.failingSince ??= Date.now();
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

  /** Calls an observer; the data is committed, so a failing observer must not turn that into an error for the signers. */
  #observe(name: 'onCommit' | 'onAnswered', info: CommitInfo): void {
    try {
      (name === 'onCommit' ? this.#onCommit : this.#onAnswered)?.(info);
    } catch (error) {
      this.#logger.error(`${name} observer failed`, { error: (error as Error).name });
    }
  }

  async #commit(submissions: Submission[]): Promise<{ outcomes: SubmitResult[]; info: CommitInfo }> {
    const now = this.#now();
    const statements: InStatement[] = [];
    const campaignIds = [...new Set(submissions.map((s) => s.signature.campaignId))];
    const keyed = submissions.filter((s) => s.idempotency);

    // 1. Idempotency records first, so the intake's guard sees every key of this batch; the first
    //    submission with a given key wins, the others read that record back (step 5).
    if (keyed.length) {
      statements.push({
        sql:
          'INSERT INTO idempotency_keys (campaign_id, key_hmac, body_hmac, status, response, submission_id, created_at) ' +
          `VALUES ${keyed.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')} ON CONFLICT (campaign_id, key_hmac) DO NOTHING`,
        args: keyed.flatMap((s) => [
          s.signature.campaignId,
          s.idempotency!.keyHmac,
          s.idempotency!.bodyHmac,
          s.response.status,
          s.response.body,
          s.signature.id,
          now,
        ]),
      });
    }

    // 2. Every signature of the batch in ONE statement; the intake trigger stores, supersedes
    //    or refuses each in order (see the header). No in-memory shortcut for equal contacts: a later
    //    submission must replace an earlier one of the same batch, as it would across batches.
    const attempted = submissions;
    statements.push({
      sql: `INSERT INTO signature_intake (${INTAKE_COLUMNS.join(', ')}) VALUES ${attempted.map(() => INTAKE_ROW).join(', ')}`,
      args: attempted.flatMap(intakeArgs),
    });

    // 3. Count deltas from the rows that now exist among this batch's ids: exactly those inserted
    //    (ids are fresh UUIDv7s, never reused), so the totals move by what was really written.
    const ids = attempted.map((s) => s.signature.id);
    const idList = ids.map(() => '?').join(', ');
    statements.push({ sql: upsertCounts('total', idList), args: [now, ...ids] });
    statements.push({ sql: upsertCounts('county', idList), args: [now, ...ids] });
    // 3a. Every batch writes, whatever it stored: the campaigns' total rows are touched (their version
    //     grows; the published figures do not change). A batch of duplicates otherwise changes no page and
    //     its commit skips the fsync, so a duplicate would be answered measurably sooner than a new
    //     signature — a timing oracle for "has this contact signed?" (issue 10, docs/performance.md).
    statements.push({
      sql: `UPDATE campaign_counts SET version = version + 1 WHERE bucket = 'total' AND campaign_id IN (${campaignIds.map(() => '?').join(', ')})`,
      args: campaignIds,
    });

    // 3b. Confirmation messages for the signatures of this batch that were stored and still wait (a later
    //     one of the same batch may have superseded an earlier one). Only campaigns that confirm carry a channel.
    const confirming = submissions.filter((s) => s.signature.confirmChannel !== null).map((s) => s.signature.id);
    const outboxAt = confirming.length ? statements.push(enqueueConfirmations(confirming, now)) - 1 : undefined;

    // 3c. A pledge's commitments, for the signatures of this batch that were really stored (a duplicate's
    //     submission stores none and is answered the same). Whenever the batch carries pledges, stored or
    //     not, this statement runs with all of them, so a duplicate pledge costs what a new one does. The
    //     figures follow by trigger (`src/db/sql/triggers/pledge_counts_on_insert.sql`).
    const pledges = submissions.flatMap((s) => (s.pledge ? s.pledge.actionIds.map((actionId) => [s.signature.id, actionId, s.signature.campaignId, s.pledge!.remind ? 1 : 0]) : []));
    let actionCountsAt: number | undefined;
    if (pledges.length) {
      statements.push({
        sql:
          'INSERT INTO pledge_commitments (signature_id, action_id, campaign_id, state, remind, created_at) ' +
          "SELECT v.column1, v.column2, v.column3, 'pledged', v.column4, ? " +
          `FROM (VALUES ${pledges.map(() => '(?, ?, ?, ?)').join(', ')}) AS v ` +
          'WHERE EXISTS (SELECT 1 FROM signatures WHERE id = v.column1) ON CONFLICT DO NOTHING',
        args: [now, ...pledges.flat()],
      });
      const pledgeCampaigns = [...new Set(submissions.filter((s) => s.pledge).map((s) => s.signature.campaignId))];
      actionCountsAt =
        statements.push({
          sql: `SELECT ${ACTION_COUNT_COLUMNS} FROM pledge_action_counts WHERE campaign_id IN (${pledgeCampaigns.map(() => '?').join(', ')})`,
          args: pledgeCampaigns,
        }) - 1;
    }

    // 4. Which signatures were inserted.
    const insertedAt = statements.push({ sql: `SELECT id FROM signatures WHERE id IN (${idList})`, args: ids }) - 1;

    // 5. The idempotency record that won for each key of this batch, one statement per campaign:
    //    `campaign_id = ? AND key_hmac IN (…)` searches the unique index on both columns, where the
    //    row-value form `(campaign_id, key_hmac) IN (VALUES …)` made SQLite search by campaign alone — every
    //    key of the campaign on every batch (190 ms at a million keys; test/query-plans.test.ts).
    const recordsAt: number[] = [];
    for (const campaignId of new Set(keyed.map((s) => s.signature.campaignId))) {
      const keys = keyed.filter((s) => s.signature.campaignId === campaignId).map((s) => s.idempotency!.keyHmac);
      recordsAt.push(
        statements.push({
          sql:
            'SELECT campaign_id, key_hmac, body_hmac, status, response, submission_id FROM idempotency_keys ' +
            `WHERE campaign_id = ? AND key_hmac IN (${keys.map(() => '?').join(', ')})`,
          args: [campaignId, ...keys],
        }) - 1,
      );
    }

    // 6. The current totals of the campaigns touched, for the counts snapshot.
    const countsAt =
      statements.push({
        sql: `SELECT campaign_id, bucket, counted, pending, version, updated_at FROM campaign_counts WHERE campaign_id IN (${campaignIds.map(() => '?').join(', ')})`,
        args: campaignIds,
      }) - 1;

    // The third argument is the database thread's (`src/db/thread/client.ts`); a network client ignores it.
    const results = await (this.#client.batch as BatchWithin).call(this.#client, statements, 'write', { busyTimeoutMs: this.#busyTimeoutMs });

    const inserted = new Set(results[insertedAt]!.rows.map((row) => String(row[0])));
    const records = new Map(
      recordsAt.flatMap((at) => results[at]!.rows).map((row) => [
        recordKey(String(row[0]), row[1] as ArrayBuffer),
        { bodyHmac: row[2] as ArrayBuffer, status: Number(row[3]), response: String(row[4]), submissionId: String(row[5]) },
      ]),
    );
    const outcomes = submissions.map((submission): SubmitResult => {
      const { signature, idempotency, response } = submission;
      const stored = inserted.has(signature.id);
      if (idempotency) {
        const record = records.get(recordKey(signature.campaignId, idempotency.keyHmac));
        if (!record) throw new Error('idempotency record missing after insert');
        if (!bytesEqual(record.bodyHmac, idempotency.bodyHmac)) return { outcome: 'idempotency-conflict' };
        if (record.submissionId !== signature.id) {
          return { outcome: 'replayed', response: { status: record.status, body: record.response } };
        }
      }
      return { outcome: stored ? 'stored' : 'duplicate', response };
    });

    this.#stats.batches++;
    this.#stats.submissions += submissions.length;
    this.#stats.inserted += inserted.size;
    const counts = readCountRows(results[countsAt]!);
    const queued = outboxAt === undefined ? 0 : results[outboxAt]!.rowsAffected;
    const actionCounts = actionCountsAt === undefined ? [] : readActionCountRows(results[actionCountsAt]!);
    const info: CommitInfo = { submissions: submissions.length, inserted: inserted.size, queued, confirming: confirming.length, counts, actionCounts };
    this.#observe('onCommit', info);
    return { outcomes, info };
  }
}

/** Columns of the `signature_intake` view (`src/db/sql/views/signature_intake.sql`): a signature row plus its HMACs. */
const INTAKE_COLUMNS = [
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
  'confirm_channel',
  'source_hash',
  'domain_hash',
  'phone_hash',
  'email_hmac',
  'phone_hmac',
  'idempotency_key_hmac',
  'idempotency_body_hmac',
  'rate_limits',
] as const;
const INTAKE_ROW = `(${INTAKE_COLUMNS.map(() => '?').join(', ')})`;

function intakeArgs({ signature: row, dedupeKeys, idempotency, rateLimits, suspect, household }: Submission): InValue[] {
  return [
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
    row.confirmChannel,
    row.sourceHash ?? null,
    row.domainHash ?? null,
    row.phoneHash ?? null,
    dedupeKeys.find((k) => k.kind === 'email')?.hmac ?? null,
    dedupeKeys.find((k) => k.kind === 'phone')?.hmac ?? null,
    idempotency?.keyHmac ?? null,
    idempotency?.bodyHmac ?? null,
    JSON.stringify({ ...rateLimits, ...(suspect ? { suspect: 1 } : {}), household: household ?? 2 }),
  ];
}

/**
 * Queues one confirmation message for each of these signatures that was stored, waits for confirmation,
 * is not suspect and was not superseded, unless its contact already had
 * `MAX_CONFIRMATIONS_PER_CONTACT_PER_DAY` messages in the last 24 hours. The payload names the recipient
 * only by the signature's encrypted envelope; `contact_hmac` (the contact's keyed hash, already in the
 * blind index) lets the cap count messages across versions. Outbox ids are random.
 */
function enqueueConfirmations(ids: string[], now: number): InStatement {
  return {
    sql:
      'INSERT INTO outbox (id, kind, campaign_id, signature_id, payload, status, attempts, next_attempt_at, created_at, contact_hmac) ' +
      "SELECT lower(hex(randomblob(16))), 'confirm-' || x.confirm_channel, x.campaign_id, x.id, " +
      "json_object('to', CASE x.confirm_channel WHEN 'email' THEN x.email_enc ELSE x.phone_enc END, 'locale', COALESCE(x.locale, 'en')), " +
      "'pending', 0, ?, ?, x.contact FROM (" +
      'SELECT s.id, s.campaign_id, s.confirm_channel, s.email_enc, s.phone_enc, s.locale, ' +
      "CASE s.confirm_channel WHEN 'email' THEN (SELECT d.key_hmac FROM signature_dedupe d WHERE d.signature_id = s.id AND d.kind = 'email') " +
      'ELSE s.phone_hash END AS contact FROM signatures s ' +
      `WHERE s.id IN (${ids.map(() => '?').join(', ')}) AND s.status = 'pending' AND s.flag IS NULL AND s.superseded_by IS NULL ` +
      'AND s.confirm_channel IS NOT NULL) x ' +
      "WHERE (SELECT COUNT(*) FROM outbox o WHERE o.campaign_id = x.campaign_id AND o.contact_hmac = x.contact AND o.kind IN ('confirm-email', 'confirm-sms') " +
      'AND o.created_at > ?) < ?',
    args: [now, now, ...ids, now - CONFIRMATION_CAP_WINDOW_MS, MAX_CONFIRMATIONS_PER_CONTACT_PER_DAY],
  };
}

function recordKey(campaignId: string, keyHmac: ArrayBuffer | Uint8Array): string {
  return `${campaignId}|${Buffer.from(keyHmac instanceof Uint8Array ? keyHmac : new Uint8Array(keyHmac)).toString('base64')}`;
}

/**
 * Adds this batch's new signatures to the running totals, grouped per campaign (bucket `total`) or per
 * campaign and county. `ON CONFLICT` after `INSERT … SELECT` needs the SELECT's WHERE, which it has.
 */
function upsertCounts(kind: 'total' | 'county', idPlaceholders: string): string {
  const bucket = kind === 'total' ? "'total'" : 'county';
  const groupBy = kind === 'total' ? 'campaign_id' : 'campaign_id, county';
  const countyFilter = kind === 'total' ? '' : ' AND county IS NOT NULL';
  return (
    'INSERT INTO campaign_counts (campaign_id, bucket, counted, pending, suspect, version, updated_at) ' +
    `SELECT campaign_id, ${bucket}, SUM(status = 'counted' AND flag IS NULL), SUM(status = 'pending' AND flag IS NULL), ` +
    'SUM(flag IS NOT NULL), 1, ? ' +
    `FROM signatures WHERE id IN (${idPlaceholders})${countyFilter} GROUP BY ${groupBy} ` +
    'ON CONFLICT (campaign_id, bucket) DO UPDATE SET ' +
    'counted = campaign_counts.counted + excluded.counted, ' +
    'pending = campaign_counts.pending + excluded.pending, ' +
    'suspect = campaign_counts.suspect + excluded.suspect, ' +
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
