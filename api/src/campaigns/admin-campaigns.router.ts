/**
 * `/admin/campaigns`: list campaigns with their counts and read one as its document (`campaigns:read`);
 * create or update one by slug from the same document `imlu campaign apply` reads (`campaigns:write`),
 * or create only (POST: a slug in use is refused, so a new campaign never overwrites another). Audited.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { SlugSchema } from '@imlu/contracts';
import { requireScope } from '../auth/require-scope.ts';
import { adminSecurity } from '../auth/tokens.router.ts';
import { createRouter, problemResponses } from '../http/openapi.ts';
import { ProblemError, fieldError } from '../http/problem.ts';
import { requireJson } from '../http/validation.ts';
import { applyCampaign, CampaignInputSchema, campaignDocument } from './input.ts';

const CampaignSummarySchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    kind: z.string(),
    status: z.string(),
    title: z.object({ en: z.string(), sw: z.string() }),
    goal: z.number().int().nullable(),
    counted: z.number().int(),
    pending: z.number().int(),
    suspect: z.number().int(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'AdminCampaignSummary' });

const ApplyResultSchema = z.object({ id: z.string(), created: z.boolean(), changed: z.array(z.string()) }).meta({ id: 'CampaignApplyResult' });

export function adminCampaignsRouter() {
  const list = createRoute({
    method: 'get',
    path: '/admin/campaigns',
    tags: ['admin'],
    summary: 'List every campaign (drafts too) with counted, pending and suspect signatures',
    security: adminSecurity,
    middleware: [requireScope('campaigns:read')] as const,
    responses: {
      200: { description: 'Campaigns, oldest first', content: { 'application/json': { schema: z.object({ campaigns: z.array(CampaignSummarySchema) }) } } },
      ...problemResponses(403, 404),
    },
  });
  const put = createRoute({
    method: 'put',
    path: '/admin/campaigns/{slug}',
    tags: ['admin'],
    summary: 'Create or update a campaign and its demands (demands are matched by position)',
    security: adminSecurity,
    middleware: [requireScope('campaigns:write'), requireJson] as const,
    request: {
      params: z.object({ slug: SlugSchema }),
      body: { required: true, content: { 'application/json': { schema: CampaignInputSchema } } },
    },
    responses: {
      200: { description: 'Updated (or unchanged: `changed` is empty)', content: { 'application/json': { schema: ApplyResultSchema } } },
      201: { description: 'Created', content: { 'application/json': { schema: ApplyResultSchema } } },
      ...problemResponses(403, 404, 415, 422),
    },
  });

  const get = createRoute({
    method: 'get',
    path: '/admin/campaigns/{slug}',
    tags: ['admin'],
    summary: 'One campaign (drafts too) as the document PUT takes: edit it and send it back',
    security: adminSecurity,
    middleware: [requireScope('campaigns:read')] as const,
    request: { params: z.object({ slug: SlugSchema }) },
    responses: {
      200: { description: 'The campaign document', content: { 'application/json': { schema: CampaignInputSchema } } },
      ...problemResponses(403, 404),
    },
  });
  const create = createRoute({
    method: 'post',
    path: '/admin/campaigns',
    tags: ['admin'],
    summary: 'Create a campaign; a slug already in use is refused (422 on `slug`), never overwritten',
    security: adminSecurity,
    middleware: [requireScope('campaigns:write'), requireJson] as const,
    request: { body: { required: true, content: { 'application/json': { schema: CampaignInputSchema } } } },
    responses: {
      201: { description: 'Created', content: { 'application/json': { schema: ApplyResultSchema } } },
      ...problemResponses(403, 404, 415, 422),
    },
  });

  return createRouter()
    .openapi(get, async (c) => {
      const document = await campaignDocument(c.var.services.db, c.req.valid('param').slug);
      if (!document) throw new ProblemError('not-found');
      return c.json(document, 200, { 'Cache-Control': 'no-store' });
    })
    .openapi(create, async (c) => {
      const result = await applyCampaign(c.var.services.db, c.req.valid('json'), c.var.actor, c.var.services.clock(), { createOnly: true });
      c.var.services.campaigns.invalidate();
      return c.json(result, 201, { 'Cache-Control': 'no-store' });
    })
    .openapi(list, async (c) => {
      const result = await c.var.services.db.client.execute(
        `SELECT c.id, c.slug, c.kind, c.status, c.title_en, c.title_sw, c.goal, c.updated_at,
                COALESCE(n.counted, 0) AS counted, COALESCE(n.pending, 0) AS pending, COALESCE(n.suspect, 0) AS suspect
         FROM campaigns c LEFT JOIN campaign_counts n ON n.campaign_id = c.id AND n.bucket = 'total'
         ORDER BY c.created_at`,
      );
      const campaigns = result.rows.map((r) => ({
        id: String(r['id']),
        slug: String(r['slug']),
        kind: String(r['kind']),
        status: String(r['status']),
        title: { en: String(r['title_en']), sw: String(r['title_sw']) },
        goal: r['goal'] === null ? null : Number(r['goal']),
        counted: Number(r['counted']),
        pending: Number(r['pending']),
        suspect: Number(r['suspect']),
        updatedAt: new Date(Number(r['updated_at'])).toISOString(),
      }));
      return c.json({ campaigns }, 200, { 'Cache-Control': 'no-store' });
    })
    .openapi(put, async (c) => {
      const input = c.req.valid('json');
      if (input.slug !== c.req.valid('param').slug) throw new ProblemError('validation', { errors: [fieldError('slug', 'invalid')], detail: 'The slug in the body must match the path.' });
      const result = await applyCampaign(c.var.services.db, input, c.var.actor, c.var.services.clock());
      c.var.services.campaigns.invalidate();
      return c.json(result, result.created ? 201 : 200, { 'Cache-Control': 'no-store' });
    });
}
