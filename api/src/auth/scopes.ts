/**
 * Scopes of campaigner (admin) tokens. A token carries a list of them; each admin route requires one.
 * Names are part of the operator-facing contract (tokens are created with them): add, never rename.
 */
export const SCOPES = [
  'campaigns:read',
  'campaigns:write',
  'signatures:export',
  'moderation',
  'accountability:write',
  'audit:read',
  'tokens:admin',
  'webhooks:write',
] as const;

export type Scope = (typeof SCOPES)[number];

export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && (SCOPES as readonly string[]).includes(value);
}

/**
 * Parses `a,b,c` (as the CLI takes it) or an array. Throws a message naming the unknown scopes. `all` or
 * `*` stands for every scope.
 */
export function parseScopes(input: string | readonly string[]): Scope[] {
  const items = (typeof input === 'string' ? input.split(',') : [...input]).map((s) => s.trim()).filter(Boolean);
  if (items.some((s) => s === 'all' || s === '*')) return [...SCOPES];
  const unknown = items.filter((s) => !isScope(s));
  if (unknown.length) throw new Error(`unknown scope(s): ${unknown.join(', ')}; known: ${SCOPES.join(', ')}`);
  if (!items.length) throw new Error(`give at least one scope; known: ${SCOPES.join(', ')}`);
  return [...new Set(items as Scope[])];
}
