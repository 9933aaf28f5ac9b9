import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApi, PARTNER_ORIGIN, tableCounts, validSignature, type TestApi } from '../../test/helpers.ts';

let t: TestApi;
beforeEach(async () => {
  t = await createTestApi({ allowedOrigins: [PARTNER_ORIGIN, 'http://localhost:8788'] });
});
afterEach(async () => {
  await t.close();
});

const preflight = (origin: string, path = `/v1/campaigns/test-campaign/signatures`) =>
  t.request(path, {
    method: 'OPTIONS',
    headers: {
      Origin: origin,
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'content-type, idempotency-key',
    },
  });

describe('CORS for signing', () => {
  it('lets an allowed partner origin sign, naming that origin and never allowing credentials', async () => {
    const response = await t.sign(validSignature(), { Origin: PARTNER_ORIGIN, 'Idempotency-Key': 'k-1' });
    expect(response.status).toBe(201);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe(PARTNER_ORIGIN);
    expect(response.headers.get('Access-Control-Allow-Credentials')).toBeNull();
    expect(response.headers.get('Vary')).toContain('Origin');
  });

  it('answers the preflight of an allowed origin with POST, Content-Type and Idempotency-Key', async () => {
    const response = await preflight('http://localhost:8788');
    expect(response.status).toBe(204);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('http://localhost:8788');
    expect(response.headers.get('Access-Control-Allow-Methods')).toBe('POST');
    expect(response.headers.get('Access-Control-Allow-Headers')?.toLowerCase().split(',')).toEqual(['content-type', 'idempotency-key']);
    expect(response.headers.get('Access-Control-Allow-Credentials')).toBeNull();
  });

  it('treats the SMS code routes as signing: the partner may call them, other sites may not, and Retry-After is readable', async () => {
    for (const path of ['/v1/campaigns/test-campaign/confirmations', '/v1/campaigns/test-campaign/confirmations/resend']) {
      expect((await preflight('http://localhost:8788', path)).headers.get('Access-Control-Allow-Origin')).toBe('http://localhost:8788');
      expect((await preflight('https://evil.example', path)).status).toBe(403);
    }
    const resend = await t.request('/v1/campaigns/test-campaign/confirmations/resend', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: PARTNER_ORIGIN, 'Idempotency-Key': 'k-2' },
      body: JSON.stringify({ handle: 'not-a-handle' }),
    });
    expect(resend.status).toBe(202);
    expect(resend.headers.get('Access-Control-Allow-Origin')).toBe(PARTNER_ORIGIN);
    expect(resend.headers.get('Access-Control-Expose-Headers')).toBe('Retry-After');
  });

  it('refuses the preflight and the POST of any other origin with 403 and stores nothing', async () => {
    const denied = await preflight('https://evil.example');
    expect(denied.status).toBe(403);
    expect(denied.headers.get('Access-Control-Allow-Origin')).toBeNull();
    expect(await denied.json()).toMatchObject({ type: 'urn:imlu:problem:forbidden-origin' });
    const post = await t.sign(validSignature(), { Origin: 'http://localhost:8789' });
    expect(post.status).toBe(403);
    expect(post.headers.get('Access-Control-Allow-Origin')).toBeNull();
    expect((await tableCounts(t.db)).signatures).toBe(0);
  });

  it('lets requests without an Origin (servers, curl) sign', async () => {
    const response = await t.sign(validSignature());
    expect(response.status).toBe(201);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });

  it('sends CORS headers on error answers too, so the widget can read its field errors', async () => {
    const response = await t.sign({ name: '' }, { Origin: PARTNER_ORIGIN, 'Idempotency-Key': 'k-2' });
    expect(response.status).toBe(422);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe(PARTNER_ORIGIN);
  });
});

