/**
 * Delivery on the record over HTTP, on a real database: the admin route, the public board, the e-mail to
 * the official and the staff prompt of a milestone, each through the outbox and a real SMTP conversation.
 */
import { AccountabilitySchema, type Accountability } from '@imlu/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { listAudit } from '../audit/audit.ts';
import { cliActor } from '../auth/actor.ts';
import { createAdminToken } from '../auth/admin-tokens.ts';
import { createLogger } from '../logging/logger.ts';
import { smtpTransport } from '../messages/email.ts';
import { createTestApi, validSignature, type TestApi } from '../../test/helpers.ts';
import { startTestSmtp, type TestSmtp } from '../../test/smtp.ts';

const ADMIN = 'test-admin-token';
const HASH = 'ab12'.padEnd(64, '0c');
const PRIVATE_CONTACT = 'Insp. Private Kamau +254711000999 private.officer@example.go.ke';

let t: TestApi;
let smtp: TestSmtp | undefined;
let now = Date.parse('2026-12-06T09:00:00Z');
const lines: string[] = [];

afterEach(async () => {
  await t?.close();
  await smtp?.stop();
  smtp = undefined;
});

async function setup(options: { mail?: boolean; staffEmail?: string } = {}) {
  now = Date.parse('2026-12-06T09:00:00Z');
  lines.length = 0;
  if (options.mail) smtp = await startTestSmtp();
  t = await createTestApi({
    adminToken: ADMIN,
    clock: () => now,
    logger: createLogger('debug', (_level, line) => lines.push(line)),
    publicBaseUrl: 'https://api.example.org',
    ...(smtp ? { mail: smtpTransport({ url: smtp.url, from: 'IMLU <no-reply@example.org>' }) } : {}),
    ...(options.staffEmail ? { staffEmail: options.staffEmail } : {}),
  });
  return t;
}

