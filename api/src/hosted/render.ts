/**
 * Server-rendered HTML of the hosted petition page: plain markup a feature-phone browser can show, one
 * tiny inline stylesheet (allowed by its hash in the CSP, nothing else may load or run), no script.
 *
 * Every value from the campaign or the signer goes through `esc()`.
 */
import { createHash } from 'node:crypto';
import { countyOptions, type FieldErrorCode, type Locale, type PledgeAction, type PledgeFigures } from '@imlu/contracts';
import type { SigningWindow } from '@imlu/contracts/accepting';
import type { CampaignRecord } from '../campaigns/store.ts';
import { LANGUAGE_NAMES, translator } from '../i18n/index.ts';
import { HOSTED_STRINGS, hostedStrings, type HostedStrings } from './strings.ts';

// Checkboxes, radios and the language link are at least 24 px (WCAG 2.5.8), whatever the browser's default.
const CSS =
  'body{margin:0;font:16px/1.45 system-ui,sans-serif;color:#1a1a1a;background:#fff}' +
  'main{max-width:36rem;margin:0 auto;padding:.75rem}' +
  'h1{font-size:1.4rem;margin:.5rem 0}h2{font-size:1.15rem;margin:1.25rem 0 .5rem}' +
  'label,legend{font-weight:600}fieldset{border:1px solid #999;margin:.75rem 0;padding:.5rem}' +
  'input[type=text],input[type=tel],input[type=email],select,textarea{box-sizing:border-box;width:100%;font:inherit;padding:.4rem;border:1px solid #555}' +
  '.hp{position:absolute;left:-9999px;width:1px;height:1px;overflow:hidden}p.f{margin:.75rem 0}.h{color:#444;font-size:.9rem}' +
  '.c{display:flex;gap:.5rem;align-items:flex-start;margin:.5rem 0;font-weight:400}' +
  '.c input{flex:none;width:24px;height:24px;margin:0}' +
  '.e,.s{color:#a4000f}.s{border:2px solid #a4000f;padding:.5rem}.s:focus{outline:3px solid #5b2176}.r{margin:.25rem 0 .5rem}' +
  'button{font:inherit;font-weight:700;padding:.6rem 1.2rem;background:#5b2176;color:#fff;border:0}' +
  'button.b2{background:#fff;color:#5b2176;border:2px solid #5b2176;padding:.4rem 1rem}' +
  'nav{text-align:right;font-size:.9rem}nav a,nav button{display:inline-block;min-height:24px;padding:.25rem 0}' +
  'nav button{background:none;color:#5b2176;text-decoration:underline;font-weight:400;padding:.25rem 0}' +
  'a{color:#5b2176}dt{font-weight:600}dd{margin:0 0 .6rem}';

/** For the Content-Security-Policy: the one inline style this page may apply. */
export const HOSTED_CSS_HASH = `'sha256-${createHash('sha256').update(CSS).digest('base64')}'`;

export const HOSTED_CSP = [
  "default-src 'none'",
  `style-src ${HOSTED_CSS_HASH}`,
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/**
 * Headers of a page whose URL holds a bearer token (a confirmation, unsubscribe, manage, response or pledge
 * link): never cached, never indexed, and no link or request from it may carry the token elsewhere.
 */
export const TOKEN_PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Content-Security-Policy': HOSTED_CSP,
  'Referrer-Policy': 'no-referrer',
  'X-Robots-Tag': 'noindex, nofollow',
} as const;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function esc(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
}

/** What the signer typed, kept when the form comes back with errors. */
export interface FormValues {
  name: string;
  phone: string;
  email: string;
  county: string;
  comment: string;
  terms: boolean;
  publicName: boolean;
  shareWithTargets: boolean;
  updates: boolean;
  source: string;
  /** A pledge's actions chosen (their ids), and "remind me". */
  actions: string[];
  remind: boolean;
}

