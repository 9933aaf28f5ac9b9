import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { ApiError, type Session } from './api.ts';
import { CampaignFigures } from './campaign-figures.ts';
import {
  moderationApi,
  type CampaignWithId,
  type Drift,
  type HeldPage,
  type InvalidationReport,
  type InvalidationSelector,
  type LastReconciliation,
  type Trend,
  type Triple,
} from './moderation.api.ts';
import { MODERATION_STRINGS, type ModerationStrings } from './moderation.strings.ts';
import { STRINGS, type Locale } from './strings.ts';

/** Held signatures a page: few enough to decide one by one on a phone. */
export const HELD_PAGE_SIZE = 10;

type SelectorKind = 'sourceHashPrefix' | 'domainHashPrefix' | 'emailDomain' | 'window';
type Section = 'trending' | 'invalidate' | 'held' | 'strike' | 'reconcile';
type Dialog =
  | { kind: 'apply' }
  | { kind: 'decide'; id: string; decision: 'count' | 'invalidate' }
  | { kind: 'strike'; id: string; reason: string; undo: boolean }
  | { kind: 'fix' };

/** Kenya keeps East Africa Time all year: a Nairobi wall-clock time is this offset from UTC. */
const NAIROBI_OFFSET = '+03:00';

/**
 * @tagname imlu-console-moderation
 * @summary The console's "Moderation" view (scope `moderation`): trending sources and e-mail domains of a
 * campaign; invalidation by a source, a domain or a time window, always previewed (a dry run) and confirmed
 * before it is applied, with the counts read again afterwards; signatures held for review, paged on the
 * server, counted or invalidated with a reason; striking a signature out of exports; and whether the
 * counts agree with the signatures (now, and at the last scheduled check).
 *
 * Nothing here shows a name or a contact: the admin API answers with keyed-hash prefixes, ids, counties,
 * times and counts only.
 */
export class ImluConsoleModeration extends LitElement {
  static override styles = [
    CampaignFigures.styles,
    css`
      section {
        margin-top: 1.5rem;
      }
      form {
        margin: 0;
      }
      fieldset {
        border: 1px solid #bbb;
        border-radius: 4px;
        margin: 0 0 0.5rem;
        padding: 0.5rem;
      }
      legend {
        font-weight: 600;
      }
      .choice {
        display: flex;
        gap: 0.5rem;
        align-items: center;
        font-weight: normal;
        margin: 0.25rem 0;
      }
      .choice input {
        width: auto;
        margin: 0;
      }
      code {
        word-break: break-all;
      }
      ol.held {
        list-style: none;
        padding: 0;
        margin: 0;
      }
      ol.held > li {
        border: 1px solid #ddd;
        border-radius: 4px;
        padding: 0.5rem;
        margin-bottom: 0.5rem;
      }
      /* Label above value: Kiswahili labels are long, and a phone has no room for two columns. */
      ol.held dl {
        grid-template-columns: 1fr;
        gap: 0;
      }
      ol.held dd {
        margin-bottom: 0.35rem;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        margin-top: 0.5rem;
      }
      dialog {
        max-width: min(30rem, calc(100vw - 2rem));
        border: 1px solid #555;
        border-radius: 6px;
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 40%);
      }
      .status {
        font-weight: 600;
      }
    `,
  ];

  static override properties = {
    locale: {},
    session: { attribute: false },
    _campaigns: { state: true },
    _slug: { state: true },
    _loadFailed: { state: true },
    _trending: { state: true },
    _held: { state: true },
    _heldCursors: { state: true },
    _selector: { state: true },
    _preview: { state: true },
    _result: { state: true },
    _drifts: { state: true },
    _lastRun: { state: true },
    _dialog: { state: true },
    _busy: { state: true },
    _errors: { state: true },
    _statuses: { state: true },
  };

