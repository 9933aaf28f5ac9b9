/**
 * The outbox, for campaigners (`moderation` scope): how many messages of each kind wait, went out, stalled
 * or failed, which did not go out (ids, kinds, error codes; never a recipient), and re-sending the stalled
 * ones now (`stalled.ts`). A re-send is audited (`outbox.retried`).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { SlugSchema } from '@imlu/contracts';
import { recordAudit } from '../audit/audit.ts';
import { requireScope } from '../auth/require-scope.ts';
import { createRouter, problemResponses } from '../http/openapi.ts';
import { ProblemError } from '../http/problem.ts';
import { requireJson } from '../http/validation.ts';
import { OUTBOX_STATUSES, outboxReport, reviveStalled } from './stalled.ts';

const security: Record<string, string[]>[] = [{ adminToken: [] }, { consoleSession: [] }];
const NO_STORE = { 'Cache-Control': 'no-store' };

const StatusCountsSchema = z.object(Object.fromEntries(OUTBOX_STATUSES.map((s) => [s, z.number().int()])) as Record<(typeof OUTBOX_STATUSES)[number], z.ZodNumber>);

const OutboxReportSchema = z.object({
  counts: z.record(z.string(), StatusCountsSchema).meta({ description: 'Messages per kind (`confirm-email`, `webhook`, …) and status' }),
  messages: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      campaign: z.string().meta({ description: 'Campaign slug' }),
      signatureId: z.string().nullable(),
      status: z.enum(['stalled', 'failed']),
      attempts: z.number().int(),
      lastError: z.string().nullable().meta({ description: 'A code (`ECONNECTION`, `smtp-550`, `link-expired`), never a message text' }),
      createdAt: z.iso.datetime(),
    }),
  ),
});

export function outboxAdminRouter() {
  const admin = requireScope('moderation');
  const getOutbox = createRoute({
    method: 'get',
    path: '/admin/outbox',
    tags: ['admin'],
    summary: 'Messages per kind and status, and the ones that did not go out (stalled: retries ran out during an outage; failed: refused)',
    security,
    middleware: [admin] as const,
    request: {
      query: z.object({
        campaign: SlugSchema.optional(),
        status: z.enum(['stalled', 'failed']).optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
      }),
    },
    responses: {
      200: { description: 'Counts, and the stalled and failed messages, newest first', content: { 'application/json': { schema: OutboxReportSchema } } },
      ...problemResponses(403, 404, 422),
    },
  });
  const postRetry = createRoute({
    method: 'post',
    path: '/admin/outbox/retry',
    tags: ['admin'],
    summary: 'Send stalled confirmations again now (with `includeFailed`, refused ones too); those whose link expired are not sent',
    security,
    middleware: [admin, requireJson] as const,
    request: {
      body: {
        required: true,
        content: { 'application/json': { schema: z.strictObject({ campaign: SlugSchema.optional(), includeFailed: z.boolean().default(false) }) } },
      },
    },
    responses: {
      200: {
        description: 'Queued again, and not sent because their confirmation link has expired',
        content: { 'application/json': { schema: z.object({ requeued: z.number().int(), expired: z.number().int() }) } },
      },
      ...problemResponses(403, 404, 415, 422),
    },
  });

  return createRouter()
    .openapi(getOutbox, async (c) => {
      const { campaign: slug, status, limit } = c.req.valid('query');
      const campaign = slug === undefined ? undefined : await c.var.services.campaigns.findBySlug(slug);
      if (slug !== undefined && !campaign) throw new ProblemError('not-found');
      const report = await outboxReport(c.var.services.db.client, { campaignId: campaign?.id, status, limit });
      return c.json({ counts: report.counts, messages: report.messages.map((m) => ({ ...m, createdAt: new Date(m.createdAt).toISOString() })) }, 200, NO_STORE);
    })
    .openapi(postRetry, async (c) => {
      const { db, campaigns, clock, outbox } = c.var.services;
      const body = c.req.valid('json');
      const campaign = body.campaign === undefined ? undefined : await campaigns.findBySlug(body.campaign);
      if (body.campaign !== undefined && !campaign) throw new ProblemError('not-found');
      const result = await reviveStalled(db.client, { now: clock(), campaignId: campaign?.id, includeFailed: body.includeFailed });
      await recordAudit(db.orm, {
        actor: c.var.actor,
        action: 'outbox.retried',
        campaignId: campaign?.id ?? null,
        rowCount: result.requeued,
        at: clock(),
        details: { includeFailed: body.includeFailed, requeued: result.requeued, expired: result.expired },
      });
      outbox.notify();
      return c.json(result, 200, NO_STORE);
    });
}
