import type { Accountability, AccountabilityTarget, Delivery, PositionStatus } from '@imlu/contracts';
import { countyOptions } from '@imlu/contracts/county-names';
import { html, LitElement, nothing } from 'lit';
import { endpoint, request, type ApiResult } from '../api/client.ts';
import { ImluErrorEvent } from '../events.ts';
import { formatDate, formatNumber, type Locale } from '../i18n/index.ts';
import { LocaleController } from '../internal/locale-controller.ts';
import { kit } from '../petition/kit.ts';
import { sharedStyles } from '../styles/shared.styles.ts';
import { themeStyles } from '../styles/theme.styles.ts';
import { VERSION } from '../version.ts';
import { accountabilityCatalog, type AccountabilityCatalog } from './accountability.messages.ts';
import { accountabilityStyles } from './accountability.styles.ts';
import type * as HistoryModule from './history.ts';

/** Positions change over days, not seconds: one conditional request a minute is plenty. */
export const ACCOUNTABILITY_INTERVAL_MS = 60_000;

/** The filter's values: everyone (''), the overdue, or a position status held on at least one demand. */
export const FILTERS = ['', 'overdue', 'not_asked', 'asked', 'acknowledged', 'committed', 'declined', 'delivered', 'broken'] as const;
export type AccountabilityFilter = (typeof FILTERS)[number];

function matches(target: AccountabilityTarget, filter: string): boolean {
  return !filter || (filter === 'overdue' ? target.overdue : target.positions.some((p) => p.status === filter));
}

/**
 * The dated history inside each closed `<details>` is in `./history.ts`, a separate chunk that embed.js
 * imports on the reader's first focus or touch inside the element, or when a history opens. A property so
 * that tests can replace it.
 * @internal
 */
export const lazy = {
  history: (): Promise<typeof HistoryModule> => import('./history.ts'),
};

/**
 * @tagname imlu-accountability
 * @summary Where each duty bearer stands on the campaign's demands: summary counters, a status badge per
 *   demand, overdue days, dated history with evidence, a status filter and the signature milestones.
 *
 * Loads `GET {api}/v1/campaigns/{campaign}/accountability` and refreshes it every 60 s while the tab is
 * visible (and at once when it becomes visible after longer), always as a conditional request: the
 * browser revalidates its cached copy with the response's ETag, so an unchanged record costs a 304.
 * Sends nothing but that GET, without credentials.
 *
 * @attribute {'light' | 'dark'} theme - Forces that colour scheme; without it the reader's
 *   `prefers-color-scheme`. CSS reads the attribute directly, so there is no property.
 * @attribute {string} lang - `sw` (or any `sw-*` tag) for Kiswahili, else English; without it, the closest
 *   ancestor's `lang`, then `<html lang>`.
 *
 * @csspart summary - The summary counters ("3 of 5 committed · 1 delivered · 2 overdue"), a polite live region.
 * @csspart filter - The status filter (a `<select>`).
 * @csspart list - The list of duty bearers.
 * @csspart target - One duty bearer in the list.
 * @csspart badge - A status badge (a position, an overdue notice, a history entry's status).
 * @csspart milestones - The list of milestones.
 * @csspart pledges - A pledge campaign's actions with their figures (pledged, kept, places left), in words.
 * @csspart pledge - One action in that list.
 * @csspart signing-key - The line naming the key that signs the campaign's delivery packs (when there is one).
 *
 * @cssproperty --imlu-color-primary - System: committed badges, links, the retry button (light #5b2a86, dark #cdb4f0).
 * @cssproperty --imlu-color-text - System: text and acknowledged badges (light #1a1a1a, dark #f2f2f2).
 * @cssproperty --imlu-color-surface - System: background (light #fff, dark #1e1e1e).
 * @cssproperty --imlu-color-error - System: declined, broken and overdue badges (light #b3261e, dark #ff8a80).
 * @cssproperty --imlu-color-success - System: delivered badges (light #1b6e33, dark #7ddc8f).
 * @cssproperty --imlu-color-warning - System: "awaiting a response" badges (light #8a4b00, dark #f5c16c).
 * @cssproperty --imlu-color-muted - System: secondary text, "not asked yet" badges (light #4d4d4d, dark #c4c4c4).
 * @cssproperty --imlu-color-border - System: the filter's border and the lines between duty bearers (light #6b6b6b, dark #8f8f8f).
 * @cssproperty --imlu-font-family - System: font (system-ui).
 * @cssproperty --imlu-font-size - System: base font size (1rem).
 * @cssproperty --imlu-radius - System: corner radius of the widget, badges and controls (0.375rem).
 * @cssproperty --imlu-focus-color - System: focus ring; falls back to --imlu-color-primary.
 * @cssproperty --imlu-accountability-surface - Background; falls back to --imlu-color-surface.
 * @cssproperty --imlu-accountability-text-color - Text colour; falls back to --imlu-color-text.
 * @cssproperty --imlu-accountability-padding - Inner spacing (1rem).
 * @cssproperty --imlu-accountability-skeleton-height - Height reserved while loading (60rem, about three duty
 *   bearers and two milestones). Set it to your record's height: about 20rem plus 13–18rem per duty bearer.
 *
 * @event {ImluErrorEvent} imlu-error - The record could not be loaded. `detail: { campaign, type, status }`.
 */
