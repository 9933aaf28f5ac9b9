import { css, html, LitElement, nothing } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { ApiError, consoleApi, type AuditEntry, type CampaignSummary, type Session } from './api.ts';
import { CampaignFigures } from './campaign-figures.ts';
import {
  downloadExport,
  EXPORT_FORMATS,
  exportHistory,
  MAX_VERIFY_BYTES,
  verifyPackFile,
  type DownloadProgress,
  type ExportChoice,
  type ExportFormat,
  type PackVerification,
} from './exports.api.ts';
import { EXPORTS_STRINGS, type ExportsStrings } from './exports.strings.ts';
import { STRINGS, type Locale } from './strings.ts';

type Outcome = { kind: 'saved'; fileName: string; rows: number } | { kind: 'cancelled' } | { kind: 'error'; message: string };

/**
 * @tagname imlu-console-exports
 * @summary The console's "Exports" view: download an export or a signed delivery pack with a progress bar
 * (read as a stream, cancellable), check a pack file, and see who exported what and when (the audit log's
 * `export.created` entries, paged on the server).
 *
 * The file is kept in this page's memory only until it is saved (a Blob URL, revoked when the view closes);
 * no personal data goes into a URL: the request carries filters alone.
 */
export class ImluConsoleExports extends LitElement {
  static override styles = [
    CampaignFigures.styles,
    css`
      fieldset {
        border: 1px solid #bbb;
        border-radius: 4px;
        margin: 0 0 0.75rem;
        padding: 0.5rem 0.75rem;
        min-width: 0;
      }
      legend {
        font-weight: 600;
        padding: 0 0.25rem;
      }
      .choice {
        display: flex;
        align-items: flex-start;
        gap: 0.5rem;
        margin: 0.35rem 0;
      }
      .choice input {
        width: 1.25rem;
        height: 1.25rem;
        flex: none;
        margin: 0.1rem 0 0;
      }
      .choice label {
        font-weight: normal;
        margin: 0;
      }
      .choice .hint {
        margin: 0;
      }
      progress {
        width: 100%;
        height: 1.25rem;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
      .valid {
        color: #0b4f33;
        font-weight: 600;
      }
      ul.checks {
        padding-left: 1.25rem;
      }
      .file {
        word-break: break-all;
      }
      a.secondary {
        display: inline-block;
        text-decoration: none;
      }
      section {
        margin-bottom: 1.5rem;
      }
    `,
  ];

  static override properties = {
    locale: {},
    session: { attribute: false },
    _campaigns: { state: true },
    _failed: { state: true },
    _format: { state: true },
    _pack: { state: true },
    _progress: { state: true },
    _running: { state: true },
    _outcome: { state: true },
    _verifying: { state: true },
    _verification: { state: true },
    _verifyError: { state: true },
    _history: { state: true },
    _next: { state: true },
    _historyError: { state: true },
  };

  declare locale: Locale;
  declare session: Session | undefined;
  declare _campaigns: CampaignSummary[] | undefined;
  declare _failed: boolean;
  declare _format: ExportFormat;
  declare _pack: boolean;
  declare _progress: DownloadProgress | undefined;
  declare _running: boolean;
  declare _outcome: Outcome | undefined;
  declare _verifying: boolean;
  declare _verification: PackVerification | undefined;
  declare _verifyError: string;
  declare _history: AuditEntry[] | undefined;
  declare _next: string | null;
  declare _historyError: string;
  #abort: AbortController | undefined;
  #blobUrl: string | undefined;

  constructor() {
    super();
    this.locale = 'en';
    this.session = undefined;
    this._campaigns = undefined;
    this._failed = false;
    this._format = 'csv';
    this._pack = false;
    this._progress = undefined;
    this._running = false;
    this._outcome = undefined;
    this._verifying = false;
    this._verification = undefined;
    this._verifyError = '';
    this._history = undefined;
    this._next = null;
    this._historyError = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    consoleApi.campaigns().then(
      (campaigns) => (this._campaigns = campaigns),
      () => (this._failed = true),
    );
    void this.#loadHistory(false);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#abort?.abort();
    this.#forgetFile();
  }

