/**
 * Flood alerts: the staff hear of a flood when it starts, not when they next look at `/admin/trending`.
 *
 * Every check (`startServer`: once a minute) asks `trendingSources` for sources and e-mail domains with an
 * unusual share of a campaign's recent signatures. A source seen for the first time opens an episode
 * (`flood_alerts`) and, in the same transaction, queues the alert: a `moderation.flood` event for each of
 * the campaign's webhooks that asked for it, and an e-mail to STAFF_EMAIL (outbox kind `staff-email`).
 * While the source keeps trending its episode stays open and nothing more is sent; once it has been quiet
 * for a whole window the episode ends, and a later flood from it is a new episode with a new alert. The
 * partial unique index on open episodes makes several servers checking at once alert once between them.
 *
 * The alert names the campaign, the kind, the keyed-hash prefix, the count and the share: no address,
 * domain or person. The e-mail is in English: it goes to the organisation's staff, not to signers.
 */
import { randomUUID } from 'node:crypto';
import type { InStatement } from '@libsql/client';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { campaigns, floodAlerts } from '../db/schema.ts';
import type { Logger } from '../logging/logger.ts';
import type { MailTransport } from '../messages/email.ts';
import type { MessageHandler } from '../outbox/worker.ts';
import { escapeHtml } from '../confirm/messages.ts';
import { trendingSources, type TrendingSource } from './moderation.ts';

export const FLOOD_EVENT = 'moderation.flood';

export interface FloodThresholds {
  /** The window a share is measured over, and how long a source must be quiet to end its episode. */
  windowMs: number;
  minCount: number;
  minShare: number;
}

/** The thresholds the server has always warned at: ≥ 50 signatures and ≥ 30 % of a campaign's in 10 minutes. */
export const DEFAULT_FLOOD_THRESHOLDS: FloodThresholds = { windowMs: 10 * 60_000, minCount: 50, minShare: 0.3 };

export interface FloodCheck {
  trending: TrendingSource[];
  /** Episodes opened by this check (each alerted once). */
  started: { id: string; trend: TrendingSource }[];
  /** Episodes ended by this check. */
  ended: number;
}

/**
 * One check: opens (and alerts) new episodes, keeps open ones alive, ends quiet ones. `emailStaff`: whether
 * STAFF_EMAIL is set (no e-mail is queued that nobody would send).
 */
export async function checkFloods(db: Db, options: FloodThresholds & { now: number; emailStaff: boolean; logger?: Logger }): Promise<FloodCheck> {
  const { now } = options;
  const trending = await trendingSources(db, { now, windowMs: options.windowMs, minCount: options.minCount, minShare: options.minShare });
  const statements: InStatement[] = [];
  const candidates: { id: string; trend: TrendingSource }[] = [];
  for (const trend of trending) {
    const id = randomUUID();
    candidates.push({ id, trend });
    const key = [trend.campaignId, trend.kind, trend.hashPrefix];
    statements.push(
      { sql: 'UPDATE flood_alerts SET last_seen_at = ? WHERE campaign_id = ? AND kind = ? AND hash_prefix = ? AND ended_at IS NULL', args: [now, ...key] },
      {
        sql:
          'INSERT OR IGNORE INTO flood_alerts (id, campaign_id, kind, hash_prefix, signatures, share_permille, started_at, last_seen_at) ' +
          'VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        args: [id, ...key, trend.signatures, Math.round(trend.share * 1000), now, now],
      },
      // Both queue only when the row above was inserted (its id exists): once per episode.
      {
        sql:
          'INSERT INTO outbox (id, kind, campaign_id, signature_id, payload, status, attempts, next_attempt_at, created_at) ' +
          "SELECT lower(hex(randomblob(16))), 'webhook', w.campaign_id, NULL, json_object('webhookId', w.id, 'event', ?, 'data', json(?)), 'pending', 0, ?, ? " +
          "FROM flood_alerts f JOIN webhooks w ON w.campaign_id = f.campaign_id WHERE f.id = ? AND w.disabled_at IS NULL AND EXISTS (SELECT 1 FROM json_each(w.events) WHERE value = ?)",
        args: [FLOOD_EVENT, JSON.stringify(eventData(id, trend, options.windowMs, now)), now, now, id, FLOOD_EVENT],
      },
    );
    if (options.emailStaff) {
      statements.push({
        sql:
          'INSERT INTO outbox (id, kind, campaign_id, signature_id, payload, status, attempts, next_attempt_at, created_at) ' +
          "SELECT ?, 'staff-email', campaign_id, NULL, json_object('data', json_object('floodAlertId', id)), 'pending', 0, ?, ? FROM flood_alerts WHERE id = ?",
        args: [randomUUID(), now, now, id],
      });
    }
  }
  statements.push({ sql: 'UPDATE flood_alerts SET ended_at = ? WHERE ended_at IS NULL AND last_seen_at <= ?', args: [now, now - options.windowMs] });
  const results = await db.client.batch(statements, 'write');
  const ended = results.at(-1)!.rowsAffected;
  const opened = new Set<string>();
  if (candidates.length) {
    const rows = await db.client.execute({ sql: `SELECT id FROM flood_alerts WHERE id IN (${candidates.map(() => '?').join(', ')})`, args: candidates.map((c) => c.id) });
    for (const row of rows.rows) opened.add(String(row[0]));
  }
  const started = candidates.filter((c) => opened.has(c.id));
  for (const { trend } of started) {
    options.logger?.warn('flood alert', {
      campaign: trend.campaignId,
      kind: trend.kind,
      hash: trend.hashPrefix,
      signatures: trend.signatures,
      share: Math.round(trend.share * 100) / 100,
    });
  }
  return { trending, started, ended };
}

