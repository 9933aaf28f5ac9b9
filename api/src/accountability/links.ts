/**
 * Response links: `/r/<token>` lets one duty bearer state its own position on one campaign's demands.
 *
 * - The token is 32 random bytes (256 bits, base64url): not guessable, and only its SHA-256 is stored, so
 *   a copy of the database holds no working link. The full link is shown once, when it is issued.
 * - A link works until it expires (default 30 days) or is revoked. It is NOT single-use: the target may
 *   come back and update its position (each submission appends new entries, so earlier ones stay in the
 *   public history). Revoking stops it at once.
 * - The token sits in the URL path, so the page sends `Referrer-Policy: no-referrer`, and the request log
 *   records the route pattern (`/r/:token`), never the path.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { responseLinks } from '../db/schema.ts';

export const RESPONSE_LINK_TTL_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function hashLinkToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export interface IssuedLink {
  id: string;
  token: string;
  expiresAt: number;
}

export async function issueResponseLink(
  db: Db,
  input: { campaignId: string; targetId: string; createdBy: string; now: number; ttlDays?: number },
): Promise<IssuedLink> {
  const token = randomBytes(32).toString('base64url');
  const id = randomUUID();
  const expiresAt = input.now + (input.ttlDays ?? RESPONSE_LINK_TTL_DAYS) * DAY_MS;
  await db.orm.insert(responseLinks).values({
    id,
    campaignId: input.campaignId,
    targetId: input.targetId,
    tokenHash: hashLinkToken(token),
    createdBy: input.createdBy,
    createdAt: input.now,
    expiresAt,
  });
  return { id, token, expiresAt };
}

export type LinkLookup =
  | { state: 'valid'; link: typeof responseLinks.$inferSelect }
  | { state: 'expired' | 'revoked' | 'unknown' };

export async function findResponseLink(db: Db, token: string, now: number): Promise<LinkLookup> {
  // A malformed token is not looked up at all.
  if (!TOKEN_PATTERN.test(token)) return { state: 'unknown' };
  const [link] = await db.orm.select().from(responseLinks).where(eq(responseLinks.tokenHash, hashLinkToken(token))).limit(1);
  if (!link) return { state: 'unknown' };
  if (link.revokedAt !== null) return { state: 'revoked' };
  if (link.expiresAt <= now) return { state: 'expired' };
  return { state: 'valid', link };
}

/** Revokes a link of this campaign; false if there is no such link. Revoking twice keeps the first time. */
export async function revokeResponseLink(db: Db, campaignId: string, linkId: string, now: number): Promise<boolean> {
  const [link] = await db.orm
    .select({ id: responseLinks.id })
    .from(responseLinks)
    .where(and(eq(responseLinks.id, linkId), eq(responseLinks.campaignId, campaignId)))
    .limit(1);
  if (!link) return false;
  await db.orm
    .update(responseLinks)
    .set({ revokedAt: now })
    .where(and(eq(responseLinks.id, linkId), isNull(responseLinks.revokedAt)));
  return true;
}
