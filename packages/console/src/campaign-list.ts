import { html, LitElement, nothing, type CSSResultGroup, type PropertyValues } from 'lit';
import { ApiError, type Session } from './api.ts';
import { CampaignFigures } from './campaign-figures.ts';
import { confirmBox, PARTS_STRINGS, partsStyles } from './parts.ts';
import { STRINGS, type Locale } from './strings.ts';

/**
 * What a list kept under one campaign shares (its milestones, its partners' read-only links): loading for the
 * campaign `slug`, adding through a form whose refusal names fields, and removing an item after a "yes".
 * Changes need `campaigns:write`; the list itself shows with `campaigns:read`.
 */
export abstract class CampaignList<Item, Field extends string> extends LitElement {
  static override styles: CSSResultGroup = [CampaignFigures.styles, partsStyles];

  static override properties = {
    locale: {},
    session: { attribute: false },
    slug: {},
    _items: { state: true },
    _pending: { state: true },
    _errors: { state: true },
    _notice: { state: true },
    _error: { state: true },
    _busy: { state: true },
  };

  declare locale: Locale;
  declare session: Session | undefined;
  declare slug: string;
  declare _items: Item[] | undefined;
  /** The item waiting for a "yes" to its removal. */
  declare _pending: Item | undefined;
  declare _errors: Partial<Record<Field, string>>;
  declare _notice: string;
  declare _error: string;
  declare _busy: boolean;

  constructor() {
    super();
    this.locale = 'en';
    this.session = undefined;
    this.slug = '';
    this._items = undefined;
    this._pending = undefined;
    this._errors = {};
    this._notice = '';
    this._error = '';
    this._busy = false;
  }

  /** The campaign's items, from the admin API. */
  protected abstract fetch(slug: string): Promise<Item[]>;

  protected get canWrite(): boolean {
    return this.session?.scopes.includes('campaigns:write') ?? false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('slug') && this.slug) {
      this._pending = undefined;
      this._errors = {};
      void this.reload();
    }
  }

  protected async reload(): Promise<void> {
    const slug = this.slug;
    try {
      const items = await this.fetch(slug);
      if (slug === this.slug) this._items = items; // else another campaign was chosen meanwhile
    } catch {
      this._error = STRINGS[this.locale].error;
    }
  }

  /**
   * Runs a change with the session's CSRF token; its result is announced. A 422 becomes field errors through
   * `fields` (focus goes to the first bad field), anything else one message. True when it went through.
   */
  protected async change(task: (csrf: string) => Promise<string>, fields: (error: ApiError) => Partial<Record<Field, string>> = () => ({})): Promise<boolean> {
    const csrf = this.session?.csrfToken;
    if (!csrf) return false;
    this._errors = {};
    this._error = '';
    this._notice = '';
    this._busy = true;
    try {
      this._notice = await task(csrf);
      await this.reload();
      return true;
    } catch (error) {
      const found = error instanceof ApiError && error.status === 422 ? fields(error) : {};
      if (Object.keys(found).length) {
        this._errors = found;
        void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      } else {
        this._error = STRINGS[this.locale].error;
      }
      return false;
    } finally {
      this._busy = false;
    }
  }

  /** Asks before removing `item`. */
  protected ask(item: Item): void {
    this._pending = item;
    this._notice = '';
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#confirm-question')?.focus());
  }

  /** The question for `_pending`, whose "yes" runs `remove` (which returns the message to announce). */
  protected confirmation(question: (item: Item) => string, yes: string, remove: (item: Item, csrf: string) => Promise<string>) {
    const item = this._pending;
    if (item === undefined) return nothing;
    return confirmBox(this.locale, {
      question: question(item),
      yes,
      busy: this._busy,
      onYes: () =>
        void this.change((csrf) => remove(item, csrf)).then((done) => {
          if (done) this._pending = undefined;
        }),
      onCancel: () => (this._pending = undefined),
    });
  }

  /** The error and result lines, announced. */
  protected messages() {
    return html`<p class="error" role="alert">${this._error}</p>
      <p role="status">${this._notice}</p>`;
  }

  /** A form's line saying what to correct, when a change was refused. */
  protected correct() {
    const errors = Object.values(this._errors) as string[];
    return errors.length ? html`<p class="error" role="alert">${PARTS_STRINGS[this.locale].fixThese} ${errors.join(' ')}</p>` : nothing;
  }

  /** A labelled input with its error (from `_errors[field]`) and hint, both tied to it. */
  protected input(
    field: Field,
    id: string,
    label: string,
    attributes: { name?: string; type?: string; lang?: string; maxlength?: number; value?: string; list?: string; required?: boolean; hint?: string },
  ) {
    const error = this._errors[field];
    const described = [attributes.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
    return html`<div>
      <label for=${id}>${label}</label>
      ${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : nothing}
      <input
        id=${id}
        name=${attributes.name ?? field}
        type=${attributes.type ?? 'text'}
        lang=${attributes.lang ?? nothing}
        maxlength=${attributes.maxlength ?? nothing}
        list=${attributes.list ?? nothing}
        inputmode=${attributes.type === 'number' ? 'numeric' : nothing}
        value=${attributes.value ?? nothing}
        ?required=${attributes.required ?? false}
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${described || nothing}
      />
      ${attributes.hint ? html`<p class="hint" id="${id}-hint">${attributes.hint}</p>` : nothing}
    </div>`;
  }

  protected day(at: string): string {
    return new Intl.DateTimeFormat(this.locale === 'sw' ? 'sw-KE' : 'en-KE', { dateStyle: 'medium', timeZone: 'Africa/Nairobi' }).format(new Date(at));
  }
}
