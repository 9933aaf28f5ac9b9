/**
 * Console roles and the admin scopes each one holds. The one place the mapping lives: the console, the CLI,
 * the admin API (a session holds its role's scopes) and docs/console.md all read it from here.
 *
 * | role         | scopes                                                                     |
 * |--------------|----------------------------------------------------------------------------|
 * | `admin`      | every scope                                                                |
 * | `campaigner` | campaigns:read, campaigns:write, accountability:write, signatures:export, audit:read |
 * | `moderator`  | campaigns:read, moderation, audit:read                                     |
 * | `viewer`     | campaigns:read                                                             |
 *
 * A role's scopes are read when a request arrives, never stored with the session: changing this table (or
 * a staff member's role) takes effect on their next request.
 */
import { SCOPES, type Scope } from '../auth/scopes.ts';

export const ROLES = ['admin', 'campaigner', 'moderator', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_SCOPES: Readonly<Record<Role, readonly Scope[]>> = {
  admin: SCOPES,
  campaigner: ['campaigns:read', 'campaigns:write', 'accountability:write', 'signatures:export', 'audit:read'],
  moderator: ['campaigns:read', 'moderation', 'audit:read'],
  viewer: ['campaigns:read'],
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function scopesOf(role: Role): ReadonlySet<Scope> {
  return new Set(ROLE_SCOPES[role]);
}

/**
 * The console's views and the scope each needs (`undefined`: none beyond being signed in). The console shows
 * only the views a staff member's scopes allow; the API refuses the rest anyway.
 */
export const CONSOLE_VIEWS = [
  { id: 'campaigns', scope: 'campaigns:read' },
  { id: 'duty-bearers', scope: 'accountability:write' },
  { id: 'numbers', scope: 'campaigns:read' },
  { id: 'partners', scope: 'campaigns:read' },
  { id: 'moderation', scope: 'moderation' },
  { id: 'exports', scope: 'signatures:export' },
  { id: 'audit', scope: 'audit:read' },
  { id: 'tokens', scope: 'tokens:admin' },
] as const satisfies readonly { id: string; scope: Scope }[];

export type ConsoleViewId = (typeof CONSOLE_VIEWS)[number]['id'];

export function viewsFor(scopes: ReadonlySet<Scope>): ConsoleViewId[] {
  return CONSOLE_VIEWS.filter((view) => scopes.has(view.scope)).map((view) => view.id);
}
