/**
 * Signatures held for review: a family phone (`campaigns.phone_household`) confirmed one name more than the
 * campaign allows, so that name is kept but not counted (`flag = 'suspect'`, `flag_reason = 'household'`).
 * A campaigner looks at them — for example after calling the number — and decides: count it, or mark it
 * invalid. Either way the counts trigger (`src/db/sql/triggers/signature_counts_on_update.sql`) moves the totals in the same transaction, and the
 * decision is audited (the signature id and the reason; never a name or a number).
 */
import type { Actor } from '../auth/actor.ts';
import { auditInsert } from '../audit/audit.ts';
import type { Db } from '../db/client.ts';
import { signatures } from '../db/schema.ts';
import { and, eq, sql } from 'drizzle-orm';

export interface HeldSignature {
  id: string;
  county: string | null;
  signedAt: number;
  /** When its owner confirmed it (null on a campaign without confirmation, where it was held at once). */
  confirmedAt: number | null;
  /** Confirmed names already counted on the same phone number. */
  countedOnPhone: number;
}

/** A signature held for review that can still be decided: the current version, confirmed where confirming applies. */
const DECIDABLE =
  "flag = 'suspect' AND flag_reason = 'household' AND superseded_by IS NULL AND (confirmed_at IS NOT NULL OR confirm_channel IS NULL)";
const decidable = (alias: string) => DECIDABLE.replaceAll(/\b(flag|flag_reason|superseded_by|confirmed_at|confirm_channel)\b/g, `${alias}$1`);

/**
 * Held signatures of a campaign, oldest first. With `limit`, one page: `after` is the id of the last row of
 * the previous page (a keyset cursor, so a long queue is never read whole).
 */
export async function listHeld(db: Db, campaignId: string, page: { limit?: number; after?: string | undefined } = {}): Promise<HeldSignature[]> {
  const args: (string | number)[] = [campaignId];
  let after = '';
  if (page.after !== undefined) {
    // The cursor row need not be held any more (decided since): its place in the order is enough.
    after = ' AND (s.created_at, s.id) > (SELECT created_at, id FROM signatures WHERE id = ? AND campaign_id = s.campaign_id)';
    args.push(page.after);
  }
  let limit = '';
  if (page.limit !== undefined) {
    limit = ' LIMIT ?';
    args.push(page.limit);
  }
  const result = await db.client.execute({
    sql:
      'SELECT s.id, s.county, s.created_at, s.confirmed_at, ' +
      "(SELECT COUNT(*) FROM signatures o WHERE o.campaign_id = s.campaign_id AND o.phone_hash = s.phone_hash AND o.status = 'counted' AND o.flag IS NULL) AS counted_on_phone " +
      `FROM signatures s WHERE s.campaign_id = ? AND ${decidable('s.')}${after} ORDER BY s.created_at, s.id${limit}`,
    args,
  });
  return result.rows.map((row) => ({
    id: String(row['id']),
    county: row['county'] === null ? null : String(row['county']),
    signedAt: Number(row['created_at']),
    confirmedAt: row['confirmed_at'] === null ? null : Number(row['confirmed_at']),
    countedOnPhone: Number(row['counted_on_phone']),
  }));
}

/** How many signatures of a campaign wait for a decision. */
export async function countHeld(db: Db, campaignId: string): Promise<number> {
  const result = await db.client.execute({ sql: `SELECT COUNT(*) AS n FROM signatures s WHERE s.campaign_id = ? AND ${decidable('s.')}`, args: [campaignId] });
  return Number(result.rows[0]!['n']);
}

export type HeldDecision = 'count' | 'invalidate';

/** Decides one held signature; undefined when there is no such decidable signature. */
export async function decideHeld(
  db: Db,
  input: { signatureId: string; decision: HeldDecision; reason: string; actor: Actor; now: number },
): Promise<{ campaignId: string; decision: HeldDecision } | undefined> {
  const [row] = (await db.client.execute({ sql: `SELECT campaign_id FROM signatures WHERE id = ? AND ${DECIDABLE}`, args: [input.signatureId] })).rows;
  if (!row) return undefined;
  const campaignId = String(row['campaign_id']);
  const set = input.decision === 'count' ? { flag: null, flagReason: null, status: 'counted' as const } : { flag: 'invalid' as const };
  const [changed] = await db.orm.batch([
    db.orm.update(signatures).set(set).where(and(eq(signatures.id, input.signatureId), sql.raw(DECIDABLE))),
    auditInsert(db.orm, {
      actor: input.actor,
      action: input.decision === 'count' ? 'signature.released' : 'signature.invalidated',
      campaignId,
      subject: input.signatureId,
      rowCount: 1,
      at: input.now,
      details: { reason: input.reason, heldFor: 'household' },
    }),
  ]);
  return changed!.rowsAffected ? { campaignId, decision: input.decision } : undefined;
}
