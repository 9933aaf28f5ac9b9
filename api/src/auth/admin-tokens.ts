/** Creating and revoking admin tokens, each with its audit entry in the same transaction (CLI and HTTP). */
import { and, eq, isNull } from 'drizzle-orm';
import { auditInsert } from '../audit/audit.ts';
import type { Db } from '../db/client.ts';
import { adminTokens } from '../db/schema.ts';
import type { Actor } from './actor.ts';
import type { Scope } from './scopes.ts';
import { findToken, holdsAll, newTokenRow, type TokenInfo } from './tokens.ts';

/** Creates a token; the returned `token` is the only time it exists in clear. */
export async function createAdminToken(
  db: Db,
  input: { name: string; scopes: readonly Scope[]; actor: Actor; now?: number },
): Promise<{ token: string; info: TokenInfo }> {
  const now = input.now ?? Date.now();
  const { token, row, info } = newTokenRow({ name: input.name, scopes: input.scopes, createdBy: input.actor, now });
  await db.orm.batch([
    db.orm.insert(adminTokens).values(row),
    auditInsert(db.orm, {
      actor: input.actor,
      action: 'token.created',
      subject: row.id,
      at: now,
      details: { name: input.name, scopes: [...info.scopes] },
    }),
  ]);
  return { token, info };
}

/**
 * Revokes a token (idempotent). Undefined when no such token exists or, with `within`, when the token holds
 * a scope outside it (the caller cannot see it either: `listTokens`).
 */
export async function revokeAdminToken(
  db: Db,
  id: string,
  actor: Actor,
  now: number = Date.now(),
  within?: ReadonlySet<Scope>,
): Promise<TokenInfo | undefined> {
  const existing = await findToken(db, id);
  if (!existing || (within && !holdsAll(within, existing.scopes))) return undefined;
  if (existing.revokedAt !== null) return existing;
  await db.orm.batch([
    db.orm.update(adminTokens).set({ revokedAt: now }).where(and(eq(adminTokens.id, id), isNull(adminTokens.revokedAt))),
    auditInsert(db.orm, { actor, action: 'token.revoked', subject: id, at: now, details: { name: existing.name } }),
  ]);
  return { ...existing, revokedAt: now };
}
