/**
 * The confirmation page behind the link in a confirmation e-mail or SMS, in English and Kiswahili, in the
 * hosted page's plain, script-free shell. It shows the holder of the link exactly what they would confirm
 * — the name, the county and each choice, as submitted — and a button; only that button's POST confirms.
 * A mail scanner or link preview that fetches the link changes nothing.
 */
import { countyByCode, type Locale } from '@imlu/contracts';
import { esc, page } from '../hosted/render.ts';
import { translator } from '../i18n/index.ts';
import type { SignatureVersion } from './state.ts';

export type PageOutcome = 'confirmed' | 'held' | 'already' | 'superseded' | 'invalid' | 'expired' | 'closed';

/** The form: what would be confirmed, and the one button that confirms it. */
export function renderConfirmForm(version: SignatureVersion, locale: Locale, action: string): string {
  const m = translator(locale);
  const details = version.details();
  const county = details.county ? (countyByCode(details.county)?.name[locale] ?? details.county) : m('confirm.noCounty');
  const row = (label: string, value: string) => `<dt>${esc(label)}</dt><dd>${esc(value)}</dd>`;
  const choice = (value: boolean) => (value ? m('confirm.yes') : m('confirm.no'));
  const heading = m('confirm.heading');
  return page(
    locale,
    heading,
    `<h1>${esc(heading)}</h1><p>${esc(m('confirm.intro', { title: version.title[locale] }))}</p>` +
      '<dl>' +
      row(m('confirm.nameLabel'), details.name) +
      row(m('confirm.countyLabel'), county) +
      row(m('hosted.consentPublicName'), choice(details.publicName)) +
      row(m('hosted.consentShareWithTargets'), choice(details.shareWithTargets)) +
      row(m('hosted.consentUpdates'), choice(details.updates)) +
      '</dl>' +
      `<p>${esc(m('confirm.notYours'))}</p>` +
      `<form method="post" action="${esc(action)}"><input type="hidden" name="lang" value="${locale}">` +
      `<button type="submit">${esc(m('confirm.button'))}</button></form>`,
    '?',
    'no-referrer',
  );
}

/**
 * An outcome page. `manageUrl`: the private manage link (`/me/<token>`) where the holder of the confirmation
 * link proved the contact (a confirmed signature); otherwise the page that asks for the proof (`/me`).
 */
export function renderOutcome(outcome: PageOutcome, locale: Locale, title?: { en: string; sw: string }, manageUrl?: string): string {
  const m = translator(locale);
  const heading = m(`confirm.outcomes.${outcome}.title`);
  const text = m(`confirm.outcomes.${outcome}.text`, { title: title ? title[locale] : '' });
  const manage = `<p><a href="${esc(manageUrl ?? `/me?lang=${locale}`)}">${esc(m('confirm.manage'))}</a></p>`;
  return page(locale, heading, `<h1>${esc(heading)}</h1><p>${esc(text)}</p>${manage}`, '?', 'no-referrer');
}
