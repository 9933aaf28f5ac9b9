/**
 * Flood alerts on a real database, delivered through the outbox to a real webhook receiver (an HTTP server
 * on loopback, signature checked) and a real SMTP server: once per episode, a new episode after a quiet
 * window, nothing personal in either.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { smtpTransport } from '../messages/email.ts';
import { createTestApi, validSignature, type TestApi } from '../../test/helpers.ts';
import { startTestSmtp, type TestSmtp } from '../../test/smtp.ts';
import { SIGNATURE_HEADER, verifyWebhookSignature } from '../webhooks/webhooks.ts';
import { checkFloods } from './flood-alerts.ts';

const ADMIN = 'flood-admin';
const FLOOD_IP = '203.0.113.50';
const THRESHOLDS = { windowMs: 10 * 60_000, minCount: 5, minShare: 0.5 };

let t: TestApi;
let smtp: TestSmtp;
const servers: Server[] = [];
let now: number;
let n = 0;

afterEach(async () => {
  await t?.close();
  await smtp?.stop();
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function receiver(): Promise<{ url: string; received: { headers: IncomingHttpHeaders; body: string }[] }> {
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.end();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received };
}

async function setup(staffEmail: string | undefined = 'staff@imlu.example.org') {
  now = Date.parse('2026-12-06T09:00:00Z');
  smtp = await startTestSmtp();
  t = await createTestApi({
    adminToken: ADMIN,
    clock: () => now,
    rateLimits: { trustProxy: true },
    webhooks: { publicOnly: false },
    mail: smtpTransport({ url: smtp.url, from: 'IMLU <no-reply@example.org>' }),
    staffEmail,
    publicBaseUrl: 'https://sign.imlu.example',
  });
}

async function addWebhook(url: string, events: string[]): Promise<string> {
  const response = await t.request(`/admin/campaigns/${t.slug}/webhooks`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ url, events }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { secret: string }).secret;
}

async function sign(count: number, ip?: string) {
  for (let i = 0; i < count; i++) {
    n++;
    const response = await t.sign(validSignature({ name: `Signer ${n}`, phone: `0711${String(100_000 + n)}` }), { 'X-Forwarded-For': ip ?? `198.51.100.${n % 250}` });
    expect(response.status).toBeLessThan(300);
    now += 1000;
  }
}

const check = (emailStaff = true) => checkFloods(t.db, { ...THRESHOLDS, now, emailStaff });
const queued = async () => Number((await t.db.client.execute("SELECT count(*) FROM outbox WHERE kind IN ('webhook', 'staff-email')")).rows[0]![0]);

describe('flood alerts', () => {
  it('alert the staff by webhook and e-mail once per episode, and again after the source was quiet for a window', async () => {
    await setup();
    const hook = await receiver();
    const secret = await addWebhook(hook.url, ['moderation.flood']);
    const other = await receiver();
    await addWebhook(other.url, ['signature.confirmed']);
    const confirmedOnly = other.received;

    await sign(2);
    expect((await check()).started).toEqual([]);
    await sign(6, FLOOD_IP);
    const first = await check();
    expect(first.started).toHaveLength(1);
    const trend = first.started[0]!.trend;
    expect(trend).toMatchObject({ kind: 'source', signatures: 6, share: 0.75 });

    // Sent through the outbox: the signed webhook event to the receiver that asked for it, the e-mail to staff.
    await t.api.outbox.runOnce();
    const [mail] = await smtp.waitFor(1);
    // Signatures on a campaign without confirmation queue webhooks of their own (signature.confirmed):
    // only the receiver that asked for moderation.flood hears of the flood.
    const floods = hook.received.filter((r) => r.headers['x-imlu-event'] === 'moderation.flood');
    expect(floods).toHaveLength(1);
    expect(confirmedOnly.filter((r) => r.headers['x-imlu-event'] === 'moderation.flood')).toHaveLength(0);
    const delivered = floods[0]!;
    expect(verifyWebhookSignature(secret, String(delivered.headers[SIGNATURE_HEADER.toLowerCase()]), delivered.body, Math.floor(now / 1000))).toBe(true);
    const event = JSON.parse(delivered.body) as { type: string; campaign: { slug: string }; data: { alert: Record<string, unknown> } };
    expect(event.type).toBe('moderation.flood');
    expect(event.campaign.slug).toBe(t.slug);
    expect(event.data.alert).toMatchObject({ kind: 'source', hashPrefix: trend.hashPrefix, signatures: 6, share: 0.75, windowMinutes: 10 });
    expect(mail!.to).toMatchObject({ value: [{ address: 'staff@imlu.example.org' }] });
    expect(mail!.subject).toBe('Flood alert: 75% of recent signatures to "Test campaign" from one source address');
    expect(mail!.text).toContain(`imlu invalidate --campaign ${t.slug} --source ${trend.hashPrefix}`);
    for (const text of [delivered.body, mail!.text ?? '', mail!.html || '']) {
      expect(text).not.toContain(FLOOD_IP);
      expect(text).not.toMatch(/Signer \d|0711/);
    }

    // Still flooding a minute later: the same episode, nothing more is sent.
    now += 60_000;
    await sign(3, FLOOD_IP);
    const before = await queued();
    const second = await check();
    expect(second.trending).toHaveLength(1);
    expect(second.started).toEqual([]);
    expect(await queued()).toBe(before);

    // Quiet for a whole window: the episode ends; a new flood from the same source is a new episode.
    now += 11 * 60_000;
    expect(await check()).toMatchObject({ trending: [], started: [], ended: 1 });
    await sign(6, FLOOD_IP);
    expect((await check()).started).toHaveLength(1);
    const episodes = await t.db.client.execute('SELECT ended_at IS NULL FROM flood_alerts ORDER BY started_at');
    expect(episodes.rows.map((r) => Number(r[0]))).toEqual([0, 1]);
    await t.api.outbox.runOnce();
    expect(await smtp.waitFor(2)).toHaveLength(2);
    expect(hook.received.filter((r) => r.headers['x-imlu-event'] === 'moderation.flood')).toHaveLength(2);
  });

  it('queue no e-mail when STAFF_EMAIL is not set, and alert once when two servers check at once', async () => {
    await setup(undefined);
    await sign(6, FLOOD_IP);
    const [a, b] = await Promise.all([check(false), check(false)]);
    expect(a.started.length + b.started.length).toBe(1);
    expect(Number((await t.db.client.execute("SELECT count(*) FROM outbox WHERE kind = 'staff-email'")).rows[0]![0])).toBe(0);
    expect(Number((await t.db.client.execute('SELECT count(*) FROM flood_alerts')).rows[0]![0])).toBe(1);
  });
});
