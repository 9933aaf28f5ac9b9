import type { CampaignForm } from '@imlu/contracts';
import { signingWindow, type SigningWindow } from '@imlu/contracts/accepting';
import { countyOptions } from '@imlu/contracts/county-names';
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { endpoint, request } from '../api/client.ts';
import { countsFeed } from '../api/counts-feed.ts';
import { ImluErrorEvent } from '../events/error-event.ts';
import { formatDate, formatNumber, type Catalog, type Locale, type MessageKey } from '../i18n/index.ts';
import { CountsController } from '../internal/counts-controller.ts';
import { LocaleController } from '../internal/locale-controller.ts';
import { sharedStyles } from '../styles/shared.styles.ts';
import { themeStyles } from '../styles/theme.styles.ts';
import { VERSION } from '../version.ts';
import { COMMENT_MAX, NAME_MAX } from './limits.ts';
import { petitionStyles } from './petition.styles.ts';
import { kit } from './kit.ts';
import type * as PledgeModule from './pledge.ts';
import type { Pledge } from './pledge.ts';
import type * as SigningModule from './signing.ts';
import type { Field, Signing } from './signing.ts';

/** Once the campaign is in, the view is its signing window at load time (`@imlu/contracts/accepting`). */
type View = 'loading' | 'load-error' | 'not-found' | SigningWindow;

/**
 * Everything that runs only after the signer starts on the form (sending, resending, errors, the SMS
 * code, ALTCHA, thanks and sharing) is in `./signing.ts`, a separate chunk that embed.js imports on the
 * first interaction. The browser's module map makes it one download per page, shared by every petition;
 * after a failed download, the next call (the signer pressing the button) asks again. A property so
 * that tests can replace it.
 * @internal
 */
export const lazy = {
  signing: (): Promise<typeof SigningModule> => import('./signing.ts'),
  /** A pledge campaign's actions (`./pledge.ts`): imported as soon as the campaign is known to have them. */
  pledge: (): Promise<typeof PledgeModule> => import('./pledge.ts').then((module) => (lazy.pledgeLoaded = module)),
  /**
   * The pledge module once it is in, for a first paint shown at once: the server renderer sets it before it
   * renders; an element taking a pledge's paint over holds its first render until it is in (`scheduleUpdate`).
   */
  pledgeLoaded: undefined as typeof PledgeModule | undefined,
};

/** A summary longer than this may take more than three lines on a 320 px phone, so it folds there. */
const SUMMARY_FOLD_CHARS = 100;

/** The optional consents: form field name (also the API's consent key) and its label. */
const CONSENTS = [
  ['publicName', 'consentPublicName'],
  ['shareWithTargets', 'consentShareWithTargets'],
  ['updates', 'consentUpdates'],
] as const;