export class ImluAccountability extends LitElement {
  static readonly version = VERSION;
  static override styles = [sharedStyles, themeStyles, accountabilityStyles];
  static override properties = {
    campaign: {},
    api: {},
    status: {},
    failed: { state: true },
    data: { state: true },
  };

  /** Campaign slug. */
  declare campaign: string;
  /** Base URL of the IMLU API, e.g. `https://api.example.org`. */
  declare api: string;
  /**
   * The filter: `''` (everyone), `overdue`, or a status (`not_asked`, `asked`, `acknowledged`, `committed`,
   * `declined`, `delivered`, `broken`) that a duty bearer holds on at least one demand. The reader can
   * change it. Any other value shows everyone, as the select then says.
   */
  declare status: string;

  /** No record could be loaded: the error shows (while `data` is undefined) until a retry or another campaign. */
  private declare failed: boolean;
  private declare data: Accountability | undefined;

  readonly #i18n = new LocaleController(this);
  /** Guards against a slow response for a previous campaign overwriting the current one. */
  #loadToken = 0;
  #lastFetch = 0;
  #inflight: boolean | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** The history chunk: asked for once (again after a failure), then kept. */
  #history: Promise<unknown> | undefined;
  #renderHistory: (typeof HistoryModule)['renderHistory'] | undefined;
  #historyFailed: boolean | undefined;

