/**
 * One log line per request: method, route pattern, status and duration. Deliberately nothing else — no
 * IP address, no path parameters, no query string, no headers, no body — because a log of who signed
 * what, from where, is exactly the target list this SDK must not create. The pattern also keeps secrets
 * in paths out: a response link is logged as `/r/:token`, a confirmation link as `/v1/confirm/:token`.
 */
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Logger } from '../logging/logger.ts';

export function requestLog(logger: Logger): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const pattern = routePath(c, -1);
    logger.info('request', {
      method: c.req.method,
      // The last matched route is this catch-all middleware when no route matched.
      route: pattern === '*' || pattern === '/*' ? 'unmatched' : pattern,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
  };
}
