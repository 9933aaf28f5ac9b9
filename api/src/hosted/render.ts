/**
 * Server-rendered HTML of the hosted petition page: plain markup a feature-phone browser can show, one
 * tiny inline stylesheet (allowed by its hash in the CSP, nothing else may load or run), no script.
 *
 * Every value from the campaign or the signer goes through `esc()`.
 */
import { createHash } from 'node:crypto';
import { countyOptions, type FieldErrorCode, type Locale } from '@imlu/contracts';
import type { SigningWindow } from '@imlu/contracts/accepting';
import type { CampaignRecord } from '../campaigns/store.ts';
import { LANGUAGE_NAMES } from '../i18n/index.ts';
import { HOSTED_STRINGS, hostedStrings, type HostedStrings } from './strings.ts';

const CSS =
  'body{margin:0;font:16px/1.45 system-ui,sans-serif;color:#1a1a1a;background:#fff}' +
  'main{max-width:36rem;margin:0 auto;padding:.75rem}' +
  'h1{font-size:1.4rem;margin:.5rem 0}h2{font-size:1.15rem;margin:1.25rem 0 .5rem}' +
  'label,legend{font-weight:600}fieldset{border:1px solid #999;margin:.75rem 0;padding:.5rem}' +
  'input[type=text],input[type=tel],input[type=email],select,textarea{box-sizing:border-box;width:100%;font:inherit;padding:.4rem;border:1px solid #555}' +
  '.hp{position:absolute;left:-9999px;width:1px;height:1px;overflow:hidden}p.f{margin:.75rem 0}.c{display:block;margin:.4rem 0;font-weight:400}.h{color:#444;font-size:.9rem}' +
  '.e,.s{color:#a4000f}.s{border:2px solid #a4000f;padding:.5rem}' +
  'button{font:inherit;font-weight:700;padding:.6rem 1.2rem;background:#5b2176;color:#fff;border:0}' +
  'nav{text-align:right;font-size:.9rem}a{color:#5b2176}dt{font-weight:600}dd{margin:0 0 .6rem}';

/** For the Content-Security-Policy: the one inline style this page may apply. */
export const HOSTED_CSS_HASH = `'sha256-${createHash('sha256').update(CSS).digest('base64')}'`;

export const HOSTED_CSP = [
  "default-src 'none'",
  `style-src ${HOSTED_CSS_HASH}`,
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

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
};

/** Field errors keyed by form field (`name`, `phone`, `email`, `county`, `comment`, `terms`, `contact`, `other`). */
export type FormErrors = Partial<Record<string, FieldErrorCode>>;

/**
 * The page shell (language link, the one stylesheet). `referrer` is `same-origin` here; the response-link
 * page (`src/accountability/respond.*`) passes `no-referrer` because its URL holds a secret.
 */