  declare locale: Locale;
  declare session: Session | undefined;
  declare _campaigns: CampaignWithId[] | undefined;
  declare _slug: string;
  declare _loadFailed: boolean;
  declare _trending: Trend[] | undefined;
  declare _held: HeldPage | undefined;
  /** The `after` cursor of each page shown so far: the last is the current page's, popping goes back. */
  declare _heldCursors: (string | undefined)[];
  declare _selector: SelectorKind;
  declare _preview: { selector: InvalidationSelector; report: InvalidationReport } | undefined;
  declare _result: { previewed: number; report: InvalidationReport; counts: Triple | undefined } | undefined;
  declare _drifts: Drift[] | undefined;
  declare _lastRun: LastReconciliation['lastRun'] | undefined;
  declare _dialog: Dialog | undefined;
  declare _busy: boolean;
  declare _errors: Partial<Record<Section | 'dialog', string>>;
  declare _statuses: Partial<Record<Section, string>>;
  #trendQuery = { windowMinutes: 10, minCount: 50, minShare: 0.3 };

  constructor() {
    super();
    this.locale = 'en';
    this._campaigns = undefined;
    this._slug = '';
    this._loadFailed = false;
    this._trending = undefined;
    this._held = undefined;
    this._heldCursors = [undefined];
    this._selector = 'sourceHashPrefix';
    this._preview = undefined;
    this._result = undefined;
    this._drifts = undefined;
    this._lastRun = undefined;
    this._dialog = undefined;
    this._busy = false;
    this._errors = {};
    this._statuses = {};
  }

