import { createRoute, z } from '@hono/zod-openapi';
import { ConfirmRequestSchema, ConfirmResponseSchema, ResendCodeRequestSchema, ResendCodeResponseSchema, SlugSchema } from '@imlu/contracts';
import { perSourceLimit } from '../abuse/rate-limit.ts';
import { limitBody } from '../http/body-limit.ts';
import { requireCustomHeaderFromBrowsers } from '../http/cors.ts';
import { problemResponses } from '../http/openapi.ts';
import { requireJson } from '../http/validation.ts';
import { loadOpenCampaign } from '../signatures/signatures.handlers.ts';

export const postConfirmation = createRoute({
  method: 'post',
  path: '/{slug}/confirmations',
  tags: ['signatures'],
  summary: 'Confirm a signature with the 6-digit code sent by SMS',
  description:
    'Send the `handle` from the sign response and the `code` from the SMS. A right code confirms exactly the version that handle ' +
    'names (again: harmless). A wrong code, a handle that names nothing confirmable, or a code for details that a later ' +
    'submission replaced are the same 422 (`errors[0].path` = `code`). Each code allows 5 tries, and each source 10 tries in ' +
    '10 minutes; then 429 `rate-limited` — ask for a new code (`…/confirmations/resend`), or use the link in the SMS.',
  middleware: [
    requireCustomHeaderFromBrowsers,
    perSourceLimit('sms-code', (services) => services.codeLimiter),
    limitBody(2048),
    requireJson,
    loadOpenCampaign,
  ] as const,
  request: {
    params: z.object({ slug: SlugSchema }),
    body: { required: true, content: { 'application/json': { schema: ConfirmRequestSchema } } },
  },
  responses: {
    200: { description: 'Confirmed: counted, or held for review', content: { 'application/json': { schema: ConfirmResponseSchema } } },
    ...problemResponses(400, 403, 404, 409, 413, 415, 422, 429, 500, 503),
  },
});

export const postResend = createRoute({
  method: 'post',
  path: '/{slug}/confirmations/resend',
  tags: ['signatures'],
  summary: 'Send a new SMS code for a signature',
  description:
    'Send the `handle` from the sign response. A new code goes by SMS to the number that signed; the old code stops working and ' +
    'the 5 tries start again. The answer is the same `202` whether or not a message went out (none goes to a number that has ' +
    'already confirmed, whose details were replaced, or that had 5 confirmation messages in the last 24 hours). At most 5 new ' +
    'codes per signature and 5 requests per source in 10 minutes; then 429 `rate-limited` with `Retry-After` when known.',
  middleware: [
    requireCustomHeaderFromBrowsers,
    perSourceLimit('sms-code-resend', (services) => services.resendLimiter),
    limitBody(2048),
    requireJson,
    loadOpenCampaign,
  ] as const,
  request: {
    params: z.object({ slug: SlugSchema }),
    body: { required: true, content: { 'application/json': { schema: ResendCodeRequestSchema } } },
  },
  responses: {
    202: { description: 'Queued (or nothing to send: the same answer)', content: { 'application/json': { schema: ResendCodeResponseSchema } } },
    ...problemResponses(400, 403, 404, 409, 413, 415, 422, 429, 500, 503),
  },
});
