/**
 * The confirmation messages, in the signer's language. The subject is neutral on purpose: a lock screen
 * or a shared inbox shows subjects, and "Confirm your signature against torture" tells an onlooker too
 * much. The campaign title appears in the body only. The signer's name is not used at all.
 */
import type { Locale } from '@imlu/contracts';
import { translator } from '../i18n/index.ts';

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

export function confirmationEmail(input: ConfirmationEmailInput): { subject: string; text: string; html: string } {
  const m = translator(input.locale);
  const date = new Date(input.expiresAt).toISOString().slice(0, 10);
  const copy = {
    intro: m('confirmEmail.intro', { title: input.campaignTitle }),
    action: m('confirmEmail.action'),
    expiry: m('confirmEmail.expiry', { date }),
    ignore: m('confirmEmail.ignore'),
    manage: m('confirmEmail.manage'),
  };
  const text = [copy.intro, '', copy.action, input.link, '', copy.expiry, copy.ignore, '', copy.manage, input.manageLink, ''].join('\n');
  const html =
    `<!doctype html><html lang="${input.locale}"><body>` +
    `<p>${escapeHtml(copy.intro)}</p>` +
    `<p>${escapeHtml(copy.action)}<br><a href="${escapeHtml(input.link)}">${escapeHtml(input.link)}</a></p>` +
    `<p>${escapeHtml(copy.expiry)} ${escapeHtml(copy.ignore)}</p>` +
    `<p>${escapeHtml(copy.manage)}<br><a href="${escapeHtml(input.manageLink)}">${escapeHtml(input.manageLink)}</a></p></body></html>`;
  return { subject: m('confirmEmail.subject'), text, html };
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
