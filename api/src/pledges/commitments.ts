/**
 * What a supporter (or a campaigner) says of one pledged action (issue 16), as single guarded UPDATEs:
 * each is allowed only where it makes sense, so a replayed link or SMS, two clicks, or a reply after the
 * date changes nothing twice. The figures (`pledge_action_counts`) follow by trigger.
 *
 * - `cant`: before the action's start (or any time for an action without a date), while not yet kept;
 *   frees the place.
 * - `pledged`: undoes `cant` before the start, only while the action has a place free.
 * - `done`: from the action's start (any time without a date); sets `kept_at` once, by the signer, unless a
 *   campaigner's attendance record kept it first.
 *
 * Only a live commitment changes (its signature counts: status `counted`, no flag).
 */
import type { Client } from '@libsql/client';

export type PledgeSay = 'done' | 'cant' | 'pledged';

const LIVE = "EXISTS (SELECT 1 FROM signatures s WHERE s.id = pledge_commitments.signature_id AND s.status = 'counted' AND s.flag IS NULL)";
const ACTION = 'SELECT a.starts_at FROM pledge_actions a WHERE a.id = pledge_commitments.action_id';

const GUARDS: Record<PledgeSay, string> = {
  cant: `state = 'pledged' AND kept_at IS NULL AND COALESCE((${ACTION}), 9e15) > ?2`,
  pledged:
    `state = 'cant' AND COALESCE((${ACTION}), 9e15) > ?2 AND (SELECT a.capacity IS NULL OR a.capacity > COALESCE(c.pledged, 0) ` +
    'FROM pledge_actions a LEFT JOIN pledge_action_counts c ON c.action_id = a.id WHERE a.id = pledge_commitments.action_id)',
  done: `state <> 'done' AND COALESCE((${ACTION}), 0) <= ?2`,
};

const SETS: Record<PledgeSay, string> = {
  cant: "state = 'cant', state_at = ?2",
  pledged: "state = 'pledged', state_at = ?2",
  done: "state = 'done', state_at = ?2, kept_at = COALESCE(kept_at, ?2), kept_by = COALESCE(kept_by, 'signer')",
};

/** Applies what the supporter said; true when it changed something. */
export async function sayOfPledge(client: Client, signatureId: string, actionId: string, say: PledgeSay, now: number): Promise<boolean> {
  const result = await client.execute({
    sql: `UPDATE pledge_commitments SET ${SETS[say]} WHERE signature_id = ?1 AND action_id = ?3 AND ${LIVE} AND ${GUARDS[say]}`,
    args: [signatureId, now, actionId],
  });
  return result.rowsAffected > 0;
}
