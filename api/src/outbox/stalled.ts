/**
 * Confirmation messages whose retries ran out (issue 15): a provider outage longer than the retry schedule
 * (12 attempts, about 2.5–5 hours) must not leave their signatures pending for good.
 *
 * - When a confirmation's retries run out on TEMPORARY errors, the worker marks it `stalled` (not `failed`:
 *   nothing says the recipient is wrong) and empties its payload like any finished message.
 * - It is sent again once the provider is back: as soon as the worker delivers any message through the same
 *   channel (e-mail or SMS), and, when no other message flows, by a probe — every `stalledProbeMs` the
 *   worker retries the longest-stalled one; if that goes out, the rest follow.
 * - Campaigners see them (`GET /admin/outbox`, `imlu outbox list`) and can re-send them at once
 *   (`POST /admin/outbox/retry`, `imlu outbox retry`), with `--failed` also those the provider refused —
 *   after fixing a configuration that made every message fail, say.
 * - A re-sent message gets its recipient again from its signature (the same encrypted envelope the writer
 *   queued), and a fresh set of attempts. It stays the same row: the daily cap per contact counts messages
 *   queued, not sent, so a re-send does not use up the signer's allowance.
 * - One whose confirmation link has expired meanwhile (7 days after signing) is not sent: it becomes
 *   `failed` with `link-expired`. The signer can still sign again, or for SMS ask for a new code.
 * Updates, manage codes and webhooks are not stalled: a manage code lives minutes (the signer asks again), and
 * an update or a webhook that failed for hours is logged `failed` as before.
 */
import type { Client, InStatement } from '@libsql/client';
import { CONFIRMATION_LINK_TTL_MS } from '../confirm/state.ts';

/** Kinds that stall instead of failing when their retries run out. */
export const STALLING_KINDS = ['confirm-email', 'confirm-sms'] as const;
export type StallingKind = (typeof STALLING_KINDS)[number];

export type Channel = 'email' | 'sms';

/** The provider a kind is sent through: a message that goes out proves it is back for the others. */
export function channelOf(kind: string): Channel | undefined {
  if (kind.endsWith('-email')) return 'email';
  if (kind.endsWith('-sms')) return 'sms';
  return undefined;
}

export const stallingKindOf = (channel: Channel): StallingKind => `confirm-${channel}`;

export interface ReviveOptions {
  now: number;
  kinds?: readonly StallingKind[];
  campaignId?: string;
  /** Also re-send confirmations the provider refused (`failed`), not only the stalled ones. */
  includeFailed?: boolean;
  /** At most this many (the probe takes one). */
  limit?: number;
  /** Attempts to record as already made: the probe leaves one, so a failure stalls it again at once. */
  attemptsMade?: number;
}

export interface ReviveResult {
  /** Queued again, due now. */
  requeued: number;
  /** Not sent: their confirmation link has expired (`failed`, `link-expired`). */
  expired: number;
}

/**
 * Queues stalled (and optionally failed) confirmation messages again, oldest-stalled first. Two statements in
 * one transaction: those whose link has expired are marked failed, the rest get their recipient back from
 * their signature and are due now. A message whose signature is gone or no longer waits is queued with an
 * empty payload; its handler answers `skipped`.
 */