function admin(method: string, path: string, body?: unknown, token = ADMIN) {
  return t.request(path, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function board(): Promise<Accountability> {
  const response = await t.request(`/v1/campaigns/${t.slug}/accountability`);
  expect(response.status).toBe(200);
  return AccountabilitySchema.parse(await response.json());
}

async function newTarget(overrides: Record<string, unknown> = {}): Promise<string> {
  const response = await admin('POST', '/admin/targets', {
    name: 'Independent Policing Oversight Authority',
    nameSw: 'Mamlaka Huru ya Kusimamia Polisi',
    institution: 'IPOA',
    jurisdiction: { level: 'national' },
    deliveryContact: PRIVATE_CONTACT,
    ...overrides,
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

const deliver = (body: Record<string, unknown>, token?: string) =>
  admin('POST', `/admin/campaigns/${t.slug}/deliveries`, { deliveredOn: '2026-12-06', channel: 'in_person', signatures: 12_345, manifestSha256: HASH, ...body }, token);

async function rows(table: string): Promise<number> {
  return Number((await t.db.client.execute(`SELECT count(*) FROM ${table}`)).rows[0]![0]);
}

describe('recording a delivery', () => {
  it("appears in the target's public history with count, hash, date and channel; a target not yet asked is asked; audited with the manifest's subject", async () => {
    await setup();
    const target = await newTarget();
    const response = await deliver({ targetId: target, manifestSha256: HASH.toUpperCase() });
    expect(response.status).toBe(201);
    const recorded = await response.json();
    expect(recorded).toMatchObject({ targetId: target, signatures: 12_345, manifestSha256: HASH, channel: 'in_person', emailed: false, askCreated: true });

    const b = await board();
    expect(b.targets).toHaveLength(1);
    expect(b.targets[0]).toMatchObject({
      askedOn: '2026-12-06',
      contactAvailable: true,
      deliveries: [{ deliveredOn: '2026-12-06', channel: 'in_person', signatures: 12_345, manifestSha256: HASH, recordedAt: new Date(now).toISOString() }],
    });
    // Asking is not a response: every demand is awaiting one, nothing is overdue, nobody "responded".
    expect(b.targets[0]!.positions.map((p) => p.status)).toEqual(['asked', 'asked']);
    expect(b.summary).toMatchObject({ asked: 1, responded: 0 });

    // A second delivery (a later count) keeps the first and the ask.
    now += 86_400_000;
    expect((await deliver({ targetId: target, deliveredOn: '2026-12-07', channel: 'post', signatures: 13_000 })).status).toBe(201);
    expect((await board()).targets[0]!.deliveries!.map((d) => [d.deliveredOn, d.channel, d.signatures])).toEqual([
      ['2026-12-06', 'in_person', 12_345],
      ['2026-12-07', 'post', 13_000],
    ]);

    const audit = await listAudit(t.db, { action: 'delivery.recorded' });
    expect(audit.map((a) => [a.subject, a.rowCount, a.details['targetId'], a.details['askCreated']])).toEqual(
      expect.arrayContaining([
        [`manifest:${HASH}`, 12_345, target, true],
        [`manifest:${HASH}`, 13_000, target, false],
      ]),
    );
    // Deliveries are append-only in the database itself.
    await expect(t.db.client.execute('DELETE FROM deliveries')).rejects.toThrow(/append-only/);
    await expect(t.db.client.execute('UPDATE deliveries SET signatures = 1')).rejects.toThrow(/append-only/);
  });

  it('refuses bad input with field errors and stores nothing', async () => {
    await setup();
    const target = await newTarget();
    const noEmail = await newTarget({ name: 'County Governor', deliveryContact: 'Office on the 3rd floor, phone 0711 000111' });
    const cases: [Record<string, unknown>, string][] = [
      [{ targetId: target, manifestSha256: 'xyz' }, 'manifestSha256'],
      [{ targetId: target, manifestSha256: HASH.slice(1) }, 'manifestSha256'],
      [{ targetId: target, signatures: -1 }, 'signatures'],
      [{ targetId: target, signatures: 1.5 }, 'signatures'],
      [{ targetId: target, channel: 'pigeon' }, 'channel'],
      [{ targetId: target, deliveredOn: '2026-02-30' }, 'deliveredOn'],
      [{ targetId: target, deliveredOn: '2026-12-07' }, 'deliveredOn'],
      [{ targetId: 'no-such-target' }, 'targetId'],
      [{ targetId: noEmail, email: true }, 'email'],
      [{ targetId: target, extra: 1 }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const response = await deliver(body);
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      const problem = (await response.json()) as { type: string; errors: { path: string }[] };
      expect(problem.type).toMatch(/validation$/);
      expect(problem.errors.map((e) => e.path), JSON.stringify(body)).toContain(field);
    }
    expect(await rows('deliveries')).toBe(0);
    expect(await rows('campaign_asks')).toBe(0);
    expect(await rows('outbox')).toBe(0);
    // An unknown token learns nothing of the admin routes.
    expect((await deliver({ targetId: target }, 'wrong-token')).status).toBe(404);
    expect(await rows('deliveries')).toBe(0);
  });

  it("writes a target's first ask in the delivery's own transaction: a delivery that fails leaves no ask behind", async () => {
    await setup();
    const target = await newTarget();
    // The database refuses the delivery row itself, after every check has passed.
    await t.db.client.execute("CREATE TEMP TRIGGER refuse_delivery BEFORE INSERT ON deliveries BEGIN SELECT RAISE(ABORT, 'refused'); END");
    expect((await deliver({ targetId: target })).status).toBeGreaterThanOrEqual(500);
    expect(await rows('deliveries')).toBe(0);
    expect(await rows('campaign_asks')).toBe(0);
    expect(await rows('campaign_ask_demands')).toBe(0);
    await t.db.client.execute('DROP TRIGGER refuse_delivery');
    expect((await deliver({ targetId: target })).status).toBe(201);
    expect([await rows('deliveries'), await rows('campaign_asks')]).toEqual([1, 1]);
  });

  it('needs the accountability:write scope', async () => {
    await setup();
    const target = await newTarget();
    const reader = await createAdminToken(t.db, { name: 'reader', scopes: ['campaigns:read'], actor: cliActor() });
    expect((await deliver({ targetId: target }, reader.token)).status).toBe(403);
    const writer = await createAdminToken(t.db, { name: 'board editor', scopes: ['accountability:write'], actor: cliActor() });
    expect((await deliver({ targetId: target }, writer.token)).status).toBe(201);
    expect(await rows('deliveries')).toBe(1);
  });

  it('is in the OpenAPI document', async () => {
    await setup();
    const doc = (await (await t.request('/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } };
    expect(doc.paths['/admin/campaigns/{slug}/deliveries']?.['post']).toBeDefined();
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['Delivery', 'AdminDelivery']));
  });
});

describe('the e-mail to the official', () => {
  it('sends the cover text and a working response link to the private contact over SMTP; no address or token is stored or logged', async () => {
    await setup({ mail: true });
    const target = await newTarget();
    expect((await deliver({ targetId: target, email: true })).status).toBe(201);
    const queued = await t.db.client.execute("SELECT payload FROM outbox WHERE kind = 'delivery-email'");
    expect(String(queued.rows[0]![0])).not.toContain('@');

    expect(await t.api.outbox.runOnce()).toMatchObject({ sent: 1 });
    const [mail] = await smtp!.waitFor(1);
    expect(mail!.to).toMatchObject({ value: [{ address: 'private.officer@example.go.ke' }] });
    expect(mail!.subject).toBe('Petition delivered: “Test campaign”, 12,345 signatures');
    const text = mail!.text!;
    expect(text).toContain('Dear Independent Policing Oversight Authority,');
    expect(text).toContain('On 6 December 2026 the campaign “Test campaign” delivered to you (in person) a petition signed by 12,345 people.');
    expect(text).toContain('1. First demand');
    expect(text).toContain(HASH);
    expect(text).toContain('Mpendwa Mamlaka Huru ya Kusimamia Polisi,');
    expect(text).toContain('ana kwa ana');
    expect(text).toContain('2. Dai la pili');
    const url = /https:\/\/api\.example\.org(\/r\/[A-Za-z0-9_-]{43})/.exec(text);
    expect(url).not.toBeNull();
    // The link is live: the official's page for this campaign.
    const page = await t.request(url![1]!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Test campaign');

    expect(String((await t.db.client.execute("SELECT payload FROM outbox WHERE kind = 'delivery-email'")).rows[0]![0])).toBe('{}');
    expect(lines.join('\n')).not.toMatch(/private\.officer|Kamau/);
  });

  it('falls back to a public contact that is an e-mail address; a failed send revokes the link it issued', async () => {
    await setup({ mail: true });
    const target = await newTarget({ deliveryContact: null, publicContact: 'complaints@ipoa.example.go.ke' });
    smtp!.rejectRecipients.add('complaints@ipoa.example.go.ke');
    expect((await deliver({ targetId: target, email: true })).status).toBe(201);
    expect(await t.api.outbox.runOnce()).toMatchObject({ failed: 1 });
    const links = await t.db.client.execute('SELECT revoked_at FROM response_links');
    expect(links.rows.map((r) => r[0] !== null)).toEqual([true]);
  });
});

describe('milestone steps', () => {
  it('prompt the staff when the count reaches them; the board shows the step due until a delivery; a target without contact says so', async () => {
    await setup({ mail: true, staffEmail: 'staff@imlu.example.org' });
    const ipoa = await newTarget();
    const silent = await newTarget({ name: 'Cabinet Secretary', deliveryContact: null, publicContact: null });
    expect((await admin('PUT', `/admin/campaigns/${t.slug}/asks/${silent}`, { askedOn: '2026-12-01' })).status).toBe(201);
    const added = await admin('POST', `/admin/campaigns/${t.slug}/milestones`, {
      threshold: 2,
      label: { en: 'Deliver to IPOA', sw: 'Kuwasilisha kwa IPOA' },
      targetId: ipoa,
      step: 'deliver',
    });
    expect(added.status).toBe(201);
    expect(await added.json()).toMatchObject({ reachedAt: null, step: { targetId: ipoa, targetName: 'Independent Policing Oversight Authority', step: 'deliver', due: false } });
    // Half a step is refused.
    expect((await admin('POST', `/admin/campaigns/${t.slug}/milestones`, { threshold: 5, label: { en: 'x', sw: 'x' }, step: 'deliver' })).status).toBe(422);
    expect((await admin('POST', `/admin/campaigns/${t.slug}/milestones`, { threshold: 5, label: { en: 'x', sw: 'x' }, targetId: 'nobody', step: 'deliver' })).status).toBe(422);

    let b = await board();
    expect(b.targets.find((x) => x.id === silent)).toMatchObject({ contactAvailable: false, deliveries: [] });
    expect(b.milestones[0]!.step).toEqual({ targetId: ipoa, targetName: 'Independent Policing Oversight Authority', step: 'deliver', due: false });

    expect((await t.sign(validSignature({ phone: '0712000001' }))).status).toBe(201);
    expect((await t.sign(validSignature({ phone: '0712000002' }))).status).toBe(201);
    await t.api.services.milestones.settled();
    b = await board();
    expect(b.milestones[0]).toMatchObject({ reachedAt: expect.any(String), step: { due: true } });

    expect(await t.api.outbox.runOnce()).toMatchObject({ sent: 1 });
    const [prompt] = await smtp!.waitFor(1);
    expect(prompt!.to).toMatchObject({ value: [{ address: 'staff@imlu.example.org' }] });
    expect(prompt!.subject).toBe('Milestone reached: 2 signatures on “Test campaign”: deliver the pack to Independent Policing Oversight Authority');
    expect(prompt!.text).toContain(`imlu deliver --pack <folder> --to ${ipoa}`);
    expect(prompt!.text).toContain('wasilisha kifurushi kwa Mamlaka Huru ya Kusimamia Polisi');

    now += 60_000;
    expect((await deliver({ targetId: ipoa })).status).toBe(201);
    expect((await board()).milestones[0]!.step).toMatchObject({ due: false });
  });

  it('a milestone added below the count is due at once and prompts at once; none without STAFF_EMAIL', async () => {
    await setup({ mail: true, staffEmail: 'staff@imlu.example.org' });
    const ipoa = await newTarget();
    expect((await admin('PUT', `/admin/campaigns/${t.slug}/asks/${ipoa}`, { askedOn: '2026-12-01' })).status).toBe(201);
    expect((await t.sign(validSignature({ phone: '0712000001' }))).status).toBe(201);
    await t.api.services.milestones.settled();
    const added = await admin('POST', `/admin/campaigns/${t.slug}/milestones`, { threshold: 1, label: { en: 'One', sw: 'Moja' }, targetId: ipoa, step: 'ask_response' });
    expect(await added.json()).toMatchObject({ step: { step: 'ask_response', due: true } });
    expect(await rows("outbox WHERE kind = 'staff-email'")).toBe(1);
    // Asking for a response: the ask made again since takes the step, and so does a response link issued since.
    now += 1000;
    expect((await admin('PUT', `/admin/campaigns/${t.slug}/asks/${ipoa}`, { askedOn: '2026-12-06', dueOn: '2026-12-20' })).status).toBe(200);
    expect((await board()).milestones[0]!.step).toMatchObject({ due: false });
    await t.db.client.execute({ sql: 'UPDATE campaign_asks SET updated_at = 0' });
    t.api.services.accountability.invalidate();
    expect((await board()).milestones[0]!.step).toMatchObject({ due: true });
    expect((await admin('POST', `/admin/campaigns/${t.slug}/response-links`, { targetId: ipoa })).status).toBe(201);
    expect((await board()).milestones[0]!.step).toMatchObject({ due: false });

    await t.close();
    await smtp?.stop();
    smtp = undefined;
    await setup();
    const other = await newTarget();
    expect((await t.sign(validSignature({ phone: '0712000001' }))).status).toBe(201);
    await t.api.services.milestones.settled();
    await admin('POST', `/admin/campaigns/${t.slug}/milestones`, { threshold: 1, label: { en: 'One', sw: 'Moja' }, targetId: other, step: 'deliver' });
    expect(await rows("outbox WHERE kind = 'staff-email'")).toBe(0);
    expect((await board()).milestones[0]!.step).toMatchObject({ due: true });
  });
});
