/**
 * Prepared headers against the middleware they replace: the same requests through hono's `secureHeaders`
 * and `cors` (configured as the API configured them before headers were prepared once per case) and
 * through `responseHeaders` must give the same status and the same headers — for answers built by
 * `respond()`, for answers built any other way, for problems, preflights and refused origins.
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import { describe, expect, it } from 'vitest';
import type { AppBindings } from './context.ts';
import { corsPolicy } from './cors.ts';
import { respond, responseHeaders, securityHeaders, SECURITY_OPTIONS } from './headers.ts';
import { errorHandler, notFoundHandler, ProblemError } from './problem.ts';

const PARTNER = 'https://partner.example';
const HTML_CSP = "default-src 'none'; style-src 'sha256-abc'";

/** The CORS middleware as it was: hono's cors per path, a 403 for a signing request from another origin. */
function referenceCors(allowed: Set<string>): MiddlewareHandler {
  const publicCors = cors({ origin: '*', allowMethods: ['GET', 'HEAD'], maxAge: 86_400 });
  const signingCors = cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ['POST'],
    allowHeaders: ['Content-Type', 'Idempotency-Key'],
    exposeHeaders: ['Retry-After'],
    maxAge: 600,
    credentials: false,
  });
  return async (c, next) => {
    if (/^\/(?:admin|r)(?:\/|$)/.test(c.req.path)) return next();
    if (!/^\/v1\/campaigns\/[^/]+\/(?:signatures|confirmations(?:\/resend)?)\/?$/.test(c.req.path)) return publicCors(c, next);
    const origin = c.req.header('Origin');
    if (origin !== undefined && !allowed.has(origin)) throw new ProblemError('forbidden-origin');
    return signingCors(c, next);
  };
}

/** The same routes on both apps; `lean` answers through `respond()` where the API does. */
function routes(app: Hono<AppBindings>, lean: boolean) {
  const answer = (c: Context, body: string, status: number, headers: Record<string, string>) =>
    lean ? respond(c, body, status, headers) : c.body(body, status as 200, headers);
  app.get('/v1/campaigns/:slug/counts', (c) => answer(c, '{"signatures":1}', 200, { 'Content-Type': 'application/json', ETag: '"e"', 'Cache-Control': 'public, max-age=5' }));
  app.post('/v1/campaigns/:slug/signatures', (c) => answer(c, '{"status":"counted"}', 201, { 'content-type': 'application/json', 'cache-control': 'no-store' }));
  app.post('/v1/campaigns/:slug/confirmations', () => {
    throw new ProblemError('rate-limited', { headers: { 'Retry-After': '7' } });
  });
  // Answers built without `respond()` in both apps: the headers are added afterwards.
  app.get('/v1/campaigns/:slug/plain', (c) => c.json({ ok: true }, 200, { 'Cache-Control': 'no-store', Vary: 'Accept-Language' }));
  app.post('/v1/campaigns/:slug/signatures/', (c) => c.json({ ok: true }, 202, { Vary: 'Accept-Language' }));
  app.get('/c/:slug', (c) => c.html('<p>page</p>', 200, { 'Content-Security-Policy': HTML_CSP }));
  app.get('/admin/thing', (c) => answer(c, '{"admin":true}', 200, { 'Content-Type': 'application/json' }));
  app.get('/admin/broken', () => {
    throw new Error('boom');
  });
  app.onError(errorHandler({ debug() {}, info() {}, warn() {}, error() {} }));
  app.notFound(notFoundHandler);
}

async function apps() {
  const reference = new Hono<AppBindings>();
  reference.use(secureHeaders(SECURITY_OPTIONS));
  reference.use(referenceCors(new Set([PARTNER])));
  routes(reference, false);
  const lean = new Hono<AppBindings>();
  lean.use(responseHeaders(await securityHeaders(), corsPolicy([PARTNER])));
  routes(lean, true);
  return { reference, lean };
}

const REQUESTS: [string, RequestInit][] = [
  ['/v1/campaigns/c/counts', {}],
  ['/v1/campaigns/c/counts', { headers: { Origin: 'https://any.example' } }],
  ['/v1/campaigns/c/counts', { method: 'HEAD' }],
  ['/v1/campaigns/c/counts', { method: 'OPTIONS', headers: { Origin: 'https://any.example', 'Access-Control-Request-Method': 'GET' } }],
  [
    '/v1/campaigns/c/counts',
    { method: 'OPTIONS', headers: { Origin: 'https://any.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'X-Foo, if-none-match' } },
  ],
  ['/v1/campaigns/c/signatures', { method: 'POST' }],
  ['/v1/campaigns/c/signatures', { method: 'POST', headers: { Origin: PARTNER } }],
  ['/v1/campaigns/c/signatures', { method: 'POST', headers: { Origin: 'https://evil.example' } }],
  ['/v1/campaigns/c/signatures', { method: 'POST', headers: { Origin: '' } }],
  ['/v1/campaigns/c/signatures', { method: 'OPTIONS', headers: { Origin: PARTNER, 'Access-Control-Request-Method': 'POST' } }],
  ['/v1/campaigns/c/signatures', { method: 'OPTIONS', headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' } }],
  ['/v1/campaigns/c/signatures', { method: 'OPTIONS' }],
  ['/v1/campaigns/c/signatures/', { method: 'POST', headers: { Origin: PARTNER } }],
  ['/v1/campaigns/c/confirmations', { method: 'POST', headers: { Origin: PARTNER } }],
  ['/v1/campaigns/c/confirmations', { method: 'POST' }],
  ['/v1/campaigns/c/plain', { headers: { Origin: PARTNER } }],
  ['/c/c', {}],
  ['/admin/thing', { headers: { Origin: 'https://any.example' } }],
  ['/admin/thing', { method: 'OPTIONS', headers: { Origin: 'https://any.example', 'Access-Control-Request-Method': 'GET' } }],
  ['/admin/broken', {}],
  ['/r/token', {}],
  ['/no/such/route', { headers: { Origin: PARTNER } }],
];

async function snapshot(app: Hono<AppBindings>, path: string, init: RequestInit) {
  const response = await app.request(path, init);
  const headers: string[] = [];
  response.headers.forEach((value, name) => headers.push(`${name}: ${value}`));
  return { status: response.status, headers: headers.sort(), body: await response.text() };
}

describe('prepared response headers', () => {
  it('are exactly what secureHeaders and cors set, on every kind of answer', async () => {
    const { reference, lean } = await apps();
    for (const [path, init] of REQUESTS) {
      const where = `${init.method ?? 'GET'} ${path} ${JSON.stringify(init.headers ?? {})}`;
      expect(await snapshot(lean, path, init), where).toEqual(await snapshot(reference, path, init));
    }
  });

  it('keep a handler’s own security header, and let CORS alone decide the CORS headers', async () => {
    const { lean } = await apps();
    const page = await lean.request('/c/c');
    expect(page.headers.get('Content-Security-Policy')).toBe(HTML_CSP);
    expect(page.headers.get('X-Content-Type-Options')).toBe('nosniff');
    const signed = await lean.request('/v1/campaigns/c/signatures', { method: 'POST', headers: { Origin: PARTNER } });
    expect(signed.headers.get('Access-Control-Allow-Origin')).toBe(PARTNER);
    expect(signed.headers.get('Vary')).toBe('Origin');
    const refused = await lean.request('/v1/campaigns/c/signatures', { method: 'POST', headers: { Origin: 'https://evil.example' } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('Access-Control-Allow-Origin')).toBeNull();
    expect(refused.headers.get('Content-Security-Policy')).toBe("default-src 'none'; frame-ancestors 'none'");
  });
});
