import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { ApiError, call, type Session } from './api.ts';
import { CampaignFigures } from './campaign-figures.ts';
import { confirmBox, PARTS_STRINGS, partsStyles } from './parts.ts';
import { STRINGS, type Locale } from './strings.ts';

/** `GET /admin/campaigns/{slug}/milestones`: as the public board shows them. */
interface Milestone {
  threshold: number;
  label: { en: string; sw: string };
  reachedAt: string | null;
  step?: { targetName: string; step: 'deliver' | 'ask_response'; due: boolean } | null;
}

type Field = 'threshold' | 'label.en' | 'label.sw';

const WORDS: Record<
  Locale,
  {
    title: string;
    intro: string;
    none: string;
    threshold: string;
    label: string;
    labelEn: string;
    labelSw: string;
    reached: string;
    notYet: string;
    step: (name: string, step: 'deliver' | 'ask_response') => string;
    add: string;
    addTitle: string;
    added: (n: string) => string;
    remove: string;
    removeConfirm: (n: string) => string;
    removeYes: string;
    removed: (n: string) => string;
    errors: Record<Field, string>;
  }
> = {
  en: {
    title: 'Milestones',
    intro:
      'Signature counts worth marking, such as “1,000: presented to IPOA”. The date each is reached is recorded when the count first gets there; one added below the count is reached at once. Supporters see the next one under the count.',
    none: 'No milestones yet.',
    threshold: 'Signatures',
    label: 'What it means',
    labelEn: 'What it means, in English',
    labelSw: 'What it means, in Kiswahili',
    reached: 'Reached',
    notYet: 'not yet',
    step: (name, step) => (step === 'deliver' ? `then deliver the signatures to ${name}` : `then ask ${name} for a response`),
    add: 'Add the milestone',
    addTitle: 'New milestone',
    added: (n) => `The milestone at ${n} signatures is added.`,
    remove: 'Remove',
    removeConfirm: (n) => `Remove the milestone at ${n} signatures?`,
    removeYes: 'Yes, remove',
    removed: (n) => `The milestone at ${n} signatures is removed.`,
    errors: {
      threshold: 'A whole number of signatures from 1, not already a milestone of this campaign.',
      'label.en': 'Say what it means in English (up to 200 characters).',
      'label.sw': 'Say what it means in Kiswahili (up to 200 characters).',
    },
  },
  sw: {
    title: 'Hatua muhimu',
    intro:
      'Idadi za sahihi zinazostahili kuadhimishwa, kama “1,000: kuwasilishwa kwa IPOA”. Tarehe ya kufikiwa kwa kila moja hurekodiwa idadi inapoifikia kwa mara ya kwanza; iliyoongezwa chini ya idadi iliyopo inafikiwa mara moja. Wafuasi huona inayofuata chini ya idadi.',
    none: 'Bado hakuna hatua muhimu.',
    threshold: 'Sahihi',
    label: 'Maana yake',
    labelEn: 'Maana yake, kwa Kiingereza',
    labelSw: 'Maana yake, kwa Kiswahili',
    reached: 'Ilifikiwa',
    notYet: 'bado',
    step: (name, step) => (step === 'deliver' ? `kisha kuwasilisha sahihi kwa ${name}` : `kisha kumwomba ${name} ajibu`),
    add: 'Ongeza hatua muhimu',
    addTitle: 'Hatua muhimu mpya',
    added: (n) => `Hatua muhimu ya sahihi ${n} imeongezwa.`,
    remove: 'Ondoa',
    removeConfirm: (n) => `Uondoe hatua muhimu ya sahihi ${n}?`,
    removeYes: 'Ndiyo, ondoa',
    removed: (n) => `Hatua muhimu ya sahihi ${n} imeondolewa.`,
    errors: {
      threshold: 'Idadi kamili ya sahihi kuanzia 1, ambayo si hatua muhimu ya kampeni hii tayari.',
      'label.en': 'Eleza maana yake kwa Kiingereza (hadi herufi 200).',
      'label.sw': 'Eleza maana yake kwa Kiswahili (hadi herufi 200).',
    },
  },
};

