import { css, html, LitElement, nothing } from 'lit';
import { ApiError, consoleApi, type CampaignSummary, type Session } from './api.ts';
import { CampaignFigures } from './campaign-figures.ts';
import { confirmBox, copyInput, PARTS_STRINGS, partsStyles, shownOnce } from './parts.ts';
import { STRINGS, type Locale } from './strings.ts';
import { SCOPES, tokensApi, WEBHOOK_EVENTS, type Scope, type TokenInfo, type WebhookEvent, type WebhookInfo } from './tokens.api.ts';
import { TOKENS_STRINGS, type TokensStrings } from './tokens.strings.ts';

/** A value shown once (a new token, a webhook's secret), with what it is. */
interface Secret {
  label: string;
  value: string;
}

/** Something waiting for a "yes" before it happens. */
interface Pending {
  question: string;
  yes: string;
  run: (csrf: string) => Promise<void>;
}

type Form = 'token' | 'webhook';

/**
 * @tagname imlu-console-tokens
 * @summary The console's "API tokens and webhooks" view: create a token with chosen scopes (shown once),
 * list and revoke tokens (`tokens:admin`); add, list and remove a campaign's webhooks (`webhooks:write`).
 *
 * A token's value and a webhook's secret appear once, in the answer that made them, and are never kept by
 * the console: "I have kept it" removes them from the page.
 */
export class ImluConsoleTokens extends LitElement {
  static override styles = [
    CampaignFigures.styles,
    partsStyles,
    css`
      fieldset {
        border: 1px solid #ccc;
        border-radius: 4px;
        margin: 0 0 0.5rem;
        padding: 0.5rem 0.75rem;
      }
      legend {
        font-weight: 600;
      }
      .check {
        display: flex;
        gap: 0.5rem;
        align-items: flex-start;
        margin: 0.35rem 0;
        font-weight: 400;
      }
      .check input {
        width: 1.25rem;
        height: 1.25rem;
        margin: 0.1rem 0 0;
        flex: none;
      }
      td code,
      td {
        word-break: break-word;
      }
    `,
  ];

  static override properties = {
    locale: {},
    session: { attribute: false },
    _tokens: { state: true },
    _campaigns: { state: true },
    _slug: { state: true },
    _webhooks: { state: true },
    _secret: { state: true },
    _pending: { state: true },
    _errors: { state: true },
    _errorForm: { state: true },
    _notice: { state: true },
    _error: { state: true },
    _busy: { state: true },
  };

  declare locale: Locale;
  declare session: Session | undefined;
  declare _tokens: TokenInfo[] | undefined;
  declare _campaigns: CampaignSummary[] | undefined;
  declare _slug: string;
  declare _webhooks: WebhookInfo[] | undefined;
  declare _secret: Secret | undefined;
  declare _pending: Pending | undefined;
  /** Field errors of the last failed form, by field: `name`, `scopes`, `url`, `events`. */
  declare _errors: Record<string, string>;
  declare _errorForm: Form | undefined;
  declare _notice: string;
  declare _error: string;
  declare _busy: boolean;

  constructor() {
    super();
    this.locale = 'en';
    this.session = undefined;
    this._tokens = undefined;
    this._campaigns = undefined;
    this._slug = '';
    this._webhooks = undefined;
    this._secret = undefined;
    this._pending = undefined;
    this._errors = {};
    this._errorForm = undefined;
    this._notice = '';
    this._error = '';
    this._busy = false;
  }

