/**
 * The hosted page of a pledge campaign with actions (issue 16): the actions' fieldset without script, what
 * the form hands to the one signing path, and the field errors on the fieldset and in the summary, in
 * English and Kiswahili.
 *
 * `sign()` is the real one, watched: the tests read the request this page hands it. Its pledge rules
 * (actions_required, invalid_action, action_full) belong to the signing path; where a test needs one of
 * those answers it has `sign()` give it once, and checks how the page shows it.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fieldError } from '../http/problem.ts';
import { createCampaign } from '../campaigns/create.ts';
import { sign } from '../signing/sign.ts';
import type * as SignModule from '../signing/sign.ts';
import { createTestApi, OPEN_CAMPAIGN, type TestApi } from '../../test/helpers.ts';
import { renderPetitionPage } from './render.ts';
import type { CampaignRecord } from '../campaigns/store.ts';

vi.mock('../signing/sign.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof SignModule>();
  return { ...actual, sign: vi.fn(actual.sign) };
});

let t: TestApi;
let now: number;
const SLUG = 'justice-for-baraka';

const ACTIONS = [
  {
    title: { en: 'Attend the hearing', sw: 'Hudhuria kikao cha mahakama' },
    place: { en: 'Milimani Law Courts', sw: 'Mahakama ya Milimani' },
    county: 'KE-30' as const,
    // 09:00 in Nairobi.
    startsAt: Date.UTC(2027, 0, 12, 6, 0),
    capacity: 300,
  },
  { title: { en: 'Write to your MCA', sw: 'Mwandikie MCA wako' }, place: null, county: null, startsAt: null, capacity: null },
];

beforeEach(async () => {
  now = Date.UTC(2026, 10, 27, 12, 0, 0);
  t = await createTestApi({ clock: () => now });
  await createCampaign(t.db, { ...OPEN_CAMPAIGN, slug: SLUG, kind: 'pledge', actions: ACTIONS }, now);
  vi.mocked(sign).mockClear();
});
afterEach(async () => {
  await t.close();
});

const SAME_ORIGIN = { 'Sec-Fetch-Site': 'same-origin', Origin: 'http://localhost' };

async function getPage(query = '', slug = SLUG) {
  const response = await t.request(`/c/${slug}${query}`);
  return { response, html: await response.text() };
}

/** Posts a form whose fields may repeat (`actions` once per ticked box), as a browser sends it. */
async function post(fields: [string, string][], slug = SLUG) {
  const response = await t.request(`/c/${slug}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...SAME_ORIGIN },
    body: new URLSearchParams(fields).toString(),
  });
  return { response, html: await response.text() };
}

async function freshToken(slug = SLUG): Promise<string> {
  const { html } = await getPage('', slug);
  now += 5000;
  return /name="token" value="([^"]+)"/.exec(html)![1]!;
}

/** The ids of the campaign's actions, in order, as the page writes them. */
const actionIds = (html: string) => [...html.matchAll(/name="actions" value="([^"]+)"/g)].map((match) => match[1]!);

const valid: [string, string][] = [
  ['name', 'Achieng Otieno'],
  ['phone', '0712 345 678'],
  ['terms', 'yes'],
];

/** The request the page handed to `sign()` last. */
const handed = () => vi.mocked(sign).mock.calls.at(-1)![2] as Record<string, unknown>;

describe('GET /c/:slug of a pledge with actions', () => {
  it('shows the actions as checkboxes, in order, with the date in Nairobi time and the place, and "remind me"', async () => {
    const { response, html } = await getPage();
    expect(response.status).toBe(200);
    expect(html).toContain('<fieldset id="f-actions-set" aria-describedby="h-actions"><legend>What will you do?</legend>');
    const ids = actionIds(html);
    expect(ids).toHaveLength(2);
    // The first action carries the id the error summary links to; each is labelled by its title.
    expect(html).toContain(`<input type="checkbox" id="f-actions" name="actions" value="${ids[0]}" aria-describedby="d-f-actions"><span><label for="f-actions">Attend the hearing</label>`);
    expect(html).toContain('<span class="h" id="d-f-actions">Tuesday, 12 January 2027 at 09:00 · Milimani Law Courts</span>');
    expect(html).toContain(`<input type="checkbox" id="f-action-2" name="actions" value="${ids[1]}"><span><label for="f-action-2">Write to your MCA</label></span>`);
    expect(html).toContain('<input type="checkbox" name="remind" value="yes"> <span>Remind me the day before and on the day (actions with a date)</span>');
    // Before the signer's details; the checkboxes get the page's 24 px targets.
    expect(html.indexOf('f-actions-set')).toBeLessThan(html.indexOf('id="f-name"'));
    expect(html).toContain('.c input{flex:none;width:24px;height:24px;margin:0}');
    expect(html).toContain('<div class="c"><input type="checkbox" id="f-actions"');
    expect(html).toContain('Take the pledge');
  });

  it('speaks Kiswahili', async () => {
    const { html } = await getPage('?lang=sw');
    expect(html).toContain('<legend>Utafanya nini?</legend><span class="h" id="h-actions">Chagua kimoja au zaidi.</span>');
    expect(html).toContain('<label for="f-actions">Hudhuria kikao cha mahakama</label>');
    expect(html).toContain('Jumanne, 12 Januari 2027 saa 09:00 · Mahakama ya Milimani');
    expect(html).toContain('Nikumbushe siku moja kabla na siku yenyewe (vitendo vyenye tarehe)');
  });

  it('shows an action that has begun but does not offer it, in words; the first one still open takes the summary\'s link', async () => {
    now = Date.UTC(2027, 0, 12, 6, 0);
    const { html } = await getPage('?lang=sw');
    const [hearing] = actionIds(html);
    expect(html).toContain(`<input type="checkbox" id="f-action-1" name="actions" value="${hearing}" disabled aria-describedby="d-f-action-1">`);
    expect(html).toContain('Jumanne, 12 Januari 2027 saa 09:00 · Mahakama ya Milimani · Kimeshafanyika');
    expect(html).toContain('<input type="checkbox" id="f-actions" name="actions"');
  });

  it('has no actions on a petition', async () => {
    const { html } = await getPage('', t.slug);
    expect(html).not.toContain('name="actions"');
    expect(html).not.toContain('name="remind"');
  });
});

describe('the places left', () => {
  it('are said beside each action when the counts carry them; a full action is disabled, in words, and not the one the summary links to', async () => {
    const campaign = (await t.api.services.campaigns.findBySlug(SLUG)) as CampaignRecord;
    const [hearing, write] = campaign.actions;
    const page = (locale: 'en' | 'sw', placesLeft: number) =>
      renderPetitionPage({
        campaign,
        locale,
        count: 0,
        window: 'open',
        token: 'token',
        figures: [
          { id: hearing!.id, position: 1, pledged: 299, reminded: 0, kept: 0, cant: 0, placesLeft },
          { id: write!.id, position: 2, pledged: 5, reminded: 0, kept: 0, cant: 0, placesLeft: null },
        ],
      });
    expect(page('en', 1)).toContain('Tuesday, 12 January 2027 at 09:00 · Milimani Law Courts · 1 place left</span>');
    expect(page('sw', 12)).toContain('Mahakama ya Milimani · Nafasi 12 zimebaki</span>');
    const full = page('en', 0);
    expect(full).toContain(`<input type="checkbox" id="f-action-1" name="actions" value="${hearing!.id}" disabled aria-describedby="d-f-action-1">`);
    expect(full).toContain('Milimani Law Courts · Full: no places left</span>');
    expect(full).toContain(`<input type="checkbox" id="f-actions" name="actions" value="${write!.id}">`);
    expect(page('sw', 0)).toContain('Imejaa: hakuna nafasi iliyobaki');
  });
});

describe('POST /c/:slug of a pledge with actions', () => {
  it('hands the one signing path the actions ticked and the reminder choice, and the thanks name what was pledged', async () => {
    const token = await freshToken();
    const [hearing, write] = actionIds((await getPage()).html);
    const { response, html } = await post([['token', token], ...valid, ['actions', hearing!], ['actions', write!], ['remind', 'yes']]);
    expect(response.status).toBe(200);
    expect(vi.mocked(sign)).toHaveBeenCalledTimes(1);
    expect(handed()).toMatchObject({ name: 'Achieng Otieno', actions: [hearing, write], remind: true, locale: 'en' });
    expect(html).toContain('<p>You pledged to:</p><ul><li>Attend the hearing · Tuesday, 12 January 2027 at 09:00 · Milimani Law Courts</li><li>Write to your MCA</li></ul>');
  });

  it('asks for no reminder when no dated action is ticked, and sends an empty list when none is', async () => {
    const [, write] = actionIds((await getPage()).html);
    await post([['token', await freshToken()], ...valid, ['actions', write!], ['remind', 'yes']]);
    expect(handed()).toMatchObject({ actions: [write], remind: false });
    await post([['token', await freshToken()], ...valid]);
    expect(handed()).toMatchObject({ actions: [], remind: false });
  });

  it('sends no actions for a petition, whatever the post holds', async () => {
    await post([['token', await freshToken(t.slug)], ...valid, ['actions', 'anything']], t.slug);
    expect(handed()).not.toHaveProperty('actions');
    expect(handed()).not.toHaveProperty('remind');
  });

  for (const [locale, code, path, message, summary] of [
    ['en', 'actions_required', 'actions', 'Choose at least one action to pledge.', 'What will you do?: Choose at least one action to pledge.'],
    ['sw', 'actions_required', 'actions', 'Chagua angalau kitendo kimoja cha kuahidi.', 'Utafanya nini?'],
    ['en', 'action_full', 'actions.0', 'This action has no places left. Choose another.', 'What will you do?: This action has no places left. Choose another.'],
    ['sw', 'action_full', 'actions.0', 'Kitendo hiki hakina nafasi zilizobaki. Chagua kingine.', 'Utafanya nini?'],
    ['en', 'invalid_action', 'actions.1', 'This action is not part of this campaign. Please reload the page.', 'What will you do?'],
    ['sw', 'invalid_action', 'actions', 'Kitendo hiki si sehemu ya kampeni hii. Tafadhali pakia ukurasa upya.', 'Utafanya nini?'],
  ] as const) {
    it(`shows the signing path's ${code} (${path}) on the fieldset and in the summary, in ${locale === 'en' ? 'English' : 'Kiswahili'}, keeping the choice`, async () => {
      const [hearing] = actionIds((await getPage()).html);
      vi.mocked(sign).mockResolvedValueOnce({ outcome: 'invalid', errors: [fieldError(path, code)] });
      const { response, html } = await post([['token', await freshToken()], ['lang', locale], ...valid, ['actions', hearing!]]);
      expect(response.status).toBe(422);
      // The summary, first and focused, links to the first action.
      expect(html).toMatch(new RegExp(`<div class="s" id="errors" role="alert" tabindex="-1" autofocus>.*<li><a href="#f-actions">${summary.replace(/[?.]/g, '\\$&')}`));
      expect(html).toContain(`<fieldset id="f-actions-set" aria-describedby="h-actions e-actions">`);
      expect(html).toContain(`<span class="e" id="e-actions">${message}</span>`);
      expect(html).toContain(`id="f-actions" name="actions" value="${hearing}" checked aria-invalid="true"`);
    });
  }

  it('carries the actions through the SMS-code step and names them in the thanks after the code', async () => {
    await createCampaign(t.db, { ...OPEN_CAMPAIGN, slug: 'sms-pledge', kind: 'pledge', verification: 'sms', actions: ACTIONS }, now);
    const [hearing] = actionIds((await getPage('', 'sms-pledge')).html);
    const { html } = await post([['token', await freshToken('sms-pledge')], ...valid, ['actions', hearing!], ['remind', 'yes']], 'sms-pledge');
    expect(html).toContain('name="code"');
    expect(html).toContain(`<input type="hidden" name="actions" value="${hearing}">`);
    expect(html).toContain('<input type="hidden" name="remind" value="yes">');
  });
});
