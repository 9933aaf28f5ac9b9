import type { Campaign } from '@imlu/contracts';
import type { Context } from 'hono';
import { campaignTargets } from '../accountability/board.ts';
import type { AppBindings, AppRouteHandler } from '../http/context.ts';
import { notModified, strongEtag } from '../http/etag.ts';
import { ProblemError } from '../http/problem.ts';
import type { getCampaign, getChallenge, getCounts } from './campaigns.routes.ts';
import type { CampaignRecord } from './store.ts';

/** A published campaign, or a 404. Drafts do not exist as far as the public API is concerned. */
async function publishedCampaign(c: Context<AppBindings>, slug: string): Promise<CampaignRecord> {
  const campaign = await c.var.services.campaigns.findBySlug(slug);
  if (!campaign || campaign.status === 'draft') throw new ProblemError('not-found');
  return campaign;
}

function cacheHeaders(c: Context<AppBindings>, etag: string): Record<string, string> {
  const maxAge = c.var.services.countsMaxAge;
  return {
    ETag: etag,
    // A counter a few seconds old is fine; a counter that is down is not: serve stale on errors for a day.
    'Cache-Control': `public, max-age=${maxAge}, stale-while-revalidate=60, stale-if-error=86400`,
  };
}

function respondCacheable(c: Context<AppBindings>, body: string, etag: string): Response {
  const headers = cacheHeaders(c, etag);
  if (notModified(c.req.header('If-None-Match'), etag)) return c.body(null, 304, headers);
  return c.body(body, 200, { ...headers, 'Content-Type': 'application/json' });
}

export const getCampaignHandler: AppRouteHandler<typeof getCampaign> = async (c) => {
  const { slug } = c.req.valid('param');
  const campaign = await publishedCampaign(c, slug);
  const { counts } = c.var.services.counts.view(campaign.id, campaign.goal, campaign.createdAt);
  const board = await c.var.services.accountability.board(campaign.id);
  const body: Campaign = {
    slug: campaign.slug,
    kind: campaign.kind,
    title: campaign.title,
    summary: campaign.summary,
    body: campaign.body,
    demands: campaign.demands,
    targets: campaignTargets(board),
    goal: campaign.goal,
    status: campaign.status,
    opensAt: campaign.opensAt === null ? null : new Date(campaign.opensAt).toISOString(),
    closesAt: campaign.closesAt === null ? null : new Date(campaign.closesAt).toISOString(),
    requiresVerification: campaign.verification !== 'none',
    verification: campaign.verification,
    consentVersion: campaign.consentVersion,
    challenge: campaign.challenge,
    counts,
    milestones: board.milestones.map((m) => ({
      threshold: m.threshold,
      label: m.label,
      reachedAt: m.reachedAt === null ? null : new Date(m.reachedAt).toISOString(),
    })),
  };
  const json = JSON.stringify(body);
  return respondCacheable(c, json, strongEtag(json));
};

export const getCountsHandler: AppRouteHandler<typeof getCounts> = async (c) => {
  const { slug } = c.req.valid('param');
  const campaign = await publishedCampaign(c, slug);
  const { counts, etag } = c.var.services.counts.view(campaign.id, campaign.goal, campaign.createdAt);
  return respondCacheable(c, JSON.stringify(counts), etag);
};

export const getChallengeHandler: AppRouteHandler<typeof getChallenge> = async (c) => {
  const { slug } = c.req.valid('param');
  const campaign = await publishedCampaign(c, slug);
  return c.json(await c.var.services.altcha.challenge(campaign.id), 200, { 'Cache-Control': 'no-store' });
};
