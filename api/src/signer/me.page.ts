/**
 * The manage-my-signature pages, in the hosted page's plain, script-free shell (one hashed stylesheet, no
 * script, forms that work on a feature phone). Every value from the database or the signer goes through
 * `esc()`. Pages whose URL holds a session token send no referrer (`page(…, 'no-referrer')`).
 */
import { countyByCode, type Locale } from '@imlu/contracts';
import { esc, page } from '../hosted/render.ts';
import { HOSTED_STRINGS } from '../hosted/strings.ts';
import type { Contact } from './access.ts';
import { ME_STRINGS } from './me.strings.ts';
import { isWithdrawable, type SignerRecord } from './records.ts';

/** A campaign the signer came from (`?campaign=`), for a link back to it. */
export interface FromCampaign {
  slug: string;
  title: { en: string; sw: string };
}

const FORMATS: Record<Locale, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat('en-KE', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Africa/Nairobi' }),
  sw: new Intl.DateTimeFormat('sw-KE', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Africa/Nairobi' }),
};
const TIMES: Record<Locale, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat('en-KE', { timeStyle: 'short', timeZone: 'Africa/Nairobi' }),
  sw: new Intl.DateTimeFormat('sw-KE', { timeStyle: 'short', timeZone: 'Africa/Nairobi' }),
};

const when = (locale: Locale, ms: number) => FORMATS[locale].format(ms);

function backLink(locale: Locale, from: FromCampaign | undefined): string {
  if (!from) return '';
  return `<p><a href="/c/${esc(from.slug)}?lang=${locale}">${esc(ME_STRINGS[locale].backTo(from.title[locale]))}</a></p>`;
}

const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${esc(value)}">`;

/** `GET /me`: one field for the phone number or e-mail address. */
export function renderStart(
  locale: Locale,
  options: { from?: FromCampaign | undefined; value?: string; error?: 'empty' | 'invalid'; notice?: string } = {},
): string {
  const t = ME_STRINGS[locale];
  const error = options.error === 'empty' ? t.errorEmpty : options.error === 'invalid' ? t.errorInvalid : undefined;
  const describedBy = ['h-contact', error ? 'e-contact' : ''].filter(Boolean).join(' ');
  const query = options.from ? `?campaign=${encodeURIComponent(options.from.slug)}&` : '?';
  return page(
    locale,
    t.heading,
    `<h1>${esc(t.heading)}</h1>` +
      (options.notice ? `<p class="s" role="alert">${esc(options.notice)}</p>` : '') +
      `<p>${esc(t.intro)}</p>` +
      `<form method="post" action="/me" accept-charset="utf-8" novalidate>` +
      hidden('lang', locale) +
      (options.from ? hidden('campaign', options.from.slug) : '') +
      `<p class="f"><label for="f-contact">${esc(t.contactLabel)}</label><br>` +
      `<span class="h" id="h-contact">${esc(t.contactHint)}</span><br>` +
      (error ? `<span class="e" id="e-contact" role="alert">${esc(error)}</span><br>` : '') +
      `<input type="text" id="f-contact" name="contact" value="${esc(options.value ?? '')}" maxlength="254" autocomplete="tel"` +
      ` aria-describedby="${describedBy}"${error ? ' aria-invalid="true"' : ''}></p>` +
      `<p><button type="submit">${esc(t.send)}</button></p></form>` +
      backLink(locale, options.from),
    query,
  );
}

/** After `POST /me`: the same page whether or not the contact signed. */
export function renderCodeForm(locale: Locale, request: string, options: { from?: FromCampaign | undefined; wrong?: boolean } = {}): string {
  const t = ME_STRINGS[locale];
  const again = `/me?lang=${locale}${options.from ? `&campaign=${encodeURIComponent(options.from.slug)}` : ''}`;
  return page(
    locale,
    t.sentHeading,
    `<h1>${esc(t.sentHeading)}</h1><p>${esc(t.sentBody)}</p>` +
      `<form method="post" action="/me/code" accept-charset="utf-8" novalidate>` +
      hidden('request', request) +
      hidden('lang', locale) +
      (options.from ? hidden('campaign', options.from.slug) : '') +
      `<p class="f"><label for="f-code">${esc(t.codeLabel)}</label><br>` +
      (options.wrong ? `<span class="e" id="e-code" role="alert">${esc(t.wrongCode)}</span><br>` : '') +
      `<input type="text" id="f-code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="8"` +
      `${options.wrong ? ' aria-invalid="true" aria-describedby="e-code"' : ''}></p>` +
      `<p><button type="submit">${esc(t.codeSubmit)}</button></p></form>` +
      `<p>${esc(t.noMessage)} <a href="${esc(again)}">${esc(t.askAgain)}</a></p>`,
    '/me?',
  );
}

/** A short page: a heading, a sentence, a way on. */
export function renderNotice(locale: Locale, heading: string, body: string, link?: { href: string; text: string }, referrer: 'same-origin' | 'no-referrer' = 'same-origin'): string {
  return page(
    locale,
    heading,
    `<h1>${esc(heading)}</h1><p>${esc(body)}</p>` + (link ? `<p><a href="${esc(link.href)}">${esc(link.text)}</a></p>` : ''),
    '?',
    referrer,
  );
}

function countyName(locale: Locale, code: string | null): string {
  if (!code) return ME_STRINGS[locale].notGiven;
  return countyByCode(code)?.name[locale] ?? code;
}

