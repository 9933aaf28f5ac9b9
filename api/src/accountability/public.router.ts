/**
 * `GET /v1/campaigns/:slug/accountability`: the public board. Cached like the counts (ETag, 304), but
 * with `max-age` of at most 5 s: a duty bearer who just answered should see their answer almost at once.
 * Open to every origin (read-only, no credentials), like the other public reads.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { AccountabilitySchema, SlugSchema } from '@imlu/contracts';
import type { Context } from 'hono';
import type { AppBindings } from '../http/context.ts';
import { notModified } from '../http/etag.ts';
import { createRouter, problemResponses } from '../http/openapi.ts';
import { ProblemError } from '../http/problem.ts';

/** Upper bound of the board's `max-age`, whatever COUNTS_MAX_AGE says. */
export const ACCOUNTABILITY_MAX_AGE = 5;

const cacheHeaders = {
  'Cache-Control': { schema: { type: 'string' as const }, description: 'public, max-age≤5, stale-while-revalidate=5, stale-if-error=86400' },
  ETag: { schema: { type: 'string' as const }, description: 'Strong validator; send it back in If-None-Match' },
};

export const getAccountability = createRoute({
  method: 'get',
  path: '/{slug}/accountability',
  tags: ['campaigns'],
  summary: 'Duty bearers asked by the campaign: current position per demand, history, overdue days, milestones',
  description:
    'Per target, the current status of each demand (latest entry; `asked` with none; `not_asked` when the ask does not cover it), ' +
    'the history oldest first, and whether it is overdue (asked, past the due date in Africa/Nairobi time, no response on any asked demand). ' +
    'A recorded position shows within a few seconds.',
  request: {
    params: z.object({ slug: SlugSchema.meta({ example: 'justice-for-survivors' }) }),
    headers: z.object({ 'if-none-match': z.string().optional() }),
  },
  responses: {
    200: { description: 'The board', headers: cacheHeaders, content: { 'application/json': { schema: AccountabilitySchema } } },
    304: { description: 'Not modified since the ETag in If-None-Match', headers: cacheHeaders },
    ...problemResponses(404, 500),
  },
});

export function boardCacheControl(c: Context<AppBindings>): string {
  const maxAge = Math.min(c.var.services.countsMaxAge, ACCOUNTABILITY_MAX_AGE);
  return `public, max-age=${maxAge}, stale-while-revalidate=${ACCOUNTABILITY_MAX_AGE}, stale-if-error=86400`;
}

export function accountabilityRouter() {
  return createRouter().openapi(getAccountability, async (c) => {
    const { slug } = c.req.valid('param');
    const campaign = await c.var.services.campaigns.findBySlug(slug);
    if (!campaign || campaign.status === 'draft') throw new ProblemError('not-found');
    const { json, etag } = await c.var.services.accountability.view(campaign);
    const headers = { ETag: etag, 'Cache-Control': boardCacheControl(c) };
    if (notModified(c.req.header('If-None-Match'), etag)) return c.body(null, 304, headers);
    return c.body(json, 200, { ...headers, 'Content-Type': 'application/json' }) as never;
  });
}
