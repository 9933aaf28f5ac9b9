/**
 * A pledge campaign's actions in `<imlu-petition>`: the fieldset of checkboxes (title, date and time in
 * Nairobi, place, places left), the "remind me" choice, what the form sends of them, and what the thanks
 * say was pledged. In its own chunk, which the petition imports as soon as it knows the campaign is a
 * pledge with actions (`#load()` in `./petition.component.ts`), so that a petition without them pays
 * nothing for it; the form waits for it only on such a campaign.
 *
 * Like `./signing.ts` it imports nothing at run time that embed.js also contains: Lit's `html`, the
 * translator and the number format come in through the petition's `kit`. test/size.test.ts checks that.
 */
import type { CampaignForm, PledgeAction, SignRequest } from '@imlu/contracts';
import type { FieldErrorCode } from '@imlu/contracts/problems';
import type { TemplateResult } from 'lit';
import type { Catalog, Locale } from '../i18n/index.ts';
import type { Kit } from './kit.ts';
import { pledgeCatalog, type PledgeCatalog } from './pledge.messages.ts';

/**
 * "Remind me" only while a dated action is chosen, in CSS: no state to keep in step with the checkboxes
 * (which "Change my details" also sets). A browser without `:has()` drops the rule and always shows it.
 */
export const REMIND_RULE = 'fieldset:not(:has([data-dated]:checked)) .remind{display:none}';
let sheet: CSSStyleSheet | undefined;
function adoptRemindRule(root: ShadowRoot): void {
  try {
    if (!sheet) (sheet = new CSSStyleSheet()).replaceSync(REMIND_RULE);
    if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  } catch {
    // No constructable style sheets: the choice stays visible, which is harmless.
  }
}

const dateTimeFormats = new Map<Locale, Intl.DateTimeFormat>();

/** When an action starts, in Kenya's time whatever the signer's clock says: "Monday, 12 January 2027 at 09:00". */
function startsAt(locale: Locale, iso: string): string {
  let format = dateTimeFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(`${locale}-KE`, { dateStyle: 'full', timeStyle: 'short', timeZone: 'Africa/Nairobi' });
    dateTimeFormats.set(locale, format);
  }
  return format.format(new Date(iso));
}

export class Pledge {
  private readonly actions: PledgeAction[];
  /** The counts the campaign came with: the places left before the page-wide feed has any (the server's first paint). */
  private readonly counts: CampaignForm['counts'] | undefined;

  constructor(
    private readonly kit: Kit,
    { actions = [], counts }: Pick<CampaignForm, 'actions'> & Partial<Pick<CampaignForm, 'counts'>>,
    private readonly host: { readonly api: string; readonly campaign: string; readonly renderRoot: HTMLElement | DocumentFragment | undefined },
  ) {
    this.actions = [...actions].sort((a, b) => a.position - b.position);
    this.counts = counts;
    // No ShadowRoot on the server, where the first paint's styles carry the rule (../server/first-paint.ts).
    if (typeof ShadowRoot !== 'undefined' && host.renderRoot instanceof ShadowRoot) adoptRemindRule(host.renderRoot);
  }

  private t(locale: Locale): PledgeCatalog {
    return pledgeCatalog(locale, this.kit.msgFor);
  }

  /** The petition's words that speak of signatures (count, progress, comment label), said of pledges. */
  words(locale: Locale): Partial<Catalog> {
    const { progress, signatures, commentLabel } = this.t(locale);
    return { progress, signatures, commentLabel };
  }

  /** When and where, in words: "Monday, 12 January 2027 at 09:00 · Milimani Law Courts". */
  private details(locale: Locale, action: PledgeAction): string[] {
    const county = action.county && this.kit.countyOptions(locale).find(([code]) => code === action.county)?.[1];
    return [action.startsAt && startsAt(locale, action.startsAt), action.place?.[locale] ?? county].filter((text): text is string => !!text);
  }

