/**
 * The campaigner console: its page (`GET /console`), its script (`GET /console/app.js`, built from
 * packages/console) and its sign-in and session endpoints under `/console/api`. What the console shows and
 * changes beyond that goes through the admin API, which accepts the console's session (auth/require-scope.ts).
 */
import { createRoute, z } from '@hono/zod-openapi';
import path from 'node:path';
import { LOCALES } from '@imlu/contracts';
import { HardLimiter, perSourceLimit } from '../abuse/rate-limit.ts';
import { recordAudit } from '../audit/audit.ts';
import { SCOPES } from '../auth/scopes.ts';
import { REPO_ROOT } from '../config/env.ts';
import { limitBody } from '../http/body-limit.ts';
import { respond } from '../http/headers.ts';
import { createRouter, problemResponses } from '../http/openapi.ts';
import { ProblemError, fieldError } from '../http/problem.ts';
import { requireJson } from '../http/validation.ts';
import { bundleFileResponse } from '../widget/widget.handlers.ts';
import { WidgetBundle } from '../widget/widget-bundle.ts';
import { CONSOLE_VIEWS, ROLES, viewsFor } from './roles.ts';
import { consoleSession, CSRF_HEADER, requireSameOrigin } from './session-auth.ts';
import { clearedSessionCookie, SESSION_ABSOLUTE_MS, SESSION_COOKIE, SESSION_IDLE_MS, sessionCookie, type StaffSession } from './sessions.ts';
import { CODE_TRIES_PER_LINK, LINK_TTL_MS } from './sign-in.ts';

/** A sign-in body is an address, or a link token and a code: a stranger's 2 MB body is refused unread (413). */
const SIGN_IN_BODY_BYTES = 2048;

export const CONSOLE_BUNDLE = path.join(REPO_ROOT, 'packages', 'console', 'dist', 'console.js');

/**
 * Only this origin's script and connections; no inline script or style at all (Lit's styles are
 * constructed stylesheets, which CSP does not govern); never framed. It may frame this origin's pages:
 * the Campaigns view previews the widget in frames of `/console/preview/{slug}` (widget-preview.router.ts).
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "frame-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': CONSOLE_CSP,
  'cache-control': 'no-store',
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  // The sign-in link's token is in the fragment, which no Referer carries; this keeps even the path home.
  'referrer-policy': 'no-referrer',
};

/** The page shell: the script does the rest. `lang` follows the browser until the console switches it. */
export const CONSOLE_PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
  '<meta name="viewport" content="width=device-width, initial-scale=1">' +
  '<meta name="robots" content="noindex"><title>IMLU console</title>' +
  '<script type="module" src="/console/app.js"></script></head>' +
  '<body><imlu-console></imlu-console><noscript>The IMLU console needs JavaScript. · Dashibodi ya IMLU inahitaji JavaScript.</noscript></body></html>';

const ConsoleSessionSchema = z
  .object({
    staffId: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    scopes: z.array(z.enum(SCOPES)),
    views: z.array(z.enum(CONSOLE_VIEWS.map((v) => v.id) as [string, ...string[]])).meta({ description: 'The console views this role may open' }),
    csrfToken: z.string().meta({ description: `Send it as \`${CSRF_HEADER}\` with every change made with this session` }),
    expiresAt: z.iso.datetime().meta({ description: 'Absolute expiry (12 h after sign-in); idle sessions end after 30 minutes' }),
  })
  .meta({ id: 'ConsoleSession' });

const cookieSecurity = [{ consoleSession: [] }];

/** Sign-in requests and code tries per source (IP) in 15 minutes, on top of the limits per account and per link. */
export const SIGN_IN_REQUESTS_PER_SOURCE = 10;
export const CODE_TRIES_PER_SOURCE = 20;
const SOURCE_WINDOW_MS = 15 * 60_000;

