/**
 * The delivery-report callback as an attacker meets it, on a real database with a real outbox message sent
 * through the local Africa's Talking stand-in: without the secret in its URL the route does not exist (the
 * same 404 as any unknown path, nothing changes); its body is limited before it is read in full; each
 * source has its own per-minute allowance, apart from the signing route's.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logging/logger.ts';
import { createTestApi, TEST_KEYS, validSignature, type TestApi } from '../../test/helpers.ts';
import { startTestAfricasTalking, type TestAfricasTalking } from '../../test/africastalking.ts';
import { africasTalkingProvider } from './sms.ts';
import { deliveryReportSecret, deliveryReportUrl, MAX_REPORT_BYTES, REPORTS_PER_MINUTE } from './sms-reports.ts';

const SECRET = deliveryReportSecret(TEST_KEYS.blindIndexKey);
const CALLBACK = `/v1/sms/delivery-reports/${SECRET}`;
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

let at: TestAfricasTalking;
let t: TestApi;
let now: number;
let logLines: string[];

async function setup(rateLimits?: NonNullable<Parameters<typeof createTestApi>[0]>['rateLimits']) {
  now = Date.UTC(2026, 10, 27, 9, 0, 0);
  logLines = [];
  at = await startTestAfricasTalking();
  t = await createTestApi({
    clock: () => now,
    campaign: { verification: 'sms' },
    sms: africasTalkingProvider({ username: at.username, apiKey: at.apiKey, from: 'IMLU', baseUrl: at.baseUrl }),
    outbox: { random: () => 1 },
    logger: createLogger('info', (_level, line) => logLines.push(line)),
    rateLimits,
  });
}

/** Signs, lets the outbox send the SMS, and returns the provider's message id. */
async function sentMessage(): Promise<string> {
  expect((await t.sign(validSignature())).status).toBe(202);
  expect(await t.api.outbox.runOnce()).toMatchObject({ sent: 1 });
  return at.sent[0]!.messageId;
}

async function outbox() {
  return (await t.db.client.execute('SELECT status, last_error FROM outbox')).rows.map((r) => [r[0], r[1]]);
}

async function messageState(providerRef: string) {
  const row = (await t.db.client.execute({ sql: 'SELECT status, last_error FROM outbox WHERE provider_ref = ?', args: [providerRef] })).rows[0]!;
  return [row[0], row[1]];
}

const failedReport = (id: string) => new URLSearchParams({ id, status: 'Failed', phoneNumber: '+254712345678', failureReason: 'UserInBlacklist' }).toString();

function post(path: string, body: RequestInit['body'], headers: Record<string, string> = {}) {
  return t.request(path, { method: 'POST', headers: { ...FORM, ...headers }, body, duplex: 'half' } as RequestInit);
}

describe('delivery-report secret', () => {
  it('is 32 bytes of base64url derived from the blind-index key, and the URL joins it to PUBLIC_BASE_URL', () => {
    expect(SECRET).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(deliveryReportSecret(TEST_KEYS.blindIndexKey)).toBe(SECRET);
    expect(deliveryReportSecret(randomBytes(32))).not.toBe(SECRET);
    expect(deliveryReportUrl('https://sign.imlu.example/', TEST_KEYS.blindIndexKey)).toBe(`https://sign.imlu.example${CALLBACK}`);
  });
});

