/**
 * The outbox worker: sends what the signature writer queued in the `outbox` table, in the API process,
 * never inside a request.
 *
 * - Claiming is ONE `UPDATE … RETURNING` statement that marks due messages `sending` with a lease
 *   (`locked_until`), so two workers (two API nodes) never take the same message, and a message whose
 *   worker died mid-send is taken again once its lease has run out: a message committed before a crash is
 *   sent after the restart (at least once — a crash between the provider's "accepted" and our `sent` mark
 *   can repeat one message, which for a confirmation is harmless).
 * - A failure is retried with exponential backoff and full jitter (`base · 2^(attempt-1)`, capped, then a
 *   random point in its upper half), so a provider that comes back is not hit by every message at once.
 *   A permanent failure (the provider refused this recipient) or too many attempts mark it `failed` —
 *   except a confirmation whose retries ran out on temporary errors (a provider outage of hours): that one
 *   is `stalled`, and sent again once the provider is back (`stalled.ts`), so its signature does not stay
 *   pending for good.
 * - Once a message is `sent`, `skipped`, `stalled` or `failed`, its payload (the encrypted recipient) is
 *   emptied: the outbox keeps no contact data longer than it needs to.
 * Logs name the message id, kind and error code only, never a recipient.
 */
import type { Client, InArgs } from '@libsql/client';
import type { Logger } from '../logging/logger.ts';
import { silentLogger } from '../logging/logger.ts';
import { channelOf, reviveStalled, stallingKindOf, STALLING_KINDS, type Channel, type StallingKind } from './stalled.ts';

export const OUTBOX_KINDS = ['confirm-email', 'confirm-sms', 'webhook', 'manage-email', 'manage-sms', 'update-email', 'update-sms', 'delivery-email', 'staff-email', 'pledge-reminder-email', 'pledge-reminder-sms'] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

/** A claimed message as a handler receives it. */
export interface OutboxMessage {
  id: string;
  kind: OutboxKind;
  campaignId: string;
  signatureId: string | null;
  /**
   * Parsed `payload` JSON: `to` is an encrypted envelope, never a clear address. Webhook messages carry
   * the webhook id, the event name and, for events not built from a signature row, the event's data.
   * Manage-my-signature messages carry the request's `nonce`, from which the code is derived. Pledge
   * reminders carry the action's id and which reminder it is (`before` or `day`).
   */
  payload: {
    to?: string;
    locale?: string;
    webhookId?: string;
    event?: string;
    data?: Record<string, unknown>;
    nonce?: string;
    updateEventId?: string;
    actionId?: string;
    reminder?: string;
  };
  /** This attempt's number, from 1. */
  attempt: number;
}

/**
 * `sent`: handed to the provider (optionally with the provider's message id, to match delivery reports);
 * `skipped`: nothing to send any more (e.g. already confirmed); `deferUntil`: not now (an update SMS
 * outside 08:00–20:00 Nairobi time): back to the queue until then, without counting as an attempt.
 */
export type HandlerOutcome = 'sent' | 'skipped' | { providerRef: string } | { deferUntil: number };
export type MessageHandler = (message: OutboxMessage) => Promise<HandlerOutcome>;

/** Thrown by a handler. `permanent` failures are not retried; `code` is logged and stored, never a text. */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  constructor(
    readonly code: string,
    readonly permanent: boolean,
    options?: { cause?: unknown },
  ) {
    super(`delivery failed: ${code}`, options);
  }
}

export interface OutboxWorkerOptions {
  /** Senders per kind. Messages of a kind without a handler stay queued (nothing is lost). */
  handlers: Partial<Record<OutboxKind, MessageHandler>>;
  clock?: () => number;
  logger?: Logger;
  /** Messages claimed per round. Default 20. */
  batchSize?: number;
  /** How often an idle worker looks for due messages. Default 1 s (a commit wakes it at once). */
  pollMs?: number;
  /** How long a claimed message is reserved for its worker. Default 2 min. */
  leaseMs?: number;
  /** Attempts before a message is marked failed. Default 12 (about 6 hours of retries). */
  maxAttempts?: number;
  /** First retry delay. Default 30 s. */
  baseDelayMs?: number;
  /** Longest retry delay. Default 1 h. */
  maxDelayMs?: number;
  /** Source of jitter in [0, 1). Default Math.random. */
  random?: () => number;
  /**
   * While confirmations are stalled and nothing else goes out through their provider, the longest-stalled one
   * is tried again this often (if it goes out, the rest follow). Default 10 min.
   */
  stalledProbeMs?: number;
}

export interface RoundResult {
  claimed: number;
  sent: number;
  skipped: number;
  retried: number;
  failed: number;
  deferred: number;
  /** Confirmations whose retries ran out on temporary errors (see `stalled.ts`). */
  stalled: number;
  /** Stalled confirmations queued again because their provider took a message again (or a probe). */
  revived: number;
}

/** Delay before attempt `attempt + 1`: exponential, capped, with jitter over its upper half. */
export function retryDelay(attempt: number, options: { baseDelayMs: number; maxDelayMs: number; random: () => number }): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * options.random());
}

