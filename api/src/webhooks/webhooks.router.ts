/**
 * `/admin/campaigns/{slug}/webhooks` and `/admin/webhooks/{id}` (scope `webhooks:write`). Audited. In
 * production a URL whose host is or resolves to a non-public address is refused (targets.ts).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { SlugSchema } from '@imlu/contracts';
import { requireScope } from '../auth/require-scope.ts';
import { adminSecurity } from '../auth/tokens.router.ts';
import { createRouter, problemResponses } from '../http/openapi.ts';
import { ProblemError, fieldError } from '../http/problem.ts';
import { requireJson } from '../http/validation.ts';
import { webhookTargetProblem } from './targets.ts';
import { createWebhook, deleteWebhook, listWebhooks, WEBHOOK_EVENTS, webhookUrlProblem } from './webhooks.ts';

const WebhookSchema = z
  .object({ id: z.string(), campaignId: z.string(), url: z.string(), events: z.array(z.enum(WEBHOOK_EVENTS)), createdAt: z.iso.datetime() })
  .meta({ id: 'Webhook' });

const view = (w: { id: string; campaignId: string; url: string; events: (typeof WEBHOOK_EVENTS)[number][]; createdAt: number }) => ({
  ...w,
  createdAt: new Date(w.createdAt).toISOString(),
});

export function webhooksRouter() {
  const guard = requireScope('webhooks:write');
  const post = createRoute({
    method: 'post',
    path: '/admin/campaigns/{slug}/webhooks',
    tags: ['admin'],
    summary: 'Add a webhook to a campaign; the signing secret is in this response only',
    security: adminSecurity,
    middleware: [guard, requireJson] as const,
    request: {
      params: z.object({ slug: SlugSchema }),
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z.strictObject({ url: z.string().max(2000), events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).default(['signature.confirmed']) }),
          },
        },
      },
    },
    responses: {
      201: { description: 'The webhook and its secret (`whsec_…`)', content: { 'application/json': { schema: WebhookSchema.extend({ secret: z.string() }) } } },
      ...problemResponses(403, 404, 415, 422),
    },
  });
  const list = createRoute({
    method: 'get',
    path: '/admin/campaigns/{slug}/webhooks',
    tags: ['admin'],
    summary: 'List a campaign’s webhooks (never their secrets)',
    security: adminSecurity,
    middleware: [guard] as const,
    request: { params: z.object({ slug: SlugSchema }) },
    responses: {
      200: { description: 'Webhooks', content: { 'application/json': { schema: z.object({ webhooks: z.array(WebhookSchema) }) } } },
      ...problemResponses(403, 404),
    },
  });
  const remove = createRoute({
    method: 'delete',
    path: '/admin/webhooks/{id}',
    tags: ['admin'],
    summary: 'Delete a webhook; deliveries still queued for it are skipped',
    security: adminSecurity,
    middleware: [guard] as const,
    request: { params: z.object({ id: z.string().min(1).max(64) }) },
    responses: {
      200: { description: 'The deleted webhook', content: { 'application/json': { schema: WebhookSchema } } },
      ...problemResponses(403, 404),
    },
  });

  return createRouter()
    .openapi(post, async (c) => {
      const campaign = await c.var.services.campaigns.findBySlug(c.req.valid('param').slug);
      if (!campaign) throw new ProblemError('not-found');
      const body = c.req.valid('json');
      const problem = webhookUrlProblem(body.url) ?? (await webhookTargetProblem(body.url, c.var.services.webhookTargets));
      if (problem) throw new ProblemError('validation', { errors: [fieldError('url', 'invalid')], detail: `The webhook URL ${problem}.` });
      const { info, secret } = await createWebhook(c.var.services.db, c.var.services.crypto, {
        campaignId: campaign.id,
        url: body.url,
        events: body.events,
        actor: c.var.actor,
        now: c.var.services.clock(),
      });
      return c.json({ ...view(info), secret }, 201, { 'Cache-Control': 'no-store' });
    })
    .openapi(list, async (c) => {
      const campaign = await c.var.services.campaigns.findBySlug(c.req.valid('param').slug);
      if (!campaign) throw new ProblemError('not-found');
      return c.json({ webhooks: (await listWebhooks(c.var.services.db, campaign.id)).map(view) }, 200, { 'Cache-Control': 'no-store' });
    })
    .openapi(remove, async (c) => {
      const deleted = await deleteWebhook(c.var.services.db, c.req.valid('param').id, c.var.actor, c.var.services.clock());
      if (!deleted) throw new ProblemError('not-found');
      return c.json(view(deleted), 200, { 'Cache-Control': 'no-store' });
    });
}