export function page(locale: Locale, title: string, content: string, langPath: string, referrer: 'same-origin' | 'no-referrer' = 'same-origin'): string {
  const t = HOSTED_STRINGS[locale];
  const other: Locale = locale === 'en' ? 'sw' : 'en';
  return (
    `<!doctype html><html lang="${locale}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width,initial-scale=1">' +
    `<meta name="referrer" content="${referrer}">` +
    `<title>${esc(title)}</title><style>${CSS}</style></head><body><main>` +
    `<nav aria-label="${t.languageNav}"><a href="${esc(langPath)}lang=${other}" hreflang="${other}" lang="${other}">${LANGUAGE_NAMES[other]}</a></nav>` +
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

/** `?source=…&` (or `?`), so language links keep the partner's source ref. */
function langPathFor(source: string): string {
  return source ? `?source=${encodeURIComponent(source)}&` : '?';
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
}

const FIELD_ORDER = ['name', 'contact', 'phone', 'email', 'county', 'comment', 'terms', 'other'] as const;

export function renderPetitionPage(input: PetitionPageInput): string {
  const { campaign, locale, count } = input;
  const t = hostedStrings(locale, campaign.kind);
  const values = input.values ?? EMPTY_VALUES;
  const errors = input.errors ?? {};
  const title = campaign.title[locale];

  let html = `<h1>${esc(title)}</h1><p>${esc(campaign.summary[locale])}</p>`;
  for (const paragraph of campaign.body[locale].split(/\n{2,}/)) {
    if (paragraph.trim()) html += `<p>${esc(paragraph.trim())}</p>`;
  }
  if (campaign.demands.length) {
    html += `<h2>${t.demandsHeading}</h2><ol>`;
    for (const demand of campaign.demands) html += `<li>${esc(demand.text[locale])}</li>`;
    html += '</ol>';
  }
  html += `<p><strong>${esc(progress(t, locale, count, campaign.goal))}</strong></p>`;

  if (input.window === 'not-yet-open') {
    const opens = new Intl.DateTimeFormat(locale === 'sw' ? 'sw-KE' : 'en-KE', { dateStyle: 'long', timeZone: 'Africa/Nairobi' }).format(campaign.opensAt!);
    return page(locale, title, `${html}<h2>${t.notYetOpenHeading}</h2><p>${esc(t.notYetOpenBody(opens))}</p>`, langPathFor(values.source));
  }
  if (input.window === 'closed') {
    return page(locale, title, `${html}<h2>${t.closedHeading}</h2><p>${t.closedBody}</p>`, langPathFor(values.source));
  }

  html += `<h2 id="sign">${t.formHeading}</h2>`;
  if (input.notice) html += `<p class="s" role="alert">${esc(input.notice)}</p>`;
  const errorKeys = FIELD_ORDER.filter((key) => errors[key]);
  if (errorKeys.length) {
    html += `<div class="s" role="alert"><p>${esc(t.errorSummary(errorKeys.length))}</p><ul>`;
    for (const key of errorKeys) {
      html += `<li><a href="#${anchorFor(key)}">${esc(t.errors[errors[key]!])}</a></li>`;
    }
    html += '</ul></div>';
  }

  const err = (key: string) => (errors[key] ? `<span class="e" id="e-${key}">${esc(t.errors[errors[key]!])}</span><br>` : '');
  const aria = (key: string, hint?: string) => {
    const ids = [hint, errors[key] ? `e-${key}` : undefined].filter(Boolean).join(' ');
    return (errors[key] ? ' aria-invalid="true"' : '') + (ids ? ` aria-describedby="${ids}"` : '');
  };
  const text = (key: 'name' | 'phone' | 'email', type: string, label: string, extra: string, hint?: string) =>
    `<p class="f"><label for="f-${key}">${label}</label><br>` +
    (hint ? `<span class="h" id="h-${key}">${hint}</span><br>` : '') +
    err(key) +
    `<input type="${type}" id="f-${key}" name="${key}" value="${esc(values[key])}"${extra}${aria(key, hint ? `h-${key}` : undefined)}></p>`;
  const check = (key: 'terms' | 'publicName' | 'shareWithTargets' | 'updates', label: string) =>
    `<label class="c">${key === 'terms' ? err('terms') : ''}<input type="checkbox" name="${key}" value="yes"` +
    `${values[key] ? ' checked' : ''}${key === 'terms' ? aria('terms') : ''}> ${label}</label>`;

  html +=
    `<form method="post" accept-charset="utf-8" novalidate>` +
    `<input type="hidden" name="token" value="${esc(input.token)}">` +
    `<input type="hidden" name="lang" value="${locale}">` +
    (values.source ? `<input type="hidden" name="source" value="${esc(values.source)}">` : '') +
    // Honeypot: off-screen and out of the tab order; a browser without CSS shows it with a label that
    // says to leave it empty. Anything in it marks the signature suspect (silently).
    `<p class="hp"><label for="f-website">${t.honeypotLabel}</label><br>` +
    `<input type="text" id="f-website" name="website" value="" tabindex="-1" autocomplete="off"></p>` +
    text('name', 'text', t.nameLabel, ' maxlength="120" autocomplete="name"') +
    `<fieldset id="f-contact"><legend>${t.contactLegend}</legend><span class="h" id="h-contact">${t.contactHint}</span><br>` +
    (errors.contact ? `<span class="e" id="e-contact">${esc(t.errors[errors.contact])}</span>` : '') +
    text('phone', 'tel', `${t.phoneLabel} ${t.optional}`, ' maxlength="32" autocomplete="tel"', t.phoneHint) +
    text('email', 'email', `${t.emailLabel} ${t.optional}`, ' maxlength="254" autocomplete="email"') +
    '</fieldset>' +
    `<p class="f"><label for="f-county">${t.countyLabel} ${t.optional}</label><br>${err('county')}` +
    `<select id="f-county" name="county"${aria('county')}><option value="">${t.countyPlaceholder}</option>` +
    countyOptions(locale)
      .map(([code, name]) => `<option value="${code}"${values.county === code ? ' selected' : ''}>${esc(name)}</option>`)
      .join('') +
    '</select></p>' +
    `<p class="f"><label for="f-comment">${t.commentLabel} ${t.optional}</label><br>${err('comment')}` +
    `<textarea id="f-comment" name="comment" rows="3" maxlength="500"${aria('comment')}>${esc(values.comment)}</textarea></p>` +
    `<fieldset id="f-terms"><legend>${t.consentLegend}</legend>` +
    check('terms', t.consentTerms) +
    check('publicName', t.consentPublicName) +
    check('shareWithTargets', t.consentShareWithTargets) +
    check('updates', t.consentUpdates) +
    '</fieldset>' +
    `<p><button type="submit">${campaign.kind === 'pledge' ? t.submitPledge : t.submitPetition}</button></p></form>`;
  return page(locale, title, html, langPathFor(values.source));
}

function anchorFor(key: (typeof FIELD_ORDER)[number]): string {
  if (key === 'other') return 'sign';
  return `f-${key}`;
}

export function renderThanksPage(campaign: CampaignRecord, locale: Locale, pending: boolean, source: string): string {
  const t = hostedStrings(locale, campaign.kind);
  const back = `${langPathFor(source)}lang=${locale}`;
  return page(
    locale,
    t.thanksHeading,
    `<h1>${t.thanksHeading}</h1><p>${pending ? t.thanksPending : t.thanksCounted}</p>` +
      `<p>${esc(campaign.title[locale])}</p><p><a href="${esc(back)}">${t.backToPetition}</a></p>` +
      `<p><a href="/me?lang=${locale}&amp;campaign=${esc(encodeURIComponent(campaign.slug))}">${t.manageSignature}</a></p>`,
    langPathFor(source),
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
