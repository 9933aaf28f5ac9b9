/**
 * A partner's read-only link (`/v1/partner-stats/<token>`) opened in a browser: the same figures as the JSON
 * answer, as a page in English or Kiswahili, in the hosted pages' shell (one stylesheet, strict CSP). Counts
 * from 1 to 4 stay "<5"; nothing on it names a signer. The URL holds the link's secret, so the page sends no
 * referrer anywhere.
 */
import { countyByCode, type CountyCode, type Locale } from '@imlu/contracts';
import { esc, page } from '../hosted/render.ts';
import { translator } from '../i18n/index.ts';

type Floored = number | '<5';

interface Figures {
  counted: Floored;
  pending: Floored;
  confirmationRate: number | null;
  topCounties: { code: string; counted: Floored }[];
}

export interface PartnerPageInput {
  locale: Locale;
  /** The page's own path with the token, for the link to the other language. */
  path: string;
  campaign: { title: { en: string; sw: string } };
  origin: string;
  expiresAt: string;
  /** The origin's figures (the view has exactly one), or none yet. */
  figures: (Figures & { sources: (Figures & { source: string | null; other?: true })[] }) | undefined;
}

const NUMBERS: Record<Locale, Intl.NumberFormat> = { en: new Intl.NumberFormat('en-KE'), sw: new Intl.NumberFormat('sw-KE') };
const PERCENTS: Record<Locale, Intl.NumberFormat> = {
  en: new Intl.NumberFormat('en-KE', { style: 'percent', maximumFractionDigits: 1 }),
  sw: new Intl.NumberFormat('sw-KE', { style: 'percent', maximumFractionDigits: 1 }),
};

export function renderPartnerPage(input: PartnerPageInput): string {
  const { locale } = input;
  const m = translator(locale);
  const count = (value: Floored) => (value === '<5' ? '&lt;5' : NUMBERS[locale].format(value));
  const rate = (value: number | null) => (value === null ? m('partnerPage.none') : PERCENTS[locale].format(value));
  const empty: Figures = { counted: 0, pending: 0, confirmationRate: null, topCounties: [] };
  const figures = input.figures ?? { ...empty, sources: [] };
  const title = m('partnerPage.title', { campaign: input.campaign.title[locale], origin: input.origin });
  const until = new Intl.DateTimeFormat(locale === 'sw' ? 'sw-KE' : 'en-KE', { dateStyle: 'long', timeZone: 'Africa/Nairobi' }).format(new Date(input.expiresAt));
  const totals = (f: Figures) =>
    `<dl><dt>${m('partnerPage.counted')}</dt><dd data-figure="counted">${count(f.counted)}</dd>` +
    `<dt>${m('partnerPage.pending')}</dt><dd data-figure="pending">${count(f.pending)}</dd>` +
    `<dt>${m('partnerPage.confirmation')}</dt><dd data-figure="confirmation">${rate(f.confirmationRate)}</dd></dl>`;
  const sources = figures.sources.filter((s) => s.source !== null || figures.sources.length > 1);
  const county = (code: string) => esc(countyByCode(code as CountyCode)?.name[locale] ?? code);
  return page(
    locale,
    title,
    `<h1>${esc(title)}</h1><p>${esc(m('partnerPage.intro'))}</p>` +
      totals(figures) +
      `<h2>${esc(m('partnerPage.counties'))}</h2>` +
      (figures.topCounties.length
        ? `<ul>${figures.topCounties.map((c) => `<li>${county(c.code)}: ${count(c.counted)}</li>`).join('')}</ul>`
        : `<p>${esc(m('partnerPage.noCounties'))}</p>`) +
      (sources.length
        ? `<h2>${esc(m('partnerPage.sources'))}</h2>` +
          sources
            .map((s) => {
              const name = s.other ? m('partnerPage.otherSources') : (s.source ?? m('partnerPage.noSource'));
              return `<h3 class="h">${esc(m('partnerPage.source'))}: ${esc(name)}</h3>${totals(s)}`;
            })
            .join('')
        : '') +
      `<p class="h">${esc(m('partnerPage.until', { date: until }))}</p>`,
    `${input.path}?`,
    'no-referrer',
  );
}

export function renderPartnerNotFound(locale: Locale, path: string): string {
  const m = translator(locale);
  return page(
    locale,
    m('partnerPage.notFoundHeading'),
    `<h1>${esc(m('partnerPage.notFoundHeading'))}</h1><p>${esc(m('partnerPage.notFoundBody'))}</p>`,
    `${path}?`,
    'no-referrer',
  );
}
