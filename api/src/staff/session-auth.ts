/**
 * The console session as a way to call the admin API and the console's own endpoints. A request that
 * changes something (any method but GET, HEAD and OPTIONS) with the session cookie must come from this
 * origin (`Origin`, `Sec-Fetch-Site`) and carry the session's `X-CSRF-Token`; otherwise 403, before
 * anything runs. `SameSite=Strict` already keeps the cookie off cross-site requests in today's browsers;
 * these checks do not depend on it.
 */
import type { Context } from 'hono';
import type { AppBindings } from '../http/context.ts';
import { ProblemError } from '../http/problem.ts';
import { sameOrigin, sessionSecretOf, type StaffSession } from './sessions.ts';

export const CSRF_HEADER = 'X-CSRF-Token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** This API's own origins: the one the request was addressed to, and PUBLIC_BASE_URL's (behind a TLS proxy). */
export function ownOrigins(c: Context<AppBindings>): string[] {
  const origins = [new URL(c.req.url).origin];
  try {
    origins.push(new URL(c.var.services.publicBaseUrl()).origin);
  } catch {
    // An unparseable base URL adds nothing.
  }
  return origins;
}

/** 403 unless the browser says the request comes from this origin. */
export function requireSameOrigin(c: Context<AppBindings>): void {
  const headers = { origin: c.req.header('Origin'), secFetchSite: c.req.header('Sec-Fetch-Site') };
  if (!sameOrigin(headers, ownOrigins(c))) throw new ProblemError('forbidden', { detail: 'Cross-site requests are refused.' });
}

/**
 * The request's live console session, or undefined without one. For a change: 403 from another origin or
 * without the right CSRF token.
 */
export async function consoleSession(c: Context<AppBindings>): Promise<{ session: StaffSession; secret: string } | undefined> {
  const secret = sessionSecretOf(c.req.header('Cookie'));
  if (secret === undefined) return undefined;
  const change = !SAFE_METHODS.has(c.req.method);
  if (change) requireSameOrigin(c);
  const { staffSessions } = c.var.services;
  const session = await staffSessions.authenticate(secret);
  if (!session) return undefined;
  if (change && !staffSessions.checkCsrf(secret, c.req.header(CSRF_HEADER))) {
    throw new ProblemError('forbidden', { detail: 'This change needs the session’s X-CSRF-Token header.' });
  }
  return { session, secret };
}
