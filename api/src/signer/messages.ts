/**
 * The message a signer asks for on `/me`: a 6-digit code and a private link to the manage page, by SMS to a
 * phone number or by e-mail to an address, in the language they signed in. It goes through the outbox like
 * a confirmation (retries, nothing lost on a restart, the recipient encrypted in the payload and emptied once
 * sent), as kind `manage-sms` or `manage-email`. Like confirmations, neither the subject nor the SMS names a
 * campaign: a lock screen must not tell an onlooker what someone signed.
 *
 * At most `MAX_MANAGE_MESSAGES_PER_CONTACT_PER_DAY` go to one contact in 24 hours, counted by a keyed hash of
 * the contact of its own (`SignerAccess.contactHash`), so that asking for links does not use up the
 * confirmations a signer needs (`MAX_CONFIRMATIONS_PER_CONTACT_PER_DAY`), nor the other way round.
 */
import type { Client, InStatement } from '@libsql/client';
import type { Locale } from '@imlu/contracts';
import { message, translator } from '../i18n/index.ts';
import { escapeHtml } from '../confirm/messages.ts';
import type { MailTransport } from '../messages/email.ts';
import { fitsOneGsm7Segment, type SmsProvider } from '../messages/sms.ts';
import { DeliveryError, type MessageHandler } from '../outbox/worker.ts';
import type { FieldCrypto } from '../signing/crypto.ts';
import { canonicalEmail } from '../signing/normalise.ts';
import { CONFIRMATION_CAP_WINDOW_MS, MAX_CONFIRMATIONS_PER_CONTACT_PER_DAY } from '../signing/writer.ts';
import { MANAGE_TTL_MS, type Contact, type SignerAccess } from './access.ts';
import type { SignerRecord } from './records.ts';

/** Manage messages to one contact in any 24 hours: as many as confirmations, counted apart from them. */
export const MAX_MANAGE_MESSAGES_PER_CONTACT_PER_DAY = MAX_CONFIRMATIONS_PER_CONTACT_PER_DAY;

/** The `code_attempts` key of a request's code: its random nonce, never anything of the contact. */
export const attemptsKey = (nonce: string) => `manage:${nonce}`;

/**
 * The version whose stored contact the message goes to: the contact's own signatures first, the newest
 * first. Its campaign keys the daily cap, and its language is the message's.
 */
function recipientOf(records: SignerRecord[], contact: Contact): SignerRecord | undefined {
  const holding = records.filter((r) => (contact.kind === 'phone' ? r.envelopes.phone : r.envelopes.email) !== null);
  return holding.find((r) => r.role === 'owner' && r.current) ?? holding.find((r) => r.role === 'owner') ?? holding[0];
}

/**
 * Records a request for a code (its tries start at 0) and, when the contact holds any signature and is under
 * its daily cap, queues the message in the same write transaction. Both paths write, so a contact that
 * never signed is not answered measurably sooner. Returns whether a message was queued.
 */
export async function queueManageMessage(
  client: Client,
  access: SignerAccess,
  contact: Contact,
  records: SignerRecord[],
  nonce: string,
  now: number,
): Promise<boolean> {
  const statements: InStatement[] = [
    {
      sql: 'INSERT INTO code_attempts (signature_id, attempts, resends, updated_at) VALUES (?, 0, 0, ?) ON CONFLICT (signature_id) DO NOTHING',
      args: [attemptsKey(nonce), now],
    },
  ];
  const recipient = recipientOf(records, contact);
  if (recipient) {
    const hash = access.contactHash(recipient.campaign.id, contact);
    const envelope = contact.kind === 'phone' ? recipient.envelopes.phone : recipient.envelopes.email;
    statements.push({
      sql:
        'INSERT INTO outbox (id, kind, campaign_id, signature_id, payload, status, attempts, next_attempt_at, created_at, contact_hmac) ' +
        "SELECT lower(hex(randomblob(16))), ?, ?, ?, ?, 'pending', 0, ?, ?, ? " +
        'WHERE (SELECT COUNT(*) FROM outbox WHERE campaign_id = ? AND contact_hmac = ? AND created_at > ?) < ?',
      args: [
        contact.kind === 'phone' ? 'manage-sms' : 'manage-email',
        recipient.campaign.id,
        recipient.id,
        JSON.stringify({ to: envelope, locale: recipient.locale, nonce }),
        now,
        now,
        hash,
        recipient.campaign.id,
        hash,
        now - CONFIRMATION_CAP_WINDOW_MS,
        MAX_MANAGE_MESSAGES_PER_CONTACT_PER_DAY,
      ],
    });
  }
  const results = await client.batch(statements, 'write');
  return (results[1]?.rowsAffected ?? 0) > 0;
}

