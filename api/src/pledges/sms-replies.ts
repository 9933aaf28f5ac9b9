/**
 * Answers to pledge reminders by SMS (issue 16), through the inbound route of STOP (`updates/stop.ts`):
 *
 * - first word DONE or NIMEFANYA ("I have done it"): the supporter did it (`sayOfPledge(…, 'done')`);
 * - first word CANT (also CAN'T), SIWEZI ("I cannot") or HAPANA ("no"): they cannot make it;
 * - an optional second word is the action's position ("SIWEZI 2"), as the reminder SMS says it. Without
 *   it: the action most recently reminded to that number; if nothing was ever reminded to it, the one
 *   action it pledged, if it pledged exactly one.
 *
 * The number is matched per campaign by its keyed hash (`phone_hash`), exactly as STOP does: it is never
 * stored or logged. Of a family phone (several names, each with its own signature), ONE commitment changes
 * per reply — the most recently reminded one that the answer still changes — so "DONE 2" from a phone
 * two people pledged from counts one person, and a second "DONE 2" the other. The guarded state changes
 * (`commitments.ts`) keep a replayed or late reply from changing anything twice or out of time ("can't"
 * only before the start, "done" only from it). The HTTP answer is the same whatever happened; the audit
 * log gets one entry (`pledge.replied`) when something changed, with the answer and a count only — no
 * campaign, no number.
 *
 * STOP ends reminders too (`stopRemindersTo`): "Reply STOP" in a reminder must stop the reminders.
 */
import type { Client } from '@libsql/client';
import { recordAudit } from '../audit/audit.ts';
import type { Db } from '../db/client.ts';
import type { FieldCrypto } from '../signing/crypto.ts';
import { sayOfPledge } from './commitments.ts';

export const DONE_WORDS = new Set(['DONE', 'NIMEFANYA']);
export const CANT_WORDS = new Set(['CANT', 'SIWEZI', 'HAPANA']);

/** Who answered, for the audit log: the holder of the phone. */
export const REPLY_ACTOR = { id: 'signer:sms-reply', name: 'pledge reply by SMS' } as const;

export interface PledgeReply {
  say: 'done' | 'cant';
  /** The action's position, when the reply named one. */
  position?: number;
}

/** What a text says of a pledge, if its first word is one of the reply words (letters only, any case). */
export function parsePledgeReply(text: string): PledgeReply | undefined {
  const [first = '', second = ''] = text.normalize('NFKC').toUpperCase().trim().split(/\s+/);
  const word = first.replace(/[^A-Z]/g, '');
  const say = DONE_WORDS.has(word) ? 'done' : CANT_WORDS.has(word) ? 'cant' : undefined;
  if (!say) return undefined;
  const digits = /^#?(\d{1,3})\b/.exec(second)?.[1];
  return digits && Number(digits) > 0 ? { say, position: Number(digits) } : { say };
}

interface Candidate {
  signatureId: string;
  actionId: string;
  campaignId: string;
  remindedAt: number;
  /** The action's start, or null for an action without a date. */
  startsAt: number | null;
}

/** The number's live commitments in every pledge campaign that still holds personal data (of one position, if given). */
async function commitmentsOf(client: Client, crypto: FieldCrypto, e164: string, position: number | undefined): Promise<Candidate[]> {
  const campaigns = await client.execute("SELECT id FROM campaigns WHERE kind = 'pledge' AND status <> 'draft' AND anonymised_at IS NULL");
  if (!campaigns.rows.length) return [];
  // The family-phone index (`signatures_phone_idx`), whose WHERE is repeated so that SQLite uses it.
  const results = await client.batch(
    campaigns.rows.map((row) => ({
      sql:
        'SELECT pc.signature_id, pc.action_id, pc.campaign_id, MAX(COALESCE(pc.reminded_day_at, 0), COALESCE(pc.reminded_before_at, 0)), a.starts_at ' +
        'FROM signatures s JOIN pledge_commitments pc ON pc.signature_id = s.id JOIN pledge_actions a ON a.id = pc.action_id ' +
        `WHERE s.campaign_id = ? AND s.phone_hash = ? AND s.status = 'counted' AND s.flag IS NULL${position ? ' AND a.position = ?' : ''}`,
      args: [String(row[0]), crypto.blindIndex('phone', String(row[0]), e164), ...(position ? [position] : [])],
    })),
    'read',
  );
  return results
    .flatMap((r) => r.rows)
    .map((r) => ({ signatureId: String(r[0]), actionId: String(r[1]), campaignId: String(r[2]), remindedAt: Number(r[3]), startsAt: r[4] === null ? null : Number(r[4]) }));
}

/**
 * Applies an SMS answer from this number (E.164). Returns how many commitments changed (0 or 1).
 */
export async function answerPledgeReply(db: Db, crypto: FieldCrypto, e164: string, reply: PledgeReply, now: number): Promise<number> {
  // Only actions the answer can apply to now ("can't" before the start, "done" from it); of those, the one
  // most recently reminded; between actions reminded together, the next to start ("can't") or the last started ("done").
  const inTime = (c: Candidate) => c.startsAt === null || (reply.say === 'cant' ? c.startsAt > now : c.startsAt <= now);
  const order = (c: Candidate) => (c.startsAt ?? 0) * (reply.say === 'cant' ? 1 : -1);
  const candidates = (await commitmentsOf(db.client, crypto, e164, reply.position)).filter(inTime).sort((a, b) => b.remindedAt - a.remindedAt || order(a) - order(b));
  const top = candidates[0];
  if (!top) return 0;
  // Never reminded: only an unambiguous answer (one action) is taken.
  if (!top.remindedAt && new Set(candidates.map((c) => c.actionId)).size > 1) return 0;
  let changed = 0;
  for (const c of candidates.filter((c) => c.actionId === top.actionId)) {
    if (await sayOfPledge(db.client, c.signatureId, c.actionId, reply.say, now)) {
      changed = 1;
      break;
    }
  }
  if (changed) await recordAudit(db.orm, { actor: REPLY_ACTOR, action: 'pledge.replied', rowCount: changed, at: now, details: { channel: 'sms', say: reply.say } });
  return changed;
}

/** Ends reminders to this number (E.164) in every pledge campaign; returns how many commitments had them. */
export async function stopRemindersTo(db: Db, crypto: FieldCrypto, e164: string, now: number): Promise<number> {
  const campaigns = await db.client.execute("SELECT id FROM campaigns WHERE kind = 'pledge' AND anonymised_at IS NULL");
  if (!campaigns.rows.length) return 0;
  const results = await db.client.batch(
    campaigns.rows.map((row) => ({
      sql:
        'UPDATE pledge_commitments SET remind = 0 WHERE remind = 1 AND signature_id IN (' +
        "SELECT s.id FROM signatures s WHERE s.campaign_id = ? AND s.phone_hash = ? AND s.status = 'counted' AND s.flag IS NULL)",
      args: [String(row[0]), crypto.blindIndex('phone', String(row[0]), e164)],
    })),
    'write',
  );
  const stopped = results.reduce((sum, r) => sum + r.rowsAffected, 0);
  if (stopped) await recordAudit(db.orm, { actor: REPLY_ACTOR, action: 'pledge.reminders-stopped', rowCount: stopped, at: now, details: { channel: 'sms' } });
  return stopped;
}
