/**
 * `/admin/tokens`: create, list and revoke admin tokens (scope `tokens:admin`). A token manages only tokens
 * within its own scopes: it can grant only scopes it holds (no minting itself more power), and it lists
 * and revokes only tokens whose scopes it all holds; any other token answers 404, as if it did not exist.
 * The bootstrap ADMIN_TOKEN holds every scope. The new token is in the creation response only; it is
 * never readable again.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { createRouter, problemResponses } from '../http/openapi.ts';
import { ProblemError, fieldError } from '../http/problem.ts';
import { requireJson } from '../http/validation.ts';
import { createAdminToken, revokeAdminToken } from './admin-tokens.ts';
import { requireScope } from './require-scope.ts';
import { SCOPES } from './scopes.ts';
import { holdsAll, listTokens } from './tokens.ts';

/** A bearer token, or a console session (cookie + `X-CSRF-Token` on changes): either one. */
export const adminSecurity: Record<string, string[]>[] = [{ adminToken: [] }, { consoleSession: [] }];

const ScopeSchema = z.enum(SCOPES).meta({ id: 'AdminScope' });
const TokenInfoSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    scopes: z.array(ScopeSchema),
    createdAt: z.iso.datetime(),
    createdBy: z.string(),
    lastUsedAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'AdminToken' });

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const view = (t: { id: string; name: string; scopes: (typeof SCOPES)[number][]; createdAt: number; createdBy: string; lastUsedAt: number | null; revokedAt: number | null }) => ({
  ...t,
  createdAt: new Date(t.createdAt).toISOString(),
  lastUsedAt: iso(t.lastUsedAt),
  revokedAt: iso(t.revokedAt),
});

export function tokensRouter() {
  const post = createRoute({
    method: 'post',
    path: '/admin/tokens',
    tags: ['admin'],
    summary: 'Create an admin token (shown once in this response; stored only as its SHA-256)',
    security: adminSecurity,
    middleware: [requireScope('tokens:admin'), requireJson] as const,
    request: {
      body: {
        required: true,
        content: { 'application/json': { schema: z.strictObject({ name: z.string().trim().min(1).max(100), scopes: z.array(ScopeSchema).min(1) }) } },
      },
    },
    responses: {
      201: {
        description: 'The new token: keep `token` now, it cannot be read again',
        content: { 'application/json': { schema: TokenInfoSchema.extend({ token: z.string().meta({ example: 'imlu_at_…' }) }) } },
      },
      ...problemResponses(403, 404, 415, 422),
    },
  });
  const list = createRoute({
    method: 'get',
    path: '/admin/tokens',
    tags: ['admin'],
    summary: 'List the admin tokens within the caller’s own scopes (never their values)',
    security: adminSecurity,
    middleware: [requireScope('tokens:admin')] as const,
    responses: {
      200: { description: 'Tokens, newest first', content: { 'application/json': { schema: z.object({ tokens: z.array(TokenInfoSchema) }) } } },
      ...problemResponses(403, 404),
    },
  });
  const revoke = createRoute({
    method: 'delete',
    path: '/admin/tokens/{id}',
    tags: ['admin'],
    summary: 'Revoke an admin token within the caller’s own scopes; it stops working at once',
    security: adminSecurity,
    middleware: [requireScope('tokens:admin')] as const,
    request: { params: z.object({ id: z.string().min(1).max(64) }) },
    responses: {
      200: { description: 'The revoked token', content: { 'application/json': { schema: TokenInfoSchema } } },
      ...problemResponses(403, 404),
    },
  });

  return createRouter()
    .openapi(post, async (c) => {
      const { name, scopes } = c.req.valid('json');
      const held = c.var.scopes;
      if (!holdsAll(held, scopes)) throw new ProblemError('validation', { errors: [fieldError('scopes', 'invalid')], detail: 'A token can only grant scopes it holds itself.' });
      const { token, info } = await createAdminToken(c.var.services.db, { name, scopes, actor: c.var.actor, now: c.var.services.clock() });
      return c.json({ ...view(info), token }, 201, { 'Cache-Control': 'no-store' });
    })
    .openapi(list, async (c) => {
      const tokens = await listTokens(c.var.services.db, c.var.scopes);
      return c.json({ tokens: tokens.map(view) }, 200, { 'Cache-Control': 'no-store' });
    })
    .openapi(revoke, async (c) => {
      const revoked = await revokeAdminToken(c.var.services.db, c.req.valid('param').id, c.var.actor, c.var.services.clock(), c.var.scopes);
      if (!revoked) throw new ProblemError('not-found');
      return c.json(view(revoked), 200, { 'Cache-Control': 'no-store' });
    });
}

