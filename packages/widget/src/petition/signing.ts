/**
 * The signing half of `<imlu-petition>`, in its own chunk: embed.js imports it on the signer's first touch
 * of the form (see `prepare()` in `./petition.component.ts`), so that none of it weighs on the first paint.
 * It reads and sends the form, resends after network failures with the same Idempotency-Key, maps the
 * API's problems onto the form, solves the campaign's ALTCHA challenge, takes the SMS code (showing what
 * the signer confirms, with a new code and "change my details" on offer), and thanks.
 *
 * It is a reactive controller of the petition: it keeps its own state and asks the host to re-render;
 * the host's templates call `statusText()`, `renderNotices()`, `renderError()`, `errorIds()` and
 * `renderStage()`.
 *
 * This module imports nothing at run time that embed.js also contains: Lit, the API client, the counts
 * feed, the events and the translator come in through `setup(kit)` from the petition. A shared import
 * would make the bundler move the shared code out of embed.js into a third file that embed.js itself
 * would have to fetch before the first paint (Rolldown does not keep it in the entry), and it would tie
 * the chunk to embed.js's exact URL. test/size.test.ts checks that the chunk imports nothing.
 */
import type { AltchaChallenge, CampaignForm, FieldError, SignRequest, SignResponse } from '@imlu/contracts';
import { isFieldErrorCode, problemName, type FieldErrorCode } from '@imlu/contracts/problems';
import { isPlainLine } from '@imlu/contracts/text-rules';
import { solveChallenge } from 'altcha-lib/v1';
import type { ReactiveController, ReactiveControllerHost, TemplateResult } from 'lit';
import type { ApiResult } from '../api/client.ts';
import { newIdempotencyKey } from '../api/idempotency-key.ts';
import { ImluSignedEvent } from '../events/signed-event.ts';
import type { Catalog, Locale, MessageKey } from '../i18n/index.ts';
import { fieldErrorMessage, signingCatalog, type SigningCatalog } from '../i18n/signing.ts';
import type { Kit } from './kit.ts';
import { SOURCE_MAX } from './limits.ts';
import type { Pledge } from './pledge.ts';

let html: Kit['html'];
let nothing: Kit['nothing'];
let kit: Kit;

/** Hands the chunk what it shares with embed.js. Called by the petition once, before the first `new Signing`. */
export function setup(shared: Kit): void {
  kit = shared;
  ({ html, nothing } = shared);
}

/**
 * Seconds to wait before each automatic resend of a signature whose POST failed on the network. After
 * the last, the signer gets the network error and a "Try again" button; the key stays the same throughout.
 */
const RETRY_DELAYS = [2, 5, 10, 20, 30];
type GeneralError = 'networkError' | 'serverError' | 'rateLimited' | 'forbiddenOrigin' | 'tooLarge' | 'challengeFailed';
type CodeError = 'codeFormat' | 'codeWrong' | 'codeTooMany' | 'networkError' | 'serverError';
/** The petition's own translator (its catalog is in embed.js): the code step reuses the form's labels. */
type HostT = <K extends MessageKey>(key: K) => Catalog[K];

/** The events on which a field's error may clear: typing, picking, and leaving the field. */
const EDITS = ['input', 'change', 'focusout'] as const;

/** The optional consents as the code step lists them: request key and the form's label for it. */
const CONSENTS = [
  ['publicName', 'consentPublicName'],
  ['shareWithTargets', 'consentShareWithTargets'],
  ['updates', 'consentUpdates'],
] as const;

/**
 * The form's fields in page order: the first with an error gets the focus. `contact` is the phone/e-mail
 * pair; `actions` a pledge's actions (`./pledge.ts`), whose first checkbox has that id.
 */
const FIELDS = ['actions', 'name', 'contact', 'phone', 'email', 'county', 'comment', 'terms'] as const;
export type Field = (typeof FIELDS)[number];
type FieldErrors = Map<Field, FieldErrorCode>;

/** Where an API field error belongs in our form. Unknown paths (a newer API) go to the general error. */
function fieldOf(error: FieldError): Field | undefined {
  if (error.code === 'contact_required') return 'contact';
  if (error.path.startsWith('consent')) return 'terms';
  // `actions.1`, one of the actions, is the actions' fieldset.
  const path = error.path.split('.')[0]!;
  return (FIELDS as readonly string[]).includes(path) ? (path as Field) : undefined;
}