export async function reviveStalled(client: Client, options: ReviveOptions): Promise<ReviveResult> {
  const kinds = options.kinds ?? STALLING_KINDS;
  const statuses = options.includeFailed ? ['stalled', 'failed'] : ['stalled'];
  // A failed message of a campaign whose data retention already ran has no signature left: not re-sent.
  const select = (extra: string) =>
    'SELECT o.id FROM outbox o ' +
    `WHERE o.kind IN (${kinds.map(() => '?').join(', ')}) AND o.status IN (${statuses.map(() => '?').join(', ')}) ` +
    `${options.campaignId ? 'AND o.campaign_id = ? ' : ''}${extra} ORDER BY o.next_attempt_at, o.id` +
    (options.limit ? ' LIMIT ?' : '');
  const baseArgs = [...kinds, ...statuses, ...(options.campaignId ? [options.campaignId] : [])];
  const limitArgs = options.limit ? [options.limit] : [];
  const expiredBefore = options.now - CONFIRMATION_LINK_TTL_MS;
  const statements: InStatement[] = [
    {
      sql:
        "UPDATE outbox SET status = 'failed', last_error = 'link-expired', payload = '{}', locked_until = NULL WHERE id IN (" +
        select('AND EXISTS (SELECT 1 FROM signatures s WHERE s.id = o.signature_id AND s.created_at <= ?)') +
        ')',
      args: [...baseArgs, expiredBefore, ...limitArgs],
    },
    {
      sql:
        "UPDATE outbox SET status = 'pending', attempts = ?, next_attempt_at = ?, locked_until = NULL, payload = COALESCE((" +
        "SELECT json_object('to', CASE outbox.kind WHEN 'confirm-email' THEN s.email_enc ELSE s.phone_enc END, 'locale', COALESCE(s.locale, 'en')) " +
        "FROM signatures s WHERE s.id = outbox.signature_id), '{}') " +
        `WHERE id IN (${select('AND NOT EXISTS (SELECT 1 FROM signatures s WHERE s.id = o.signature_id AND s.created_at <= ?)')})`,
      args: [options.attemptsMade ?? 0, options.now, ...baseArgs, expiredBefore, ...limitArgs],
    },
  ];
  const [expired, requeued] = await client.batch(statements, 'write');
  return { requeued: requeued!.rowsAffected, expired: expired!.rowsAffected };
}

export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'skipped', 'stalled', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export interface OutboxReport {
  /** Messages per kind and status (every status present, 0 when none). */
  counts: Record<string, Record<OutboxStatus, number>>;
  /** The stalled and failed messages, newest first (at most `limit`). */
  messages: StuckMessage[];
}

export interface StuckMessage {
  id: string;
  kind: string;
  campaign: string;
  /** The signature it confirms (for `imlu signer show`); null for messages not about one signature. */
  signatureId: string | null;
  status: 'stalled' | 'failed';
  attempts: number;
  /** A code (`ECONNECTION`, `smtp-550`, `link-expired`), never a text. */
  lastError: string | null;
  createdAt: number;
}

/** What the outbox holds, for campaigners: counts per kind and status, and the messages that did not go out. */
export async function outboxReport(client: Client, options: { campaignId?: string; status?: 'stalled' | 'failed'; limit?: number } = {}): Promise<OutboxReport> {
  const where = options.campaignId ? 'WHERE campaign_id = ? ' : '';
  const counted = await client.execute({
    sql: `SELECT kind, status, COUNT(*) FROM outbox ${where}GROUP BY kind, status ORDER BY kind`,
    args: options.campaignId ? [options.campaignId] : [],
  });
  const counts: OutboxReport['counts'] = {};
  for (const row of counted.rows) {
    const kind = String(row[0]);
    const status = String(row[1]) as OutboxStatus;
    counts[kind] ??= Object.fromEntries(OUTBOX_STATUSES.map((s) => [s, 0])) as Record<OutboxStatus, number>;
    if (status in counts[kind]) counts[kind][status] += Number(row[2]);
  }
  const statuses = options.status ? [options.status] : ['stalled', 'failed'];
  const listed = await client.execute({
    sql:
      'SELECT o.id, o.kind, c.slug, o.signature_id, o.status, o.attempts, o.last_error, o.created_at FROM outbox o JOIN campaigns c ON c.id = o.campaign_id ' +
      `WHERE o.status IN (${statuses.map(() => '?').join(', ')}) ${options.campaignId ? 'AND o.campaign_id = ? ' : ''}ORDER BY o.created_at DESC, o.id LIMIT ?`,
    args: [...statuses, ...(options.campaignId ? [options.campaignId] : []), options.limit ?? 100],
  });
  return {
    counts,
    messages: listed.rows.map((row) => ({
      id: String(row[0]),
      kind: String(row[1]),
      campaign: String(row[2]),
      signatureId: row[3] === null ? null : String(row[3]),
      status: String(row[4]) as 'stalled' | 'failed',
      attempts: Number(row[5]),
      lastError: row[6] === null ? null : String(row[6]),
      createdAt: Number(row[7]),
    })),
  };
}
