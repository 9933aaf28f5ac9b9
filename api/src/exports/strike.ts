/**
 * Striking a signature out of deliveries: the signer still signed and still counts, but no export
 * (CSV, JSON, PDF) carries the row any more — for a signer who asked to be left out of the pack sent to
 * officials, or a row a campaigner judges unfit to deliver. Audited; `undo` puts it back.
 */
import { eq } from 'drizzle-orm';
import { auditInsert } from '../audit/audit.ts';
import type { Actor } from '../auth/actor.ts';
import type { Db } from '../db/client.ts';
import { signatures } from '../db/schema.ts';

export interface StrikeResult {
  campaignId: string;
  struck: boolean;
  /** False when the row already was in the requested state. */
  changed: boolean;
}

export async function strikeSignature(
  db: Db,
  input: { signatureId: string; reason: string; actor: Actor; now?: number; undo?: boolean },
): Promise<StrikeResult | undefined> {
  const now = input.now ?? Date.now();
  const [row] = await db.orm
    .select({ campaignId: signatures.campaignId, struckAt: signatures.struckAt })
    .from(signatures)
    .where(eq(signatures.id, input.signatureId));
  if (!row) return undefined;
  const wantStruck = !input.undo;
  if ((row.struckAt !== null) === wantStruck) return { campaignId: row.campaignId, struck: wantStruck, changed: false };
  await db.orm.batch([
    db.orm
      .update(signatures)
      .set(wantStruck ? { struckAt: now, struckReason: input.reason, struckBy: input.actor.id } : { struckAt: null, struckReason: null, struckBy: null })
      .where(eq(signatures.id, input.signatureId)),
    auditInsert(db.orm, {
      actor: input.actor,
      action: wantStruck ? 'signature.struck' : 'signature.unstruck',
      campaignId: row.campaignId,
      subject: input.signatureId,
      rowCount: 1,
      at: now,
      details: { reason: input.reason },
    }),
  ]);
  return { campaignId: row.campaignId, struck: wantStruck, changed: true };
}