function eventData(id: string, trend: TrendingSource, windowMs: number, now: number) {
  return {
    alert: {
      id,
      kind: trend.kind,
      hashPrefix: trend.hashPrefix,
      signatures: trend.signatures,
      share: Math.round(trend.share * 1000) / 1000,
      windowMinutes: Math.round(windowMs / 60_000),
      startedAt: new Date(now).toISOString(),
    },
  };
}

/** The `staff-email` messages of flood alerts; any other `staff-email` goes to `otherwise` (milestone prompts). */
export function floodAlertMailHandler(context: { db: Db; publicBaseUrl: () => string }, mail: MailTransport, staffEmail: string, otherwise: MessageHandler): MessageHandler {
  return async (message) => {
    const alertId = message.payload.data?.['floodAlertId'];
    if (typeof alertId !== 'string') return otherwise(message);
    const [found] = await context.db.orm
      .select({ alert: floodAlerts, slug: campaigns.slug, title: campaigns.titleEn })
      .from(floodAlerts)
      .innerJoin(campaigns, eq(campaigns.id, floodAlerts.campaignId))
      .where(eq(floodAlerts.id, alertId));
    if (!found) return 'skipped';
    const { alert, slug, title } = found;
    const percent = Math.round(alert.share / 10);
    const what = alert.kind === 'source' ? 'one source address' : 'one e-mail domain or phone number block';
    const base = context.publicBaseUrl().replace(/\/$/, '');
    const lines = [
      `${alert.signatures} of the recent signatures to "${title}" (${percent}%) came from ${what}, first seen ${new Date(alert.startedAt).toISOString()}.`,
      `Its keyed hash begins ${alert.hashPrefix}. It may be a real crowd (a school, an event's Wi-Fi) or a flood: nothing has been invalidated.`,
      alert.kind === 'source'
        ? `To review it: imlu invalidate --campaign ${slug} --source ${alert.hashPrefix} (a dry run that says what would be invalidated; add --apply to do it).`
        : `To review it: GET ${base}/admin/trending, then imlu invalidate --campaign ${slug} with the time window or the e-mail domain (a dry run unless --apply).`,
      'You will not hear of this source again until it has been quiet for a while.',
    ];
    await mail.send({
      to: staffEmail,
      subject: `Flood alert: ${percent}% of recent signatures to "${title}" from ${what}`,
      language: 'en',
      text: lines.join('\n\n'),
      html: `<!doctype html><html lang="en"><body>${lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('')}</body></html>`,
    });
    return 'sent';
  };
}
