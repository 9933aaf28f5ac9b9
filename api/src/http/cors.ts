/**
 * Cross-origin policy.
 * - Public reads (campaign, counts, health, OpenAPI) are open to every origin, without credentials.
 * - Signing (the POST and its preflight) is open only to the partner origins in ALLOWED_ORIGINS, also
 *   without credentials. A browser request from any other origin is refused with 403 before anything is
 *   read or stored. Requests with no Origin header (servers, curl) may sign: CORS protects browsers'
 *   users from other sites, and a script outside a browser can send any header it likes anyway.
 */
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { ProblemError } from './problem.ts';

/** Paths that write; everything else under the API is a public read. */
const SIGNING_PATH = /^\/v1\/campaigns\/[^/]+\/(?:signatures|confirmations)\/?$/;

export function corsPolicy(allowedOrigins: Iterable<string>): MiddlewareHandler {
  const allowed = new Set(allowedOrigins);
  const publicCors = cors({ origin: '*', allowMethods: ['GET', 'HEAD'], maxAge: 86_400 });
  const signingCors = cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ['POST'],
    allowHeaders: ['Content-Type', 'Idempotency-Key'],
    maxAge: 600,
    credentials: false,
  });
  return async (c, next) => {
    if (!SIGNING_PATH.test(c.req.path)) return publicCors(c, next);
    const origin = c.req.header('Origin');
    if (origin !== undefined && !allowed.has(origin)) throw new ProblemError('forbidden-origin');
    return signingCors(c, next);
  };
}
