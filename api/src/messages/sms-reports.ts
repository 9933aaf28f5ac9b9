/**
 * `POST /v1/sms/delivery-reports/{secret}`: Africa's Talking's delivery report callback (form-encoded `id`,
 * `status`, `phoneNumber`, `failureReason`, …). A `Failed` or `Rejected` report marks the outbox message
 * failed, with the reason as its error code, so an operator sees which confirmations never reached a phone.
 * The phone number in the report is ignored: it is neither stored nor logged. Reports name messages by the
 * provider's unguessable message id; an unknown id changes nothing. Always answers 200, or the provider
 * keeps retrying.
 *
 * Africa's Talking signs nothing it sends to a callback (its documentation describes the form fields and
 * the dashboard setting, no signature header and no credentials), so the URL itself is the credential: its
 * last segment is a secret derived from the blind-index key (nothing new to configure), which the operator
 * pastes into the dashboard (`imlu sms callback-url` prints the URL). A wrong or missing secret gets the
 * same 404 as an unknown route, before the body is read. Behind it, reports are limited in size (a report
 * is a few hundred bytes) and per source, with a limiter of their own so the signing routes' count is
 * never spent here. The request log records the route pattern, never the secret.
 */
import { createHash, hkdfSync, timingSafeEqual } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { ProblemSchema } from '@imlu/contracts';
import type { MiddlewareHandler } from 'hono';
import { perSourceLimit, type HardLimiter } from '../abuse/rate-limit.ts';
import { limitBody } from '../http/body-limit.ts';
import type { AppBindings } from '../http/context.ts';
import { createRouter, problemResponses } from '../http/openapi.ts';
import { ProblemError } from '../http/problem.ts';

const FAILED_STATUSES = new Set(['Failed', 'Rejected']);

/** A form-encoded report is a few hundred bytes; 4 KB leaves room for fields the provider may add. */
export const MAX_REPORT_BYTES = 4 * 1024;
/**
 * Reports per source IP per minute before 429: ten a second, room for the provider working through a
 * burst of confirmations; what it bounds is a flood from whoever learned the URL.
 */
export const REPORTS_PER_MINUTE = 600;

const PATH_PREFIX = '/v1/sms/delivery-reports/';

/** The secret path segment: 32 bytes from the blind-index key, base64url (43 characters). */
export function deliveryReportSecret(blindIndexKey: Buffer): string {
  return Buffer.from(hkdfSync('sha256', blindIndexKey, Buffer.alloc(0), 'imlu:sms-delivery-reports:v1', 32)).toString('base64url');
}

/** The URL to configure as the delivery-report callback in the Africa's Talking dashboard. */
export function deliveryReportUrl(publicBaseUrl: string, blindIndexKey: Buffer): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}${PATH_PREFIX}${deliveryReportSecret(blindIndexKey)}`;
}

/** 404, like an unknown route, unless the path carries the secret. Compared as hashes: constant time, any length. */
export function requireSecret(secret: string): MiddlewareHandler<AppBindings> {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  const expected = digest(secret);
  return async (c, next) => {
    if (!timingSafeEqual(digest(c.req.param('secret') ?? ''), expected)) throw new ProblemError('not-found');
    await next();
  };
}

function deliveryReportRoute(secret: string, limiter: HardLimiter) {
  return createRoute({
    method: 'post',
    path: `${PATH_PREFIX}{secret}`,
    tags: ['operations'],
    summary: "Delivery reports from Africa's Talking (configure the URL `imlu sms callback-url` prints as the SMS delivery callback)",
    description:
      'The last path segment is a secret derived from the server\'s keys; a wrong or missing one is `404 not-found`, as for ' +
      `any unknown route. Bodies over ${MAX_REPORT_BYTES / 1024} KB are refused with 413, and each source may post ` +
      `${REPORTS_PER_MINUTE} reports a minute (429 with Retry-After beyond).`,
    // Cheapest refusal first, and the secret before anything that would answer otherwise than an unknown route.
    middleware: [requireSecret(secret), perSourceLimit('sms-delivery-reports', () => limiter), limitBody(MAX_REPORT_BYTES)] as const,
    request: {
      params: z.object({ secret: z.string().meta({ description: 'The secret printed by `imlu sms callback-url` (43 characters)' }) }),
      body: {
        required: true,
        content: {
          'application/x-www-form-urlencoded': {
            schema: z.looseObject({
              id: z.string().min(1).max(200),
              status: z.string().max(50),
              failureReason: z.string().max(100).optional(),
            }),
          },
        },
      },
    },
    responses: {
      200: { description: 'Report taken', content: { 'application/json': { schema: z.object({ ok: z.literal(true) }) } } },
      ...problemResponses(404),
      413: { description: `Body over ${MAX_REPORT_BYTES / 1024} KB (\`payload-too-large\`)`, content: { 'application/problem+json': { schema: ProblemSchema } } },
      ...problemResponses(422, 429, 500),
    },
  });
}

/** `secret`: from `deliveryReportSecret`; `limiter`: this route's own, per source. */
export function smsReportsRouter(options: { secret: string; limiter: HardLimiter }) {
  return createRouter().openapi(deliveryReportRoute(options.secret, options.limiter), async (c) => {
    const report = c.req.valid('form');
    if (FAILED_STATUSES.has(report.status)) {
      const reason = (report.failureReason ?? report.status).replace(/[^\w-]/g, '').slice(0, 60);
      const result = await c.var.services.db.client.execute({
        sql: "UPDATE outbox SET status = 'failed', last_error = ? WHERE provider_ref = ? AND status IN ('sent', 'sending', 'pending')",
        args: [`dlr-${reason}`, report.id],
      });
      if (result.rowsAffected) c.var.services.logger.warn('SMS not delivered', { reason });
    }
    return c.json({ ok: true as const }, 200);
  });
}
