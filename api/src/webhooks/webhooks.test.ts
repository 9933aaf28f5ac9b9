/**
 * Webhooks against a real HTTP server started in the test: queued by the database when a signature is
 * counted, delivered through the outbox with retries, signed (HMAC-SHA256 over timestamp + body), and
 * carrying only what the signer consented to share.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApi, validSignature, type TestApi } from '../../test/helpers.ts';
import { insertSignatures } from '../../test/synthetic.ts';
import { listAudit } from '../audit/audit.ts';
import { enqueueWebhookEvent, SIGNATURE_HEADER, verifyWebhookSignature } from './webhooks.ts';

const BOOTSTRAP = 'test-admin-token-0123456789abcdef0123';
let t: TestApi;
let server: Server;
afterEach(async () => {
  await t.close();
  await new Promise((resolve) => server.close(resolve));
});

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A receiver that answers with the given statuses in turn (then 200), recording every request. */
async function receiver(statuses: number[] = []): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = statuses.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/imlu`, received };
}

const admin = (path: string, init: RequestInit = {}) =>
  t.request(path, { ...init, headers: { Authorization: `Bearer ${BOOTSTRAP}`, 'Content-Type': 'application/json', ...init.headers } });

describe('webhooks', () => {
  it('deliver signature.confirmed signed, retried after a 500, with the name only under public consent and no contacts', async () => {
    let now = Date.UTC(2026, 10, 27, 9);
    t = await createTestApi({ adminToken: BOOTSTRAP, clock: () => now, outbox: { baseDelayMs: 1000, maxDelayMs: 1000, random: () => 0 } });
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
    t = await createTestApi({ adminToken: BOOTSTRAP });
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