const path = (slug: string) => `/admin/campaigns/${encodeURIComponent(slug)}/milestones`;

/**
 * @tagname imlu-console-milestones
 * @summary On a campaign's page in the Campaigns view: its milestones (threshold, label in en and sw, the date
 * reached), added and removed with `campaigns:write` (`/admin/campaigns/{slug}/milestones`, audited). A step
 * towards a duty bearer at a milestone is shown; it is set with `imlu` or the API.
 */
export class ImluConsoleMilestones extends LitElement {
  static override styles = [
    CampaignFigures.styles,
    partsStyles,
    css`
      .pair {
        display: grid;
        gap: 0 1rem;
      }
      @media (min-width: 40rem) {
        .pair {
          grid-template-columns: 1fr 1fr;
        }
      }
    `,
  ];

  static override properties = {
    locale: {},
    session: { attribute: false },
    slug: {},
    _milestones: { state: true },
    _pending: { state: true },
    _errors: { state: true },
    _notice: { state: true },
    _error: { state: true },
    _busy: { state: true },
  };

  declare locale: Locale;
  declare session: Session | undefined;
  declare slug: string;
  declare _milestones: Milestone[] | undefined;
  declare _pending: Milestone | undefined;
  declare _errors: Partial<Record<Field, string>>;
  declare _notice: string;
  declare _error: string;
  declare _busy: boolean;

  constructor() {
    super();
    this.locale = 'en';
    this.session = undefined;
    this.slug = '';
    this._milestones = undefined;
    this._pending = undefined;
    this._errors = {};
    this._notice = '';
    this._error = '';
    this._busy = false;
  }

