import { countyOptions } from '@imlu/contracts/county-names';
import { css, html, nothing, type TemplateResult } from 'lit';
import { ApiError, type Session } from './api.ts';
import { CampaignFigures } from './campaign-figures.ts';
import {
  dutyBearersApi,
  STANCES,
  type AdminTarget,
  type AskStatus,
  type Demand,
  type Level,
  type ResponseLink,
  type Stance,
  type TargetInput,
} from './duty-bearers.api.ts';
import { DUTY_BEARERS_STRINGS, type DutyBearersStrings } from './duty-bearers.strings.ts';
import { STRINGS } from './strings.ts';

interface Board {
  targets: AdminTarget[];
  asks: AskStatus[];
  demands: Demand[];
  links: ResponseLink[];
}

type Form = { kind: 'add' } | { kind: 'edit' | 'ask' | 'position'; target: AdminTarget };

const DATE_FORMATS = new Map<string, Intl.DateTimeFormat>();

/** Where the widget's loader is: the API serves it at its own origin, as partners load it. */
const EMBED = '/embed.js';

/**
 * @tagname imlu-console-duty-bearers
 * @summary The console's "Duty bearers" view (scope `accountability:write`): the duty bearers (targets) with
 * their office and jurisdiction in English and Kiswahili; asking one of them for the campaign's demands;
 * recording a position with its evidence; who is overdue; response links (made, shown once to copy, listed
 * without their secret, revoked after a confirmation); and the public board as readers will see it.
 *
 * Everything goes through the admin accountability API; field errors come from the API (the forms do not
 * duplicate its rules) and are shown beside their fields in the staff member's language. The board preview is
 * the real `<imlu-accountability>` element, loaded from the widget bundle on this origin.
 */
export class ImluConsoleDutyBearers extends CampaignFigures<Board> {
  static override styles = [
    ...CampaignFigures.styles,
    css`
      *,
      *::before,
      *::after {
        box-sizing: border-box;
      }
      [hidden] {
        display: none !important;
      }
      p.intro {
        margin-top: 0;
      }
      ul.targets {
        list-style: none;
        padding: 0;
        margin: 0;
        display: grid;
        gap: 0.75rem;
      }
      ul.targets > li {
        border: 1px solid #ccc;
        border-radius: 4px;
        padding: 0.6rem 0.8rem;
      }
      ul.targets h3 {
        margin: 0;
      }
      ul.targets p {
        margin: 0.2rem 0;
      }
      code {
        word-break: break-all;
        font-size: 0.85rem;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        margin-top: 0.5rem;
      }
      .badge {
        display: inline-block;
        padding: 0 0.4rem;
        border-radius: 4px;
        border: 1px solid currentColor;
        font-weight: 600;
        font-size: 0.9rem;
      }
      .overdue {
        color: #a4000f;
      }
      .answered {
        color: #0b4f33;
      }
      form,
      .panel {
        border: 2px solid #0b4f33;
        border-radius: 4px;
        padding: 0.75rem;
        margin: 1rem 0;
      }
      form h3,
      form h4,
      .panel h4 {
        margin: 0 0 0.5rem;
        font-size: 1rem;
      }
      .field {
        margin-bottom: 0.75rem;
      }
      .field input,
      .field select,
      .field textarea {
        margin-bottom: 0;
      }
      textarea {
        font: inherit;
        width: 100%;
        padding: 0.5rem;
        border: 1px solid #555;
        border-radius: 4px;
        min-height: 5rem;
      }
      [aria-invalid='true'] {
        border: 2px solid #a4000f;
      }
      fieldset {
        border: 1px solid #ccc;
        border-radius: 4px;
        margin: 0 0 0.75rem;
        padding: 0.5rem 0.75rem;
      }
      legend {
        font-weight: 600;
      }
      fieldset label {
        display: flex;
        gap: 0.5rem;
        align-items: flex-start;
        font-weight: 400;
        margin: 0.25rem 0;
      }
      fieldset input[type='checkbox'] {
        width: 1.25rem;
        height: 1.25rem;
        margin: 0.15rem 0 0;
        flex: none;
      }
      .hint,
      .field .error {
        display: block;
        margin: 0.15rem 0 0;
      }
      .notice {
        border-left: 4px solid #0b4f33;
        padding-left: 0.75rem;
      }
      dialog {
        max-width: min(30rem, calc(100vw - 2rem));
        border: 2px solid #0b4f33;
        border-radius: 4px;
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.4);
      }
      imlu-accountability {
        margin-top: 0.5rem;
      }
    `,
  ];

