/**
 * A duty bearer's dated history, the part of `<imlu-accountability>` a reader sees only after opening a
 * "History": in its own chunk, which embed.js imports on the reader's first touch of the element (focus,
 * pointer, or a history opened; see `#loadHistory()` in `./accountability.component.ts`).
 *
 * Like the petition's signing chunk (../petition/signing.ts), it imports nothing at run time that embed.js
 * also contains: Lit's `html` and `nothing`, the translator and the date format come in through the
 * petition's `kit` (../petition/kit.ts), handed over with each call. test/size.test.ts checks that.
 */
import type { AccountabilityTarget, Delivery, PositionEntry, PositionStatus } from '@imlu/contracts';
import type { TemplateResult } from 'lit';
import type { Locale } from '../i18n/index.ts';
import type { Kit } from '../petition/kit.ts';
import { historyCatalog } from './history.messages.ts';

/** Only absolute http(s) URLs become links: never `javascript:`, `data:` or a path on the partner's site. */
export function safeHref(url: string | null): string | undefined {
  try {
    const parsed = new URL(url!);
    if (/^https?:$/.test(parsed.protocol)) return parsed.href;
  } catch {
    // not an absolute URL
  }
  return undefined;
}

/**
 * Every dated entry of `target`, newest first: date, status badge (`badge` from the element, so both
 * halves draw it alike, in words), demand, statement, who recorded it, and the evidence link when it is safe.
 * A delivered pack is an entry too: the campaign asking, worded by the element (`delivery`), whose
 * count and manifest hash are its evidence.
 */
export function renderHistory(
  { html, nothing, msgFor, formatDate }: Kit,
  target: AccountabilityTarget,
  locale: Locale,
  demands: Map<string, string>,
  badge: (status: PositionStatus) => TemplateResult,
  delivery: (delivery: Delivery) => string,
): TemplateResult {
  const t = historyCatalog(locale, msgFor);
  const entries = [
    ...target.positions.flatMap((position) => position.history.map((entry): [string, PositionEntry | Delivery] => [position.demandId, entry])),
    ...(target.deliveries ?? []).map((entry): [string, Delivery] => ['', entry]),
  ].sort((a, b) => (a[1].recordedAt < b[1].recordedAt ? 1 : -1));
  return html`<ol>
    ${entries.map(([demandId, entry]) => {
      if ('manifestSha256' in entry) {
        // The badge as an expression: the template minifier drops the space between two tags.
        const asked = html`<span part="badge" class="badge asked">${t.packDelivered}</span>`;
        return html`<li>
          <time datetime=${entry.recordedAt}>${formatDate(locale, entry.recordedAt)}</time>
          ${asked} ${delivery(entry)}
          <span class="muted">(${t.byCampaign})</span>
        </li>`;
      }
      const href = safeHref(entry.evidenceUrl);
      // The statement in the reader's language when there is one, else in the one it was given in (a duty
      // bearer answering in Kiswahili only is still heard in English), marked so that it is read aloud right.
      const sw = !!entry.statementSw && (locale === 'sw' || !entry.statement);
      return html`<li>
        <time datetime=${entry.recordedAt}>${formatDate(locale, entry.recordedAt)}</time>
        ${badge(entry.status)} ${demands.get(demandId)}
        ${entry.statement || sw ? html`<q lang=${sw ? 'sw' : 'en'}>${sw ? entry.statementSw : entry.statement}</q>` : nothing}
        <span class="muted">(${entry.recordedBy === 'campaign' ? t.byCampaign : t.selfReported})</span>
        ${href ? html`<a href=${href} target="_blank" rel="noopener noreferrer nofollow">${t.evidence}</a>` : nothing}
      </li>`;
    })}
  </ol>`;
}
