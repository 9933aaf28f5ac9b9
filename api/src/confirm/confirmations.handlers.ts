/**
 * SMS codes: `POST /v1/campaigns/:slug/confirmations` (a code) and `POST …/confirmations/resend` (a new
 * code). The handle from the sign response names one submitted version of a signature; a right code
 * confirms that version only, through the same UPDATE as the link (`state.ts`).
 *
 * Guessing is bounded three ways: per source (in memory, per node: `CODE_TRIES_PER_SOURCE` and
 * `RESENDS_PER_SOURCE` per 10 minutes, the routes' `perSourceLimit`), per code (5 tries) and per version (5 new codes). A stranger who
 * spends a code's tries does not lock the owner out: the owner asks for a new code (and the link in the
 * SMS works regardless of tries).
 *
 * What a caller can learn is bounded too. Tries and new codes are counted in `code_attempts` by the
 * handle's version id whether or not that version was ever stored — a duplicate's handle names a version
 * that never was — so a stranger who signed with someone else's number gets the same answers either way:
 * wrong codes are 422, used-up tries 429, and a new code is always "queued" (it is sent only to a stored,
 * confirmable version, within the contact's daily message cap).
 */
import { timingSafeEqual } from 'node:crypto';
import { deleteInChunks, type Db } from '../db/client.ts';
import type { AppRouteHandler, Services } from '../http/context.ts';
import { fieldError, ProblemError, validationProblem } from '../http/problem.ts';
import { CONFIRMATION_CAP_WINDOW_MS, MAX_CONFIRMATIONS_PER_CONTACT_PER_DAY, readActionCountRows, readCountRows } from '../signing/writer.ts';
import type { postConfirmation, postResend } from './confirmations.routes.ts';
import { CONFIRMATION_LINK_TTL_MS, confirmVersion, loadVersion } from './state.ts';

/** Codes tried per code, right or wrong. */
export const MAX_CODE_ATTEMPTS = 5;
/** New codes per signature version. */
export const MAX_RESENDS = 5;
/** Per source IP and node, in `SOURCE_WINDOW_MS`. */
export const CODE_TRIES_PER_SOURCE = 10;
export const RESENDS_PER_SOURCE = 5;
export const SOURCE_WINDOW_MS = 10 * 60_000;

/** Deletes code tries older than any link can live (plus a day); returns how many. */
export async function pruneCodeAttempts(db: Db, now: number = Date.now()): Promise<number> {
  return deleteInChunks(db.client, 'code_attempts', 'updated_at < ?', [now - CONFIRMATION_LINK_TTL_MS - 24 * 60 * 60 * 1000]);
}

const wrongCode = () => validationProblem([fieldError('code', 'invalid')]);