/** A per-source limiter made on first use with the app's clock (each router its own). */
function sourceLimit(scope: string, limit: number) {
  let limiter: HardLimiter | undefined;
  return perSourceLimit(scope, (services) => (limiter ??= new HardLimiter(limit, services.clock, SOURCE_WINDOW_MS)));
}

function sessionView(session: StaffSession, csrfToken: string) {
  return {
    staffId: session.staffId,
    name: session.name,
    role: session.role,
    scopes: [...session.scopes],
    views: viewsFor(session.scopes),
    csrfToken,
    expiresAt: new Date(session.expiresAt).toISOString(),
  };
}

export function consoleRouter(bundle = new WidgetBundle(CONSOLE_BUNDLE)) {
  const router = createRouter();

  router.get('/console', (c) => respond(c, CONSOLE_PAGE, 200, PAGE_HEADERS));
  router.get('/console/app.js', async (c) => {
    const file = await bundle.read();
    if (!file) throw new ProblemError('unavailable', { detail: 'The console has not been built (pnpm --filter @imlu/console build).' });
    return bundleFileResponse(c, file, 'no-cache');
  });

  const signIn = createRoute({
    method: 'post',
    path: '/console/api/sign-in',
    tags: ['console'],
    summary: 'Ask for a one-time sign-in link by e-mail',
    description:
      'Always answers 202, at once, whether or not the address belongs to a staff member: the lookup and the e-mail happen after the answer. ' +
      `A staff member's link works once, for ${LINK_TTL_MS / 60_000} minutes, carries its token in the URL fragment (\`/console#link=…\`), ` +
      'and is exchanged with a TOTP code at `POST /console/api/sign-in/verify`. Refused from another origin (403); ' +
      `${SIGN_IN_REQUESTS_PER_SOURCE} requests per source in 15 minutes (429).`,
    middleware: [sourceLimit('console-sign-in', SIGN_IN_REQUESTS_PER_SOURCE), requireJson, limitBody(SIGN_IN_BODY_BYTES)] as const,
    request: {
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z.strictObject({ email: z.email().max(254), locale: z.enum(LOCALES).optional().meta({ description: 'Language of the e-mail (default en)' }) }),
          },
        },
      },
    },
    responses: {
      202: {
        description: 'Accepted (the same answer for every address)',
        content: { 'application/json': { schema: z.object({ status: z.literal('accepted') }) } },
      },
      ...problemResponses(403, 413, 415, 422, 429, 500),
    },
  });
  router.openapi(signIn, (c) => {
    requireSameOrigin(c);
    const { email, locale } = c.req.valid('json');
    c.var.services.staffSignIn.request(email, locale ?? 'en');
    return c.json({ status: 'accepted' as const }, 202, { 'cache-control': 'no-store' });
  });

  const verify = createRoute({
    method: 'post',
    path: '/console/api/sign-in/verify',
    tags: ['console'],
    summary: 'Exchange a sign-in link and a TOTP code for a session',
    description:
      `Sets the session cookie \`${SESSION_COOKIE}\` (HttpOnly, Secure, SameSite=Strict, Path=/; idle expiry ${SESSION_IDLE_MS / 60_000} min, absolute ${SESSION_ABSOLUTE_MS / 3_600_000} h). ` +
      `A link used, expired or tried with ${CODE_TRIES_PER_LINK} wrong codes answers 404; a wrong or already used code answers 422 on \`code\`. Refused from another origin (403); ` +
      `${CODE_TRIES_PER_SOURCE} tries per source in 15 minutes (429).`,
    middleware: [sourceLimit('console-verify', CODE_TRIES_PER_SOURCE), requireJson, limitBody(SIGN_IN_BODY_BYTES)] as const,
    request: {
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z.strictObject({
              link: z.string().max(100).meta({ description: 'The token from the link’s fragment (`#link=…`)' }),
              code: z.string().max(10).meta({ description: 'The 6-digit code of the staff member’s authenticator app' }),
            }),
          },
        },
      },
    },
    responses: {
      200: { description: 'Signed in; the cookie is set', content: { 'application/json': { schema: ConsoleSessionSchema } } },
      ...problemResponses(403, 404, 413, 415, 422, 429, 500),
    },
  });
  router.openapi(verify, async (c) => {
    requireSameOrigin(c);
    const { link, code } = c.req.valid('json');
    const { staffSignIn, staffSessions } = c.var.services;
    const result = await staffSignIn.verify(link, code.replace(/\s+/g, ''));
    if (!result.ok && result.reason === 'invalid-link') {
      throw new ProblemError('not-found', { detail: 'This sign-in link has expired or was already used. Ask for a new one.' });
    }
    if (!result.ok) throw new ProblemError('validation', { errors: [fieldError('code', 'invalid')] });
    const session = await staffSessions.authenticate(result.secret);
    if (!session) throw new ProblemError('internal');
    return c.json(sessionView(session, staffSessions.csrfToken(result.secret)), 200, {
      'set-cookie': sessionCookie(result.secret, Math.floor(SESSION_ABSOLUTE_MS / 1000)),
      'cache-control': 'no-store',
    });
  });

  const current = createRoute({
    method: 'get',
    path: '/console/api/session',
    tags: ['console'],
    summary: 'Who is signed in: name, role, scopes, the views the role may open, and the CSRF token',
    security: cookieSecurity,
    responses: {
      200: { description: 'The live session', content: { 'application/json': { schema: ConsoleSessionSchema } } },
      ...problemResponses(404, 500),
    },
  });
  router.openapi(current, async (c) => {
    const found = await consoleSession(c);
    if (!found) throw new ProblemError('not-found', { detail: 'Not signed in.' });
    return c.json(sessionView(found.session, c.var.services.staffSessions.csrfToken(found.secret)), 200, { 'cache-control': 'no-store' });
  });

  const signOut = (pathName: string, everywhere: boolean) =>
    createRoute({
      method: 'post',
      path: pathName,
      tags: ['console'],
      summary: everywhere ? 'Sign out everywhere: end every session of this staff member' : 'Sign out: end this session',
      description: `Needs the session cookie, the same origin and \`${CSRF_HEADER}\` (403 without). The cookie is cleared; the session is refused from then on wherever its cookie was copied to.`,
      security: cookieSecurity,
      responses: {
        204: { description: 'Signed out' },
        ...problemResponses(403, 404, 500),
      },
    });
  for (const everywhere of [false, true]) {
    router.openapi(signOut(everywhere ? '/console/api/sign-out-everywhere' : '/console/api/sign-out', everywhere), async (c) => {
      const found = await consoleSession(c);
      if (!found) throw new ProblemError('not-found', { detail: 'Not signed in.' });
      const { staffSessions, db, clock } = c.var.services;
      const { session } = found;
      const ended = everywhere ? await staffSessions.revokeAll(session.staffId) : Number(await staffSessions.revoke(session.sessionId));
      await recordAudit(db.orm, {
        actor: session.actor,
        action: everywhere ? 'staff.signed-out-everywhere' : 'staff.signed-out',
        subject: everywhere ? session.staffId : session.sessionId,
        at: clock(),
        details: { sessions: ended },
      });
      return c.body(null, 204, { 'set-cookie': clearedSessionCookie(), 'cache-control': 'no-store' });
    });
  }

  const HTML_CONTENT = { 'text/html': { schema: z.string() } };
  router.openAPIRegistry.registerPath({
    method: 'get',
    path: '/console',
    tags: ['console'],
    summary: 'The campaigner console (a single page; strict CSP, no inline script or style)',
    responses: { 200: { description: 'The console page', content: HTML_CONTENT } },
  });
  router.openAPIRegistry.registerPath({
    method: 'get',
    path: '/console/app.js',
    tags: ['console'],
    summary: 'The console’s script (packages/console)',
    responses: {
      200: { description: 'JavaScript module', content: { 'text/javascript': { schema: z.string() } } },
      ...problemResponses(503),
    },
  });
  return router;
}
