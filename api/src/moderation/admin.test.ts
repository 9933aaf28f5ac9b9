/** The admin endpoints: hidden without the token, and the invalidation → recount path over HTTP. */
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApi, OPEN_CAMPAIGN, storedCounts, validSignature, type TestApi } from '../../test/helpers.ts';
import { createCampaign } from '../campaigns/create.ts';
import { listAudit } from '../audit/audit.ts';

const TOKEN = 'test-admin-token-0123456789abcdef0123';
let t: TestApi;
let now: number;
afterEach(async () => {
  await t.close();
});

const admin = (path: string, init: RequestInit = {}, token = TOKEN) =>
  t.request(path, { ...init, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...init.headers } });

describe('admin endpoints', () => {
  it('answer 404 without the right token, and when no token is configured', async () => {
    t = await createTestApi({ adminToken: TOKEN });
    expect((await t.request('/admin/trending')).status).toBe(404);
    expect((await admin('/admin/trending', {}, 'wrong-token-wrong-token-wrong-token')).status).toBe(404);
    expect((await admin('/admin/trending')).status).toBe(200);
    await t.close();
    t = await createTestApi({});
    expect((await admin('/admin/trending')).status).toBe(404);
  });

  it('show a flood as trending, invalidate it after a dry run, and leave exact counts', async () => {
    now = Date.UTC(2026, 10, 27, 9, 0, 0);
    t = await createTestApi({ adminToken: TOKEN, clock: () => now, rateLimits: { trustProxy: true } });
    for (let i = 0; i < 5; i++) await t.sign(validSignature({ phone: `07${String(60_000_000 + i)}` }), { 'X-Forwarded-For': `198.51.100.${i}` });
    for (let i = 0; i < 30; i++) await t.sign(validSignature({ phone: `07${String(61_000_000 + i)}`, county: 'KE-01' }), { 'X-Forwarded-For': '192.0.2.66' });
    const { trending } = (await (await admin('/admin/trending?minCount=20')).json()) as { trending: { hashPrefix: string; signatures: number }[] };
    expect(trending).toMatchObject([{ kind: 'source', signatures: 30 }]);

    const body = (dryRun?: boolean) => JSON.stringify({ sourceHashPrefix: trending[0]!.hashPrefix, ...(dryRun === undefined ? {} : { dryRun }) });
    const dry = await admin(`/admin/campaigns/${t.slug}/invalidations`, { method: 'POST', body: body() });
    expect(await dry.json()).toMatchObject({ affected: 30, counted: 1, suspect: 29, dryRun: true });
    expect(((await (await t.request(`/v1/campaigns/${t.slug}/counts`)).json()) as { signatures: number }).signatures).toBe(6);

    const done = await admin(`/admin/campaigns/${t.slug}/invalidations`, { method: 'POST', body: body(false) });
    expect(await done.json()).toMatchObject({ affected: 30, counted: 1, byCounty: { 'KE-01': 1 }, dryRun: false });
    expect(await (await t.request(`/v1/campaigns/${t.slug}/counts`)).json()).toMatchObject({ signatures: 5, byCounty: { 'KE-30': 5 } });
    // Only the real invalidation is audited, by the bootstrap actor, with its filters and row count.
    expect(await listAudit(t.db, { action: 'signatures.invalidated' })).toMatchObject([
      { actor: 'bootstrap', campaignId: t.campaignId, rowCount: 30, details: { filters: { sourceHashPrefix: trending[0]!.hashPrefix } } },
    ]);
    expect(await (await admin('/admin/reconcile', { method: 'POST', body: '{}' })).json()).toEqual({ drifts: [] });
    // A filter is required.
    expect((await admin(`/admin/campaigns/${t.slug}/invalidations`, { method: 'POST', body: '{"dryRun":true}' })).status).toBe(422);
  });

  it('show one campaign\'s trending e-mail domain, and invalidate by its hash prefix after a dry run', async () => {
    now = Date.UTC(2026, 10, 27, 9, 0, 0);
    t = await createTestApi({ adminToken: TOKEN, clock: () => now });
    const other = await createCampaign(t.db, { ...OPEN_CAMPAIGN, slug: 'other-campaign' }, now);
    // No source IP in app.request: only the e-mail domain marks the flood. Gmail is too big to be a domain.
    for (let i = 0; i < 3; i++) await t.sign(validSignature({ phone: undefined, email: `real${i}@gmail.com` }));
    for (let i = 0; i < 12; i++) await t.sign(validSignature({ phone: undefined, email: `bot${i}@flood.example`, county: 'KE-01' }));
    for (let i = 0; i < 12; i++) await t.sign(validSignature({ phone: undefined, email: `bot${i}@flood.example` }), {}, 'other-campaign');

    const read = async (query: string) => ((await (await admin(`/admin/trending?${query}`)).json()) as { trending: { campaignId: string; kind: string; hashPrefix: string; signatures: number }[] }).trending;
    expect((await read('minCount=10')).map((x) => x.campaignId).sort()).toEqual([t.campaignId, other].sort());
    const trending = await read(`minCount=10&campaign=${t.slug}`);
    expect(trending).toMatchObject([{ campaignId: t.campaignId, kind: 'domain', signatures: 12 }]);
    expect((await admin('/admin/trending?campaign=no-such-campaign')).status).toBe(404);

    const body = (dryRun: boolean) => JSON.stringify({ domainHashPrefix: trending[0]!.hashPrefix, dryRun });
    const dry = await admin(`/admin/campaigns/${t.slug}/invalidations`, { method: 'POST', body: body(true) });
    expect(await dry.json()).toEqual({ affected: 12, counted: 12, pending: 0, suspect: 0, byCounty: { 'KE-01': 12 }, dryRun: true });
    expect(await storedCounts(t.db, t.campaignId)).toEqual({ counted: 15, pending: 0, suspect: 0 });
    const done = await admin(`/admin/campaigns/${t.slug}/invalidations`, { method: 'POST', body: body(false) });
    expect(await done.json()).toMatchObject({ affected: 12, dryRun: false });
    expect(await storedCounts(t.db, t.campaignId)).toEqual({ counted: 3, pending: 0, suspect: 0 });
    // The other campaign's flood has its own hash (keyed per campaign) and is untouched.
    expect(await storedCounts(t.db, other)).toEqual({ counted: 12, pending: 0, suspect: 0 });
    expect(await listAudit(t.db, { action: 'signatures.invalidated' })).toMatchObject([{ details: { filters: { domainHashPrefix: trending[0]!.hashPrefix } } }]);
    expect((await admin(`/admin/campaigns/${t.slug}/invalidations`, { method: 'POST', body: JSON.stringify({ domainHashPrefix: 'not-hex!' }) })).status).toBe(422);
  });
});