/**
 * @tagname imlu-petition
 * @summary A campaign's petition: title, summary, demands, progress toward the goal, and the form to sign.
 *
 * Before the campaign opens it shows the date signing opens instead of the form, and after it closes that it
 * is closed (the same rule as the API's, `@imlu/contracts/accepting`).
 *
 * Loads the campaign from the IMLU API, follows the page's language (English or Kiswahili), maps the
 * API's field errors onto the form in the signer's language, and retries safely with an idempotency key.
 *
 * @attribute {'light' | 'dark'} theme - Forces that colour scheme. Without it the petition follows the
 *   signer's `prefers-color-scheme`. CSS reads the attribute directly, so there is no property.
 * @attribute {string} lang - `sw` (or any `sw-*` tag) for Kiswahili, else English; without it, the closest
 *   ancestor's `lang` (up to `<html lang>`) that is English or Kiswahili, then the browser's preferred
 *   languages, then English.
 *
 * @csspart form - The signature form.
 * @csspart submit - The submit button.
 * @csspart progress - The block with the progress bar and count.
 * @csspart counter - The count text inside the progress block.
 * @csspart thank-you - The confirmation shown once the signature is accepted.
 * @csspart milestones - The list of milestones reached, in the progress block (campaigns with milestones).
 *
 * @slot thank-you - Partner content shown under the thank-you message, e.g. a next step or a donation link.
 *
 * @cssstate signed - The signer's signature was accepted (`imlu-petition:state(signed)`).
 *
 * @cssproperty --imlu-color-primary - System: buttons, focus ring, progress, checkboxes (light #5b2a86, dark #cdb4f0).
 * @cssproperty --imlu-color-on-primary - System: text on primary buttons (the surface colour).
 * @cssproperty --imlu-color-text - System: text (light #1a1a1a, dark #f2f2f2).
 * @cssproperty --imlu-color-surface - System: background of the widget and its inputs (light #fff, dark #1e1e1e).
 * @cssproperty --imlu-color-error - System: error text and invalid borders (light #b3261e, dark #ff8a80).
 * @cssproperty --imlu-color-muted - System: hints and "(optional)" (light #4d4d4d, dark #c4c4c4).
 * @cssproperty --imlu-color-border - System: input borders (light #6b6b6b, dark #8f8f8f).
 * @cssproperty --imlu-font-family - System: font of the widget (system-ui).
 * @cssproperty --imlu-font-size - System: base font size (16px; px, so a host's root font size does not change it); inputs never go below 16px.
 * @cssproperty --imlu-radius - System: corner radius of the widget, inputs and buttons (6px).
 * @cssproperty --imlu-focus-color - System: focus ring; falls back to --imlu-color-primary.
 * @cssproperty --imlu-petition-surface - Background of the petition; falls back to --imlu-color-surface.
 * @cssproperty --imlu-petition-text-color - Text colour of the petition; falls back to --imlu-color-text.
 * @cssproperty --imlu-petition-padding - Inner spacing (16px).
 * @cssproperty --imlu-petition-title-size - Size of the title (24px).
 * @cssproperty --imlu-petition-skeleton-height - Height reserved while loading (1168px unset), and once set, the petition's
 *   least height when shown, so that the page does not move whatever the device's fonts (set it above the tallest rendering).
 * @cssproperty --imlu-petition-skeleton-color - Loading bars, shown at 20 % opacity; falls back to --imlu-color-muted.
 * @cssproperty --imlu-button-background - Button colour; falls back to --imlu-color-primary.
 * @cssproperty --imlu-button-color - Button text colour; falls back to --imlu-color-on-primary.
 * @cssproperty --imlu-progress-color - Progress bar colour; falls back to --imlu-color-primary.
 *
 * @event {ImluSignedEvent} imlu-signed - The API accepted a signature (once per signer: not again when an SMS code
 *   confirms it, nor when the signer changes their details and sends them again). `detail: { campaign, status }`,
 *   no personal data.
 * @event {ImluErrorEvent} imlu-error - Loading or signing failed. `detail: { campaign, type, status }`, no personal data.
 */
export class ImluPetition extends LitElement {
  static readonly version = VERSION;
  static override styles = [sharedStyles, themeStyles, petitionStyles];
  static override properties = {
    campaign: {},
    api: {},
    source: {},
    view: { state: true },
    data: { state: true },
    waiting: { state: true },
    chunkFailed: { state: true },
    formLater: { state: true },
    commentLength: { state: true },
    county: { state: true },
    summaryOpen: { state: true },
  };

  /** Campaign slug. */
  declare campaign: string;
  /** Base URL of the IMLU API, e.g. `https://api.example.org`. */
  declare api: string;
  /** Partner reference recorded with each signature; the page's `?source=` takes precedence. */
  declare source: string;

  private declare view: View;
  private declare data: CampaignForm | undefined;
  /** The signer pressed the button and the signing chunk is still on its way. */
  private declare waiting: boolean;
  /** The signing chunk could not be loaded when the signer pressed the button. */
  private declare chunkFailed: boolean;
  /** The campaign is shown and the form follows in the next task (see `#load()`). */
  private declare formLater: boolean;
  private declare commentLength: number;
  /** Tracked so the selection survives re-sorting the options when the language changes. */
  private declare county: string;
  /** The signer asked for the whole summary on a narrow screen (where it starts as its first lines). */
  private declare summaryOpen: boolean;

