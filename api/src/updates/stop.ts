/**
 * `POST /v1/sms/inbound/{secret}`: STOP by SMS. Africa's Talking posts here (form-encoded) in two cases,
 * both configured in its dashboard with this one URL (`imlu updates inbound-url`):
 *
 * - Incoming messages (a reply to a two-way short code): `from`, `text`, `to`, `id`, `date`, `linkId`,
 *   `networkCode`. A text whose first word is a stop keyword (STOP, UNSUBSCRIBE, END, CANCEL, QUIT, and
 *   Kiswahili ACHA, SITISHA) stops updates and pledge reminders; an answer to a pledge reminder (DONE, CANT,
 *   NIMEFANYA, SIWEZI, HAPANA, with an optional action number: `src/pledges/sms-replies.ts`) is applied;
 *   any other text is ignored, and nothing of it is kept.
 * - Bulk SMS opt-out (a subscriber opting out of an alphanumeric sender id, by the instructions the
 *   provider appends to the first message): `senderId`, `phoneNumber`.
 *
 * Stopping sets `consent_updates = 0` on every live signature of that number, in every campaign. The
 * number is never stored or logged: for each campaign its keyed hash (`phone_hash`, per campaign) is
 * computed in memory and the update goes through the family-phone index (`signatures_phone_idx`, whose
 * WHERE the query repeats so SQLite uses it). The answer is the same whether or not anything matched, and
 * says nothing of the number. The audit log gets one entry (`updates.stopped`) with the number of
 * signatures — no campaign, no number, since together with the time those could point to the person.
 *
 * As for delivery reports, the provider signs nothing, so the URL carries a secret (derived from the
 * blind-index key, apart from the delivery-report one); a wrong one is a 404 like any unknown route, bodies
 * over 4 KB get 413, and each source has its own per-minute limit.
 */
import { hkdfSync } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { normalisePhone } from '@imlu/contracts/phone';
import { ProblemSchema } from '@imlu/contracts';
import { perSourceLimit, type HardLimiter } from '../abuse/rate-limit.ts';
import { recordAudit } from '../audit/audit.ts';
import type { Db } from '../db/client.ts';
import { limitBody } from '../http/body-limit.ts';
import { createRouter, problemResponses } from '../http/openapi.ts';
import { requireSecret } from '../messages/sms-reports.ts';
import { answerPledgeReply, parsePledgeReply, stopRemindersTo } from '../pledges/sms-replies.ts';
import type { FieldCrypto } from '../signing/crypto.ts';

const PATH_PREFIX = '/v1/sms/inbound/';
export const MAX_INBOUND_BYTES = 4 * 1024;
export const INBOUND_PER_MINUTE = 600;

/** First words that mean "stop", in English and Kiswahili ("acha": stop/leave; "sitisha": stop/suspend). */
export const STOP_WORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'END', 'CANCEL', 'QUIT', 'OPTOUT', 'ACHA', 'SITISHA']);

/** Who stopped, for the audit log: the holder of the phone. */
export const STOP_ACTOR = { id: 'signer:sms-stop', name: 'STOP by SMS' } as const;

export function inboundSmsSecret(blindIndexKey: Buffer): string {
  return Buffer.from(hkdfSync('sha256', blindIndexKey, Buffer.alloc(0), 'imlu:sms-inbound:v1', 32)).toString('base64url');
}

