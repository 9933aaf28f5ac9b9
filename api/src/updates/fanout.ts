/**
 * The fan-out: turns one update event into outbox messages, one per signer who opted in, without ever
 * holding a campaign's signers in memory (a campaign may have a million).
 *
 * It pages through the campaign's signatures by (`created_at`, rowid) — the campaign's own index — up to
 * the event's time, `pageSize` at a time (measured: 100,000 signers in about 14 s, memory flat). Each page is ONE write transaction that queues the page's
 * messages with `INSERT … SELECT` (recipients stay ciphertext; nothing is decrypted here) and moves the
 * event's cursor. The insert runs only if the cursor is still where this run read it, and the outbox's
 * unique keys (event, signature) and (event, contact) refuse a second message anyway: a crash between
 * pages resumes at the cursor, and two API nodes fanning out the same event queue each message once.
 *
 * Who gets one: live signatures (`counted`, not flagged, not superseded) with the `updates` consent, at
 * the contact that confirmed the signature (`confirm_channel`); on a campaign without confirmation
 * (`verification: none`), the e-mail if there is one, else the phone — neither was proved. One message per
 * contact per event: a family phone carrying several names gets one SMS.
 *
 * Throttle: a contact gets at most one update per campaign in `throttleMs` (24 hours), counted from when
 * the previous one was queued. A later event within that time is SKIPPED for that contact (counted in the
 * event as eligible but not queued), not merged or delayed: a delayed message would arrive stale, and the
 * link in the one they did get leads to the board, which shows every change.
 *
 * Quiet hours: an SMS queued outside 08:00–20:00 Nairobi time is due at the next 08:00 (`quiet-hours.ts`);
 * the sender checks again when it sends, in case retries pushed it into the night.
 */
import type { Db } from '../db/client.ts';
import type { Logger } from '../logging/logger.ts';
import { silentLogger } from '../logging/logger.ts';
import { recordDateCloses } from './events.ts';
import { nextSmsSlot } from './quiet-hours.ts';
import { notifies, parseJson, type UpdateEventKind } from './settings.ts';

export const DAY_MS = 24 * 60 * 60 * 1000;

export interface FanoutOptions {
  clock?: () => number;
  logger?: Logger;
  /**
   * Signatures considered per write transaction. Default 250: about 30 ms a page on a 2-core machine with
   * `synchronous=FULL` (500 took about 55 ms), short enough that signing barely notices a fan-out.
   */
  pageSize?: number;
  /** How often an idle fan-out looks for events. Default 5 s. */
  pollMs?: number;
  /** At most one update per contact and campaign in this time. Default 24 hours. */
  throttleMs?: number;
  /** Called after a page queued messages (wakes the updates' outbox worker). */
  onQueued?: () => void;
}

export interface FanoutRound {
  /** The event worked on, if any. */
  event: string | undefined;
  /** Signatures considered in this round's page. */
  considered: number;
  /** Messages queued by this round. */
  queued: number;
  /** Whether the event is finished. */
  done: boolean;
}

/** The contact a live signature's update goes to: the one that confirmed it, else the e-mail, else the phone. */
const CHANNEL =
  "CASE WHEN s.confirm_channel IS NOT NULL THEN s.confirm_channel WHEN s.email_enc IS NOT NULL THEN 'email' ELSE 'sms' END";
/** Its keyed hash (the e-mail's dedupe key, the phone's `phone_hash`): the throttle and the one-per-contact rule key on it. */
const CONTACT =
  "COALESCE(CASE WHEN (" + CHANNEL + ") = 'email' THEN (SELECT d.key_hmac FROM signature_dedupe d WHERE d.signature_id = s.id AND d.kind = 'email') " +
  'ELSE s.phone_hash END, CAST(s.id AS BLOB))';
const LIVE_AND_CONSENTING = "s.status = 'counted' AND s.flag IS NULL AND s.superseded_by IS NULL AND s.consent_updates = 1";
const IN_PAGE = 's.campaign_id = ? AND (s.created_at, s.rowid) > (?, ?) AND (s.created_at, s.rowid) <= (?, ?)';

export class UpdateFanout {
  readonly #db: Db;
  readonly #clock: () => number;
  readonly #logger: Logger;
  readonly #pageSize: number;
  readonly #pollMs: number;
  readonly #throttleMs: number;
  readonly #onQueued: (() => void) | undefined;
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #woken = false;
  #closesCheckedAt = Number.NEGATIVE_INFINITY;

  constructor(db: Db, options: FanoutOptions = {}) {
    this.#db = db;
    this.#clock = options.clock ?? Date.now;
    this.#logger = options.logger ?? silentLogger;
    this.#pageSize = Math.max(1, options.pageSize ?? 250);
    this.#pollMs = Math.max(1, options.pollMs ?? 5000);
    this.#throttleMs = options.throttleMs ?? DAY_MS;
    this.#onQueued = options.onQueued;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  notify(): void {
    this.#woken = true;
    this.#wake?.();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    await this.#loop;
    this.#loop = undefined;
  }

  async #run(): Promise<void> {
    while (this.#running) {
      let more = false;
      try {
        more = (await this.runOnce()).event !== undefined;
      } catch (error) {
        this.#logger.warn('update fan-out round failed', { error: (error as Error).name, code: (error as { code?: string }).code });
      }
      if (!this.#running) break;
      if (more || this.#woken) {
        this.#woken = false;
        // Let requests in between pages: each page is a write transaction on the one connection.
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        timer = setTimeout(resolve, this.#pollMs);
      });
      clearTimeout(timer);
      this.#wake = undefined;
    }
  }