/**
 * The page URL to share: only `?source=` survives, so that a partner's attribution is kept while other
 * query parameters (which might carry a signer's e-mail from a newsletter link) and the fragment are not;
 * `?lang=` is the signer's language, so that whoever opens it is asked in the language they were asked in.
 */
function shareUrl(locale: Locale): string {
  const url = new URL(location.href);
  const source = url.searchParams.get('source');
  url.search = `?${new URLSearchParams(source ? { source, lang: locale } : { lang: locale })}`;
  url.hash = '';
  return url.href;
}

/** The petition element as the controller sees it. */
export type SigningHost = ReactiveControllerHost &
  HTMLElement & { readonly api: string; readonly campaign: string; readonly source: string; readonly renderRoot: HTMLElement | DocumentFragment };

/** What the controller may read and change of the petition's private state. */
export interface PetitionAccess {
  data(): CampaignForm;
  locale(): Locale;
  /** performance.now() at the signer's first touch of the form. */
  startedAt(): number | undefined;
  internals: ElementInternals | undefined;
  setView(view: 'closed' | 'not-found'): void;
}

interface Pending {
  /** The form's part of the body: the same form resent keeps the same key. */
  form: string;
  /** What is sent: the form plus the honeypot, the fill time and the ALTCHA solution. */
  body: string;
  key: string;
}

export class Signing implements ReactiveController {
  /** Sending, or waiting to resend: the form's button is disabled. */
  busy = false;
  private stage: 'form' | 'code' | 'signed' = 'form';
  private retrying = false;
  /** Public for the pledge's fieldset, which the petition renders with its own messages (`./pledge.ts`). */
  errors: FieldErrors = new Map();
  /** The values the errors were given for, by field: a refused value stays marked until it changes. */
  private refused = new Map<Field, string>();
  private generalError: GeneralError | undefined;
  /** What the polite live region says, as a function of the catalog so that it follows a language switch. */
  private status: ((t: SigningCatalog) => string) | undefined;
  /** The submission in progress, reused for as long as the same form is retried. */
  private pending: Pending | undefined;
  /** Automatic resends made so far for `pending` after network failures. */
  private retries = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private signed: SignResponse | undefined;
  /** The base64 ALTCHA payload for the next request, solved in the background (`challenge: 'altcha'` only). */
  private solution: Promise<string | undefined> | undefined;
  private codeBusy = false;
  private codeError: CodeError | undefined;
  /**
   * The accepted submission's details, as sent: what the code step shows the signer and confirms, and
   * what "Change my details" puts back into the form.
   */
  private sent: SignRequest | undefined;
  private resending = false;

  /**
   * `pledge`: a pledge campaign's actions (`./pledge.ts`), what the form sends of them and the thanks. The
   * petition loads them before it shows the form, so they are there before the signer can touch it.
   */
  constructor(
    private readonly host: SigningHost,
    private readonly access: PetitionAccess,
    private readonly pledge?: Pledge,
  ) {
    host.addController(this);
    this.refreshSolution();
  }

  /** An error clears as soon as its field is put right, not at the next press of the button (`edited()`). */
  private readonly onEdit = (event: Event): void => {
    const form = (event.target as HTMLInputElement).form;
    if (form?.part.contains('form')) this.edited(form);
  };

  hostConnected(): void {
    for (const type of EDITS) this.host.renderRoot.addEventListener(type, this.onEdit);
  }

  hostDisconnected(): void {
    clearTimeout(this.retryTimer);
    for (const type of EDITS) this.host.renderRoot.removeEventListener(type, this.onEdit);
  }

  private get t(): SigningCatalog {
    return signingCatalog(this.access.locale(), kit.msgFor);
  }

  private update(): void {
    this.host.requestUpdate();
  }

  // ---- what the host renders ----

  statusText(): string | undefined {
    return this.status?.(this.t);
  }

  /** A field's error message, for under its label; undefined while it has none. Here, not in the petition: only the signing makes errors. */
  renderError(field: Field): TemplateResult | undefined {
    const code = this.errors.get(field);
    return code && html`<p class="error" id="${field}-error">${fieldErrorMessage(this.access.locale(), code, kit.msgFor)}</p>`;
  }

