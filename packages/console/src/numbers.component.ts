import { html, nothing } from 'lit';
import { consoleApi, type CountyTable, type DailyStats } from './api.ts';
import { CampaignFigures } from './campaign-figures.ts';
import { STRINGS, type NumbersStrings } from './strings.ts';

/**
 * @tagname imlu-console-numbers
 * @summary The console's "Numbers" view: progress to the goal and the next milestone, signatures per day
 * (counted, pending, suspect) over the last 30 days in Nairobi time, and the county table with bars.
 *
 * Figures only: no name or contact reaches this view (the admin stats API it reads has none). Bars are
 * native `<meter>` elements, each named, so they are read out with their number, and the page's strict CSP
 * (no inline style) holds.
 */
export class ImluConsoleNumbers extends CampaignFigures<{ daily: DailyStats; counties: CountyTable }> {
  get #t(): NumbersStrings {
    return STRINGS[this.locale].numbers;
  }

  protected override async load(slug: string): Promise<{ daily: DailyStats; counties: CountyTable }> {
    const [daily, counties] = await Promise.all([consoleApi.daily(slug), consoleApi.counties(slug)]);
    return { daily, counties };
  }

  protected override figures({ daily, counties }: { daily: DailyStats; counties: CountyTable }) {
    const t = this.#t;
    const { progress, milestones, totals } = daily;
    const next = milestones.next;
    const busiest = Math.max(1, ...daily.days.map((d) => d.counted + d.pending + d.suspect));
    const topCounty = Math.max(1, ...counties.counties.map((c) => c.counted), counties.unknown.counted);
    const shown = counties.counties.filter((c) => c.counted > 0 || c.pending > 0);
    return html`
      <h2 id="progress-title">${t.progress}</h2>
      <dl aria-labelledby="progress-title">
        <dt>${t.counted}</dt>
        <dd data-figure="counted">${this.number(totals.counted)}</dd>
        <dt>${t.pending}</dt>
        <dd data-figure="pending">${this.number(totals.pending)}</dd>
        <dt>${t.suspect}</dt>
        <dd data-figure="suspect">${this.number(totals.suspect)}</dd>
        ${progress.goal !== null
          ? html`<dt>${t.goal}</dt>
              <dd>
                ${t.ofGoal(this.number(progress.counted), this.number(progress.goal), this.percent(progress.share ?? 0))}
                <meter min="0" max=${progress.goal} value=${Math.min(progress.counted, progress.goal)} aria-label=${t.goal}></meter>
              </dd>`
          : nothing}
        ${next
          ? html`<dt>${t.nextMilestone}</dt>
              <dd>${t.milestone(next.label[this.locale], this.number(next.remaining))}</dd>`
          : nothing}
      </dl>

      <h2 id="daily-title">${t.perDay}</h2>
      <p class="hint">${t.perDayHint}</p>
      <div class="table" role="region" aria-labelledby="daily-title" tabindex="0">
        <table>
          <thead>
            <tr>
              <th scope="col">${t.day}</th>
              <th scope="col">${t.counted}</th>
              <th scope="col">${t.pending}</th>
              <th scope="col">${t.suspect}</th>
              <th scope="col"><span class="hint">${t.bar}</span></th>
            </tr>
          </thead>
          <tbody>
            ${[...daily.days].reverse().map(
              (d) => html`<tr data-day=${d.date}>
                <th scope="row">${this.day(d.date)}</th>
                <td class="n">${this.number(d.counted)}</td>
                <td class="n">${this.number(d.pending)}</td>
                <td class="n">${this.number(d.suspect)}</td>
                <td><meter min="0" max=${busiest} value=${d.counted + d.pending + d.suspect} aria-label=${t.dayBar(this.day(d.date))}></meter></td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>

      <h2 id="counties-title">${t.counties}</h2>
      <div class="table" role="region" aria-labelledby="counties-title" tabindex="0">
        <table>
          <thead>
            <tr>
              <th scope="col">${t.county}</th>
              <th scope="col">${t.counted}</th>
              <th scope="col">${t.pending}</th>
              <th scope="col">${t.share}</th>
            </tr>
          </thead>
          <tbody>
            ${shown.map(
              (c) => html`<tr data-county=${c.code}>
                <th scope="row">${c.name[this.locale]}</th>
                <td class="n">${this.number(c.counted)}</td>
                <td class="n">${this.number(c.pending)}</td>
                <td>
                  ${this.percent(c.share)}
                  <meter min="0" max=${topCounty} value=${c.counted} aria-label=${t.countyBar(c.name[this.locale])}></meter>
                </td>
              </tr>`,
            )}
            ${counties.unknown.counted || counties.unknown.pending
              ? html`<tr data-county="unknown">
                  <th scope="row">${t.noCounty}</th>
                  <td class="n">${this.number(counties.unknown.counted)}</td>
                  <td class="n">${this.number(counties.unknown.pending)}</td>
                  <td>${this.percent(counties.unknown.share)}</td>
                </tr>`
              : nothing}
          </tbody>
        </table>
      </div>
      ${shown.length ? nothing : html`<p>${t.noCountiesYet}</p>`}
    `;
  }
}
