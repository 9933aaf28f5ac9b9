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
    const response = await t.sign(validSignature(), { Origin: PARTNER_ORIGIN });
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
    const response = await t.sign({ name: '' }, { Origin: PARTNER_ORIGIN });
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
