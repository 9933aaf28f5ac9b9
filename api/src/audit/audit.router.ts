/** `GET /admin/audit`: the audit log, newest first, with filters and a keyset cursor (scope `audit:read`). */
import { createRoute, z } from '@hono/zod-openapi';
import { SlugSchema } from '@imlu/contracts';
import { requireScope } from '../auth/require-scope.ts';
import { adminSecurity } from '../auth/tokens.router.ts';
import { FromBoundSchema, ToBoundSchema } from '../http/date-schemas.ts';
import { parseDateBound } from '../http/dates.ts';
import { createRouter, problemResponses } from '../http/openapi.ts';
import { ProblemError } from '../http/problem.ts';
import { listAudit } from './audit.ts';

const AuditEntrySchema = z
  .object({
    id: z.string(),
    at: z.iso.datetime(),
    actor: z.string().meta({ description: '`token:<id>`, `bootstrap` (ADMIN_TOKEN) or `cli:<os user>`' }),
    actorName: z.string(),
    action: z.string().meta({ example: 'export.created' }),
    campaignId: z.string().nullable(),
    campaignSlug: z.string().nullable().meta({ description: "The campaign's slug (null when the entry concerns no campaign)" }),
    subject: z.string().nullable(),
    rowCount: z.number().int().nullable(),
    details: z.record(z.string(), z.unknown()).meta({ description: 'Filters and counts of the action; never personal data' }),
  })
  .meta({ id: 'AuditEntry' });

export function auditRouter() {
  const route = createRoute({
    method: 'get',
    path: '/admin/audit',
    tags: ['admin'],
    summary: 'The append-only audit log of campaigner actions, newest first',
    security: adminSecurity,
    middleware: [requireScope('audit:read')] as const,
    request: {
      query: z.object({
        campaign: SlugSchema.optional(),
        action: z.string().max(100).optional(),
        actor: z.string().max(200).optional(),
        from: FromBoundSchema.optional(),
        to: ToBoundSchema.optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
        before: z.string().max(64).optional().meta({ description: 'Cursor: the `id` of the last entry of the previous page' }),
      }),
    },
    responses: {
      200: {
        description: 'Entries; `next` is the cursor of the following page, or null',
        content: { 'application/json': { schema: z.object({ entries: z.array(AuditEntrySchema), next: z.string().nullable() }) } },
      },
      ...problemResponses(403, 404, 422),
    },
  });
  return createRouter().openapi(route, async (c) => {
    const q = c.req.valid('query');
    let campaignId: string | undefined;
    if (q.campaign) {
      const campaign = await c.var.services.campaigns.findBySlug(q.campaign);
      if (!campaign) throw new ProblemError('not-found');
      campaignId = campaign.id;
    }
    const entries = await listAudit(c.var.services.db, {
      campaignId,
      action: q.action,
      actor: q.actor,
      from: q.from ? parseDateBound(q.from) : undefined,
      // listAudit's `to` includes its instant; the API's is the end, exclusive (as the CLI's).
      to: q.to ? parseDateBound(q.to, true)! - 1 : undefined,
      limit: q.limit,
      before: q.before,
    });
    return c.json(
      {
        entries: entries.map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
        next: entries.length === q.limit ? entries[entries.length - 1]!.id : null,
      },
      200,
      { 'Cache-Control': 'no-store' },
    );
  });
}
