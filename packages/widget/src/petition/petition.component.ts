import type { Campaign, FieldError, SignRequest, SignResponse } from '@imlu/contracts';
import { countyOptions } from '@imlu/contracts/county-names';
import { isFieldErrorCode, problemName, type FieldErrorCode } from '@imlu/contracts/problems';
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { endpoint, newIdempotencyKey, request, type ApiResult } from '../api/client.ts';
import { countsFeed } from '../api/counts-feed.ts';
import { ImluErrorEvent, ImluSignedEvent } from '../events.ts';
import { fieldErrorMessage, formatNumber, type Locale, type MessageKey } from '../i18n/index.ts';
import { CountsController } from '../internal/counts-controller.ts';
import { LocaleController } from '../internal/locale-controller.ts';
import { sharedStyles } from '../styles/shared.styles.ts';
import { VERSION } from '../version.ts';
import { COMMENT_MAX, NAME_MAX, SOURCE_MAX } from './limits.ts';
import { petitionStyles } from './petition.styles.ts';


type View = 'loading' | 'load-error' | 'not-found' | 'ready' | 'submitting' | 'retrying' | 'signed' | 'closed';

/**
 * Seconds to wait before each automatic resend of a signature whose POST failed on the network. After
 * the last, the signer gets the network error and a "Try again" button; the key stays the same throughout.
 */
const RETRY_DELAYS = [2, 5, 10, 20, 30];
type GeneralError = 'networkError' | 'serverError' | 'rateLimited' | 'forbiddenOrigin' | 'tooLarge';

/** The form's fields in page order: the first with an error gets the focus. `contact` is the phone/e-mail pair. */
const FIELDS = ['name', 'contact', 'phone', 'email', 'county', 'comment', 'terms'] as const;
type Field = (typeof FIELDS)[number];
type FieldErrors = Map<Field, FieldErrorCode>;
/** The optional consents: form field name (also the API's consent key) and its label. */
const CONSENTS = [
  ['publicName', 'consentPublicName'],
  ['shareWithTargets', 'consentShareWithTargets'],
  ['updates', 'consentUpdates'],
] as const;

/** Where an API field error belongs in our form. Unknown paths (a newer API) go to the general error. */
function fieldOf(error: FieldError): Field | undefined {
  if (error.code === 'contact_required') return 'contact';
  if (error.path.startsWith('consent')) return 'terms';
  return (FIELDS as readonly string[]).includes(error.path) ? (error.path as Field) : undefined;
}

function isClosed(campaign: Campaign): boolean {
  return campaign.status !== 'open' || (!!campaign.closesAt && Date.parse(campaign.closesAt) <= Date.now());
}

/**
 * The page URL to share: only `?source=` survives, so that a partner's attribution is kept while other
 * query parameters (which might carry a signer's e-mail from a newsletter link) and the fragment are not.
 */
function shareUrl(): string {
  const url = new URL(location.href);
  const source = url.searchParams.get('source');
  url.search = source ? `?${new URLSearchParams({ source })}` : '';
  url.hash = '';
  return url.href;
}

/**
 * @tagname imlu-petition
 * @summary A campaign's petition: title, summary, demands, progress toward the goal, and the form to sign.
 *
 * Loads the campaign from the IMLU API, follows the page's language (English or Kiswahili), maps the
 * API's field errors onto the form in the signer's language, and retries safely with an idempotency key.
 *
 * @attribute {'light' | 'dark'} theme - Forces that colour scheme. Without it the petition follows the
 *   signer's `prefers-color-scheme`. CSS reads the attribute directly, so there is no property.
 * @attribute {string} lang - `sw` (or any `sw-*` tag) for Kiswahili, else English; without it, the closest
 *   ancestor's `lang`, then `<html lang>`.
 *
 * @csspart form - The signature form.
 * @csspart submit - The submit button.
 * @csspart progress - The block with the progress bar and count.
 * @csspart counter - The count text inside the progress block.
 * @csspart thank-you - The confirmation shown once the signature is accepted.
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
 * @cssproperty --imlu-font-size - System: base font size (1rem); inputs never go below 16px.
 * @cssproperty --imlu-radius - System: corner radius of the widget, inputs and buttons (0.375rem).
 * @cssproperty --imlu-focus-color - System: focus ring; falls back to --imlu-color-primary.
 * @cssproperty --imlu-petition-surface - Background of the petition; falls back to --imlu-color-surface.
 * @cssproperty --imlu-petition-text-color - Text colour of the petition; falls back to --imlu-color-text.
 * @cssproperty --imlu-petition-padding - Inner spacing (1rem).
 * @cssproperty --imlu-petition-title-size - Size of the title (1.5rem).
 * @cssproperty --imlu-petition-skeleton-height - Height reserved while loading (73rem, about the height of a four-demand petition).
 * @cssproperty --imlu-petition-skeleton-color - Loading bars, shown at 20 % opacity; falls back to --imlu-color-muted.
 * @cssproperty --imlu-button-background - Button colour; falls back to --imlu-color-primary.
 * @cssproperty --imlu-button-color - Button text colour; falls back to --imlu-color-on-primary.
 * @cssproperty --imlu-progress-color - Progress bar colour; falls back to --imlu-color-primary.
 *
 * @event {ImluSignedEvent} imlu-signed - The API accepted a signature. `detail: { campaign, status }`, no personal data.
 * @event {ImluErrorEvent} imlu-error - Loading or signing failed. `detail: { campaign, type, status }`, no personal data.
 */
