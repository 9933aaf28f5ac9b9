import { createRoute, z } from '@hono/zod-openapi';
import { ConfirmRequestSchema, ConfirmResponseSchema, SlugSchema } from '@imlu/contracts';
import { limitBody } from '../http/body-limit.ts';
import { problemResponses } from '../http/openapi.ts';
import { requireJson } from '../http/validation.ts';
import { loadOpenCampaign } from '../signatures/signatures.handlers.ts';

export const postConfirmation = createRoute({
  method: 'post',
  path: '/{slug}/confirmations',
  tags: ['signatures'],
  summary: 'Confirm a signature with the 6-digit code sent by SMS',
  description:
    'Send the `handle` from the sign response and the `code` from the SMS. A right code counts the signature (again: ' +
    'harmless). A wrong code, or a handle that names nothing confirmable, is the same 422 (`errors[0].path` = `code`). ' +
    'Each signature allows 5 tries in all; after that 429 `rate-limited` — the link in the SMS still works.',
  middleware: [limitBody(2048), requireJson, loadOpenCampaign] as const,
  request: {
    params: z.object({ slug: SlugSchema }),
    body: { required: true, content: { 'application/json': { schema: ConfirmRequestSchema } } },
  },
  responses: {
    200: { description: 'Confirmed: the signature counts', content: { 'application/json': { schema: ConfirmResponseSchema } } },
    ...problemResponses(400, 403, 404, 409, 413, 415, 422, 429, 500, 503),
  },
});
