/**
 * Reconciliation of the counts on a schedule (`RECONCILE_EVERY_MINUTES`, `startServer`): `reconcileCounts`
 * compares the running totals with the signatures; the result of the last run is kept in `instance_meta`
 * (so every server of a deployment shows the same one) and served at `GET /admin/system/reconciliation`.
 *
 * A scheduled run reports and never fixes: drift means a bug or a hand edit, and a person should see it
 * before the public figures move (`POST /admin/reconcile` with `fix` recounts, audited). Drift is audited
 * (`counts.drift_found`, actor `system:reconciliation`) when a run finds drift that the previous run did not
 * report, so an hourly run does not write the same entry every hour.
 */
import type { Actor } from '../auth/actor.ts';
import { auditInsert } from '../audit/audit.ts';
import type { Db } from '../db/client.ts';
import { instanceMeta } from '../db/schema.ts';
import type { Logger } from '../logging/logger.ts';
import { reconcileCounts, type Drift } from './moderation.ts';
import { eq } from 'drizzle-orm';

const META_KEY = 'last_reconciliation';
export const RECONCILIATION_ACTOR: Actor = { id: 'system:reconciliation', name: 'scheduled reconciliation' };

export interface ReconciliationRun {
  /** When the run finished (ms). */
  at: number;
  durationMs: number;
  drifts: Drift[];
}

export async function lastReconciliation(db: Db): Promise<ReconciliationRun | undefined> {
  const [row] = await db.orm.select().from(instanceMeta).where(eq(instanceMeta.key, META_KEY));
  return row ? (JSON.parse(row.value) as ReconciliationRun) : undefined;
}

const fingerprint = (drifts: Drift[]) =>
  JSON.stringify(drifts.map((d) => [d.campaignId, d.bucket, d.stored, d.actual]).sort((a, b) => String(a[0]).localeCompare(String(b[0])) || String(a[1]).localeCompare(String(b[1]))));

export async function runReconciliation(db: Db, options: { clock: () => number; logger?: Logger }): Promise<ReconciliationRun> {
  const started = options.clock();
  const previous = await lastReconciliation(db);
  const drifts = await reconcileCounts(db, { fix: false });
  const at = options.clock();
  const run: ReconciliationRun = { at, durationMs: at - started, drifts };
  const value = JSON.stringify(run);
  const save = db.orm.insert(instanceMeta).values({ key: META_KEY, value }).onConflictDoUpdate({ target: instanceMeta.key, set: { value } });
  const campaigns = [...new Set(drifts.map((d) => d.campaignId))];
  if (drifts.length && fingerprint(drifts) !== fingerprint(previous?.drifts ?? [])) {
    await db.orm.batch([
      save,
      auditInsert(db.orm, {
        actor: RECONCILIATION_ACTOR,
        action: 'counts.drift_found',
        campaignId: campaigns.length === 1 ? campaigns[0] : null,
        rowCount: drifts.length,
        at,
        details: { campaigns, buckets: drifts.map((d) => `${d.bucket}`) },
      }),
    ]);
  } else {
    await save;
  }
  if (drifts.length) options.logger?.warn('counts drift from the signatures', { campaigns: campaigns.length, buckets: drifts.length });
  return run;
}
