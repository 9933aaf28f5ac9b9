import { css, html, nothing, type PropertyValues } from 'lit';
import { call } from './api.ts';
import { CampaignList } from './campaign-list.ts';
import { copyInput, shownOnce } from './parts.ts';
import { STRINGS, type Locale } from './strings.ts';

/** `GET /admin/campaigns/{slug}/partner-views` (docs/stats.md): never the links themselves. */
interface PartnerLink {
  id: string;
  origin: string;
  label: string | null;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

const STRINGS_OF: Record<
  Locale,
  {
    title: string;
    intro: string;
    none: string;
    origin: string;
    originHint: string;
    label: string;
    labelHint: string;
    days: string;
    daysHint: string;
    give: string;
    linkLabel: string;
    shownOnce: string;
    given: (origin: string) => string;
    createdBy: string;
    expires: string;
    state: string;
    active: string;
    revoked: string;
    revoke: string;
    revokeConfirm: (origin: string) => string;
    revokeYes: string;
    revokedNotice: (origin: string) => string;
    errors: { origin: string; label: string; days: string };
  }
> = {
  en: {
    title: 'Read-only links for partners',
    intro:
      'Give a partner site a link to its own figures: signatures counted and waiting, the confirmation rate and counties, with anything under 5 shown as "<5". It shows no name and no contact, and nothing of other partners.',
    none: 'No partner has a link yet.',
    origin: 'Partner site (origin)',
    originHint: 'As browsers send it, for example https://www.partner.example',
    label: 'Who it is for (optional)',
    labelHint: 'In your words, for example “Partner newsletter”. Never a person’s name or contact.',
    days: 'Days until it stops working',
    daysHint: 'From 1 to 3,660.',
    give: 'Make the link',
    linkLabel: 'The partner’s link',
    shownOnce: 'Copy it now and send it to the partner: it will not be shown again. Anyone with it sees this partner’s figures.',
    given: (origin) => `A link for ${origin} is made.`,
    createdBy: 'Made by',
    expires: 'Works until',
    state: 'State',
    active: 'works',
    revoked: 'revoked',
    revoke: 'Revoke',
    revokeConfirm: (origin) => `Revoke the link of ${origin}? It stops working at once.`,
    revokeYes: 'Yes, revoke',
    revokedNotice: (origin) => `The link of ${origin} is revoked.`,
    errors: {
      origin: 'Give the site’s origin only: https://, the host, and a port if any; no path.',
      label: 'Up to 200 characters, on one line.',
      days: 'A whole number of days from 1 to 3,660.',
    },
  },
  sw: {
    title: 'Viungo vya kusoma tu kwa washirika',
    intro:
      'Mpe mshirika kiungo cha takwimu za tovuti yake tu: sahihi zilizohesabiwa na zinazosubiri, kiwango cha uthibitisho na kaunti, na idadi iliyo chini ya 5 ikionyeshwa kama "<5". Haionyeshi jina wala mawasiliano, wala chochote cha washirika wengine.',
    none: 'Bado hakuna mshirika mwenye kiungo.',
    origin: 'Tovuti ya mshirika (origin)',
    originHint: 'Kama vivinjari vinavyoituma, kwa mfano https://www.partner.example',
    label: 'Ni kwa ajili ya nani (si lazima)',
    labelHint: 'Kwa maneno yako, kwa mfano “Jarida la mshirika”. Kamwe si jina au mawasiliano ya mtu.',
    days: 'Siku hadi kiungo kiache kufanya kazi',
    daysHint: 'Kuanzia 1 hadi 3,660.',
    give: 'Tengeneza kiungo',
    linkLabel: 'Kiungo cha mshirika',
    shownOnce: 'Kinakili sasa na umtumie mshirika: hakitaonyeshwa tena. Yeyote aliye nacho ataona takwimu za mshirika huyu.',
    given: (origin) => `Kiungo cha ${origin} kimetengenezwa.`,
    createdBy: 'Kimetengenezwa na',
    expires: 'Kinafanya kazi hadi',
    state: 'Hali',
    active: 'kinafanya kazi',
    revoked: 'kimefutwa',
    revoke: 'Futa',
    revokeConfirm: (origin) => `Ufute kiungo cha ${origin}? Kitaacha kufanya kazi mara moja.`,
    revokeYes: 'Ndiyo, futa',
    revokedNotice: (origin) => `Kiungo cha ${origin} kimefutwa.`,
    errors: {
      origin: 'Weka origin ya tovuti tu: https://, jina la seva, na port kama ipo; bila njia.',
      label: 'Hadi herufi 200, kwenye mstari mmoja.',
      days: 'Idadi kamili ya siku kuanzia 1 hadi 3,660.',
    },
  },
};

const path = (slug: string) => `/admin/campaigns/${encodeURIComponent(slug)}/partner-views`;

type Field = 'origin' | 'label' | 'days';

/**
 * @tagname imlu-console-partner-links
 * @summary Under the Partners view: the read-only links partners get to their own figures — listed for
 * `campaigns:read`, made and revoked with `campaigns:write` (`/admin/…/partner-views`, docs/stats.md).
 * A link holds its secret: it is shown once, when made.
 */
export class ImluConsolePartnerLinks extends CampaignList<PartnerLink, Field> {
  static override styles = [
    CampaignList.styles,
    css`
      form {
        margin-top: 1rem;
      }
    `,
  ];

