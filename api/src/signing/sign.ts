/**
 * The one signing path. Every channel — the JSON route the widget uses, the hosted no-JavaScript page, and
 * any later one (an SMS keyword, a paper import) — hands `sign()` what the signer sent and how it arrived;
 * validation, normalisation, the contact the campaign confirms by, bot friction, proof of work and the
 * writer are decided here once, so a rule fixed here is fixed for every channel.
 *
 * What a channel keeps for itself is only its transport: how it reads the body, how it shows the result
 * (problem+json, an HTML page), and channel-level gates before a signature is read at all (the hard rate
 * limit, CORS, the hosted form's anti-forgery token).
 */
import { SignRequestSchema, type FieldError, type SignResponse } from '@imlu/contracts';
import type { AltchaVerdict } from '../abuse/altcha.ts';
import { limitsFor, trippedFriction, type FrictionSignals } from '../abuse/friction.ts';
import { isAcceptingSignatures, type CampaignRecord } from '../campaigns/store.ts';
import type { Services } from '../http/context.ts';
import { fieldError, fieldErrorsFromIssues } from '../http/problem.ts';
import { confirmChannelFor, MissingContactError, prepareSubmission } from './prepare.ts';

export interface SigningChannel {
  /** Partner origin from the `Origin` header, if any. */
  origin: string | null;
  /** Makes retries safe: a retry with the same key and body gets the first answer. */
  idempotencyKey?: string | undefined;
  /** The source IP to limit by (undefined: unknown or exempt), and whether it is exempt (loopback in development). */
  source: { ip: string | undefined; exempt: boolean };
  /**
   * The honeypot's content and the fill time, as this channel knows them; absent: the request's own
   * `website` and `elapsedMs` fields (the widget sends them).
   */
  friction?: Omit<FrictionSignals, 'exempt'> | undefined;
  /**
   * Whether this channel can run the campaign's proof of work (a browser with JavaScript). The hosted page
   * cannot: feature phones rely on its single-use form token, the honeypot, the fill time and the limits.
   */
  proofOfWork: boolean;
}

export type SignResult =
  /** Stored, a duplicate or a replay: the answer is the same for all three (never reveal who signed). */
  | { outcome: 'accepted'; status: 201 | 202; body: SignResponse }
  /** Nothing stored. One entry per field, all in one round. */
  | { outcome: 'invalid'; errors: FieldError[] }
  /** The campaign is not accepting signatures (closed, not yet open, or a draft). Nothing stored. */
  | { outcome: 'closed' }
  /** The Idempotency-Key was used with another body. Nothing stored. */
  | { outcome: 'idempotency-conflict' };

/** The fields a campaign that confirms by one channel requires, judged on what was sent. */
function missingContact(campaign: CampaignRecord, raw: unknown): FieldError | undefined {
  const given = (key: 'email' | 'phone') => {
    const value = (raw as Record<string, unknown> | null)?.[key];
    return typeof value === 'string' && value.trim() !== '';
  };
  try {
    confirmChannelFor(campaign.verification, { email: given('email'), phone: given('phone') });
    return undefined;
  } catch (error) {
    if (error instanceof MissingContactError) return fieldError(error.field, 'required');
    throw error;
  }
}

/**
 * What a campaign says of the actions sent (issue 16), judged on what was sent like `missingContact`: a
 * pledge with actions needs at least one, every id must be one of its actions, none may have begun (a
 * promise to attend what has already happened means nothing), and a campaign without actions takes none.
 */
function actionErrors(campaign: CampaignRecord, raw: unknown, now: number): FieldError | undefined {
  const sent = (raw as Record<string, unknown> | null)?.actions;
  const ids = Array.isArray(sent) ? sent : [];
  if (!campaign.actions.length) return ids.length ? fieldError('actions', 'invalid_action') : undefined;
  if (!ids.length) return fieldError('actions', 'actions_required');
  const known = new Set(campaign.actions.map((a) => a.id));
  if (ids.some((id) => typeof id !== 'string' || !known.has(id))) return fieldError('actions', 'invalid_action');
  if (campaign.actions.some((a) => ids.includes(a.id) && a.startsAt !== null && Date.parse(a.startsAt) <= now)) return fieldError('actions', 'action_past');
  return undefined;
}

