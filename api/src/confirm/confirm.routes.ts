import { z } from '@hono/zod-openapi';
import { LOCALES } from '@imlu/contracts';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppBindings } from '../http/context.ts';

const HTML = { 'text/html': { schema: z.string() } };

/** The two confirmation-link routes in the OpenAPI document (served by plain handlers: they answer HTML). */
export function documentConfirmationRoutes(router: OpenAPIHono<AppBindings>): void {
  const params = z.object({ token: z.string().max(200) });
  const query = z.object({ lang: z.enum(LOCALES).optional().meta({ description: 'Page language; default: the language the signer signed in' }) });
  router.openAPIRegistry.registerPath({
    method: 'get',
    path: '/v1/confirm/{token}',
    tags: ['signatures'],
    summary: 'The page behind the link in a confirmation e-mail or SMS: what would be confirmed, and a button',
    description:
      'Shows the name, the county and each choice of the signature this link names, in the signer\'s language, and a button ' +
      'that POSTs to the same URL. GET and HEAD change nothing (mail scanners and link previews fetch links). The token holds ' +
      'no personal data and no time; it works for 7 days after the signature was submitted, and only while that version is ' +
      'the current one of its phone number or e-mail address.',
    request: { params, query },
    responses: {
      200: { description: 'The confirmation form, or a page saying it is already confirmed or held for review', content: HTML },
      404: { description: 'Unknown or forged link', content: HTML },
      409: { description: 'The campaign no longer accepts signatures', content: HTML },
      410: { description: 'The link has expired, or a later submission replaced these details', content: HTML },
    },
  });
  router.openAPIRegistry.registerPath({
    method: 'post',
    path: '/v1/confirm/{token}',
    tags: ['signatures'],
    summary: 'Confirm the signature the link names (the button on its page)',
    description:
      'Moves that version from pending to counted exactly once. A phone number that already confirmed `phoneHousehold` names ' +
      'holds this one for review instead. A post from another site is refused.',
    request: {
      params,
      query,
      body: { content: { 'application/x-www-form-urlencoded': { schema: z.object({ lang: z.enum(LOCALES).optional() }) } } },
    },
    responses: {
      200: { description: 'Confirmed (or held for review, or already confirmed)', content: HTML },
      404: { description: 'Unknown or forged link, or a cross-site post', content: HTML },
      409: { description: 'The campaign no longer accepts signatures', content: HTML },
      410: { description: 'The link has expired, or a later submission replaced these details', content: HTML },
    },
  });
}
