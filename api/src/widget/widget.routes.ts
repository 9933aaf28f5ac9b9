import { createRoute, z } from '@hono/zod-openapi';
import { problemResponses } from '../http/openapi.ts';

export const getEmbedScript = createRoute({
  method: 'get',
  path: '/embed.js',
  tags: ['widget'],
  summary: 'The widget loader: an ES module that imports the code of each <imlu-*> element on the page',
  description:
    'Load it with `<script type="module" src="…/embed.js">`. Cacheable for 5 minutes, then revalidated by ETag. ' +
    'Sent in brotli or gzip as Accept-Encoding allows (precompressed at build), with the variant\'s own ETag (`"…-br"`, `"…-gz"`). ' +
    'Answers 503 `unavailable` when the bundle has not been built (`pnpm --filter @imlu/widget build`).',
  responses: {
    200: { description: 'The bundle', content: { 'text/javascript': { schema: z.string() } } },
    304: { description: 'Not modified since the ETag in If-None-Match' },
    ...problemResponses(503),
  },
});

export const getWidgetChunk = createRoute({
  method: 'get',
  path: '/chunks/{name}',
  tags: ['widget'],
  summary: 'A lazily loaded part of the widget, e.g. /chunks/imlu-petition-<hash>.js or /chunks/signing-<hash>.js',
  description:
    'embed.js imports these itself (`import("./chunks/…")`): an element\'s code when the page has that element, the signing once the signer touches a form; a page never names them. ' +
    'Sent in brotli or gzip as Accept-Encoding allows (precompressed at build). ' +
    'The name carries a hash of the content, so a chunk is cached for a year (`immutable`) and a release changes the name. ' +
    'Only files the widget build wrote are served: any other name, including any path, is 404 `not-found`.',
  request: { params: z.object({ name: z.string().meta({ example: 'signing-CmWJ3OSc.js' }) }) },
  responses: {
    200: { description: 'The chunk', content: { 'text/javascript': { schema: z.string() } } },
    304: { description: 'Not modified since the ETag in If-None-Match' },
    ...problemResponses(404),
  },
});
