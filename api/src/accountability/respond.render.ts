/**
 * HTML of the response page: the demands a target was asked for, a position per demand (radio buttons),
 * one statement and one optional evidence link. Plain form, no script, every value through `esc()`.
 * Links on these pages are relative (`?lang=sw`), so the token in the path is never written into them.
 */
import type { Locale, PositionStatus, TargetPosition } from '@imlu/contracts';
import type { CampaignRecord } from '../campaigns/store.ts';
import { esc, page } from '../hosted/render.ts';
import { formatDate, RESPOND_STRINGS } from './respond.strings.ts';

export type Choice = 'acknowledged' | 'committed' | 'declined' | 'delivered';

export interface RespondValues {
  /** Chosen position per demand id (absent: no change). */
  positions: Record<string, Choice>;
  statement: string;
  evidenceUrl: string;
}

export const EMPTY_RESPONSE: RespondValues = { positions: {}, statement: '', evidenceUrl: '' };

/** Field errors: `position` (none chosen), `d-<demand id>` (delivered without commitment), `statement`, `evidence`. */
export type RespondErrors = Partial<Record<string, 'position' | 'delivered' | 'evidence' | 'statement'>>;

export interface RespondPageInput {
  locale: Locale;
  campaign: CampaignRecord;
  targetName: string;
  dueOn: string | null;
  /** Days past `dueOn` with no response, as on the board; null when not overdue. */
  daysOverdue: number | null;
  /** Asked demands with their current positions, in the campaign's order; `number` as on the board. */
  demands: { id: string; number: number; text: string; position: TargetPosition; committedBefore: boolean }[];
  token: string;
  values?: RespondValues;
  errors?: RespondErrors;
  notice?: string;
}

const CHOICES: Choice[] = ['acknowledged', 'committed', 'declined', 'delivered'];

export function renderRespondPage(input: RespondPageInput): string {
  const { locale } = input;
  const t = RESPOND_STRINGS[locale];
  const values = input.values ?? EMPTY_RESPONSE;
  const errors = input.errors ?? {};
  const title = `${t.heading}: ${input.campaign.title[locale]}`;

  let html = `<h1>${esc(t.heading)}</h1><p>${esc(t.intro(input.campaign.title[locale], input.targetName))}</p>`;
  if (input.dueOn) {
    const due = formatDate(locale, Date.parse(`${input.dueOn}T12:00:00+03:00`));
    html += input.daysOverdue
      ? `<p class="e"><strong>${esc(t.overdue(due, input.daysOverdue))}</strong></p>`
      : `<p><strong>${esc(t.due(due))}</strong></p>`;
  }
  html += `<p class="h">${esc(t.publicNote)}</p>`;
  if (input.notice) html += `<p class="s" role="alert">${esc(input.notice)}</p>`;
  const errorKeys = Object.keys(errors);
  if (errorKeys.length) {
    html += `<div class="s" role="alert"><p>${esc(t.errorSummary(errorKeys.length))}</p><ul>`;
    for (const key of errorKeys) html += `<li><a href="#f-${esc(key)}">${esc(t.errors[errors[key]!])}</a></li>`;
    html += '</ul></div>';
  }

  html += `<form method="post" accept-charset="utf-8" novalidate><input type="hidden" name="token" value="${esc(input.token)}">` +
    `<input type="hidden" name="lang" value="${locale}">`;
  if (errors.position) html += `<p class="e" id="f-position">${esc(t.errors.position)}</p>`;
  for (const demand of input.demands) {
    const key = `d-${demand.id}`;
    const current: PositionStatus = demand.position.status;
    const since = demand.position.since ? ` (${esc(t.since(formatDate(locale, Date.parse(demand.position.since))))})` : '';
    html += `<fieldset id="f-${esc(key)}"><legend>${demand.number}. ${esc(demand.text)}</legend>`;
    html += `<p class="h">${esc(t.current)} <strong>${esc(t.status[current])}</strong>${since}</p>`;
    if (errors[key]) html += `<span class="e">${esc(t.errors[errors[key]!])}</span>`;
    const name = `position.${demand.id}`;
    const chosen = values.positions[demand.id];
    html += `<label class="c"><input type="radio" name="${esc(name)}" value=""${chosen ? '' : ' checked'}> ${esc(t.noChange)}</label>`;
    for (const choice of CHOICES) {
      if (choice === 'delivered' && !demand.committedBefore) continue;
      html += `<label class="c"><input type="radio" name="${esc(name)}" value="${choice}"${chosen === choice ? ' checked' : ''}> ${esc(t.choice[choice])}</label>`;
    }
    html += '</fieldset>';
  }
  const invalid = (key: string) => (errors[key] ? ` aria-invalid="true" aria-describedby="e-${key}"` : '');
  const err = (key: string) => (errors[key] ? `<span class="e" id="e-${key}">${esc(t.errors[errors[key]!])}</span><br>` : '');
  html +=
    `<p class="f" id="f-statement"><label for="i-statement">${esc(t.statementLabel)}</label><br><span class="h">${esc(t.statementHint)}</span><br>${err('statement')}` +
    `<textarea id="i-statement" name="statement" rows="6" maxlength="4000"${invalid('statement')}>${esc(values.statement)}</textarea></p>` +
    `<p class="f" id="f-evidence"><label for="i-evidence">${esc(t.evidenceLabel)}</label><br><span class="h">${esc(t.evidenceHint)}</span><br>${err('evidence')}` +
    `<input type="text" inputmode="url" id="i-evidence" name="evidenceUrl" maxlength="500" value="${esc(values.evidenceUrl)}"${invalid('evidence')}></p>` +
    `<p><button type="submit">${esc(t.submit)}</button></p></form>`;
  return page(locale, title, html, '?', 'no-referrer');
}

export function renderRespondThanks(
  locale: Locale,
  campaign: CampaignRecord,
  recorded: { number: number; text: string; choice: Choice }[],
  expiresAt: number,
): string {
  const t = RESPOND_STRINGS[locale];
  let html = `<h1>${esc(t.thanksHeading)}</h1><p>${esc(campaign.title[locale])}</p><ul>`;
  // The demand and its new position on lines of their own: a demand ends with its own full stop, so
  // "demand: Status" read as "kijamii.: Ameahidi".
  for (const item of recorded) {
    html += `<li>${item.number}. ${esc(item.text)}<br>${esc(t.current)} <strong>${esc(t.status[item.choice])}</strong></li>`;
  }
  html += `</ul><p>${esc(t.thanksBody(formatDate(locale, expiresAt)))}</p><p><a href="?lang=${locale}">${esc(t.updateLink)}</a></p>`;
  return page(locale, t.thanksHeading, html, '?', 'no-referrer');
}

export function renderRespondMessage(locale: Locale, heading: string, body: string): string {
  return page(locale, heading, `<h1>${esc(heading)}</h1><p>${esc(body)}</p>`, '?', 'no-referrer');
}