export const EMPTY_VALUES: FormValues = {
  name: '',
  phone: '',
  email: '',
  county: '',
  comment: '',
  terms: false,
  publicName: false,
  shareWithTargets: false,
  updates: false,
  source: '',
  actions: [],
  remind: false,
};

/** Field errors keyed by form field (`actions`, `name`, `phone`, `email`, `county`, `comment`, `terms`, `contact`, `other`). */
export type FormErrors = Partial<Record<string, FieldErrorCode>>;

/**
 * The page shell (language link, the one stylesheet). `referrer` is `same-origin` here; the response-link
 * page (`src/accountability/respond.*`) passes `no-referrer` because its URL holds a secret.
 */
export function page(
  locale: Locale,
  title: string,
  content: string,
  langPath: string,
  referrer: 'same-origin' | 'no-referrer' = 'same-origin',
  /** Replaces the language link, for a page that only a POST can show again (the SMS-code step). */
  langSwitch?: string,
): string {
  const t = HOSTED_STRINGS[locale];
  const other: Locale = locale === 'en' ? 'sw' : 'en';
  const link = `<a href="${esc(langPath)}lang=${other}" hreflang="${other}" lang="${other}">${LANGUAGE_NAMES[other]}</a>`;
  return (
    `<!doctype html><html lang="${locale}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width,initial-scale=1">' +
    `<meta name="referrer" content="${referrer}">` +
    `<title>${esc(title)}</title><style>${CSS}</style></head><body><main>` +
    `<nav aria-label="${t.languageNav}">${langSwitch ?? link}</nav>` +
    content +
    '</main></body></html>'
  );
}

/** Built once per language: constructing an Intl.NumberFormat is far costlier than using one. */
const NUMBER_FORMATS: Record<Locale, Intl.NumberFormat> = {
  en: new Intl.NumberFormat('en-KE'),
  sw: new Intl.NumberFormat('sw-KE'),
};

function formatNumber(locale: Locale, n: number): string {
  return NUMBER_FORMATS[locale].format(n);
}

function progress(t: HostedStrings, locale: Locale, count: number, goal: number | null): string {
  const formatted = formatNumber(locale, count);
  return goal ? t.progress(formatted, formatNumber(locale, goal)) : t.signatures(formatted, count);
}

/**
 * `/c/<slug>?source=…&` (or `/c/<slug>?`), so language links keep the partner's source ref. The path is
 * spelled out: these pages are also shown at `/c/<slug>/code`, where a bare `?lang=` would lead nowhere.
 */
function langPathFor(campaign: CampaignRecord, source: string): string {
  const path = `/c/${encodeURIComponent(campaign.slug)}`;
  return source ? `${path}?source=${encodeURIComponent(source)}&` : `${path}?`;
}

export interface PetitionPageInput {
  campaign: CampaignRecord;
  locale: Locale;
  count: number;
  /** The contracts' signing window: outside `open`, no form, a notice instead. */
  window: SigningWindow;
  token: string;
  values?: FormValues;
  errors?: FormErrors;
  /** A notice above the form (expired token, server fault). */
  notice?: string;
  /** The field the browser focuses on load ("change the number" returns to the phone field). */
  focus?: 'phone';
  /** A pledge's figures per action (the public counts' `actions`), for the places left; none, none shown. */
  figures?: PledgeFigures[];
  /** The clock's time (ms): an action that has begun is shown but not offered. Default: now. */
  now?: number;
}

const FIELD_ORDER = ['actions', 'name', 'contact', 'phone', 'email', 'county', 'comment', 'terms', 'other'] as const;
type FieldKey = (typeof FIELD_ORDER)[number];

/** What the error summary calls each field: "Phone number: Enter a valid phone number…". */
function fieldName(t: HostedStrings, m: ReturnType<typeof translator>, key: FieldKey): string {
  switch (key) {
    case 'actions':
      return m('hosted.actions.legend');
    case 'name':
      return t.nameLabel;
    case 'contact':
      return m('hosted.contactName');
    case 'phone':
      return t.phoneLabel;
    case 'email':
      return t.emailLabel;
    case 'county':
      return t.countyLabel;
    case 'comment':
      return m('hosted.commentName');
    case 'terms':
      return m('hosted.termsName');
    case 'other':
      return m('hosted.formName');
  }
}

/** Which contact the campaign requires, said next to the two fields: the rule, and a mark on each label. */
function contactRule(campaign: CampaignRecord, t: HostedStrings, m: ReturnType<typeof translator>) {
  const required = m('hosted.required');
  switch (campaign.verification) {
    case 'sms':
      return { rule: m('hosted.contactRule.sms'), phone: ` ${required}`, email: ` ${t.optional}`, requires: 'phone' as const };
    case 'email':
      return { rule: m('hosted.contactRule.email'), phone: ` ${t.optional}`, email: ` ${required}`, requires: 'email' as const };
    default:
      return { rule: m('hosted.contactRule.either'), phone: '', email: '', requires: undefined };
  }
}

export function renderPetitionPage(input: PetitionPageInput): string {
  const { campaign, locale, count } = input;
  const t = hostedStrings(locale, campaign.kind);
  const m = translator(locale);
  const values = input.values ?? EMPTY_VALUES;
  const errors = input.errors ?? {};
  const title = campaign.title[locale];

  // After an invalid post the summary comes first, focused: it is what the signer sees (and hears) on load,
  // not the petition text above the form. Each link names its field and leads to it.
  const errorKeys = FIELD_ORDER.filter((key) => errors[key]);
  let html = '';
  if (errorKeys.length) {
    html += `<div class="s" id="errors" role="alert" tabindex="-1" autofocus><p>${esc(t.errorSummary(errorKeys.length))}</p><ul>`;
    for (const key of errorKeys) {
      const text = m('hosted.errorLink', { field: fieldName(t, m, key), error: t.errors[errors[key]!] });
      html += `<li><a href="#${anchorFor(key)}">${esc(text)}</a></li>`;
    }
    html += '</ul></div>';
  }

  html += `<h1>${esc(title)}</h1><p>${esc(campaign.summary[locale])}</p>`;
  // The longer text follows the form: what the signer signs (the summary and the demands) comes first, and
  // on 2G the form is usable ~1 KB sooner (docs/performance.md, `pnpm bench:reach`).
  let about = '';
  for (const paragraph of campaign.body[locale].split(/\n{2,}/)) {
    if (paragraph.trim()) about += `<p>${esc(paragraph.trim())}</p>`;
  }
  if (about) about = `<h2>${esc(m('hosted.aboutHeading'))}</h2>${about}`;
  if (campaign.demands.length) {
    html += `<h2>${t.demandsHeading}</h2><ol>`;
    for (const demand of campaign.demands) html += `<li>${esc(demand.text[locale])}</li>`;
    html += '</ol>';
  }
  html += `<p><strong>${esc(progress(t, locale, count, campaign.goal))}</strong></p>`;

  if (input.window === 'not-yet-open') {
    const opens = new Intl.DateTimeFormat(locale === 'sw' ? 'sw-KE' : 'en-KE', { dateStyle: 'long', timeZone: 'Africa/Nairobi' }).format(campaign.opensAt!);
    return page(locale, title, `${html}<h2>${t.notYetOpenHeading}</h2><p>${esc(t.notYetOpenBody(opens))}</p>${about}`, langPathFor(campaign, values.source));
  }
  if (input.window === 'closed') {
    return page(locale, title, `${html}<h2>${t.closedHeading}</h2><p>${t.closedBody}</p>${about}`, langPathFor(campaign, values.source));
  }

  html += `<h2 id="sign">${t.formHeading}</h2>`;
  if (input.notice) html += `<p class="s" role="alert">${esc(input.notice)}</p>`;

  const contact = contactRule(campaign, t, m);
  const err = (key: string) => (errors[key] ? `<span class="e" id="e-${key}">${esc(t.errors[errors[key]!])}</span><br>` : '');
  const aria = (key: string, ...described: (string | undefined)[]) => {
    const ids = [...described, errors[key] ? `e-${key}` : undefined].filter(Boolean).join(' ');
    return (errors[key] ? ' aria-invalid="true"' : '') + (ids ? ` aria-describedby="${ids}"` : '');
  };
  const text = (key: 'name' | 'phone' | 'email', type: string, label: string, extra: string, hint?: string) =>
    `<p class="f"><label for="f-${key}">${label}</label><br>` +
    (hint ? `<span class="h" id="h-${key}">${hint}</span><br>` : '') +
    err(key) +
    `<input type="${type}" id="f-${key}" name="${key}" value="${esc(values[key])}"${extra}` +
    (key === 'name' ? aria(key) : aria(key, 'r-contact', hint ? `h-${key}` : undefined, errors.contact ? 'e-contact' : undefined)) +
    '></p>';
  const check = (key: 'terms' | 'publicName' | 'shareWithTargets' | 'updates', label: string) =>
    (key === 'terms' ? err('terms') : '') +
    `<label class="c"><input type="checkbox"${key === 'terms' ? ' id="f-terms"' : ''} name="${key}" value="yes"` +
    `${values[key] ? ' checked' : ''}${key === 'terms' ? aria('terms') : ''}> <span>${label}</span></label>`;
  const focus = (key: 'phone') => (input.focus === key && !errorKeys.length ? ' autofocus' : '');

  html +=
    `<form method="post" accept-charset="utf-8" novalidate>` +
    `<input type="hidden" name="token" value="${esc(input.token)}">` +
    `<input type="hidden" name="lang" value="${locale}">` +
    (values.source ? `<input type="hidden" name="source" value="${esc(values.source)}">` : '') +
    // Honeypot: off-screen and out of the tab order; a browser without CSS shows it with a label that
    // says to leave it empty. Anything in it marks the signature suspect (silently).
    `<p class="hp"><label for="f-website">${t.honeypotLabel}</label><br>` +
    `<input type="text" id="f-website" name="website" value="" tabindex="-1" autocomplete="off"></p>` +
    actionsFieldset(campaign, locale, values, errors.actions, input.figures, input.now ?? Date.now()) +
    text('name', 'text', t.nameLabel, ' maxlength="120" autocomplete="name"') +
    `<fieldset id="f-contact"><legend>${t.contactLegend}</legend>` +
    `<p class="r" id="r-contact"><strong>${esc(contact.rule)}</strong></p><span class="h" id="h-contact">${t.contactHint}</span><br>` +
    (errors.contact ? `<span class="e" id="e-contact">${esc(t.errors[errors.contact])}</span>` : '') +
    text('phone', 'tel', `${t.phoneLabel}${contact.phone}`, ` maxlength="32" autocomplete="tel"${contact.requires === 'phone' ? ' aria-required="true"' : ''}${focus('phone')}`, t.phoneHint) +
    text('email', 'email', `${t.emailLabel}${contact.email}`, ` maxlength="254" autocomplete="email"${contact.requires === 'email' ? ' aria-required="true"' : ''}`) +
    '</fieldset>' +
    `<p class="f"><label for="f-county">${t.countyLabel} ${t.optional}</label><br>${err('county')}` +
    `<select id="f-county" name="county"${aria('county')}><option value="">${t.countyPlaceholder}</option>` +
    countyOptions(locale)
      .map(([code, name]) => `<option value="${code}"${values.county === code ? ' selected' : ''}>${esc(name)}</option>`)
      .join('') +
    '</select></p>' +
    `<p class="f"><label for="f-comment">${t.commentLabel} ${t.optional}</label><br>${err('comment')}` +
    `<textarea id="f-comment" name="comment" rows="3" maxlength="500"${aria('comment')}>${esc(values.comment)}</textarea></p>` +
    `<fieldset id="f-consent"><legend>${t.consentLegend}</legend>` +
    check('terms', t.consentTerms) +
    check('publicName', t.consentPublicName) +
    check('shareWithTargets', t.consentShareWithTargets) +
    check('updates', t.consentUpdates) +
    '</fieldset>' +
    `<p><button type="submit">${campaign.kind === 'pledge' ? t.submitPledge : t.submitPetition}</button></p></form>` +
    about;
  return page(locale, errorKeys.length ? m('hosted.errorTitle', { title }) : title, html, langPathFor(campaign, values.source));
}

function anchorFor(key: FieldKey): string {
  if (key === 'other') return 'sign';
  // The first action that can be chosen carries this id (`actionsFieldset()`).
  if (key === 'actions') return 'f-actions';
  // "Give a phone number or an e-mail address" leads to the first of the two.
  if (key === 'contact') return 'f-phone';
  return `f-${key}`;
}

/** When an action starts, in Kenya's time: "Tuesday, 12 January 2027 at 09:00" / "Jumanne, 12 Januari 2027 saa 09:00". */
const STARTS_AT_FORMATS: Record<Locale, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat('en-KE', { dateStyle: 'full', timeStyle: 'short', timeZone: 'Africa/Nairobi' }),
  sw: new Intl.DateTimeFormat('sw-KE', { dateStyle: 'full', timeStyle: 'short', timeZone: 'Africa/Nairobi' }),
};

/** An action's date and time, and its place in words (or its county's name). */
function actionDetails(action: PledgeAction, locale: Locale): string[] {
  const county = action.county && countyOptions(locale).find(([code]) => code === action.county)?.[1];
  const place = action.place?.[locale] ?? county;
  return [action.startsAt ? STARTS_AT_FORMATS[locale].format(new Date(action.startsAt)) : '', place ?? ''].filter(Boolean);
}

/**
 * A pledge's actions as checkboxes (`name="actions"`, the action's id as value), each with its date, place
 * and, when the counts have them, places left; a full one disabled and said in words. The first one that
 * can be chosen has the id the error summary links to. "Remind me" is there when any action has a date:
 * without a script it cannot follow the choice, so its label says it concerns the dated ones.
 */
function actionsFieldset(
  campaign: CampaignRecord,
  locale: Locale,
  values: FormValues,
  error: FieldErrorCode | undefined,
  figures: PledgeFigures[] | undefined,
  now: number,
): string {
  if (!campaign.actions.length) return '';
  const m = translator(locale);
  const t = hostedStrings(locale, campaign.kind);
  let first = true;
  let html =
    `<fieldset id="f-actions-set" aria-describedby="h-actions${error ? ' e-actions' : ''}"><legend>${esc(m('hosted.actions.legend'))}</legend>` +
    `<span class="h" id="h-actions">${esc(m('hosted.actions.hint'))}</span><br>` +
    (error ? `<span class="e" id="e-actions">${esc(t.errors[error])}</span>` : '');
  for (const action of campaign.actions) {
    const left = figures?.find((figure) => figure.id === action.id)?.placesLeft;
    // An action that has begun can no longer be pledged (the API says `action_past`): shown, not offered.
    const past = action.startsAt !== null && Date.parse(action.startsAt) <= now;
    const full = left === 0 || past;
    const id = first && !full ? 'f-actions' : `f-action-${action.position}`;
    if (!full) first = false;
    const details = actionDetails(action, locale);
    if (past) details.push(m('hosted.actions.past'));
    else if (left !== undefined && left !== null) {
      details.push(full ? m('hosted.actions.full') : m('hosted.actions.placesLeft', { count: formatNumber(locale, left), n: left }));
    }
    html +=
      `<div class="c"><input type="checkbox" id="${id}" name="actions" value="${esc(action.id)}"` +
      (values.actions.includes(action.id) && !full ? ' checked' : '') +
      (full ? ' disabled' : '') +
      (error && !full ? ' aria-invalid="true"' : '') +
      (details.length ? ` aria-describedby="d-${id}"` : '') +
      `><span><label for="${id}">${esc(action.title[locale])}</label>` +
      (details.length ? `<br><span class="h" id="d-${id}">${esc(details.join(' · '))}</span>` : '') +
      '</span></div>';
  }
  if (campaign.actions.some((action) => action.startsAt)) {
    html +=
      `<label class="c"><input type="checkbox" name="remind" value="yes"${values.remind ? ' checked' : ''}> ` +
      `<span>${esc(m('hosted.actions.remind'))}</span></label>`;
  }
  return `${html}</fieldset>`;
}

/** In the thanks: what the supporter pledged, with when and where. */
function pledgedList(campaign: CampaignRecord, locale: Locale, chosen: readonly string[]): string {
  const pledged = campaign.actions.filter((action) => chosen.includes(action.id));
  if (!pledged.length) return '';
  const items = pledged.map((action) => `<li>${esc([action.title[locale], ...actionDetails(action, locale)].join(' · '))}</li>`);
  return `<p>${esc(translator(locale)('hosted.actions.pledged'))}</p><ul>${items.join('')}</ul>`;
}

/** `actions`: a pledge's actions chosen, named in the thanks. */
export function renderThanksPage(campaign: CampaignRecord, locale: Locale, pending: boolean, source: string, actions: readonly string[] = []): string {
  const t = hostedStrings(locale, campaign.kind);
  const back = `${langPathFor(campaign, source)}lang=${locale}`;
  return page(
    locale,
    t.thanksHeading,
    `<h1>${t.thanksHeading}</h1><p>${pending ? t.thanksPending : t.thanksCounted}</p>` +
      `<p>${esc(campaign.title[locale])}</p>${pledgedList(campaign, locale, actions)}<p><a href="${esc(back)}">${t.backToPetition}</a></p>` +
      `<p><a href="/me?lang=${locale}&amp;campaign=${esc(encodeURIComponent(campaign.slug))}">${t.manageSignature}</a></p>`,
    langPathFor(campaign, source),
  );
}

/** A short page for refusals (not found, cross-site, too large): a heading, a sentence, no echo of input. */
export function renderMessagePage(locale: Locale, heading: string, body: string, link?: { href: string; text: string }): string {
  return page(
    locale,
    heading,
    `<h1>${esc(heading)}</h1><p>${esc(body)}</p>` + (link ? `<p><a href="${esc(link.href)}">${esc(link.text)}</a></p>` : ''),
    '?',
  );
}

export interface CodePageInput {
  campaign: CampaignRecord;
  locale: Locale;
  /** The sign response's confirmation handle: names the submitted version, holds nothing readable. */
  handle: string;
  /** What the signer sent, carried in the page's forms so that "change the number" returns them filled in. */
  values: FormValues;
  error?: 'wrong' | 'format' | 'tooMany';
  notice?: string;
}

/** The signer's own details as hidden fields: never in a URL, only in this page's POST forms. */
function carried(input: CodePageInput, locale: Locale): string {
  const { values } = input;
  const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${esc(value)}">`;
  let html = hidden('handle', input.handle) + hidden('lang', locale);
  for (const key of ['name', 'phone', 'email', 'county', 'comment', 'source'] as const) if (values[key]) html += hidden(key, values[key]);
  for (const key of ['terms', 'publicName', 'shareWithTargets', 'updates', 'remind'] as const) if (values[key]) html += hidden(key, 'yes');
  for (const action of values.actions) html += hidden('actions', action);
  return html;
}

/**
 * The SMS-code step of the hosted page: the code form, "send the code again" and "change the number", each
 * a plain POST form (no script). A right code confirms through the same path as the widget's
 * (`tryConfirmationCode`), with the same limits.
 */
export function renderCodePage(input: CodePageInput): string {
  const { campaign, locale, values } = input;
  const m = translator(locale);
  const action = `/c/${encodeURIComponent(campaign.slug)}/code?lang=${locale}`;
  const heading = m('hosted.code.heading');
  const errorText = input.error === 'wrong' ? m('hosted.code.wrong') : input.error === 'format' ? m('hosted.code.format') : input.error === 'tooMany' ? m('hosted.code.tooMany') : '';
  const form = (button: string, inner = '') =>
    `<form method="post" action="${esc(action)}" accept-charset="utf-8" novalidate>${carried(input, locale)}${inner}${button}</form>`;

  let html = `<h1>${esc(heading)}</h1>`;
  if (input.notice) html += `<p class="s" role="status">${esc(input.notice)}</p>`;
  // A duplicate gets this same step but no SMS (the answer never reveals who signed): say why one may not come.
  const pledge = campaign.kind === 'pledge';
  html += `<p>${esc(m('hosted.code.sentTo', { phone: values.phone }))}</p><p class="h">${esc(m(pledge ? 'hosted.code.pledge.signedBefore' : 'hosted.code.signedBefore'))}</p>`;
  html += form(
    `<p><button type="submit" name="do" value="confirm">${esc(m(pledge ? 'hosted.code.pledge.confirm' : 'confirm.button'))}</button></p>`,
    `<p class="f"><label for="f-code">${esc(m('hosted.code.label'))}</label><br>` +
      (errorText ? `<span class="e" id="e-code" role="alert">${esc(errorText)}</span><br>` : '') +
      `<input type="text" id="f-code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="12" autofocus` +
      (errorText ? ' aria-invalid="true" aria-describedby="e-code"' : '') +
      '></p>',
  );
  html += form(`<p>${esc(m('hosted.code.noCode'))}<br><button type="submit" class="b2" name="do" value="resend">${esc(m('hosted.code.resend'))}</button></p>`);
  html += form(
    `<p>${esc(m('hosted.code.notYours', { phone: values.phone }))}<br><button type="submit" class="b2" name="do" value="change">${esc(m('hosted.code.change'))}</button></p>`,
  );
  html += `<p><a href="/me?lang=${locale}&amp;campaign=${esc(encodeURIComponent(campaign.slug))}">${esc(hostedStrings(locale, campaign.kind).manageSignature)}</a></p>`;
  // The other language shows this same step again: a POST with the same hidden fields, not a link.
  const other: Locale = locale === 'en' ? 'sw' : 'en';
  const langSwitch =
    `<form method="post" action="/c/${esc(encodeURIComponent(campaign.slug))}/code?lang=${other}" accept-charset="utf-8">` +
    carried(input, other) +
    `<button type="submit" name="do" value="show" lang="${other}">${LANGUAGE_NAMES[other]}</button></form>`;
  return page(locale, errorText ? m('hosted.errorTitle', { title: heading }) : heading, html, '?', 'same-origin', langSwitch);
}

/** After a right code: counted (the thank-you page) or held for review. */
export function renderHeldPage(campaign: CampaignRecord, locale: Locale, source: string): string {
  const m = translator(locale);
  const t = hostedStrings(locale, campaign.kind);
  const heading = m('confirm.outcomes.held.title');
  const back = `${langPathFor(campaign, source)}lang=${locale}`;
  return page(
    locale,
    heading,
    `<h1>${esc(heading)}</h1><p>${esc(m('confirm.outcomes.held.text', { title: campaign.title[locale] }))}</p>` +
      `<p><a href="${esc(back)}">${esc(t.backToPetition)}</a></p>`,
    langPathFor(campaign, source),
  );
}