  constructor() {
    super();
    this.campaign = '';
    this.api = '';
    this.status = '';
    this.failed = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this.#schedule);
    // Re-attached after a while: catch up (the first connection loads from willUpdate instead).
    if (this.#lastFetch) this.#schedule();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#timer);
    document.removeEventListener('visibilitychange', this.#schedule);
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('api') || changed.has('campaign')) {
      this.failed = false;
      this.data = undefined;
      void this.#refresh();
    }
  }

  async #refresh(): Promise<void> {
    clearTimeout(this.#timer);
    const token = ++this.#loadToken;
    const { api, campaign } = this;
    this.#inflight = false;
    if (!api || !campaign) return;
    this.#inflight = true;
    let result: ApiResult<Accountability> | undefined;
    try {
      // `no-cache`: revalidate every time. The browser adds If-None-Match from its cached copy itself
      // (no CORS preflight, no ETag header to expose) and hands us the cached body on a 304.
      result = await request<Accountability>(endpoint(api, campaign, '/accountability'), { cache: 'no-cache' });
    } catch {
      // offline: result stays undefined
    }
    if (token !== this.#loadToken) return;
    if (result?.ok) this.data = result.data;
    this.#inflight = false;
    this.#lastFetch = Date.now();
    // A failed background refresh keeps what the reader sees; only a record never loaded shows the error,
    // and the event fires when the error appears, not again at every unsuccessful minute after it.
    if (!this.data && !this.failed) {
      this.failed = true;
      this.dispatchEvent(
        new ImluErrorEvent({ campaign, type: result && !result.ok ? result.problem.type : 'network', status: result?.status ?? 0 }),
      );
    }
    this.#schedule();
  }

  /** (Re)arms the single timer; an arrow function so that it doubles as the visibilitychange listener. */
  readonly #schedule = (): void => {
    clearTimeout(this.#timer);
    if (document.hidden || !this.isConnected || this.#inflight) return;
    const wait = this.#lastFetch + ACCOUNTABILITY_INTERVAL_MS - Date.now();
    if (wait <= 0) void this.#refresh();
    else this.#timer = setTimeout(() => void this.#refresh(), wait);
  };

  /**
   * Fetches the history chunk on the first interaction; a failed download is asked for again at the next
   * one (a focus, a touch, the history closed and opened again), and says so meanwhile.
   */
  readonly #loadHistory = (): void => {
    if (this.#history) return;
    this.#history = lazy.history().then(
      (module) => {
        this.#renderHistory = module.renderHistory;
      },
      () => {
        this.#history = undefined;
        this.#historyFailed = true;
      },
    ).finally(() => this.requestUpdate());
  };

  #retry(): void {
    this.failed = false;
    void this.#refresh();
  }

  protected override render() {
    const locale = this.#i18n.locale;
    // Lit writes a boolean into an attribute as "true" or "false", as aria-busy wants it.
    return html`<div lang=${locale} aria-busy=${!this.data && !this.failed} @focusin=${this.#loadHistory} @pointerdown=${this.#loadHistory}>${this.#renderView(locale)}</div>`;
  }

  #renderView(locale: Locale) {
    const t = accountabilityCatalog(locale);
    const { data } = this;
    if (!data) {
      return this.failed
        ? html`<div class="alert" role="alert">
            <p>${t.loadFailed}</p>
            <button type="button" @click=${this.#retry}>${this.#i18n.t('retry')}</button>
          </div>`
        : // The block reserves roughly the loaded height, so the partner's page does not jump.
          html`<div class="skeleton"><p class="visually-hidden">${t.loading}</p></div>`;
    }
    const number = (n: number) => formatNumber(locale, n);
    const { summary, targets } = data;
    // An unknown status (a typo in the attribute) shows everyone, which is what the select then shows.
    const filter = (FILTERS as readonly string[]).includes(this.status) ? this.status : '';
    const shown = targets.filter((target) => matches(target, filter));
    const demands = new Map(data.demands.map((demand) => [demand.id, demand.text[locale]]));
    return html`
      <h2>${data.title[locale]}</h2>
      ${targets.length
        ? html`<p part="summary" role="status">
              ${t.summary(number(summary.committed), number(summary.targets), number(summary.delivered), number(summary.overdue))}
            </p>
            <label for="filter">${t.filter}</label>
            <select id="filter" part="filter" @change=${(e: Event) => (this.status = (e.target as HTMLSelectElement).value)}>${FILTERS.map(
              (option) => html`<option value=${option} .selected=${option === filter}>${option ? t[option] : t.all}</option>`,
            )}</select>
            <p class="count" role="status">${t.showing(number(shown.length), number(targets.length))}</p>
            <ul part="list">
              ${shown.map((target) => this.#renderTarget(target, t, locale, demands))}
            </ul>`
        : html`<p>${t.empty}</p>`}
      ${data.pledges?.length ? this.#renderPledges(data.pledges, t, locale) : nothing}
      ${data.milestones.length
        ? html`<h3>${t.milestones}</h3>
            <ol part="milestones">
              ${data.milestones.map(
                (milestone) =>
                  html`<li>
                    <strong>${this.#i18n.t('signatures')(number(milestone.threshold), milestone.threshold)}</strong>:
                    ${milestone.label[locale]} ·
                    ${milestone.reachedAt ? t.reached(formatDate(locale, milestone.reachedAt)) : t.notReached}
                    ${milestone.step?.due ? html`· <span part="badge" class="badge asked">${this.#step(milestone.step, t, locale)}</span>` : nothing}
                  </li>`,
              )}
            </ol>`
        : nothing}
      ${data.signingKeyId ? html`<p class="muted" part="signing-key">${t.signedWith(`ed25519:${data.signingKeyId}`)}</p>` : nothing}
    `;
  }

  /**
   * A pledge campaign's actions beside the duty bearers' commitments, every figure in words: "1,200 pledged;
   * 830 kept their pledge" once an action has started (or when it has no date), "1,200 pledged · 35 places
   * left" while it is still ahead. Dates are Kenya's, as everywhere on the board.
   */
  #renderPledges(pledges: NonNullable<Accountability['pledges']>, t: AccountabilityCatalog, locale: Locale) {
    const number = (n: number) => formatNumber(locale, n);
    return html`<h3>${t.pledges}</h3>
      <ul part="pledges">
        ${[...pledges]
          .sort((a, b) => a.position - b.position)
          .map((pledge) => {
            const ahead = !!pledge.startsAt && Date.parse(pledge.startsAt) > Date.now();
            const county = pledge.county && countyOptions(locale).find(([code]) => code === pledge.county)?.[1];
            const where = [pledge.startsAt && formatDate(locale, pledge.startsAt), pledge.place?.[locale] ?? county].filter(Boolean);
            const left = pledge.placesLeft;
            return html`<li part="pledge">
              <h4>${pledge.title[locale]}</h4>
              ${where.length ? html`<p class="muted">${where.join(' · ')}</p>` : nothing}
              <p>
                ${ahead
                  ? [t.pledgeAhead(number(pledge.pledged)), left != null && t.placesLeft(number(left), left)].filter(Boolean).join(' · ')
                  : t.pledgeKept(number(pledge.kept), pledge.kept, number(pledge.pledged))}
              </p>
            </li>`;
          })}
      </ul>`;
  }

  #step(step: NonNullable<Accountability['milestones'][number]['step']>, t: AccountabilityCatalog, locale: Locale) {
    const target = this.data?.targets.find((each) => each.id === step.targetId);
    const name = (locale === 'sw' && target?.nameSw) || step.targetName;
    return step.step === 'deliver' ? t.stepDeliver(name) : t.stepAsk(name);
  }

  /** "12,345 signatures delivered to IPOA on 6 December 2026 (in person) · pack sha256 ab12cd34ef56…"; the full hash in the history. */
  #delivery(delivery: Delivery, name: string, t: AccountabilityCatalog, locale: Locale, fullHash = false): string {
    const hash = fullHash ? delivery.manifestSha256 : `${delivery.manifestSha256.slice(0, 12)}…`;
    const date = formatDate(locale, `${delivery.deliveredOn}T12:00:00+03:00`);
    return t.delivery(formatNumber(locale, delivery.signatures), delivery.signatures, name, date, t[`ch_${delivery.channel}`], hash);
  }

  #renderTarget(target: AccountabilityTarget, t: AccountabilityCatalog, locale: Locale, demands: Map<string, string>) {
    const { county } = target.jurisdiction;
    // The petition's county list (in embed.js already) names it in the reader's language.
    const countyName = county && countyOptions(locale).find(([code]) => code === county)?.[1];
    const badge = (status: PositionStatus | 'overdue', text: string) =>
      html`<span part="badge" class="badge ${status}">${text}</span>`;
    const days = target.daysOverdue;
    // Kiswahili where the campaign gave it, else the English (a name may well be the same in both).
    const sw = locale === 'sw';
    const name = (sw && target.nameSw) || target.name;
    const deliveries = target.deliveries ?? [];
    const lastDelivery = deliveries.at(-1);
    // The delivery is the target's latest step unless a position was recorded after it.
    const answeredSince = target.positions.some((p) => p.history.some((entry) => lastDelivery && entry.recordedAt > lastDelivery.recordedAt));
    return html`<li part="target">
      <h3>${name}</h3>
      <p class="muted">
        ${[
          (sw && target.officeSw) || target.office,
          (sw && target.institutionSw) || target.institution,
          countyName ? t.county(countyName) : target.jurisdiction.level === 'national' && t.national,
        ]
          .filter(Boolean)
          .join(' · ')}
      </p>
      ${target.overdue
        ? html`<p>${badge('overdue', days ? t.overdueBy(formatNumber(locale, days), days) : t.overdue)}</p>`
        : nothing}
      ${target.contactAvailable === false && !lastDelivery ? html`<p>${badge('not_asked', t.noContact)}</p>` : nothing}
      ${lastDelivery && !answeredSince ? html`<p>${this.#delivery(lastDelivery, name, t, locale)}</p>` : nothing}
      <ul>
        ${target.positions.map(
          (position) => html`<li>${demands.get(position.demandId)} ${badge(position.status, t[position.status])}</li>`,
        )}
      </ul>
      ${lastDelivery || target.positions.some((position) => position.history.length)
        ? html`<details @toggle=${this.#loadHistory}>
            <summary>${t.history}</summary>
            <div aria-live="polite">
              ${this.#renderHistory?.(kit, target, locale, demands, (status) => badge(status, t[status]), (d) => this.#delivery(d, name, t, locale, true)) ??
              html`<p>${this.#historyFailed ? t.loadFailed : t.loading}</p>`}
            </div>
          </details>`
        : nothing}
    </li>`;
  }
}
