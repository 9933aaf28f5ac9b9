/**
 * `POST /v1/campaigns/:slug/confirmations`: an SMS code. Brute force is bounded per signature: every try
 * first takes one of 5 attempts in ONE atomic UPDATE (parallel guesses cannot all pass a read-then-write
 * check), and only then is the code compared, in constant time. A right code confirms through the same
 * `pending → counted` update as the link, whose trigger moves the counts exactly once.
 *
 * What a caller can learn is bounded too: a wrong code, a forged handle, a handle for a signature that
 * confirms by e-mail, or a deleted signature all give the same 422.
 */
import { timingSafeEqual } from 'node:crypto';
import type { AppRouteHandler } from '../http/context.ts';
import { fieldError, ProblemError, validationProblem } from '../http/problem.ts';
import { readCountRows } from '../signing/writer.ts';
import type { postConfirmation } from './confirmations.routes.ts';

/** Codes tried per signature, right or wrong. */
export const MAX_CODE_ATTEMPTS = 5;

const wrongCode = () => validationProblem([fieldError('code', 'invalid')]);

export const postConfirmationHandler: AppRouteHandler<typeof postConfirmation> = async (c) => {
  const { db, crypto, tokens, clock, counts } = c.var.services;
  const campaign = c.var.campaign;
  const { handle, code } = c.req.valid('json');

  let phoneKey: Buffer;
  try {
    phoneKey = Buffer.from(crypto.decrypt(handle, campaign.id, 'confirmation-handle'), 'base64url');
  } catch {
    throw wrongCode();
  }

  const reserved = await db.client.execute({
    sql:
      'UPDATE signatures SET confirm_attempts = confirm_attempts + 1 ' +
      'WHERE id = (SELECT signature_id FROM signature_dedupe WHERE campaign_id = ? AND key_hmac = ?) AND confirm_attempts < ? ' +
      "RETURNING id, status, confirm_channel",
    args: [campaign.id, phoneKey, MAX_CODE_ATTEMPTS],
  });
  const row = reserved.rows[0];
  if (!row) {
    // Either no such signature or its attempts are used up; only the latter is worth telling apart, and
    // the sign response already implied that a signature exists for this handle.
    const exists = await db.client.execute({
      sql: 'SELECT 1 FROM signature_dedupe WHERE campaign_id = ? AND key_hmac = ?',
      args: [campaign.id, phoneKey],
    });
    if (exists.rows.length) throw new ProblemError('rate-limited', { detail: 'Too many codes tried. Use the link in the SMS.' });
    throw wrongCode();
  }
  const signatureId = String(row[0]);
  const expected = Buffer.from(tokens.smsCode(signatureId));
  if (row[2] !== 'sms' || !timingSafeEqual(Buffer.from(code.padEnd(6, '0').slice(0, 6)), expected)) throw wrongCode();

  if (row[1] === 'pending') {
    const now = clock();
    const [, countRows] = await db.client.batch(
      [
        {
          sql: "UPDATE signatures SET status = 'counted', confirmed_at = ? WHERE id = ? AND status = 'pending' AND flag IS NULL",
          args: [now, signatureId],
        },
        {
          sql: 'SELECT campaign_id, bucket, counted, pending, version, updated_at FROM campaign_counts WHERE campaign_id = ?',
          args: [campaign.id],
        },
      ],
      'write',
    );
    counts.apply(readCountRows(countRows!));
  }
  return c.json({ status: 'counted' as const }, 200, { 'Cache-Control': 'no-store' });
};
