import { createRoute, z } from '@hono/zod-openapi';

export const getConfirmation = createRoute({
  method: 'get',
  path: '/v1/confirm/{token}',
  tags: ['signatures'],
  summary: 'Confirm a signature from the link in a confirmation e-mail or SMS',
  description:
    'Answers a small bilingual HTML page (English and Kiswahili, the signer\'s language first). The token is signed, ' +
    'expires (7 days) and holds no personal data; the first visit moves the signature from `pending` to counted, ' +
    'later visits change nothing. 404 for an unknown or forged token, 410 for an expired one, 409 when the campaign ' +
    'has closed.',
  request: { params: z.object({ token: z.string().max(200) }) },
  responses: {
    200: { description: 'Confirmed now, or already confirmed', content: { 'text/html': { schema: z.string() } } },
    404: { description: 'Unknown or forged link', content: { 'text/html': { schema: z.string() } } },
    409: { description: 'The campaign no longer accepts signatures', content: { 'text/html': { schema: z.string() } } },
    410: { description: 'The link has expired', content: { 'text/html': { schema: z.string() } } },
  },
});
