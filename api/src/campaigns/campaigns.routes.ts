import { createRoute, z } from '@hono/zod-openapi';
import { AltchaChallengeSchema, CampaignFormSchema, CampaignSchema, CountsSchema, SlugSchema } from '@imlu/contracts';
import { problemResponses } from '../http/openapi.ts';

const params = z.object({
  slug: SlugSchema.meta({ example: 'justice-for-survivors' }),
});

const cacheHeaders = {
  'Cache-Control': { schema: { type: 'string' as const }, description: 'public, max-age=…, stale-while-revalidate=60, stale-if-error=86400' },
  ETag: { schema: { type: 'string' as const }, description: 'Strong validator; send it back in If-None-Match' },
};

const ifNoneMatch = z.object({
  'if-none-match': z.string().optional().meta({ description: 'ETag of a cached copy; answered with 304 if still current' }),
});

export const getCampaign = createRoute({
  method: 'get',
  path: '/{slug}',
  tags: ['campaigns'],
  summary: 'A published campaign with its demands, targets and counts',
  request: { params, headers: ifNoneMatch },
  responses: {
    200: { description: 'The campaign', headers: cacheHeaders, content: { 'application/json': { schema: CampaignSchema } } },
    304: { description: 'Not modified since the ETag in If-None-Match', headers: cacheHeaders },
    ...problemResponses(404, 500),
  },
});

export const getCampaignForm = createRoute({
  method: 'get',
  path: '/{slug}/form',
  tags: ['campaigns'],
  summary: 'A published campaign as the petition widget shows it before anyone signs',
  description: 'The campaign without `body` and `targets`, which the widget does not show: fewer bytes before the form on a slow link.',
  request: { params, headers: ifNoneMatch },
  responses: {
    200: { description: 'The campaign, without its long text and targets', headers: cacheHeaders, content: { 'application/json': { schema: CampaignFormSchema } } },
    304: { description: 'Not modified since the ETag in If-None-Match', headers: cacheHeaders },
    ...problemResponses(404, 500),
  },
});

export const getFirstPaint = createRoute({
  method: 'get',
  path: '/{slug}/first-paint',
  tags: ['campaigns'],
  summary: "The petition widget's first paint, rendered on the server",
  description:
    'The markup of `<imlu-petition>`\'s shadow root (its styles, the campaign and the form) in one language, followed by the form view of the campaign as JSON in a `<script type="application/json">`. embed.js shows it while the element\'s code is not loaded; the element takes it over on the first interaction. A pledge campaign\'s paint has its actions. 204 when the campaign is not open for signing now: the widget then renders itself.',
  request: {
    params,
    query: z.object({ lang: z.enum(['en', 'sw']).optional().meta({ description: 'Language of the text (default en)' }) }),
    headers: ifNoneMatch,
  },
  responses: {
    200: { description: 'The first paint', headers: cacheHeaders, content: { 'text/html': { schema: z.string() } } },
    204: { description: 'Nothing to paint: the widget renders itself', headers: cacheHeaders },
    304: { description: 'Not modified since the ETag in If-None-Match', headers: cacheHeaders },
    ...problemResponses(404, 422, 500),
  },
});

export const getCounts = createRoute({
  method: 'get',
  path: '/{slug}/counts',
  tags: ['campaigns'],
  summary: 'Signature counts, total and per county',
  description:
    'Served from an in-memory snapshot, never a COUNT(*). A committed signature shows within about a second. Cacheable by browsers and CDNs.',
  request: { params, headers: ifNoneMatch },
  responses: {
    200: { description: 'Current counts', headers: cacheHeaders, content: { 'application/json': { schema: CountsSchema } } },
    304: { description: 'Not modified since the ETag in If-None-Match', headers: cacheHeaders },
    ...problemResponses(404, 500),
  },
});

export const getChallenge = createRoute({
  method: 'get',
  path: '/{slug}/challenge',
  tags: ['signatures'],
  summary: 'A proof-of-work challenge (ALTCHA) for signing this campaign',
  description:
    'For campaigns whose `challenge` is `altcha`: the widget fetches one on the first interaction with the form, solves it ' +
    'in the background (SHA-256, on average `maxnumber / 2` hashes) and sends the base64 solution as `altcha` with the ' +
    'signature. A challenge is HMAC-signed with a key of this campaign (it solves this campaign only), expires after ' +
    '10 minutes and is accepted once (a retry with the same ' +
    '`Idempotency-Key` is not a replay). Never cached.',
  request: { params },
  responses: {
    200: {
      description: 'A fresh challenge',
      headers: { 'Cache-Control': { schema: { type: 'string' as const }, description: 'no-store' } },
      content: { 'application/json': { schema: AltchaChallengeSchema } },
    },
    ...problemResponses(404, 500),
  },
});