/** The URL to configure for incoming messages and bulk SMS opt-outs in the Africa's Talking dashboard. */
export function inboundSmsUrl(publicBaseUrl: string, blindIndexKey: Buffer): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}${PATH_PREFIX}${inboundSmsSecret(blindIndexKey)}`;
}

/** Whether a text asks to stop: its first word, letters only, upper case, is a stop word. */
export function isStopRequest(text: string): boolean {
  const first = text.normalize('NFKC').toUpperCase().trim().split(/\s+/)[0] ?? '';
  return STOP_WORDS.has(first.replace(/[^A-Z]/g, ''));
}

/**
 * Ends updates to this number (E.164) in every campaign that still holds personal data. Returns how many
 * signatures had the consent and lost it.
 */
export async function stopUpdatesTo(db: Db, crypto: FieldCrypto, e164: string, now: number): Promise<number> {
  const campaigns = await db.client.execute('SELECT id FROM campaigns WHERE anonymised_at IS NULL');
  if (!campaigns.rows.length) return 0;
  const results = await db.client.batch(
    campaigns.rows.map((row) => ({
      sql:
        'UPDATE signatures SET consent_updates = 0 WHERE campaign_id = ? AND phone_hash = ? ' +
        "AND status = 'counted' AND flag IS NULL AND superseded_by IS NULL AND consent_updates = 1",
      args: [String(row[0]), crypto.blindIndex('phone', String(row[0]), e164)],
    })),
    'write',
  );
  const stopped = results.reduce((sum, r) => sum + r.rowsAffected, 0);
  if (stopped) await recordAudit(db.orm, { actor: STOP_ACTOR, action: 'updates.stopped', rowCount: stopped, at: now, details: { channel: 'sms' } });
  return stopped;
}

const InboundSchema = z
  .looseObject({
    from: z.string().max(40).optional(),
    text: z.string().max(2000).optional(),
    phoneNumber: z.string().max(40).optional(),
    senderId: z.string().max(40).optional(),
  })
  .refine((b) => (b.from !== undefined && b.text !== undefined) || b.phoneNumber !== undefined, { path: ['from'], message: 'required' });

export function smsInboundRouter(options: { secret: string; limiter: HardLimiter }) {
  const route = createRoute({
    method: 'post',
    path: `${PATH_PREFIX}{secret}`,
    tags: ['operations'],
    summary: "STOP by SMS: incoming messages and bulk SMS opt-outs from Africa's Talking (configure the URL `imlu updates inbound-url` prints)",
    description:
      'A text whose first word is STOP, UNSUBSCRIBE, END, CANCEL, QUIT, ACHA or SITISHA (`from`, `text`), or an opt-out (`phoneNumber`), ' +
      'ends updates and pledge reminders to that number in every campaign. A first word DONE or NIMEFANYA (done), CANT, SIWEZI or HAPANA ' +
      "(can't make it), optionally followed by the action's number, answers a pledge reminder. Other texts are ignored. The answer is the same whatever matched. The last path " +
      `segment is a secret; a wrong one is \`404 not-found\`. Bodies over ${MAX_INBOUND_BYTES / 1024} KB get 413; ${INBOUND_PER_MINUTE} posts a minute per source.`,
    middleware: [requireSecret(options.secret), perSourceLimit('sms-inbound', () => options.limiter), limitBody(MAX_INBOUND_BYTES)] as const,
    request: {
      params: z.object({ secret: z.string().meta({ description: 'The secret printed by `imlu updates inbound-url` (43 characters)' }) }),
      body: { required: true, content: { 'application/x-www-form-urlencoded': { schema: InboundSchema } } },
    },
    responses: {
      200: { description: 'Taken', content: { 'application/json': { schema: z.object({ ok: z.literal(true) }) } } },
      ...problemResponses(404),
      413: { description: `Body over ${MAX_INBOUND_BYTES / 1024} KB (\`payload-too-large\`)`, content: { 'application/problem+json': { schema: ProblemSchema } } },
      ...problemResponses(422, 429, 500),
    },
  });
  return createRouter().openapi(route, async (c) => {
    const body = c.req.valid('form');
    const { db, crypto, clock, logger } = c.var.services;
    const number = body.text !== undefined && body.from !== undefined ? (isStopRequest(body.text) ? body.from : undefined) : body.phoneNumber;
    const e164 = number ? normalisePhone(number) : undefined;
    if (e164) {
      const stopped = await stopUpdatesTo(db, crypto, e164, clock());
      if (stopped) logger.info('updates stopped by SMS', { signatures: stopped });
      const reminders = await stopRemindersTo(db, crypto, e164, clock());
      if (reminders) logger.info('pledge reminders stopped by SMS', { commitments: reminders });
    }
    // Not STOP: perhaps an answer to a pledge reminder (DONE 2, SIWEZI …; src/pledges/sms-replies.ts).
    const reply = !number && body.from !== undefined && body.text !== undefined ? parsePledgeReply(body.text) : undefined;
    const replier = reply ? normalisePhone(body.from!) : undefined;
    if (reply && replier) {
      const changed = await answerPledgeReply(db, crypto, replier, reply, clock());
      if (changed) logger.info('pledge answered by SMS', { say: reply.say, commitments: changed });
    }
    return c.json({ ok: true as const }, 200);
  });
}
