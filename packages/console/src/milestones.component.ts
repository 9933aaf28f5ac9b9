import { css, html, nothing } from 'lit';
import { call } from './api.ts';
import { CampaignList } from './campaign-list.ts';
import { STRINGS, type Locale } from './strings.ts';

/** `GET /admin/campaigns/{slug}/milestones`: as the public board shows them. */
interface Milestone {
  threshold: number;
  label: { en: string; sw: string };
  reachedAt: string | null;
  step?: { targetName: string; step: 'deliver' | 'ask_response'; due: boolean } | null;
}

const FIELDS = ['threshold', 'label.en', 'label.sw'] as const;
type Field = (typeof FIELDS)[number];

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
export class ImluConsoleMilestones extends CampaignList<Milestone, Field> {
  static override styles = [
    CampaignList.styles,
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

  get #t() {
    return WORDS[this.locale];
  }

  #n(n: number): string {
    return new Intl.NumberFormat(this.locale === 'sw' ? 'sw-KE' : 'en-KE').format(n);
  }

  protected override async fetch(slug: string): Promise<Milestone[]> {
    return (await call<{ milestones: Milestone[] }>(path(slug))).milestones;
  }

  async #add(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const raw = String(data.get('threshold') ?? '').trim();
    // Sent as typed when it is not a whole number: the API's field error says what is wrong with it.
    const threshold = /^\d+$/.test(raw) ? Number(raw) : raw;
    const body = { threshold, label: { en: String(data.get('label-en') ?? ''), sw: String(data.get('label-sw') ?? '') } };
    const t = this.#t;
    const done = await this.change(
      async (csrf) => {
        const added = await call<Milestone>(path(this.slug), { method: 'POST', csrf, body: JSON.stringify(body) });
        return t.added(this.#n(added.threshold));
      },
      (error) => {
        const errors: Partial<Record<Field, string>> = {};
        for (const field of FIELDS) {
          if (error.errors.some((e) => e.path === field || (field !== 'threshold' && e.path === 'label'))) errors[field] = t.errors[field];
        }
        return Object.keys(errors).length ? errors : { threshold: t.errors.threshold };
      },
    );
    if (done) form.reset();
  }

  protected override render() {
    const t = this.#t;
    return html`<section aria-labelledby="milestones-title">
      <h3 id="milestones-title">${t.title}</h3>
      <p class="hint">${t.intro}</p>
      ${this.messages()}
      ${this.confirmation(
        (m) => t.removeConfirm(this.#n(m.threshold)),
        t.removeYes,
        async (m, csrf) => {
          await call(`${path(this.slug)}/${m.threshold}`, { method: 'DELETE', csrf });
          return t.removed(this.#n(m.threshold));
        },
      )}
      ${this._items === undefined ? html`<p>${STRINGS[this.locale].loading}</p>` : this.#table(this._items)}
      ${this.canWrite ? this.#form() : nothing}
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
            ${this.canWrite ? html`<th scope="col"><span class="hint">${t.remove}</span></th>` : nothing}
          </tr>
        </thead>
        <tbody>
          ${milestones.map(
            (m) => html`<tr data-threshold=${m.threshold}>
              <th scope="row" class="n">${this.#n(m.threshold)}</th>
              <td>${m.label[this.locale]}${m.step ? html`<br /><span class="hint">${t.step(m.step.targetName, m.step.step)}</span>` : nothing}</td>
              <td>${m.reachedAt ? this.day(m.reachedAt) : t.notYet}</td>
              ${this.canWrite
                ? html`<td>
                    <button class="secondary" type="button" aria-label="${t.remove}: ${this.#n(m.threshold)}" @click=${() => this.ask(m)}>${t.remove}</button>
                  </td>`
                : nothing}
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  #form() {
    const t = this.#t;
    return html`<form @submit=${this.#add} novalidate aria-labelledby="milestone-add-title">
      <h4 id="milestone-add-title">${t.addTitle}</h4>
      ${this.correct()} ${this.input('threshold', 'milestone-threshold', t.threshold, { type: 'number', required: true })}
      <div class="pair">
        ${this.input('label.en', 'milestone-label-en', t.labelEn, { name: 'label-en', lang: 'en', maxlength: 200, required: true })}
        ${this.input('label.sw', 'milestone-label-sw', t.labelSw, { name: 'label-sw', lang: 'sw', maxlength: 200, required: true })}
      </div>
      <p><button class="primary" type="submit" ?disabled=${this._busy}>${t.add}</button></p>
    </form>`;
  }
}