  readonly #i18n = new LocaleController(this);
  readonly #feed = new CountsController(this, () =>
    this.data ? { api: this.api, slug: this.campaign } : undefined,
  );
  readonly #internals: ElementInternals | undefined = this.attachInternals?.();
  /** The translator, as an arrow so that templates can destructure it. */
  // A pledge says "pledges" where a petition says "signatures" (its chunk brings the words).
  readonly #t = <K extends MessageKey>(key: K): Catalog[K] => this.#pledge?.words(this.#i18n.locale)[key] ?? this.#i18n.t(key);
  /** Guards against a slow response for a previous campaign overwriting the current one. */
  #loadToken = 0;
  /** The signing controller, once its chunk has loaded (see `prepare()`). */
  #signing: Signing | undefined;
  /** A pledge campaign's actions, once their chunk has loaded (see `#load()`). */
  #pledge: Pledge | undefined;
  /** When the signer first touched the form (performance.now()), for the request's `elapsedMs`. */
  #startedAt: number | undefined;

  constructor() {
    super();
    this.campaign = '';
    this.api = '';
    this.source = '';
    this.view = 'loading';
    this.waiting = false;
    this.chunkFailed = false;
    this.formLater = false;
    this.commentLength = 0;
    this.county = '';
    this.summaryOpen = false;
  }

  /**
   * The campaign of a first paint (`../server/first-paint.ts`): set by the server renderer, or, when this
   * element takes a paint over (`createRenderRoot`), the one embed.js kept from it. Shown at once, without a request.
   * @internal
   */
  private declare firstPaint: CampaignForm | undefined;
  /** The nodes of a first paint this element takes over, removed after its own first render. */
  #painted: ChildNode[] | undefined;

  /**
   * embed.js may have given this element a shadow root already: the server's first paint (the same template,
   * styles and campaign), shown while this code was on its way. Lit renders into the same root, before it;
   * `firstUpdated` then moves what the signer did there (values, focus, open demands) and removes it.
   */
  protected override createRenderRoot(): HTMLElement | DocumentFragment {
    const root = this.shadowRoot;
    // embed.js keeps the campaign that came with the paint on the element (`imluCampaign`, JSON).
    const json = (this as { imluCampaign?: string }).imluCampaign;
    if (root && json) {
      this.#painted = [...root.childNodes];
      this.firstPaint = JSON.parse(json) as CampaignForm;
      const county = root.querySelector('select');
      this.county = county?.value ?? '';
      this.commentLength = root.querySelector('textarea')?.value.length ?? 0;
      this.summaryOpen = !!(this as { imluMore?: boolean }).imluMore;
      // A pledge's actions are in the paint: the element's first render waits for their chunk.
      if (this.firstPaint?.actions?.length && !lazy.pledgeLoaded) this.#hold = lazy.pledge();
    }
    return super.createRenderRoot();
  }

  /** What the first render waits for, if anything (a pledge's chunk when taking over its paint). */
  #hold: Promise<unknown> | undefined;

  protected override scheduleUpdate(): void | Promise<unknown> {
    const hold = this.#hold;
    if (!hold) return super.scheduleUpdate();
    this.#hold = undefined;
    // The paint stays on screen meanwhile; without the chunk, the campaign is loaded as without a paint.
    return hold.catch(() => {}).then(() => super.scheduleUpdate());
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    // The constructor's `api` and `campaign` make the first update one of these (on the server too).
    if (!changed.has('api') && !changed.has('campaign')) return;
    const painted = this.firstPaint;
    this.firstPaint = undefined;
    // A first paint of this campaign: the form is already on screen, so it is shown whole at once.
    if (painted && (!this.campaign || painted.slug === this.campaign)) this.#show(painted);
    else void this.#load();
  }

  protected override firstUpdated(): void {
    const painted = this.#painted;
    if (!painted) return;
    this.#painted = undefined;
    const root = this.renderRoot as ShadowRoot;
    const old = (selector: string) => painted.flatMap((node) => (node instanceof Element ? [...node.querySelectorAll(selector)] : []));
    for (const control of old('input[id], select[id], textarea[id]') as (HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement)[]) {
      const now = root.getElementById(control.id) as typeof control | null;
      if (!now || now.localName !== control.localName) continue;
      if (control.type === 'checkbox') (now as HTMLInputElement).checked = (control as HTMLInputElement).checked;
      else now.value = control.value;
    }
    const details = old('details') as HTMLDetailsElement[];
    root.querySelectorAll('details').forEach((now, i) => (now.open = details[i]?.open ?? false));
    // The signer touched the form before this code arrived (embed.js noted when), and perhaps pressed its button.
    const noted = this as { imluTouchedAt?: number; imluSubmit?: boolean };
    if (noted.imluTouchedAt !== undefined) {
      this.#startedAt ??= noted.imluTouchedAt;
      this.#prepare().catch(() => {});
    }
    // The focus moves to the same place in the same markup (a field, the demands, "Read more"), with the caret.
    const active = root.activeElement;
    const from = painted.find((node): node is HTMLElement => node instanceof HTMLDivElement);
    let focus: Element | undefined;
    if (active && from?.contains(active)) {
      const path: number[] = [];
      for (let node: Element = active; node !== from; node = node.parentElement!) path.unshift([...node.parentElement!.children].indexOf(node));
      focus = path.reduce<Element | undefined>((node, i) => node?.children[i], root.firstElementChild ?? undefined);
    }
    for (const node of painted) node.remove();
    if (focus instanceof HTMLElement) {
      focus.focus({ preventScroll: true });
      if (active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement) {
        try {
          (focus as HTMLInputElement).setSelectionRange(active.selectionStart, active.selectionEnd);
        } catch {
          // Inputs without a selection (e-mail, checkbox) refuse it: the caret stays where the browser puts it.
        }
      }
    }
    if (noted.imluSubmit) root.querySelector('form')?.requestSubmit();
  }

  /** Shows a campaign already at hand (a first paint): the same as a load, without the request. */
  #show(data: CampaignForm): void {
    // A pledge whose actions' chunk is not in (it failed to load): loaded as without a paint.
    if (data.actions?.length && !lazy.pledgeLoaded) return void this.#load();
    ++this.#loadToken;
    this.chunkFailed = false;
    this.#pledge = data.actions?.length ? lazy.pledgeLoaded!.pledge(kit, data, this) : undefined;
    this.data = data;
    if (this.api && this.campaign) countsFeed(this.api, this.campaign).offer(data.counts);
    this.view = signingWindow(data, Date.now());
    this.formLater = false;
  }

  async #load(): Promise<void> {
    const token = ++this.#loadToken;
    const { api, campaign: slug } = this;
    // Another campaign: what the signer did with the previous one (state, pending resend) is forgotten.
    if (this.#signing) {
      this.removeController(this.#signing);
      this.#signing.hostDisconnected();
      this.#signing = undefined;
    }
    this.#startedAt = undefined;
    this.chunkFailed = false;
    this.view = 'loading';
    this.data = undefined;
    if (!api || !slug) return;
    // One try for the campaign and, for a pledge with actions, their chunk: either failing on the network is
    // a failed load, and "Try again" loads both again.
    try {
      // The form view: the campaign without its long text and targets, which the petition does not show.
      const result = await request<CampaignForm>(endpoint(api, slug, '/form'));
      if (token !== this.#loadToken) return;
      if (!result.ok) return this.#fail(result.status === 404 ? 'not-found' : 'load-error', result.problem.type, result.status);
      // A pledge's actions are in their own chunk: fetched from now on, beside the campaign's first render.
      // (The API sends `actions` for a pledge campaign only.)
      const pledge = result.data.actions?.length ? lazy.pledge() : undefined;
      this.data = result.data;
      countsFeed(api, slug).offer(result.data.counts);
      // Decided once, with the signer's clock: if it is wrong, or a date passes while the page is open, the
      // API's answer to the signature decides (`campaign-closed` shows the closed view).
      this.view = signingWindow(result.data, Date.now());
      // Two tasks, not one: the campaign first, the form (some 60 inputs and options, each template parsed
      // and cloned the first time) after the browser has had a turn. One render of both was a long task
      // (> 50 ms) on a slow or busy phone; the space stays reserved meanwhile, so nothing below moves. A
      // pledge's form also waits for its actions.
      this.formLater = true;
      await this.updateComplete;
      await new Promise((resolve) => setTimeout(resolve));
      // Set on every load, so that another campaign never shows the previous one's actions.
      const actions = (await pledge)?.pledge(kit, result.data, this);
      if (token !== this.#loadToken) return;
      this.#pledge = actions;
      this.formLater = false;
    } catch {
      if (token === this.#loadToken) this.#fail('load-error', 'network', 0);
    }
  }

  #fail(view: View, type: string, status: number): void {
    this.view = view;
    this.#emitError(type, status);
  }

  #emitError(type: string, status: number): void {
    this.dispatchEvent(new ImluErrorEvent({ campaign: this.campaign, type, status }));
  }

  /**
   * The signer's first touch of the form (focus, pointer, typing): note the time and fetch the signing
   * chunk now, so that pressing the button never waits for it in practice. Nothing else loads before.
   */
  #prepare(): Promise<Signing> {
    this.#startedAt ??= performance.now();
    return lazy.signing().then((module) => {
      if (!this.#signing) {
        module.setup(kit);
        this.#signing = new module.Signing(this, {
          data: () => this.data!,
          locale: () => this.#i18n.locale,
          startedAt: () => this.#startedAt,
          internals: this.#internals,
          setView: (view) => (this.view = view),
        }, this.#pledge);
      }
      return this.#signing;
    });
  }

  #onFirstInteraction(): void {
    if (this.#startedAt === undefined) this.#prepare().catch(() => {});
  }

  async #onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    if (this.waiting || this.#signing?.busy) return;
    this.chunkFailed = false;
    this.waiting = true;
    let signing: Signing;
    try {
      signing = await this.#prepare();
    } catch {
      // The link dropped while the chunk loaded: say so, keep everything typed, and try again on the next press.
      this.chunkFailed = true;
      this.#emitError('network', 0);
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#chunk-failed')?.focus();
      return;
    } finally {
      this.waiting = false;
    }
    return signing.submit(form);
  }

  protected override render() {
    const locale = this.#i18n.locale;
    const busy = this.view === 'loading' || this.formLater;
    return html`<div lang=${locale} class=${busy ? 'reserve' : ''} aria-busy=${busy}>
      ${this.#renderView(locale)}
    </div>`;
  }

  #renderView(locale: Locale): TemplateResult {
    const { data, view } = this;
    const t = this.#t;
    if (view === 'loading') {
      // A grey bar where the title will be, in the space the block reserves for the petition.
      return html`<div class="skeleton">
        <p class="visually-hidden">${t('loading')}</p>
        <div class="bone"></div>
      </div>`;
    }
    if (view === 'load-error') {
      // The hosted page is the same petition as plain HTML: it works where this script cannot load its data.
      return html`<div class="alert" role="alert">
        <p>${t('loadFailed')}</p>
        <button type="button" class="secondary" @click=${() => void this.#load()}>${t('retry')}</button>
        <p><a href=${`${this.api.replace(/\/+$/, '')}/c/${encodeURIComponent(this.campaign)}?lang=${locale}`}>${t('hostedLink')}</a></p>
      </div>`;
    }
    if (!data || view === 'not-found') return html`<p class="notice alert" tabindex="-1">${t('notFound')}</p>`;

    const demands = [...data.demands].sort((a, b) => a.position - b.position);
    // The demands start folded, so that on a phone the form's first field is on the first screen, and the
    // reserved height depends less on how the device's fonts wrap their text. On a narrow screen the summary
    // also starts as its first three lines (petition.styles.ts); the whole text stays in the page for screen
    // readers and search, and the button shows it. A summary too short to need it gets neither.
    const summary = data.summary[locale];
    const folds = summary.length > SUMMARY_FOLD_CHARS;
    return html`
      <h2>${data.title[locale]}</h2>
      <p id="summary" class=${folds && !this.summaryOpen ? 'folded' : ''}>${summary}</p>
      ${folds
        ? html`<button
            type="button"
            class="more"
            aria-controls="summary"
            aria-expanded=${this.summaryOpen}
            @click=${() => (this.summaryOpen = !this.summaryOpen)}
          >
            ${t(this.summaryOpen ? 'summaryLess' : 'summaryMore')}
          </button>`
        : nothing}
      ${this.#renderProgress(locale)}
      ${demands.length
        ? html`<details>
            <summary>${t('demandsHeading')}</summary>
            <ol>
              ${demands.map((demand) => html`<li>${demand.text[locale]}</li>`)}
            </ol>
          </details>`
        : nothing}
      ${view !== 'open'
        ? this.#renderClosed(locale, view === 'not-yet-open' && data.opensAt)
        : this.formLater
          ? nothing
          : (this.#signing?.renderStage(t) ?? this.#renderForm(locale))}
    `;
  }

  #renderProgress(locale: Locale) {
    const counts = this.#feed.counts ?? this.data?.counts;
    if (!counts) return nothing;
    const { signatures } = counts;
    const count = formatNumber(locale, signatures);
    const goal = counts.goal ?? this.data?.goal;
    const milestones = this.data?.milestones ?? [];
    const next = milestones.find((milestone) => !milestone.reachedAt);
    const reached = milestones.filter((milestone) => milestone.reachedAt);
    // Without a goal there is nothing to progress toward: the count alone.
    return html`<div part="progress">
      ${goal
        ? html`<progress max=${goal} value=${Math.min(signatures, goal)} aria-labelledby="progress-text"></progress>`
        : nothing}
      <p part="counter" id="progress-text">
        ${goal ? this.#t('progress')(count, formatNumber(locale, goal)) : this.#t('signatures')(count, signatures)}
      </p>
      ${next
        ? html`<progress max=${next.threshold} value=${Math.min(signatures, next.threshold)} aria-labelledby="milestone-next"></progress>
            <p id="milestone-next">${this.#t('milestoneNext')(this.#milestone(locale, next))}</p>`
        : nothing}
      ${reached.length
        ? html`<h3>${this.#t('milestonesHeading')}</h3>
            <ul part="milestones">
              ${reached.map(
                (milestone) =>
                  html`<li>${this.#t('milestoneReached')(this.#milestone(locale, milestone), formatDate(locale, milestone.reachedAt!))}</li>`,
              )}
            </ul>`
        : nothing}
    </div>`;
  }

  /**
   * A milestone's label, led by its count ("1,000 signatures: ") unless the label already says it, written
   * as the widget writes numbers: the count is said once either way.
   */
  #milestone(locale: Locale, { threshold, label }: NonNullable<CampaignForm['milestones']>[number]): string {
    const count = formatNumber(locale, threshold);
    const text = label[locale];
    return text.includes(count) ? text : `${this.#t('signatures')(count, threshold)}: ${text}`;
  }

  /** The closed message, or with `opensAt` the date signing opens: the same block, so the notice costs embed.js little. */
  #renderClosed(locale: Locale, opensAt: string | false | null) {
    return html`<section aria-labelledby="closed-heading">
      <h3 id="closed-heading" tabindex="-1">${opensAt ? this.#t('opensOn')(formatDate(locale, opensAt)) : this.#t('closedHeading')}</h3>
      ${opensAt ? nothing : html`<p>${this.#t('closedBody')}</p>`}
    </section>`;
  }

  /** The hint (if any) and the error ids that describe `field` (IDREFS: a leading space is fine), or no attribute. */
  #described(field: Field, hint = '') {
    return [hint, ...(this.#signing?.errorIds(field) ?? [])].join(' ') || nothing;
  }

  #renderForm(locale: Locale) {
    const t = this.#t;
    const submitting = this.waiting || !!this.#signing?.busy;
    const optional = html` <span class="optional">${t('optional')}</span>`;
    const input = (field: 'name' | 'phone' | 'email', type: string, autocomplete: string, hint?: string) =>
      html`<input
        id=${field}
        name=${field}
        type=${type}
        autocomplete=${autocomplete}
        maxlength=${field === 'name' ? NAME_MAX : nothing}
        ?required=${field === 'name'}
        aria-invalid=${this.#signing?.invalid(field) ?? nothing}
        aria-describedby=${this.#described(field, hint)}
      />`;
    const first = () => this.#onFirstInteraction();

    return html`<form
      part="form"
      novalidate
      aria-labelledby="form-heading"
      aria-busy=${submitting}
      @submit=${this.#onSubmit}
      @focusin=${first}
      @pointerdown=${first}
      @input=${first}
    >
      <h3 id="form-heading">${t('formHeading')}</h3>
      <p class="status" role="status">${this.#signing?.statusText()}</p>
      ${this.#signing?.renderNotices(t('retry'))}
      ${this.chunkFailed
        ? html`<div class="alert" role="alert"><p id="chunk-failed" tabindex="-1">${t('chunkFailed')}</p></div>`
        : nothing}

      ${this.#pledge?.render(locale, this.#signing)}
      <div class="field">
        <label for="name">${t('nameLabel')}</label>
        ${this.#signing?.renderError('name')} ${input('name', 'text', 'name')}
      </div>

      <fieldset aria-describedby=${this.#described('contact', 'contact-hint')}>
        <legend>${t('contactLegend')}</legend>
        <p class="hint" id="contact-hint">${t('contactHint')}</p>
        ${this.#signing?.renderError('contact')}
        <div class="field">
          <label for="phone">${t('phoneLabel')}</label>
          <p class="hint" id="phone-hint">${t('phoneHint')}</p>
          ${this.#signing?.renderError('phone')} ${input('phone', 'tel', 'tel', 'phone-hint')}
        </div>
        <div class="field">
          <label for="email">${t('emailLabel')}</label>
          ${this.#signing?.renderError('email')} ${input('email', 'email', 'email')}
        </div>
      </fieldset>

      <div class="field">
        <label for="county">${t('countyLabel')}${optional}</label>
        ${this.#signing?.renderError('county')}
        <select
          id="county"
          name="county"
          aria-invalid=${this.#signing?.invalid('county') ?? nothing}
          aria-describedby=${this.#described('county')}
          @change=${(e: Event) => (this.county = (e.target as HTMLSelectElement).value)}
        >
          <option value="" .selected=${!this.county}>${t('countyPlaceholder')}</option>
          ${countyOptions(locale).map(
            ([code, name]) => html`<option value=${code} .selected=${code === this.county}>${name}</option>`,
          )}
        </select>
      </div>

      <div class="field">
        <label for="comment">${t('commentLabel')}${optional}</label>
        ${this.#signing?.renderError('comment')}
        <textarea
          id="comment"
          name="comment"
          rows="3"
          maxlength=${COMMENT_MAX}
          aria-invalid=${this.#signing?.invalid('comment') ?? nothing}
          aria-describedby=${this.#described('comment', 'comment-count')}
          @input=${(e: Event) => (this.commentLength = (e.target as HTMLTextAreaElement).value.length)}
        ></textarea>
        <p class="hint" id="comment-count">
          ${t('characters')(formatNumber(locale, this.commentLength), formatNumber(locale, COMMENT_MAX))}
        </p>
      </div>

      <div class="visually-hidden hp" aria-hidden="true">
        <label for="website">${t('honeypot')}</label>
        <input id="website" name="website" type="text" tabindex="-1" autocomplete="off" />
      </div>

      <fieldset>
        <legend>${t('consentLegend')}</legend>
        ${this.#signing?.renderError('terms')}
        <div class="check">
          <input
            type="checkbox"
            id="terms"
            name="terms"
            required
            aria-invalid=${this.#signing?.invalid('terms') ?? nothing}
            aria-describedby=${this.#described('terms')}
          />
          <label for="terms">${t('consentTerms')}</label>
        </div>
        ${CONSENTS.map(
          ([name, label]) => html`<div class="check">
            <input type="checkbox" id=${name} name=${name} />
            <label for=${name}>${t(label)}</label>
          </div>`,
        )}
      </fieldset>

      <button part="submit" type="submit" ?disabled=${submitting}>
        ${submitting ? t('submitting') : t(this.data?.kind === 'pledge' ? 'submitPledge' : 'submitPetition')}
      </button>
    </form>`;
  }
}
