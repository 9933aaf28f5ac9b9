import { AccountabilitySchema, CampaignSchema, type Accountability, type Campaign } from '@imlu/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { listAudit } from '../audit/audit.ts';
import { cliActor } from '../auth/actor.ts';
import { createAdminToken } from '../auth/admin-tokens.ts';
import { createLogger } from '../logging/logger.ts';
import { createWebhook } from '../webhooks/webhooks.ts';
import { createTestApi, PARTNER_ORIGIN, validSignature, type TestApi } from '../../test/helpers.ts';

const ADMIN = 'test-admin-token';
const PRIVATE_CONTACT = 'Insp. Private Kamau +254711000999 private.officer@example.go.ke';

let t: TestApi;
let now = Date.parse('2026-11-10T09:00:00Z');
const lines: string[] = [];

afterEach(async () => {
  await t?.close();
});

async function setup(options: Parameters<typeof createTestApi>[0] = {}) {
  now = Date.parse('2026-11-10T09:00:00Z');
  lines.length = 0;
  t = await createTestApi({
    adminToken: ADMIN,
    clock: () => now,
    logger: createLogger('debug', (_level, line) => lines.push(line)),
    ...options,
  });
  return t;
}

function admin(method: string, path: string, body?: unknown) {
  return t.request(path, {
    method,
    headers: { Authorization: `Bearer ${ADMIN}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function board(): Promise<Accountability> {
  const response = await t.request(`/v1/campaigns/${t.slug}/accountability`);
  expect(response.status).toBe(200);
  return (await response.json()) as Accountability;
}

async function demandIds(): Promise<string[]> {
  const campaign = (await (await t.request(`/v1/campaigns/${t.slug}`)).json()) as Campaign;
  return campaign.demands.map((d) => d.id);
}

async function newTarget(overrides: Record<string, unknown> = {}): Promise<string> {
  const response = await admin('POST', '/admin/targets', {
    name: 'Inspector-General of Police',
    office: 'Inspector-General',
    institution: 'National Police Service',
    jurisdiction: { level: 'national' },
    publicContact: 'ig@example.go.ke',
    deliveryContact: PRIVATE_CONTACT,
    ...overrides,
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

async function ask(targetId: string, body: Record<string, unknown>) {
  return admin('PUT', `/admin/campaigns/${t.slug}/asks/${targetId}`, body);
}

async function record(targetId: string, demands: string[] | 'all-asked', status: string, extra: Record<string, unknown> = {}) {
  return admin('POST', `/admin/campaigns/${t.slug}/positions`, { targetId, demandIds: demands, status, ...extra });
}

describe('Kiswahili fields', () => {
  it('name, office and institution in Kiswahili are stored, edited and shown beside the English ones', async () => {
    await setup();
    const [d1] = await demandIds();
    const target = await newTarget({ nameSw: 'Inspekta Jenerali wa Polisi', officeSw: 'Inspekta Jenerali', institutionSw: 'Huduma ya Taifa ya Polisi' });
    await ask(target, { demandIds: [d1], askedOn: '2026-11-02' });
    expect(
      (await record(target, [d1!], 'committed', { statement: 'We will publish the figures.', statementSw: 'Tutachapisha takwimu.' })).status,
    ).toBe(201);
    expect((await record(target, [d1!], 'committed', { statementSw: 'Kwa Kiswahili tu.' })).status).toBe(201);

    let b = await board();
    expect(AccountabilitySchema.parse(b)).toEqual(b);
    expect(b.targets[0]).toMatchObject({
      name: 'Inspector-General of Police',
      nameSw: 'Inspekta Jenerali wa Polisi',
      officeSw: 'Inspekta Jenerali',
      institutionSw: 'Huduma ya Taifa ya Polisi',
    });
    expect(b.targets[0]!.positions[0]!.history.map((h) => [h.statement, h.statementSw])).toEqual([
      ['We will publish the figures.', 'Tutachapisha takwimu.'],
      [null, 'Kwa Kiswahili tu.'],
    ]);
    const campaign = (await (await t.request(`/v1/campaigns/${t.slug}`)).json()) as Campaign;
    expect(campaign.targets[0]).toMatchObject({ nameSw: 'Inspekta Jenerali wa Polisi', officeSw: 'Inspekta Jenerali' });

    // An edit clears one Kiswahili field (the board then shows the English one) and leaves the others.
    const patched = await admin('PATCH', `/admin/targets/${target}`, { officeSw: null, institutionSw: 'Huduma ya Polisi' });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ nameSw: 'Inspekta Jenerali wa Polisi', officeSw: null, institutionSw: 'Huduma ya Polisi' });
    b = await board();
    expect(b.targets[0]).toMatchObject({ officeSw: null, institutionSw: 'Huduma ya Polisi' });
  });

  it('are in the OpenAPI document: public schemas and the admin inputs', async () => {
    await setup();
    type Schema = { properties: Record<string, unknown> };
    const doc = (await (await t.request('/openapi.json')).json()) as {
      components: { schemas: Record<string, Schema> };
      paths: Record<string, Record<string, { requestBody: { content: Record<string, { schema: Schema }> } }>>;
    };
    const fields = (schema: Schema | undefined) => Object.keys(schema?.properties ?? {});
    for (const name of ['Target', 'AccountabilityTarget', 'AdminTarget']) {
      expect(fields(doc.components.schemas[name]), name).toEqual(expect.arrayContaining(['nameSw', 'officeSw', 'institutionSw']));
    }
    expect(fields(doc.components.schemas.PositionEntry)).toContain('statementSw');
    const input = (path: string) => fields(doc.paths[path]!.post!.requestBody.content['application/json']!.schema);
    expect(input('/admin/targets')).toEqual(expect.arrayContaining(['nameSw', 'officeSw', 'institutionSw']));
    expect(input('/admin/campaigns/{slug}/positions')).toContain('statementSw');
  });

  it('follow the English fields\' rules: blank or too long is a field error and stores nothing', async () => {
    await setup();
    const [d1] = await demandIds();
    for (const [field, value] of [
      ['nameSw', ' '],
      ['nameSw', 'x'.repeat(201)],
      ['officeSw', ''],
      ['institutionSw', 'x'.repeat(201)],
    ] as const) {
      const response = await admin('POST', '/admin/targets', { name: 'Attorney-General', jurisdiction: { level: 'national' }, [field]: value });
      expect(response.status, `${field}=${value.slice(0, 5)}`).toBe(422);
      expect(((await response.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual([field]);
    }
    expect(Number((await t.db.client.execute('SELECT COUNT(*) AS n FROM targets')).rows[0]!.n)).toBe(0);
    const target = await newTarget();
    await ask(target, { demandIds: [d1], askedOn: '2026-11-02' });
    const long = await record(target, [d1!], 'acknowledged', { statementSw: 'x'.repeat(4001) });
    expect(long.status).toBe(422);
    expect(((await long.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(['statementSw']);
    expect(Number((await t.db.client.execute('SELECT COUNT(*) AS n FROM position_entries')).rows[0]!.n)).toBe(0);
  });
});

describe('positions', () => {
  it('follow the lifecycle: not asked, asked, then the latest entry, history oldest first', async () => {
    await setup();
    const [d1] = await demandIds();
    const target = await newTarget();

    expect((await board()).targets).toEqual([]);
    expect((await ask(target, { demandIds: [d1], askedOn: '2026-11-02', dueOn: '2026-11-30' })).status).toBe(201);
    let b = await board();
    expect(b.targets).toHaveLength(1);
    expect(b.targets[0]!.positions.map((p) => p.status)).toEqual(['asked', 'not_asked']);
    expect(b.targets[0]!.positions[0]!.since).toBe('2026-11-01T21:00:00.000Z');
    expect(b.summary).toMatchObject({ targets: 1, asked: 1, responded: 0, committed: 0, overdue: 0 });

    // The public campaign names its targets now.
    const campaign = (await (await t.request(`/v1/campaigns/${t.slug}`)).json()) as Campaign;
    expect(campaign.targets).toEqual([
      {
        id: target,
        name: 'Inspector-General of Police',
        office: 'Inspector-General',
        institution: 'National Police Service',
        nameSw: null,
        officeSw: null,
        institutionSw: null,
      },
    ]);

    expect((await record(target, [d1!], 'delivered')).status).toBe(422); // nothing committed yet
    expect((await record(target, [d1!], 'acknowledged', { statement: 'Received.' })).status).toBe(201);
    now += 60_000;
    expect((await record(target, [d1!], 'committed', { evidenceUrl: 'https://example.go.ke/letter.pdf' })).status).toBe(201);
    now += 60_000;
    expect((await record(target, [d1!], 'delivered', { statement: 'Unit established.' })).status).toBe(201);
    now += 60_000;
    // A correction is a new entry.
    expect((await record(target, [d1!], 'broken', { statement: 'Correction: the unit was never staffed.' })).status).toBe(201);

    b = await board();
    // The answer is exactly the contract the <imlu-accountability> element is built against.
    expect(AccountabilitySchema.parse(b)).toEqual(b);
    expect(() => CampaignSchema.parse(campaign)).not.toThrow();
    const p = b.targets[0]!.positions[0]!;
    expect(p.status).toBe('broken');
    expect(p.history.map((h) => h.status)).toEqual(['acknowledged', 'committed', 'delivered', 'broken']);
    expect(p.history[1]).toMatchObject({ evidenceUrl: 'https://example.go.ke/letter.pdf', recordedBy: 'campaign' });
    expect(p.since).toBe(p.history[3]!.recordedAt);
    expect(b.targets[0]!.positions[1]!.status).toBe('not_asked');
    expect(b.summary).toMatchObject({ asked: 1, responded: 1, committed: 0, delivered: 0, broken: 1 });

    // Asking for the second demand too: it becomes `asked`.
    expect((await ask(target, { demandIds: 'all', askedOn: '2026-11-02', dueOn: '2026-11-30' })).status).toBe(200);
    b = await board();
    expect(b.targets[0]!.positions[1]!.status).toBe('asked');
    expect(b.signatures).toBe(0);
  });

  it('refuses non-http(s) evidence, unknown demands and targets that were not asked', async () => {
    await setup();
    const [d1] = await demandIds();
    const target = await newTarget();
    expect((await record(target, [d1!], 'acknowledged')).status).toBe(422);
    await ask(target, { askedOn: '2026-11-02' });
    for (const evidenceUrl of ['javascript:alert(1)', 'data:text/html,x', 'ftp://example.org/x', 'not a url']) {
      expect((await record(target, [d1!], 'acknowledged', { evidenceUrl })).status).toBe(422);
    }
    expect((await record(target, ['no-such-demand'], 'acknowledged')).status).toBe(422);
    expect((await record(target, 'all-asked', 'acknowledged')).status).toBe(201);
    expect((await board()).targets[0]!.positions.map((p) => p.status)).toEqual(['acknowledged', 'acknowledged']);
  });

  it('refuse an http:// evidence link with a field error and store nothing: https only', async () => {
    await setup();
    const [d1] = await demandIds();
    const target = await newTarget();
    await ask(target, { askedOn: '2026-11-02' });
    const refused = await record(target, [d1!], 'committed', { statement: 'We commit.', evidenceUrl: 'http://example.go.ke/letter.pdf' });
    expect(refused.status).toBe(422);
    expect(refused.headers.get('Content-Type')).toContain('application/problem+json');
    const problem = (await refused.json()) as { type: string; errors: { path: string; code: string }[] };
    expect(problem.type).toMatch(/validation/);
    expect(problem.errors).toEqual([expect.objectContaining({ path: 'evidenceUrl' })]);
    const stored = await t.db.client.execute('SELECT COUNT(*) AS n FROM position_entries');
    expect(Number(stored.rows[0]!.n)).toBe(0);
    expect((await board()).targets[0]!.positions[0]!.status).toBe('asked');
    expect((await record(target, [d1!], 'committed', { evidenceUrl: 'https://example.go.ke/letter.pdf' })).status).toBe(201);
  });

  it('are append-only in the database: triggers refuse UPDATE and DELETE', async () => {
    await setup();
    const [d1] = await demandIds();
    const target = await newTarget();
    await ask(target, { askedOn: '2026-11-02' });
    await record(target, [d1!], 'committed');
    await expect(t.db.client.execute("UPDATE position_entries SET status = 'declined'")).rejects.toThrow(/append-only/);
    await expect(t.db.client.execute('DELETE FROM position_entries')).rejects.toThrow(/append-only/);
    // Not through a cascade either.
    await expect(t.db.client.execute('DELETE FROM campaigns')).rejects.toThrow();
    const rows = await t.db.client.execute('SELECT status FROM position_entries');
    expect(rows.rows.map((r) => r.status)).toEqual(['committed']);
  });

  it('have no route that edits or deletes them', async () => {
    await setup();
    const [d1] = await demandIds();
    const target = await newTarget();
    await ask(target, { askedOn: '2026-11-02' });
    const entryId = ((await (await record(target, [d1!], 'committed')).json()) as { entries: string[] }).entries[0]!;
    const paths = [
      `/admin/campaigns/${t.slug}/positions`,
      `/admin/campaigns/${t.slug}/positions/${entryId}`,
      `/admin/positions/${entryId}`,
      `/admin/campaigns/${t.slug}/targets/${target}/positions`,
      `/admin/campaigns/${t.slug}/asks/${target}`,
      `/v1/campaigns/${t.slug}/accountability`,
      `/v1/campaigns/${t.slug}/positions/${entryId}`,
      `/v1/campaigns/${t.slug}/accountability/${target}`,
    ];
    for (const path of paths) {
      for (const method of ['PUT', 'PATCH', 'DELETE']) {
        if (method === 'PUT' && path.endsWith(`/asks/${target}`)) continue; // editing an ask is allowed, not its positions
        const response = await admin(method, path, method === 'DELETE' ? undefined : { status: 'declined' });
        expect([404, 405], `${method} ${path}`).toContain(response.status);
      }
    }
    const doc = (await (await t.request('/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!path.includes('position')) continue;
      expect(Object.keys(ops), path).toEqual(['post']);
    }
    const rows = await t.db.client.execute('SELECT status FROM position_entries');
    expect(rows.rows.map((r) => r.status)).toEqual(['committed']);
  });
});

describe('overdue', () => {
  it('counts whole days past the due date in Nairobi time, across the midnight boundary', async () => {
    await setup();
    const [d1] = await demandIds();
    const target = await newTarget();
    await ask(target, { demandIds: [d1], askedOn: '2026-11-02', dueOn: '2026-11-20' });

    now = Date.parse('2026-11-20T20:59:59Z'); // 23:59:59 on the 20th in Nairobi: due today, not late
    let b = await board();
    expect(b.targets[0]).toMatchObject({ overdue: false, daysOverdue: null, dueOn: '2026-11-20' });
    expect(b.summary.overdue).toBe(0);

    now = Date.parse('2026-11-20T21:00:00Z'); // 00:00 on the 21st in Nairobi, still the 20th in UTC
    b = await board();
    expect(b.targets[0]).toMatchObject({ overdue: true, daysOverdue: 1 });
    expect(b.summary.overdue).toBe(1);

    now = Date.parse('2026-11-24T22:30:00Z'); // 01:30 on the 25th in Nairobi
    expect((await board()).targets[0]).toMatchObject({ overdue: true, daysOverdue: 5 });

    // A response on the asked demand, even late, ends "overdue".
    await record(target, [d1!], 'acknowledged');
    b = await board();
    expect(b.targets[0]).toMatchObject({ overdue: false, daysOverdue: null });
    expect(b.summary).toMatchObject({ overdue: 0, responded: 1 });
  });

  it("is in the campaign's list of asks, as on the board", async () => {
    await setup();
    const [d1] = await demandIds();
    const late = await newTarget();
    const onTime = await newTarget({ name: 'Governor of Nairobi City County', jurisdiction: { level: 'county', county: 'KE-47' } });
    await ask(late, { demandIds: [d1], askedOn: '2026-11-02', dueOn: '2026-11-05' });
    await ask(onTime, { askedOn: '2026-11-02', dueOn: '2026-11-30' });
    const asks = async () => {
      const response = await admin('GET', `/admin/campaigns/${t.slug}/asks`);
      expect(response.status).toBe(200);
      return ((await response.json()) as { asks: { targetId: string; responded: boolean; overdue: boolean; daysOverdue: number | null }[] }).asks;
    };
    // Both asks were made at the same (test clock) instant: their order is not the point here.
    const byTarget = async () => new Map((await asks()).map((a) => [a.targetId, a]));
    let listed = await byTarget();
    expect(listed.size).toBe(2);
    expect(listed.get(late)).toMatchObject({ responded: false, overdue: true, daysOverdue: 5 });
    expect(listed.get(onTime)).toMatchObject({ responded: false, overdue: false, daysOverdue: null });

    await record(late, [d1!], 'acknowledged');
    listed = await byTarget();
    expect(listed.get(late)).toMatchObject({ responded: true, overdue: false, daysOverdue: null });
  });

  it('is in the list of asks of a draft campaign, whose board is not public yet', async () => {
    await setup({ campaign: { status: 'draft' } });
    const target = await newTarget();
    expect((await ask(target, { askedOn: '2026-11-02', dueOn: '2026-11-08' })).status).toBe(201);
    expect((await t.request(`/v1/campaigns/${t.slug}/accountability`)).status).toBe(404);
    const response = await admin('GET', `/admin/campaigns/${t.slug}/asks`);
    expect(await response.json()).toEqual({
      asks: [{ targetId: target, demandIds: expect.any(Array), askedOn: '2026-11-02', dueOn: '2026-11-08', responded: false, overdue: true, daysOverdue: 2 }],
    });
  });

  it('needs a due date and an asked demand', async () => {
    await setup();
    const target = await newTarget();
    await ask(target, { askedOn: '2026-10-01' });
    now = Date.parse('2027-01-01T09:00:00Z');
    expect((await board()).targets[0]).toMatchObject({ overdue: false, daysOverdue: null, dueOn: null });
  });
});

describe('public endpoint', () => {
  it('is cacheable for a few seconds, with an ETag and 304, open to any origin', async () => {
    await setup({ countsMaxAge: 30 });
    const first = await t.request(`/v1/campaigns/${t.slug}/accountability`, { headers: { Origin: 'https://anyone.example' } });
    expect(first.status).toBe(200);
    expect(first.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(first.headers.get('Cache-Control')).toMatch(/^public, max-age=5,/);
    const etag = first.headers.get('ETag')!;
    expect(etag).toMatch(/^".+"$/);
    const again = await t.request(`/v1/campaigns/${t.slug}/accountability`, { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get('ETag')).toBe(etag);

    // A write changes the representation at once (the cached board is dropped).
    const target = await newTarget();
    await ask(target, { askedOn: '2026-11-02' });
    const changed = await t.request(`/v1/campaigns/${t.slug}/accountability`, { headers: { 'If-None-Match': etag } });
    expect(changed.status).toBe(200);
    expect((await t.request('/v1/campaigns/no-such/accountability')).status).toBe(404);
  });

  it('picks up another node’s writes within the cache time', async () => {
    await setup({ accountabilityCacheMs: 2000 });
    const target = await newTarget();
    await ask(target, { askedOn: '2026-11-02' });
    expect((await board()).summary.responded).toBe(0);
    // Written behind this process's back, as another API node would.
    const [d1] = await demandIds();
    await t.db.client.execute({
      sql: "INSERT INTO position_entries (id, campaign_id, target_id, demand_id, status, recorded_by, actor, recorded_at) VALUES ('x', ?, ?, ?, 'committed', 'campaign', 'other-node', ?)",
      args: [t.campaignId, target, d1!, now],
    });
    expect((await board()).summary.responded).toBe(0);
    now += 2001;
    expect((await board()).summary.committed).toBe(1);
  });
});

describe('targets', () => {
  it('validate the jurisdiction against the counties and default the OCD id', async () => {
    await setup();
    const bad = [
      { level: 'county' },
      { level: 'county', county: 'KE-99' },
      { level: 'national', county: 'KE-30' },
      { level: 'county', county: 'KE-30', ocdId: 'ocd-division/country:ke/county:01' },
      { level: 'county', county: 'KE-30', ocdId: 'not an ocd id' },
    ];
    for (const jurisdiction of bad) {
      expect((await admin('POST', '/admin/targets', { name: 'County Government', jurisdiction })).status, JSON.stringify(jurisdiction)).toBe(422);
    }
    const created = await admin('POST', '/admin/targets', { name: 'Nairobi City County Government', jurisdiction: { level: 'county', county: 'KE-30' } });
    expect(await created.json()).toMatchObject({ jurisdiction: { level: 'county', county: 'KE-30', ocdId: 'ocd-division/country:ke/county:30' }, hasDeliveryContact: false });
    const national = await admin('POST', '/admin/targets', { name: 'DPP', jurisdiction: { level: 'national' } });
    expect(await national.json()).toMatchObject({ jurisdiction: { level: 'national', county: null, ocdId: 'ocd-division/country:ke' } });
  });

  it('never show the private delivery contact in any answer, and store it encrypted', async () => {
    await setup();
    const [d1] = await demandIds();
    const texts: string[] = [];
    const keep = async (response: Response | Promise<Response>) => {
      const r = await response;
      texts.push(await r.clone().text());
      return r;
    };
    const createdResponse = await keep(
      admin('POST', '/admin/targets', { name: 'Director of Public Prosecutions', jurisdiction: { level: 'national' }, deliveryContact: PRIVATE_CONTACT }),
    );
    const { id } = (await createdResponse.json()) as { id: string };
    await keep(admin('PATCH', `/admin/targets/${id}`, { office: 'DPP', deliveryContact: `${PRIVATE_CONTACT} (new)` }));
    await keep(admin('GET', `/admin/targets/${id}`));
    await keep(admin('GET', '/admin/targets'));
    await keep(ask(id, { askedOn: '2026-11-02', dueOn: '2026-11-05' }));
    await keep(admin('GET', `/admin/campaigns/${t.slug}/asks`));
    await keep(record(id, [d1!], 'committed'));
    const link = (await (await keep(admin('POST', `/admin/campaigns/${t.slug}/response-links`, { targetId: id }))).json()) as { url: string };
    await keep(admin('GET', `/admin/campaigns/${t.slug}/response-links`));
    await keep(t.request(new URL(link.url).pathname));
    await keep(t.request(`/v1/campaigns/${t.slug}/accountability`));
    await keep(t.request(`/v1/campaigns/${t.slug}`));
    await keep(t.request('/openapi.json'));
    const all = texts.join('\n') + lines.join('\n');
    for (const secret of ['Private Kamau', '711000999', 'private.officer']) expect(all).not.toContain(secret);
    expect(texts[2]).toContain('"hasDeliveryContact":true');

    const stored = await t.db.client.execute({ sql: 'SELECT delivery_contact_enc FROM targets WHERE id = ?', args: [id] });
    const envelope = String(stored.rows[0]!.delivery_contact_enc);
    expect(envelope).toMatch(/^v2\./);
    expect(t.api.services.crypto.decrypt(envelope, id, 'target-delivery-contact')).toBe(`${PRIVATE_CONTACT} (new)`);

    // Erasing it.
    expect(await (await admin('PATCH', `/admin/targets/${id}`, { deliveryContact: null })).json()).toMatchObject({ hasDeliveryContact: false });
  });

  it('need the right scope, and every change is audited without contact data', async () => {
    await setup();
    const reader = await createAdminToken(t.db, { name: 'reader', scopes: ['campaigns:read'], actor: cliActor() });
    const writer = await createAdminToken(t.db, { name: 'board editor', scopes: ['accountability:write'], actor: cliActor() });
    const as = (token: string, method: string, path: string, body?: unknown) =>
      t.request(path, {
        method,
        headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const target = { name: 'IPOA', jurisdiction: { level: 'national' }, deliveryContact: PRIVATE_CONTACT };
    expect((await as(reader.token, 'GET', '/admin/targets')).status).toBe(200);
    expect((await as(reader.token, 'POST', '/admin/targets', target)).status).toBe(403);
    const created = await as(writer.token, 'POST', '/admin/targets', target);
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const [d1] = await demandIds();
    expect((await as(writer.token, 'PUT', `/admin/campaigns/${t.slug}/asks/${id}`, { askedOn: '2026-11-02' })).status).toBe(201);
    expect((await as(writer.token, 'POST', `/admin/campaigns/${t.slug}/positions`, { targetId: id, demandIds: [d1], status: 'declined', statement: 'We decline.' })).status).toBe(201);
    expect((await as(writer.token, 'POST', `/admin/campaigns/${t.slug}/milestones`, { threshold: 10, label: { en: 'Ten', sw: 'Kumi' } })).status).toBe(201);

    const entries = await listAudit(t.db, {});
    const actions = entries.map((e) => e.action).filter((a) => !a.startsWith('token.'));
    expect(actions.sort()).toEqual(['ask.created', 'milestone.created', 'position.recorded', 'target.created']);
    for (const entry of entries.filter((e) => !e.action.startsWith('token.'))) {
      expect(entry).toMatchObject({ actor: `token:${writer.info.id}`, actorName: 'board editor' });
    }
    expect(entries.find((e) => e.action === 'position.recorded')).toMatchObject({ campaignId: t.campaignId, subject: id, rowCount: 1, details: { status: 'declined' } });
    const entryActor = await t.db.client.execute('SELECT actor FROM position_entries');
    expect(entryActor.rows[0]!.actor).toBe(`token:${writer.info.id}`);
    const dump = JSON.stringify(entries);
    for (const secret of ['Private Kamau', '711000999', 'private.officer', 'We decline.']) expect(dump).not.toContain(secret);
  });

  it('are not open to other sites: no CORS on admin routes, while the public board is', async () => {
    await setup();
    const preflight = await t.request('/admin/targets', {
      method: 'OPTIONS',
      headers: { Origin: PARTNER_ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
    });
    expect(preflight.headers.get('Access-Control-Allow-Origin')).toBeNull();
    const read = await t.request('/admin/targets', { headers: { Origin: PARTNER_ORIGIN, Authorization: `Bearer ${ADMIN}` } });
    expect(read.headers.get('Access-Control-Allow-Origin')).toBeNull();
    const board = await t.request(`/v1/campaigns/${t.slug}/accountability`, { headers: { Origin: PARTNER_ORIGIN } });
    expect(board.headers.get('Access-Control-Allow-Origin')).toBe('*');
  });

  it('admin routes answer 404 without the token', async () => {
    await setup();
    expect((await t.request('/admin/targets')).status).toBe(404);
    const response = await t.request('/admin/targets', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer wrong' },
      body: JSON.stringify({ name: 'X', jurisdiction: { level: 'national' } }),
    });
    expect(response.status).toBe(404);
    expect((await t.db.client.execute('SELECT COUNT(*) AS n FROM targets')).rows[0]!.n).toBe(0);
  });
});

describe('demands', () => {
  it("are listed for a campaigner with campaigns:read, a draft's too", async () => {
    await setup({ campaign: { status: 'draft' } });
    const reader = await createAdminToken(t.db, { name: 'reader', scopes: ['campaigns:read'], actor: cliActor() });
    const nobody = await createAdminToken(t.db, { name: 'moderator', scopes: ['moderation'], actor: cliActor() });
    const get = (token: string, slug = t.slug) => t.request(`/admin/campaigns/${slug}/demands`, { headers: { Authorization: `Bearer ${token}` } });
    const response = await get(reader.token);
    expect(response.status).toBe(200);
    const { demands } = (await response.json()) as { demands: { id: string; position: number; text: { en: string; sw: string } }[] };
    expect(demands.length).toBeGreaterThan(0);
    expect(demands[0]).toMatchObject({ id: expect.any(String), text: { en: expect.any(String), sw: expect.any(String) } });
    expect((await get(nobody.token)).status).toBe(403);
    expect((await get(reader.token, 'no-such-campaign')).status).toBe(404);
  });

  it('can be re-worded, re-ordered and added; one asked for cannot be removed', async () => {
    await setup();
    const [d1, d2] = await demandIds();
    let response = await admin('PUT', `/admin/campaigns/${t.slug}/demands`, {
      demands: [
        { id: d2, text: { en: 'Second, now first', sw: 'Dai la pili, sasa la kwanza' } },
        { id: d1, text: { en: 'First demand', sw: 'Dai la kwanza' } },
        { text: { en: 'A third demand', sw: 'Dai la tatu' } },
      ],
    });
    expect(response.status).toBe(200);
    const { demands } = (await response.json()) as { demands: { id: string; position: number; text: { en: string } }[] };
    expect(demands.map((d) => [d.id === d2, d.position, d.text.en])).toEqual([
      [true, 1, 'Second, now first'],
      [false, 2, 'First demand'],
      [false, 3, 'A third demand'],
    ]);
    expect(await demandIds()).toEqual(demands.map((d) => d.id));

    const target = await newTarget();
    await ask(target, { demandIds: [d1], askedOn: '2026-11-02' });
    response = await admin('PUT', `/admin/campaigns/${t.slug}/demands`, { demands: [{ id: d2, text: { en: 'Only', sw: 'Pekee' } }] });
    expect(response.status).toBe(422);
    expect(await demandIds()).toHaveLength(3);
  });
});

describe('integration with the campaigner API (exports branch)', () => {
  it('queues a pledge.status_changed webhook with each status change, in the same transaction', async () => {
    await setup();
    const [d1, d2] = await demandIds();
    await createWebhook(t.db, t.api.services.crypto, { campaignId: t.campaignId, url: 'https://hooks.example/imlu', events: ['pledge.status_changed'], actor: cliActor() });
    const target = await newTarget();
    await ask(target, { demandIds: [d1], askedOn: '2026-11-02' });
    const queued = async () =>
      (await t.db.client.execute("SELECT payload FROM outbox WHERE kind = 'webhook' ORDER BY created_at, rowid")).rows.map(
        (r) => JSON.parse(String(r.payload)) as { event: string; data: Record<string, unknown> },
      );
    await record(target, [d1!, d2!], 'acknowledged', { statement: 'Received.' });
    let events = await queued();
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      event: 'pledge.status_changed',
      data: { campaign: t.slug, target: { id: target, name: 'Inspector-General of Police' }, demandId: d1, previousStatus: 'asked', status: 'acknowledged', statement: 'Received.', recordedBy: 'campaign' },
    });
    expect(events[1]!.data).toMatchObject({ demandId: d2, previousStatus: 'not_asked' });
    // The same status again (a new statement) is not a change.
    await record(target, [d1!], 'acknowledged', { statement: 'Still reviewing.' });
    expect(await queued()).toHaveLength(2);
    // A statement given in Kiswahili only still reaches supporters (their update quotes it).
    await t.db.client.execute(`UPDATE campaigns SET updates = '{"events":["position"]}' WHERE id = '${t.campaignId}'`);
    await record(target, [d1!], 'committed', { statementSw: 'Tumeahidi.' });
    const update = await t.db.client.execute("SELECT data FROM update_events WHERE kind = 'position'");
    expect(update.rows.map((r) => (JSON.parse(String(r.data)) as { statement: string | null }).statement)).toEqual(['Tumeahidi.']);
    events = await queued();
    expect(events).toHaveLength(3);
    expect(events[0]!.data).toMatchObject({ statement: 'Received.', statementSw: null });
    expect(events[2]!.data).toMatchObject({ previousStatus: 'acknowledged', status: 'committed', statement: null, statementSw: 'Tumeahidi.' });
    expect(JSON.stringify(events)).not.toContain('Private Kamau');
  });

  it('a campaign apply cannot remove a demand that is on the board', async () => {
    await setup();
    const [d1] = await demandIds();
    const target = await newTarget();
    await ask(target, { demandIds: [d1], askedOn: '2026-11-02' });
    const apply = (demands: { en: string; sw: string }[]) =>
      admin('PUT', `/admin/campaigns/${t.slug}`, {
        slug: t.slug,
        status: 'open',
        title: { en: 'Test campaign', sw: 'Kampeni ya majaribio' },
        summary: { en: 'Summary', sw: 'Muhtasari' },
        body: { en: 'Body', sw: 'Maelezo' },
        verification: 'none',
        consentVersion: 'test-v1',
        demands,
      });
    // Dropping the second (not asked) demand is fine; dropping the first is refused, and nothing changes.
    expect((await apply([{ en: 'First demand', sw: 'Dai la kwanza' }])).status).toBe(200);
    const refused = await apply([]);
    expect(refused.status).toBe(422);
    expect(await demandIds()).toEqual([d1]);
  });
});

describe('milestones', () => {
  it('record when the count first reaches them, and backfill one added below the count', async () => {
    await setup();
    expect((await admin('POST', `/admin/campaigns/${t.slug}/milestones`, { threshold: 2, label: { en: 'Two', sw: 'Mbili' } })).status).toBe(201);
    expect((await admin('POST', `/admin/campaigns/${t.slug}/milestones`, { threshold: 2, label: { en: 'Again', sw: 'Tena' } })).status).toBe(422);
    await admin('POST', `/admin/campaigns/${t.slug}/milestones`, { threshold: 1000, label: { en: 'Delivered to the DPP', sw: 'Kukabidhiwa kwa DPP' } });

    const signedAt = now;
    expect((await t.sign(validSignature({ phone: '0712000001' }))).status).toBe(201);
    await t.api.services.milestones.settled();
    expect((await board()).milestones.map((m) => m.reachedAt)).toEqual([null, null]);
    now += 5_000;
    expect((await t.sign(validSignature({ phone: '0712000002' }))).status).toBe(201);
    await t.api.services.milestones.settled();
    let b = await board();
    expect(b.signatures).toBe(2);
    expect(b.milestones[0]).toMatchObject({ threshold: 2, label: { en: 'Two', sw: 'Mbili' }, reachedAt: new Date(signedAt + 5_000).toISOString() });
    expect(b.milestones[1]!.reachedAt).toBeNull();

    // Added below the current count: reached "now", the time it was added.
    now += 60_000;
    const added = await admin('POST', `/admin/campaigns/${t.slug}/milestones`, { threshold: 1, label: { en: 'First', sw: 'Ya kwanza' } });
    expect(await added.json()).toMatchObject({ threshold: 1, reachedAt: new Date(now).toISOString() });
    b = await board();
    expect(b.milestones.map((m) => m.threshold)).toEqual([1, 2, 1000]);
    const campaign = (await (await t.request(`/v1/campaigns/${t.slug}`)).json()) as Campaign;
    expect(campaign.milestones?.map((m) => m.reachedAt !== null)).toEqual([true, true, false]);

    // A later signature does not move a reached date.
    now += 1000;
    await t.sign(validSignature({ phone: '0712000003' }));
    await t.api.services.milestones.settled();
    expect((await board()).milestones[1]!.reachedAt).toBe(new Date(signedAt + 5_000).toISOString());
    expect((await admin('DELETE', `/admin/campaigns/${t.slug}/milestones/1000`)).status).toBe(204);
    expect((await board()).milestones).toHaveLength(2);

    // The console reads them from the admin API, as the board shows them (drafts have no public board).
    const listed = (await (await admin('GET', `/admin/campaigns/${t.slug}/milestones`)).json()) as { milestones: unknown[] };
    expect(listed.milestones).toEqual((await board()).milestones);
    expect((await admin('GET', '/admin/campaigns/no-such-campaign/milestones')).status).toBe(404);
  });

  it('are stamped at start-up when passed while no server watched', async () => {
    await setup();
    await t.sign(validSignature());
    await t.db.client.execute({
      sql: "INSERT INTO milestones (id, campaign_id, threshold, label_en, label_sw, created_at) VALUES ('m', ?, 1, 'One', 'Moja', ?)",
      args: [t.campaignId, now],
    });
    const { createApp } = await import('../app.ts');
    const { TEST_KEYS } = await import('../../test/helpers.ts');
    const second = await createApp({ db: t.db, config: { ...TEST_KEYS, allowedOrigins: [], countsMaxAge: 10 }, clock: () => now });
    await second.services.milestones.settled();
    await second.close();
    const row = await t.db.client.execute("SELECT reached_at FROM milestones WHERE id = 'm'");
    expect(row.rows[0]!.reached_at).not.toBeNull();
  });
});

describe('pledge campaigns', () => {
  it('sign and count through the same path, and the hosted page uses pledge wording', async () => {
    await setup({ campaign: { slug: 'pledge-campaign', kind: 'pledge' } });
    expect((await t.sign(validSignature())).status).toBe(201);
    const counts = (await (await t.request('/v1/campaigns/pledge-campaign/counts')).json()) as { signatures: number };
    expect(counts.signatures).toBe(1);

    const en = await (await t.request('/c/pledge-campaign?lang=en')).text();
    expect(en).toContain('I pledge to');
    expect(en).toContain('Take the pledge');
    const sw = await (await t.request('/c/pledge-campaign', { headers: { 'Accept-Language': 'sw-KE' } })).text();
    expect(sw).toContain('Naahidi');

    // And through the hosted form, filled in at a person's pace (the minimum fill time is 2 s).
    const token = /name="token" value="([^"]+)"/.exec(en)![1]!;
    now += 5000;
    const posted = await t.request('/c/pledge-campaign', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin' },
      body: new URLSearchParams({ token, lang: 'en', name: 'Achieng Otieno', phone: '0722000111', terms: 'yes' }).toString(),
    });
    expect(posted.status).toBe(200);
    expect(await posted.text()).toContain('pledge');
    const after = (await (await t.request('/v1/campaigns/pledge-campaign/counts')).json()) as { signatures: number };
    expect(after.signatures).toBe(2);
    expect((await board()).signatures).toBe(2);
  });

  it('a petition keeps petition wording', async () => {
    await setup();
    const en = await (await t.request(`/c/${t.slug}?lang=en`)).text();
    expect(en).not.toContain('I pledge to');
    expect(en).toContain('Our demands');
  });
});