describe('CORS for public reads', () => {
  it('opens GETs to every origin, without credentials', async () => {
    for (const path of ['/v1/campaigns/test-campaign', '/v1/campaigns/test-campaign/counts', '/health', '/openapi.json']) {
      const response = await t.request(path, { headers: { Origin: 'https://any-site.example' } });
      expect(response.status, path).toBe(200);
      expect(response.headers.get('Access-Control-Allow-Origin')).toBe('*');
      expect(response.headers.get('Access-Control-Allow-Credentials')).toBeNull();
    }
  });

  it('answers a GET preflight from any origin', async () => {
    const response = await t.request('/v1/campaigns/test-campaign/counts', {
      method: 'OPTIONS',
      headers: { Origin: 'https://any-site.example', 'Access-Control-Request-Method': 'GET' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(response.headers.get('Access-Control-Allow-Methods')).toBe('GET,HEAD');
  });
});

describe('cross-site forms and the custom header rule (OWASP ASVS 3.5.1)', () => {
  const form = (origin: string, contentType: string, body: string, headers: Record<string, string> = {}) =>
    t.request(`/v1/campaigns/${t.slug}/signatures`, { method: 'POST', headers: { Origin: origin, 'Content-Type': contentType, ...headers }, body });
  const formBody = new URLSearchParams({ name: 'Forged', phone: '0712345678', 'consent.terms': 'true' }).toString();

  it('refuses a plain cross-site HTML form POST, from any origin, and stores nothing', async () => {
    // What a browser sends for <form method="post" action="…/signatures"> on another site.
    for (const origin of ['https://evil.example', PARTNER_ORIGIN]) {
      for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain']) {
        const response = await form(origin, type, formBody);
        expect(response.status, `${origin} ${type}`).toBe(403);
        expect(((await response.json()) as { type: string }).type).toBe('urn:imlu:problem:forbidden-origin');
      }
    }
    expect((await tableCounts(t.db)).signatures).toBe(0);
  });

  it('refuses a browser POST without Idempotency-Key even as JSON from an allowed origin, and accepts it with one', async () => {
    const without = await form(PARTNER_ORIGIN, 'application/json', JSON.stringify(validSignature()));
    expect(without.status).toBe(403);
    expect(await without.json()).toMatchObject({ type: 'urn:imlu:problem:forbidden-origin', detail: expect.stringContaining('Idempotency-Key') });
    expect((await tableCounts(t.db)).signatures).toBe(0);
    const withKey = await form(PARTNER_ORIGIN, 'application/json', JSON.stringify(validSignature()), { 'Idempotency-Key': 'widget-1' });
    expect(withKey.status).toBe(201);
  });

  it('still refuses text/plain (a simple request) with 415 when no Origin is sent', async () => {
    const response = await t.request(`/v1/campaigns/${t.slug}/signatures`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify(validSignature()),
    });
    expect(response.status).toBe(415);
    expect((await tableCounts(t.db)).signatures).toBe(0);
  });
});

describe('security headers on every response', () => {
  it('sends nosniff, a CSP, no-referrer and frame denial on JSON, problems, HTML pages and preflights', async () => {
    const responses = [
      await t.request('/health'),
      await t.request(`/v1/campaigns/${t.slug}/counts`),
      await t.request('/v1/campaigns/nope'),
      await t.request('/v1/confirm/not-a-token'),
      await t.request('/v1/confirm/AAAAAAAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA'),
      await t.request(`/v1/campaigns/${t.slug}/signatures`, { method: 'OPTIONS', headers: { Origin: PARTNER_ORIGIN, 'Access-Control-Request-Method': 'POST' } }),
      await t.sign(validSignature()),
      await t.sign({ name: '' }),
    ];
    for (const response of responses) {
      const where = `${response.status} ${response.headers.get('Content-Type')}`;
      expect(response.headers.get('X-Content-Type-Options'), where).toBe('nosniff');
      expect(response.headers.get('Content-Security-Policy'), where).toContain("frame-ancestors 'none'");
      expect(response.headers.get('Referrer-Policy'), where).toBe('no-referrer');
      expect(response.headers.get('X-Frame-Options'), where).toBe('SAMEORIGIN');
      expect(response.headers.get('Strict-Transport-Security'), where).toMatch(/max-age=/);
    }
  });
});