  /** Records date-based closes (at most once per poll interval), then works one page of the oldest unfinished event. */
  async runOnce(): Promise<FanoutRound> {
    const { client } = this.#db;
    const now = this.#clock();
    // A write statement takes the write lock even when it inserts nothing: not once per page of a big fan-out.
    if (now - this.#closesCheckedAt >= this.#pollMs) {
      await recordDateCloses(client, now);
      this.#closesCheckedAt = now;
    }
    const picked = await client.execute(
      'SELECT e.id, e.campaign_id, e.created_at, e.cursor_at, e.cursor_rowid, e.kind, c.updates FROM update_events e ' +
        "JOIN campaigns c ON c.id = e.campaign_id WHERE e.status = 'fanning' ORDER BY e.created_at, e.rowid LIMIT 1",
    );
    const row = picked.rows[0];
    if (!row) return { event: undefined, considered: 0, queued: 0, done: true };
    const event = {
      id: String(row[0]),
      campaignId: String(row[1]),
      createdAt: Number(row[2]),
      cursorAt: Number(row[3]),
      cursorRowid: Number(row[4]),
    };
    const finish = async () => {
      await client.execute({
        sql: "UPDATE update_events SET status = 'done', done_at = ? WHERE id = ? AND cursor_at = ? AND cursor_rowid = ?",
        args: [now, event.id, event.cursorAt, event.cursorRowid],
      });
      return { event: event.id, considered: 0, queued: 0, done: true };
    };
    // The campaigner turned this kind of update off since: nothing more is queued for it.
    if (!notifies(parseJson(row[6]), row[5] as UpdateEventKind)) return finish();
    const page = await client.execute({
      sql:
        'SELECT s.created_at, s.rowid FROM signatures s WHERE s.campaign_id = ? AND (s.created_at, s.rowid) > (?, ?) AND s.created_at <= ? ' +
        'ORDER BY s.created_at, s.rowid LIMIT ?',
      args: [event.campaignId, event.cursorAt, event.cursorRowid, event.createdAt, this.#pageSize],
    });
    const last = page.rows.at(-1);
    const done = page.rows.length < this.#pageSize;
    // The cursor guard: this page's writes happen only if no other run moved the cursor since it was read.
    const guard = 'EXISTS (SELECT 1 FROM update_events WHERE id = ? AND cursor_at = ? AND cursor_rowid = ?)';
    const guardArgs = [event.id, event.cursorAt, event.cursorRowid];
    if (!last) return finish();
    const lastAt = Number(last[0]);
    const lastRowid = Number(last[1]);
    const range = [event.campaignId, event.cursorAt, event.cursorRowid, lastAt, lastRowid];
    const [inserted] = await client.batch(
      [
        {
          sql:
            'INSERT OR IGNORE INTO outbox (id, kind, campaign_id, signature_id, payload, status, attempts, next_attempt_at, created_at, contact_hmac, update_event_id) ' +
            "SELECT lower(hex(randomblob(16))), 'update-' || x.channel, x.campaign_id, x.id, json_object('updateEventId', ?), 'pending', 0, " +
            "CASE x.channel WHEN 'sms' THEN ? ELSE ? END, ?, x.contact, ? FROM (" +
            `SELECT s.id, s.campaign_id, ${CHANNEL} AS channel, ${CONTACT} AS contact FROM signatures s WHERE ${IN_PAGE} AND ${LIVE_AND_CONSENTING}` +
            ') x WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.campaign_id = x.campaign_id AND o.contact_hmac = x.contact ' +
            "AND o.kind IN ('update-email', 'update-sms') AND o.created_at > ?) " +
            `AND ${guard}`,
          args: [event.id, nextSmsSlot(now), now, now, event.id, ...range, now - this.#throttleMs, ...guardArgs],
        },
        {
          sql:
            'UPDATE update_events SET cursor_at = ?, cursor_rowid = ?, ' +
            `eligible = eligible + (SELECT COUNT(*) FROM signatures s WHERE ${IN_PAGE} AND ${LIVE_AND_CONSENTING}), ` +
            `queued = queued + (SELECT COUNT(*) FROM outbox o WHERE o.update_event_id = ? AND o.signature_id IN (SELECT s.id FROM signatures s WHERE ${IN_PAGE})), ` +
            "status = CASE WHEN ? THEN 'done' ELSE status END, done_at = CASE WHEN ? THEN ? ELSE done_at END " +
            'WHERE id = ? AND cursor_at = ? AND cursor_rowid = ?',
          args: [lastAt, lastRowid, ...range, event.id, ...range, done ? 1 : 0, done ? 1 : 0, now, ...guardArgs],
        },
      ],
      'write',
    );
    const queued = inserted!.rowsAffected;
    if (queued) this.#onQueued?.();
    if (done) this.#logger.info('update fanned out', { event: event.id });
    return { event: event.id, considered: page.rows.length, queued, done };
  }

  /** Works every event to the end (tests; the CLI's `updates run`). */
  async drain(): Promise<{ events: number; queued: number }> {
    const seen = new Set<string>();
    let queued = 0;
    for (;;) {
      const round = await this.runOnce();
      if (!round.event) return { events: seen.size, queued };
      seen.add(round.event);
      queued += round.queued;
    }
  }
}