  /** `aria-invalid` of `field`'s input: true while it has an error (its own, or the shared contact error). */
  invalid(field: Field): 'true' | typeof nothing {
    return this.errorIds(field).length ? 'true' : nothing;
  }

  /** The error ids that describe `field`: its own, and for phone and e-mail the shared contact error. */
  errorIds(field: Field): string[] {
    const contact = (field === 'phone' || field === 'email') && this.errors.has('contact');
    return [this.errors.has(field) && `${field}-error`, contact && 'contact-error'].filter((id): id is string => !!id);
  }

  /** "Send now" while a resend waits, and the general error with its "Try again" (`retry`, the host's string). */
  renderNotices(retry: string): TemplateResult {
    const { t } = this;
    return html`${this.retrying
      ? html`<button id="retry-now" type="button" class="secondary" @click=${() => void this.send(this.pending!)}>
          ${t.retryNow}
        </button>`
      : nothing}
    ${this.generalError
      ? html`<div class="alert" role="alert">
          <p>${t[this.generalError]}</p>
          <button id="retry" type="button" class="secondary" @click=${() => void this.submit(this.form())}>${retry}</button>
        </div>`
      : nothing}`;
  }

  /**
   * What replaces the form once it is sent: the SMS code form or the thanks; undefined while the form stays.
   * `t` is the petition's translator, for the form's labels.
   */
  renderStage(t: HostT): TemplateResult | undefined {
    return this.stage === 'code' ? this.renderCode(t) : this.stage === 'signed' ? this.renderThanks() : undefined;
  }

  /**
   * The signer changed a field (input, change, blur): each error whose field now passes the checks this
   * side can make goes, and the summary's count with it. Only ever fewer errors here; new ones wait for the
   * button, so that nobody is scolded while typing. A value the server refused stays marked until it is
   * changed. The live region changes once per cleared error, not per keystroke.
   */
  private edited(form: HTMLFormElement): void {
    if (!this.errors.size) return;
    const data = new FormData(form);
    // Every value of a name: a refused choice of actions stays marked until the choice changes.
    const value = (name: string) => data.getAll(name).join().trim();
    const valid = (field: Field): boolean => {
      if (field === 'contact') return !!value('phone') || (!!value('email') && !!form.querySelector<HTMLInputElement>('#email')?.validity.valid);
      if (field === 'terms') return data.has('terms');
      const current = value(field);
      if (current === this.refused.get(field) || !form.querySelector<HTMLInputElement>(`#${field}`)?.validity.valid) return false;
      if (field === 'name') return !!current;
      // Either of phone and e-mail may be left empty when the other is given.
      if (field === 'phone' || field === 'email') return !!(current || value(field === 'phone' ? 'email' : 'phone'));
      return true;
    };
    const before = this.errors.size;
    for (const field of [...this.errors.keys()]) if (valid(field)) this.errors.delete(field);
    if (this.errors.size === before) return;
    const left = this.errors.size;
    this.status = left ? (t) => t.errorSummary(left) : undefined;
    this.update();
  }

  // ---- signing ----

  private form(): HTMLFormElement | null {
    return this.host.renderRoot.querySelector('form[part="form"]');
  }

  /** Starts solving a new ALTCHA challenge for the next request, for campaigns that ask for one. */
  private refreshSolution(): void {
    if (this.access.data().challenge === 'altcha') this.solution = this.solve();
  }