export class OutboxWorker {
  readonly #client: Client;
  readonly #handlers: Partial<Record<OutboxKind, MessageHandler>>;
  readonly #clock: () => number;
  readonly #logger: Logger;
  readonly #batchSize: number;
  readonly #pollMs: number;
  readonly #leaseMs: number;
  readonly #maxAttempts: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #random: () => number;
  readonly #stalledProbeMs: number;
  /** Channels that may have stalled confirmations; all are unknown at start, and one is dropped once checked empty. */
  readonly #maybeStalled = new Set<Channel>(['email', 'sms']);
  #nextProbeAt = 0;
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #woken = false;

  constructor(client: Client, options: OutboxWorkerOptions) {
    this.#client = client;
    this.#handlers = options.handlers;
    this.#clock = options.clock ?? Date.now;
    this.#logger = options.logger ?? silentLogger;
    this.#batchSize = Math.max(1, options.batchSize ?? 20);
    this.#pollMs = Math.max(1, options.pollMs ?? 1000);
    this.#leaseMs = options.leaseMs ?? 2 * 60_000;
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? 12);
    this.#baseDelayMs = options.baseDelayMs ?? 30_000;
    this.#maxDelayMs = options.maxDelayMs ?? 60 * 60_000;
    this.#random = options.random ?? Math.random;
    this.#stalledProbeMs = options.stalledProbeMs ?? 10 * 60_000;
  }

  /** The kinds this worker can send. */
  get kinds(): OutboxKind[] {
    return OUTBOX_KINDS.filter((kind) => this.#handlers[kind]);
  }

  /** Starts the background loop (idempotent). */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Wakes an idle loop at once (called after a commit queued messages). */
  notify(): void {
    this.#woken = true;
    this.#wake?.();
  }

  /** Stops the loop after the round in progress (its sends finish and are recorded). */
  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    await this.#loop;
    this.#loop = undefined;
  }

  async #run(): Promise<void> {
    while (this.#running) {
      let full = false;
      try {
        const round = await this.runOnce();
        full = round.claimed === this.#batchSize;
      } catch (error) {
        // The database is unreachable or busy: try again at the next poll; queued messages wait.
        this.#logger.warn('outbox round failed', { error: (error as Error).name, code: (error as { code?: string }).code });
      }
      if (!this.#running) break;
      if (full || this.#woken) {
        this.#woken = false;
        continue;
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        this.#timer = setTimeout(resolve, this.#pollMs);
      });
      clearTimeout(this.#timer);
      this.#wake = undefined;
      this.#woken = false;
    }
  }

  /** Claims the due messages (at most `batchSize`), sends them, records the outcomes. */
  async runOnce(): Promise<RoundResult> {
    const result: RoundResult = { claimed: 0, sent: 0, skipped: 0, retried: 0, failed: 0, deferred: 0, stalled: 0, revived: 0 };
    const kinds = this.kinds;
    if (!kinds.length) return result;
    const now = this.#clock();
    await this.#probeStalled(kinds, now, result);
    const claimed = await this.#client.execute(claimStatement(kinds, { now, leaseUntil: now + this.#leaseMs, batchSize: this.#batchSize }));
    result.claimed = claimed.rows.length;
    const messages = claimed.rows.map(
      (row): OutboxMessage => ({
        id: String(row[0]),
        kind: String(row[1]) as OutboxKind,
        campaignId: String(row[2]),
        signatureId: row[3] === null ? null : String(row[3]),
        payload: parsePayload(String(row[4])),
        attempt: Number(row[5]),
      }),
    );
    const delivered = new Set<Channel>();
    await Promise.all(messages.map(async (message) => this.#deliver(message, result, delivered)));
    // A provider that took a message is back: its stalled confirmations go out again, now.
    for (const channel of delivered) {
      if (!this.#maybeStalled.has(channel)) continue;
      const revived = await reviveStalled(this.#client, { now: this.#clock(), kinds: [stallingKindOf(channel)] });
      result.revived += revived.requeued;
      if (revived.requeued + revived.expired === 0) this.#maybeStalled.delete(channel);
      else {
        this.#woken = true;
        this.#logger.info('stalled confirmations queued again: their provider is back', { channel, messages: revived.requeued, linkExpired: revived.expired });
      }
    }
    return result;
  }

  /**
   * Nothing else may go out through a stalled confirmation's provider (no new signatures): so now and then the
   * longest-stalled one is queued for one more try; a failure stalls it again at once.
   */
  async #probeStalled(kinds: readonly string[], now: number, result: RoundResult): Promise<void> {
    if (now < this.#nextProbeAt) return;
    this.#nextProbeAt = now + this.#stalledProbeMs;
    // Whatever this worker believes: another node may have stalled them, and this one may outlive it.
    for (const kind of STALLING_KINDS.filter((k) => kinds.includes(k))) {
      const probe = await reviveStalled(this.#client, { now, kinds: [kind as StallingKind], limit: 1, attemptsMade: this.#maxAttempts - 1 });
      result.revived += probe.requeued;
      if (probe.requeued + probe.expired) this.#maybeStalled.add(channelOf(kind)!);
    }
  }

  async #deliver(message: OutboxMessage, result: RoundResult, delivered: Set<Channel>): Promise<void> {
    const handler = this.#handlers[message.kind]!;
    try {
      const handled = await handler(message);
      if (typeof handled === 'object' && 'deferUntil' in handled) {
        await this.#client.execute({
          sql: "UPDATE outbox SET status = 'pending', next_attempt_at = ?, attempts = attempts - 1, locked_until = NULL WHERE id = ?",
          args: [handled.deferUntil, message.id],
        });
        result.deferred++;
        this.#logger.info('outbox message deferred', { id: message.id, kind: message.kind, until: new Date(handled.deferUntil).toISOString() });
        return;
      }
      const outcome = typeof handled === 'string' ? handled : 'sent';
      const providerRef = typeof handled === 'string' ? null : handled.providerRef;
      await this.#client.execute({
        sql:
          "UPDATE outbox SET status = ?, sent_at = ?, payload = '{}', locked_until = NULL, last_error = NULL, provider_ref = ? WHERE id = ?",
        args: [outcome, this.#clock(), providerRef, message.id],
      });
      result[outcome]++;
      const channel = channelOf(message.kind);
      if (outcome === 'sent' && channel) delivered.add(channel);
      this.#logger.info('outbox message done', { id: message.id, kind: message.kind, outcome, attempt: message.attempt });
    } catch (error) {
      const delivery = error instanceof DeliveryError ? error : new DeliveryError((error as Error)?.name ?? 'Error', false, { cause: error });
      const stalls = (STALLING_KINDS as readonly string[]).includes(message.kind);
      if (!delivery.permanent && message.attempt >= this.#maxAttempts && stalls) {
        // Due "now" in its order, so the probe takes the longest-stalled first and this one last.
        await this.#client.execute({
          sql: "UPDATE outbox SET status = 'stalled', payload = '{}', locked_until = NULL, last_error = ?, next_attempt_at = ? WHERE id = ?",
          args: [delivery.code, this.#clock(), message.id],
        });
        this.#maybeStalled.add(channelOf(message.kind)!);
        result.stalled++;
        this.#logger.warn('outbox message stalled: retries ran out; it is sent again once its provider is back', {
          id: message.id,
          kind: message.kind,
          code: delivery.code,
          attempt: message.attempt,
        });
        return;
      }
      if (delivery.permanent || message.attempt >= this.#maxAttempts) {
        await this.#client.execute({
          sql: "UPDATE outbox SET status = 'failed', payload = '{}', locked_until = NULL, last_error = ? WHERE id = ?",
          args: [delivery.code, message.id],
        });
        result.failed++;
        this.#logger.warn('outbox message failed', { id: message.id, kind: message.kind, code: delivery.code, attempt: message.attempt });
        return;
      }
      const delay = retryDelay(message.attempt, { baseDelayMs: this.#baseDelayMs, maxDelayMs: this.#maxDelayMs, random: this.#random });
      await this.#client.execute({
        sql: "UPDATE outbox SET status = 'pending', next_attempt_at = ?, locked_until = NULL, last_error = ? WHERE id = ?",
        args: [this.#clock() + delay, delivery.code, message.id],
      });
      result.retried++;
      this.#logger.info('outbox message will be retried', { id: message.id, kind: message.kind, code: delivery.code, attempt: message.attempt, delayMs: delay });
    }
  }
}

