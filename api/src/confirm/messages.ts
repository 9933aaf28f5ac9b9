/**
 * The confirmation messages, in the signer's language. The subject is neutral on purpose: a lock screen
 * or a shared inbox shows subjects, and "Confirm your signature against torture" tells an onlooker too
 * much. The campaign title appears in the body only. The signer's name is not used at all.
 */
import type { Locale } from '@imlu/contracts';

export interface ConfirmationEmailInput {
  locale: Locale;
  campaignTitle: string;
  link: string;
  expiresAt: number;
  /**
   * The private link to manage the signatures of this address (`/me/<token>`): the message reaches the
   * owner of the address, which is the proof the manage page asks for.
   */
  manageLink: string;
}

const COPY = {
  en: {
    subject: 'Please confirm your signature',
    intro: (title: string) => `Thank you for signing "${title}".`,
    action: 'To count your signature, confirm it by opening this link:',
    expiry: (date: string) => `The link works once and expires on ${date}.`,
    ignore: 'If you did not sign, ignore this message: nothing will be counted.',
    manage: 'To see, withdraw or erase your signature later:',
  },
  sw: {
    subject: 'Tafadhali thibitisha sahihi yako',
    intro: (title: string) => `Asante kwa kusaini "${title}".`,
    action: 'Ili sahihi yako ihesabiwe, ithibitishe kwa kufungua kiungo hiki:',
    expiry: (date: string) => `Kiungo kinafanya kazi mara moja tu na kitaisha tarehe ${date}.`,
    ignore: 'Kama hukusaini, puuza ujumbe huu: hakuna kitakachohesabiwa.',
    manage: 'Ili kuona, kuondoa au kufuta sahihi yako baadaye:',
  },
} as const;

export function confirmationEmail(input: ConfirmationEmailInput): { subject: string; text: string; html: string } {
  const copy = COPY[input.locale];
  const date = new Date(input.expiresAt).toISOString().slice(0, 10);
  const text = [copy.intro(input.campaignTitle), '', copy.action, input.link, '', copy.expiry(date), copy.ignore, '', copy.manage, input.manageLink, ''].join('\n');
  const html =
    `<!doctype html><html lang="${input.locale}"><body>` +
    `<p>${escapeHtml(copy.intro(input.campaignTitle))}</p>` +
    `<p>${escapeHtml(copy.action)}<br><a href="${escapeHtml(input.link)}">${escapeHtml(input.link)}</a></p>` +
    `<p>${escapeHtml(copy.expiry(date))} ${escapeHtml(copy.ignore)}</p>` +
    `<p>${escapeHtml(copy.manage)}<br><a href="${escapeHtml(input.manageLink)}">${escapeHtml(input.manageLink)}</a></p></body></html>`;
  return { subject: copy.subject, text, html };
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
