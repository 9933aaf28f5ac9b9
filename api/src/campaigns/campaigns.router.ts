import { createRouter } from '../http/openapi.ts';
import { getCampaignFormHandler, getCampaignHandler, getChallengeHandler, getCountsHandler, getFirstPaintHandler } from './campaigns.handlers.ts';
import { getCampaign, getCampaignForm, getChallenge, getCounts, getFirstPaint } from './campaigns.routes.ts';

/**
 * Public reads of a campaign, mounted at `/v1/campaigns`. Documented from the route definitions, served by
 * plain handlers that check the slug themselves (see `slugParam`).
 */
export function campaignsRouter() {
  const router = createRouter();
  for (const route of [getCampaign, getCampaignForm, getFirstPaint, getCounts, getChallenge]) router.openAPIRegistry.registerPath(route);
  router.get('/:slug', getCampaignHandler);
  router.get('/:slug/form', getCampaignFormHandler);
  router.get('/:slug/first-paint', getFirstPaintHandler);
  router.get('/:slug/counts', getCountsHandler);
  router.get('/:slug/challenge', getChallengeHandler);
  return router;
}
