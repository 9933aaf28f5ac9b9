import { createRoute, z } from '@hono/zod-openapi';
import { SignRequestSchema, SignResponseSchema, SlugSchema } from '@imlu/contracts';
import { problemResponses } from '../http/openapi.ts';
import { limitBody } from '../http/body-limit.ts';
import { requireJson } from '../http/validation.ts';
import { hardRateLimit } from '../abuse/rate-limit.ts';
import { requireCustomHeaderFromBrowsers } from '../http/cors.ts';
import { loadOpenCampaign } from './signatures.handlers.ts';

/** Cheap refusals first: rate, origin, size, media type, then the campaign; parsing and validation come after. */
export const signingGates = () => [
  hardRateLimit,
  requireCustomHeaderFromBrowsers,
  limitBody(MAX_BODY_BYTES),
  requireJson,
  loadOpenCampaign,
] as const;

/** A signature is a few hundred bytes; 16 KB leaves room for long names and comments, not for abuse. */
export const MAX_BODY_BYTES = 16 * 1024;

/**
 * The documentation of the signing route. It is served by a plain handler (`signatures.router.ts`), not
 * through zod-openapi's validator: validation belongs to `sign()`, the one signing path every channel shares.
 */
export const postSignature = createRoute({
  method: 'post',
  path: '/{slug}/signatures',
  tags: ['signatures'],
  summary: 'Sign a campaign',
  description:
    'The answer for a new signature and for a duplicate (same e-mail or phone) is identical: the API never reveals whether someone already signed. ' +
    'Send an `Idempotency-Key` to make retries safe: a retry returns the stored answer.',
  request: {
    params: z.object({ slug: SlugSchema.meta({ example: 'justice-for-survivors' }) }),
    headers: z.object({
      'idempotency-key': z
        .string()
        .min(1, { error: 'too_short' })
        .max(200, { error: 'too_long' })
        .optional()
        .meta({ description: 'Any unique string (1–200 characters), e.g. a UUID made once per sign attempt' }),
    }),
    body: { required: true, content: { 'application/json': { schema: SignRequestSchema } } },
  },
  responses: {
    201: {
      description: 'Counted (campaigns without verification)',
      content: { 'application/json': { schema: SignResponseSchema } },
    },
    202: {
      description: 'Accepted, pending verification by e-mail or SMS',
      content: { 'application/json': { schema: SignResponseSchema } },
    },
    ...problemResponses(400, 403, 404, 409, 413, 415, 422, 429, 500, 503),
  },
});
