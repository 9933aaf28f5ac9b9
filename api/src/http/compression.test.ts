/**
 * Compression as a client meets it: the encoding chosen from Accept-Encoding (q-values, `*`, refusals),
 * `Vary: Accept-Encoding`, the compressed variants' own ETags and their 304s, HEAD, and what is never
 * compressed (small bodies, binary types, answers already encoded). The real app on a real database for
 * the API's own answers; a small Hono app for the cases the API has no route for.
 */
import { Hono } from 'hono';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../../test/helpers.ts';
import { compression, negotiateEncoding, variantEtag, type ContentEncoding } from './compression.ts';
import { respond } from './headers.ts';
import { errorHandler, ProblemError } from './problem.ts';
import { silentLogger } from '../logging/logger.ts';

const decode = (encoding: string | null, body: ArrayBuffer): string => {
  const bytes = new Uint8Array(body);
  if (encoding === 'br') return brotliDecompressSync(bytes).toString('utf8');
  if (encoding === 'gzip') return gunzipSync(bytes).toString('utf8');
  return Buffer.from(bytes).toString('utf8');
};

describe('negotiateEncoding', () => {
  it.each([
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip, deflate', 'gzip'],
    ['br', 'br'],
    ['x-gzip', 'gzip'],
    ['GZIP', 'gzip'],
    ['br;q=0.5, gzip;q=0.8', 'gzip'],
    ['br;q=0.8, gzip;q=0.8', 'br'],
    ['br;q=0, gzip', 'gzip'],
    ['br;q=0, gzip;q=0', undefined],
    ['*', 'br'],
    ['*;q=0.5, br;q=0', 'gzip'],
    ['identity', undefined],
    ['deflate', undefined],
    ['', undefined],
    [undefined, undefined],
    ['br;q=2, gzip;q=nonsense', undefined],
  ] as const)('%j → %s', (header, expected) => {
    expect(negotiateEncoding(header)).toBe(expected);
  });

  it('puts the encoding inside the quotes of strong and weak ETags', () => {
    expect(variantEtag('"abc"', 'br')).toBe('"abc-br"');
    expect(variantEtag('W/"abc"', 'gzip')).toBe('W/"abc-gz"');
  });
});

