/**
 * Cross-origin policy.
 * - Public reads (campaign, counts, health, OpenAPI) are open to every origin, without credentials.
 * - Signing (the POST and its preflight) is open only to the partner origins in ALLOWED_ORIGINS, also
 *   without credentials. A browser request from any other origin is refused with 403 before anything is
 *   read or stored. Requests with no Origin header (servers, curl) may sign: CORS protects browsers'
 *   users from other sites, and a script outside a browser can send any header it likes anyway.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { ProblemError } from './problem.ts';

/**
 * A browser POST (one carrying `Origin`) must also carry `Idempotency-Key`. A custom header makes the
 * request non-simple, so a browser sends it only after a CORS preflight that our allowlist answers: a
 * plain cross-site HTML form (which can send neither custom headers nor JSON) cannot sign, even from a
 * site whose origin is allowed (OWASP ASVS 3.5.1). The widget always sends the header; servers and curl
 * send no Origin and are not affected. The hosted no-JS page (`/c/:slug`) has its own CSRF protection.
 */
export const requireCustomHeaderFromBrowsers: MiddlewareHandler = async (c, next) => {
  if (c.req.header('Origin') !== undefined && !c.req.header('Idempotency-Key')) {
    throw new ProblemError('forbidden-origin', {
      detail: 'A browser request must carry an Idempotency-Key header (any unique string per sign attempt).',
    });
  }
  await next();
};

/** Paths that write; everything else under the API is a public read. */
const SIGNING_PATH = /^\/v1\/campaigns\/[^/]+\/(?:signatures|confirmations(?:\/resend)?)\/?$/;

/**
 * Paths no other site may call from a browser at all: the campaigner (admin) API and the duty bearers'
 * response pages. They get no CORS headers, so a preflight fails and a cross-origin read stays opaque;
 * partner sites read the public board (`GET /v1/campaigns/:slug/accountability`) and nothing else.
 */
const SAME_ORIGIN_ONLY = /^\/(?:admin|r)(?:\/|$)/;

/** What CORS means for one kind of request; one object per case, built once (see `headers.ts`). */
export interface CorsCase {
  /** Headers of every answer in this case but a preflight (lower-case names). */
  readonly headers: Readonly<Record<string, string>>;
  /** Whether the answer depends on the Origin (`Vary: Origin`). */
  readonly varyOrigin: boolean;
  /** Answers an OPTIONS preflight; undefined where the path has no CORS (it then reaches the routes). */
  readonly preflight: MiddlewareHandler | undefined;
}

export interface CorsPolicy {
  /** The case of a request, or a 403 `forbidden-origin` for a signing request from another origin. */
  caseOf(c: Context): CorsCase;
}

export function corsPolicy(allowedOrigins: Iterable<string>): CorsPolicy {
  const allowed = new Set(allowedOrigins);
  // Hono's cors middleware stays the definition of each policy and still answers the preflights; the
  // headers of ordinary answers are what it sets on them, written out once per case below.
  const publicCors = cors({ origin: '*', allowMethods: ['GET', 'HEAD'], maxAge: 86_400 });
  const signingCors = cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ['POST'],
    allowHeaders: ['Content-Type', 'Idempotency-Key'],
    // The widget tells a signer how long to wait before asking for a new code.
    exposeHeaders: ['Retry-After'],
    maxAge: 600,
    credentials: false,
  });
  const sameOrigin: CorsCase = { headers: {}, varyOrigin: false, preflight: undefined };
  const publicRead: CorsCase = { headers: { 'access-control-allow-origin': '*' }, varyOrigin: false, preflight: publicCors };
  const signingCase = (origin: string | undefined): CorsCase => ({
    headers: { ...(origin === undefined ? {} : { 'access-control-allow-origin': origin }), 'access-control-expose-headers': 'Retry-After' },
    varyOrigin: true,
    preflight: signingCors,
  });
  const signingWithoutOrigin = signingCase(undefined);
  const signingFrom = new Map([...allowed].map((origin) => [origin, signingCase(origin)]));
  return {
    caseOf(c) {
      const path = c.req.path;
      if (SAME_ORIGIN_ONLY.test(path)) return sameOrigin;
      if (!SIGNING_PATH.test(path)) return publicRead;
      const origin = c.req.header('Origin');
      if (origin === undefined) return signingWithoutOrigin;
      const found = signingFrom.get(origin);
      if (!found) throw new ProblemError('forbidden-origin');
      return found;
    },
  };
}
