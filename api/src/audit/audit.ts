/**
 * The audit log: one append-only row per campaigner action (token created or revoked, campaign created or
 * updated, signatures invalidated or struck out, an export made, a webhook configured …).
 *
 * `details` holds the filters and counts of the action: never a name, contact, comment or token. The
 * database enforces append-only (triggers `src/db/sql/triggers/audit_log_no_*.sql` abort any UPDATE or DELETE of `audit_log`).
 *
 * `auditInsert` returns the drizzle query, so an entry can go into the same `db.orm.batch([...])` (one
 * transaction) as the change it records; `recordAudit` runs it on any executor — the database or a
 * drizzle transaction.
 */
import { and, desc, eq, gte, lt, lte, or, type SQL } from 'drizzle-orm';
import type { Actor } from '../auth/actor.ts';
import type { Db, Orm } from '../db/client.ts';
import { auditLog, campaigns } from '../db/schema.ts';
import { uuidv7 } from '../signing/ids.ts';

/** Actions this code writes. Other modules may add `<noun>.<verb>` names of their own. */
export const AUDIT_ACTIONS = [
  'token.created',
  'token.revoked',
  'campaign.created',
  'campaign.updated',
  'signatures.invalidated',
  'signatures.reconciled',
  'signature.struck',
  'export.created',
  'webhook.created',
  'webhook.deleted',
  'signature.unstruck',
  'database.migrated',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number] | `${string}.${string}`;

export type AuditDetails = Record<string, string | number | boolean | null | readonly (string | number)[] | Record<string, unknown>>;

export interface AuditEntry {
  actor: Actor;
  action: AuditAction;
  campaignId?: string | null;
  /** What the action was about: a token id, a signature id, a file name … never personal data. */
  subject?: string | null;
  rowCount?: number | null;
  details?: AuditDetails;
  /** Defaults to now. */
  at?: number;
}

export interface AuditRecord {
  id: string;
  at: number;
  actor: string;
  actorName: string;
  action: string;
  campaignId: string | null;
  /** The campaign's slug, which people know it by (null when the entry has no campaign). */
  campaignSlug: string | null;
  subject: string | null;
  rowCount: number | null;
  details: Record<string, unknown>;
}

/** Anything with drizzle's `insert`: the database (`db.orm`) or a transaction. */
export type AuditExecutor = Pick<Orm, 'insert'>;

export function auditInsert(executor: AuditExecutor, entry: AuditEntry) {
  const at = entry.at ?? Date.now();
  return executor.insert(auditLog).values({
    id: uuidv7(at),
    at,
    actor: entry.actor.id,
    actorName: entry.actor.name,
    action: entry.action,
    campaignId: entry.campaignId ?? null,
    subject: entry.subject ?? null,
    rowCount: entry.rowCount ?? null,
    details: JSON.stringify(entry.details ?? {}),
  });
}

export async function recordAudit(executor: AuditExecutor, entry: AuditEntry): Promise<void> {
  await auditInsert(executor, entry);
}

export interface AuditQuery {
  campaignId?: string;
  action?: string;
  /** Matches `actor` exactly (`token:<id>`, `cli:alice`). */
  actor?: string;
  from?: number;
  to?: number;
  /** Newest first; default 100, at most 1000. */
  limit?: number;
  /** Keyset cursor: the `id` of the last row of the previous page. */
  before?: string;
}

export async function listAudit(db: Db, query: AuditQuery = {}): Promise<AuditRecord[]> {
  const conditions: SQL[] = [];
  if (query.campaignId) conditions.push(eq(auditLog.campaignId, query.campaignId));
  if (query.action) conditions.push(eq(auditLog.action, query.action));
  if (query.actor) conditions.push(eq(auditLog.actor, query.actor));
  if (query.from !== undefined) conditions.push(gte(auditLog.at, query.from));
  if (query.to !== undefined) conditions.push(lte(auditLog.at, query.to));
  if (query.before) {
    const [cursor] = await db.orm.select({ at: auditLog.at }).from(auditLog).where(eq(auditLog.id, query.before));
    if (cursor) conditions.push(or(lt(auditLog.at, cursor.at), and(eq(auditLog.at, cursor.at), lt(auditLog.id, query.before)))!);
  }
  const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
  const rows = await db.orm
    .select({ entry: auditLog, campaignSlug: campaigns.slug })
    .from(auditLog)
    .leftJoin(campaigns, eq(campaigns.id, auditLog.campaignId))
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(limit);
  return rows.map(({ entry, campaignSlug }) => ({ ...entry, campaignSlug, details: JSON.parse(entry.details) as Record<string, unknown> }));
}
