/**
 * Webhooks against a real HTTP server started in the test: queued by the database when a signature is
 * counted, delivered through the outbox with retries, signed (HMAC-SHA256 over timestamp + body), and
 * carrying only what the signer consented to share.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApi, validSignature, type TestApi } from '../../test/helpers.ts';
import { insertSignatures } from '../../test/synthetic.ts';
import { listAudit } from '../audit/audit.ts';
import { cliActor } from '../auth/actor.ts';
import { isPublicAddress, systemResolver, webhookTargetProblem, type Resolver } from './targets.ts';
import { createWebhook, enqueueWebhookEvent, SIGNATURE_HEADER, verifyWebhookSignature } from './webhooks.ts';

const BOOTSTRAP = 'test-admin-token-0123456789abcdef0123';
let t: TestApi;
let server: Server | undefined;
afterEach(async () => {
  await t.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** Outside production: the receivers here listen on loopback. */
const LOOPBACK_ALLOWED = { publicOnly: false };

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A receiver that answers with the given statuses in turn (then 200), recording every request. */
async function receiver(statuses: number[] = []): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const listening = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = statuses.shift() ?? 200;
      res.end();
    });
  });
  server = listening;
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(listening.address() as AddressInfo).port}/hooks/imlu`, received };
}

const admin = (path: string, init: RequestInit = {}) =>
  t.request(path, { ...init, headers: { Authorization: `Bearer ${BOOTSTRAP}`, 'Content-Type': 'application/json', ...init.headers } });

describe('webhooks', () => {
  it('deliver signature.confirmed signed, retried after a 500, with the name only under public consent and no contacts', async () => {
    let now = Date.UTC(2026, 10, 27, 9);
    t = await createTestApi({ adminToken: BOOTSTRAP, clock: () => now, outbox: { baseDelayMs: 1000, maxDelayMs: 1000, random: () => 0 }, webhooks: LOOPBACK_ALLOWED });
    const hook = await receiver([500]);
    const created = await admin(`/admin/campaigns/${t.slug}/webhooks`, { method: 'POST', body: JSON.stringify({ url: hook.url, events: ['signature.confirmed', 'pledge.status_changed'] }) });
    expect(created.status).toBe(201);
    const { id, secret } = (await created.json()) as { id: string; secret: string };
    expect(secret).toMatch(/^whsec_/);
    expect(JSON.stringify((await (await admin(`/admin/campaigns/${t.slug}/webhooks`)).json()) as object)).not.toContain(secret);
    expect((await admin(`/admin/campaigns/${t.slug}/webhooks`, { method: 'POST', body: JSON.stringify({ url: 'http://example.org/x' }) })).status).toBe(422);

    await t.sign(validSignature({ name: 'Wanjirũ Kamau', email: 'wanjiru@example.org', consent: { terms: true, publicName: true } }));
    await t.sign(validSignature({ name: 'Private Person', phone: '0712345679', county: 'KE-47', consent: { terms: true, shareWithTargets: true } }));

    const first = await t.api.outbox.runOnce();
    expect(first).toMatchObject({ claimed: 2, sent: 1, retried: 1 });
    now += 1000;
    expect(await t.api.outbox.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    expect(hook.received).toHaveLength(3);

    const bodies = hook.received.map((r) => {
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['x-imlu-event']).toBe('signature.confirmed');
      const signature = String(r.headers[SIGNATURE_HEADER.toLowerCase()]);
      expect(verifyWebhookSignature(secret, signature, r.body, Math.floor(now / 1000))).toBe(true);
      expect(verifyWebhookSignature(secret, signature, r.body.replace('KE-', 'KE_'), Math.floor(now / 1000))).toBe(false);
      expect(verifyWebhookSignature('whsec_wrong', signature, r.body, Math.floor(now / 1000))).toBe(false);
      return JSON.parse(r.body) as { type: string; campaign: { slug: string }; data: { signature: { name: string | null; county: string } } };
    });
    const byCounty = Object.fromEntries(bodies.map((b) => [b.data.signature.county, b]));
    expect(byCounty['KE-30']).toMatchObject({ type: 'signature.confirmed', campaign: { slug: t.slug }, data: { signature: { name: 'Wanjirũ Kamau' } } });
    expect(byCounty['KE-47']!.data.signature.name).toBeNull();
    const all = hook.received.map((r) => r.body).join('\n');
    for (const secretThing of ['Private Person', 'wanjiru@example.org', '712345', '+254']) expect(all).not.toContain(secretThing);

    // A signer confirming later (pending → counted) queues the event too.
    await insertSignatures(t.db.client, t.api.services.crypto, t.campaignId, [
      { name: 'Later', county: 'KE-01', status: 'pending', shareWithTargets: false, flag: null, createdAt: now },
    ]);
    await t.db.client.execute({ sql: "UPDATE signatures SET status = 'counted', confirmed_at = ? WHERE status = 'pending'", args: [now] });
    // pledge.status_changed, as the accountability API will queue it.
    expect(await enqueueWebhookEvent(t.db, { campaignId: t.campaignId, event: 'pledge.status_changed', data: { targetId: 't1', from: 'no_response', to: 'committed' }, now })).toBe(1);
    expect(await t.api.outbox.runOnce()).toMatchObject({ claimed: 2, sent: 2 });
    const latest = hook.received.slice(3).map((r) => JSON.parse(r.body) as { type: string; data: Record<string, unknown> });
    expect(latest.map((b) => b.type).sort()).toEqual(['pledge.status_changed', 'signature.confirmed']);
    expect(latest.find((b) => b.type === 'pledge.status_changed')!.data).toEqual({ targetId: 't1', from: 'no_response', to: 'committed' });

    // Deleting the webhook stops deliveries and is audited.
    expect((await admin(`/admin/webhooks/${id}`, { method: 'DELETE' })).status).toBe(200);
    await t.sign(validSignature({ phone: '0712345600' }));
    expect((await t.api.outbox.runOnce()).claimed).toBe(0);
    expect((await listAudit(t.db, { campaignId: t.campaignId })).map((e) => e.action)).toEqual(['webhook.deleted', 'webhook.created']);
  });

  it('gives up at once on a 4xx refusal, and queues nothing for campaigns without webhooks', async () => {
    t = await createTestApi({ adminToken: BOOTSTRAP, webhooks: LOOPBACK_ALLOWED });
    await t.sign(validSignature());
    expect(Number((await t.db.client.execute("SELECT COUNT(*) FROM outbox WHERE kind = 'webhook'")).rows[0]![0])).toBe(0);
    const hook = await receiver([410]);
    await admin(`/admin/campaigns/${t.slug}/webhooks`, { method: 'POST', body: JSON.stringify({ url: hook.url }) });
    await t.sign(validSignature({ phone: '0712345601' }));
    expect(await t.api.outbox.runOnce()).toMatchObject({ claimed: 1, failed: 1 });
    const [row] = (await t.db.client.execute("SELECT status, last_error, payload FROM outbox WHERE kind = 'webhook'")).rows;
    expect(row).toMatchObject({ status: 'failed', last_error: 'http-410', payload: '{}' });
  });
});

/** A resolver from a table, as DNS would answer at that moment (tests change it to play DNS rebinding). */
function tableResolver(table: Record<string, string[]>): Resolver & { asked: string[] } {
  const asked: string[] = [];
  const resolve = async (hostname: string) => {
    asked.push(hostname);
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: (isIP(address) === 6 ? 6 : 4) as 4 | 6 }));
  };
  return Object.assign(resolve, { asked });
}

const webhookRows = async () => Number((await t.db.client.execute('SELECT COUNT(*) FROM webhooks')).rows[0]![0]);

describe('webhook targets', () => {
  it('tells public addresses from private, loopback, link-local and other non-public ones, IPv4-mapped and NAT64 forms included', () => {
    const notPublic = [
      '10.0.0.1', '10.255.255.255', '172.16.0.1', '172.31.255.254', '192.168.1.1', '127.0.0.1', '127.8.9.10', '169.254.169.254',
      '0.0.0.0', '100.64.0.1', '100.127.255.255', '192.0.2.10', '198.18.0.1', '224.0.0.1', '255.255.255.255',
      '::1', '::', 'fe80::1', 'fe80::1%eth0', 'febf::1', 'fc00::1', 'fd12:3456::1', 'ff02::1', '2001:db8::1',
      '::ffff:10.0.0.1', '::ffff:a00:1', '::ffff:127.0.0.1', '::ffff:169.254.169.254', '::ffff:7f00:1', '64:ff9b::a00:1',
      '64:ff9b::169.254.169.254', '2002:a00:1::1', '2002:7f00:1::', '[::1]', 'localhost', 'not an address',
    ];
    const isPublic = ['8.8.8.8', '1.1.1.1', '93.184.215.14', '172.32.0.1', '172.15.255.255', '100.128.0.1', '11.0.0.1', '192.169.0.1',
      '2606:4700:4700::1111', '2a00:1450:4001::200e', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1', '[2606:4700::1111]'];
    expect(notPublic.filter((address) => isPublicAddress(address))).toEqual([]);
    expect(isPublic.filter((address) => !isPublicAddress(address))).toEqual([]);
  });

  it('in production refuses localhost through the system resolver too (as /etc/hosts has it, or unresolvable)', async () => {
    const problem = await webhookTargetProblem('https://localhost/hook', { publicOnly: true, resolve: systemResolver });
    expect(problem).toMatch(/resolves to (127\.\d+\.\d+\.\d+|::1), which is a private|does not resolve/);
    expect(await webhookTargetProblem('https://localhost/hook', { publicOnly: false, resolve: systemResolver })).toBeUndefined();
  });

  it('in production refuses at creation a URL that is or resolves to a non-public address, storing nothing', async () => {
    const resolve = tableResolver({
      'hooks.partner.example': ['93.184.215.14', '2606:4700::6810:84e5'],
      'internal.partner.example': ['10.0.0.7'],
      'mixed.partner.example': ['93.184.215.14', '192.168.1.20'],
      'metadata.partner.example': ['::ffff:169.254.169.254'],
      localhost: ['127.0.0.1', '::1'],
    });
    t = await createTestApi({ adminToken: BOOTSTRAP, webhooks: { publicOnly: true, resolve } });
    const add = (url: string) => admin(`/admin/campaigns/${t.slug}/webhooks`, { method: 'POST', body: JSON.stringify({ url }) });
    const refusals: Record<string, RegExp> = {
      'https://169.254.169.254/latest/meta-data/': /URL is a private, loopback, link-local or otherwise non-public address/,
      'https://10.0.0.1/hook': /URL is a private/,
      'https://[::1]:8443/hook': /URL is a private/,
      'https://[::ffff:10.0.0.1]/hook': /URL is a private/,
      'https://0x7f.1/hook': /URL is a private/, // the URL parser makes it 127.0.0.1
      'http://127.0.0.1:9/hook': /URL is a private/,
      'https://internal.partner.example/hook': /resolves to 10\.0\.0\.7, which is a private/,
      'https://mixed.partner.example/hook': /resolves to 192\.168\.1\.20/,
      'https://metadata.partner.example/hook': /resolves to ::ffff:169\.254\.169\.254/,
      'https://localhost/hook': /resolves to 127\.0\.0\.1/,
      'https://nowhere.partner.example/hook': /does not resolve \(ENOTFOUND\)/,
    };
    for (const [url, detail] of Object.entries(refusals)) {
      const response = await add(url);
      expect(response.status, url).toBe(422);
      const problem = (await response.json()) as { type: string; detail: string; errors: { path: string }[] };
      expect(problem, url).toMatchObject({ type: 'urn:imlu:problem:validation', errors: [{ path: 'url', code: 'invalid' }] });
      expect(problem.detail, url).toMatch(detail);
    }
    expect(await webhookRows()).toBe(0);
    expect(await listAudit(t.db, { campaignId: t.campaignId })).toEqual([]);
    // A public receiver is fine.
    expect((await add('https://hooks.partner.example/imlu')).status).toBe(201);
    expect(await webhookRows()).toBe(1);
  });

  it('in production checks again at delivery: a name that now resolves to a private address fails once, with no connection and no retry', async () => {
    const table: Record<string, string[]> = { 'hooks.partner.example': ['93.184.215.14'] };
    const resolve = tableResolver(table);
    t = await createTestApi({ adminToken: BOOTSTRAP, webhooks: { publicOnly: true, resolve }, outbox: { baseDelayMs: 0, maxDelayMs: 0 } });
    const hook = await receiver();
    const port = new URL(hook.url).port;
    const created = await admin(`/admin/campaigns/${t.slug}/webhooks`, { method: 'POST', body: JSON.stringify({ url: `https://hooks.partner.example:${port}/hooks/imlu` }) });
    expect(created.status).toBe(201);
    // DNS rebinding: the name now points at this machine, where something listens.
    table['hooks.partner.example'] = ['127.0.0.1'];
    // …and a webhook stored before this check existed, straight at the cloud metadata service.
    await createWebhook(t.db, t.api.services.crypto, { campaignId: t.campaignId, url: 'https://169.254.169.254/latest/meta-data/', events: ['signature.confirmed'], actor: cliActor() });
    await t.sign(validSignature());
    expect(await t.api.outbox.runOnce()).toMatchObject({ claimed: 2, failed: 2, sent: 0, retried: 0 });
    const rows = await t.db.client.execute("SELECT status, last_error, attempts FROM outbox WHERE kind = 'webhook'");
    expect(rows.rows.map((r) => [r.status, r.last_error, r.attempts])).toEqual([
      ['failed', 'webhook-private-address', 1],
      ['failed', 'webhook-private-address', 1],
    ]);
    expect(hook.received).toEqual([]);
    expect(await t.api.outbox.runOnce()).toMatchObject({ claimed: 0 });
    expect(resolve.asked).toEqual(['hooks.partner.example', 'hooks.partner.example']); // at creation, at delivery
  });

  it('outside production delivers to loopback, connecting to the address it resolved and checked (no second lookup)', async () => {
    // `.invalid` never resolves in real DNS: the delivery can only have reached the receiver through the
    // address this resolver gave, handed to the connection by the request's lookup.
    const resolve = tableResolver({ 'receiver.invalid': ['127.0.0.1'], localhost: ['127.0.0.1'] });
    t = await createTestApi({ adminToken: BOOTSTRAP, webhooks: { publicOnly: false, resolve } });
    const hook = await receiver();
    const url = `http://receiver.invalid:${new URL(hook.url).port}/hooks/imlu`;
    await createWebhook(t.db, t.api.services.crypto, { campaignId: t.campaignId, url, events: ['signature.confirmed'], actor: cliActor() });
    // And through the API, loopback by its literal and by the name localhost.
    for (const loopback of [hook.url, hook.url.replace('127.0.0.1', 'localhost')]) {
      expect((await admin(`/admin/campaigns/${t.slug}/webhooks`, { method: 'POST', body: JSON.stringify({ url: loopback }) })).status, loopback).toBe(201);
    }
    await t.sign(validSignature());
    expect(await t.api.outbox.runOnce()).toMatchObject({ claimed: 3, sent: 3 });
    expect(hook.received).toHaveLength(3);
    expect(resolve.asked).toEqual(['receiver.invalid', 'localhost']);
  });
});
