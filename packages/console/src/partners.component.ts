import { html } from 'lit';
import { consoleApi, type Floored, type PartnerFigures, type PartnerStats, type Session } from './api.ts';
import { CampaignFigures } from './campaign-figures.ts';
import { STRINGS, type PartnersStrings } from './strings.ts';

/**
 * @tagname imlu-console-partners
 * @summary The console's "Partners" view: whom each partner site brought in — signatures (counted, waiting),
 * the share of those asked to confirm who did, and the top counties, per page origin and per `source`.
 *
 * Figures only, as `GET /admin/campaigns/{slug}/stats/partners` gives them: counties under 5 come as "<5"
 * (docs/stats.md), and so does nothing here name a signer.
 */
type Figures = { stats: PartnerStats; names: Map<string, { en: string; sw: string }> };

export class ImluConsolePartners extends CampaignFigures<Figures> {
  static override properties = { ...CampaignFigures.properties, session: { attribute: false } };
  declare session: Session | undefined;
  #names = new Map<string, { en: string; sw: string }>();

  get #t(): PartnersStrings {
    return STRINGS[this.locale].partners;
  }

  protected override async load(slug: string): Promise<Figures> {
    // The county table brings the counties' names in both languages (the partner figures give codes).
    const [stats, counties] = await Promise.all([consoleApi.partners(slug), consoleApi.counties(slug)]);
    return { stats, names: new Map(counties.counties.map((c) => [c.code, c.name])) };
  }

  #count(value: Floored): string {
    return value === '<5' ? '<5' : this.number(value);
  }

  #cells(f: PartnerFigures) {
    return html`<td class="n">${this.#count(f.counted)}</td>
      <td class="n">${this.#count(f.pending)}</td>
      <td class="n">${f.confirmationRate === null ? '—' : this.percent(f.confirmationRate)}</td>
      <td class="counties">${f.topCounties.map((c) => `${this.#county(c.code)} ${this.#count(c.counted)}`).join(', ')}</td>`;
  }

  #county(code: string): string {
    return this.#names.get(code)?.[this.locale] ?? code;
  }

  protected override figures({ stats, names }: Figures) {
    this.#names = names;
    const t = this.#t;
    const numbers = STRINGS[this.locale].numbers;
    const head = (first: string) =>
      html`<thead>
        <tr>
          <th scope="col">${first}</th>
          <th scope="col">${numbers.counted}</th>
          <th scope="col">${numbers.pending}</th>
          <th scope="col">${t.confirmation}</th>
          <th scope="col">${t.topCounties}</th>
        </tr>
      </thead>`;
    const links = html`<imlu-console-partner-links
      .locale=${this.locale}
      .session=${this.session}
      .slug=${this._slug}
      .origins=${stats.origins.flatMap((o) => (o.origin ? [o.origin] : []))}
    ></imlu-console-partner-links>`;
    if (!stats.origins.length) return html`<p>${t.none}</p>
      ${links}`;
    return html`
      <p class="hint">${t.intro}</p>
      <h2 id="origins-title">${t.origin}</h2>
      <div class="table" role="region" aria-labelledby="origins-title" tabindex="0">
        <table>
          ${head(t.origin)}
          <tbody>
            ${stats.origins.map(
              (o) => html`<tr data-origin=${o.origin ?? ''}>
                <th scope="row">${o.origin ?? t.noOrigin}</th>
                ${this.#cells(o)}
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${stats.origins
        .filter((o) => o.sources.length > 1 || (o.sources.length === 1 && o.sources[0]!.source !== null))
        .map((o, index) => {
          const id = `sources-${index}`;
          return html`<h3 id=${id}>${t.sourcesOf(o.origin ?? t.noOrigin)}</h3>
            <div class="table" role="region" aria-labelledby=${id} tabindex="0">
              <table>
                ${head(t.source)}
                <tbody>
                  ${o.sources.map(
                    (s) => html`<tr data-source=${s.source ?? ''}>
                      <th scope="row">${s.other ? t.otherSources : (s.source ?? t.noSource)}</th>
                      ${this.#cells(s)}
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>`;
        })}
      <p class="hint">${t.floorNote}</p>
      ${links}
    `;
  }
}
