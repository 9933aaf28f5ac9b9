import { createRouter } from '../http/openapi.ts';
import { getCampaignHandler, getChallengeHandler, getCountsHandler } from './campaigns.handlers.ts';
import { getCampaign, getChallenge, getCounts } from './campaigns.routes.ts';

/** Public reads of a campaign, mounted at `/v1/campaigns`. */
export function campaignsRouter() {
  return createRouter().openapi(getCampaign, getCampaignHandler).openapi(getCounts, getCountsHandler).openapi(getChallenge, getChallengeHandler);
}
