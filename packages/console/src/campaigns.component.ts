import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { ApiError, type Session } from './api.ts';
import { campaignsApi, type CampaignDocument, type CampaignSummary, type FieldProblem } from './campaigns.api.ts';
import {
  CAMPAIGNS_STRINGS,
  type CampaignsStrings,
  type ChallengeMode,
  type FieldLabels,
  type RateLimitKey,
  type UpdateEvent,
  type Verification,
} from './campaigns.strings.ts';
import { STRINGS, type Locale } from './strings.ts';
import { controls } from './styles.ts';

const KINDS = ['petition', 'pledge'] as const;
const STATUSES = ['draft', 'open', 'closed'] as const;
const VERIFICATIONS: readonly Verification[] = ['either', 'email', 'sms', 'none'];
const CHALLENGES: readonly ChallengeMode[] = ['none', 'altcha'];
const RATE_LIMITS: readonly RateLimitKey[] = ['ipBurst', 'ipWindow', 'domainBurst', 'domainWindow'];
const UPDATE_EVENTS: readonly UpdateEvent[] = ['position', 'milestone', 'closed'];
const LOCALES = ['en', 'sw'] as const;
/** The longest text the document takes per field (api/src/campaigns/input.ts). */
const TEXT_MAX: Partial<Record<string, number>> = { title: 200, summary: 1000, body: 20_000, demands: 2000 };
/** Nairobi keeps UTC+3 all year: the form's dates and times are Nairobi's. */
const NAIROBI_OFFSET_MS = 3 * 3600_000;

/** What a new campaign starts with: the document's own defaults. */
function newDocument(): CampaignDocument {
  return {
    slug: '',
    kind: 'petition',
    status: 'draft',
    title: { en: '', sw: '' },
    summary: { en: '', sw: '' },
    body: { en: '', sw: '' },
    goal: null,
    opensAt: null,
    closesAt: null,
    verification: 'either',
    challenge: 'none',
    rateLimits: null,
    phoneHousehold: 2,
    retentionDays: 180,
    updates: { events: [], link: null },
    consentVersion: 'v1',
    demands: [],
    actions: [],
    senderOrganisation: null,
    senderContact: null,
  };
}

/** `2027-06-30T21:00:00.000Z` → `2027-07-01T00:00` (Nairobi), for a datetime-local input. */
function toNairobi(iso: string | null): string {
  return iso === null ? '' : new Date(Date.parse(iso) + NAIROBI_OFFSET_MS).toISOString().slice(0, 16);
}

/** A datetime-local value (Nairobi) as the document's ISO time with its offset; empty is none. */
function fromNairobi(value: string): string | null {
  return value ? `${value}:00+03:00` : null;
}

/** The id of the input a field error's path belongs to: `title.sw` → `title-sw`. */
function inputId(path: string): string {
  const parts = path.split('.');
  return parts[0] === 'updates' && parts[1] === 'events' ? 'updates-events' : parts.join('-');
}

/**
 * @tagname imlu-console-campaigns
 * @summary The console's "Campaigns" view: the campaigns (title in the staff member's language, kind,
 * status, counted), and a form to create or edit one — every field of the campaign document `imlu campaign
 * apply` reads, texts in English and Kiswahili side by side — with the API's field errors next to their
 * inputs, a preview of the saved campaign's widget in both languages, and its embed snippet.
 *
 * Saving sends the whole document (POST to create, PUT to update); fields the form does not show (a
 * pledge's actions) go back as they came. Without `campaigns:write` the form is read-only and has no save.
 */
