/**
 * Campaigner (admin) API tokens.
 *
 * A token is `imlu_at_` + 32 random bytes in base64url. Only its SHA-256 is stored: the token is shown
 * once, when created, and a copy of the database does not let anyone call the API. A plain (unkeyed) hash
 * is enough here because the input has 256 bits of entropy: there is nothing to guess.
 *
 * The `ADMIN_TOKEN` environment variable still works as a bootstrap token with every scope, so a fresh
 * install can create its first named tokens over HTTP, and existing moderation scripts keep working.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { adminTokens } from '../db/schema.ts';
import { BOOTSTRAP_ACTOR, tokenActor, type Actor } from './actor.ts';
import { SCOPES, isScope, type Scope } from './scopes.ts';

export const TOKEN_PREFIX = 'imlu_at_';
const TOKEN_PATTERN = /^imlu_at_[A-Za-z0-9_-]{43}$/;
/** last_used_at is written at most this often per token, so reads do not turn into a write each. */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface TokenInfo {
  id: string;
  name: string;
  scopes: Scope[];
  createdAt: number;
  createdBy: string;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface Principal {
  actor: Actor;
  scopes: ReadonlySet<Scope>;
}

export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

function parseStoredScopes(json: string): Scope[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter(isScope) : [];
}

function toInfo(row: typeof adminTokens.$inferSelect): TokenInfo {
  return {
    id: row.id,
    name: row.name,
    scopes: parseStoredScopes(row.scopes),
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
  };
}

/** The row to insert for a new token, and the token itself (to show once). Insert it with the audit entry. */
export function newTokenRow(input: { name: string; scopes: readonly Scope[]; createdBy: Actor; now: number }) {
  const token = generateToken();
  const row: typeof adminTokens.$inferInsert = {
    id: randomUUID(),
    name: input.name,
    tokenHash: hashToken(token),
    scopes: JSON.stringify([...new Set(input.scopes)]),
    createdAt: input.now,
    createdBy: input.createdBy.id,
  };
  return { token, row, info: toInfo({ ...row, lastUsedAt: null, revokedAt: null } as typeof adminTokens.$inferSelect) };
}

/**
 * True when `held` includes every one of `scopes`. A token manages (creates, sees, revokes) only tokens
 * within its own scopes: a `tokens:admin` token without `signatures:export` must not be able to cut off
 * the exporter, nor learn that it exists.
 */
export function holdsAll(held: ReadonlySet<Scope>, scopes: readonly Scope[]): boolean {
  return scopes.every((scope) => held.has(scope));
}

/** Every token, newest first; with `within`, only those whose scopes all lie within it. */
export async function listTokens(db: Db, within?: ReadonlySet<Scope>): Promise<TokenInfo[]> {
  const rows = await db.orm.select().from(adminTokens).orderBy(desc(adminTokens.createdAt));
  const tokens = rows.map(toInfo);
  return within ? tokens.filter((token) => holdsAll(within, token.scopes)) : tokens;
}

export async function findToken(db: Db, id: string): Promise<TokenInfo | undefined> {
  const [row] = await db.orm.select().from(adminTokens).where(eq(adminTokens.id, id));
  return row ? toInfo(row) : undefined;
}

/**
 * Authenticates bearer tokens: the bootstrap `ADMIN_TOKEN` (every scope) or a stored, unrevoked token.
 * Answers undefined for anything else; callers must not tell "unknown" from "revoked" to the client.
 */
export class AdminAuth {
  readonly #db: Db;
  readonly #bootstrapHash: Buffer | undefined;
  readonly #clock: () => number;

  constructor(db: Db, options: { bootstrapToken?: string | undefined; clock?: () => number } = {}) {
    this.#db = db;
    this.#bootstrapHash = options.bootstrapToken ? hashToken(options.bootstrapToken) : undefined;
    this.#clock = options.clock ?? Date.now;
  }

  async authenticate(bearer: string | undefined): Promise<Principal | undefined> {
    if (!bearer) return undefined;
    const hash = hashToken(bearer);
    if (this.#bootstrapHash && timingSafeEqual(hash, this.#bootstrapHash)) {
      return { actor: BOOTSTRAP_ACTOR, scopes: new Set(SCOPES) };
    }
    if (!TOKEN_PATTERN.test(bearer)) return undefined;
    const [row] = await this.#db.orm.select().from(adminTokens).where(eq(adminTokens.tokenHash, hash));
    if (!row || row.revokedAt !== null) return undefined;
    const now = this.#clock();
    if (row.lastUsedAt === null || row.lastUsedAt < now - LAST_USED_RESOLUTION_MS) {
      await this.#db.client.execute({ sql: 'UPDATE admin_tokens SET last_used_at = ? WHERE id = ?', args: [now, row.id] });
    }
    return { actor: tokenActor(row.id, row.name), scopes: new Set(parseStoredScopes(row.scopes)) };
  }
}