  static override properties = {
    ...CampaignFigures.properties,
    session: { attribute: false },
    _form: { state: true },
    _level: { state: true },
    _errors: { state: true },
    _alert: { state: true },
    _notice: { state: true },
    _busy: { state: true },
    _issued: { state: true },
    _copy: { state: true },
    _revoking: { state: true },
    _board: { state: true },
  };

  declare session: Session | undefined;
  declare _form: Form | undefined;
  declare _level: Level;
  /** Field errors of the open form: the API's path → its code. */
  declare _errors: Record<string, string>;
  declare _alert: string;
  declare _notice: string;
  declare _busy: boolean;
  /** A response link just made: its URL is shown this once. */
  declare _issued: { url: string; name: string; targetId: string } | undefined;
  declare _copy: '' | 'copied' | 'failed';
  declare _revoking: ResponseLink | undefined;
  declare _board: 'hidden' | 'loading' | 'shown' | 'failed';

  constructor() {
    super();
    this._form = undefined;
    this._level = 'national';
    this._errors = {};
    this._alert = '';
    this._notice = '';
    this._busy = false;
    this._issued = undefined;
    this._copy = '';
    this._revoking = undefined;
    this._board = 'hidden';
  }

  get #t(): DutyBearersStrings {
    return DUTY_BEARERS_STRINGS[this.locale];
  }

  protected override async load(slug: string): Promise<Board> {
    // Another campaign: nothing of the last one's forms, link or board stays open.
    if (slug !== this.#loaded) {
      this.#loaded = slug;
      this._form = undefined;
      this._issued = undefined;
      this._board = 'hidden';
    }
    const [targets, asks, demands, links] = await Promise.all([
      dutyBearersApi.targets(),
      dutyBearersApi.asks(slug),
      dutyBearersApi.demands(slug),
      dutyBearersApi.links(slug),
    ]);
    return { targets, asks, demands, links };
  }
  #loaded = '';

  async #reload(): Promise<void> {
    this._figures = await this.load(this._slug);
  }

  /** The name as a reader in this language sees it (the Kiswahili one where there is one). */
  #name(target: AdminTarget): string {
    return (this.locale === 'sw' && target.nameSw) || target.name;
  }

  #date(iso: string): string {
    let format = DATE_FORMATS.get(this.locale);
    if (!format) {
      format = new Intl.DateTimeFormat(this.locale === 'sw' ? 'sw-KE' : 'en-KE', { dateStyle: 'medium', timeZone: 'Africa/Nairobi' });
      DATE_FORMATS.set(this.locale, format);
    }
    return format.format(new Date(iso));
  }

  #calendarDay(date: string): string {
    // Noon UTC is that day in Nairobi too.
    return this.#date(`${date}T12:00:00Z`);
  }

  #countyName(code: string | null): string {
    return countyOptions(this.locale).find(([c]) => c === code)?.[1] ?? code ?? '';
  }

  #open(form: Form): void {
    this._form = form;
    this._errors = {};
    this._alert = '';
    this._notice = '';
    this._issued = undefined;
    this._level = form.kind === 'edit' ? form.target.jurisdiction.level : 'national';
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#form-title')?.focus());
  }

  /** Closes the form; after a change, says so and takes the keyboard to the duty bearer it was about. */
  #close(notice = '', targetId?: string): void {
    this._form = undefined;
    this._errors = {};
    this._alert = '';
    this._notice = notice;
    if (targetId) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`li[data-target="${targetId}"] h3`)?.focus());
  }

  /** Runs one change; a 422 marks its fields, anything else says what went wrong. */
  async #run(task: (csrf: string) => Promise<void>): Promise<void> {
    const csrf = this.session?.csrfToken;
    if (!csrf || this._busy) return;
    this._busy = true;
    this._alert = '';
    this._notice = '';
    try {
      await task(csrf);
    } catch (error) {
      if (error instanceof ApiError && error.status === 422 && error.errors.length) {
        this._errors = Object.fromEntries(error.errors.map((f) => [f.path, f.code]));
        // A target not asked has no field of its own to mark.
        this._alert = this._errors['targetId'] ? this.#t.fieldErrors['targetId']! : this.#t.fixFields;
        await this.updateComplete;
        this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      } else if (error instanceof ApiError && error.status === 403) {
        this._alert = this.#t.forbidden;
      } else if (error instanceof ApiError && error.status === 404) {
        this._alert = this.#t.gone;
        await this.#reload().catch(() => undefined);
      } else {
        this._alert = STRINGS[this.locale].error;
      }
    } finally {
      this._busy = false;
    }
  }

  async #saveTarget(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = this._form;
    if (!form || (form.kind !== 'add' && form.kind !== 'edit')) return;
    const data = new FormData(event.target as HTMLFormElement);
    const text = (key: string) => {
      const value = String(data.get(key) ?? '').trim();
      return value === '' ? null : value;
    };
    const level = data.get('level') === 'county' ? 'county' : 'national';
    const input: TargetInput = {
      name: String(data.get('name') ?? '').trim(),
      nameSw: text('nameSw'),
      office: text('office'),
      officeSw: text('officeSw'),
      institution: text('institution'),
      institutionSw: text('institutionSw'),
      jurisdiction: level === 'county' ? { level, county: text('county') } : { level },
      publicContact: text('publicContact'),
    };
    await this.#run(async (csrf) => {
      const saved = form.kind === 'edit' ? await dutyBearersApi.editTarget(csrf, form.target.id, input) : await dutyBearersApi.createTarget(csrf, input);
      await this.#reload();
      this.#close(form.kind === 'edit' ? this.#t.edited(this.#name(saved)) : this.#t.added(this.#name(saved)), saved.id);
    });
  }

  async #saveAsk(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = this._form;
    if (form?.kind !== 'ask') return;
    const data = new FormData(event.target as HTMLFormElement);
    const demandIds = data.getAll('demand').map(String);
    const dueOn = String(data.get('dueOn') ?? '');
    await this.#run(async (csrf) => {
      if (!demandIds.length) throw new ApiError(422, undefined, [{ path: 'demandIds', code: 'required' }]);
      await dutyBearersApi.ask(csrf, this._slug, form.target.id, { demandIds, askedOn: String(data.get('askedOn') ?? ''), dueOn: dueOn || null });
      await this.#reload();
      this.#close(this.#t.asked(this.#name(form.target)), form.target.id);
    });
  }

  async #savePosition(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = this._form;
    if (form?.kind !== 'position') return;
    const data = new FormData(event.target as HTMLFormElement);
    const text = (key: string) => {
      const value = String(data.get(key) ?? '').trim();
      return value === '' ? null : value;
    };
    const demandIds = data.getAll('demand').map(String);
    const status = String(data.get('stance')) as Stance;
    await this.#run(async (csrf) => {
      if (!demandIds.length) throw new ApiError(422, undefined, [{ path: 'demandIds', code: 'required' }]);
      await dutyBearersApi.recordPosition(csrf, this._slug, {
        targetId: form.target.id,
        demandIds,
        status,
        statement: text('statement'),
        statementSw: text('statementSw'),
        evidenceUrl: text('evidenceUrl'),
      });
      await this.#reload();
      this.#close(this.#t.recorded(this.#name(form.target)), form.target.id);
    });
  }

  async #issueLink(target: AdminTarget): Promise<void> {
    await this.#run(async (csrf) => {
      const issued = await dutyBearersApi.issueLink(csrf, this._slug, target.id);
      this._form = undefined;
      this._copy = '';
      this._issued = { url: issued.url, name: this.#name(target), targetId: target.id };
      await this.#reload();
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#issued-title')?.focus();
    });
  }

  async #copyLink(): Promise<void> {
    const field = this.renderRoot.querySelector<HTMLInputElement>('#issued-url');
    if (!field || !this._issued) return;
    try {
      await navigator.clipboard.writeText(this._issued.url);
      this._copy = 'copied';
    } catch {
      // No clipboard access (an older browser, a policy): the link is selected for the staff member to copy.
      field.select();
      this._copy = 'failed';
    }
  }

  #askRevoke(link: ResponseLink): void {
    this._revoking = link;
    this._notice = '';
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLDialogElement>('dialog')?.showModal());
  }

  #cancelRevoke(): void {
    this.renderRoot.querySelector<HTMLDialogElement>('dialog')?.close();
  }

  async #confirmRevoke(): Promise<void> {
    const link = this._revoking;
    if (!link) return;
    await this.#run(async (csrf) => {
      await dutyBearersApi.revokeLink(csrf, this._slug, link.id);
      await this.#reload();
      this._notice = this.#t.revoked;
    });
    this.#cancelRevoke();
  }

  async #showBoard(): Promise<void> {
    this._board = 'loading';
    try {
      await loadBoardElement();
      this._board = 'shown';
    } catch {
      this._board = 'failed';
    }
  }

  protected override figures(board: Board): TemplateResult {
    const t = this.#t;
    const asks = new Map(board.asks.map((a) => [a.targetId, a]));
    const names = new Map(board.targets.map((target) => [target.id, this.#name(target)]));
    const overdue = board.asks.filter((a) => a.overdue);
    // Those this campaign asked first; the others (asked by other campaigns, or not yet) after them.
    const targets = [...board.targets.filter((target) => asks.has(target.id)), ...board.targets.filter((target) => !asks.has(target.id))];
    return html`
      <p class="intro">${t.intro}</p>
      <p class="notice" role="status">${this._notice}</p>
      <p class="error" role="alert">${this._form ? '' : this._alert}</p>

      <h2 id="overdue-title">${t.overdueTitle}</h2>
      <p class="hint">${t.overdueIntro}</p>
      ${overdue.length
        ? html`<ul aria-labelledby="overdue-title" data-list="overdue">
            ${overdue.map(
              (a) => html`<li data-target=${a.targetId}>
                <strong>${names.get(a.targetId) ?? a.targetId}</strong>
                <span class="badge overdue">${t.overdueBy(a.daysOverdue ?? 1)}</span>
                <span class="hint">${a.dueOn ? t.dueOn(this.#calendarDay(a.dueOn)) : nothing}</span>
              </li>`,
            )}
          </ul>`
        : html`<p>${t.noneOverdue}</p>`}

      <h2 id="targets-title">${t.targetsTitle}</h2>
      <div class="actions">
        <button class="primary" type="button" @click=${() => this.#open({ kind: 'add' })}>${t.add}</button>
      </div>
      ${this._form?.kind === 'add' ? this.#formView(board, asks) : nothing}
      ${targets.length
        ? html`<ul class="targets" aria-labelledby="targets-title">
            ${targets.map((target) => this.#target(board, target, asks))}
          </ul>`
        : html`<p>${t.noTargets}</p>`}

      <h2 id="links-title">${t.linksTitle}</h2>
      <p class="hint">${t.linksIntro}</p>
      ${board.links.length ? this.#linksTable(board.links, names) : html`<p>${t.noLinks}</p>`}

      <h2 id="board-title">${t.boardTitle}</h2>
      ${this.#boardView()} ${this.#revokeDialog(names)}
    `;
  }

  #target(board: Board, target: AdminTarget, asks: Map<string, AskStatus>): TemplateResult {
    const t = this.#t;
    const ask = asks.get(target.id);
    const form = this._form;
    const office = [this.locale === 'sw' ? (target.officeSw ?? target.office) : target.office, this.locale === 'sw' ? (target.institutionSw ?? target.institution) : target.institution]
      .filter(Boolean)
      .join(' · ');
    const where = target.jurisdiction.level === 'county' ? t.countyOf(this.#countyName(target.jurisdiction.county)) : t.national;
    const id = `target-${target.id}`;
    return html`<li data-target=${target.id}>
      <h3 id=${id} tabindex="-1">${this.#name(target)}</h3>
      ${office ? html`<p>${office}</p>` : nothing}
      <p>${where}${target.jurisdiction.ocdId ? html` · <code title=${t.ocd}>${target.jurisdiction.ocdId}</code>` : nothing}</p>
      <p>
        ${ask
          ? html`${t.askedOn(this.#calendarDay(ask.askedOn))}${ask.dueOn ? html`, ${t.dueOn(this.#calendarDay(ask.dueOn))}` : nothing} ·
              ${ask.overdue
                ? html`<span class="badge overdue">${t.overdueBy(ask.daysOverdue ?? 1)}</span>`
                : ask.responded
                  ? html`<span class="badge answered">${t.answered}</span>`
                  : html`<span class="hint">${t.waiting}</span>`}`
          : html`<span class="hint">${t.notAsked}</span>`}
      </p>
      <div class="actions" role="group" aria-labelledby=${id}>
        <button class="secondary" type="button" @click=${() => this.#open({ kind: 'edit', target })}>${t.edit}</button>
        <button class="secondary" type="button" @click=${() => this.#open({ kind: 'ask', target })}>${t.ask}</button>
        ${ask
          ? html`<button class="secondary" type="button" @click=${() => this.#open({ kind: 'position', target })}>${t.record}</button>
              <button class="secondary" type="button" ?disabled=${this._busy} @click=${() => this.#issueLink(target)}>${t.issue}</button>`
          : nothing}
      </div>
      ${form && form.kind !== 'add' && form.target.id === target.id ? this.#formView(board, asks) : nothing}
      ${this._issued?.targetId === target.id ? this.#issuedView() : nothing}
    </li>`;
  }

  /** A labelled control with its hint and its field error, tied together for screen readers. */
  #field(name: string, label: string, control: (describedBy: string, invalid: boolean) => TemplateResult, hint?: string): TemplateResult {
    const code = this._errors[name];
    const ids = [hint ? `${name}-hint` : '', code ? `${name}-error` : ''].filter(Boolean).join(' ');
    return html`<div class="field">
      <label for=${name}>${label}</label>
      ${control(ids, Boolean(code))} ${hint ? html`<span class="hint" id=${`${name}-hint`}>${hint}</span>` : nothing}
      ${code ? html`<span class="error" id=${`${name}-error`}>${this.#t.fieldErrors[name] ?? STRINGS[this.locale].error}</span>` : nothing}
    </div>`;
  }

  #text(name: string, label: string, value: string | null, options: { hint?: string; type?: string; maxlength?: number; autocomplete?: string } = {}): TemplateResult {
    return this.#field(
      name,
      label,
      (describedBy, invalid) =>
        html`<input
          id=${name}
          name=${name}
          type=${options.type ?? 'text'}
          .value=${value ?? ''}
          maxlength=${options.maxlength ?? 200}
          autocomplete="off"
          aria-describedby=${describedBy || nothing}
          aria-invalid=${invalid ? 'true' : 'false'}
        />`,
      options.hint,
    );
  }

  #demandBoxes(name: string, legend: string, demands: Demand[], checked: (id: string) => boolean): TemplateResult {
    const code = this._errors['demandIds'];
    return html`<fieldset aria-describedby=${code ? 'demandIds-error' : nothing}>
      <legend>${legend}</legend>
      ${demands.map(
        (d) => html`<label><input type="checkbox" name=${name} value=${d.id} ?checked=${checked(d.id)} aria-invalid=${code ? 'true' : 'false'} />
          <span>${d.text[this.locale]}</span></label>`,
      )}
      ${code ? html`<span class="error" id="demandIds-error">${this.#t.fieldErrors['demandIds']}</span>` : nothing}
    </fieldset>`;
  }

  /** The add form stands under the view's h2; the others inside a duty bearer's entry, under its h3. */
  #formTitle(text: string, top = false): TemplateResult {
    return top ? html`<h3 id="form-title" tabindex="-1">${text}</h3>` : html`<h4 id="form-title" tabindex="-1">${text}</h4>`;
  }

  /** The link is gone from the page for good: only its fingerprint is kept anywhere. */
  #closeIssued(): void {
    const targetId = this._issued?.targetId;
    this._issued = undefined;
    this._copy = '';
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`li[data-target="${targetId}"] h3`)?.focus());
  }

  #formView(board: Board, asks: Map<string, AskStatus>): TemplateResult | typeof nothing {
    const form = this._form;
    if (!form) return nothing;
    const t = this.#t;
    const buttons = html`<p class="error" role="alert">${this._alert}</p>
      <div class="actions">
      <button class="primary" type="submit" ?disabled=${this._busy}>${t.save}</button>
      <button class="secondary" type="button" @click=${() => this.#close('', form.kind === 'add' ? undefined : form.target.id)}>${t.cancel}</button>
    </div>`;
    if (form.kind === 'add' || form.kind === 'edit') {
      const target = form.kind === 'edit' ? form.target : undefined;
      return html`<form novalidate aria-labelledby="form-title" @submit=${this.#saveTarget}>
        ${this.#formTitle(target ? t.editTitle(this.#name(target)) : t.addTitle, !target)}
        ${this.#text('name', t.name, target?.name ?? null)} ${this.#text('nameSw', t.nameSw, target?.nameSw ?? null, { hint: t.swHint })}
        ${this.#text('office', t.office, target?.office ?? null)} ${this.#text('officeSw', t.officeSw, target?.officeSw ?? null)}
        ${this.#text('institution', t.institution, target?.institution ?? null)}
        ${this.#text('institutionSw', t.institutionSw, target?.institutionSw ?? null)}
        ${this.#field(
          'level',
          t.level,
          () => html`<select id="level" name="level" @change=${(e: Event) => (this._level = (e.target as HTMLSelectElement).value as Level)}>
            <option value="national" ?selected=${this._level === 'national'}>${t.national}</option>
            <option value="county" ?selected=${this._level === 'county'}>${t.county}</option>
          </select>`,
        )}
        ${this._level === 'county'
          ? this.#field(
              'jurisdiction.county',
              t.county,
              (describedBy, invalid) => html`<select
                id="jurisdiction.county"
                name="county"
                aria-describedby=${describedBy || nothing}
                aria-invalid=${invalid ? 'true' : 'false'}
              >
                <option value="">${t.chooseCounty}</option>
                ${countyOptions(this.locale).map(
                  ([code, name]) => html`<option value=${code} ?selected=${target?.jurisdiction.county === code}>${name}</option>`,
                )}
              </select>`,
              t.ocdHint,
            )
          : nothing}
        ${this.#text('publicContact', t.publicContact, target?.publicContact ?? null, { hint: t.publicContactHint, maxlength: 300 })} ${buttons}
      </form>`;
    }
    const { target } = form;
    const ask = asks.get(target.id);
    if (form.kind === 'ask') {
      const today = nairobiToday();
      return html`<form novalidate aria-labelledby="form-title" @submit=${this.#saveAsk}>
        ${this.#formTitle(t.askTitle(this.#name(target)))}
        ${this.#demandBoxes('demand', t.demands, board.demands, (id) => !ask || ask.demandIds.includes(id))}
        ${this.#text('askedOn', t.askedOnLabel, ask?.askedOn ?? today, { type: 'date', maxlength: 10 })}
        ${this.#text('dueOn', t.dueOnLabel, ask?.dueOn ?? null, { type: 'date', maxlength: 10, hint: t.dueHint })} ${buttons}
      </form>`;
    }
    const asked = board.demands.filter((d) => ask?.demandIds.includes(d.id));
    return html`<form novalidate aria-labelledby="form-title" @submit=${this.#savePosition}>
      ${this.#formTitle(t.positionTitle(this.#name(target)))}
      ${this.#field(
        'status',
        t.stance,
        (describedBy, invalid) => html`<select id="status" name="stance" aria-describedby=${describedBy || nothing} aria-invalid=${invalid ? 'true' : 'false'}>
          ${STANCES.map((stance) => html`<option value=${stance}>${t.stances[stance]}</option>`)}
        </select>`,
      )}
      ${this.#demandBoxes('demand', t.demandsOfPosition, asked, () => true)}
      ${this.#field(
        'statement',
        t.statement,
        (describedBy, invalid) =>
          html`<textarea id="statement" name="statement" maxlength="4000" aria-describedby=${describedBy || nothing} aria-invalid=${invalid ? 'true' : 'false'}></textarea>`,
      )}
      ${this.#field(
        'statementSw',
        t.statementSw,
        (describedBy, invalid) =>
          html`<textarea id="statementSw" name="statementSw" maxlength="4000" aria-describedby=${describedBy || nothing} aria-invalid=${invalid ? 'true' : 'false'}></textarea>`,
      )}
      ${this.#text('evidenceUrl', t.evidence, null, { type: 'url', maxlength: 500, hint: t.evidenceHint })} ${buttons}
    </form>`;
  }

  #issuedView(): TemplateResult | typeof nothing {
    const issued = this._issued;
    if (!issued) return nothing;
    const t = this.#t;
    return html`<section class="panel" aria-labelledby="issued-title">
      <h4 id="issued-title" tabindex="-1">${t.copyNow}</h4>
      <p class="hint" id="issued-hint">${t.newLinkHint}</p>
      <label for="issued-url">${t.newLink(issued.name)}</label>
      <input id="issued-url" type="text" readonly .value=${issued.url} aria-describedby="issued-hint" />
      <div class="actions">
        <button class="primary" type="button" @click=${this.#copyLink}>${t.copy}</button>
        <button class="secondary" type="button" @click=${() => this.#closeIssued()}>${t.done}</button>
      </div>
      <p role="status" class=${this._copy === 'failed' ? 'error' : 'notice'}>${this._copy === 'copied' ? t.copied : this._copy === 'failed' ? t.copyFailed : ''}</p>
    </section>`;
  }

  #linksTable(links: ResponseLink[], names: Map<string, string>): TemplateResult {
    const t = this.#t;
    const now = Date.now();
    const state = (link: ResponseLink) =>
      link.revokedAt
        ? t.revokedOn(this.#date(link.revokedAt))
        : Date.parse(link.expiresAt) <= now
          ? t.expired
          : link.lastUsedAt
            ? t.used(this.#date(link.lastUsedAt))
            : t.active;
    return html`<div class="table" role="region" aria-labelledby="links-title" tabindex="0">
      <table>
        <thead>
          <tr>
            <th scope="col">${t.target}</th>
            <th scope="col">${t.created}</th>
            <th scope="col">${t.expires}</th>
            <th scope="col">${t.state}</th>
            <th scope="col"><span class="hint">${t.revoke}</span></th>
          </tr>
        </thead>
        <tbody>
          ${[...links].reverse().map(
            (link) => html`<tr data-link=${link.id}>
              <th scope="row">${names.get(link.targetId) ?? link.targetId}</th>
              <td>${this.#date(link.createdAt)}</td>
              <td>${this.#date(link.expiresAt)}</td>
              <td>${state(link)}</td>
              <td>
                ${link.revokedAt || Date.parse(link.expiresAt) <= now
                  ? nothing
                  : html`<button class="secondary" type="button" aria-describedby=${`link-${link.id}`} @click=${() => this.#askRevoke(link)}>
                      ${t.revoke}<span class="hint" hidden id=${`link-${link.id}`}>${names.get(link.targetId) ?? ''}</span>
                    </button>`}
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  #revokeDialog(names: Map<string, string>): TemplateResult {
    const t = this.#t;
    const link = this._revoking;
    return html`<dialog aria-labelledby="revoke-title" aria-describedby="revoke-body" @close=${() => (this._revoking = undefined)}>
      ${link
        ? html`<h3 id="revoke-title">${t.revokeTitle}</h3>
            <p id="revoke-body">${t.revokeBody(names.get(link.targetId) ?? '')}</p>
            <div class="actions">
              <button class="primary" type="button" ?disabled=${this._busy} @click=${this.#confirmRevoke}>${t.revokeConfirm}</button>
              <button class="secondary" type="button" autofocus @click=${this.#cancelRevoke}>${t.cancel}</button>
            </div>`
        : nothing}
    </dialog>`;
  }

  #boardView(): TemplateResult {
    const t = this.#t;
    const campaign = this._campaigns?.find((c) => c.slug === this._slug);
    if (campaign?.status === 'draft') return html`<p>${t.boardDraft}</p>`;
    switch (this._board) {
      case 'hidden':
        return html`<p class="hint">${t.boardIntro}</p>
          <button class="secondary" type="button" @click=${this.#showBoard}>${t.showBoard}</button>`;
      case 'loading':
        return html`<p role="status">${STRINGS[this.locale].loading}</p>`;
      case 'failed':
        return html`<p class="error" role="alert">${STRINGS[this.locale].error}</p>`;
      case 'shown':
        return html`<p class="hint">${t.boardIntro}</p>
          <imlu-accountability api=${location.origin} campaign=${this._slug} lang=${this.locale}></imlu-accountability>`;
    }
  }
}

/** Today in Nairobi, YYYY-MM-DD: the day an ask is made, by default. */
function nairobiToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Africa/Nairobi' }).format(new Date());
}

let boardElement: Promise<unknown> | undefined;

/**
 * Defines `<imlu-accountability>` from the widget bundle this API serves (`/embed.js`, the same file partners
 * load), so the preview is the board readers get. embed.js looks for its tags in the document, not inside
 * other components' shadow roots (docs/embedding.md), and this view lives in two of them: a hidden element
 * without a campaign (which loads nothing) stands in the document until the tag is defined, then leaves.
 */
function loadBoardElement(): Promise<unknown> {
  if (customElements.get('imlu-accountability')) return Promise.resolve();
  boardElement ??= (async () => {
    const probe = document.createElement('imlu-accountability');
    probe.hidden = true;
    document.body.append(probe);
    try {
      await import(/* @vite-ignore */ EMBED);
      // embed.js swallows a chunk that failed to load (it retries at the next change): do not wait for ever.
      await Promise.race([
        customElements.whenDefined('imlu-accountability'),
        new Promise((_, reject) => setTimeout(() => reject(new Error('board element not defined')), 20_000)),
      ]);
    } finally {
      probe.remove();
    }
  })().catch((error: unknown) => {
    boardElement = undefined;
    throw error;
  });
  return boardElement;
}