export class ImluConsoleCampaigns extends LitElement {
  static override styles = [
    controls,
    css`
      :host {
        display: block;
      }
      *,
      *::before,
      *::after {
        box-sizing: border-box;
      }
      h2 {
        font-size: 1.15rem;
        margin: 1.5rem 0 0.5rem;
      }
      h3 {
        font-size: 1.05rem;
        margin: 1.5rem 0 0.5rem;
      }
      ul.campaigns {
        list-style: none;
        padding: 0;
        margin: 1rem 0 0;
        display: grid;
        gap: 0.75rem;
      }
      ul.campaigns li {
        border: 1px solid #ccc;
        border-radius: 4px;
        padding: 0.6rem 0.8rem;
      }
      ul.campaigns h3 {
        margin: 0 0 0.25rem;
        overflow-wrap: anywhere;
      }
      dl {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 0.1rem 1rem;
        margin: 0 0 0.5rem;
      }
      dt {
        font-weight: 600;
      }
      dd {
        margin: 0;
      }
      fieldset {
        border: 1px solid #bbb;
        border-radius: 4px;
        margin: 0.75rem 0;
        padding: 0.5rem 0.75rem 0.75rem;
        min-width: 0;
      }
      fieldset.all {
        border: 0;
        padding: 0;
        margin: 0;
      }
      legend {
        font-weight: 600;
        padding: 0 0.25rem;
      }
      .field {
        margin: 0.75rem 0;
      }
      label {
        display: block;
        font-weight: 600;
        margin-bottom: 0.25rem;
      }
      .check label {
        display: flex;
        gap: 0.5rem;
        align-items: center;
        font-weight: 400;
        min-height: 2rem;
      }
      input,
      select,
      textarea {
        font: inherit;
        width: 100%;
        padding: 0.5rem;
        border: 1px solid #555;
        border-radius: 4px;
        background: #fff;
        color: #1a1a1a;
      }
      .check input {
        width: 1.5rem;
        height: 1.5rem;
        flex: none;
      }
      select {
        min-height: 2.75rem;
      }
      textarea {
        min-height: 5rem;
        resize: vertical;
      }
      textarea.long {
        min-height: 10rem;
      }
      [aria-invalid='true'] {
        border: 2px solid #a4000f;
      }
      .pair {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr));
        gap: 0 1rem;
      }
      .pair .field {
        margin: 0.25rem 0;
      }
      .error {
        margin: 0.25rem 0 0;
      }
      .summary {
        border: 3px solid #a4000f;
        border-radius: 4px;
        padding: 0.5rem 0.75rem;
        margin: 1rem 0;
      }
      .summary h3 {
        margin: 0 0 0.5rem;
      }
      .summary ul {
        margin: 0;
        padding-left: 1.25rem;
      }
      .summary button.link {
        display: block;
        border: 0;
        padding: 0.25rem 0;
        min-height: 2rem;
        text-align: left;
        text-decoration: underline;
        color: #a4000f;
      }
      .warning {
        border-left: 4px solid #b35c00;
        padding-left: 0.75rem;
      }
      .notice {
        border-left: 4px solid #0b4f33;
        padding-left: 0.75rem;
      }
      .notice:empty {
        border: 0;
        padding: 0;
        margin: 0;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1rem;
        align-items: center;
        margin: 0.75rem 0;
      }
      .frames {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr));
        gap: 1rem;
      }
      iframe {
        width: 100%;
        height: 46rem;
        border: 1px solid #999;
        border-radius: 4px;
      }
      pre {
        margin: 0.5rem 0;
        padding: 0.5rem;
        background: #f3f3f3;
        border: 1px solid #ccc;
        border-radius: 4px;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        font-size: 0.85rem;
      }
      a {
        color: #0b4f33;
      }
      code.slug {
        overflow-wrap: anywhere;
      }
    `,
  ];

  static override properties = {
    locale: {},
    session: { attribute: false },
    _campaigns: { state: true },
    _failed: { state: true },
    _doc: { state: true },
    _isNew: { state: true },
    _demands: { state: true },
    _verification: { state: true },
    _errors: { state: true },
    _notice: { state: true },
    _alert: { state: true },
    _busy: { state: true },
    _copy: { state: true },
  };

  declare locale: Locale;
  declare session: Session | undefined;
  declare _campaigns: CampaignSummary[] | undefined;
  declare _failed: boolean;
  /** The campaign in the form, as it was loaded (or a new one's defaults); undefined: the list shows. */
  declare _doc: CampaignDocument | undefined;
  declare _isNew: boolean;
  declare _demands: { en: string; sw: string }[];
  declare _verification: Verification;
  declare _errors: FieldProblem[];
  /** A result to announce, in whichever language is current when it shows. */
  declare _notice: ((locale: Locale) => string) | undefined;
  declare _alert: ((locale: Locale) => string) | undefined;
  declare _busy: boolean;
  declare _copy: 'copied' | 'selected' | undefined;

  constructor() {
    super();
    this.locale = 'en';
    this.session = undefined;
    this._campaigns = undefined;
    this._failed = false;
    this._doc = undefined;
    this._isNew = false;
    this._demands = [];
    this._verification = 'either';
    this._errors = [];
    this._notice = undefined;
    this._alert = undefined;
    this._busy = false;
    this._copy = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#loadList();
  }