/** The details of one version the contact owns: everything stored with it. */
function ownedDetails(locale: Locale, record: SignerRecord): string {
  const t = ME_STRINGS[locale];
  const h = HOSTED_STRINGS[locale];
  const d = record.details();
  const row = (label: string, value: string) => `<dt>${esc(label)}</dt><dd>${esc(value)}</dd>`;
  const choice = (value: boolean) => (value ? t.yes : t.no);
  return (
    '<dl>' +
    row(t.statusLabel, t.states[record.state]) +
    row(t.nameLabel, d.name) +
    row(t.phoneLabel, d.phone ?? t.notGiven) +
    row(t.emailLabel, d.email ?? t.notGiven) +
    row(t.countyLabel, countyName(locale, record.county)) +
    (d.comment ? row(t.commentLabel, d.comment) : '') +
    row(t.languageLabel, t.languages[record.locale]) +
    (record.origin || record.sourceRef ? row(t.throughLabel, [record.origin, record.sourceRef].filter(Boolean).join(' · ')) : '') +
    row(t.signedLabel, when(locale, record.createdAt)) +
    row(t.confirmedLabel, record.confirmedAt === null ? t.notConfirmed : when(locale, record.confirmedAt)) +
    `<dt>${esc(t.choicesLabel)}</dt><dd>` +
    `${esc(t.termsLabel)}: ${esc(choice(record.consent.terms))}<br>` +
    `${esc(h.consentPublicName)}: ${esc(choice(record.consent.publicName))}<br>` +
    `${esc(h.consentShareWithTargets)}: ${esc(choice(record.consent.shareWithTargets))}<br>` +
    `${esc(h.consentUpdates)}: ${esc(choice(record.consent.updates))}<br>` +
    `<span class="h">${esc(t.consentGiven(record.consent.version, when(locale, record.consent.at)))}</span></dd>` +
    (record.struck ? row(t.struckLabel, t.yes) : '') +
    '</dl>'
  );
}

function actionForm(locale: Locale, action: string, label: string, extra = ''): string {
  return `<form method="post" action="${esc(action)}">${hidden('lang', locale)}${extra}<button type="submit">${esc(label)}</button></form>`;
}

export interface ManagePageInput {
  locale: Locale;
  /** The session token (the page's own path is `/me/<token>`). */
  token: string;
  contact: Contact;
  expiresAt: number;
  records: SignerRecord[];
  notice?: string | undefined;
}

/** `GET /me/<token>`: what is stored with the contact, per campaign, and what its holder can do. */
export function renderManage(input: ManagePageInput): string {
  const { locale, records } = input;
  const t = ME_STRINGS[locale];
  const self = `/me/${input.token}`;
  let html =
    `<h1>${esc(t.manageHeading)}</h1>` +
    (input.notice ? `<p class="s" role="status">${esc(input.notice)}</p>` : '') +
    `<p>${esc(t.manageIntro(input.contact.value))} ${esc(t.sessionUntil(TIMES[locale].format(input.expiresAt)))}</p>`;
  if (!records.length) return page(locale, t.manageHeading, `${html}<p>${esc(t.nothing)}</p>`, '?', 'no-referrer');

  const campaigns = [...new Map(records.map((r) => [r.campaign.id, r.campaign])).values()];
  for (const campaign of campaigns) {
    const mine = records.filter((r) => r.campaign.id === campaign.id && r.role === 'owner');
    const listed = records.filter((r) => r.campaign.id === campaign.id && r.role === 'listed');
    html += `<h2>${esc(campaign.title[locale])}</h2>`;
    for (const record of mine.filter((r) => r.current)) {
      html += ownedDetails(locale, record);
      const signature = hidden('signature', record.id);
      if (isWithdrawable(record)) {
        html += `<p class="h">${esc(t.withdrawHint)}</p>` + actionForm(locale, self, t.withdraw, hidden('action', 'withdraw') + signature);
      }
      if (record.consent.updates && record.state !== 'withdrawn') html += actionForm(locale, self, t.stopUpdates, hidden('action', 'stop-updates') + signature);
    }
    const earlier = mine.filter((r) => !r.current);
    if (earlier.length) html += `<p>${esc(t.earlier)}</p>` + earlier.map((r) => ownedDetails(locale, r)).join('');
    if (listed.length) html += `<p>${esc(t.listed(listed.length))}</p>`;
  }
  html +=
    `<h2>${esc(t.eraseHeading)}</h2><p>${esc(t.eraseIntro)}</p>` + actionForm(locale, self, t.eraseButton, hidden('action', 'erase'));
  return page(locale, t.manageHeading, html, '?', 'no-referrer');
}

/** The confirmation step before an erasure. */
export function renderEraseConfirm(locale: Locale, token: string, records: SignerRecord[]): string {
  const t = ME_STRINGS[locale];
  const owned = records.filter((r) => r.role === 'owner').length;
  const listed = records.length - owned;
  return page(
    locale,
    t.eraseConfirmHeading,
    `<h1>${esc(t.eraseConfirmHeading)}</h1><p>${esc(t.eraseConfirmBody(owned, listed))}</p>` +
      actionForm(locale, `/me/${token}`, t.eraseConfirmButton, hidden('action', 'erase-confirm')) +
      `<p><a href="/me/${esc(token)}?lang=${locale}">${esc(t.cancel)}</a></p>`,
    '?',
    'no-referrer',
  );
}