describe('POST /v1/sms/delivery-reports/{secret}', () => {
  afterEach(async () => {
    await t.close();
    await at.stop();
  });

  it('answers a wrong, missing or altered secret exactly like an unknown route, and changes nothing', async () => {
    await setup();
    const id = await sentMessage();
    const before = await outbox();
    const unknown = await post('/v1/no-such-route', failedReport(id));
    const unknownBody = await unknown.text();
    for (const path of [
      '/v1/sms/delivery-reports',
      '/v1/sms/delivery-reports/',
      `/v1/sms/delivery-reports/${'A'.repeat(43)}`,
      `/v1/sms/delivery-reports/${SECRET.slice(0, -1)}`,
      `/v1/sms/delivery-reports/${SECRET}x`,
      `/v1/sms/delivery-reports/${SECRET.toLowerCase()}`,
      `/v1/sms/delivery-reports/%E2%80%AE${SECRET.slice(1)}`,
    ]) {
      const response = await post(path, failedReport(id));
      expect([path, response.status, response.headers.get('Content-Type'), await response.text()]).toEqual([
        path,
        404,
        unknown.headers.get('Content-Type'),
        unknownBody,
      ]);
    }
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknownBody)).toMatchObject({ type: 'urn:imlu:problem:not-found' });
    expect(await outbox()).toEqual(before);
    expect(before).toEqual([['sent', null]]);
    // The secret is refused before the body is read: an oversized body gets the same 404, not 413.
    expect((await post('/v1/sms/delivery-reports/wrong', 'x'.repeat(MAX_REPORT_BYTES + 1))).status).toBe(404);
  });

  it('marks the message failed with the right secret, and the request log shows the route pattern, never the secret', async () => {
    await setup();
    const id = await sentMessage();
    const response = await post(CALLBACK, failedReport(id));
    expect([response.status, await response.json()]).toEqual([200, { ok: true }]);
    expect(await outbox()).toEqual([['failed', 'dlr-UserInBlacklist']]);
    const requestLines = logLines.filter((line) => line.includes('delivery-reports'));
    expect(requestLines).toEqual([expect.stringContaining('/v1/sms/delivery-reports/:secret')]);
    expect(logLines.join('\n')).not.toContain(SECRET);
    expect(logLines.join('\n')).not.toContain('254712345678');
  });

  it('refuses a 1 MB body with 413 by its Content-Length, and a streamed one after reading only past the limit', async () => {
    await setup();
    const id = await sentMessage();
    const big = `${failedReport(id)}&padding=${'x'.repeat(1024 * 1024)}`;
    const declared = await post(CALLBACK, big, { 'Content-Length': String(Buffer.byteLength(big)) });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ type: 'urn:imlu:problem:payload-too-large', status: 413 });

    // No Content-Length: the limit counts bytes as they are read and stops there.
    const chunk = Buffer.from(big.slice(0, 16 * 1024));
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= 1024 * 1024) return controller.close();
        pulled += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const streamed = await post(CALLBACK, stream);
    expect(streamed.status).toBe(413);
    expect(await streamed.json()).toMatchObject({ type: 'urn:imlu:problem:payload-too-large' });
    expect(pulled).toBeLessThan(1024 * 1024 / 4);
    expect(await outbox()).toEqual([['sent', null]]);
  });

  it(`answers 429 with Retry-After over ${REPORTS_PER_MINUTE} reports a minute from one source, with a count apart from signing`, async () => {
    await setup({ trustProxy: true, hardPerMinute: 2, soft: { ipBurst: null, ipWindow: null } });
    const from = (ip: string) => ({ 'X-Forwarded-For': ip });
    const sign = (phone: string, ip: string) => t.sign(validSignature({ phone }), from(ip));
    const id = await sentMessage();
    const harmless = new URLSearchParams({ id, status: 'Success' }).toString();
    now += 15_000; // 45 s left in this minute

    // A source that spent the signing route's hard limit (2 here) still has its whole report allowance.
    for (const phone of ['0712000001', '0712000002']) expect((await sign(phone, '192.0.2.1')).status).toBe(202);
    expect((await sign('0712000003', '192.0.2.1')).status).toBe(429);
    for (let i = 0; i < REPORTS_PER_MINUTE; i++) {
      const response = await post(CALLBACK, harmless, from('192.0.2.1'));
      if (response.status !== 200) throw new Error(`report ${i + 1} answered ${response.status}`);
    }
    const refused = await post(CALLBACK, failedReport(id), from('192.0.2.1'));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('Retry-After')).toBe('45');
    expect(refused.headers.get('Content-Type')).toContain('application/problem+json');
    expect(await refused.json()).toMatchObject({ type: 'urn:imlu:problem:rate-limited', status: 429 });
    expect(await messageState(id)).toEqual(['sent', null]);
    // The limit sits behind the secret: a wrong one is still the unknown-route 404, not a 429.
    expect((await post('/v1/sms/delivery-reports/wrong', harmless, from('192.0.2.1'))).status).toBe(404);

    // Reports do not spend the signing allowance either: after 5 reports a source still signs twice.
    for (let i = 0; i < 5; i++) expect((await post(CALLBACK, harmless, from('192.0.2.2'))).status).toBe(200);
    for (const phone of ['0712000004', '0712000005']) expect((await sign(phone, '192.0.2.2')).status).toBe(202);

    now += 45_000;
    expect((await post(CALLBACK, failedReport(id), from('192.0.2.1'))).status).toBe(200);
    expect(await messageState(id)).toEqual(['failed', 'dlr-UserInBlacklist']);
  });
});