/**
 * Marks the next due messages of these kinds `sending` and returns them. One index range per kind and state
 * (`outbox_kind_due_idx`: kind, status, next_attempt_at), each already in due order and cut at the batch
 * size, then merged: a claim reads a few batches of rows however many messages wait. A single
 * `kind IN (…) AND (… OR …)` let SQLite sort every due row, or scan the table (measured with 200,000 queued
 * updates: 60–130 ms a claim, against under 1 ms this way), and a million queued updates would have slowed
 * every confirmation.
 */
export function claimStatement(kinds: readonly OutboxKind[], options: { now: number; leaseUntil: number; batchSize: number }): { sql: string; args: InArgs } {
  const arms = kinds.flatMap(() => [
    "SELECT id, due FROM (SELECT id, next_attempt_at AS due FROM outbox WHERE kind = ? AND status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?)",
    "SELECT id, due FROM (SELECT id, next_attempt_at AS due FROM outbox WHERE kind = ? AND status = 'sending' AND locked_until <= ? ORDER BY next_attempt_at LIMIT ?)",
  ]);
  const { now, batchSize } = options;
  return {
    sql:
      "UPDATE outbox SET status = 'sending', locked_until = ?, attempts = attempts + 1 " +
      `WHERE id IN (SELECT id FROM (${arms.join(' UNION ALL ')}) ORDER BY due LIMIT ?) ` +
      'RETURNING id, kind, campaign_id, signature_id, payload, attempts',
    args: [options.leaseUntil, ...kinds.flatMap((kind) => [kind, now, batchSize, kind, now, batchSize]), batchSize],
  };
}

function parsePayload(text: string): OutboxMessage['payload'] {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as OutboxMessage['payload']) : {};
  } catch {
    return {};
  }
}
