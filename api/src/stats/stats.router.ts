/**
 * The console's figures (docs/stats.md): signatures per day, the county table and the partners, behind
 * `requireScope('campaigns:read')`; and a partner's read-only view of its own figures at
 * `/v1/partner-stats/{token}` (partner-views.ts), which needs no admin token and shows nothing else.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { SlugSchema } from '@imlu/contracts';
import { eq, inArray } from 'drizzle-orm';
import type { Context } from 'hono';
import { campaigns as campaignsTable } from '../db/schema.ts';
import { requireScope } from '../auth/require-scope.ts';
import { adminSecurity } from '../auth/tokens.router.ts';
import { createRouter, problemResponses } from '../http/openapi.ts';
import { fieldError, ProblemError, validationProblem } from '../http/problem.ts';
import { requireJson } from '../http/validation.ts';
import { HOSTED_CSP } from '../hosted/render.ts';
import { pickLocale } from '../i18n/index.ts';
import { lastReconciliation } from '../moderation/reconciliation.ts';
import { renderPartnerNotFound, renderPartnerPage } from './partner-page.ts';
import { createPartnerView, findPartnerView, listPartnerViews, partnerOriginProblem, partnerViewUrl, revokePartnerView, type PartnerViewInfo } from './partner-views.ts';
import {
  CountyTableSchema,
  DailyStatsSchema,
  IssuedPartnerViewSchema,
  NewPartnerViewSchema,
  PartnerStatsSchema,
  PartnerViewInfoSchema,
  PartnerViewSchema,
  RangeQuerySchema,
  ReconciliationSchema,
} from './schemas.ts';
import { countyTable, dailyStats, dayRange, defaultRange, MAX_RANGE_DAYS, partnerStats } from './stats.ts';

const NO_STORE = { 'Cache-Control': 'no-store' };
/** How long a partner view's answer is reused: the link may be shared, and each answer reads the campaign's rows. */
const PARTNER_VIEW_CACHE_MS = 60_000;

const isoOrNull = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const viewInfo = (v: PartnerViewInfo) => ({
  id: v.id,
  origin: v.origin,
  label: v.label,
  createdBy: v.createdBy,
  createdAt: new Date(v.createdAt).toISOString(),
  expiresAt: new Date(v.expiresAt).toISOString(),
  revokedAt: isoOrNull(v.revokedAt),
});

/** A range from optional `from`/`to`; 422 naming the field when it is reversed or longer than a year. */
function checkedRange(query: { from?: string | undefined; to?: string | undefined }, fallback: { from: string; to: string }) {
  const from = query.from ?? fallback.from;
  const to = query.to ?? fallback.to;
  const days = dayRange(from, to);
  if (days === 'reversed') throw new ProblemError('validation', { detail: '`to` is before `from`.', errors: [fieldError('to', 'invalid')] });
  if (days === 'too-long') throw new ProblemError('validation', { detail: `At most ${MAX_RANGE_DAYS} days at a time.`, errors: [fieldError('from', 'invalid')] });
  return { from, to, days };
}