  get #t(): CampaignsStrings {
    return CAMPAIGNS_STRINGS[this.locale];
  }

  get #canWrite(): boolean {
    return this.session?.scopes.includes('campaigns:write') ?? false;
  }

  async #loadList(): Promise<void> {
    try {
      this._campaigns = await campaignsApi.list();
      this._failed = false;
    } catch {
      this._failed = true;
    }
  }

  #focus(selector: string): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(selector)?.focus());
  }

  #openForm(document: CampaignDocument, isNew: boolean): void {
    this._doc = document;
    this._isNew = isNew;
    this._demands = document.demands.map((d) => ({ ...d }));
    this._verification = document.verification;
    this._errors = [];
    this._notice = undefined;
    this._alert = undefined;
    this._copy = undefined;
    this.#focus('#form-title');
  }

  async #edit(slug: string): Promise<void> {
    this._busy = true;
    this._alert = undefined;
    try {
      this.#openForm(await campaignsApi.get(slug), false);
    } catch {
      this._alert = (locale) => STRINGS[locale].error;
    } finally {
      this._busy = false;
    }
  }

  #backToList(): void {
    this._doc = undefined;
    this._errors = [];
    this._alert = undefined;
    this.#focus('#list-title');
  }

  /** The document the form describes: the loaded one, with every field the form shows read from it. */
  #documentFrom(form: HTMLFormElement): CampaignDocument {
    const base = this._doc!;
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? '');
    const both = (name: string) => ({ en: text(`${name}-en`), sw: text(`${name}-sw`) });
    // An empty number is null: optional ones (goal) take it, the others answer with a field error.
    const number = (name: string) => (text(name).trim() === '' ? null : Number(text(name)));
    const rateLimits: Partial<Record<RateLimitKey, number | null>> = {};
    for (const key of RATE_LIMITS) {
      const value = number(`rateLimits-${key}`);
      // Empty is the server's limit; a limit turned off (null, set with the command line) stays off.
      if (value !== null) rateLimits[key] = value;
      else if (base.rateLimits?.[key] === null) rateLimits[key] = null;
    }
    return {
      ...base,
      slug: this._isNew ? text('slug').trim() : base.slug,
      kind: text('kind') as CampaignDocument['kind'],
      status: text('status') as CampaignDocument['status'],
      title: both('title'),
      summary: both('summary'),
      body: both('body'),
      demands: this._demands.map((d) => ({ ...d })),
      goal: number('goal'),
      opensAt: fromNairobi(text('opensAt')),
      closesAt: fromNairobi(text('closesAt')),
      verification: text('verification') as Verification,
      challenge: text('challenge') as ChallengeMode,
      rateLimits: Object.keys(rateLimits).length ? rateLimits : null,
      phoneHousehold: number('phoneHousehold') as number,
      retentionDays: number('retentionDays') as number,
      updates: { events: UPDATE_EVENTS.filter((e) => data.getAll('updates-events').includes(e)), link: text('updates-link').trim() || null },
      consentVersion: text('consentVersion'),
      senderOrganisation: text('senderOrganisation').trim() || null,
      senderContact: text('senderContact').trim() || null,
    };
  }

  async #save(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const csrf = this.session?.csrfToken;
    if (!csrf || !this._doc || this._busy) return;
    const document = this.#documentFrom(event.target as HTMLFormElement);
    this._busy = true;
    this._errors = [];
    this._alert = undefined;
    try {
      const result = this._isNew ? await campaignsApi.create(document, csrf) : await campaignsApi.update(document, csrf);
      const t = (locale: Locale) => CAMPAIGNS_STRINGS[locale];
      this._notice = this._isNew
        ? (locale) => t(locale).created(document.title[locale].trim())
        : result.changed.length
          ? (locale) => t(locale).saved(document.title[locale].trim())
          : (locale) => t(locale).unchanged;
      await this.#loadList();
      this.#backToList();
    } catch (error) {
      if (error instanceof ApiError && error.status === 422 && error.errors.length) {
        this._errors = [...error.errors];
        this.#focus('#error-summary');
      } else if (error instanceof ApiError && error.status === 403) {
        this._alert = (locale) => CAMPAIGNS_STRINGS[locale].forbidden;
      } else {
        this._alert = (locale) => STRINGS[locale].error;
      }
    } finally {
      this._busy = false;
    }
  }

  async #copySnippet(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.#snippet(this._doc!.slug));
      this._copy = 'copied';
    } catch {
      // No clipboard (permission refused, an older browser): select the code so the staff member copies it.
      const code = this.renderRoot.querySelector('#snippet');
      if (code) getSelection()?.selectAllChildren(code);
      this._copy = 'selected';
    }
  }

  /** The snippet a partner pastes: the one in README.md and docs/embedding.md, for this server. */
  #snippet(slug: string): string {
    const origin = location.origin;
    return `<script type="module" src="${origin}/embed.js"></script>\n<imlu-petition campaign="${slug}" api="${origin}"></imlu-petition>`;
  }

  /** The message of a field error, in the staff member's language. */
  #message(problem: FieldProblem): string {
    const t = this.#t;
    const top = problem.path.split('.')[0]!;
    if (['invalid', 'too_short', 'too_long', 'invalid_type', 'required'].includes(problem.code)) {
      const max = TEXT_MAX[top];
      if (max) return t.textInvalid(max);
      const specific = t.invalidAt[problem.path] ?? t.invalidAt[top];
      if (specific) return specific;
    }
    return t.codes[problem.code as keyof CampaignsStrings['codes']] ?? t.codes.invalid;
  }

  /** The name of the field a path points at, for the error summary. */
  #label(path: string): string {
    const t = this.#t;
    const parts = path.split('.');
    const top = parts[0] as keyof FieldLabels;
    const language = parts.find((p): p is Locale => p === 'en' || p === 'sw');
    let name: string = t.fields[top] ?? path;
    if (top === 'demands' && parts[1] !== undefined && /^\d+$/.test(parts[1])) name = t.demand(Number(parts[1]) + 1);
    if (top === 'rateLimits' && parts[1]) name = `${t.fields.rateLimits}: ${t.rateLimitLabels[parts[1] as RateLimitKey] ?? parts[1]}`;
    if (path === 'updates.link') name = t.updatesLink;
    return language ? `${name} (${t.languages[language]})` : name;
  }

  #errorsAt(id: string): FieldProblem[] {
    return this._errors.filter((e) => inputId(e.path) === id);
  }

  /** The error lines under an input, and the attributes that tie them to it. */
  #errorLines(id: string): TemplateResult | typeof nothing {
    const errors = this.#errorsAt(id);
    return errors.length ? html`<p class="error" id=${`${id}-error`}>${errors.map((e) => this.#message(e)).join(' ')}</p>` : nothing;
  }

  #describedBy(id: string, hint: boolean): string | typeof nothing {
    const ids = [...(hint ? [`${id}-hint`] : []), ...(this.#errorsAt(id).length ? [`${id}-error`] : [])];
    return ids.length ? ids.join(' ') : nothing;
  }

  #invalid(id: string): 'true' | typeof nothing {
    return this.#errorsAt(id).length ? 'true' : nothing;
  }

  protected override render() {
    const strings = STRINGS[this.locale];
    if (this._failed) return html`<p class="error" role="alert">${strings.error}</p>`;
    if (!this._campaigns) return html`<p role="status">${strings.loading}</p>`;
    return html`
      <p class="notice" role="status">${this._notice?.(this.locale) ?? ''}</p>
      ${this._doc ? this.#form(this._doc) : this.#list(this._campaigns)}
      <p class="error" role="alert">${this._alert?.(this.locale) ?? ''}</p>
    `;
  }

  #list(campaigns: CampaignSummary[]) {
    const t = this.#t;
    const numbers = new Intl.NumberFormat(this.locale === 'sw' ? 'sw-KE' : 'en-KE');
    return html`
      <h2 id="list-title" tabindex="-1">${t.listTitle}</h2>
      ${this.#canWrite
        ? html`<button class="primary" type="button" @click=${() => this.#openForm(newDocument(), true)}>${t.newCampaign}</button>`
        : html`<p class="hint">${t.readOnly}</p>`}
      ${campaigns.length
        ? html`<ul class="campaigns">
            ${campaigns.map(
              (c, index) => html`<li data-slug=${c.slug}>
                <h3 id=${`campaign-${index}`} lang=${this.locale}>${c.title[this.locale]}</h3>
                <dl>
                  <dt>${t.kind}</dt>
                  <dd data-field="kind">${t.kinds[c.kind as 'petition'] ?? c.kind}</dd>
                  <dt>${t.status}</dt>
                  <dd data-field="status">${t.statuses[c.status as 'open'] ?? c.status}</dd>
                  <dt>${t.counted}</dt>
                  <dd data-field="counted">${numbers.format(c.counted)}</dd>
                </dl>
                <button class="secondary" type="button" aria-describedby=${`campaign-${index}`} ?disabled=${this._busy} @click=${() => this.#edit(c.slug)}>
                  ${this.#canWrite ? t.edit : t.view}
                </button>
              </li>`,
            )}
          </ul>`
        : html`<p>${t.none}</p>`}
    `;
  }

  #form(doc: CampaignDocument) {
    const t = this.#t;
    const canWrite = this.#canWrite;
    const heading = this._isNew ? t.newTitle : (canWrite ? t.editTitle : t.viewTitle)(doc.title[this.locale]);
    return html`
      <h2 id="form-title" tabindex="-1">${heading}</h2>
      <button class="secondary" type="button" @click=${() => this.#backToList()}>${t.backToList}</button>
      ${canWrite ? nothing : html`<p class="hint">${t.readOnly}</p>`}
      ${this._errors.length ? this.#summary() : nothing}
      <form novalidate @submit=${this.#save}>
        <fieldset class="all" ?disabled=${!canWrite}>
          <h3>${t.about}</h3>
          ${this._isNew
            ? this.#input('slug', t.fields.slug, html`<input id="slug" name="slug" autocomplete="off" spellcheck="false" maxlength="80" aria-describedby=${this.#describedBy('slug', true)} aria-invalid=${this.#invalid('slug')} .value=${doc.slug} />`, t.slugHint)
            : html`<p>${t.fields.slug}: <code class="slug">${doc.slug}</code> <span class="hint">${t.slugFixed}</span></p>`}
          ${this.#select('kind', t.fields.kind, KINDS, doc.kind, t.kinds)}
          ${this.#select('status', t.fields.status, STATUSES, doc.status, t.statuses)}

          <h3>${t.texts}</h3>
          <p class="hint">${t.textsHint}</p>
          ${this.#pair('title', t.fields.title, doc.title, 'input')} ${this.#pair('summary', t.fields.summary, doc.summary, 'textarea')}
          ${this.#pair('body', t.fields.body, doc.body, 'long')}
          <fieldset>
            <legend>${t.fields.demands}</legend>
            ${this._demands.length ? nothing : html`<p class="hint">${t.noDemands}</p>`}
            ${this._demands.map(
              (demand, index) => html`<fieldset>
                <legend>${t.demand(index + 1)}</legend>
                <div class="pair">
                  ${LOCALES.map((language) => {
                    const id = `demands-${index}-${language}`;
                    return html`<div class="field">
                      <label for=${id}>${t.languages[language]}</label>
                      <textarea
                        id=${id}
                        lang=${language}
                        maxlength="2000"
                        aria-describedby=${this.#describedBy(id, false)}
                        aria-invalid=${this.#invalid(id)}
                        .value=${live(demand[language])}
                        @input=${(event: Event) => (demand[language] = (event.target as HTMLTextAreaElement).value)}
                      ></textarea>
                      ${this.#errorLines(id)}
                    </div>`;
                  })}
                </div>
                ${canWrite
                  ? html`<button class="secondary" type="button" @click=${() => (this._demands = this._demands.filter((_, i) => i !== index))}>${t.removeDemand(index + 1)}</button>`
                  : nothing}
              </fieldset>`,
            )}
            ${canWrite ? html`<button class="secondary" type="button" @click=${this.#addDemand}>${t.addDemand}</button>` : nothing}
          </fieldset>
          ${doc.actions.length ? html`<p class="hint">${t.pledgeActions(doc.actions.length)}</p>` : nothing} ${this.#errorLines('actions')}

          <h3>${t.timing}</h3>
          <p class="hint" id="times-hint">${t.timesHint}</p>
          ${this.#input('opensAt', t.fields.opensAt, html`<input id="opensAt" name="opensAt" type="datetime-local" aria-describedby=${this.#describedBy('opensAt', false)} aria-invalid=${this.#invalid('opensAt')} .value=${toNairobi(doc.opensAt)} />`)}
          ${this.#input('closesAt', t.fields.closesAt, html`<input id="closesAt" name="closesAt" type="datetime-local" aria-describedby=${this.#describedBy('closesAt', false)} aria-invalid=${this.#invalid('closesAt')} .value=${toNairobi(doc.closesAt)} />`)}
          ${this.#number('goal', t.fields.goal, doc.goal, t.goalHint, 0)}

          <h3>${t.signing}</h3>
          ${this.#select('verification', t.fields.verification, VERIFICATIONS, doc.verification, t.verifications, (value) => (this._verification = value as Verification))}
          ${this._verification === 'none' ? html`<p class="warning">${t.unverifiedWarning}</p>` : nothing}
          ${this.#select('challenge', t.fields.challenge, CHALLENGES, doc.challenge, t.challenges)}
          <fieldset aria-describedby="rateLimits-hint">
            <legend>${t.fields.rateLimits}</legend>
            <p class="hint" id="rateLimits-hint">${t.rateLimitsHint}</p>
            ${RATE_LIMITS.map((key) => this.#number(`rateLimits-${key}`, t.rateLimitLabels[key], doc.rateLimits?.[key] ?? null, undefined, 1))}
          </fieldset>
          ${this.#number('phoneHousehold', t.fields.phoneHousehold, doc.phoneHousehold, t.phoneHouseholdHint, 1, 10)}

          <h3>${t.dataAndUpdates}</h3>
          ${this.#number('retentionDays', t.fields.retentionDays, doc.retentionDays, t.retentionDaysHint, 1, 3650)}
          <fieldset id="updates-events" tabindex="-1" aria-describedby=${this.#describedBy('updates-events', false)}>
            <legend>${t.fields.updates}</legend>
            ${UPDATE_EVENTS.map(
              (e) => html`<div class="check">
                <label><input type="checkbox" name="updates-events" value=${e} .checked=${doc.updates.events.includes(e)} /> ${t.updateEvents[e]}</label>
              </div>`,
            )}
            ${this.#errorLines('updates-events')}
            ${this.#input('updates-link', t.updatesLink, html`<input id="updates-link" name="updates-link" type="url" inputmode="url" maxlength="200" aria-describedby=${this.#describedBy('updates-link', true)} aria-invalid=${this.#invalid('updates-link')} .value=${doc.updates.link ?? ''} />`, t.updatesLinkHint)}
          </fieldset>
          ${this.#input('consentVersion', t.fields.consentVersion, html`<input id="consentVersion" name="consentVersion" maxlength="100" aria-describedby=${this.#describedBy('consentVersion', true)} aria-invalid=${this.#invalid('consentVersion')} .value=${doc.consentVersion} />`, t.consentVersionHint)}

          <h3>${t.delivery}</h3>
          ${this.#input('senderOrganisation', t.fields.senderOrganisation, html`<input id="senderOrganisation" name="senderOrganisation" maxlength="200" aria-describedby=${this.#describedBy('senderOrganisation', false)} aria-invalid=${this.#invalid('senderOrganisation')} .value=${doc.senderOrganisation ?? ''} />`)}
          ${this.#input('senderContact', t.fields.senderContact, html`<input id="senderContact" name="senderContact" maxlength="300" aria-describedby=${this.#describedBy('senderContact', true)} aria-invalid=${this.#invalid('senderContact')} .value=${doc.senderContact ?? ''} />`, t.senderContactHint)}
        </fieldset>
        ${canWrite
          ? html`<div class="row"><button class="primary" type="submit" ?disabled=${this._busy}>${this._busy ? t.saving : this._isNew ? t.create : t.save}</button></div>`
          : nothing}
      </form>
      ${this._isNew
        ? nothing
        : html`<imlu-console-milestones .locale=${this.locale} .session=${this.session} .slug=${doc.slug}></imlu-console-milestones>
            ${this.#preview(doc)}`}
    `;
  }

  readonly #addDemand = (): void => {
    this._demands = [...this._demands, { en: '', sw: '' }];
    this.#focus(`#demands-${this._demands.length - 1}-en`);
  };

  #summary() {
    const t = this.#t;
    return html`<div class="summary" id="error-summary" tabindex="-1" role="alert" aria-labelledby="error-summary-title">
      <h3 id="error-summary-title">${t.errorsTitle}</h3>
      <ul>
        ${this._errors.map((e) => {
          const text = `${this.#label(e.path)}: ${this.#message(e)}`;
          const target = this.renderRoot.querySelector<HTMLElement>(`#${CSS.escape(inputId(e.path))}`);
          return html`<li>${target ? html`<button class="link" type="button" @click=${() => this.#focus(`#${CSS.escape(inputId(e.path))}`)}>${text}</button>` : text}</li>`;
        })}
      </ul>
    </div>`;
  }

  /** A labelled control with its hint and errors. */
  #input(id: string, label: string, control: TemplateResult, hint?: string) {
    return html`<div class="field">
      <label for=${id}>${label}</label>
      ${control} ${hint ? html`<p class="hint" id=${`${id}-hint`}>${hint}</p>` : nothing} ${this.#errorLines(id)}
    </div>`;
  }

  #number(id: string, label: string, value: number | null, hint: string | undefined, min: number, max?: number) {
    return this.#input(
      id,
      label,
      html`<input
        id=${id}
        name=${id}
        type="number"
        inputmode="numeric"
        min=${min}
        max=${max ?? nothing}
        step="1"
        aria-describedby=${this.#describedBy(id, Boolean(hint))}
        aria-invalid=${this.#invalid(id)}
        .value=${value === null ? '' : String(value)}
      />`,
      hint,
    );
  }

  #select<T extends string>(id: string, label: string, values: readonly T[], value: T, names: Record<T, string>, change?: (value: string) => void) {
    return this.#input(
      id,
      label,
      html`<select
        id=${id}
        name=${id}
        aria-describedby=${this.#describedBy(id, false)}
        aria-invalid=${this.#invalid(id)}
        @change=${change ? (event: Event) => change((event.target as HTMLSelectElement).value) : undefined}
      >
        ${values.map((v) => html`<option value=${v} ?selected=${v === value}>${names[v]}</option>`)}
      </select>`,
    );
  }

  /** English and Kiswahili of one text, side by side where there is room. */
  #pair(name: 'title' | 'summary' | 'body', label: string, value: { en: string; sw: string }, control: 'input' | 'textarea' | 'long') {
    const t = this.#t;
    const max = TEXT_MAX[name]!;
    return html`<fieldset>
      <legend>${label}</legend>
      <div class="pair">
        ${LOCALES.map((language) => {
          const id = `${name}-${language}`;
          const attributes = { describedBy: this.#describedBy(id, false), invalid: this.#invalid(id) };
          return html`<div class="field">
            <label for=${id}>${t.languages[language]}</label>
            ${control === 'input'
              ? html`<input id=${id} name=${id} lang=${language} maxlength=${max} aria-describedby=${attributes.describedBy} aria-invalid=${attributes.invalid} .value=${value[language]} />`
              : html`<textarea
                  id=${id}
                  name=${id}
                  lang=${language}
                  class=${control === 'long' ? 'long' : ''}
                  maxlength=${max}
                  aria-describedby=${attributes.describedBy}
                  aria-invalid=${attributes.invalid}
                  .value=${value[language]}
                ></textarea>`}
            ${this.#errorLines(id)}
          </div>`;
        })}
      </div>
    </fieldset>`;
  }

  #preview(doc: CampaignDocument) {
    const t = this.#t;
    const slug = encodeURIComponent(doc.slug);
    return html`
      <section aria-labelledby="preview-title">
        <h3 id="preview-title">${t.previewTitle}</h3>
        ${doc.status === 'draft'
          ? html`<p class="notice">${t.draftNote}</p>`
          : html`<p class="hint">${t.previewHint}</p>
              <div class="frames">
                ${LOCALES.map(
                  (language) =>
                    html`<iframe data-preview=${language} title=${t.frameTitle(t.languages[language])} src=${`/console/preview/${slug}?lang=${language}`}></iframe>`,
                )}
              </div>
              <p><a href=${`/c/${slug}?lang=${this.locale}`} target="_blank" rel="noopener">${t.hostedLink} <span class="hint">${t.newTab}</span></a></p>`}
      </section>
      <section aria-labelledby="embed-title">
        <h3 id="embed-title">${t.embedTitle}</h3>
        <p class="hint" id="embed-hint">${t.embedHint}</p>
        <pre><code id="snippet">${this.#snippet(doc.slug)}</code></pre>
        <div class="row">
          <button class="secondary" type="button" @click=${this.#copySnippet}>${t.copy}</button>
          <span role="status">${this._copy === 'copied' ? t.copied : this._copy === 'selected' ? t.copySelected : ''}</span>
        </div>
      </section>
    `;
  }
}