  get #t(): TokensStrings {
    return TOKENS_STRINGS[this.locale];
  }

  #holds(scope: Scope): boolean {
    return this.session?.scopes.includes(scope) ?? false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.#holds('tokens:admin')) void this.#loadTokens();
    if (this.#holds('webhooks:write')) void this.#loadCampaigns();
  }

  async #loadTokens(): Promise<void> {
    try {
      this._tokens = await tokensApi.tokens();
    } catch {
      this._error = STRINGS[this.locale].error;
    }
  }

  async #loadCampaigns(): Promise<void> {
    try {
      this._campaigns = await consoleApi.campaigns();
      const first = this._campaigns.find((c) => c.status === 'open') ?? this._campaigns[0];
      if (first) await this.#choose(first.slug);
    } catch {
      this._error = STRINGS[this.locale].error;
    }
  }

  async #choose(slug: string): Promise<void> {
    this._slug = slug;
    this._webhooks = undefined;
    try {
      const webhooks = await tokensApi.webhooks(slug);
      if (this._slug === slug) this._webhooks = webhooks;
    } catch {
      this._error = STRINGS[this.locale].error;
    }
  }

  #when(at: string): string {
    return new Intl.DateTimeFormat(this.locale === 'sw' ? 'sw-KE' : 'en-KE', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Africa/Nairobi' }).format(new Date(at));
  }

  /** Runs a change; a 422 becomes field errors on `form`, anything else one message. */
  async #change(form: Form | undefined, task: (csrf: string) => Promise<void>, fields: (error: ApiError) => Record<string, string> = () => ({})): Promise<boolean> {
    const csrf = this.session?.csrfToken;
    if (!csrf) return false;
    this._busy = true;
    this._error = '';
    this._notice = '';
    this._errors = {};
    this._errorForm = undefined;
    try {
      await task(csrf);
      return true;
    } catch (error) {
      const found = error instanceof ApiError && error.status === 422 ? fields(error) : {};
      if (form && Object.keys(found).length) {
        this._errors = found;
        this._errorForm = form;
        void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#${form}-errors`)?.focus());
      } else {
        this._error = STRINGS[this.locale].error;
      }
      return false;
    } finally {
      this._busy = false;
    }
  }

  async #createToken(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const formElement = event.target as HTMLFormElement;
    const data = new FormData(formElement);
    const name = String(data.get('name') ?? '').trim();
    const scopes = data.getAll('scope').map(String) as Scope[];
    const t = this.#t;
    // Said here at once rather than after a round trip; the API checks the same again.
    const local: Record<string, string> = {};
    if (!name) local['name'] = t.fieldErrors.required;
    if (!scopes.length) local['scopes'] = t.fieldErrors.scopes;
    if (Object.keys(local).length) {
      this._errors = local;
      this._errorForm = 'token';
      this._notice = '';
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#token-errors')?.focus());
      return;
    }
    await this.#change(
      'token',
      async (csrf) => {
        const created = await tokensApi.createToken(csrf, name, scopes);
        formElement.reset();
        this._secret = { label: t.tokenLabel, value: created.token };
        this._notice = t.createdNotice(created.name);
        await this.#loadTokens();
      },
      (error) => ({
        ...(error.field('name') ? { name: error.field('name')!.code === 'too_long' ? t.fieldErrors.too_long : t.fieldErrors.invalid } : {}),
        ...(error.errors.some((e) => e.path.startsWith('scopes')) ? { scopes: t.fieldErrors.scopes } : {}),
      }),
    );
  }

  async #addWebhook(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const formElement = event.target as HTMLFormElement;
    const data = new FormData(formElement);
    const url = String(data.get('url') ?? '').trim();
    const events = data.getAll('event').map(String) as WebhookEvent[];
    const t = this.#t;
    const local: Record<string, string> = {};
    if (!url) local['url'] = t.fieldErrors.required;
    if (!events.length) local['events'] = t.fieldErrors.events;
    if (Object.keys(local).length) {
      this._errors = local;
      this._errorForm = 'webhook';
      this._notice = '';
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#webhook-errors')?.focus());
      return;
    }
    const slug = this._slug;
    await this.#change(
      'webhook',
      async (csrf) => {
        const created = await tokensApi.createWebhook(csrf, slug, url, events);
        formElement.reset();
        this._secret = { label: t.secretLabel, value: created.secret };
        this._notice = t.addedNotice;
        await this.#choose(slug);
      },
      (error) => ({
        ...(error.field('url') ? { url: t.fieldErrors.url } : {}),
        ...(error.errors.some((e) => e.path.startsWith('events')) ? { events: t.fieldErrors.events } : {}),
      }),
    );
  }

  #ask(pending: Pending): void {
    this._pending = pending;
    this._notice = '';
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#confirm-question')?.focus());
  }

  async #confirm(): Promise<void> {
    const pending = this._pending;
    if (!pending) return;
    const done = await this.#change(undefined, pending.run);
    if (done) this._pending = undefined;
  }

  #revoke(token: TokenInfo): void {
    const t = this.#t;
    this.#ask({
      question: t.revokeConfirm(token.name),
      yes: t.revokeYes,
      run: async (csrf) => {
        await tokensApi.revokeToken(csrf, token.id);
        this._notice = t.revokedNotice(token.name);
        await this.#loadTokens();
      },
    });
  }

  #remove(webhook: WebhookInfo): void {
    const t = this.#t;
    const slug = this._slug;
    this.#ask({
      question: t.removeConfirm(webhook.url),
      yes: t.removeYes,
      run: async (csrf) => {
        await tokensApi.deleteWebhook(csrf, webhook.id);
        this._notice = t.removedNotice;
        await this.#choose(slug);
      },
    });
  }

  async #copy(): Promise<void> {
    this._notice = await copyInput(this.renderRoot.querySelector<HTMLInputElement>('#secret-value'), this.locale);
  }

  protected override render() {
    const t = this.#t;
    return html`
      <p class="error" role="alert">${this._error}</p>
      <p role="status">${this._notice}</p>
      ${this._secret ? this.#secret(this._secret) : nothing}
      ${this._pending ? this.#confirmBox(this._pending) : nothing}
      ${this.#holds('tokens:admin') ? this.#tokensSection(t) : nothing}
      ${this.#holds('webhooks:write') ? this.#webhooksSection(t) : nothing}
    `;
  }

  #secret(secret: Secret) {
    return shownOnce(this.locale, {
      id: 'secret-value',
      label: secret.label,
      value: secret.value,
      hint: this.#t.shownOnce,
      onCopy: () => void this.#copy(),
      onKept: () => (this._secret = undefined),
    });
  }

  #confirmBox(pending: Pending) {
    return confirmBox(this.locale, {
      question: pending.question,
      yes: pending.yes,
      busy: this._busy,
      onYes: () => void this.#confirm(),
      onCancel: () => (this._pending = undefined),
    });
  }

  #summary(form: Form, labels: Record<string, string>) {
    if (this._errorForm !== form) return nothing;
    return html`<div id="${form}-errors" tabindex="-1" role="alert">
      <p class="error">${PARTS_STRINGS[this.locale].fixThese}</p>
      <ul>
        ${Object.entries(this._errors).map(([field, message]) => html`<li><a href="#${form}-${field}" @click=${(e: Event) => this.#focusField(e, `${form}-${field}`)}>${labels[field] ?? field}: ${message}</a></li>`)}
      </ul>
    </div>`;
  }

  #focusField(event: Event, id: string): void {
    // In a shadow root a fragment link cannot reach the field: focus it here.
    event.preventDefault();
    this.renderRoot.querySelector<HTMLElement>(`#${id}`)?.focus();
  }

  #fieldError(form: Form, field: string) {
    const message = this._errorForm === form ? this._errors[field] : undefined;
    return message ? html`<p class="field-error" id="${form}-${field}-error">${message}</p>` : nothing;
  }

  #describedBy(form: Form, field: string, hint: string): string {
    return this._errorForm === form && this._errors[field] ? `${hint} ${form}-${field}-error` : hint;
  }

  #tokensSection(t: TokensStrings) {
    const held = SCOPES.filter((scope) => this.#holds(scope));
    return html`
      <section aria-labelledby="tokens-title">
        <h2 id="tokens-title">${t.tokensTitle}</h2>
        <p class="hint">${t.tokensIntro}</p>
        ${this._tokens === undefined ? html`<p>${STRINGS[this.locale].loading}</p>` : this.#tokenTable(t, this._tokens)}
        <form @submit=${this.#createToken} novalidate aria-labelledby="new-token-title">
          <h3 id="new-token-title">${t.newToken}</h3>
          ${this.#summary('token', { name: t.name, scopes: t.scopes })}
          <label for="token-name">${t.name}</label>
          ${this.#fieldError('token', 'name')}
          <input
            id="token-name"
            name="name"
            maxlength="100"
            required
            aria-invalid=${this._errorForm === 'token' && this._errors['name'] ? 'true' : 'false'}
            aria-describedby=${this.#describedBy('token', 'name', 'token-name-hint')}
          />
          <p class="hint" id="token-name-hint">${t.nameHint}</p>
          <fieldset id="token-scopes" tabindex="-1" aria-describedby=${this.#describedBy('token', 'scopes', 'token-scopes-hint')}>
            <legend>${t.scopes}</legend>
            <p class="hint" id="token-scopes-hint">${t.scopesHint}</p>
            ${this.#fieldError('token', 'scopes')}
            ${held.map(
              (scope) => html`<label class="check"
                ><input type="checkbox" name="scope" value=${scope} /><span>${t.scopeNames[scope]} <code>${scope}</code></span></label
              >`,
            )}
          </fieldset>
          <p><button class="primary" type="submit" ?disabled=${this._busy}>${t.create}</button></p>
        </form>
      </section>
    `;
  }

  #tokenTable(t: TokensStrings, tokens: TokenInfo[]) {
    if (!tokens.length) return html`<p>${t.noTokens}</p>`;
    return html`<div class="table" role="group" aria-labelledby="tokens-title" tabindex="0">
      <table>
        <thead>
          <tr>
            <th scope="col">${t.name}</th>
            <th scope="col">${t.scopes}</th>
            <th scope="col">${t.createdBy}</th>
            <th scope="col">${t.lastUsed}</th>
            <th scope="col">${t.state}</th>
          </tr>
        </thead>
        <tbody>
          ${tokens.map(
            (token) => html`<tr data-token=${token.id}>
              <th scope="row">${token.name}<br /><span class="hint">${t.created} ${this.#when(token.createdAt)}</span></th>
              <td>${token.scopes.map((scope) => html`<code>${scope}</code> `)}</td>
              <td>${token.createdBy}</td>
              <td>${token.lastUsedAt ? this.#when(token.lastUsedAt) : t.never}</td>
              <td>
                ${token.revokedAt
                  ? t.revoked(this.#when(token.revokedAt))
                  : html`${t.active}
                      <button class="secondary" type="button" aria-label="${t.revoke}: ${token.name}" @click=${() => this.#revoke(token)}>${t.revoke}</button>`}
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  #webhooksSection(t: TokensStrings) {
    return html`
      <section aria-labelledby="webhooks-title">
        <h2 id="webhooks-title">${t.webhooksTitle}</h2>
        <p class="hint">${t.webhooksIntro}</p>
        ${this._campaigns === undefined
          ? html`<p>${STRINGS[this.locale].loading}</p>`
          : !this._campaigns.length
            ? html`<p>${t.noCampaigns}</p>`
            : html`
                <label for="webhook-campaign">${t.campaign}</label>
                <select id="webhook-campaign" @change=${(event: Event) => void this.#choose((event.target as HTMLSelectElement).value)}>
                  ${this._campaigns.map((c) => html`<option value=${c.slug} ?selected=${c.slug === this._slug}>${c.title[this.locale]}</option>`)}
                </select>
                ${this._webhooks === undefined ? html`<p>${STRINGS[this.locale].loading}</p>` : this.#webhookTable(t, this._webhooks)} ${this.#webhookForm(t)}
              `}
      </section>
    `;
  }

  #webhookTable(t: TokensStrings, webhooks: WebhookInfo[]) {
    if (!webhooks.length) return html`<p>${t.noWebhooks}</p>`;
    return html`<div class="table" role="group" aria-labelledby="webhooks-title" tabindex="0">
      <table>
        <thead>
          <tr>
            <th scope="col">${t.url}</th>
            <th scope="col">${t.events}</th>
            <th scope="col">${t.created}</th>
            <th scope="col"><span class="hint">${t.remove}</span></th>
          </tr>
        </thead>
        <tbody>
          ${webhooks.map(
            (webhook) => html`<tr data-webhook=${webhook.id}>
              <th scope="row"><code>${webhook.url}</code></th>
              <td>${webhook.events.map((event) => t.eventNames[event]).join('; ')}</td>
              <td>${this.#when(webhook.createdAt)}</td>
              <td>
                <button class="secondary" type="button" aria-label="${t.remove}: ${webhook.url}" @click=${() => this.#remove(webhook)}>${t.remove}</button>
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  #webhookForm(t: TokensStrings) {
    return html`<form @submit=${this.#addWebhook} novalidate aria-labelledby="new-webhook-title">
      <h3 id="new-webhook-title">${t.newWebhook}</h3>
      ${this.#summary('webhook', { url: t.url, events: t.events })}
      <label for="webhook-url">${t.url}</label>
      ${this.#fieldError('webhook', 'url')}
      <input
        id="webhook-url"
        name="url"
        type="url"
        inputmode="url"
        maxlength="2000"
        required
        aria-invalid=${this._errorForm === 'webhook' && this._errors['url'] ? 'true' : 'false'}
        aria-describedby=${this.#describedBy('webhook', 'url', 'webhook-url-hint')}
      />
      <p class="hint" id="webhook-url-hint">${t.urlHint}</p>
      <fieldset id="webhook-events" tabindex="-1">
        <legend>${t.events}</legend>
        ${this.#fieldError('webhook', 'events')}
        ${WEBHOOK_EVENTS.map(
          (event) => html`<label class="check"
            ><input type="checkbox" name="event" value=${event} ?checked=${event === 'signature.confirmed'} /><span>${t.eventNames[event]}</span></label
          >`,
        )}
      </fieldset>
      <p><button class="primary" type="submit" ?disabled=${this._busy}>${t.add}</button></p>
    </form>`;
  }
}
