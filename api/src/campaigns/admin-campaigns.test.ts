/**
 * `GET /admin/campaigns/{slug}` (the campaign as its document) and `POST /admin/campaigns` (create only),
 * which the console's Campaigns view uses, and the widget preview page it frames; over app.request on a
 * real libSQL file.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CONSOLE_CSP } from '../staff/console.router.ts';
import { PREVIEW_CSP } from '../staff/widget-preview.router.ts';
import { createTestApi, tableCounts, validSignature, type TestApi } from '../../test/helpers.ts';
import { createCampaign } from './create.ts';

const BOOTSTRAP = 'test-admin-token-0123456789abcdef0123';
let t: TestApi;
afterEach(async () => {
  await t.close();
});

const call = (path: string, token: string, init: RequestInit = {}) =>
  t.request(path, { ...init, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...init.headers } });

async function makeToken(scopes: string[]): Promise<string> {
  const response = await call('/admin/tokens', BOOTSTRAP, { method: 'POST', body: JSON.stringify({ name: scopes.join('+'), scopes }) });
  expect(response.status).toBe(201);
  return ((await response.json()) as { token: string }).token;
}

const DOC = {
  slug: 'console-made',
  kind: 'petition',
  status: 'open',
  title: { en: 'Stop the beatings', sw: 'Komesha vipigo' },
  summary: { en: 'Short', sw: 'Fupi' },
  body: { en: 'Long', sw: 'Ndefu' },
  goal: 500,
  opensAt: null,
  closesAt: '2027-06-30T21:00:00.000Z',
  verification: 'sms',
  challenge: 'altcha',
  rateLimits: { ipBurst: 5, domainWindow: null },
  phoneHousehold: 3,
  retentionDays: 90,
  updates: { events: ['closed'], link: 'https://partner.example/c' },
  consentVersion: 'v2',
  demands: [
    { en: 'One', sw: 'Moja' },
    { en: 'Two', sw: 'Mbili' },
  ],
  actions: [],
  senderOrganisation: 'IMLU',
  senderContact: 'info@imlu.example',
};

describe('admin campaign documents', () => {
  it('POST creates; GET gives the same document back; PUT of it unchanged changes nothing; a taken slug is refused and nothing stored', async () => {
    t = await createTestApi({ adminToken: BOOTSTRAP });
    const writer = await makeToken(['campaigns:write', 'campaigns:read']);
    const created = await call('/admin/campaigns', writer, { method: 'POST', body: JSON.stringify(DOC) });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ created: true });

    const read = await call(`/admin/campaigns/${DOC.slug}`, writer);
    expect(read.status).toBe(200);
    expect(read.headers.get('Cache-Control')).toBe('no-store');
    expect(await read.json()).toEqual(DOC);

    const again = await call(`/admin/campaigns/${DOC.slug}`, writer, { method: 'PUT', body: JSON.stringify(DOC) });
    expect(await again.json()).toMatchObject({ created: false, changed: [] });

    const before = await tableCounts(t.db);
    const taken = await call('/admin/campaigns', writer, { method: 'POST', body: JSON.stringify({ ...DOC, title: { en: 'Other', sw: 'Nyingine' } }) });
    expect(taken.status).toBe(422);
    expect(await taken.json()).toMatchObject({ type: 'urn:imlu:problem:validation', errors: [{ path: 'slug', code: 'invalid' }] });
    expect(await tableCounts(t.db)).toEqual(before);
    expect(await (await call(`/admin/campaigns/${DOC.slug}`, writer)).json()).toMatchObject({ title: { en: 'Stop the beatings' } });

    // The audit log names the creation once.
    const { entries } = (await (await call('/admin/audit?action=campaign.created', BOOTSTRAP)).json()) as { entries: { subject: string }[] };
    expect(entries.map((e) => e.subject)).toContain(DOC.slug);
  });

  it('two staff creating the same slug at once: one is created, the other told the slug is taken — never a 5xx; two PUTs of a new slug both succeed', async () => {
    t = await createTestApi({ adminToken: BOOTSTRAP });
    const writer = await makeToken(['campaigns:write', 'campaigns:read']);
    for (let round = 0; round < 5; round++) {
      const doc = { ...DOC, slug: `race-${round}` };
      const answers = await Promise.all([1, 2, 3].map(() => call('/admin/campaigns', writer, { method: 'POST', body: JSON.stringify(doc) })));
      expect(answers.map((a) => a.status).sort()).toEqual([201, 422, 422]);
      for (const refused of answers.filter((a) => a.status === 422)) {
        expect(((await refused.json()) as { errors: { path: string }[] }).errors).toEqual([expect.objectContaining({ path: 'slug' })]);
      }
      const put = { ...DOC, slug: `race-put-${round}` };
      const puts = await Promise.all([1, 2].map(() => call(`/admin/campaigns/${put.slug}`, writer, { method: 'PUT', body: JSON.stringify(put) })));
      // One creates it, the other then updates it with the same document: both succeed.
      expect(puts.map((a) => a.status).every((status) => status === 200 || status === 201)).toBe(true);
    }
    const slugs = (await t.db.client.execute("SELECT slug FROM campaigns WHERE slug LIKE 'race-%' ORDER BY slug")).rows.map((r) => r['slug']);
    expect(slugs).toHaveLength(10);
  });

  it('POST answers bad fields with their paths (slug with spaces, a missing Kiswahili title) and stores nothing', async () => {
    t = await createTestApi({ adminToken: BOOTSTRAP });
    const writer = await makeToken(['campaigns:write']);
    const before = await tableCounts(t.db);
    const response = await call('/admin/campaigns', writer, {
      method: 'POST',
      body: JSON.stringify({ ...DOC, slug: 'has spaces', title: { en: 'Title', sw: '  ' }, closesAt: '2020-01-01T00:00:00Z', opensAt: '2021-01-01T00:00:00Z' }),
    });
    expect(response.status).toBe(422);
    const problem = (await response.json()) as { errors: { path: string }[] };
    expect(problem.errors.map((e) => e.path).sort()).toEqual(['closesAt', 'slug', 'title.sw']);
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('GET of a draft works (campaigns:read); an unknown slug is 404; without the scope 403; POST needs campaigns:write', async () => {
    t = await createTestApi({ adminToken: BOOTSTRAP });
    await createCampaign(t.db, { slug: 'quiet-draft', title: { en: 'D', sw: 'R' }, summary: { en: 'S', sw: 'M' }, body: { en: 'B', sw: 'M' }, consentVersion: 'v1' });
    const reader = await makeToken(['campaigns:read']);
    const draft = (await (await call('/admin/campaigns/quiet-draft', reader)).json()) as Record<string, unknown>;
    expect(draft).toMatchObject({ slug: 'quiet-draft', status: 'draft', verification: 'either', rateLimits: null, updates: { events: [], link: null }, demands: [] });
    expect((await call('/admin/campaigns/nothing-here', reader)).status).toBe(404);
    expect((await call('/admin/campaigns', reader, { method: 'POST', body: JSON.stringify(DOC) })).status).toBe(403);
    const auditor = await makeToken(['audit:read']);
    expect((await call('/admin/campaigns/quiet-draft', auditor)).status).toBe(403);
  });
});

describe('GET /console/preview/{slug}', () => {
  it('is the partner snippet for the campaign in the language asked, framed by this origin only; the console may frame it', async () => {
    t = await createTestApi();
    const response = await t.request(`/console/preview/${t.slug}?lang=sw`);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('Content-Security-Policy')).toBe(PREVIEW_CSP);
    expect(PREVIEW_CSP).toContain("frame-ancestors 'self'");
    expect(PREVIEW_CSP).not.toMatch(/unsafe|style-src/);
    const page = await response.text();
    expect(page).toContain('<script type="module" src="/embed.js"></script>');
    expect(page).toContain(`<imlu-petition campaign="${t.slug}" api="http://localhost" lang="sw"></imlu-petition>`);
    expect(CONSOLE_CSP).toContain("frame-src 'self'");
    expect((await t.request('/console/preview/Not%20a%20slug')).status).toBe(404);
    // A signature sent from the preview comes from the API's own origin, not a partner's: refused, nothing stored.
    const before = await tableCounts(t.db);
    const fromPreview = await t.sign(validSignature(), { Origin: 'http://localhost', 'Idempotency-Key': 'preview-1' });
    expect(fromPreview.status).toBe(403);
    expect(await tableCounts(t.db)).toEqual(before);
    expect((await t.request(`/console/preview/${t.slug}?lang=fr`)).status).toBe(422);
  });
});