describe('the API', () => {
  let t: TestApi;
  const summary = 'Haki kwa manusura wa ukatili. Justice for survivors of violence. '.repeat(40);
  beforeAll(async () => {
    t = await createTestApi({ campaign: { summary: { en: summary, sw: summary } } });
  });
  afterAll(() => t.close());

  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') => t.request(path, { method, headers });

  it('sends JSON in brotli, gzip or as it is, as asked, always the same content, and always says Vary', async () => {
    const path = `/v1/campaigns/${t.slug}`;
    const identity = await get(path);
    expect(identity.headers.get('Content-Encoding')).toBeNull();
    expect(identity.headers.get('Vary')).toMatch(/\bAccept-Encoding\b/);
    const plain = await identity.text();
    expect(plain.length).toBeGreaterThan(2000);
    const etag = identity.headers.get('ETag')!;

    for (const [accept, encoding] of [
      ['gzip, deflate, br', 'br'],
      ['gzip', 'gzip'],
      ['br;q=0.1, gzip;q=0.9', 'gzip'],
      ['identity', null],
    ] as const) {
      const response = await get(path, { 'Accept-Encoding': accept });
      expect(response.status).toBe(200);
      expect(response.headers.get('Content-Encoding'), accept).toBe(encoding);
      expect(response.headers.get('Vary')).toMatch(/\bAccept-Encoding\b/);
      expect(response.headers.get('Content-Type')).toBe('application/json');
      expect(response.headers.get('ETag')).toBe(encoding ? variantEtag(etag, encoding as ContentEncoding) : etag);
      const body = await response.arrayBuffer();
      if (encoding) expect(body.byteLength).toBeLessThan(plain.length / 4);
      expect(decode(encoding, body)).toBe(plain);
    }
    // The security headers and CORS survive compression.
    const br = await get(path, { 'Accept-Encoding': 'br', Origin: 'https://partner.example' });
    expect(br.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(br.headers.get('Access-Control-Allow-Origin')).toBe('*');
  });

  it('answers 304 to the ETag of the variant the client holds, naming that variant, and 200 once it changed', async () => {
    const path = `/v1/campaigns/${t.slug}`;
    const br = await get(path, { 'Accept-Encoding': 'br' });
    const brEtag = br.headers.get('ETag')!;
    expect(brEtag).toMatch(/-br"$/);
    const again = await get(path, { 'Accept-Encoding': 'br', 'If-None-Match': brEtag });
    expect(again.status).toBe(304);
    expect(again.headers.get('ETag')).toBe(brEtag);
    expect(again.headers.get('Vary')).toMatch(/\bAccept-Encoding\b/);
    expect(await again.text()).toBe('');

    const gz = await get(path, { 'Accept-Encoding': 'gzip' });
    const gzEtag = gz.headers.get('ETag')!;
    expect(gzEtag).toMatch(/-gz"$/);
    const gzAgain = await get(path, { 'Accept-Encoding': 'gzip', 'If-None-Match': `W/${gzEtag}` });
    expect(gzAgain.status).toBe(304);
    expect(gzAgain.headers.get('ETag')).toBe(gzEtag);
    // The identity ETag is still honoured for a client that cached the plain body.
    const identityEtag = brEtag.replace('-br"', '"');
    expect((await get(path, { 'If-None-Match': identityEtag })).status).toBe(304);

    // A signature changes the counts in the campaign: the old variant ETag no longer matches.
    expect((await t.sign({ name: 'Amina', email: 'amina@example.org', consent: { terms: true } })).status).toBeLessThan(300);
    await t.api.services.counts.refresh();
    const changed = await get(path, { 'Accept-Encoding': 'br', 'If-None-Match': brEtag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('ETag')).not.toBe(brEtag);
  });

  it('answers HEAD with the headers of the compressed GET and no body', async () => {
    const path = `/v1/campaigns/${t.slug}`;
    const get200 = await get(path, { 'Accept-Encoding': 'br' });
    const head = await get(path, { 'Accept-Encoding': 'br' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('Content-Encoding')).toBe('br');
    expect(head.headers.get('ETag')).toBe(get200.headers.get('ETag'));
    expect(head.headers.get('Vary')).toMatch(/\bAccept-Encoding\b/);
    expect((await head.arrayBuffer()).byteLength).toBe(0);
  });

  it('compresses the HTML pages and the OpenAPI document', async () => {
    // The hosted form carries a fresh token on every load: compared without it.
    const withoutToken = (html: string) => html.replace(/name="token" value="[^"]+"/, '');
    for (const path of [`/c/${t.slug}`, '/openapi.json']) {
      const plain = withoutToken(await (await get(path)).text());
      const response = await get(path, { 'Accept-Encoding': 'gzip, br' });
      expect(response.status, path).toBe(200);
      expect(response.headers.get('Content-Encoding'), path).toBe('br');
      expect(response.headers.get('Vary'), path).toMatch(/\bAccept-Encoding\b/);
      expect(withoutToken(decode('br', await response.arrayBuffer()))).toBe(plain);
    }
  });

  it('never compresses the pages addressed by a bearer token (BREACH): manage, confirmation, response, unsubscribe', async () => {
    const page = await get('/me', { 'Accept-Encoding': 'br, gzip' });
    expect(page.status).toBe(200);
    expect((await page.clone().arrayBuffer()).byteLength).toBeGreaterThan(1024);
    expect(page.headers.get('Content-Encoding')).toBeNull();
    for (const path of ['/me/not-a-token', '/v1/confirm/not-a-token', '/r/not-a-token', '/u/not-a-token']) {
      expect((await get(path, { 'Accept-Encoding': 'br, gzip' })).headers.get('Content-Encoding'), path).toBeNull();
    }
  });

  it('leaves small bodies alone: the counts of a campaign go out as they are', async () => {
    const response = await get(`/v1/campaigns/${t.slug}/counts`, { 'Accept-Encoding': 'br, gzip' });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Encoding')).toBeNull();
    expect(response.headers.get('Vary') ?? '').not.toMatch(/Accept-Encoding/);
    expect(await response.json()).toMatchObject({ signatures: expect.any(Number) });
  });
});

describe('the middleware', () => {
  const big = JSON.stringify({ items: Array.from({ length: 200 }, (_, i) => ({ i, text: 'sahihi' })) });
  const compressed: string[] = [];
  const app = new Hono();
  app.use(compression({ onCompress: (path, encoding) => compressed.push(`${path} ${encoding}`) }));
  app.get('/cached', (c) => respond(c, big, 200, { 'Content-Type': 'application/json', ETag: '"v1"' }));
  app.get('/fresh', (c) => c.json(JSON.parse(big)));
  app.get('/image', (c) => c.body(new Uint8Array(4096), 200, { 'Content-Type': 'image/png' }));
  app.get('/encoded', (c) => c.body(new Uint8Array(4096), 200, { 'Content-Type': 'text/javascript', 'Content-Encoding': 'br' }));
  app.get('/no-transform', (c) => c.body(big, 200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-transform' }));
  app.get('/problem', () => {
    throw new ProblemError('validation', { detail: 'x'.repeat(3000) });
  });
  app.onError(errorHandler(silentLogger));

  it('compresses an answer with an ETag once per encoding, however often it is asked for', async () => {
    compressed.length = 0;
    for (let i = 0; i < 5; i++) {
      const response = await app.request('/cached', { headers: { 'Accept-Encoding': 'br' } });
      expect(decode('br', await response.arrayBuffer())).toBe(big);
    }
    await app.request('/cached', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(compressed).toEqual(['/cached br', '/cached gzip']);
  });

  it('compresses an answer without an ETag per request, and problem+json too', async () => {
    compressed.length = 0;
    const fresh = await app.request('/fresh', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(fresh.headers.get('Content-Encoding')).toBe('gzip');
    expect(JSON.parse(decode('gzip', await fresh.arrayBuffer()))).toEqual(JSON.parse(big));
    const problem = await app.request('/problem', { headers: { 'Accept-Encoding': 'br' } });
    expect(problem.status).toBe(422);
    expect(problem.headers.get('Content-Type')).toMatch(/^application\/problem\+json/);
    expect(problem.headers.get('Content-Encoding')).toBe('br');
    expect(JSON.parse(decode('br', await problem.arrayBuffer()))).toMatchObject({ status: 422 });
    expect(compressed).toEqual(['/fresh gzip', '/problem br']);
  });

  it('never touches binary types, answers already encoded, or no-transform', async () => {
    for (const path of ['/image', '/encoded', '/no-transform']) {
      const response = await app.request(path, { headers: { 'Accept-Encoding': 'gzip, br' } });
      expect(response.headers.get('Content-Encoding'), path).toBe(path === '/encoded' ? 'br' : null);
      expect((await response.arrayBuffer()).byteLength, path).toBe(path === '/no-transform' ? big.length : 4096);
    }
  });
});
