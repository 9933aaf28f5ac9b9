/**
 * A pledge campaign's actions (issue 16, first slice): written with the campaign (`PUT /admin/campaigns/:slug`,
 * `imlu campaign apply`), matched by position so an action keeps its id, audited, and shown to the public with
 * the campaign. A petition has none.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CampaignSchema } from '@imlu/contracts';
import { createTestApi, type TestApi } from '../../test/helpers.ts';

const ADMIN = 'pledge-admin-token-0123456789abcdef0123';
let t: TestApi;
let now = Date.UTC(2027, 0, 5, 9);

beforeEach(async () => {
  now = Date.UTC(2027, 0, 5, 9);
  t = await createTestApi({ clock: () => now, adminToken: ADMIN });
});
afterEach(async () => {
  await t.close();
});

const admin = (path: string, init: RequestInit = {}) =>
  t.request(path, { ...init, headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json', ...init.headers } });

const hearing = {
  title: { en: 'Attend the hearing at Milimani Law Courts', sw: 'Hudhuria kikao cha mahakama Milimani' },
  place: { en: 'Milimani Law Courts, Nairobi', sw: 'Mahakama ya Milimani, Nairobi' },
  county: 'KE-47',
  startsAt: '2027-01-12T09:00:00+03:00',
  capacity: 300,
};
const share = { title: { en: 'Share the petition with ten people', sw: 'Shiriki ombi na watu kumi' } };

function pledgeDoc(actions: unknown[], extra: Record<string, unknown> = {}) {
  return {
    slug: 'justice-for-baraka',
    kind: 'pledge',
    status: 'open',
    verification: 'none',
    consentVersion: 'v1',
    title: { en: 'Justice for Baraka', sw: 'Haki kwa Baraka' },
    summary: { en: 'Stand with his family', sw: 'Simama na familia yake' },
    body: { en: 'We pledge to act.', sw: 'Tunaahidi kuchukua hatua.' },
    actions,
    ...extra,
  };
}

const publicCampaign = async (slug = 'justice-for-baraka') => {
  now += 10_000; // past the campaign cache
  const response = await t.request(`/v1/campaigns/${slug}`);
  expect(response.status).toBe(200);
  return CampaignSchema.parse(await response.json());
};

describe('pledge actions', () => {
  it('are created with a pledge campaign and shown to the public in both languages, in order', async () => {
    const created = await admin('/admin/campaigns/justice-for-baraka', { method: 'PUT', body: JSON.stringify(pledgeDoc([hearing, share])) });
    expect(created.status).toBe(201);

    const campaign = await publicCampaign();
    expect(campaign.kind).toBe('pledge');
    expect(campaign.actions).toEqual([
      {
        id: expect.any(String),
        position: 1,
        title: hearing.title,
        place: hearing.place,
        county: 'KE-47',
        startsAt: '2027-01-12T06:00:00.000Z',
        capacity: 300,
      },
      { id: expect.any(String), position: 2, title: share.title, place: null, county: null, startsAt: null, capacity: null },
    ]);

    const audit = await t.db.client.execute("SELECT details FROM audit_log WHERE action = 'campaign.created'");
    expect(JSON.parse(String(audit.rows.at(-1)![0]))).toMatchObject({ actions: 2 });
  });

  it('keep their ids when edited, and an update says the actions changed; actions past the new list go', async () => {
    await admin('/admin/campaigns/justice-for-baraka', { method: 'PUT', body: JSON.stringify(pledgeDoc([hearing, share])) });
    const before = (await publicCampaign()).actions!;

    const same = await admin('/admin/campaigns/justice-for-baraka', { method: 'PUT', body: JSON.stringify(pledgeDoc([hearing, share])) });
    expect(await same.json()).toMatchObject({ changed: [] });

    const moved = { ...hearing, startsAt: '2027-01-19T09:00:00+03:00', capacity: 250 };
    const edited = await admin('/admin/campaigns/justice-for-baraka', { method: 'PUT', body: JSON.stringify(pledgeDoc([moved])) });
    expect(edited.status).toBe(200);
    expect(await edited.json()).toMatchObject({ changed: ['actions'] });

    const after = (await publicCampaign()).actions!;
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: before[0]!.id, startsAt: '2027-01-19T06:00:00.000Z', capacity: 250 });
    const rows = await t.db.client.execute('SELECT COUNT(*) FROM pledge_actions');
    expect(Number(rows.rows[0]![0])).toBe(1);
  });

  it('that someone pledged are never removed by an apply (422 on that action, in the asker\'s language); re-wording is fine', async () => {
    await admin('/admin/campaigns/justice-for-baraka', { method: 'PUT', body: JSON.stringify(pledgeDoc([hearing, share])) });
    const [, shareAction] = (await publicCampaign()).actions!;
    const signed = await t.sign({ name: 'Amina Odhiambo', email: 'amina@example.org', consent: { terms: true }, actions: [shareAction!.id] }, {}, 'justice-for-baraka');
    expect(signed.status).toBe(201);

    const refused = await admin('/admin/campaigns/justice-for-baraka', {
      method: 'PUT',
      headers: { 'Accept-Language': 'sw' },
      body: JSON.stringify(pledgeDoc([hearing])),
    });
    expect(refused.status).toBe(422);
    const problem = (await refused.json()) as { detail: string; errors: { path: string; code: string }[] };
    expect(problem.errors).toEqual([expect.objectContaining({ path: 'actions.1', code: 'invalid' })]);
    expect(problem.detail).toContain('Wafuasi wameahidi kitendo 2');
    expect(Number((await t.db.client.execute('SELECT COUNT(*) FROM pledge_actions')).rows[0]![0])).toBe(2);
    expect(Number((await t.db.client.execute('SELECT COUNT(*) FROM pledge_commitments')).rows[0]![0])).toBe(1);

    const reworded = { ...share, title: { en: 'Share it with five people', sw: 'Shiriki na watu watano' } };
    expect((await admin('/admin/campaigns/justice-for-baraka', { method: 'PUT', body: JSON.stringify(pledgeDoc([hearing, reworded])) })).status).toBe(200);
    // An action nobody pledged may still go.
    await admin('/admin/campaigns/justice-for-baraka', { method: 'PUT', body: JSON.stringify(pledgeDoc([hearing, reworded, hearing])) });
    expect((await admin('/admin/campaigns/justice-for-baraka', { method: 'PUT', body: JSON.stringify(pledgeDoc([hearing, reworded])) })).status).toBe(200);
  });

  it('belong to pledges only: a petition with actions is refused with a field error and nothing is stored', async () => {
    const response = await admin('/admin/campaigns/justice-for-baraka', { method: 'PUT', body: JSON.stringify(pledgeDoc([share], { kind: 'petition' })) });
    expect(response.status).toBe(422);
    expect(response.headers.get('Content-Type')).toBe('application/problem+json');
    const problem = (await response.json()) as { errors: { path: string }[] };
    expect(problem.errors.map((e) => e.path)).toContain('actions');
    expect((await t.request('/v1/campaigns/justice-for-baraka')).status).toBe(404);
    expect(Number((await t.db.client.execute('SELECT COUNT(*) FROM pledge_actions')).rows[0]![0])).toBe(0);
  });

  it('refuses bad actions field by field: missing Kiswahili, an unknown county, a zone-less time, a place of zero', async () => {
    const bad = [
      { title: { en: 'Attend' } },
      { ...hearing, county: 'KE-99' },
      { ...hearing, startsAt: '2027-01-12T09:00' },
      { ...hearing, capacity: 0 },
    ];
    const response = await admin('/admin/campaigns/justice-for-baraka', { method: 'PUT', body: JSON.stringify(pledgeDoc(bad)) });
    expect(response.status).toBe(422);
    const problem = (await response.json()) as { errors: { path: string }[] };
    const fields = problem.errors.map((e) => e.path);
    for (const field of ['actions.0.title.sw', 'actions.1.county', 'actions.2.startsAt', 'actions.3.capacity']) expect(fields).toContain(field);
    expect(Number((await t.db.client.execute('SELECT COUNT(*) FROM campaigns WHERE slug = ?', ['justice-for-baraka'])).rows[0]![0])).toBe(0);
  });

  it('are not sent with a petition', async () => {
    const campaign = await publicCampaign(t.slug);
    expect(campaign.kind).toBe('petition');
    expect(campaign.actions).toBeUndefined();
  });
  it("are in the petition widget's first paint, in the language asked for, with the places left and the remind rule", async () => {
    expect((await admin('/admin/campaigns/justice-for-baraka', { method: 'PUT', body: JSON.stringify(pledgeDoc([hearing, share])) })).status).toBe(201);
    now += 10_000;
    const response = await t.request('/v1/campaigns/justice-for-baraka/first-paint?lang=sw');
    expect(response.status).toBe(200);
    const html = await response.text();
    const markup = html.slice(0, html.indexOf('<script'));
    expect(markup).toContain('Utafanya nini?');
    expect(markup).toContain('Hudhuria kikao cha mahakama Milimani');
    expect(markup).toContain('Shiriki ombi na watu kumi');
    expect(markup).toMatch(/Nafasi 300 zimebaki/);
    expect(markup).toMatch(/id="remind"/);
    expect(markup).not.toContain('Attend the hearing');
    // "Remind me" shows only while a dated action is ticked: the rule the widget adopts, in the paint's styles.
    expect(/<style>[^<]*fieldset:not\(:has\(\[data-dated\]:checked\)\) \.remind\{display:none\}<\/style>/.test(markup)).toBe(true);
  });
});
