/**
 * The supporter's pledge page (`/p/<token>`, issue 16), rendered on the server in the hosted pages' look
 * (src/hosted/render.ts: one hashed stylesheet, no script, no referrer) so it works on a feature phone:
 * the supporter's pledged actions with date, place and state, and for each only the buttons that can
 * change something now — the same rules as `sayOfPledge` (src/pledges/commitments.ts), which decides again
 * on the POST.
 */
import type { Locale } from '@imlu/contracts';
import { esc, page } from '../hosted/render.ts';
import { translator } from '../i18n/index.ts';
import type { PledgeSay } from './commitments.ts';

/** One pledged action as the page shows it. */
export interface PagePledge {
  actionId: string;
  position: number;
  title: { en: string; sw: string };
  place: { en: string; sw: string } | null;
  startsAt: number | null;
  capacity: number | null;
  /** The action's current `pledged` figure, for "a place is free" before an undo of "can't". */
  pledgedNow: number;
  state: PledgeSay;
  keptAt: number | null;
}

/** What the page says after a POST (redirected here with `?status=`). */
export type PageStatus = PledgeSay | 'unchanged';
export const PAGE_STATUSES: readonly PageStatus[] = ['done', 'cant', 'pledged', 'unchanged'];

/** The buttons one pledge offers at `now`: the same guards as `sayOfPledge`. */
export function allowedSays(pledge: PagePledge, now: number): PledgeSay[] {
  const before = pledge.startsAt === null || pledge.startsAt > now;
  const started = pledge.startsAt === null || pledge.startsAt <= now;
  const says: PledgeSay[] = [];
  if (pledge.state === 'pledged' && pledge.keptAt === null && before) says.push('cant');
  if (pledge.state === 'cant' && before && placeFree(pledge)) says.push('pledged');
  // Kept already (by a campaigner's attendance record): nothing more to report.
  if (pledge.state !== 'done' && pledge.keptAt === null && started) says.push('done');
  return says;
}

function placeFree(pledge: PagePledge): boolean {
  return pledge.capacity === null || pledge.capacity > pledge.pledgedNow;
}

/** Built once per language. */
const DATE_FORMATS: Record<Locale, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat('en-KE', { dateStyle: 'full', timeStyle: 'short', timeZone: 'Africa/Nairobi' }),
  sw: new Intl.DateTimeFormat('sw-KE', { dateStyle: 'full', timeStyle: 'short', timeZone: 'Africa/Nairobi' }),
};

export interface PledgePageInput {
  locale: Locale;
  /** The page's own path (`/p/<token>`), where its forms post and its language link points. */
  path: string;
  campaignTitle: string;
  pledges: readonly PagePledge[];
  status: PageStatus | undefined;
  now: number;
}

export function renderPledgePage(input: PledgePageInput): string {
  const { locale, path } = input;
  const m = translator(locale);
  const status = input.status
    ? // Announced to screen readers and shown first: the answer to what the supporter just pressed.
      `<p class="s" role="status">${esc(m(`pledges.page.result.${input.status}`))}</p>`
    : '';
  const items = input.pledges.map((pledge) => {
    const facts = [
      pledge.startsAt === null ? '' : `<p>${esc(m('pledges.page.when', { date: DATE_FORMATS[locale].format(new Date(pledge.startsAt)) }))}</p>`,
      pledge.place ? `<p>${esc(m('pledges.page.where', { place: pledge.place[locale] }))}</p>` : '',
    ].join('');
    const state =
      pledge.keptAt !== null && pledge.state !== 'done' ? m('pledges.page.state.kept') : m(`pledges.page.state.${pledge.state}`);
    const says = allowedSays(pledge, input.now);
    const buttons = says
      .map(
        (say) =>
          `<form method="post" action="${esc(path)}"><input type="hidden" name="lang" value="${locale}">` +
          `<input type="hidden" name="action" value="${esc(pledge.actionId)}"><input type="hidden" name="say" value="${say}">` +
          `<button type="submit"${say === 'cant' ? ' class="b2"' : ''}>${esc(m(`pledges.page.say.${say}`))}</button></form>`,
      )
      .join('');
    const full = pledge.state === 'cant' && !placeFree(pledge) && (pledge.startsAt === null || pledge.startsAt > input.now) ? `<p class="h">${esc(m('pledges.page.full'))}</p>` : '';
    return `<section><h2>${esc(pledge.title[locale])}</h2>${facts}<p><strong>${esc(state)}</strong></p>${full}${buttons}</section>`;
  });
  const heading = m('pledges.page.heading');
  return page(
    locale,
    heading,
    `<h1>${esc(heading)}</h1>${status}<p>${esc(m('pledges.page.intro', { title: input.campaignTitle }))}</p>${items.join('')}` +
      `<p class="h">${esc(m('pledges.page.private'))}</p>`,
    `${path}?`,
    'no-referrer',
  );
}

/** "This link no longer works": a forged or unknown token, or a signature withdrawn, erased or not live. */
export function renderDeadLinkPage(locale: Locale): string {
  const m = translator(locale);
  return page(locale, m('pledges.page.invalid'), `<h1>${esc(m('pledges.page.invalid'))}</h1><p>${esc(m('pledges.page.invalidText'))}</p>`, '?', 'no-referrer');
}

/** A post that is not one of the page's own buttons (a missing or unknown field). */
export function renderBadFormPage(locale: Locale, path: string): string {
  const m = translator(locale);
  return page(
    locale,
    m('pledges.page.badForm'),
    `<h1>${esc(m('pledges.page.badForm'))}</h1><p>${esc(m('pledges.page.badFormText'))}</p><p><a href="${esc(path)}?lang=${locale}">${esc(m('pledges.page.back'))}</a></p>`,
    `${path}?`,
    'no-referrer',
  );
}
