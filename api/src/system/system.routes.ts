import { createRoute, z } from '@hono/zod-openapi';
import { HealthSchema, ProblemSchema, ReadySchema } from '@imlu/contracts';
import { problemResponses } from '../http/openapi.ts';

export const getHealth = createRoute({
  method: 'get',
  path: '/health',
  tags: ['operations'],
  summary: 'Liveness: the process answers (no database access, no lock)',
  responses: {
    200: { description: 'Alive', content: { 'application/json': { schema: HealthSchema } } },
    ...problemResponses(500),
  },
});

/** The 503 of `/ready`: a problem (type `urn:imlu:problem:unavailable`) that also says which check failed. */
export const NotReadySchema = ProblemSchema.extend({
  checks: z.record(z.string(), z.boolean()).meta({
    description: '`database`, `migrations`, `writes` (a signature would be written now), `accepting` (not stopping); false = failed',
  }),
}).meta({ id: 'NotReady' });

export const getReady = createRoute({
  method: 'get',
  path: '/ready',
  tags: ['operations'],
  summary: 'Readiness: the database answers, every migration is applied, writes get through, and the server is not stopping',
  description:
    'For load balancers. While signatures flow, `writes` follows the signature writer (its last transaction committed or ' +
    'failed: a full disk, another process holding the write lock); when none flow it is a small committed write, at most ' +
    'once a second. A node that fails is put back as soon as a write gets through again, with or without traffic.',
  responses: {
    200: { description: 'Ready to serve', content: { 'application/json': { schema: ReadySchema } } },
    503: {
      description: 'Not ready (`unavailable`); `checks` says which check failed',
      content: { 'application/problem+json': { schema: NotReadySchema } },
    },
    ...problemResponses(500),
  },
});
