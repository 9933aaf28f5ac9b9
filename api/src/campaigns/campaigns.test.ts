import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CampaignFormSchema, CampaignSchema, CountsSchema } from '@imlu/contracts';
import { createDb, type Db } from '../db/client.ts';
import { FieldCrypto } from '../signing/crypto.ts';
import { prepareSubmission } from '../signing/prepare.ts';
import { SignatureWriter } from '../signing/writer.ts';
import { strongEtag } from '../http/etag.ts';
import { createCampaign } from './create.ts';
import { createTestApi, OPEN_CAMPAIGN, TEST_KEYS, validSignature, type TestApi } from '../../test/helpers.ts';

let t: TestApi;
const headerLines = (response: Response) => {
  const lines: string[] = [];
  response.headers.forEach((value, name) => lines.push(`${name}: ${value}`));
  return lines.sort();
};
beforeEach(async () => {
  t = await createTestApi({ countsMaxAge: 7, countsRefreshMs: 1000 });
});
afterEach(async () => {
  await t.close();
});

describe('GET /v1/campaigns/:slug', () => {
  it('returns the published campaign in both languages, demands in order, targets and counts', async () => {
    await t.sign(validSignature());
    const response = await t.request(`/v1/campaigns/${t.slug}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('*');
    const campaign = CampaignSchema.parse(await response.json());
    expect(campaign).toMatchObject({
      slug: t.slug,
      kind: 'petition',
      title: { en: 'Test campaign', sw: 'Kampeni ya majaribio' },
      goal: 1000,
      status: 'open',
      targets: [],
      requiresVerification: false,
      verification: 'none',
      consentVersion: 'test-v1',
      counts: { signatures: 1, byCounty: { 'KE-30': 1 } },
    });
    expect(campaign.demands.map((d) => [d.position, d.text.sw])).toEqual([
      [1, 'Dai la kwanza'],
      [2, 'Dai la pili'],
    ]);
  });

  it('keeps drafts and unknown slugs out of sight (404 problem)', async () => {
    await createCampaign(t.db, { ...OPEN_CAMPAIGN, slug: 'secret-draft', status: 'draft' });
    for (const slug of ['secret-draft', 'nothing-here', 'UPPER']) {
      const response = await t.request(`/v1/campaigns/${slug}`);
      expect(response.status).toBe(404);
      expect(response.headers.get('Content-Type')).toBe('application/problem+json');
      expect(await response.json()).toMatchObject({ type: 'urn:imlu:problem:not-found', status: 404 });
    }
    expect((await t.request('/v1/campaigns/secret-draft/counts')).status).toBe(404);
    // A path segment that cannot be a slug is a 404 on every public read, as the documented slug pattern says.
    for (const slug of ['UPPER', 'double--hyphen', 'a'.repeat(81)]) {
      for (const path of [`/v1/campaigns/${slug}/counts`, `/v1/campaigns/${slug}/challenge`]) {
        const response = await t.request(path);
        expect(response.status, path).toBe(404);
        expect(await response.json()).toMatchObject({ type: 'urn:imlu:problem:not-found' });
      }
    }
  });

  it('shows a closed campaign (its record stays public)', async () => {
    await createCampaign(t.db, { ...OPEN_CAMPAIGN, slug: 'finished', status: 'closed', closesAt: Date.UTC(2026, 0, 1) });
    const response = await t.request('/v1/campaigns/finished');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'closed', closesAt: '2026-01-01T00:00:00.000Z' });
  });
});

describe('GET /v1/campaigns/:slug/form', () => {
  it('is the campaign without body and targets, cacheable on its own ETag, and hidden for drafts', async () => {
    await t.sign(validSignature());
    const full = (await (await t.request(`/v1/campaigns/${t.slug}`)).json()) as Record<string, unknown>;
    const response = await t.request(`/v1/campaigns/${t.slug}/form`);
    expect(response.status).toBe(200);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(response.headers.get('Cache-Control')).toMatch(/^public, max-age=7\b/);
    const form = (await response.json()) as Record<string, unknown>;
    expect(CampaignFormSchema.strict().parse(form)).toEqual(form);
    const { body: _body, targets: _targets, ...rest } = full;
    expect(form).toEqual(rest);
    expect(Object.keys(form)).not.toContain('body');

    const etag = response.headers.get('ETag')!;
    expect(etag).not.toBe((await t.request(`/v1/campaigns/${t.slug}`)).headers.get('ETag'));
    expect((await t.request(`/v1/campaigns/${t.slug}/form`, { headers: { 'If-None-Match': etag } })).status).toBe(304);
    await t.sign(validSignature({ name: 'Another Signer', phone: '0712000111' }));
    await vi.waitFor(async () => expect((await t.request(`/v1/campaigns/${t.slug}/form`, { headers: { 'If-None-Match': etag } })).status).toBe(200));

    await createCampaign(t.db, { ...OPEN_CAMPAIGN, slug: 'secret-draft', status: 'draft' });
    for (const slug of ['secret-draft', 'nothing-here', 'UPPER']) {
      expect((await t.request(`/v1/campaigns/${slug}/form`)).status).toBe(404);
    }
  });
});

describe('GET /v1/campaigns/:slug/first-paint', () => {
  const url = (lang?: string, slug = t.slug) => `/v1/campaigns/${slug}/first-paint${lang === undefined ? '' : `?lang=${lang}`}`;

  it("is the widget's own first render of the petition in the language asked for, with the campaign for the element", async () => {
    await t.sign(validSignature());
    const response = await t.request(url('sw'));
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('Content-Language')).toBe('sw');
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(response.headers.get('Cache-Control')).toMatch(/^public, max-age=7\b/);
    const html = await response.text();
    const markup = html.slice(0, html.indexOf('<script'));
    // Styles, the title and demands in Kiswahili, the count, and the whole form with its labels.
    expect(html.startsWith('<style>')).toBe(true);
    expect(html).toContain('<div lang="sw"');
    expect(html).toContain('Kampeni ya majaribio');
    expect(markup).toContain('Dai la kwanza');
    expect(markup).not.toContain('First demand');
    expect(html).toMatch(/<progress\s+max="1000"\s+value="1"/);
    expect(html).toMatch(/<form\s+part="form"/);
    for (const id of ['name', 'phone', 'email', 'county', 'comment', 'terms', 'website']) expect(html).toContain(`id="${id}"`);
    expect(html).not.toContain('aria-busy="true"');
    expect(html).not.toMatch(/<!--/);
    // The form view of the campaign, as /form serves it, for the element that takes the paint over.
    const json = /<script type="application\/json">(.*)<\/script>$/.exec(html)![1]!;
    expect(JSON.parse(json)).toEqual(await (await t.request(`/v1/campaigns/${t.slug}/form`)).json());

    const en = await (await t.request(url())).text();
    expect(en).toContain('<div lang="en"');
    expect(en).toContain('First demand');
  });

  it('cannot be made to close its script or carry markup: the campaign text is escaped', async () => {
    await createCampaign(t.db, {
      ...OPEN_CAMPAIGN,
      slug: 'tricky-text',
      title: { en: '</script><img src=x onerror=alert(1)>', sw: '<b>x</b>' },
    });
    const html = await (await t.request(url('en', 'tricky-text'))).text();
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html.match(/<\/script>/g)).toHaveLength(1);
    expect(html).toContain('\\u003c/script>\\u003cimg');
  });

  it('revalidates with its ETag, changes with the counts, and is 204 where the widget renders itself', async () => {
    const first = await t.request(url('en'));
    const etag = first.headers.get('ETag')!;
    expect(etag).not.toBe((await t.request(url('sw'))).headers.get('ETag'));
    expect((await t.request(url('en'), { headers: { 'If-None-Match': etag } })).status).toBe(304);
    await t.sign(validSignature());
    await vi.waitFor(async () => expect((await t.request(url('en'), { headers: { 'If-None-Match': etag } })).status).toBe(200));

    await createCampaign(t.db, { ...OPEN_CAMPAIGN, slug: 'closed-one', status: 'closed' });
    await createCampaign(t.db, { ...OPEN_CAMPAIGN, slug: 'later-one', opensAt: Date.now() + 86_400_000 });
    for (const slug of ['closed-one', 'later-one']) {
      const response = await t.request(url('en', slug));
      expect(response.status).toBe(204);
      expect(await response.text()).toBe('');
    }
  });

  it('answers bad input with a problem: an unknown language (422), drafts and unknown slugs (404)', async () => {
    const bad = await t.request(url('fr'));
    expect(bad.status).toBe(422);
    expect(bad.headers.get('Content-Type')).toBe('application/problem+json');
    expect(await bad.json()).toMatchObject({ type: 'urn:imlu:problem:validation', errors: [{ path: 'lang', code: 'invalid_locale' }] });
    await createCampaign(t.db, { ...OPEN_CAMPAIGN, slug: 'secret-draft', status: 'draft' });
    for (const slug of ['secret-draft', 'nothing-here', 'UPPER']) expect((await t.request(url('en', slug))).status).toBe(404);
  });
});

describe('GET /v1/campaigns/:slug/counts', () => {
  const url = () => `/v1/campaigns/${t.slug}/counts`;

  it('is cacheable: strong ETag, Cache-Control with max-age from config, 304 on If-None-Match', async () => {
    const first = await t.request(url());
    expect(first.status).toBe(200);
    const etag = first.headers.get('ETag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers.get('Cache-Control')).toBe('public, max-age=7, stale-while-revalidate=60, stale-if-error=86400');
    expect(first.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(CountsSchema.parse(await first.json())).toMatchObject({ signatures: 0, goal: 1000, byCounty: {} });

    const notModified = await t.request(url(), { headers: { 'If-None-Match': etag } });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get('ETag')).toBe(etag);
    expect(notModified.headers.get('Cache-Control')).toContain('max-age=7');
    expect(await notModified.text()).toBe('');
    expect((await t.request(url(), { headers: { 'If-None-Match': `"other", W/${etag}` } })).status).toBe(304);

    await t.sign(validSignature());
    const changed = await t.request(url(), { headers: { 'If-None-Match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('ETag')).not.toBe(etag);
    expect(CountsSchema.parse(await changed.json()).signatures).toBe(1);
  });

  it('serves the schema’s JSON of the counts as its body, named by its ETag, both changing at once with each commit', async () => {
    const etags = new Set<string>();
    for (let signed = 0; signed < 3; signed++) {
      const response = await t.request(url());
      const body = await response.text();
      const etag = response.headers.get('ETag')!;
      // The bytes built once per snapshot version are exactly what the contract's schema makes of them.
      expect(body).toBe(JSON.stringify(CountsSchema.parse(JSON.parse(body))));
      expect(JSON.parse(body)).toMatchObject({ signatures: signed, goal: 1000 });
      expect(etag).toBe(strongEtag(body));
      expect(etags.has(etag)).toBe(false);
      etags.add(etag);

      // A 304 carries the same ETag and the same headers, less the body's own.
      const notModified = await t.request(url(), { headers: { 'If-None-Match': etag } });
      expect(notModified.status).toBe(304);
      expect(headerLines(notModified)).toEqual(headerLines(response).filter((line) => !/^content-(?:type|length):/.test(line)));

      await t.sign(validSignature({ phone: `+25471234500${signed}` }));
      // The answer to the commit has been sent: the old ETag is stale at once, not after a refresh.
      expect((await t.request(url(), { headers: { 'If-None-Match': etag } })).status).toBe(200);
    }
  });

  it("shows this process's commits at once", async () => {
    await t.sign(validSignature());
    expect(CountsSchema.parse(await (await t.request(url())).json()).signatures).toBe(1);
  });

  it('shows a signature committed by another API node within 2 s (snapshot refresh)', async () => {
    // A second writer on its own connection stands in for another node writing to the same database.
    const other: Db = await createDb(t.url);
    const otherWriter = new SignatureWriter(other.client);
    try {
      const submission = prepareSubmission(
        { name: 'Kiprono Kibet', phone: '+254798765432', county: 'KE-13', consent: { terms: true, publicName: false, shareWithTargets: false, updates: false } },
        { campaign: { id: t.campaignId, verification: 'none', consentVersion: 'test-v1' }, crypto: new FieldCrypto(TEST_KEYS), now: Date.now(), origin: null },
      );
      expect((await otherWriter.submit(submission)).outcome).toBe('stored');
      await vi.waitFor(
        async () => {
          const counts = await (await t.request(url())).json();
          expect(counts).toMatchObject({ signatures: 1, byCounty: { 'KE-13': 1 } });
        },
        { timeout: 2000, interval: 50 },
      );
    } finally {
      await otherWriter.close();
      other.close();
    }
  });

  it('never reads the signatures table on a request (counts come from the snapshot)', async () => {
    await t.sign(validSignature());
    const execute = vi.spyOn(t.db.client, 'execute');
    const batch = vi.spyOn(t.db.client, 'batch');
    for (let i = 0; i < 20; i++) expect((await t.request(url())).status).toBe(200);
    const statements = [...execute.mock.calls, ...batch.mock.calls].map((call) => JSON.stringify(call[0]));
    expect(statements.filter((sql) => /signatures/i.test(sql))).toEqual([]);
  });
});

describe('errors and headers', () => {
  it('answers unknown routes with a 404 problem', async () => {
    for (const path of ['/nope', '/v1', '/v1/campaigns', `/v1/campaigns/${'x'}/unknown`]) {
      const response = await t.request(path);
      expect(response.status).toBe(404);
      expect(response.headers.get('Content-Type')).toBe('application/problem+json');
      expect(await response.json()).toEqual({ type: 'urn:imlu:problem:not-found', title: 'Not found', status: 404 });
    }
  });

  it('sets secure headers on every answer', async () => {
    for (const path of [`/v1/campaigns/${t.slug}`, '/nope']) {
      const response = await t.request(path);
      expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
      expect(response.headers.get('Content-Security-Policy')).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(response.headers.get('Referrer-Policy')).toBe('no-referrer');
    }
  });
});