  /**
   * The fieldset, with the error `signing` (once loaded) has for it. An action's places left come from the
   * `actions` figures of the petition's counts (the page-wide feed it shows), when they have them; without
   * them no places are shown (the API still refuses a full action). The first enabled checkbox has the id
   * `actions`, so that the signing moves the focus there on an error.
   */
  render(locale: Locale, signing: { errors: ReadonlyMap<string, FieldErrorCode> } | undefined): TemplateResult {
    const { html, nothing, formatNumber } = this.kit;
    const t = this.t(locale);
    const error = signing?.errors.get('actions');
    const counts = (this.host.api && this.kit.countsFeed(this.host.api, this.host.campaign).latest) || this.counts;
    const figures = new Map(counts?.actions?.map((figure) => [figure.id, figure.placesLeft]));
    let first = true;
    return html`<fieldset aria-describedby=${error ? 'pledge-hint actions-error' : 'pledge-hint'}>
      <legend>${t.legend}</legend>
      <p class="hint" id="pledge-hint">${t.hint}</p>
      ${error
        ? html`<p class="error" id="actions-error">${(t[`err_${error}` as keyof PledgeCatalog] as string | undefined) ?? t.err_invalid_action}</p>`
        : nothing}
      ${this.actions.map((action) => {
        const left = figures.get(action.id);
        // An action that has begun is shown but no longer offered (the API says `action_past`).
        const past = !!action.startsAt && Date.parse(action.startsAt) <= Date.now();
        const full = left === 0 || past;
        const id = first && !full ? ((first = false), 'actions') : `action-${action.position}`;
        const info = this.details(locale, action);
        if (past) info.push(t.past);
        else if (left != null) info.push(full ? t.full : t.placesLeft(formatNumber(locale, left), left));
        return html`<div class="check">
          <input
            type="checkbox"
            id=${id}
            name="actions"
            value=${action.id}
            ?disabled=${full}
            ?data-dated=${!!action.startsAt}
            aria-invalid=${error ? 'true' : nothing}
            aria-describedby=${info.length ? `${id}-info` : nothing}
          />
          <div>
            <label for=${id}>${action.title[locale]}</label>
            ${info.length ? html`<p class="hint" id="${id}-info">${info.join(' · ')}</p>` : nothing}
          </div>
        </div>`;
      })}
      ${this.actions.some((action) => action.startsAt)
        ? html`<div class="check remind">
            <input type="checkbox" id="remind" name="remind" />
            <label for="remind">${t.remind}</label>
          </div>`
        : nothing}
    </fieldset>`;
  }

  /**
   * The request's part of the form: the actions chosen, and whether to be reminded (only of a dated action
   * chosen: the choice is hidden otherwise). None chosen is the API's `actions_required`, said before sending.
   */
  read(data: FormData, errors: { set(field: 'actions', code: FieldErrorCode): unknown }): Pick<SignRequest, 'actions' | 'remind'> {
    const actions = data.getAll('actions').map(String);
    if (!actions.length) errors.set('actions', 'actions_required');
    return { actions, remind: data.has('remind') && this.actions.some((action) => action.startsAt && actions.includes(action.id)) };
  }

  /** In the thanks: what the signer pledged, with when and where. */
  thanks(locale: Locale, sent: SignRequest): TemplateResult | symbol {
    const { html, nothing } = this.kit;
    const pledged = this.actions.filter((action) => sent.actions?.includes(action.id));
    return pledged.length
      ? html`<p>${this.t(locale).pledged}</p>
          <ul>
            ${pledged.map((action) => html`<li>${[action.title[locale], ...this.details(locale, action)].join(' · ')}</li>`)}
          </ul>`
      : nothing;
  }
}

/** The petition's way in: a function, which its chunk names in fewer bytes than `new Pledge` (see vite.config.ts's budget). */
export function pledge(kit: Kit, data: ConstructorParameters<typeof Pledge>[1], host: ConstructorParameters<typeof Pledge>[2]): Pledge {
  return new Pledge(kit, data, host);
}