/** One 160-character GSM-7 segment in both languages; with a long PUBLIC_BASE_URL the link is left out. */
export function manageSms(locale: Locale, code: string, link: string): string {
  const withLink = message(locale, 'manageSms.withLink', { code, link });
  return fitsOneGsm7Segment(withLink) ? withLink : message(locale, 'manageSms.codeOnly', { code });
}

export function manageEmail(locale: Locale, code: string, link: string): { subject: string; text: string; html: string } {
  const m = translator(locale);
  const copy = {
    intro: m('manageEmail.intro'),
    code: m('manageEmail.code', { code }),
    link: m('manageEmail.link'),
    expiry: m('manageEmail.expiry'),
    ignore: m('manageEmail.ignore'),
  };
  const text = [copy.intro, '', copy.code, '', copy.link, link, '', copy.expiry, copy.ignore, ''].join('\n');
  const html =
    `<!doctype html><html lang="${locale}"><body><p>${escapeHtml(copy.intro)}</p>` +
    `<p><strong>${escapeHtml(copy.code)}</strong></p>` +
    `<p>${escapeHtml(copy.link)}<br><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>` +
    `<p>${escapeHtml(copy.expiry)} ${escapeHtml(copy.ignore)}</p></body></html>`;
  return { subject: m('manageEmail.subject'), text, html };
}

export interface ManageMessageContext {
  client: Client;
  crypto: FieldCrypto;
  access: SignerAccess;
  clock: () => number;
  publicBaseUrl: () => string;
}

/** The outbox handler of `manage-sms` or `manage-email`: decrypts the recipient, makes the code and the link, sends. */
export function manageMessageHandler(context: ManageMessageContext, channel: { sms: SmsProvider } | { mail: MailTransport }): MessageHandler {
  return async (message) => {
    const { to, nonce } = message.payload as { to?: string; nonce?: string; locale?: string };
    // An erased signature takes its queued messages with it; one that is gone anyway needs no message.
    const exists = message.signatureId
      ? (await context.client.execute({ sql: 'SELECT 1 FROM signatures WHERE id = ?', args: [message.signatureId] })).rows.length > 0
      : false;
    if (!exists) return 'skipped';
    if (!to || typeof nonce !== 'string') throw new DeliveryError('no-recipient', true);
    const locale: Locale = message.payload.locale === 'sw' ? 'sw' : 'en';
    const kind = 'sms' in channel ? 'phone' : 'email';
    const address = context.crypto.decrypt(to, message.campaignId, kind);
    const contact: Contact = { kind, value: kind === 'phone' ? address : canonicalEmail(address) };
    const code = context.access.code(nonce, contact);
    const session = context.access.session(contact, locale, context.clock() + MANAGE_TTL_MS);
    const link = `${context.publicBaseUrl().replace(/\/+$/, '')}/me/${session}`;
    if ('sms' in channel) {
      const { providerRef } = await channel.sms.send(address, manageSms(locale, code, link));
      return providerRef ? { providerRef } : 'sent';
    }
    await channel.mail.send({ to: address, ...manageEmail(locale, code, link), language: locale });
    return 'sent';
  };
}
