/**
 * Admin endpoints for moderation, behind `requireScope('moderation')` (an admin token with that scope, or
 * the bootstrap `ADMIN_TOKEN`). Without a valid token every admin route answers 404 `not-found`: the admin
 * surface does not advertise itself. Answers carry counts and keyed-hash prefixes only, never personal
 * data. Invalidations and count fixes (not dry runs) are written to the audit log with their filters.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { CountyCodeSchema, SlugSchema } from '@imlu/contracts';
import { recordAudit } from '../audit/audit.ts';
import { requireScope } from '../auth/require-scope.ts';
import { FromBoundSchema, ToBoundSchema } from '../http/date-schemas.ts';
import { parseDateBound } from '../http/dates.ts';
import { createRouter, problemResponses } from '../http/openapi.ts';
import { ProblemError } from '../http/problem.ts';
import { requireJson } from '../http/validation.ts';
import { countHeld, decideHeld, listHeld } from './held.ts';
import { invalidateSignatures, invalidationFilters, reconcileCounts, trendingSources } from './moderation.ts';

const security: Record<string, string[]>[] = [{ adminToken: [] }, { consoleSession: [] }];

const TrendSchema = z.object({
  campaignId: z.string(),
  kind: z.enum(['source', 'domain']),
  hashPrefix: z.string(),
  signatures: z.number().int(),
  share: z.number(),
});

const InvalidationRequestSchema = z.strictObject({
  from: FromBoundSchema.optional(),
  to: ToBoundSchema.optional(),
  sourceHashPrefix: z.string().regex(/^[0-9a-f]{8,64}$/).optional(),
  domainHashPrefix: z
    .string()
    .regex(/^[0-9a-f]{8,64}$/)
    .optional()
    .meta({ description: 'A trending `domain` (e-mail domain or phone block) by its hash prefix from `/admin/trending`' }),
  emailDomain: z.string().min(3).max(253).optional(),
  county: CountyCodeSchema.optional(),
  dryRun: z.boolean().default(true),
});

const InvalidationReportSchema = z.object({
  affected: z.number().int(),
  counted: z.number().int(),
  pending: z.number().int(),
  suspect: z.number().int(),
  byCounty: z.record(z.string(), z.number().int()),
  dryRun: z.boolean(),
});

const CountsTripleSchema = z.object({ counted: z.number().int(), pending: z.number().int(), suspect: z.number().int() });

export function adminRouter() {
  const admin = requireScope('moderation');
  const getTrending = createRoute({
    method: 'get',
    path: '/admin/trending',
    tags: ['admin'],
    summary: 'Sources and e-mail domains with an unusual share of recent signatures',
    security,
    middleware: [admin] as const,
    request: {
      query: z.object({
        windowMinutes: z.coerce.number().int().min(1).max(1440).default(10),
        minCount: z.coerce.number().int().min(1).default(50),
        minShare: z.coerce.number().min(0).max(1).default(0.3),
        campaign: SlugSchema.optional().meta({ description: 'Only this campaign (its slug)' }),
      }),
    },
    responses: {
      200: { description: 'Trending sources', content: { 'application/json': { schema: z.object({ trending: z.array(TrendSchema) }) } } },
      ...problemResponses(403, 404),
    },
  });
  const postInvalidation = createRoute({
    method: 'post',
    path: '/admin/campaigns/{slug}/invalidations',
    tags: ['admin'],
    summary: 'Invalidate signatures by time window, source, e-mail domain (or its hash prefix) or county (dry run by default), then recount',
    security,
    middleware: [admin, requireJson] as const,
    request: {
      params: z.object({ slug: SlugSchema }),
      body: { required: true, content: { 'application/json': { schema: InvalidationRequestSchema } } },
    },
    responses: {
      200: { description: 'What matched (and, unless a dry run, was invalidated)', content: { 'application/json': { schema: InvalidationReportSchema } } },
      ...problemResponses(403, 404, 422),
    },
  });
  const postReconcile = createRoute({
    method: 'post',
    path: '/admin/reconcile',
    tags: ['admin'],
    summary: 'Compare the counts table with the signatures; with fix, recount drifting campaigns',
    security,
    middleware: [admin, requireJson] as const,
    request: { body: { required: true, content: { 'application/json': { schema: z.strictObject({ fix: z.boolean().default(false) }) } } } },
    responses: {
      200: {
        description: 'Drifting buckets',
        content: {
          'application/json': {
            schema: z.object({
              drifts: z.array(z.object({ campaignId: z.string(), bucket: z.string(), stored: CountsTripleSchema, actual: CountsTripleSchema })),
            }),
          },
        },
      },
      ...problemResponses(403, 404, 422),
    },
  });

  const getHeld = createRoute({
    method: 'get',
    path: '/admin/campaigns/{slug}/held',
    tags: ['admin'],
    summary: 'Signatures held for review: a family phone confirmed one name more than the campaign allows (`phoneHousehold`)',
    security,
    middleware: [admin] as const,
    request: {
      params: z.object({ slug: SlugSchema }),
      query: z.object({
        limit: z.coerce.number().int().min(1).max(100).default(50),
        after: z.string().min(1).max(64).optional().meta({ description: 'Cursor: the `id` of the last signature of the previous page' }),
      }),
    },
    responses: {
      200: {
        description:
          'Held signatures, oldest first, one page (`next` is the cursor of the following page, or null; `total` how many wait in all). ' +
          'No names or contacts: `imlu signer show <id>` shows one to a campaigner at the server.',
        content: {
          'application/json': {
            schema: z.object({
              total: z.number().int(),
              next: z.string().nullable(),
              held: z.array(
                z.object({
                  id: z.string(),
                  county: z.string().nullable(),
                  signedAt: z.iso.datetime(),
                  confirmedAt: z.iso.datetime().nullable(),
                  countedOnPhone: z.number().int().meta({ description: 'Names already counted on the same phone number' }),
                }),
              ),
            }),
          },
        },
      },
      ...problemResponses(403, 404),
    },
  });
  const postHeldDecision = createRoute({
    method: 'post',
    path: '/admin/signatures/{id}/held',
    tags: ['admin'],
    summary: 'Decide a held signature: `count` it (the counts move at once) or `invalidate` it; audited with the reason',
    security,
    middleware: [admin, requireJson] as const,
    request: {
      params: z.object({ id: z.string().min(1).max(64) }),
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z.strictObject({ decision: z.enum(['count', 'invalidate']), reason: z.string().trim().min(1).max(200) }),
          },
        },
      },
    },
    responses: {
      200: { description: 'Decided', content: { 'application/json': { schema: z.object({ decision: z.enum(['count', 'invalidate']) }) } } },
      ...problemResponses(403, 404, 415, 422),
    },
  });

  return createRouter()
    .openapi(getHeld, async (c) => {
      const campaign = await c.var.services.campaigns.findBySlug(c.req.valid('param').slug);
      if (!campaign) throw new ProblemError('not-found');
      const { limit, after } = c.req.valid('query');
      const [held, total] = await Promise.all([listHeld(c.var.services.db, campaign.id, { limit, after }), countHeld(c.var.services.db, campaign.id)]);
      const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
      return c.json(
        {
          total,
          next: held.length === limit ? held[held.length - 1]!.id : null,
          held: held.map((h) => ({ id: h.id, county: h.county, signedAt: iso(h.signedAt)!, confirmedAt: iso(h.confirmedAt), countedOnPhone: h.countedOnPhone })),
        },
        200,
        { 'Cache-Control': 'no-store' },
      );
    })
    .openapi(postHeldDecision, async (c) => {
      const { db, clock, counts } = c.var.services;
      const body = c.req.valid('json');
      const decided = await decideHeld(db, { signatureId: c.req.valid('param').id, decision: body.decision, reason: body.reason, actor: c.var.actor, now: clock() });
      if (!decided) throw new ProblemError('not-found');
      await counts.refresh();
      return c.json({ decision: decided.decision }, 200, { 'Cache-Control': 'no-store' });
    })
    .openapi(getTrending, async (c) => {
      const { windowMinutes, minCount, minShare, campaign: slug } = c.req.valid('query');
      const { db, clock, campaigns } = c.var.services;
      let campaignId: string | undefined;
      if (slug !== undefined) {
        const campaign = await campaigns.findBySlug(slug);
        if (!campaign) throw new ProblemError('not-found');
        campaignId = campaign.id;
      }
      const trending = await trendingSources(db, { now: clock(), windowMs: windowMinutes * 60_000, minCount, minShare, campaignId });
      return c.json({ trending }, 200, { 'Cache-Control': 'no-store' });
    })
    .openapi(postInvalidation, async (c) => {
      const { db, crypto, campaigns, clock, counts } = c.var.services;
      const campaign = await campaigns.findBySlug(c.req.valid('param').slug);
      if (!campaign) throw new ProblemError('not-found');
      const body = c.req.valid('json');
      if (!body.from && !body.to && !body.sourceHashPrefix && !body.domainHashPrefix && !body.emailDomain && !body.county) {
        throw new ProblemError('validation', { detail: 'Give at least one of from, to, sourceHashPrefix, domainHashPrefix, emailDomain, county.' });
      }
      const report = await invalidateSignatures(
        db,
        crypto,
        {
          campaignId: campaign.id,
          from: body.from ? parseDateBound(body.from) : undefined,
          to: body.to ? parseDateBound(body.to, true) : undefined,
          sourceHashHex: body.sourceHashPrefix,
          domainHashHex: body.domainHashPrefix,
          emailDomain: body.emailDomain,
          county: body.county,
        },
        { dryRun: body.dryRun, now: clock() },
      );
      if (!body.dryRun) {
        await recordAudit(db.orm, {
          actor: c.var.actor,
          action: 'signatures.invalidated',
          campaignId: campaign.id,
          rowCount: report.affected,
          at: clock(),
          details: { filters: invalidationFilters(body), counted: report.counted, pending: report.pending, suspect: report.suspect },
        });
        await counts.refresh();
      }
      return c.json(report, 200, { 'Cache-Control': 'no-store' });
    })
    .openapi(postReconcile, async (c) => {
      const { db, clock, counts } = c.var.services;
      const { fix } = c.req.valid('json');
      const drifts = await reconcileCounts(db, { fix, now: clock() });
      if (fix && drifts.length) {
        await recordAudit(db.orm, {
          actor: c.var.actor,
          action: 'signatures.reconciled',
          rowCount: drifts.length,
          at: clock(),
          details: { campaigns: [...new Set(drifts.map((d) => d.campaignId))] },
        });
        await counts.refresh();
      }
      return c.json({ drifts }, 200, { 'Cache-Control': 'no-store' });
    });
}