export function statsRouter() {
  const read = requireScope('campaigns:read');
  const slugParam = z.object({ slug: SlugSchema });
  const daily = createRoute({
    method: 'get',
    path: '/admin/campaigns/{slug}/stats/daily',
    tags: ['admin'],
    summary: 'Signatures per day (Africa/Nairobi) counted, pending, suspect; totals, progress to goal, milestones',
    description:
      'Each signature is on the Nairobi calendar day it was signed, in the column of its state now. Default range: the 30 days up to today; at most 366 days.',
    security: adminSecurity,
    middleware: [read] as const,
    request: { params: slugParam, query: RangeQuerySchema },
    responses: {
      200: { description: 'Figures per day', content: { 'application/json': { schema: DailyStatsSchema } } },
      ...problemResponses(403, 404, 422),
    },
  });
  const counties = createRoute({
    method: 'get',
    path: '/admin/campaigns/{slug}/stats/counties',
    tags: ['admin'],
    summary: 'The county table: counted and pending signatures of each of the 47 counties, with their share of the total',
    security: adminSecurity,
    middleware: [read] as const,
    request: { params: slugParam },
    responses: {
      200: { description: 'Every county, in code order', content: { 'application/json': { schema: CountyTableSchema } } },
      ...problemResponses(403, 404),
    },
  });
  const partners = createRoute({
    method: 'get',
    path: '/admin/campaigns/{slug}/stats/partners',
    tags: ['admin'],
    summary: 'Signatures, confirmation rate and top counties per partner origin and `source` reference',
    description: 'Counties with fewer than 5 counted signatures are shown as "<5". Without from/to: the whole campaign.',
    security: adminSecurity,
    middleware: [read] as const,
    request: {
      params: slugParam,
      query: RangeQuerySchema.extend({ origin: z.string().min(1).max(300).optional().meta({ description: 'Only this origin' }) }),
    },
    responses: {
      200: { description: 'Origins, most signatures first', content: { 'application/json': { schema: PartnerStatsSchema } } },
      ...problemResponses(403, 404, 422),
    },
  });
  const partnerView = createRoute({
    method: 'get',
    path: '/v1/partner-stats/{token}',
    tags: ['partners'],
    summary: "A partner's read-only view of its own figures (a link from `imlu partner-view create`)",
    description:
      'Only the origin the link was made for; sources and counties under 5 signatures show "<5". An unknown, revoked or expired link is 404. Reused for up to a minute.',
    request: {
      params: z.object({ token: z.string().min(1).max(100) }),
      query: z.object({ lang: z.enum(['en', 'sw']).optional().meta({ description: 'The page’s language (a browser’s request); else Accept-Language' }) }),
    },
    responses: {
      200: {
        description: "The partner's figures: JSON, or a page in English or Kiswahili for a browser (`Accept: text/html`)",
        content: { 'application/json': { schema: PartnerViewSchema }, 'text/html': { schema: z.string() } },
      },
      ...problemResponses(404),
    },
  });

  const reconciliation = createRoute({
    method: 'get',
    path: '/admin/system/reconciliation',
    tags: ['admin'],
    summary: 'The last scheduled reconciliation of the counts with the signatures (RECONCILE_EVERY_MINUTES), and any drift it found',
    description: 'A scheduled run reports and never fixes; `POST /admin/reconcile` with `fix` recounts. `lastRun` is null until a run happened.',
    security: adminSecurity,
    middleware: [requireScope('moderation')] as const,
    responses: {
      200: { description: 'The last run', content: { 'application/json': { schema: ReconciliationSchema } } },
      ...problemResponses(403, 404),
    },
  });

  const createView = createRoute({
    method: 'post',
    path: '/admin/campaigns/{slug}/partner-views',
    tags: ['admin'],
    summary: "Give one partner origin a read-only link to its own figures; the link is in this answer only (audited)",
    security: adminSecurity,
    middleware: [requireScope('campaigns:write'), requireJson] as const,
    request: { params: slugParam, body: { required: true, content: { 'application/json': { schema: NewPartnerViewSchema } } } },
    responses: {
      201: { description: 'The view, with its URL (only this once)', content: { 'application/json': { schema: IssuedPartnerViewSchema } } },
      ...problemResponses(403, 404, 415, 422),
    },
  });
  const listViews = createRoute({
    method: 'get',
    path: '/admin/campaigns/{slug}/partner-views',
    tags: ['admin'],
    summary: "A campaign's partner views, revoked ones too (never their links)",
    security: adminSecurity,
    middleware: [read] as const,
    request: { params: slugParam },
    responses: {
      200: { description: 'Oldest first', content: { 'application/json': { schema: z.object({ views: z.array(PartnerViewInfoSchema) }) } } },
      ...problemResponses(403, 404),
    },
  });
  const revokeView = createRoute({
    method: 'delete',
    path: '/admin/partner-views/{id}',
    tags: ['admin'],
    summary: 'Revoke a partner view at once (audited)',
    security: adminSecurity,
    middleware: [requireScope('campaigns:write')] as const,
    request: { params: z.object({ id: z.string().min(1).max(64) }) },
    responses: {
      200: { description: 'Revoked', content: { 'application/json': { schema: PartnerViewInfoSchema } } },
      ...problemResponses(403, 404),
    },
  });

  const viewCache = new Map<string, { at: number; body: z.infer<typeof PartnerViewSchema> }>();

  return createRouter()
    .openapi(daily, async (c) => {
      const { campaigns, db, clock } = c.var.services;
      const campaign = await campaigns.findBySlug(c.req.valid('param').slug);
      if (!campaign) throw new ProblemError('not-found');
      const { from, to, days } = checkedRange(c.req.valid('query'), defaultRange(clock()));
      return c.json(await dailyStats(db, campaign, from, to, days), 200, NO_STORE);
    })
    .openapi(counties, async (c) => {
      const campaign = await c.var.services.campaigns.findBySlug(c.req.valid('param').slug);
      if (!campaign) throw new ProblemError('not-found');
      return c.json(await countyTable(c.var.services.db, campaign.id), 200, NO_STORE);
    })
    .openapi(partners, async (c) => {
      const campaign = await c.var.services.campaigns.findBySlug(c.req.valid('param').slug);
      if (!campaign) throw new ProblemError('not-found');
      const query = c.req.valid('query');
      if (query.from || query.to) {
        if (!query.from || !query.to) throw validationProblem([fieldError(query.from ? 'to' : 'from', 'required')]);
        checkedRange(query, { from: query.from, to: query.to });
      }
      const stats = await partnerStats(c.var.services.db, campaign.id, {
        ...(query.from ? { from: query.from } : {}),
        ...(query.to ? { to: query.to } : {}),
        ...(query.origin !== undefined ? { origin: query.origin } : {}),
      });
      return c.json(stats, 200, NO_STORE);
    })
    .openapi(reconciliation, async (c) => {
      const { db } = c.var.services;
      const run = await lastReconciliation(db);
      if (!run) return c.json({ lastRun: null }, 200, NO_STORE);
      const ids = [...new Set(run.drifts.map((d) => d.campaignId))];
      const slugs = new Map(
        ids.length ? (await db.orm.select({ id: campaignsTable.id, slug: campaignsTable.slug }).from(campaignsTable).where(inArray(campaignsTable.id, ids))).map((r) => [r.id, r.slug]) : [],
      );
      const lastRun = {
        at: new Date(run.at).toISOString(),
        durationMs: run.durationMs,
        ok: run.drifts.length === 0,
        drifts: run.drifts.map((d) => ({ ...d, slug: slugs.get(d.campaignId) ?? null })),
      };
      return c.json({ lastRun }, 200, NO_STORE);
    })
    .openapi(createView, async (c) => {
      const { campaigns, db, clock, publicBaseUrl } = c.var.services;
      const campaign = await campaigns.findBySlug(c.req.valid('param').slug);
      if (!campaign) throw new ProblemError('not-found');
      const body = c.req.valid('json');
      const problem = partnerOriginProblem(body.origin);
      if (problem) throw new ProblemError('validation', { detail: `origin ${problem}`, errors: [fieldError('origin', 'invalid')] });
      const { info, token } = await createPartnerView(db, {
        campaignId: campaign.id,
        origin: body.origin,
        label: body.label ?? null,
        days: body.days,
        actor: c.var.actor,
        now: clock(),
      });
      return c.json({ ...viewInfo(info), url: partnerViewUrl(publicBaseUrl(), token) }, 201, NO_STORE);
    })
    .openapi(listViews, async (c) => {
      const campaign = await c.var.services.campaigns.findBySlug(c.req.valid('param').slug);
      if (!campaign) throw new ProblemError('not-found');
      return c.json({ views: (await listPartnerViews(c.var.services.db, campaign.id)).map(viewInfo) }, 200, NO_STORE);
    })
    .openapi(revokeView, async (c) => {
      const { db, clock } = c.var.services;
      const revoked = await revokePartnerView(db, c.req.valid('param').id, c.var.actor, clock());
      if (!revoked) throw new ProblemError('not-found');
      return c.json(viewInfo(revoked), 200, NO_STORE);
    })
    .openapi(partnerView, async (c) => {
      const { db, clock } = c.var.services;
      const now = clock();
      // A person opening the link gets a page; a program (fetch, curl) the JSON.
      const page = /\btext\/html\b/.test(c.req.header('Accept') ?? '');
      const locale = pickLocale(c.req.valid('query').lang, c.req.header('Accept-Language'));
      const view = await findPartnerView(db, c.req.valid('param').token, now);
      if (!view) {
        if (page) return htmlPage(c, renderPartnerNotFound(locale, c.req.path), 404);
        throw new ProblemError('not-found');
      }
      let body = viewCache.get(view.id);
      if (!body || now - body.at >= PARTNER_VIEW_CACHE_MS) {
        const [campaign] = await db.orm
          .select({ slug: campaignsTable.slug, en: campaignsTable.titleEn, sw: campaignsTable.titleSw })
          .from(campaignsTable)
          .where(eq(campaignsTable.id, view.campaignId));
        if (!campaign) throw new ProblemError('not-found');
        body = {
          at: now,
          body: {
            campaign: { slug: campaign.slug, title: { en: campaign.en, sw: campaign.sw } },
            origin: view.origin,
            expiresAt: new Date(view.expiresAt).toISOString(),
            stats: await partnerStats(db, view.campaignId, { origin: view.origin, floorTotals: true }),
          },
        };
        for (const [id, entry] of viewCache) if (now - entry.at >= PARTNER_VIEW_CACHE_MS) viewCache.delete(id);
        viewCache.set(view.id, body);
      }
      const { campaign, origin, expiresAt, stats } = body.body;
      if (page) return htmlPage(c, renderPartnerPage({ locale, path: c.req.path, campaign, origin, expiresAt, figures: stats.origins[0] }), 200);
      return c.json(body.body, 200, NO_STORE);
    });
}

/** A partner page: the hosted pages' CSP, never cached, and no referrer (its URL holds the link's secret). */
function htmlPage(c: Context, body: string, status: 200 | 404) {
  return c.body(body, status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': HOSTED_CSP,
    'Referrer-Policy': 'no-referrer',
    Vary: 'Accept, Accept-Language',
  }) as never;
}
