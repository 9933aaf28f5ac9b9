import { createRoute } from '@hono/zod-openapi';
import { HealthSchema, ReadySchema } from '@imlu/contracts';
import { problemResponses } from '../http/openapi.ts';

export const getHealth = createRoute({
  method: 'get',
  path: '/health',
  tags: ['operations'],
  summary: 'Liveness: the process answers',
  responses: {
    200: { description: 'Alive', content: { 'application/json': { schema: HealthSchema } } },
    ...problemResponses(500),
  },
});

export const getReady = createRoute({
  method: 'get',
  path: '/ready',
  tags: ['operations'],
  summary: 'Readiness: the database answers and every migration is applied',
  responses: {
    200: { description: 'Ready to serve', content: { 'application/json': { schema: ReadySchema } } },
    503: {
      description: 'Not ready; `checks` says which check failed',
      content: { 'application/json': { schema: ReadySchema } },
    },
    ...problemResponses(500),
  },
});
