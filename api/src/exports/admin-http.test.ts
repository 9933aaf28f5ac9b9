/**
 * The campaigner HTTP API over real HTTP requests (app.request) on a real libSQL file: tokens and scopes,
 * campaigns, streamed exports with their headers, strike-outs, and the audit log that records them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PDFParse } from 'pdf-parse';
import { createTestApi, validSignature, type TestApi } from '../../test/helpers.ts';

const BOOTSTRAP = 'test-admin-token-0123456789abcdef0123';
let t: TestApi;
afterEach(async () => {
  await t.close();
});

const call = (path: string, token: string, init: RequestInit = {}) =>
  t.request(path, { ...init, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...init.headers } });

async function makeToken(scopes: string[], as = BOOTSTRAP): Promise<{ id: string; token: string }> {
  const response = await call('/admin/tokens', as, { method: 'POST', body: JSON.stringify({ name: scopes.join('+'), scopes }) });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; token: string };
}

describe('admin HTTP API', () => {
  it('tokens: created with the bootstrap token, scopes enforced, no escalation, revocation works at once', async () => {
    t = await createTestApi({ adminToken: BOOTSTRAP });
    const admin = await makeToken(['tokens:admin', 'audit:read']);
    expect(admin.token).toMatch(/^imlu_at_/);
    // A tokens:admin token cannot grant a scope it lacks.
    const escalate = await call('/admin/tokens', admin.token, { method: 'POST', body: JSON.stringify({ name: 'x', scopes: ['signatures:export'] }) });
    expect(escalate.status).toBe(422);
    const reader = await makeToken(['audit:read'], admin.token);
    expect((await call('/admin/tokens', reader.token)).status).toBe(403);
    const list = (await (await call('/admin/tokens', admin.token)).json()) as { tokens: { id: string; name: string }[] };
    expect(list.tokens.map((x) => x.name).sort()).toEqual(['audit:read', 'tokens:admin+audit:read']);
    expect(JSON.stringify(list)).not.toContain(reader.token);
    expect((await call(`/admin/tokens/${reader.id}`, admin.token, { method: 'DELETE' })).status).toBe(200);
    expect((await call('/admin/audit', reader.token)).status).toBe(404);
    expect((await call('/admin/tokens/nope', admin.token, { method: 'DELETE' })).status).toBe(404);
  });

  it('campaigns: PUT creates then updates by slug; GET lists with counts; both audited', async () => {
    t = await createTestApi({ adminToken: BOOTSTRAP });
    const writer = await makeToken(['campaigns:write', 'campaigns:read', 'audit:read']);
    const doc = {
      slug: 'new-campaign',
      status: 'open',
      verification: 'none',
      consentVersion: 'v1',
      title: { en: 'New', sw: 'Mpya' },
      summary: { en: 'S', sw: 'M' },
      body: { en: 'B', sw: 'M' },
      demands: [{ en: 'One', sw: 'Moja' }],
    };
    const created = await call('/admin/campaigns/new-campaign', writer.token, { method: 'PUT', body: JSON.stringify(doc) });
    expect(created.status).toBe(201);
    const updated = await call('/admin/campaigns/new-campaign', writer.token, { method: 'PUT', body: JSON.stringify({ ...doc, goal: 500 }) });
    expect(await updated.json()).toMatchObject({ created: false, changed: ['goal'] });
    expect((await call('/admin/campaigns/other', writer.token, { method: 'PUT', body: JSON.stringify(doc) })).status).toBe(422);
    expect((await call('/admin/campaigns/new-campaign', writer.token, { method: 'PUT', body: JSON.stringify({ ...doc, extra: 1 }) })).status).toBe(422);
    // The public API sees the change at once.
    expect(await (await t.request('/v1/campaigns/new-campaign')).json()).toMatchObject({ goal: 500, demands: [{ text: { en: 'One' } }] });
    await t.sign(validSignature());
    const { campaigns } = (await (await call('/admin/campaigns', writer.token)).json()) as { campaigns: { slug: string; counted: number }[] };
    expect(campaigns).toMatchObject([{ slug: t.slug, counted: 1 }, { slug: 'new-campaign', counted: 0 }]);
    const { entries } = (await (await call('/admin/audit?action=campaign.updated', writer.token)).json()) as { entries: { actor: string; actorName: string; details: unknown }[] };
    expect(entries).toMatchObject([{ actor: `token:${writer.id}`, actorName: 'campaigns:write+campaigns:read+audit:read', details: { fields: ['goal'] } }]);
  });

  it('exports: streamed as they are, even to a client that takes brotli (compressing reads a body whole first)', async () => {
    t = await createTestApi({ adminToken: BOOTSTRAP });
    const exporter = await makeToken(['signatures:export']);
    for (let i = 0; i < 40; i++) await t.sign(validSignature({ name: `Signer ${i}`, phone: `07123450${String(i).padStart(2, '0')}` }));
    const csv = await call(`/admin/campaigns/${t.slug}/export?format=csv`, exporter.token, { headers: { 'Accept-Encoding': 'br, gzip' } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('Content-Encoding')).toBeNull();
    expect((await csv.text()).length).toBeGreaterThan(1024);
  });

  it('exports: streamed attachment, never cached, consent applied, struck rows left out, audited with filters', async () => {
    t = await createTestApi({ adminToken: BOOTSTRAP });
    const exporter = await makeToken(['signatures:export', 'audit:read', 'moderation']);
    await t.sign(validSignature({ name: 'Wanjirũ Kamau', consent: { terms: true, shareWithTargets: true } }));
    await t.sign(validSignature({ name: 'Quiet Signer', phone: '0712345679', county: 'KE-01', consent: { terms: true } }));
    await t.sign(validSignature({ name: 'Struck Signer', phone: '0712345670', consent: { terms: true, shareWithTargets: true } }));
    const struckId = String((await t.db.client.execute('SELECT id FROM signatures ORDER BY created_at, id')).rows[2]![0]);
    expect((await call(`/admin/signatures/${struckId}/strike`, exporter.token, { method: 'POST', body: JSON.stringify({ reason: 'signer asked' }) })).status).toBe(200);

    const csv = await call(`/admin/campaigns/${t.slug}/export?format=csv&verifiedOnly=true`, exporter.token);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('Content-Type')).toContain('text/csv');
    expect(csv.headers.get('Content-Disposition')).toMatch(/^attachment; filename="test-campaign-\d{8}-\d{6}\.csv"$/);
    expect(csv.headers.get('Cache-Control')).toBe('no-store, no-transform');
    const text = await csv.text(); // Response.text() drops the BOM; the bytes test is in exports.test.ts
    expect(text).toContain('Wanjirũ Kamau');
    expect(text).toContain('"Signatory, Baringo"');
    expect(text).not.toContain('Quiet Signer');
    expect(text).not.toContain('Struck Signer');

    const pdf = await call(`/admin/campaigns/${t.slug}/export?format=pdf&locale=en`, exporter.token);
    expect(pdf.headers.get('Content-Type')).toBe('application/pdf');
    const parser = new PDFParse({ data: new Uint8Array(await pdf.arrayBuffer()) });
    const { text: pdfText } = await parser.getText();
    await parser.destroy();
    expect(pdfText).toContain('Signatory, Baringo');
    expect(pdfText).not.toContain('Quiet Signer');

    expect((await call(`/admin/campaigns/${t.slug}/export?county=KE-99`, exporter.token)).status).toBe(422);
    expect((await call(`/admin/campaigns/nope/export`, exporter.token)).status).toBe(404);
    const { entries } = (await (await call(`/admin/audit?campaign=${t.slug}`, exporter.token)).json()) as {
      entries: { action: string; rowCount: number; details: Record<string, unknown> }[];
    };
    expect(entries.map((e) => e.action)).toEqual(['export.created', 'export.created', 'signature.struck']);
    expect(entries[1]).toMatchObject({ rowCount: 2, details: { format: 'csv', destination: 'http', filters: { verifiedOnly: true } } });
    expect(JSON.stringify(entries)).not.toMatch(/Wanjir|Quiet|Struck Signer/);
  });

  it("exports: by a target's jurisdiction (a county body's county; a national body's whole country), recorded in the audit log", async () => {
    t = await createTestApi({ adminToken: BOOTSTRAP });
    const token = await makeToken(['signatures:export', 'accountability:write', 'audit:read']);
    const target = async (body: object) => ((await (await call('/admin/targets', token.token, { method: 'POST', body: JSON.stringify(body) })).json()) as { id: string }).id;
    const county = await target({ name: 'Nairobi City County Government', jurisdiction: { level: 'county', county: 'KE-30' } });
    const national = await target({ name: 'Director of Public Prosecutions', jurisdiction: { level: 'national' } });
    await t.sign(validSignature({ name: 'Nairobi Signer', county: 'KE-30', consent: { terms: true, shareWithTargets: true } }));
    await t.sign(validSignature({ name: 'Mombasa Signer', phone: '0712345679', county: 'KE-01', consent: { terms: true, shareWithTargets: true } }));
    const names = async (query: string) => {
      const response = await call(`/admin/campaigns/${t.slug}/export?format=json&${query}`, token.token);
      expect(response.status).toBe(200);
      return ((await response.json()) as { _embedded: { 'osdi:signatures': unknown[] } })._embedded['osdi:signatures'].map((row) => JSON.stringify(row));
    };
    const inCounty = await names(`jurisdiction=${county}`);
    expect(inCounty).toHaveLength(1);
    expect(inCounty[0]).toContain('Nairobi Signer');
    expect(await names(`jurisdiction=${national}`)).toHaveLength(2);
    expect((await call(`/admin/campaigns/${t.slug}/export?jurisdiction=nope`, token.token)).status).toBe(422);
    expect((await call(`/admin/campaigns/${t.slug}/export?jurisdiction=${county}&county=KE-01`, token.token)).status).toBe(422);
    const { entries } = (await (await call('/admin/audit?action=export.created', token.token)).json()) as { entries: { details: { filters: Record<string, string> } }[] };
    expect(entries.map((e) => e.details.filters['jurisdiction'])).toEqual([`${national} (national)`, `${county} (KE-30)`]);
  });

  it('dates: a day or a date-time with a zone in every filter, as in the CLI; a day that does not exist, a time without a zone, or contacts in a PDF are refused', async () => {
    t = await createTestApi({ adminToken: BOOTSTRAP });
    const token = await makeToken(['signatures:export', 'audit:read', 'moderation']);
    await t.sign(validSignature({ name: 'Today Signer', consent: { terms: true, shareWithTargets: true } }));
    const signedAt = Number((await t.db.client.execute('SELECT created_at FROM signatures')).rows[0]![0]);
    const day = (offset: number) => new Date(signedAt + offset * 86_400_000).toISOString().slice(0, 10);
    const rows = async (query: string) => {
      const response = await call(`/admin/campaigns/${t.slug}/export?format=csv&${query}`, token.token);
      expect(response.status).toBe(200);
      return (await response.text()).includes('Today Signer');
    };
    // One day, given as both ends, is the whole of that day.
    expect(await rows(`from=${day(0)}&to=${day(0)}`)).toBe(true);
    expect(await rows(`from=${day(1)}`)).toBe(false);
    expect(await rows(`to=${day(-1)}`)).toBe(false);
    expect(await rows(`from=${encodeURIComponent(new Date(signedAt).toISOString().replace('Z', '+00:00'))}`)).toBe(true);
    const refused = async (path: string, field: string, init?: RequestInit) => {
      const response = await call(path, token.token, init);
      expect(response.status).toBe(422);
      expect(response.headers.get('Content-Type')).toContain('application/problem+json');
      expect(((await response.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual([field]);
    };
    await refused(`/admin/campaigns/${t.slug}/export?from=2026-02-30`, 'from');
    await refused(`/admin/campaigns/${t.slug}/export?to=2026-12-06T10:00`, 'to');
    await refused(`/admin/campaigns/${t.slug}/export?from=${day(0)}&to=${day(-1)}`, 'to');
    await refused(`/admin/campaigns/${t.slug}/export?format=pdf&includeContacts=true`, 'includeContacts');
    await refused('/admin/audit?from=6/12/2026', 'from');
    expect((await call(`/admin/audit?from=${day(0)}&to=${day(0)}`, token.token)).status).toBe(200);
    const dryRun = await call(`/admin/campaigns/${t.slug}/invalidations`, token.token, { method: 'POST', body: JSON.stringify({ from: day(0), to: day(0) }) });
    expect(dryRun.status).toBe(200);
    expect(await dryRun.json()).toMatchObject({ affected: 1, dryRun: true });
  });
});
