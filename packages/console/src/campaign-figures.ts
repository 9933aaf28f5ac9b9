import { css, html, LitElement, type TemplateResult } from 'lit';
import { consoleApi, type CampaignSummary } from './api.ts';
import { controls } from './styles.ts';
import { STRINGS, type Locale } from './strings.ts';

/**
 * What the console's figure views share: a campaign picker (the first open campaign to start with), the
 * figures of the chosen campaign loaded by `load`, and the styles of their tables and bars (which the
 * audit view uses too). A view renders its figures in `figures`.
 */
export abstract class CampaignFigures<T> extends LitElement {
  static override styles = [
    controls,
    css`
    :host {
      display: block;
    }
    label {
      font-weight: 600;
      display: block;
      margin-bottom: 0.25rem;
    }
    input {
      font: inherit;
      width: 100%;
      padding: 0.5rem;
      border: 1px solid #555;
      border-radius: 4px;
      margin-bottom: 0.5rem;
    }
    pre {
      margin: 0.25rem 0 0;
      font-size: 0.85rem;
      white-space: pre-wrap;
      word-break: break-word;
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
    h3 {
      font-size: 1rem;
      margin: 1rem 0 0.25rem;
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
    td.counties {
      min-width: 12rem;
    }
    tbody th {
      white-space: nowrap;
    }
    meter {
      width: 100%;
      min-width: 4rem;
      height: 1rem;
    }
  `,
  ];

  static override properties = {
    locale: {},
    _campaigns: { state: true },
    _slug: { state: true },
    _figures: { state: true },
    _failed: { state: true },
  };

  declare locale: Locale;
  declare _campaigns: CampaignSummary[] | undefined;
  declare _slug: string;
  declare _figures: T | undefined;
  declare _failed: boolean;

  constructor() {
    super();
    this.locale = 'en';
    this._campaigns = undefined;
    this._slug = '';
    this._figures = undefined;
    this._failed = false;
  }

  /** The figures of one campaign, from the admin API. */
  protected abstract load(slug: string): Promise<T>;

  /** The view's figures, under the picker. */
  protected abstract figures(figures: T): TemplateResult;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#loadCampaigns();
  }

  protected number(value: number): string {
    return formats(this.locale).number.format(value);
  }

  protected percent(share: number): string {
    return formats(this.locale).percent.format(share);
  }

  /** A Nairobi calendar day (YYYY-MM-DD), as a date only. */
  protected day(date: string): string {
    // Noon UTC is that day in Nairobi too.
    return formats(this.locale).day.format(new Date(`${date}T12:00:00Z`));
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
    this._figures = undefined;
    this._failed = false;
    try {
      const figures = await this.load(slug);
      if (this._slug === slug) this._figures = figures; // else another campaign was chosen meanwhile
    } catch {
      this._failed = true;
    }
  }

  protected override render() {
    const strings = STRINGS[this.locale];
    if (this._failed) return html`<p class="error" role="alert">${strings.error}</p>`;
    if (!this._campaigns) return html`<p role="status">${strings.loading}</p>`;
    if (!this._campaigns.length) return html`<p>${strings.numbers.noCampaigns}</p>`;
    return html`
      <label for="campaign">${strings.numbers.campaign}</label>
      <select id="campaign" @change=${(event: Event) => void this.#choose((event.target as HTMLSelectElement).value)}>
        ${this._campaigns.map((c) => html`<option value=${c.slug} ?selected=${c.slug === this._slug}>${c.title[this.locale]}</option>`)}
      </select>
      ${this._figures === undefined ? html`<p role="status">${strings.loading}</p>` : this.figures(this._figures)}
    `;
  }
}

type Formats = { number: Intl.NumberFormat; percent: Intl.NumberFormat; day: Intl.DateTimeFormat };
const FORMATS = new Map<Locale, Formats>();

/** Formatters per language, made once: a table formats hundreds of figures at each render. */
function formats(locale: Locale): Formats {
  let found = FORMATS.get(locale);
  if (!found) {
    const tag = locale === 'sw' ? 'sw-KE' : 'en-KE';
    found = {
      number: new Intl.NumberFormat(tag),
      percent: new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 1 }),
      day: new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'short', timeZone: 'Africa/Nairobi' }),
    };
    FORMATS.set(locale, found);
  }
  return found;
}
