/**
 * The outbox handler for confirmation e-mails: reads the signature's state and campaign title, decrypts
 * the recipient from the message payload (only here, only in memory), makes its signed link and hands the
 * message to the mail transport. A signature that can no longer be confirmed (already confirmed,
 * superseded by a later submission, or deleted) needs no message: `skipped`.
 */
import type { Client } from '@libsql/client';
import type { Locale } from '@imlu/contracts';
import type { MailTransport } from '../messages/email.ts';
import { DeliveryError, type MessageHandler } from '../outbox/worker.ts';
import type { FieldCrypto } from '../signing/crypto.ts';
import type { SignerAccess } from '../signer/access.ts';
import { canonicalEmail } from '../signing/normalise.ts';
import { confirmationEmail } from './messages.ts';
import { CONFIRMATION_LINK_TTL_MS } from './state.ts';
import type { ConfirmationTokens } from './token.ts';

export { CONFIRMATION_LINK_TTL_MS };

export interface ConfirmationContext {
  client: Client;
  crypto: FieldCrypto;
  tokens: ConfirmationTokens;
  clock: () => number;
  /** Base URL of the public API, e.g. `https://api.example.org` (no trailing slash). */
  publicBaseUrl: () => string;
  /** Seals the private manage-my-signature link the confirmation e-mail carries. */
  signerAccess: SignerAccess;
}

interface PendingSignature {
  campaignId: string;
  title: { en: string; sw: string };
  /** When its link stops working: `CONFIRMATION_LINK_TTL_MS` after it was submitted. */
  expiresAt: number;
  /** The generation of its SMS code. */
  codeGen: number;
}

/** The signature if it still waits for confirmation and is its contact's current version, with its campaign's title. */
export async function pendingSignature(client: Client, signatureId: string | null): Promise<PendingSignature | undefined> {
  if (!signatureId) return undefined;
  const result = await client.execute({
    sql:
      'SELECT s.campaign_id, c.title_en, c.title_sw, s.created_at, s.code_gen FROM signatures s JOIN campaigns c ON c.id = s.campaign_id ' +
      "WHERE s.id = ? AND s.status = 'pending' AND s.flag IS NULL AND s.superseded_by IS NULL",
    args: [signatureId],
  });
  const row = result.rows[0];
  if (!row) return undefined;
  return {
    campaignId: String(row[0]),
    title: { en: String(row[1]), sw: String(row[2]) },
    expiresAt: Number(row[3]) + CONFIRMATION_LINK_TTL_MS,
    codeGen: Number(row[4]),
  };
}

export function localeOf(value: unknown): Locale {
  return value === 'sw' ? 'sw' : 'en';
}

export function confirmationLink(context: ConfirmationContext, signatureId: string): string {
  return `${context.publicBaseUrl().replace(/\/+$/, '')}/v1/confirm/${context.tokens.issue(signatureId)}`;
}

export function emailConfirmationHandler(context: ConfirmationContext, mail: MailTransport): MessageHandler {
  return async (message) => {
    const signature = await pendingSignature(context.client, message.signatureId);
    if (!signature) return 'skipped';
    if (!message.payload.to) throw new DeliveryError('no-recipient', true);
    const to = context.crypto.decrypt(message.payload.to, signature.campaignId, 'email');
    const locale = localeOf(message.payload.locale);
    const link = confirmationLink(context, message.signatureId!);
    // The message reaches the owner of the address, so its link to manage their signatures is private: it
    // proves the address like a manage message would, for as long as the confirmation link works.
    const session = context.signerAccess.session({ kind: 'email', value: canonicalEmail(to) }, locale, signature.expiresAt);
    const manageLink = `${context.publicBaseUrl().replace(/\/+$/, '')}/me/${session}`;
    const content = confirmationEmail({ locale, campaignTitle: signature.title[locale], link, expiresAt: signature.expiresAt, manageLink });
    await mail.send({ to, ...content, language: locale });
    return 'sent';
  };
}
