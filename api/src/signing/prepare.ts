/**
 * Turns a validated sign request into a writer submission: contacts normalised for the blind index,
 * personal fields encrypted, idempotency key and body reduced to keyed HMACs. Pure apart from the random
 * signature id and IVs, so the benchmark can build submissions without HTTP. Channels do not call this
 * directly: they call `sign()` (`./sign.ts`), the one signing path.
 */
import type { SignRequestParsed, SignResponse, Verification } from '@imlu/contracts';
import { sourceHashes, type RateLimitConfig } from '../abuse/rate-limit.ts';
import type { FieldCrypto } from './crypto.ts';
import { uuidv7 } from './ids.ts';
import { canonicalEmail, householdNameKey } from './normalise.ts';
import type { ConfirmChannel, DedupeKey, SignatureStatus, Submission } from './writer.ts';

/** The campaign facts a signature depends on. */
export interface SigningCampaign {
  id: string;
  verification: Verification;
  consentVersion: string;
  /** Names that may sign from one phone number (default 2). */
  phoneHousehold?: number;
}

export interface PrepareContext {
  campaign: SigningCampaign;
  crypto: FieldCrypto;
  now: number;
  /** Partner origin from the `Origin` header, if any. */
  origin: string | null;
  idempotencyKey?: string | undefined;
  /** Source IP to limit by (undefined: unknown or exempt). Only its keyed hash is stored. */
  sourceIp?: string | undefined;
  /** Limits in force; absent = no soft limits. */
  rateLimits?: RateLimitConfig | undefined;
  /** Bot friction tripped (`src/abuse/friction.ts`): store as suspect, answer as usual. */
  suspect?: boolean | undefined;
}

/** The campaign confirms by a channel the signer gave no contact for (e.g. e-mail only, no e-mail). */
export class MissingContactError extends Error {
  override name = 'MissingContactError';
  constructor(readonly field: 'email' | 'phone') {
    super(`this campaign confirms by ${field}`);
  }
}

/**
 * The channel that confirms a signature: `either` prefers e-mail when one was given (it costs nothing to
 * send), otherwise SMS. Null when the campaign needs no confirmation.
 */
export function confirmChannelFor(verification: Verification, contacts: { email: boolean; phone: boolean }): ConfirmChannel | null {
  switch (verification) {
    case 'none':
      return null;
    case 'email':
      if (!contacts.email) throw new MissingContactError('email');
      return 'email';
    case 'sms':
      if (!contacts.phone) throw new MissingContactError('phone');
      return 'sms';
    case 'either':
      return contacts.email ? 'email' : 'sms';
  }
}

/** The answer for a signature: the same whether it is new or a duplicate (never reveal who signed). */
export function signResponseFor(campaign: SigningCampaign): { status: 201 | 202; body: SignResponse } {
  return campaign.verification !== 'none'
    ? { status: 202, body: { status: 'pending_verification' } }
    : { status: 201, body: { status: 'counted' } };
}

export function prepareSubmission(input: SignRequestParsed, context: PrepareContext): Submission {
  const { campaign, crypto, now } = context;
  // The schema already parsed the phone into E.164 (its one rule lives in the contracts).
  const phone = input.phone || undefined;
  const email = input.email || undefined;
  const comment = input.comment || undefined;

  const dedupeKeys: DedupeKey[] = [];
  if (email) dedupeKeys.push({ kind: 'email', hmac: crypto.blindIndex('email', campaign.id, canonicalEmail(email)) });
  // A phone's key is the number AND the name: a family phone may carry several signers (`phoneHousehold`),
  // each their own signature; the same name again is the same signer.
  if (phone) dedupeKeys.push({ kind: 'phone', hmac: crypto.blindIndex('phone-name', campaign.id, `${phone}\n${householdNameKey(input.name)}`) });

  const id = uuidv7(now);
  const confirmChannel = confirmChannelFor(campaign.verification, { email: !!email, phone: !!phone });
  const status: SignatureStatus = confirmChannel ? 'pending' : 'counted';
  const answer = signResponseFor(campaign);
  if (confirmChannel === 'email') answer.body = { ...answer.body, confirmation: { channel: 'email' } };
  if (confirmChannel === 'sms') {
    // The handle names this submitted version (its id, encrypted with a fresh IV: it looks different every
    // time and holds nothing readable). It is made before anyone knows whether the contact already signed,
    // so a new signature and a duplicate get the same kind of answer; a duplicate's handle names a version
    // that was never stored, and codes tried on it are answered exactly like wrong codes on a stored one.
    answer.body = { ...answer.body, confirmation: { channel: 'sms', handle: crypto.encrypt(id, campaign.id, 'confirmation-handle') } };
  }
  const submission: Submission = {
    signature: {
      id,
      campaignId: campaign.id,
      status,
      nameEnc: crypto.encrypt(input.name, campaign.id, 'name'),
      // The address as typed is what we would write to; the canonical form is only for dedupe.
      emailEnc: email ? crypto.encrypt(email, campaign.id, 'email') : null,
      phoneEnc: phone ? crypto.encrypt(phone, campaign.id, 'phone') : null,
      commentEnc: comment ? crypto.encrypt(comment, campaign.id, 'comment') : null,
      county: input.county ?? null,
      locale: input.locale ?? null,
      consentTerms: input.consent.terms,
      consentPublicName: input.consent.publicName,
      consentShareWithTargets: input.consent.shareWithTargets,
      consentUpdates: input.consent.updates,
      consentVersion: campaign.consentVersion,
      consentAt: now,
      origin: context.origin,
      sourceRef: input.source || null,
      createdAt: now,
      confirmChannel,
      ...(context.rateLimits ? sourceHashes(crypto, campaign.id, context.sourceIp, email, phone, context.rateLimits) : {}),
      phoneHash: phone ? crypto.blindIndex('phone', campaign.id, phone) : null,
    },
    dedupeKeys,
    response: { status: answer.status, body: JSON.stringify(answer.body) },
    rateLimits: context.rateLimits?.soft,
    suspect: context.suspect,
    household: campaign.phoneHousehold,
  };
  // A pledge (issue 16): the actions chosen, each once (a repeated id is one pledge), stored with the
  // signature only if it is stored. sign() has checked them against the campaign.
  const actionIds = [...new Set(input.actions ?? [])];
  if (actionIds.length) submission.pledge = { actionIds, remind: input.remind ?? false };
  if (context.idempotencyKey !== undefined) {
    // The body is compared in its normalised form, so `0712…` and `+254712…` in a retry are the same body.
    const body = JSON.stringify([
      input.name,
      email ?? null,
      phone ?? null,
      input.county ?? null,
      input.consent.terms,
      input.consent.publicName,
      input.consent.shareWithTargets,
      input.consent.updates,
      comment ?? null,
      input.locale ?? null,
      input.source || null,
      // Only a pledge's body carries its actions and reminder choice, so a petition's retry across this
      // change still matches the record it stored before.
      ...(actionIds.length ? [[...actionIds].sort(), input.remind ?? false] : []),
    ]);
    submission.idempotency = {
      keyHmac: crypto.blindIndex('idempotency-key', campaign.id, context.idempotencyKey),
      bodyHmac: crypto.blindIndex('idempotency-body', campaign.id, body),
    };
  }
  return submission;
}
