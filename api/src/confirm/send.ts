/**
 * The outbox handler for confirmation e-mails: reads the signature's state and campaign title, decrypts
 * the recipient from the message payload (only here, only in memory), makes a fresh signed link and
 * hands the message to the mail transport. A signature that is no longer pending (already confirmed,
 * or deleted) needs no message: `skipped`.
 */
import type { Client } from '@libsql/client';
import type { Locale } from '@imlu/contracts';
import type { MailTransport } from '../messages/email.ts';
import { DeliveryError, type MessageHandler } from '../outbox/worker.ts';
import type { FieldCrypto } from '../signing/crypto.ts';
import { confirmationEmail } from './messages.ts';
import type { ConfirmationTokens } from './token.ts';

/** How long a confirmation link works. */
export const CONFIRMATION_LINK_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export interface ConfirmationContext {
  client: Client;
  crypto: FieldCrypto;
  tokens: ConfirmationTokens;
  clock: () => number;
  /** Base URL of the public API, e.g. `https://api.example.org` (no trailing slash). */
  publicBaseUrl: () => string;
  linkTtlMs?: number;
}

interface PendingSignature {
  campaignId: string;
  title: { en: string; sw: string };
}

/** The signature if it still waits for confirmation, with its campaign's title. */
export async function pendingSignature(client: Client, signatureId: string | null): Promise<PendingSignature | undefined> {
  if (!signatureId) return undefined;
  const result = await client.execute({
    sql:
      'SELECT s.status, s.campaign_id, c.title_en, c.title_sw FROM signatures s JOIN campaigns c ON c.id = s.campaign_id WHERE s.id = ?',
    args: [signatureId],
  });
  const row = result.rows[0];
  if (!row || row[0] !== 'pending') return undefined;
  return { campaignId: String(row[1]), title: { en: String(row[2]), sw: String(row[3]) } };
}

export function localeOf(value: unknown): Locale {
  return value === 'sw' ? 'sw' : 'en';
}

export function confirmationLink(context: ConfirmationContext, signatureId: string, expiresAt: number): string {
  return `${context.publicBaseUrl().replace(/\/+$/, '')}/v1/confirm/${context.tokens.issue(signatureId, expiresAt)}`;
}

export function emailConfirmationHandler(context: ConfirmationContext, mail: MailTransport): MessageHandler {
  return async (message) => {
    const signature = await pendingSignature(context.client, message.signatureId);
    if (!signature) return 'skipped';
    if (!message.payload.to) throw new DeliveryError('no-recipient', true);
    const to = context.crypto.decrypt(message.payload.to, signature.campaignId, 'email');
    const locale = localeOf(message.payload.locale);
    const expiresAt = context.clock() + (context.linkTtlMs ?? CONFIRMATION_LINK_TTL_MS);
    const link = confirmationLink(context, message.signatureId!, expiresAt);
    const content = confirmationEmail({ locale, campaignTitle: signature.title[locale], link, expiresAt });
    await mail.send({ to, ...content, language: locale });
    return 'sent';
  };
}