/**
 * The chosen actions that have no place left, by their current `pledged` figure. Read outside the
 * writer's transaction, so under a race a few more may pledge than the capacity allows: the figure is a
 * guide for supporters, not a ticket system, and a place freed by "can't make it" is given back the same way.
 */
async function fullActions(services: Services, campaign: CampaignRecord, ids: readonly string[]): Promise<boolean> {
  const capped = campaign.actions.filter((a) => a.capacity !== null && ids.includes(a.id));
  if (!capped.length) return false;
  const result = await services.db.client.execute({
    sql: `SELECT action_id, pledged FROM pledge_action_counts WHERE action_id IN (${capped.map(() => '?').join(', ')})`,
    args: capped.map((a) => a.id),
  });
  const pledged = new Map(result.rows.map((row) => [String(row[0]), Number(row[1])]));
  return capped.some((a) => (pledged.get(a.id) ?? 0) >= a.capacity!);
}

export async function sign(services: Services, campaign: CampaignRecord, raw: unknown, channel: SigningChannel): Promise<SignResult> {
  const now = services.clock();
  if (!isAcceptingSignatures(campaign, now)) return { outcome: 'closed' };

  const parsed = SignRequestSchema.safeParse(raw);
  const errors = parsed.success ? [] : fieldErrorsFromIssues(parsed.error.issues);
  // A campaign that confirms by e-mail (or SMS) needs that contact: said in the same round as the rest, and
  // in place of "a phone number or an e-mail address", which on such a campaign would not be true.
  const contact = missingContact(campaign, raw);
  if (contact) {
    const either = errors.findIndex((e) => e.code === 'contact_required');
    if (either >= 0) errors.splice(either, 1, contact);
    else if (!errors.some((e) => e.path === contact.path)) errors.push(contact);
  }
  // The schema's own word on `actions` (not a list, an empty id, too many) stands; otherwise the campaign's,
  // and last whether the chosen actions have places left.
  if (!errors.some((e) => e.path === 'actions' || e.path.startsWith('actions.'))) {
    const action = actionErrors(campaign, raw, now);
    if (action) errors.push(action);
    else if (campaign.actions.length && (await fullActions(services, campaign, (raw as { actions: string[] }).actions))) {
      errors.push(fieldError('actions', 'action_full'));
    }
  }
  if (errors.length || !parsed.success) return { outcome: 'invalid', errors };
  const input = parsed.data;

  const limits = limitsFor(campaign, services.rateLimits);
  const submission = prepareSubmission(input, {
    campaign,
    crypto: services.crypto,
    now,
    origin: channel.origin,
    idempotencyKey: channel.idempotencyKey,
    sourceIp: channel.source.ip,
    rateLimits: limits,
    // Tripping the honeypot or the fill time stores the signature as suspect, silently: same answer.
    suspect: trippedFriction(
      { ...(channel.friction ?? { website: input.website, elapsedMs: input.elapsedMs }), exempt: channel.source.exempt },
      limits,
    ),
  });

  if (campaign.challenge === 'altcha' && channel.proofOfWork) {
    // Checked last, so a signer who must correct a field does not also need a new solution.
    if (!input.altcha) return { outcome: 'invalid', errors: [fieldError('altcha', 'challenge_required')] };
    const verdict: AltchaVerdict = await services.altcha.verify(input.altcha, campaign.id, submission.idempotency?.keyHmac ?? null);
    if (verdict !== 'ok') return { outcome: 'invalid', errors: [fieldError('altcha', 'challenge_failed')] };
  }

  const result = await services.writer.submit(submission);
  if (result.outcome === 'idempotency-conflict') return { outcome: 'idempotency-conflict' };
  // Stored, duplicate and replayed all answer the same bytes.
  return {
    outcome: 'accepted',
    status: result.response.status === 202 ? 202 : 201,
    body: JSON.parse(result.response.body) as SignResponse,
  };
}