  /**
   * Fetches a challenge and finds its number (SHA-256 in a loop through WebCrypto, which yields between
   * hashes, so the page stays responsive). Undefined when that fails, e.g. on a plain-http page without
   * `crypto.subtle`: the request then goes without, and the server's answer says what to do.
   */
  private async solve(): Promise<string | undefined> {
    try {
      const result = await kit.request<AltchaChallenge>(kit.endpoint(this.host.api, this.host.campaign, '/challenge'), { cache: 'no-store' });
      if (!result.ok) return undefined;
      const { algorithm, challenge, maxnumber, salt, signature } = result.data;
      const solution = await solveChallenge(challenge, salt, algorithm, maxnumber).promise;
      return solution ? btoa(JSON.stringify({ algorithm, challenge, number: solution.number, salt, signature })) : undefined;
    } catch {
      return undefined;
    }
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
    const pledged = this.pledge?.read(data, errors);
    if (errors.size) return { errors };

    const source = (new URLSearchParams(location.search).get('source') || this.host.source).trim().slice(0, SOURCE_MAX);
    const body: SignRequest = {
      name: name!,
      consent: {
        terms: true,
        publicName: data.has('publicName'),
        shareWithTargets: data.has('shareWithTargets'),
        updates: data.has('updates'),
      },
      locale: this.access.locale(),
      ...pledged,
    };
    if (phone) body.phone = phone;
    if (email) body.email = email;
    if (county) body.county = county as SignRequest['county'];
    if (comment) body.comment = comment;
    // The API refuses a source holding a control character, and the signer could not fix it: drop it.
    if (source && isPlainLine(source)) body.source = source;
    return { body, errors };
  }

  /** The form's body plus the bot checks: honeypot, fill time and, where asked, the ALTCHA solution. */
  private async withChecks(body: SignRequest, form: HTMLFormElement): Promise<string> {
    const website = String(new FormData(form).get('website') ?? '').slice(0, 200);
    const startedAt = this.access.startedAt();
    const elapsedMs = startedAt === undefined ? 0 : Math.min(Math.round(performance.now() - startedAt), 86_400_000);
    const altcha = await this.solution;
    return JSON.stringify({ ...body, website, elapsedMs, ...(altcha && { altcha }) });
  }

  async submit(form: HTMLFormElement | null): Promise<void> {
    if (this.busy || !form) return;
    const { body, errors } = this.readForm(form);
    this.generalError = undefined;
    if (!body) return this.showErrors(errors);

    this.errors = new Map();
    this.retries = 0;
    this.busy = true;
    this.status = (t) => t.submittingStatus;
    this.update();
    const json = JSON.stringify(body);
    // Same form as the attempt that failed (network, 5xx, 429): same body and key, so the API can't count it twice.
    if (json !== this.pending?.form) this.pending = { form: json, body: await this.withChecks(body, form), key: newIdempotencyKey() };
    return this.send(this.pending, true);
  }

  /** Sends `pending` now: from the form, from a scheduled resend, or from "Send now". */
  private async send(pending: Pending, mayRenewChallenge = false): Promise<void> {
    clearTimeout(this.retryTimer);
    this.busy = true;
    this.retrying = false;
    this.status = (t) => t.submittingStatus;
    this.update();

    let result: ApiResult<SignResponse>;
    try {
      result = await kit.request<SignResponse>(kit.endpoint(this.host.api, this.host.campaign, '/signatures'), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': pending.key },
        body: pending.body,
      });
    } catch {
      this.emitError('network', 0);
      // The request may have reached the API before the link dropped: resending with the same key is safe.
      const delay = RETRY_DELAYS[this.retries++];
      if (delay === undefined) return this.showGeneralError('networkError');
      this.retrying = true;
      this.status = (t) => t.retryingStatus(kit.formatNumber(this.access.locale(), delay));
      this.retryTimer = setTimeout(() => void this.send(pending), delay * 1000);
      this.update();
      return this.moveFocus('#retry-now');
    }

    if (result.ok) return this.accepted(result.data, pending);

