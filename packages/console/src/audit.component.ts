import { html, LitElement } from 'lit';
import { ApiError, consoleApi, type AuditEntry, type AuditQuery, type CampaignSummary } from './api.ts';
import { CampaignFigures } from './campaign-figures.ts';
import { STRINGS, type AuditStrings, type Locale } from './strings.ts';

/**
 * @tagname imlu-console-audit
 * @summary The console's "Audit log" view: search by campaign, action and days; 50 entries a page, paged on
 * the server (`GET /admin/audit` and its cursor), newest first.
 *
 * The log holds no personal data by contract; each entry's details (filters, counts) open on request.
 */
export class ImluConsoleAudit extends LitElement {
  static override styles = CampaignFigures.styles;

  static override properties = {
    locale: {},
    _campaigns: { state: true },
    _entries: { state: true },
    _next: { state: true },
    _error: { state: true },
    _busy: { state: true },
  };

  declare locale: Locale;
  declare _campaigns: CampaignSummary[];
  declare _entries: AuditEntry[] | undefined;
  declare _next: string | null;
  declare _error: string;
  declare _busy: boolean;
  #query: AuditQuery = {};

  constructor() {
    super();
    this.locale = 'en';
    this._campaigns = [];
    this._entries = undefined;
    this._next = null;
    this._error = '';
    this._busy = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // The campaign filter is a convenience: a staff member without campaigns:read still searches by the rest.
    consoleApi.campaigns().then(
      (campaigns) => (this._campaigns = campaigns),
      () => undefined,
    );
    void this.#load(false);
  }

  get #t(): AuditStrings {
    return STRINGS[this.locale].audit;
  }

  async #load(more: boolean): Promise<void> {
    this._busy = true;
    this._error = '';
    try {
      const page = await consoleApi.audit({ ...this.#query, before: more ? (this._next ?? undefined) : undefined });
      this._entries = more ? [...(this._entries ?? []), ...page.entries] : page.entries;
      this._next = page.next;
    } catch (error) {
      this._error = error instanceof ApiError && error.status === 422 ? this.#t.badFilter : STRINGS[this.locale].error;
    } finally {
      this._busy = false;
    }
  }

  #search(event: SubmitEvent): void {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const value = (name: string) => {
      const v = form.get(name);
      return typeof v === 'string' && v.trim() ? v.trim() : undefined;
    };
    this.#query = { campaign: value('campaign'), action: value('action'), from: value('from'), to: value('to') };
    void this.#load(false);
  }

  #when(at: string): string {
    return new Intl.DateTimeFormat(this.locale === 'sw' ? 'sw-KE' : 'en-KE', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Africa/Nairobi' }).format(new Date(at));
  }

  protected override render() {
    const t = this.#t;
    return html`
      <p class="hint">${t.intro}</p>
      <form @submit=${this.#search} aria-labelledby="audit-search">
        <h2 id="audit-search">${t.filters}</h2>
        <label for="audit-campaign">${STRINGS[this.locale].numbers.campaign}</label>
        <select id="audit-campaign" name="campaign">
          <option value="">${t.allCampaigns}</option>
          ${this._campaigns.map((c) => html`<option value=${c.slug}>${c.title[this.locale]}</option>`)}
        </select>
        <label for="audit-action">${t.action}</label>
        <input id="audit-action" name="action" maxlength="100" aria-describedby="audit-action-hint" />
        <p class="hint" id="audit-action-hint">${t.actionHint}</p>
        <label for="audit-from">${t.from}</label>
        <input id="audit-from" name="from" type="date" />
        <label for="audit-to">${t.to}</label>
        <input id="audit-to" name="to" type="date" />
        <p><button class="primary" type="submit" ?disabled=${this._busy}>${t.search}</button></p>
      </form>
      <p class="error" role="alert">${this._error}</p>
      ${this._entries === undefined ? html`<p role="status">${STRINGS[this.locale].loading}</p>` : this.#list(this._entries)}
    `;
  }

  #list(entries: AuditEntry[]) {
    const t = this.#t;
    if (!entries.length) return html`<p role="status">${t.none}</p>`;
    return html`
      <div class="table" role="region" aria-label=${STRINGS[this.locale].views.audit} tabindex="0">
        <table>
          <thead>
            <tr>
              <th scope="col">${t.when}</th>
              <th scope="col">${t.who}</th>
              <th scope="col">${t.what}</th>
              <th scope="col">${STRINGS[this.locale].numbers.campaign}</th>
              <th scope="col">${t.rows}</th>
              <th scope="col">${t.details}</th>
            </tr>
          </thead>
          <tbody>
            ${entries.map(
              (e) => html`<tr data-action=${e.action}>
                <th scope="row">${this.#when(e.at)}</th>
                <td>${e.actorName}</td>
                <td><code>${e.action}</code></td>
                <td>${e.campaignSlug ?? '—'}</td>
                <td class="n">${e.rowCount ?? '—'}</td>
                <td>
                  ${Object.keys(e.details).length
                    ? html`<details>
                        <summary>${t.details}</summary>
                        <pre>${JSON.stringify(e.details, null, 2)}</pre>
                      </details>`
                    : '—'}
                </td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${this._next ? html`<p><button class="secondary" type="button" ?disabled=${this._busy} @click=${() => void this.#load(true)}>${t.more}</button></p>` : ''}
    `;
  }
}
