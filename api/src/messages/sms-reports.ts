/**
 * `POST /v1/sms/delivery-reports`: Africa's Talking's delivery report callback (form-encoded `id`, `status`,
 * `phoneNumber`, `failureReason`, …). A `Failed` or `Rejected` report marks the outbox message failed, with
 * the reason as its error code, so an operator sees which confirmations never reached a phone. The phone
 * number in the report is ignored: it is neither stored nor logged. Reports name messages by the
 * provider's unguessable message id; an unknown id changes nothing. Always answers 200, or the provider
 * keeps retrying.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../http/openapi.ts';

const FAILED_STATUSES = new Set(['Failed', 'Rejected']);

export const postDeliveryReport = createRoute({
  method: 'post',
  path: '/v1/sms/delivery-reports',
  tags: ['operations'],
  summary: "Delivery reports from Africa's Talking (configure this URL as the SMS delivery callback)",
  request: {
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
  },
});

export function smsReportsRouter() {
  return createRouter().openapi(postDeliveryReport, async (c) => {
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