    const { problem } = result;
    this.emitError(problem.type, result.status);
    // The solution went to the server, which may have used it up: solve a fresh one for the next request.
    this.refreshSolution();
    switch (problemName(problem.type)) {
      case 'validation': {
        const challenge = problem.errors?.some((error) => error.path === 'altcha');
        if (challenge && mayRenewChallenge && this.solution) {
          // Expired or already used: that request stored nothing, so a new one with a new key and a fresh solution.
          const altcha = await this.solution;
          this.pending = { ...pending, body: JSON.stringify({ ...JSON.parse(pending.body), altcha }), key: newIdempotencyKey() };
          return this.send(this.pending);
        }
        if (challenge) {
          this.pending = undefined;
          return this.showGeneralError('challengeFailed');
        }
        const fieldErrors: FieldErrors = new Map();
        for (const error of problem.errors ?? []) {
          const field = fieldOf(error);
          if (field && !fieldErrors.has(field)) fieldErrors.set(field, isFieldErrorCode(error.code) ? error.code : 'invalid');
        }
        return fieldErrors.size ? this.showErrors(fieldErrors) : this.showGeneralError('serverError');
      }
      case 'campaign-closed':
        this.finish();
        this.access.setView('closed');
        return this.moveFocus('#closed-heading');
      case 'not-found':
        this.finish();
        this.access.setView('not-found');
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

  private finish(): void {
    this.busy = false;
    this.retrying = false;
    this.status = undefined;
  }

  private accepted(response: SignResponse, pending: Pending): Promise<void> {
    this.finish();
    this.pending = undefined;
    this.sent = JSON.parse(pending.form) as SignRequest;
    this.codeError = undefined;
    // Once per signer: a submission that replaces unconfirmed details ("Change my details") is the same signer.
    if (!this.signed) this.host.dispatchEvent(new ImluSignedEvent({ campaign: this.host.campaign, status: response.status }));
    this.signed = response;
    void kit.countsFeed(this.host.api, this.host.campaign).refresh(true);
    if (response.status === 'pending_verification' && response.confirmation?.channel === 'sms' && response.confirmation.handle) {
      this.stage = 'code';
      this.update();
      return this.moveFocus('#code-heading');
    }
    return this.thank();
  }

  private thank(): Promise<void> {
    this.stage = 'signed';
    try {
      this.access.internals?.states.add('signed');
    } catch {
      // Browsers before the standard :state() syntax throw on a name without "--"; styling is optional.
    }
    this.update();
    return this.moveFocus('#thanks-heading');
  }

  private showErrors(errors: FieldErrors): Promise<void> {
    this.finish();
    this.errors = errors;
    const data = new FormData(this.form() ?? undefined);
    this.refused = new Map([...errors.keys()].map((field) => [field, data.getAll(field).join().trim()]));
    this.status = (t) => t.errorSummary(errors.size);
    this.update();
    const first = FIELDS.find((field) => errors.has(field));
    return this.moveFocus(`#${first === 'contact' ? 'phone' : first}`);
  }

  private showGeneralError(error: GeneralError): Promise<void> {
    this.finish();
    this.generalError = error;
    this.update();
    return this.moveFocus('#retry');
  }

  private emitError(type: string, status: number): void {
    this.host.dispatchEvent(new kit.ImluErrorEvent({ campaign: this.host.campaign, type, status }));
  }

  private async moveFocus(selector: string): Promise<void> {
    await this.host.updateComplete;
    this.host.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  // ---- the SMS code ----

  /** POSTs JSON to the campaign's `path`, with the header the API requires of browsers (its custom-header rule against cross-site forms). */
  private post<T>(path: string, body: object): Promise<ApiResult<T>> {
    return kit.request<T>(kit.endpoint(this.host.api, this.host.campaign, path), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': newIdempotencyKey() },
      body: JSON.stringify(body),
    });
  }

  private async confirmCode(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.codeBusy) return;
    const input = (event.target as HTMLFormElement).querySelector<HTMLInputElement>('#code')!;
    const code = input.value.replace(/\s/g, '');
    if (!/^\d{6}$/.test(code)) return this.showCodeError('codeFormat');
    this.codeBusy = true;
    this.codeError = undefined;
    this.status = (t) => t.codeSending;
    this.update();
    let result: ApiResult<{ status: 'counted' }>;
    try {
      result = await this.post('/confirmations', { handle: this.signed!.confirmation!.handle, code });
    } catch {
      this.emitError('network', 0);
      return this.showCodeError('networkError');
    }
    this.codeBusy = false;
    if (result.ok) {
      this.status = undefined;
      this.signed = { status: 'counted' };
      void kit.countsFeed(this.host.api, this.host.campaign).refresh(true);
      return this.thank();
    }
    this.emitError(result.problem.type, result.status);
    const name = problemName(result.problem.type);
    // A 429 is this signature's tries used up, or too many codes from this network: either way a new code
    // (or the link in the SMS) is the way on, so the form gives way to "Send a new code".
    return this.showCodeError(name === 'validation' ? 'codeWrong' : name === 'rate-limited' ? 'codeTooMany' : 'serverError');
  }

