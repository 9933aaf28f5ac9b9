/**
 * Confirmation by SMS: a 6-digit code the signer types into the widget, plus the signed link for phones
 * that open it. The text fits ONE 160-character GSM-7 segment in English and Kiswahili (no campaign
 * title — it would not fit, and a lock screen should not show what someone signed). If a long
 * PUBLIC_BASE_URL would push it over, the link is left out and the code alone is sent.
 */
import type { Locale } from '@imlu/contracts';
import { message } from '../i18n/index.ts';
import { fitsOneGsm7Segment, type SmsProvider } from '../messages/sms.ts';
import { DeliveryError, type MessageHandler } from '../outbox/worker.ts';
import { confirmationLink, localeOf, pendingSignature, type ConfirmationContext } from './send.ts';

export function confirmationSms(locale: Locale, code: string, link: string): string {
  const withLink = message(locale, 'confirmSms.withLink', { code, link });
  return fitsOneGsm7Segment(withLink) ? withLink : message(locale, 'confirmSms.codeOnly', { code });
}

export function smsConfirmationHandler(context: ConfirmationContext, provider: SmsProvider): MessageHandler {
  return async (message) => {
    const signature = await pendingSignature(context.client, message.signatureId);
    if (!signature) return 'skipped';
    if (!message.payload.to) throw new DeliveryError('no-recipient', true);
    const to = context.crypto.decrypt(message.payload.to, signature.campaignId, 'phone');
    const locale = localeOf(message.payload.locale);
    const text = confirmationSms(locale, context.tokens.smsCode(message.signatureId!, signature.codeGen), confirmationLink(context, message.signatureId!));
    const { providerRef } = await provider.send(to, text);
    return providerRef ? { providerRef } : 'sent';
  };
}