export class ImluPetition extends LitElement {
  static readonly version = VERSION;
  static override styles = [sharedStyles, petitionStyles];
  static override properties = {
    campaign: {},
    api: {},
    source: {},
    view: { state: true },
    data: { state: true },
    errors: { state: true },
    generalError: { state: true },
    status: { state: true },
    signedStatus: { state: true },
    commentLength: { state: true },
    county: { state: true },
  };

  /** Campaign slug. */
  declare campaign: string;
  /** Base URL of the IMLU API, e.g. `https://api.example.org`. */
  declare api: string;
  /** Partner reference recorded with each signature; the page's `?source=` takes precedence. */
  declare source: string;

  private declare view: View;
  private declare data: Campaign | undefined;
  private declare errors: FieldErrors;
  private declare generalError: GeneralError | undefined;
  /**
   * What the polite live region says (error summary, "sending…", copy result), kept as a function of
   * the translator so that it follows a language switch like every other string.
   */
  private declare status: ((t: ImluPetition['t']) => string) | undefined;
  private declare signedStatus: SignResponse['status'] | undefined;
  private declare commentLength: number;
  /** Tracked so the selection survives re-sorting the options when the language changes. */
  private declare county: string;

  private readonly i18n = new LocaleController(this);
  private readonly feed = new CountsController(this, () =>
    this.data ? { api: this.api, slug: this.campaign } : undefined,
  );
  private readonly internals: ElementInternals | undefined = this.attachInternals?.();
  /** The translator, as an arrow so that templates can destructure it. */
  private readonly t = <K extends MessageKey>(key: K) => this.i18n.t(key);
  /** Guards against a slow response for a previous campaign overwriting the current one. */
  private loadToken = 0;
  /** The key of the submission in progress, reused for as long as the same body is retried. */
  private pending: { body: string; key: string } | undefined;
  /** Automatic resends made so far for `pending` after network failures. */
  private retries = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.campaign = '';
    this.api = '';
    this.source = '';
    this.view = 'loading';
    this.errors = new Map();
    this.commentLength = 0;
    this.county = '';
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.retryTimer);
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('api') || changed.has('campaign')) void this.load();
  }

  private async load(): Promise<void> {
    const token = ++this.loadToken;
    const { api, campaign: slug } = this;
    this.view = 'loading';
    this.data = undefined;
    if (!api || !slug) return;
    let result: ApiResult<Campaign>;
    try {
      result = await request<Campaign>(endpoint(api, slug));
    } catch {
      if (token === this.loadToken) this.fail('load-error', 'network', 0);
      return;
    }
    if (token !== this.loadToken) return;
    if (!result.ok) {
      this.fail(result.status === 404 ? 'not-found' : 'load-error', result.problem.type, result.status);
      return;
    }
    this.data = result.data;
    countsFeed(api, slug).offer(result.data.counts);
    this.view = isClosed(result.data) ? 'closed' : 'ready';
  }

  private fail(view: View, type: string, status: number): void {
    this.view = view;
    this.emitError(type, status);
  }

  private emitError(type: string, status: number): void {
    this.dispatchEvent(new ImluErrorEvent({ campaign: this.campaign, type, status }));
  }

  /** Reads the form into a request body, or the errors the server would give for the required parts. */
  private readForm(form: HTMLFormElement): { body?: SignRequest; errors: FieldErrors } {
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? '').trim();
    const errors: FieldErrors = new Map();
    const [name, phone, email, county, comment] = ['name', 'phone', 'email', 'county', 'comment'].map(text);
    if (!name) errors.set('name', 'required');
    if (!phone && !email) errors.set('contact', 'contact_required');
    if (!data.has('terms')) errors.set('terms', 'consent_required');
    if (errors.size) return { errors };

    const source = (new URLSearchParams(location.search).get('source') || this.source).trim().slice(0, SOURCE_MAX);
    const body: SignRequest = {
      name: name!,
      consent: {
        terms: true,
        publicName: data.has('publicName'),
        shareWithTargets: data.has('shareWithTargets'),
        updates: data.has('updates'),
      },
      locale: this.i18n.locale,
    };
    if (phone) body.phone = phone;
    if (email) body.email = email;
    if (county) body.county = county as SignRequest['county'];
    if (comment) body.comment = comment;
    if (source) body.source = source;
    return { body, errors };
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    void this.submit();
  }

  private async submit(): Promise<void> {
    const form = this.renderRoot.querySelector('form');
    if (this.view !== 'ready' || !form) return;
    const { body, errors } = this.readForm(form);
    this.generalError = undefined;
    if (!body) return this.showErrors(errors);

    const json = JSON.stringify(body);
    // Same body as the attempt that failed (network, 5xx, 429): same key, so the API can't count it twice.
    if (json !== this.pending?.body) this.pending = { body: json, key: newIdempotencyKey() };
    this.errors = new Map();
    this.retries = 0;
    return this.send(this.pending);
  }

  /** Sends `pending` now: from the form, from a scheduled resend, or from "Send now". */
  private async send(pending: { body: string; key: string }): Promise<void> {
    clearTimeout(this.retryTimer);
    this.view = 'submitting';
    this.status = (t) => t('submittingStatus');

    let result: ApiResult<SignResponse>;
    try {
      result = await request<SignResponse>(endpoint(this.api, this.campaign, '/signatures'), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': pending.key },
        body: pending.body,
      });
    } catch {
      this.emitError('network', 0);
      // The request may have reached the API before the link dropped: resending with the same key is safe.
      const delay = RETRY_DELAYS[this.retries++];
      if (delay === undefined) return this.showGeneralError('networkError');
      this.view = 'retrying';
      this.status = (t) => t('retryingStatus')(formatNumber(this.i18n.locale, delay));
      this.retryTimer = setTimeout(() => void this.send(pending), delay * 1000);
      return this.moveFocus('#retry-now');
    }

    if (result.ok) {
      this.pending = undefined;
      this.status = undefined;
      this.signedStatus = result.data.status;
      this.view = 'signed';
      try {
        this.internals?.states.add('signed');
      } catch {
        // Browsers before the standard :state() syntax throw on a name without "--"; styling is optional.
      }
      this.dispatchEvent(new ImluSignedEvent({ campaign: this.campaign, status: result.data.status }));
      void countsFeed(this.api, this.campaign).refresh(true);
      return this.moveFocus('#thanks-heading');
    }

    const { problem } = result;
    this.emitError(problem.type, result.status);
    switch (problemName(problem.type)) {
      case 'validation': {
        const fieldErrors: FieldErrors = new Map();
        for (const error of problem.errors ?? []) {
          const field = fieldOf(error);
          if (field && !fieldErrors.has(field)) fieldErrors.set(field, isFieldErrorCode(error.code) ? error.code : 'invalid');
        }
        return fieldErrors.size ? this.showErrors(fieldErrors) : this.showGeneralError('serverError');
      }
      case 'campaign-closed':
        this.view = 'closed';
        return this.moveFocus('#closed-heading');
      case 'not-found':
        this.view = 'not-found';
        return this.moveFocus('.notice');
      case 'idempotency-conflict':
        this.pending = undefined;
        return this.showGeneralError('serverError');
      case 'rate-limited':
        return this.showGeneralError('rateLimited');
      case 'forbidden-origin':
        return this.showGeneralError('forbiddenOrigin');
      case 'payload-too-large':
        return this.showGeneralError('tooLarge');
      default:
        return this.showGeneralError('serverError');
    }
  }

  private showErrors(errors: FieldErrors): Promise<void> {
    this.view = 'ready';
    this.errors = errors;
    this.status = (t) => t('errorSummary')(errors.size);
    const first = FIELDS.find((field) => errors.has(field));
    return this.moveFocus(`#${first === 'contact' ? 'phone' : first}`);
  }

  private showGeneralError(error: GeneralError): Promise<void> {
    this.view = 'ready';
    this.status = undefined;
    this.generalError = error;
    return this.moveFocus('#retry');
  }

  private async moveFocus(selector: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  private async copyLink(): Promise<void> {
    try {
      await navigator.clipboard.writeText(shareUrl());
      this.status = (t) => t('copied');
    } catch {
      // No clipboard (plain-http page, old browser, permission denied): let the signer copy by hand.
      this.renderRoot.querySelector<HTMLInputElement>('#share-link')?.select();
      this.status = (t) => t('copyFailed');
    }
  }

  protected override render() {
    const locale = this.i18n.locale;
    return html`<div lang=${locale} aria-busy=${this.view === 'loading' ? 'true' : 'false'}>
      ${this.renderView(locale)}
    </div>`;
  }

  private renderView(locale: Locale): TemplateResult {
    const { t, data, view } = this;
    if (view === 'loading') {
      // Grey bars where the title, text and fields will be; the block reserves the form's height.
      return html`<div class="skeleton">
        <p class="visually-hidden">${t('loading')}</p>
        <div class="bone short"></div>
        <div class="bone"></div>
        <div class="bone big"></div>
        <div class="bone big"></div>
      </div>`;
    }
    if (view === 'load-error') {
      return html`<div class="alert" role="alert">
        <p>${t('loadFailed')}</p>
        <button type="button" class="secondary" @click=${() => void this.load()}>${t('retry')}</button>
      </div>`;
    }
    if (!data || view === 'not-found') return html`<p class="notice alert" tabindex="-1">${t('notFound')}</p>`;

    const demands = [...data.demands].sort((a, b) => a.position - b.position);
    return html`
      <h2>${data.title[locale]}</h2>
      <p>${data.summary[locale]}</p>
      ${this.renderProgress(locale)}
      ${demands.length
        ? html`<h3>${t('demandsHeading')}</h3>
            <ol>
              ${demands.map((demand) => html`<li>${demand.text[locale]}</li>`)}
            </ol>`
        : nothing}
      ${view === 'signed' ? this.renderThanks() : view === 'closed' ? this.renderClosed() : this.renderForm(locale)}
    `;
  }

  private renderProgress(locale: Locale) {
    const counts = this.feed.counts ?? this.data?.counts;
    if (!counts) return nothing;
    const count = formatNumber(locale, counts.signatures);
    const goal = counts.goal ?? this.data?.goal;
    // Without a goal there is nothing to progress toward: the count alone.
    return html`<div part="progress">
      ${goal
        ? html`<progress max=${goal} .value=${Math.min(counts.signatures, goal)} aria-labelledby="progress-text"></progress>`
        : nothing}
      <p part="counter" id="progress-text">
        ${goal ? this.t('progress')(count, formatNumber(locale, goal)) : this.t('signatures')(count, counts.signatures)}
      </p>
    </div>`;
  }

  private renderClosed() {
    return html`<section aria-labelledby="closed-heading">
      <h3 id="closed-heading" tabindex="-1">${this.t('closedHeading')}</h3>
      <p>${this.t('closedBody')}</p>
    </section>`;
  }

  private renderThanks() {
    const { t } = this;
    const url = shareUrl();
    const encoded = encodeURIComponent(url);
    // Plain links, no third-party script: nothing loads from these networks unless the signer clicks.
    const network = (name: string, href: string) =>
      html`<a href=${href + encoded} target="_blank" rel="noopener noreferrer">${name}</a>`;
    return html`<section part="thank-you" aria-labelledby="thanks-heading">
      <h3 id="thanks-heading" tabindex="-1">${t('thanksHeading')}</h3>
      <p>${t(this.signedStatus === 'counted' ? 'thanksCounted' : 'thanksPending')}</p>
      <slot name="thank-you"></slot>
      <h4>${t('shareHeading')}</h4>
      <p class="share">
        ${network('WhatsApp', 'https://wa.me/?text=')} ${network('X', 'https://x.com/intent/post?url=')}
        ${network('Facebook', 'https://www.facebook.com/sharer.php?u=')}
        ${'share' in navigator
          ? html`<button type="button" class="secondary" @click=${() => navigator.share({ url }).catch(() => {})}>
              ${t('shareNative')}
            </button>`
          : nothing}
      </p>
      <label for="share-link">${t('shareLinkLabel')}</label>
      <div class="share">
        <input id="share-link" readonly .value=${url} @focus=${(e: FocusEvent) => (e.target as HTMLInputElement).select()} />
        <button type="button" @click=${() => void this.copyLink()}>${t('copyLink')}</button>
      </div>
      <p class="status" role="status">${this.status?.(this.t)}</p>
    </section>`;
  }

  /** An error message under a label, and the attributes that tie it to its input. */
  private error(field: Field) {
    const code = this.errors.get(field);
    return code ? html`<p class="error" id="${field}-error">${fieldErrorMessage(this.i18n.locale, code)}</p>` : nothing;
  }

  /** The error ids that describe `field`: its own, and for phone and e-mail the shared contact error. */
  private errorIds(field: Field): string[] {
    const contact = (field === 'phone' || field === 'email') && this.errors.has('contact');
    return [this.errors.has(field) && `${field}-error`, contact && 'contact-error'].filter((id): id is string => !!id);
  }

  private described(field: Field, ...hints: string[]) {
    return [...hints, ...this.errorIds(field)].join(' ') || nothing;
  }

  private invalid(field: Field) {
    return this.errorIds(field).length ? 'true' : nothing;
  }

  private renderForm(locale: Locale) {
    const { t } = this;
    const submitting = this.view === 'submitting' || this.view === 'retrying';
    const optional = html` <span class="optional">${t('optional')}</span>`;
    const input = (field: 'name' | 'phone' | 'email', type: string, autocomplete: string, hint?: string) =>
      html`<input
        id=${field}
        name=${field}
        type=${type}
        autocomplete=${autocomplete}
        maxlength=${field === 'name' ? NAME_MAX : nothing}
        ?required=${field === 'name'}
        aria-invalid=${this.invalid(field)}
        aria-describedby=${hint ? this.described(field, hint) : this.described(field)}
      />`;

    return html`<form part="form" novalidate aria-labelledby="form-heading" aria-busy=${submitting ? 'true' : 'false'} @submit=${this.onSubmit}>
      <h3 id="form-heading">${t('formHeading')}</h3>
      <p class="status" role="status">${this.status?.(this.t)}</p>
      ${this.view === 'retrying'
        ? html`<button id="retry-now" type="button" class="secondary" @click=${() => void this.send(this.pending!)}>
            ${t('retryNow')}
          </button>`
        : nothing}
      ${this.generalError
        ? html`<div class="alert" role="alert">
            <p>${t(this.generalError)}</p>
            <button id="retry" type="button" class="secondary" @click=${() => void this.submit()}>${t('retry')}</button>
          </div>`
        : nothing}

      <div class="field">
        <label for="name">${t('nameLabel')}</label>
        ${this.error('name')} ${input('name', 'text', 'name')}
      </div>

      <fieldset aria-describedby=${this.described('contact', 'contact-hint')}>
        <legend>${t('contactLegend')}</legend>
        <p class="hint" id="contact-hint">${t('contactHint')}</p>
        ${this.error('contact')}
        <div class="field">
          <label for="phone">${t('phoneLabel')}</label>
          <p class="hint" id="phone-hint">${t('phoneHint')}</p>
          ${this.error('phone')} ${input('phone', 'tel', 'tel', 'phone-hint')}
        </div>
        <div class="field">
          <label for="email">${t('emailLabel')}</label>
          ${this.error('email')} ${input('email', 'email', 'email')}
        </div>
      </fieldset>

      <div class="field">
        <label for="county">${t('countyLabel')}${optional}</label>
        ${this.error('county')}
        <select
          id="county"
          name="county"
          aria-invalid=${this.invalid('county')}
          aria-describedby=${this.described('county')}
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
        ${this.error('comment')}
        <textarea
          id="comment"
          name="comment"
          rows="3"
          maxlength=${COMMENT_MAX}
          aria-invalid=${this.invalid('comment')}
          aria-describedby=${this.described('comment', 'comment-count')}
          @input=${(e: Event) => (this.commentLength = (e.target as HTMLTextAreaElement).value.length)}
        ></textarea>
        <p class="hint" id="comment-count">
          ${t('characters')(formatNumber(locale, this.commentLength), formatNumber(locale, COMMENT_MAX))}
        </p>
      </div>

      <fieldset>
        <legend>${t('consentLegend')}</legend>
        ${this.error('terms')}
        <div class="check">
          <input
            type="checkbox"
            id="terms"
            name="terms"
            required
            aria-invalid=${this.invalid('terms')}
            aria-describedby=${this.described('terms')}
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
