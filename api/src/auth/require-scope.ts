/**
 * `requireScope(scope)`: the guard of every admin route.
 *
 * - No `Authorization: Bearer …`, an unknown or a revoked token: 404 `not-found`, exactly like a route
 *   that does not exist — the admin surface does not advertise itself.
 * - A valid token without the scope: 403 `forbidden` (the caller has proven who it is; telling it what it
 *   lacks helps the operator and reveals nothing).
 * - Without a bearer token, a console session (cookie `__Host-imlu_console`, src/staff) stands in for one,
 *   with its staff member's role's scopes; a change made with it needs the same origin and its CSRF token
 *   (staff/session-auth.ts), else 403.
 * - Otherwise the actor (token id + name, or `staff:<id>` + the staff member's name) is set on the context
 *   (`c.var.actor`) for the audit log.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppBindings } from '../http/context.ts';
import { ProblemError } from '../http/problem.ts';
import { consoleSession } from '../staff/session-auth.ts';
import type { Scope } from './scopes.ts';

export function bearerToken(header: string | undefined): string | undefined {
  return /^Bearer ([\x21-\x7e]+)$/.exec(header ?? '')?.[1];
}

export function requireScope(scope: Scope): MiddlewareHandler<AppBindings> {
  return async (c, next) => {
    const bearer = bearerToken(c.req.header('Authorization'));
    const principal = bearer !== undefined ? await c.var.services.adminAuth.authenticate(bearer) : (await consoleSession(c))?.session;
    if (!principal) throw new ProblemError('not-found');
    if (!principal.scopes.has(scope)) {
      throw new ProblemError('forbidden', { detail: `${bearer !== undefined ? 'This token' : 'Your role'} lacks the scope ${scope}.` });
    }
    c.set('actor', principal.actor);
    c.set('scopes', principal.scopes);
    await next();
  };
}
