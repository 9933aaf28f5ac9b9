import { createRoute, z } from '@hono/zod-openapi';
import { problemResponses } from '../http/openapi.ts';

export const getEmbedScript = createRoute({
  method: 'get',
  path: '/embed.js',
  tags: ['widget'],
  summary: 'The widget bundle: one ES module that defines <imlu-petition> and <imlu-counter>',
  description:
    'Load it with `<script type="module" src="…/embed.js">`. Cacheable for 5 minutes, then revalidated by ETag. ' +
    'Answers 503 `unavailable` when the bundle has not been built (`pnpm --filter @imlu/widget build`).',
  responses: {
    200: { description: 'The bundle', content: { 'text/javascript': { schema: z.string() } } },
    304: { description: 'Not modified since the ETag in If-None-Match' },
    ...problemResponses(503),
  },
});
