import { css, html, LitElement, nothing } from 'lit';
import { consoleApi, type CampaignSummary, type CountyTable, type DailyStats } from './api.ts';
import { STRINGS, type Locale, type NumbersStrings } from './strings.ts';

/**
 * @tagname imlu-console-numbers
 * @summary The console's "Numbers" view: progress to the goal and the next milestone, signatures per day
 * (counted, pending, suspect) over the last 30 days in Nairobi time, and the county table with bars.
 *
 * Figures only: no name or contact reaches this view (the admin stats API it reads has none). Bars are
 * native `<meter>` elements, each named, so they are read out with their number, and the page's strict CSP
 * (no inline style) holds.
 */
export class ImluConsoleNumbers extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    label {
      font-weight: 600;
      display: block;
      margin-bottom: 0.25rem;
    }
    select {
      font: inherit;
      width: 100%;
      padding: 0.5rem;
      border: 1px solid #555;
      border-radius: 4px;
      min-height: 2.75rem;
    }
    h2 {
      font-size: 1.15rem;
      margin: 1.5rem 0 0.5rem;
    }
    dl {
      display: grid;
      grid-template-columns: auto 1fr;
      gap: 0.25rem 1rem;
      margin: 0;
    }
    dt {
      font-weight: 600;
    }
    dd {
      margin: 0;
    }
    .table {
      overflow-x: auto;
    }
    table {
      border-collapse: collapse;
      width: 100%;
      font-variant-numeric: tabular-nums;
    }
    caption {
      text-align: left;
      font-weight: 600;
      padding-bottom: 0.25rem;
    }
    th,
    td {
      text-align: left;
      padding: 0.3rem 0.4rem;
      border-bottom: 1px solid #ddd;
      vertical-align: middle;
    }
    td.n {
      text-align: right;
    }
    tbody th {
      white-space: nowrap;
    }
    meter {
      width: 100%;
      min-width: 4rem;
      height: 1rem;
    }
    .hint {
      color: #4a4a4a;
      font-size: 0.9rem;
    }
    .error {
      color: #a4000f;
      font-weight: 600;
    }
    :focus-visible {
      outline: 3px solid #b35c00;
      outline-offset: 2px;
    }
  `;

  static override properties = {
    locale: {},
    _campaigns: { state: true },
    _slug: { state: true },
    _daily: { state: true },
    _counties: { state: true },
    _failed: { state: true },
  };

  declare locale: Locale;
  declare _campaigns: CampaignSummary[] | undefined;
  declare _slug: string;
  declare _daily: DailyStats | undefined;
  declare _counties: CountyTable | undefined;
  declare _failed: boolean;

  constructor() {
    super();
    this.locale = 'en';
    this._campaigns = undefined;
    this._slug = '';
    this._daily = undefined;
    this._counties = undefined;
    this._failed = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#loadCampaigns();
  }

  get #t(): NumbersStrings {
    return STRINGS[this.locale].numbers;
  }

  #number(value: number): string {
    return new Intl.NumberFormat(this.locale === 'sw' ? 'sw-KE' : 'en-KE').format(value);
  }

  #percent(share: number): string {
    return new Intl.NumberFormat(this.locale === 'sw' ? 'sw-KE' : 'en-KE', { style: 'percent', maximumFractionDigits: 1 }).format(share);
  }

  async #loadCampaigns(): Promise<void> {
    try {
      this._campaigns = await consoleApi.campaigns();
      const first = this._campaigns.find((c) => c.status === 'open') ?? this._campaigns[0];
      if (first) await this.#choose(first.slug);
    } catch {
      this._failed = true;
    }
  }

  async #choose(slug: string): Promise<void> {
    this._slug = slug;
    this._daily = undefined;
    this._counties = undefined;
    this._failed = false;
    try {
      const [daily, counties] = await Promise.all([consoleApi.daily(slug), consoleApi.counties(slug)]);
      if (this._slug !== slug) return; // another campaign was chosen meanwhile
      this._daily = daily;
      this._counties = counties;
    } catch {
      this._failed = true;
    }
  }

  protected override render() {
    const t = this.#t;
    if (this._failed) return html`<p class="error" role="alert">${STRINGS[this.locale].error}</p>`;
    if (!this._campaigns) return html`<p role="status">${STRINGS[this.locale].loading}</p>`;
    if (!this._campaigns.length) return html`<p>${t.noCampaigns}</p>`;
    return html`
      <label for="campaign">${t.campaign}</label>
      <select id="campaign" @change=${(event: Event) => void this.#choose((event.target as HTMLSelectElement).value)}>
        ${this._campaigns.map((c) => html`<option value=${c.slug} ?selected=${c.slug === this._slug}>${c.title[this.locale]}</option>`)}
      </select>
      ${this._daily && this._counties ? this.#figures(this._daily, this._counties) : html`<p role="status">${STRINGS[this.locale].loading}</p>`}
    `;
  }

  #figures(daily: DailyStats, counties: CountyTable) {
    const t = this.#t;
    const { progress, milestones, totals } = daily;
    const next = milestones.next;
    const busiest = Math.max(1, ...daily.days.map((d) => d.counted + d.pending + d.suspect));
    const topCounty = Math.max(1, ...counties.counties.map((c) => c.counted), counties.unknown.counted);
    const shown = counties.counties.filter((c) => c.counted > 0 || c.pending > 0);
    return html`
      <h2 id="progress-title">${t.progress}</h2>
      <dl aria-labelledby="progress-title">
        <dt>${t.counted}</dt>
        <dd data-figure="counted">${this.#number(totals.counted)}</dd>
        <dt>${t.pending}</dt>
        <dd data-figure="pending">${this.#number(totals.pending)}</dd>
        <dt>${t.suspect}</dt>
        <dd data-figure="suspect">${this.#number(totals.suspect)}</dd>
        ${progress.goal !== null
          ? html`<dt>${t.goal}</dt>
              <dd>
                ${t.ofGoal(this.#number(progress.counted), this.#number(progress.goal), this.#percent(progress.share ?? 0))}
                <meter min="0" max=${progress.goal} value=${Math.min(progress.counted, progress.goal)} aria-label=${t.goal}></meter>
              </dd>`
          : nothing}
        ${next
          ? html`<dt>${t.nextMilestone}</dt>
              <dd>${t.milestone(next.label[this.locale], this.#number(next.remaining))}</dd>`
          : nothing}
      </dl>

      <h2 id="daily-title">${t.perDay}</h2>
      <p class="hint">${t.perDayHint}</p>
      <div class="table" role="region" aria-labelledby="daily-title" tabindex="0">
        <table>
          <thead>
            <tr>
              <th scope="col">${t.day}</th>
              <th scope="col">${t.counted}</th>
              <th scope="col">${t.pending}</th>
              <th scope="col">${t.suspect}</th>
              <th scope="col"><span class="hint">${t.bar}</span></th>
            </tr>
          </thead>
          <tbody>
            ${[...daily.days].reverse().map(
              (d) => html`<tr data-day=${d.date}>
                <th scope="row">${this.#day(d.date)}</th>
                <td class="n">${this.#number(d.counted)}</td>
                <td class="n">${this.#number(d.pending)}</td>
                <td class="n">${this.#number(d.suspect)}</td>
                <td><meter min="0" max=${busiest} value=${d.counted + d.pending + d.suspect} aria-label=${t.dayBar(this.#day(d.date))}></meter></td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>

      <h2 id="counties-title">${t.counties}</h2>
      <div class="table" role="region" aria-labelledby="counties-title" tabindex="0">
        <table>
          <thead>
            <tr>
              <th scope="col">${t.county}</th>
              <th scope="col">${t.counted}</th>
              <th scope="col">${t.pending}</th>
              <th scope="col">${t.share}</th>
            </tr>
          </thead>
          <tbody>
            ${shown.map(
              (c) => html`<tr data-county=${c.code}>
                <th scope="row">${c.name[this.locale]}</th>
                <td class="n">${this.#number(c.counted)}</td>
                <td class="n">${this.#number(c.pending)}</td>
                <td>
                  ${this.#percent(c.share)}
                  <meter min="0" max=${topCounty} value=${c.counted} aria-label=${t.countyBar(c.name[this.locale])}></meter>
                </td>
              </tr>`,
            )}
            ${counties.unknown.counted || counties.unknown.pending
              ? html`<tr data-county="unknown">
                  <th scope="row">${t.noCounty}</th>
                  <td class="n">${this.#number(counties.unknown.counted)}</td>
                  <td class="n">${this.#number(counties.unknown.pending)}</td>
                  <td>${this.#percent(counties.unknown.share)}</td>
                </tr>`
              : nothing}
          </tbody>
        </table>
      </div>
      ${shown.length ? nothing : html`<p>${t.noCountiesYet}</p>`}
    `;
  }

  #day(date: string): string {
    // A Nairobi calendar day, shown as a date only (noon UTC is that day in Nairobi too).
    return new Intl.DateTimeFormat(this.locale === 'sw' ? 'sw-KE' : 'en-KE', { day: 'numeric', month: 'short', timeZone: 'Africa/Nairobi' }).format(
      new Date(`${date}T12:00:00Z`),
    );
  }
}