  static override properties = {
    ...CampaignList.properties,
    origins: { attribute: false },
    _shown: { state: true },
  };

  /** Origins seen in the campaign's figures, offered as suggestions. */
  declare origins: string[];
  /** The link just made: shown until "I have kept it". */
  declare _shown: string | undefined;

  constructor() {
    super();
    this.origins = [];
    this._shown = undefined;
  }

  get #t() {
    return STRINGS_OF[this.locale];
  }

  protected override async fetch(slug: string): Promise<PartnerLink[]> {
    return (await call<{ views: PartnerLink[] }>(path(slug))).views;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('slug')) this._shown = undefined;
    super.willUpdate(changed);
  }

  async #give(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const origin = String(data.get('origin') ?? '').trim();
    const label = String(data.get('label') ?? '').trim();
    const days = Number(data.get('days'));
    const t = this.#t;
    const done = await this.change(
      async (csrf) => {
        const issued = await call<PartnerLink & { url: string }>(path(this.slug), {
          method: 'POST',
          csrf,
          body: JSON.stringify({ origin, ...(label ? { label } : {}), days }),
        });
        this._shown = issued.url;
        return t.given(issued.origin);
      },
      (error) => {
        const errors: Partial<Record<Field, string>> = {};
        for (const field of ['origin', 'label', 'days'] as const) if (error.field(field)) errors[field] = t.errors[field];
        return errors;
      },
    );
    if (done) form.reset();
  }

  protected override render() {
    const t = this.#t;
    return html`
      <section aria-labelledby="links-title">
        <h2 id="links-title">${t.title}</h2>
        <p class="hint">${t.intro}</p>
        ${this.messages()}
        ${this._shown
          ? shownOnce(this.locale, {
              id: 'partner-link',
              label: t.linkLabel,
              value: this._shown,
              hint: t.shownOnce,
              onCopy: () => void copyInput(this.renderRoot.querySelector<HTMLInputElement>('#partner-link'), this.locale).then((message) => (this._notice = message)),
              onKept: () => (this._shown = undefined),
            })
          : nothing}
        ${this.confirmation(
          (link) => t.revokeConfirm(link.origin),
          t.revokeYes,
          async (link, csrf) => {
            await call(`/admin/partner-views/${encodeURIComponent(link.id)}`, { method: 'DELETE', csrf });
            return t.revokedNotice(link.origin);
          },
        )}
        ${this._items === undefined ? html`<p>${STRINGS[this.locale].loading}</p>` : this.#table(this._items)}
        ${this.canWrite ? this.#form() : nothing}
      </section>
    `;
  }

  #table(links: PartnerLink[]) {
    const t = this.#t;
    if (!links.length) return html`<p>${t.none}</p>`;
    return html`<div class="table" role="group" aria-labelledby="links-title" tabindex="0">
      <table>
        <thead>
          <tr>
            <th scope="col">${t.origin}</th>
            <th scope="col">${t.createdBy}</th>
            <th scope="col">${t.expires}</th>
            <th scope="col">${t.state}</th>
          </tr>
        </thead>
        <tbody>
          ${links.map(
            (link) => html`<tr data-link=${link.id}>
              <th scope="row">${link.origin}${link.label ? html`<br /><span class="hint">${link.label}</span>` : nothing}</th>
              <td>${link.createdBy}</td>
              <td>${this.day(link.expiresAt)}</td>
              <td>
                ${link.revokedAt
                  ? t.revoked
                  : html`${t.active}
                    ${this.canWrite
                      ? html`<button class="secondary" type="button" aria-label="${t.revoke}: ${link.origin}" @click=${() => this.ask(link)}>${t.revoke}</button>`
                      : nothing}`}
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  #form() {
    const t = this.#t;
    return html`<form @submit=${this.#give} novalidate aria-labelledby="give-title">
      <h3 id="give-title">${t.give}</h3>
      ${this.correct()} ${this.input('origin', 'link-origin', t.origin, { type: 'url', required: true, list: 'known-origins', hint: t.originHint })}
      <datalist id="known-origins">${this.origins.map((origin) => html`<option value=${origin}></option>`)}</datalist>
      ${this.input('label', 'link-label', t.label, { hint: t.labelHint })}
      ${this.input('days', 'link-days', t.days, { type: 'number', value: '180', hint: t.daysHint })}
      <p><button class="primary" type="submit" ?disabled=${this._busy}>${t.give}</button></p>
    </form>`;
  }
}