/** The version id a handle names, or undefined for a handle that is not ours (or not this campaign's). */
function versionOf(services: Services, campaignId: string, handle: string): string | undefined {
  try {
    const id = services.crypto.decrypt(handle, campaignId, 'confirmation-handle');
    return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What a typed code did. `wrong` covers a wrong code, a handle that names nothing confirmable and a code
 * for replaced details alike; `too-many`: this code's tries are spent.
 */
export type CodeResult = 'counted' | 'held' | 'wrong' | 'too-many' | 'closed';

/** Tries a code for the version a handle names: the one path of the JSON route and the hosted page. */
export async function tryConfirmationCode(services: Services, campaignId: string, handle: string, code: string): Promise<CodeResult> {
  const { db, crypto, tokens, clock, counts } = services;
  const id = versionOf(services, campaignId, handle);
  if (!id) return 'wrong';

  const now = clock();
  // One try taken in ONE atomic statement (parallel guesses cannot all pass a read-then-write check).
  const reserved = await db.client.execute({
    sql:
      'INSERT INTO code_attempts (signature_id, attempts, resends, updated_at) VALUES (?, 1, 0, ?) ' +
      'ON CONFLICT (signature_id) DO UPDATE SET attempts = attempts + 1, updated_at = excluded.updated_at ' +
      'WHERE code_attempts.attempts < ? RETURNING attempts',
    args: [id, now, MAX_CODE_ATTEMPTS],
  });
  if (!reserved.rows.length) return 'too-many';

  const version = await loadVersion(db.client, crypto, id, now);
  const right = version?.confirmChannel === 'sms' && timingSafeEqual(Buffer.from(code.padEnd(6, '0').slice(0, 6)), Buffer.from(tokens.smsCode(id, version.codeGen)));
  if (!version || !right) return 'wrong';
  if (version.state === 'confirmed') return 'counted';
  if (version.state === 'held') return 'held';
  if (version.state === 'closed') return 'closed';
  // Superseded by a later submission, or expired: this code confirms nothing any more.
  if (version.state !== 'confirmable') return 'wrong';

  const result = await confirmVersion(db.client, id, 'sms', now);
  if (result.outcome === 'not-confirmable') return 'wrong';
  counts.apply(readCountRows(result.countRows));
  counts.applyActions(readActionCountRows(result.actionCountRows));
  return result.outcome === 'confirmed' ? 'counted' : 'held';
}

export const postConfirmationHandler: AppRouteHandler<typeof postConfirmation> = async (c) => {
  const { handle, code } = c.req.valid('json');
  const result = await tryConfirmationCode(c.var.services, c.var.campaign.id, handle, code);
  if (result === 'wrong') throw wrongCode();
  if (result === 'too-many') {
    throw new ProblemError('rate-limited', { detail: 'Too many codes tried. Ask for a new code, or use the link in the SMS.' });
  }
  if (result === 'closed') throw new ProblemError('campaign-closed');
  return c.json({ status: result }, 200, { 'Cache-Control': 'no-store' });
};

/**
 * Asks for a new code for the version a handle names. `queued` whether or not a message goes out (see the
 * file's comment); `too-many` once the version had its new codes.
 */
export async function requestNewCode(services: Services, campaignId: string, handle: string): Promise<'queued' | 'too-many'> {
  const { db, clock } = services;
  const id = versionOf(services, campaignId, handle);
  if (!id) return 'queued';

  const now = clock();
  // Counted for the version id whether or not it exists, so the answers are the same either way.
  const granted = await db.client.execute({
    sql:
      'INSERT INTO code_attempts (signature_id, attempts, resends, updated_at) VALUES (?, 0, 1, ?) ' +
      'ON CONFLICT (signature_id) DO UPDATE SET attempts = 0, resends = resends + 1, updated_at = excluded.updated_at ' +
      'WHERE code_attempts.resends < ? RETURNING resends',
    args: [id, now, MAX_RESENDS],
  });
  if (!granted.rows.length) return 'too-many';

  // A new code, and its message, only for a stored version that can still be confirmed, within its
  // phone's daily cap. The two statements test the same conditions, so both happen or neither does.
  const eligible =
    "s.id = ? AND s.status = 'pending' AND s.flag IS NULL AND s.superseded_by IS NULL AND s.confirm_channel = 'sms' " +
    "AND s.created_at > ? AND (SELECT COUNT(*) FROM outbox o WHERE o.campaign_id = s.campaign_id AND o.contact_hmac = s.phone_hash AND o.kind = 'confirm-sms' " +
    'AND o.created_at > ?) < ?';
  const eligibleArgs = [id, now - CONFIRMATION_LINK_TTL_MS, now - CONFIRMATION_CAP_WINDOW_MS, MAX_CONFIRMATIONS_PER_CONTACT_PER_DAY];
  await db.client.batch(
    [
      {
        sql:
          'INSERT INTO outbox (id, kind, campaign_id, signature_id, payload, status, attempts, next_attempt_at, created_at, contact_hmac) ' +
          "SELECT lower(hex(randomblob(16))), 'confirm-sms', s.campaign_id, s.id, json_object('to', s.phone_enc, 'locale', COALESCE(s.locale, 'en')), " +
          `'pending', 0, ?, ?, s.phone_hash FROM signatures s WHERE ${eligible}`,
        args: [now, now, ...eligibleArgs],
      },
      // After the message is queued the cap counts it; the version still matches on its id alone.
      { sql: "UPDATE signatures SET code_gen = code_gen + 1 WHERE id = ? AND changes() = 1", args: [id] },
    ],
    'write',
  );
  services.outbox.notify();
  return 'queued';
}

export const postResendHandler: AppRouteHandler<typeof postResend> = async (c) => {
  const { handle } = c.req.valid('json');
  if ((await requestNewCode(c.var.services, c.var.campaign.id, handle)) === 'too-many') {
    throw new ProblemError('rate-limited', { detail: 'Too many new codes asked for. Use the link in the SMS, or sign again.' });
  }
  return c.json({ status: 'queued' as const }, 202, { 'Cache-Control': 'no-store' });
};