  get #t(): ExportsStrings {
    return EXPORTS_STRINGS[this.locale];
  }

  get #canReadAudit(): boolean {
    return this.session?.scopes.includes('audit:read') ?? false;
  }

  #forgetFile(): void {
    if (this.#blobUrl) URL.revokeObjectURL(this.#blobUrl);
    this.#blobUrl = undefined;
  }

  #number(value: number): string {
    return formats(this.locale).number.format(value);
  }

  #bytes(value: number): string {
    const mega = value >= 1024 * 1024;
    return (mega ? formats(this.locale).megabytes : formats(this.locale).kilobytes).format(value / (mega ? 1024 * 1024 : 1024));
  }

  #when(at: string): string {
    return formats(this.locale).when.format(new Date(at));
  }

  async #start(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this._running) return;
    const form = new FormData(event.target as HTMLFormElement);
    const text = (name: string) => {
      const v = form.get(name);
      return typeof v === 'string' && v.trim() ? v.trim() : undefined;
    };
    const choice: ExportChoice = {
      slug: text('campaign') ?? '',
      format: this._format,
      locale: text('locale') === 'sw' ? 'sw' : 'en',
      verifiedOnly: form.get('verifiedOnly') === 'on',
      includeContacts: form.get('includeContacts') === 'on' && this._format !== 'pdf',
      from: text('from'),
      to: text('to'),
      pack: this._pack,
    };
    this.#forgetFile();
    this.#abort = new AbortController();
    this._running = true;
    this._outcome = undefined;
    this._progress = undefined;
    try {
      const { blob, fileName, rows } = await downloadExport(choice, this.#abort.signal, (progress) => (this._progress = progress));
      this.#blobUrl = URL.createObjectURL(blob);
      this._outcome = { kind: 'saved', fileName, rows };
      this.#save(fileName);
      if (this.#canReadAudit) void this.#loadHistory(false);
    } catch (error) {
      this._outcome = this.#abort.signal.aborted ? { kind: 'cancelled' } : { kind: 'error', message: this.#problem(error) };
    } finally {
      this._running = false;
      this._progress = undefined;
      this.#abort = undefined;
    }
  }

  /** Saves the downloaded file under the name the API gave, as a link click would. */
  #save(fileName: string): void {
    if (!this.#blobUrl) return;
    const link = document.createElement('a');
    link.href = this.#blobUrl;
    link.download = fileName;
    link.click();
  }

  #problem(error: unknown): string {
    const t = this.#t;
    if (error instanceof ApiError) {
      if (error.status === 422) return t.badFilter;
      if (error.status === 503) return t.noSigningKey;
      if (error.status === 403) return t.forbidden;
    }
    return STRINGS[this.locale].error;
  }

  async #verify(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const t = this.#t;
    const file = new FormData(event.target as HTMLFormElement).get('pack');
    this._verification = undefined;
    this._verifyError = '';
    if (!(file instanceof File) || file.size === 0) return void (this._verifyError = t.chooseFile);
    if (file.size > MAX_VERIFY_BYTES) return void (this._verifyError = t.tooLarge);
    this._verifying = true;
    try {
      this._verification = await verifyPackFile(file, this.session?.csrfToken ?? '');
    } catch (error) {
      this._verifyError = error instanceof ApiError && error.status === 413 ? t.tooLarge : this.#problem(error);
    } finally {
      this._verifying = false;
    }
  }

  async #loadHistory(more: boolean): Promise<void> {
    if (!this.#canReadAudit) return;
    this._historyError = '';
    try {
      const page = await exportHistory(more ? this._next : null);
      this._history = more ? [...(this._history ?? []), ...page.entries] : page.entries;
      this._next = page.next;
    } catch {
      this._historyError = STRINGS[this.locale].error;
    }
  }

  protected override render() {
    return html`${this.#exportForm()} ${this.#verifyForm()} ${this.#historyList()}`;
  }

  #exportForm() {
    const t = this.#t;
    const strings = STRINGS[this.locale];
    let body;
    if (this._failed) body = html`<p class="error" role="alert">${strings.error}</p>`;
    else if (!this._campaigns) body = html`<p role="status">${strings.loading}</p>`;
    else if (!this._campaigns.length) body = html`<p>${t.noCampaigns}</p>`;
    else {
      const pdf = this._format === 'pdf';
      const first = this._campaigns.find((c) => c.status === 'open') ?? this._campaigns[0]!;
      body = html`<form @submit=${this.#start} aria-labelledby="export-title">
          <label for="export-campaign">${t.campaign}</label>
          <select id="export-campaign" name="campaign" ?disabled=${this._running}>
            ${this._campaigns.map((c) => html`<option value=${c.slug} ?selected=${c === first}>${c.title[this.locale]}</option>`)}
          </select>
          <fieldset ?disabled=${this._running}>
            <legend>${t.format}</legend>
            ${EXPORT_FORMATS.map(
              (format) =>
                html`<div class="choice">
                  <input
                    type="radio"
                    id=${`format-${format}`}
                    name="format"
                    value=${format}
                    .checked=${this._format === format}
                    @change=${() => (this._format = format)}
                  /><label for=${`format-${format}`}>${t.formats[format]}</label>
                </div>`,
            )}
          </fieldset>
          <label for="export-locale">${t.fileLanguage}</label>
          <select id="export-locale" name="locale" aria-describedby="export-locale-hint" ?disabled=${this._running}>
            ${(['en', 'sw'] as const).map((l) => html`<option value=${l} ?selected=${l === this.locale}>${t.languages[l]}</option>`)}
          </select>
          <p class="hint" id="export-locale-hint">${t.fileLanguageHint}</p>
          <fieldset ?disabled=${this._running}>
            <legend>${t.include}</legend>
            <p class="hint">${t.namesNote}</p>
            <div class="choice">
              <input type="checkbox" id="export-verified" name="verifiedOnly" aria-describedby="export-verified-hint" />
              <div>
                <label for="export-verified">${t.verifiedOnly}</label>
                <p class="hint" id="export-verified-hint">${t.verifiedOnlyHint}</p>
              </div>
            </div>
            <div class="choice">
              <input type="checkbox" id="export-contacts" name="includeContacts" ?disabled=${pdf} aria-describedby="export-contacts-hint" />
              <div>
                <label for="export-contacts">${t.contacts}</label>
                <p class="hint" id="export-contacts-hint">${pdf ? t.contactsNotInPdf : t.contactsHint}</p>
              </div>
            </div>
          </fieldset>
          <label for="export-from">${t.from}</label>
          <input id="export-from" name="from" type="date" ?disabled=${this._running} />
          <label for="export-to">${t.to}</label>
          <input id="export-to" name="to" type="date" ?disabled=${this._running} />
          <div class="choice">
            <input type="checkbox" id="export-pack" name="pack" .checked=${this._pack} ?disabled=${this._running} aria-describedby="export-pack-hint" @change=${(e: Event) =>
              (this._pack = (e.target as HTMLInputElement).checked)} />
            <div>
              <label for="export-pack">${t.pack}</label>
              <p class="hint" id="export-pack-hint">${t.packHint}</p>
            </div>
          </div>
          <div class="actions">
            <button class="primary" type="submit" ?disabled=${this._running}>${this._pack ? t.startPack : t.start}</button>
            ${this._running ? html`<button class="secondary" type="button" @click=${() => this.#abort?.abort()}>${t.cancel}</button>` : nothing}
          </div>
        </form>
        ${this.#progressView()}`;
    }
    return html`<section>
      <h2 id="export-title">${t.exportTitle}</h2>
      <p class="hint">${t.intro}</p>
      ${body}
    </section>`;
  }

  #progressView() {
    const t = this.#t;
    const p = this._progress;
    let status = '';
    let value: number | undefined;
    let max: number | undefined;
    if (this._running) {
      if (!p) status = t.preparing;
      else if (p.rows !== null && p.totalRows !== null) {
        status = t.rowsOf(this.#number(p.rows), this.#number(p.totalRows));
        [value, max] = [Math.min(p.rows, p.totalRows), Math.max(p.totalRows, 1)];
      } else if (p.totalBytes !== null) {
        status = t.bytesOf(this.#bytes(p.bytes), this.#bytes(p.totalBytes), this.#number(p.totalRows ?? 0));
        [value, max] = [p.bytes, p.totalBytes];
      } else status = t.bytesReceived(this.#bytes(p.bytes), this.#number(p.totalRows ?? 0));
    }
    const outcome = this._outcome;
    return html`
      ${this._running
        ? html`<label for="export-progress">${t.progressLabel}</label>
            <progress id="export-progress" max=${ifDefined(max)} value=${ifDefined(value)}></progress>`
        : nothing}
      <p role="status" class="file" data-state=${this._running ? 'running' : (outcome?.kind ?? 'idle')}>
        ${this._running ? status : outcome?.kind === 'saved' ? t.saved(outcome.fileName, this.#number(outcome.rows)) : outcome?.kind === 'cancelled' ? t.cancelled : ''}
      </p>
      ${outcome?.kind === 'saved' && this.#blobUrl
        ? html`<p><a class="secondary" href=${this.#blobUrl} download=${outcome.fileName}>${t.saveAgain}</a></p>`
        : nothing}
      <p class="error" role="alert">${outcome?.kind === 'error' ? outcome.message : ''}</p>
    `;
  }

  #verifyForm() {
    const t = this.#t;
    const v = this._verification;
    return html`<section>
      <h2 id="verify-title">${t.verifyTitle}</h2>
      <p class="hint">${t.verifyIntro}</p>
      <form @submit=${this.#verify} aria-labelledby="verify-title">
        <label for="verify-file">${t.packFile}</label>
        <input id="verify-file" name="pack" type="file" accept=".zip,application/zip" />
        <p><button class="primary" type="submit" ?disabled=${this._verifying}>${t.verify}</button></p>
      </form>
      <p role="status">${this._verifying ? t.verifying : ''}</p>
      <div role="alert">
        ${this._verifyError ? html`<p class="error">${this._verifyError}</p>` : nothing}
        ${v ? this.#verification(v) : nothing}
      </div>
    </section>`;
  }

  #verification(v: PackVerification) {
    const t = this.#t;
    const heading = v.valid ? t.valid : v.readable ? t.invalid : t.unreadable;
    return html`<div data-valid=${String(v.valid)}>
      <p class=${v.valid ? 'valid' : 'error'}>${v.valid ? '✓' : '✗'} ${heading}</p>
      ${v.readable
        ? html`<ul class="checks">
            <li>${t.checkFiles(v.files.ok, this.#number(v.files.checked))}</li>
            <li>${t.checkSums(v.sums.ok)}</li>
            <li>${t.signature[v.signature.status]}${v.signature.retiredBefore ? ` ${t.retiredBefore}` : ''}</li>
            <li>${v.audit ? t.madeBy(v.audit.actorName, this.#when(v.audit.at), this.#number(v.audit.rowCount)) : t.noRecord}</li>
            ${v.manifest
              ? html`<li>
                  ${t.claims(v.manifest.campaign, v.manifest.format, this.#number(v.manifest.totalRows), Number.isNaN(Date.parse(v.manifest.generatedAt)) ? '—' : this.#when(v.manifest.generatedAt))}
                </li>`
              : nothing}
          </ul>`
        : nothing}
      ${v.problems.length
        ? html`<details>
            <summary>${t.technical}</summary>
            <ul class="checks">
              ${v.problems.map((problem) => html`<li lang="en">${problem}</li>`)}
            </ul>
          </details>`
        : nothing}
    </div>`;
  }

  #historyList() {
    const t = this.#t;
    let body;
    if (!this.#canReadAudit) body = html`<p>${t.noAuditScope}</p>`;
    else if (this._historyError) body = html`<p class="error" role="alert">${this._historyError}</p>`;
    else if (!this._history) body = html`<p role="status">${STRINGS[this.locale].loading}</p>`;
    else if (!this._history.length) body = html`<p>${t.noExports}</p>`;
    else
      body = html`<div class="table" role="region" aria-labelledby="history-title" tabindex="0">
          <table>
            <thead>
              <tr>
                <th scope="col">${t.when}</th>
                <th scope="col">${t.who}</th>
                <th scope="col">${t.what}</th>
                <th scope="col">${t.rows}</th>
              </tr>
            </thead>
            <tbody>
              ${this._history.map((e) => this.#historyRow(e))}
            </tbody>
          </table>
        </div>
        ${this._next ? html`<p><button class="secondary" type="button" @click=${() => void this.#loadHistory(true)}>${t.more}</button></p>` : nothing}`;
    return html`<section>
      <h2 id="history-title">${t.historyTitle}</h2>
      <p class="hint">${t.historyIntro}</p>
      ${body}
    </section>`;
  }

  #historyRow(e: AuditEntry) {
    const t = this.#t;
    const d = e.details;
    const format = typeof d['format'] === 'string' ? d['format'].toUpperCase() : '—';
    const destination = typeof d['destination'] === 'string' ? (t.destinations[d['destination']] ?? d['destination']) : '';
    const contacts = d['includeContacts'] === true ? `, ${t.withContacts}` : '';
    return html`<tr data-destination=${String(d['destination'] ?? '')}>
      <th scope="row">${this.#when(e.at)}</th>
      <td>${e.actorName}</td>
      <td>${e.campaignSlug ?? '—'}: ${format}${destination ? ` (${destination}${contacts})` : contacts}</td>
      <td class="n">${e.rowCount === null ? '—' : this.#number(e.rowCount)}</td>
    </tr>`;
  }
}

type Formats = { number: Intl.NumberFormat; kilobytes: Intl.NumberFormat; megabytes: Intl.NumberFormat; when: Intl.DateTimeFormat };
const FORMATS = new Map<Locale, Formats>();

/** Made once per language: the progress line is formatted at every chunk of a download. */
function formats(locale: Locale): Formats {
  let found = FORMATS.get(locale);
  if (!found) {
    const tag = locale === 'sw' ? 'sw-KE' : 'en-KE';
    found = {
      number: new Intl.NumberFormat(tag),
      kilobytes: new Intl.NumberFormat(tag, { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 0 }),
      megabytes: new Intl.NumberFormat(tag, { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 }),
      when: new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Africa/Nairobi' }),
    };
    FORMATS.set(locale, found);
  }
  return found;
}