  private showCodeError(error: CodeError): Promise<void> {
    this.codeBusy = false;
    this.codeError = error;
    this.status = undefined;
    this.update();
    return this.moveFocus(error === 'codeTooMany' ? '#code-error' : '#code');
  }

  /**
   * Asks for a new code for the same details. The API answers 202 whether or not an SMS really goes (a
   * number that already confirmed gets none), so the words promise no more than that; the old code stops
   * working and the tries start again. Focus stays on the button, except after success, when it goes to
   * the emptied code input.
   */
  private async resendCode(): Promise<void> {
    if (this.resending) return;
    this.resending = true;
    this.status = (t) => t.resendSending;
    this.update();
    let result: ApiResult<unknown>;
    try {
      result = await this.post('/confirmations/resend', { handle: this.signed!.confirmation!.handle });
    } catch {
      this.emitError('network', 0);
      return this.resent((t) => t.networkError);
    }
    if (result.ok) {
      this.codeError = undefined;
      await this.resent((t) => t.resendDone);
      const input = this.host.renderRoot.querySelector<HTMLInputElement>('#code');
      if (input) input.value = '';
      input?.focus();
      return;
    }
    this.emitError(result.problem.type, result.status);
    if (problemName(result.problem.type) !== 'rate-limited') return this.resent((t) => t.serverError);
    // Seconds (the API never sends an HTTP date). Without it, this version's new codes are used up for good.
    const seconds = Math.ceil(Number(result.headers.get('Retry-After')));
    const locale = this.access.locale();
    return this.resent((t) =>
      !(seconds > 0)
        ? t.resendLater
        : seconds < 120
          ? t.resendWaitSeconds(kit.formatNumber(locale, seconds))
          : t.resendWaitMinutes(kit.formatNumber(locale, Math.ceil(seconds / 60))),
    );
  }

  private resent(status: (t: SigningCatalog) => string): Promise<void> {
    this.resending = false;
    this.status = status;
    this.update();
    return this.host.updateComplete.then(() => {});
  }

  /** Back to the form with what was sent filled in; sending it again is a new submission that replaces this one. */
  private async changeDetails(): Promise<void> {
    const { consent, ...fields } = this.sent!;
    const values: Record<string, unknown> = { ...fields, ...consent };
    this.stage = 'form';
    this.codeError = undefined;
    this.status = undefined;
    this.update();
    await this.host.updateComplete;
    const form = this.form();
    for (const element of form?.elements ?? []) {
      const input = element as HTMLInputElement;
      // What was sent, and nothing else: the honeypot stays empty.
      // A pledge's actions are a list of ids: each checkbox is on when its own is in it.
      const value = values[input.name];
      if (input.type === 'checkbox') input.checked = Array.isArray(value) ? value.includes(input.value) : !!value;
      else if (input.name in fields) input.value = String(values[input.name]);
    }
    // The code went to this number: the likeliest thing to change is the number.
    this.host.renderRoot.querySelector<HTMLElement>('#phone')?.focus();
  }

  /** What the signer is about to confirm, as sent: the name, the county, each choice and a pledge's actions, in their language. */
  private renderSummary(hostT: HostT): TemplateResult {
    const { t } = this;
    const { name, county, consent } = this.sent!;
    const countyName = county && kit.countyOptions(this.access.locale()).find(([code]) => code === county)?.[1];
    const row = (label: string, value: string) => html`<div><dt>${label}</dt><dd>${value}</dd></div>`;
    return html`<h4>${t.summaryHeading}</h4>
      <dl>
        ${row(hostT('nameLabel'), name)} ${countyName ? row(hostT('countyLabel'), countyName) : nothing}
        ${CONSENTS.map(([key, label]) => row(hostT(label), consent[key] ? t.yes : t.no))}
      </dl>
      ${this.pledge?.thanks(this.access.locale(), this.sent!)}
      <p>${t.summarySignedBefore}</p>
      <p><button id="change-details" type="button" class="secondary" @click=${() => void this.changeDetails()}>${t.changeDetails}</button></p>`;
  }