  get #t() {
    return WORDS[this.locale];
  }

  get #canWrite(): boolean {
    return this.session?.scopes.includes('campaigns:write') ?? false;
  }

  #n(n: number): string {
    return new Intl.NumberFormat(this.locale === 'sw' ? 'sw-KE' : 'en-KE').format(n);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('slug') && this.slug) void this.#load();
  }

  async #load(): Promise<void> {
    const slug = this.slug;
    try {
      const { milestones } = await call<{ milestones: Milestone[] }>(path(slug));
      if (slug === this.slug) this._milestones = milestones;
    } catch {
      this._error = STRINGS[this.locale].error;
    }
  }

  async #add(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const csrf = this.session?.csrfToken;
    if (!csrf) return;
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const raw = String(data.get('threshold') ?? '').trim();
    const threshold = /^\d+$/.test(raw) ? Number(raw) : raw;
    const body = { threshold, label: { en: String(data.get('label-en') ?? ''), sw: String(data.get('label-sw') ?? '') } };
    this._errors = {};
    this._error = '';
    this._notice = '';
    this._busy = true;
    try {
      const added = await call<Milestone>(path(this.slug), { method: 'POST', csrf, body: JSON.stringify(body) });
      form.reset();
      this._notice = this.#t.added(this.#n(added.threshold));
      await this.#load();
    } catch (error) {
      if (error instanceof ApiError && error.status === 422 && error.errors.length) {
        const errors: typeof this._errors = {};
        for (const field of ['threshold', 'label.en', 'label.sw'] as const) {
          if (error.errors.some((e) => e.path === field || (field !== 'threshold' && e.path === 'label'))) errors[field] = this.#t.errors[field];
        }
        this._errors = Object.keys(errors).length ? errors : { threshold: this.#t.errors.threshold };
        void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      } else {
        this._error = STRINGS[this.locale].error;
      }
    } finally {
      this._busy = false;
    }
  }

  async #remove(): Promise<void> {
    const milestone = this._pending;
    const csrf = this.session?.csrfToken;
    if (!milestone || !csrf) return;
    this._busy = true;
    this._error = '';
    try {
      await call(`${path(this.slug)}/${milestone.threshold}`, { method: 'DELETE', csrf });
      this._pending = undefined;
      this._notice = this.#t.removed(this.#n(milestone.threshold));
      await this.#load();
    } catch {
      this._error = STRINGS[this.locale].error;
    } finally {
      this._busy = false;
    }
  }

  #ask(milestone: Milestone): void {
    this._pending = milestone;
    this._notice = '';
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#confirm-question')?.focus());
  }

  #day(at: string): string {
    return new Intl.DateTimeFormat(this.locale === 'sw' ? 'sw-KE' : 'en-KE', { dateStyle: 'medium', timeZone: 'Africa/Nairobi' }).format(new Date(at));
  }

  protected override render() {
    const t = this.#t;
    return html`<section aria-labelledby="milestones-title">
      <h3 id="milestones-title">${t.title}</h3>
      <p class="hint">${t.intro}</p>
      <p class="error" role="alert">${this._error}</p>
      <p role="status">${this._notice}</p>
      ${this._pending
        ? confirmBox(this.locale, {
            question: t.removeConfirm(this.#n(this._pending.threshold)),
            yes: t.removeYes,
            busy: this._busy,
            onYes: () => void this.#remove(),
            onCancel: () => (this._pending = undefined),
          })
        : nothing}
      ${this._milestones === undefined ? html`<p>${STRINGS[this.locale].loading}</p>` : this.#table(this._milestones)}
      ${this.#canWrite ? this.#form() : nothing}
    </section>`;
  }

  #table(milestones: Milestone[]) {
    const t = this.#t;
    if (!milestones.length) return html`<p>${t.none}</p>`;
    return html`<div class="table" role="group" aria-labelledby="milestones-title" tabindex="0">
      <table>
        <thead>
          <tr>
            <th scope="col">${t.threshold}</th>
            <th scope="col">${t.label}</th>
            <th scope="col">${t.reached}</th>
            ${this.#canWrite ? html`<th scope="col"><span class="hint">${t.remove}</span></th>` : nothing}
          </tr>
        </thead>
        <tbody>
          ${milestones.map(
            (m) => html`<tr data-threshold=${m.threshold}>
              <th scope="row" class="n">${this.#n(m.threshold)}</th>
              <td>${m.label[this.locale]}${m.step ? html`<br /><span class="hint">${t.step(m.step.targetName, m.step.step)}</span>` : nothing}</td>
              <td>${m.reachedAt ? this.#day(m.reachedAt) : t.notYet}</td>
              ${this.#canWrite
                ? html`<td>
                    <button class="secondary" type="button" aria-label="${t.remove}: ${this.#n(m.threshold)}" @click=${() => this.#ask(m)}>${t.remove}</button>
                  </td>`
                : nothing}
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  #input(field: Field, id: string, label: string, attributes: { type?: string; lang?: string; maxlength?: number }) {
    const error = this._errors[field];
    return html`<div>
      <label for=${id}>${label}</label>
      ${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : nothing}
      <input
        id=${id}
        name=${id.replace('milestone-', '')}
        type=${attributes.type ?? 'text'}
        lang=${attributes.lang ?? nothing}
        maxlength=${attributes.maxlength ?? nothing}
        inputmode=${attributes.type === 'number' ? 'numeric' : nothing}
        required
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${error ? `${id}-error` : nothing}
      />
    </div>`;
  }

  #form() {
    const t = this.#t;
    const invalid = Object.keys(this._errors).length > 0;
    return html`<form @submit=${this.#add} novalidate aria-labelledby="milestone-add-title">
      <h4 id="milestone-add-title">${t.addTitle}</h4>
      ${invalid ? html`<p class="error" role="alert">${PARTS_STRINGS[this.locale].fixThese} ${Object.values(this._errors).join(' ')}</p>` : nothing}
      ${this.#input('threshold', 'milestone-threshold', t.threshold, { type: 'number' })}
      <div class="pair">
        ${this.#input('label.en', 'milestone-label-en', t.labelEn, { lang: 'en', maxlength: 200 })}
        ${this.#input('label.sw', 'milestone-label-sw', t.labelSw, { lang: 'sw', maxlength: 200 })}
      </div>
      <p><button class="primary" type="submit" ?disabled=${this._busy}>${t.add}</button></p>
    </form>`;
  }
}