  get #t(): ModerationStrings {
    return MODERATION_STRINGS[this.locale];
  }

  get #csrf(): string {
    return this.session?.csrfToken ?? '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#start();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!changed.has('_dialog' as keyof ImluConsoleModeration)) return;
    const dialog = this.renderRoot.querySelector('dialog');
    if (this._dialog && dialog && !dialog.open) dialog.showModal();
    if (!this._dialog && dialog?.open) dialog.close();
  }

  async #start(): Promise<void> {
    moderationApi.lastReconciliation().then(
      (last) => (this._lastRun = last.lastRun),
      (error: unknown) => this.#fail('reconcile', error),
    );
    try {
      this._campaigns = await moderationApi.campaigns();
      const first = this._campaigns.find((c) => c.status === 'open') ?? this._campaigns[0];
      if (first) await this.#choose(first.slug);
    } catch {
      this._loadFailed = true;
    }
  }

  async #choose(slug: string): Promise<void> {
    this._slug = slug;
    this._trending = undefined;
    this._held = undefined;
    this._heldCursors = [undefined];
    this._preview = undefined;
    this._result = undefined;
    this._errors = {};
    this._statuses = {};
    await Promise.all([this.#loadTrending(), this.#loadHeld()]);
  }

  /** The problem in the staff member's words; `unprocessable` says what a 422 means where it happened. */
  #problem(error: unknown, unprocessable?: string): string {
    if (error instanceof ApiError) {
      if (error.status === 403) return this.#t.forbidden;
      if (error.status === 404) return this.#t.notFound;
      if (error.status === 422 && unprocessable) return unprocessable;
    }
    return STRINGS[this.locale].error;
  }

  #fail(section: Section | 'dialog', error: unknown, unprocessable?: string): void {
    this._errors = { ...this._errors, [section]: this.#problem(error, unprocessable) };
  }

  #say(section: Section, text: string): void {
    this._statuses = { ...this._statuses, [section]: text };
  }

  #clear(section: Section | 'dialog'): void {
    this._errors = { ...this._errors, [section]: '' };
    if (section !== 'dialog') this._statuses = { ...this._statuses, [section]: '' };
  }

  async #loadTrending(): Promise<void> {
    const slug = this._slug;
    this.#clear('trending');
    try {
      const trending = await moderationApi.trending(slug, this.#trendQuery);
      if (this._slug === slug) this._trending = trending;
    } catch (error) {
      this.#fail('trending', error);
    }
  }

  async #loadHeld(): Promise<void> {
    const slug = this._slug;
    this._errors = { ...this._errors, held: '' };
    try {
      const page = await moderationApi.held(slug, HELD_PAGE_SIZE, this._heldCursors[this._heldCursors.length - 1]);
      if (this._slug !== slug) return;
      // The queue shrank under this page (decisions here or elsewhere): show the page before it instead.
      if (!page.held.length && this._heldCursors.length > 1) {
        this._heldCursors = this._heldCursors.slice(0, -1);
        return this.#loadHeld();
      }
      this._held = page;
    } catch (error) {
      this.#fail('held', error);
    }
  }

  #heldPage(step: 1 | -1): void {
    if (step === 1 && this._held?.next) this._heldCursors = [...this._heldCursors, this._held.next];
    if (step === -1 && this._heldCursors.length > 1) this._heldCursors = this._heldCursors.slice(0, -1);
    void this.#loadHeld();
  }

  #refreshTrending(event: SubmitEvent): void {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const number = (name: string, fallback: number) => {
      const value = Number(form.get(name));
      return Number.isFinite(value) && value > 0 ? value : fallback;
    };
    this.#trendQuery = {
      windowMinutes: Math.min(1440, Math.round(number('windowMinutes', 10))),
      minCount: Math.round(number('minCount', 50)),
      minShare: Math.min(100, number('minShare', 30)) / 100,
    };
    void this.#loadTrending();
  }

  /** A trending row fills the invalidation form and asks for its preview at once. */
  #previewTrend(trend: Trend): void {
    this._selector = trend.kind === 'source' ? 'sourceHashPrefix' : 'domainHashPrefix';
    void this.updateComplete.then(() => {
      const input = this.renderRoot.querySelector<HTMLInputElement>('#selector-value');
      if (input) input.value = trend.hashPrefix;
      const selector: InvalidationSelector = trend.kind === 'source' ? { sourceHashPrefix: trend.hashPrefix } : { domainHashPrefix: trend.hashPrefix };
      this.renderRoot.querySelector('#invalidate-title')?.scrollIntoView();
      return this.#runPreview(selector);
    });
  }

  #selectorFromForm(form: HTMLFormElement): InvalidationSelector | undefined {
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? '').trim();
    if (this._selector === 'window') {
      const at = (value: string) => (value ? `${value}${NAIROBI_OFFSET}` : undefined);
      const from = at(text('from'));
      const to = at(text('to'));
      if (!from && !to) return undefined;
      return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
    }
    const value = text('value');
    if (!value) return undefined;
    if (this._selector === 'emailDomain') return { emailDomain: value.toLowerCase() };
    return { [this._selector]: value.toLowerCase() } as InvalidationSelector;
  }

  #preview(event: SubmitEvent): void {
    event.preventDefault();
    const selector = this.#selectorFromForm(event.target as HTMLFormElement);
    if (!selector) {
      this._preview = undefined;
      this._errors = { ...this._errors, invalidate: this.#t.badSelector };
      return;
    }
    void this.#runPreview(selector);
  }

  async #runPreview(selector: InvalidationSelector): Promise<void> {
    const slug = this._slug;
    this.#clear('invalidate');
    this._preview = undefined;
    this._result = undefined;
    this._busy = true;
    try {
      const report = await moderationApi.invalidate(slug, selector, true, this.#csrf);
      if (this._slug === slug) this._preview = { selector, report };
    } catch (error) {
      this.#fail('invalidate', error, this.#t.badSelector);
    } finally {
      this._busy = false;
    }
  }

  /** The confirmed invalidation: exactly the previewed selector, then every figure read again. */
  async #apply(): Promise<void> {
    const preview = this._preview;
    if (!preview) return;
    const slug = this._slug;
    this._busy = true;
    this.#clear('dialog');
    try {
      const report = await moderationApi.invalidate(slug, preview.selector, false, this.#csrf);
      this._dialog = undefined;
      this._preview = undefined;
      const counts = (await moderationApi.campaigns()).find((c) => c.slug === slug);
      this._result = { previewed: preview.report.affected, report, counts };
      this.#say('invalidate', this.#t.resultDone(this.#n(report.affected)));
      await Promise.all([this.#loadTrending(), this.#loadHeld()]);
      // The button that opened the dialog is gone with the preview: focus goes to what happened instead.
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#result-title')?.focus();
    } catch (error) {
      this.#fail('dialog', error, this.#t.badSelector);
    } finally {
      this._busy = false;
    }
  }

  async #decide(event: SubmitEvent, dialog: Extract<Dialog, { kind: 'decide' }>): Promise<void> {
    event.preventDefault();
    const reason = String(new FormData(event.target as HTMLFormElement).get('reason') ?? '').trim();
    if (!reason) {
      this._errors = { ...this._errors, dialog: this.#t.reasonMissing };
      return;
    }
    this._busy = true;
    this.#clear('dialog');
    try {
      await moderationApi.decide(dialog.id, dialog.decision, reason, this.#csrf);
      this._dialog = undefined;
      this.#say('held', this.#t.decided[dialog.decision]);
    } catch (error) {
      this._dialog = undefined;
      if (error instanceof ApiError && error.status === 404) this.#say('held', this.#t.heldGone);
      else this.#fail('held', error);
    } finally {
      this._busy = false;
    }
    await this.#loadHeld();
    // The decided row (and the button that opened the dialog) left the list: focus goes back to its heading.
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#held-title')?.focus();
  }

  #askStrike(event: SubmitEvent): void {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const id = String(data.get('id') ?? '').trim();
    const reason = String(data.get('reason') ?? '').trim();
    this.#clear('strike');
    if (!id || !reason) {
      this._errors = { ...this._errors, strike: !id ? this.#t.idMissing : this.#t.reasonMissing };
      return;
    }
    this._dialog = { kind: 'strike', id, reason, undo: data.get('undo') === 'on' };
  }

  async #strike(dialog: Extract<Dialog, { kind: 'strike' }>): Promise<void> {
    this._busy = true;
    this._dialog = undefined;
    try {
      const result = await moderationApi.strike(dialog.id, dialog.reason, dialog.undo, this.#csrf);
      this.#say('strike', !result.changed ? this.#t.unchanged(dialog.id) : result.struck ? this.#t.struck(dialog.id) : this.#t.unstruck(dialog.id));
    } catch (error) {
      this._errors = { ...this._errors, strike: error instanceof ApiError && error.status === 404 ? this.#t.noSuchSignature : this.#problem(error, this.#t.idMissing) };
    } finally {
      this._busy = false;
    }
  }

  async #reconcile(fix: boolean): Promise<void> {
    this._busy = true;
    this.#clear('reconcile');
    try {
      const drifts = await moderationApi.reconcile(fix, this.#csrf);
      this._dialog = undefined;
      // After a fix, what is left is read again: the answer listed what was fixed.
      this._drifts = fix ? await moderationApi.reconcile(false, this.#csrf) : drifts;
      this.#say('reconcile', fix ? this.#t.fixed(this.#n(drifts.length)) : drifts.length ? this.#t.drifts(this.#n(drifts.length)) : this.#t.noDrift);
      if (fix) this._campaigns = await moderationApi.campaigns();
    } catch (error) {
      this._dialog = undefined;
      this.#fail('reconcile', error);
    } finally {
      this._busy = false;
    }
  }

  #n(value: number): string {
    return new Intl.NumberFormat(this.locale === 'sw' ? 'sw-KE' : 'en-KE').format(value);
  }

  #percent(share: number): string {
    return new Intl.NumberFormat(this.locale === 'sw' ? 'sw-KE' : 'en-KE', { style: 'percent', maximumFractionDigits: 1 }).format(share);
  }

  #when(at: string): string {
    return new Intl.DateTimeFormat(this.locale === 'sw' ? 'sw-KE' : 'en-KE', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Africa/Nairobi' }).format(new Date(at));
  }

  #triple(t: Triple): string {
    return `${this.#n(t.counted)} / ${this.#n(t.pending)} / ${this.#n(t.suspect)}`;
  }

  protected override render() {
    const t = this.#t;
    const strings = STRINGS[this.locale];
    if (this._loadFailed) return html`<p class="error" role="alert">${strings.error}</p>`;
    if (!this._campaigns) return html`<p role="status">${strings.loading}</p>`;
    return html`
      <p class="hint">${t.intro}</p>
      ${this._campaigns.length
        ? html`
            <label for="campaign">${strings.numbers.campaign}</label>
            <select id="campaign" @change=${(event: Event) => void this.#choose((event.target as HTMLSelectElement).value)}>
              ${this._campaigns.map((c) => html`<option value=${c.slug} ?selected=${c.slug === this._slug}>${c.title[this.locale]}</option>`)}
            </select>
            ${this.#trendingSection()} ${this.#invalidateSection()} ${this.#heldSection()}
          `
        : html`<p>${strings.numbers.noCampaigns}</p>`}
      ${this.#strikeSection()} ${this.#reconcileSection()} ${this.#dialog()}
    `;
  }

  #messages(section: Section) {
    return html`<p class="status" role="status">${this._statuses[section] ?? ''}</p>
      <p class="error" role="alert">${this._errors[section] ?? ''}</p>`;
  }

  #trendingSection() {
    const t = this.#t;
    const q = this.#trendQuery;
    return html`<section>
      <h2 id="trending-title">${t.trendingTitle}</h2>
      <p class="hint">${t.trendingHint}</p>
      <form @submit=${this.#refreshTrending}>
        <label for="trend-window">${t.windowMinutes}</label>
        <input id="trend-window" name="windowMinutes" type="number" inputmode="numeric" min="1" max="1440" .value=${String(q.windowMinutes)} />
        <label for="trend-count">${t.minCount}</label>
        <input id="trend-count" name="minCount" type="number" inputmode="numeric" min="1" .value=${String(q.minCount)} />
        <label for="trend-share">${t.minShare}</label>
        <input id="trend-share" name="minShare" type="number" inputmode="numeric" min="0" max="100" .value=${String(Math.round(q.minShare * 100))} />
        <p><button class="secondary" type="submit">${t.refresh}</button></p>
      </form>
      ${this.#messages('trending')}
      ${this._trending === undefined
        ? this._errors.trending
          ? nothing
          : html`<p role="status">${STRINGS[this.locale].loading}</p>`
        : !this._trending.length
          ? html`<p data-trending="none">${t.noTrending}</p>`
          : html`<div class="table" role="region" aria-labelledby="trending-title" tabindex="0">
              <table>
                <thead>
                  <tr>
                    <th scope="col">${t.hash}</th>
                    <th scope="col">${t.kind}</th>
                    <th scope="col">${t.signatures}</th>
                    <th scope="col">${t.share}</th>
                    <th scope="col">${t.action}</th>
                  </tr>
                </thead>
                <tbody>
                  ${this._trending.map(
                    (trend) => html`<tr data-kind=${trend.kind} data-hash=${trend.hashPrefix} data-signatures=${trend.signatures}>
                      <th scope="row"><code>${trend.hashPrefix}</code></th>
                      <td>${t.kinds[trend.kind]}</td>
                      <td class="n">${this.#n(trend.signatures)}</td>
                      <td class="n">${this.#percent(trend.share)}</td>
                      <td>
                        <button
                          class="secondary"
                          type="button"
                          aria-label=${t.previewThis(t.kinds[trend.kind], trend.hashPrefix)}
                          ?disabled=${this._busy}
                          @click=${() => this.#previewTrend(trend)}
                        >
                          ${t.preview}
                        </button>
                      </td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>`}
    </section>`;
  }

  #invalidateSection() {
    const t = this.#t;
    const kinds: SelectorKind[] = ['sourceHashPrefix', 'domainHashPrefix', 'emailDomain', 'window'];
    const choose = (kind: SelectorKind) => {
      this._selector = kind;
      this._preview = undefined;
    };
    return html`<section>
      <h2 id="invalidate-title">${t.invalidateTitle}</h2>
      <p class="hint">${t.invalidateHint}</p>
      <form @submit=${this.#preview} @input=${() => (this._preview = undefined)}>
        <fieldset>
          <legend>${t.selector}</legend>
          ${kinds.map(
            (kind) => html`<label class="choice"
              ><input type="radio" name="selector" value=${kind} .checked=${this._selector === kind} @change=${() => choose(kind)} />${t.selectors[kind]}</label
            >`,
          )}
        </fieldset>
        ${this._selector === 'window'
          ? html`<label for="window-from">${t.from}</label>
              <input id="window-from" name="from" type="datetime-local" aria-describedby="window-hint" />
              <label for="window-to">${t.to}</label>
              <input id="window-to" name="to" type="datetime-local" aria-describedby="window-hint" />
              <p class="hint" id="window-hint">${t.windowHint}</p>`
          : this._selector === 'emailDomain'
            ? html`<label for="selector-value">${t.emailDomainLabel}</label>
                <input id="selector-value" name="value" maxlength="253" autocomplete="off" aria-describedby="selector-hint" />
                <p class="hint" id="selector-hint">${t.emailDomainHint}</p>`
            : html`<label for="selector-value">${t.hashLabel}</label>
                <input id="selector-value" name="value" maxlength="64" autocomplete="off" spellcheck="false" aria-describedby="selector-hint" />
                <p class="hint" id="selector-hint">${t.hashHint}</p>`}
        <p><button class="secondary" type="submit" ?disabled=${this._busy}>${t.preview}</button></p>
      </form>
      ${this.#messages('invalidate')} ${this._preview ? this.#previewBlock(this._preview.report) : nothing}
      ${this._result ? this.#resultBlock(this._result) : nothing}
    </section>`;
  }

  #states(report: InvalidationReport) {
    const t = this.#t;
    return html`<dl>
        <dt>${t.affected}</dt>
        <dd data-figure="affected">${this.#n(report.affected)}</dd>
        <dt>${t.counted}</dt>
        <dd data-figure="counted">${this.#n(report.counted)}</dd>
        <dt>${t.pending}</dt>
        <dd data-figure="pending">${this.#n(report.pending)}</dd>
        <dt>${t.suspect}</dt>
        <dd data-figure="suspect">${this.#n(report.suspect)}</dd>
      </dl>
      ${Object.keys(report.byCounty).length
        ? html`<h4>${t.byCounty}</h4>
            <dl>
              ${Object.entries(report.byCounty).map(([county, n]) => html`<dt>${county}</dt><dd>${this.#n(n)}</dd>`)}
            </dl>`
        : nothing}`;
  }

  #previewBlock(report: InvalidationReport) {
    const t = this.#t;
    return html`<div data-preview aria-labelledby="preview-title" role="group">
      <h3 id="preview-title">${t.previewTitle}</h3>
      ${report.affected
        ? html`<p>${t.previewSummary(this.#n(report.affected))}</p>
            ${this.#states(report)}
            <p><button class="primary" type="button" ?disabled=${this._busy} @click=${() => (this._dialog = { kind: 'apply' })}>${t.apply(this.#n(report.affected))}</button></p>`
        : html`<p>${t.previewNone}</p>`}
    </div>`;
  }

  #resultBlock(result: NonNullable<ImluConsoleModeration['_result']>) {
    const t = this.#t;
    return html`<div data-result aria-labelledby="result-title" role="group">
      <h3 id="result-title" tabindex="-1">${t.resultTitle}</h3>
      ${this.#states(result.report)}
      ${result.report.affected !== result.previewed ? html`<p>${t.resultDiffers(this.#n(result.previewed), this.#n(result.report.affected))}</p>` : nothing}
      ${result.counts
        ? html`<h4>${t.countsNow}</h4>
            <dl data-counts>
              <dt>${t.counted}</dt>
              <dd data-figure="counted">${this.#n(result.counts.counted)}</dd>
              <dt>${t.pending}</dt>
              <dd data-figure="pending">${this.#n(result.counts.pending)}</dd>
              <dt>${t.suspect}</dt>
              <dd data-figure="suspect">${this.#n(result.counts.suspect)}</dd>
            </dl>`
        : nothing}
    </div>`;
  }

  #heldSection() {
    const t = this.#t;
    const page = this._held;
    const first = (this._heldCursors.length - 1) * HELD_PAGE_SIZE;
    return html`<section>
      <h2 id="held-title" tabindex="-1">${t.heldTitle}</h2>
      <p class="hint">${t.heldHint}</p>
      ${this.#messages('held')}
      ${page === undefined
        ? this._errors.held
          ? nothing
          : html`<p role="status">${STRINGS[this.locale].loading}</p>`
        : !page.held.length
          ? html`<p data-held="none">${t.heldNone}</p>`
          : html`<p data-held-range>${t.heldPage(this.#n(first + 1), this.#n(first + page.held.length), this.#n(page.total))}</p>
              <ol class="held" aria-labelledby="held-title">
                ${page.held.map(
                  (h) => html`<li data-signature=${h.id}>
                    <dl>
                      <dt>${t.signatureId}</dt>
                      <dd><code>${h.id}</code></dd>
                      <dt>${t.signedAt}</dt>
                      <dd>${this.#when(h.signedAt)}</dd>
                      <dt>${t.confirmedAt}</dt>
                      <dd>${h.confirmedAt ? this.#when(h.confirmedAt) : t.notConfirmed}</dd>
                      <dt>${t.county}</dt>
                      <dd>${h.county ?? t.noCounty}</dd>
                      <dt>${t.countedOnPhone}</dt>
                      <dd>${this.#n(h.countedOnPhone)}</dd>
                    </dl>
                    <div class="actions">
                      <button class="secondary" type="button" aria-label=${t.releaseOf(h.id)} @click=${() => (this._dialog = { kind: 'decide', id: h.id, decision: 'count' })}>
                        ${t.release}
                      </button>
                      <button class="secondary" type="button" aria-label=${t.rejectOf(h.id)} @click=${() => (this._dialog = { kind: 'decide', id: h.id, decision: 'invalidate' })}>
                        ${t.reject}
                      </button>
                    </div>
                  </li>`,
                )}
              </ol>
              <div class="actions">
                ${this._heldCursors.length > 1 ? html`<button class="secondary" type="button" @click=${() => this.#heldPage(-1)}>${t.previous}</button>` : nothing}
                ${page.next ? html`<button class="secondary" type="button" @click=${() => this.#heldPage(1)}>${t.next}</button>` : nothing}
              </div>`}
    </section>`;
  }

  #strikeSection() {
    const t = this.#t;
    return html`<section>
      <h2 id="strike-title">${t.strikeTitle}</h2>
      <p class="hint">${t.strikeHint}</p>
      <form @submit=${this.#askStrike}>
        <label for="strike-id">${t.signatureId}</label>
        <input id="strike-id" name="id" maxlength="64" autocomplete="off" spellcheck="false" />
        <label for="strike-reason">${t.reason}</label>
        <input id="strike-reason" name="reason" maxlength="200" aria-describedby="strike-reason-hint" />
        <p class="hint" id="strike-reason-hint">${t.reasonHint}</p>
        <label class="choice"><input type="checkbox" name="undo" />${t.undo}</label>
        <p><button class="secondary" type="submit" ?disabled=${this._busy}>${t.strike}</button></p>
      </form>
      ${this.#messages('strike')}
    </section>`;
  }

  #reconcileSection() {
    const t = this.#t;
    const slugOf = (d: Drift & { slug?: string | null }) => d.slug ?? this._campaigns?.find((c) => c.id === d.campaignId)?.slug ?? d.campaignId;
    const table = (drifts: (Drift & { slug?: string | null })[], label: string) =>
      html`<div class="table" role="region" aria-label=${label} tabindex="0">
        <table>
          <thead>
            <tr>
              <th scope="col">${t.campaign}</th>
              <th scope="col">${t.bucket}</th>
              <th scope="col">${t.stored}</th>
              <th scope="col">${t.actual}</th>
            </tr>
          </thead>
          <tbody>
            ${drifts.map(
              (d) => html`<tr data-drift=${`${d.campaignId}|${d.bucket}`}>
                <th scope="row">${slugOf(d)}</th>
                <td>${d.bucket === 'total' ? t.total : d.bucket}</td>
                <td>${this.#triple(d.stored)}</td>
                <td>${this.#triple(d.actual)}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>`;
    const last = this._lastRun;
    return html`<section>
      <h2 id="reconcile-title">${t.reconcileTitle}</h2>
      <p class="hint">${t.reconcileHint}</p>
      <p><button class="secondary" type="button" ?disabled=${this._busy} @click=${() => void this.#reconcile(false)}>${t.reconcile}</button></p>
      ${this.#messages('reconcile')}
      ${this._drifts?.length
        ? html`${table(this._drifts, t.reconcileTitle)}
            <p><button class="primary" type="button" ?disabled=${this._busy} @click=${() => (this._dialog = { kind: 'fix' })}>${t.fix}</button></p>`
        : nothing}
      <h3>${t.lastRunTitle}</h3>
      ${last === undefined
        ? nothing
        : last === null
          ? html`<p data-last-run="none">${t.noLastRun}</p>`
          : html`<p data-last-run>${t.lastRun(this.#when(last.at))}: ${last.drifts.length ? t.drifts(this.#n(last.drifts.length)) : t.noDrift}</p>
              ${last.drifts.length ? table(last.drifts, t.lastRunTitle) : nothing}`}
    </section>`;
  }

  #dialog() {
    const t = this.#t;
    const d = this._dialog;
    const close = () => {
      this._dialog = undefined;
      this._errors = { ...this._errors, dialog: '' };
    };
    const buttons = (confirm: string, onConfirm: () => void) =>
      html`<div class="actions">
        <button class="primary" type="button" ?disabled=${this._busy} @click=${onConfirm}>${confirm}</button>
        <button class="secondary" type="button" @click=${close}>${t.cancel}</button>
      </div>`;
    let body: unknown = nothing;
    if (d?.kind === 'apply' && this._preview) {
      body = html`<h3 id="dialog-title">${t.confirmTitle}</h3>
        <p>${t.confirmBody(this.#n(this._preview.report.affected))}</p>
        ${buttons(t.confirmApply, () => void this.#apply())}`;
    } else if (d?.kind === 'decide') {
      body = html`<h3 id="dialog-title">${t.decideTitle[d.decision]}</h3>
        <p>${t.decideBody[d.decision]} <code>${d.id}</code></p>
        <form @submit=${(event: SubmitEvent) => void this.#decide(event, d)}>
          <label for="decide-reason">${t.reason}</label>
          <input id="decide-reason" name="reason" maxlength="200" autocomplete="off" aria-describedby="decide-reason-hint" />
          <p class="hint" id="decide-reason-hint">${t.reasonHint}</p>
          <div class="actions">
            <button class="primary" type="submit" ?disabled=${this._busy}>${d.decision === 'count' ? t.release : t.reject}</button>
            <button class="secondary" type="button" @click=${close}>${t.cancel}</button>
          </div>
        </form>`;
    } else if (d?.kind === 'strike') {
      body = html`<h3 id="dialog-title">${t.strikeConfirmTitle}</h3>
        <p>${d.undo ? t.unstrikeConfirmBody(d.id) : t.strikeConfirmBody(d.id)}</p>
        ${buttons(d.undo ? t.unstrikeConfirm : t.strikeConfirm, () => void this.#strike(d))}`;
    } else if (d?.kind === 'fix') {
      body = html`<h3 id="dialog-title">${t.fixConfirmTitle}</h3>
        <p>${t.fixConfirmBody}</p>
        ${buttons(t.fixConfirm, () => void this.#reconcile(true))}`;
    }
    return html`<dialog aria-labelledby="dialog-title" @close=${close}>
      ${body}
      <p class="error" role="alert">${this._errors.dialog ?? ''}</p>
    </dialog>`;
  }
}