  private renderCode(hostT: HostT): TemplateResult {
    const { t, codeError } = this;
    const blocked = codeError === 'codeTooMany';
    const error = codeError && html`<p class="error" id="code-error" tabindex="-1">${t[codeError]}</p>`;
    // The way on after too many tries, so then the main button; beside "Confirm" otherwise.
    const resend = html`<button id="resend" type="button" class=${blocked ? '' : 'secondary'} @click=${() => void this.resendCode()}>${t.resendCode}</button>`;
    return html`<section aria-labelledby="code-heading">
      <h3 id="code-heading" tabindex="-1">${t.codeHeading}</h3>
      <p>${t.codeIntro}</p>
      ${this.renderSummary(hostT)}
      ${blocked
        ? html`${error}
            <p>${resend}</p>`
        : html`<form novalidate @submit=${(event: SubmitEvent) => void this.confirmCode(event)}>
            <div class="field">
              <label for="code">${t.codeLabel}</label>
              ${error ?? nothing}
              <input
                id="code"
                name="code"
                inputmode="numeric"
                autocomplete="one-time-code"
                maxlength="6"
                required
                aria-invalid=${codeError ? 'true' : nothing}
                aria-describedby=${codeError ? 'code-error' : nothing}
              />
            </div>
            <p class="row">
              <button type="submit" ?disabled=${this.codeBusy}>${this.codeBusy ? t.codeSending : t.codeSubmit}</button>
              ${resend}
            </p>
          </form>`}
      <p class="status" role="status">${this.statusText()}</p>
    </section>`;
  }

  // ---- thanks ----

  private renderThanks(): TemplateResult {
    const { t } = this;
    const locale = this.access.locale();
    const url = shareUrl(locale);
    const pledge = this.access.data().kind === 'pledge';
    const text = (pledge ? t.shareMessagePledge : t.shareMessage)(this.access.data().title[locale]);
    const encoded = encodeURIComponent(url);
    const signed = this.signed!;
    // Plain links, no third-party script: nothing loads from these networks unless the signer clicks.
    const network = (name: string, href: string) =>
      html`<a href=${href} target="_blank" rel="noopener noreferrer">${name}</a>`;
    return html`<section part="thank-you" aria-labelledby="thanks-heading">
      <h3 id="thanks-heading" tabindex="-1">${pledge ? t.thanksHeadingPledge : t.thanksHeading}</h3>
      <p>
        ${signed.status === 'counted'
          ? t.thanksCounted
          : signed.confirmation?.channel === 'email'
            ? t.thanksEmail
            : t.thanksPending}
      </p>
      ${this.pledge?.thanks(locale, this.sent!)}
      <slot name="thank-you"></slot>
      <p><a href=${`${this.host.api.replace(/\/+$/, '')}/me?lang=${this.access.locale()}`}>${t.manageLink}</a></p>
      <h4>${pledge ? t.shareHeadingPledge : t.shareHeading}</h4>
      <p class="row">
        ${network('WhatsApp', `https://wa.me/?text=${encodeURIComponent(`${text} ${url}`)}`)}
        ${network('X', `https://x.com/intent/post?text=${encodeURIComponent(text)}&url=${encoded}`)}
        ${network('Facebook', `https://www.facebook.com/sharer.php?u=${encoded}`)}
        ${'share' in navigator
          ? html`<button type="button" class="secondary" @click=${() => navigator.share({ text, url }).catch(() => {})}>
              ${t.shareNative}
            </button>`
          : nothing}
      </p>
      <label for="share-link">${t.shareLinkLabel}</label>
      <div class="row">
        <input id="share-link" readonly .value=${url} @focus=${(e: FocusEvent) => (e.target as HTMLInputElement).select()} />
        <button type="button" @click=${() => void this.copyLink()}>${t.copyLink}</button>
      </div>
      <p class="status" role="status">${this.statusText()}</p>
    </section>`;
  }

  private async copyLink(): Promise<void> {
    try {
      await navigator.clipboard.writeText(shareUrl(this.access.locale()));
      this.status = (t) => t.copied;
    } catch {
      // No clipboard (plain-http page, old browser, permission denied): let the signer copy by hand.
      this.host.renderRoot.querySelector<HTMLInputElement>('#share-link')?.select();
      this.status = (t) => t.copyFailed;
    }
    this.update();
  }
}
