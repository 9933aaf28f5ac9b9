/**
 * Retention (Kenya's Data Protection Act 2019, s.39: personal data is kept no longer than needed). A
 * campaign keeps its signers' personal data for `retention_days` (default 180) after it ended — closed, or
 * past its closing date — and then this deletes it: every signature row (name, contacts, comment, county,
 * consents, source hashes), the blind-index rows, idempotency records and queued messages. What stays is
 * what was never personal: the running totals and county counts (`campaign_counts`), milestones, the
 * accountability board and the audit log. A delivery pack made afterwards shows totals only.
 *
 * Signature rows go in batches of `BATCH` per write transaction, so a campaign of a million signers does
 * not hold the database's one write lock for long, and a crash half-way leaves a campaign that the next run
 * finishes (`anonymised_at` is set first: from then on the campaign's counts are final, and reconciliation
 * leaves them alone). The database runs with `secure_delete` (src/db/client.ts), so deleted rows are
 * overwritten in the file; the file is rebuilt (`VACUUM`) and the WAL checkpointed and truncated afterwards,
 * so no stale copy lingers in a page or in the log.
 */
import type { Client } from '@libsql/client';
import { recordAudit } from '../audit/audit.ts';
import type { Actor } from '../auth/actor.ts';
import type { Db } from '../db/client.ts';

export const DAY_MS = 24 * 60 * 60 * 1000;
/** Who runs retention inside the server, for the audit log. */
export const RETENTION_ACTOR: Actor = { id: 'system:retention', name: 'retention job' };
/** Signature rows deleted per write transaction. */
export const BATCH = 2000;

export interface RetentionCampaign {
  id: string;
  slug: string;
  /** When it ended: the earlier of its closing (status `closed`) and a past closing date. */
  endedAt: number;
  retentionDays: number;
  /** When its personal data is (or was) due for deletion. */
  dueAt: number;
  /** Signature rows still holding personal data. */
  signatures: number;
  anonymisedAt: number | null;
}

export interface RetentionReport {
  dryRun: boolean;
  /** Campaigns whose personal data was (or, in a dry run, would be) deleted by this run. */
  anonymised: RetentionCampaign[];
  /** Signature rows deleted (or that would be). */
  signatures: number;
}

/**
 * Every campaign that has ended, with its retention schedule (for `imlu campaign list` and the run).
 * Open campaigns (not past a closing date) have no schedule yet.
 */
export async function retentionSchedule(client: Client, now: number): Promise<RetentionCampaign[]> {
  const result = await client.execute({
    sql:
      'SELECT c.id, c.slug, c.retention_days, c.anonymised_at, ' +
      "MIN(COALESCE(CASE WHEN c.closes_at <= ? THEN c.closes_at END, 9e15), COALESCE(CASE WHEN c.status = 'closed' THEN COALESCE(c.closed_at, c.updated_at) END, 9e15)) AS ended_at, " +
      '(SELECT COUNT(*) FROM signatures s WHERE s.campaign_id = c.id) AS signatures ' +
      "FROM campaigns c WHERE c.status = 'closed' OR c.closes_at <= ? ORDER BY ended_at",
    args: [now, now],
  });
  return result.rows.map((row) => {
    const endedAt = Number(row['ended_at']);
    const retentionDays = Number(row['retention_days']);
    return {
      id: String(row['id']),
      slug: String(row['slug']),
      endedAt,
      retentionDays,
      dueAt: endedAt + retentionDays * DAY_MS,
      signatures: Number(row['signatures']),
      anonymisedAt: row['anonymised_at'] === null ? null : Number(row['anonymised_at']),
    };
  });
}

/** Deletes the personal data of every campaign whose retention period has passed. */
export async function runRetention(
  db: Db,
  options: { now: number; dryRun?: boolean; actor?: Actor; onBatch?: (campaign: string, deleted: number) => void },
): Promise<RetentionReport> {
  const due = (await retentionSchedule(db.client, options.now)).filter((c) => c.dueAt <= options.now && (c.signatures > 0 || c.anonymisedAt === null));
  const report: RetentionReport = { dryRun: Boolean(options.dryRun), anonymised: due, signatures: due.reduce((n, c) => n + c.signatures, 0) };
  if (options.dryRun) return report;
  for (const campaign of due) await anonymiseCampaign(db, campaign, options);
  if (due.length) await compact(db);
  else await compactIfDue(db);
  return report;
}

/**
 * Rebuilds an embedded database file (`VACUUM`) and truncates its WAL. `secure_delete` zeroes what a delete
 * frees, but SQLite can keep stale copies of cells in pages it split earlier (found by the key-rotation
 * test): only a rebuild removes them. It holds the write lock for a few seconds on a large database, so it
 * runs with retention — after a campaign's data was deleted, or when an erasure asked for it
 * (`compaction_due`) — once a day at most, not on every erasure.
 */
export async function compact(db: Db): Promise<void> {
  if (!db.url.startsWith('file:')) return;
  await db.client.execute('VACUUM');
  await db.client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
  await db.client.execute("DELETE FROM instance_meta WHERE key = 'compaction_due'");
}

/** Compacts when an erasure since the last compaction asked for it. */
export async function compactIfDue(db: Db): Promise<boolean> {
  const due = await db.client.execute("SELECT 1 FROM instance_meta WHERE key = 'compaction_due'");
  if (!due.rows.length) return false;
  await compact(db);
  return true;
}

async function anonymiseCampaign(
  db: Db,
  campaign: RetentionCampaign,
  options: { now: number; actor?: Actor; onBatch?: (campaign: string, deleted: number) => void },
): Promise<void> {
  const { client } = db;
  // First: the counts are final from here on, and nobody may reopen the campaign for signing.
  await client.execute({ sql: 'UPDATE campaigns SET anonymised_at = COALESCE(anonymised_at, ?) WHERE id = ?', args: [options.now, campaign.id] });
  await client.batch(
    [
      { sql: 'DELETE FROM idempotency_keys WHERE campaign_id = ?', args: [campaign.id] },
      { sql: "DELETE FROM outbox WHERE campaign_id = ? AND kind IN ('confirm-email', 'confirm-sms')", args: [campaign.id] },
      { sql: 'DELETE FROM signature_dedupe WHERE campaign_id = ?', args: [campaign.id] },
    ],
    'write',
  );
  let deleted = 0;
  for (;;) {
    const [, removed] = await client.batch(
      [
        // Webhook deliveries still queued for these signatures go with them (their body is built from the row).
        { sql: 'DELETE FROM outbox WHERE signature_id IN (SELECT id FROM signatures WHERE campaign_id = ? LIMIT ?)', args: [campaign.id, BATCH] },
        { sql: 'DELETE FROM signatures WHERE id IN (SELECT id FROM signatures WHERE campaign_id = ? LIMIT ?)', args: [campaign.id, BATCH] },
      ],
      'write',
    );
    const n = removed!.rowsAffected;
    deleted += n;
    if (n) options.onBatch?.(campaign.slug, n);
    if (n < BATCH) break;
  }
  await recordAudit(db.orm, {
    actor: options.actor ?? RETENTION_ACTOR,
    action: 'campaign.anonymised',
    campaignId: campaign.id,
    subject: campaign.slug,
    rowCount: deleted,
    at: options.now,
    details: { retentionDays: campaign.retentionDays, endedAt: new Date(campaign.endedAt).toISOString() },
  });
}
