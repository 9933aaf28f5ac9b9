/** `POST /admin/signatures/{id}/strike`: strike a signature out of exports, or put it back (scope `moderation`). */
import { createRoute, z } from '@hono/zod-openapi';
import { requireScope } from '../auth/require-scope.ts';
import { adminSecurity } from '../auth/tokens.router.ts';
import { createRouter, problemResponses } from '../http/openapi.ts';
import { ProblemError } from '../http/problem.ts';
import { requireJson } from '../http/validation.ts';
import { strikeSignature } from './strike.ts';

export function strikeRouter() {
  const route = createRoute({
    method: 'post',
    path: '/admin/signatures/{id}/strike',
    tags: ['admin'],
    summary: 'Strike a signature out of every export (it still counts), or put it back with `undo`',
    security: adminSecurity,
    middleware: [requireScope('moderation'), requireJson] as const,
    request: {
      params: z.object({ id: z.string().min(1).max(64) }),
      body: {
        required: true,
        content: { 'application/json': { schema: z.strictObject({ reason: z.string().trim().min(1).max(200), undo: z.boolean().default(false) }) } },
      },
    },
    responses: {
      200: { description: 'The new state', content: { 'application/json': { schema: z.object({ struck: z.boolean(), changed: z.boolean() }) } } },
      ...problemResponses(403, 404, 415, 422),
    },
  });
  return createRouter().openapi(route, async (c) => {
    const body = c.req.valid('json');
    const result = await strikeSignature(c.var.services.db, { signatureId: c.req.valid('param').id, reason: body.reason, undo: body.undo, actor: c.var.actor, now: c.var.services.clock() });
    if (!result) throw new ProblemError('not-found');
    return c.json({ struck: result.struck, changed: result.changed }, 200, { 'Cache-Control': 'no-store' });
  });
}
