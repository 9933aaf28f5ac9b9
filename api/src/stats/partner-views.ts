/**
 * A partner's read-only view of its own figures: `imlu partner-view create --campaign … --origin https://…`
 * prints `<public base>/v1/partner-stats/<token>`, which answers the partner figures of that campaign for
 * that origin only (floored as `partnerStats` says), as JSON, until it expires or is revoked.
 *
 * The token (`imlu_pv_<43 base64url chars>`, 256 random bits) is shown once; only its SHA-256 is stored.
 * It sits in the URL's path, so the request log, which logs route patterns only, writes
 * `/v1/partner-stats/:token` (http/request-log.ts). Creating and revoking are audited.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { auditInsert } from '../audit/audit.ts';
import type { Actor } from '../auth/actor.ts';
import type { Db } from '../db/client.ts';
import { partnerViews } from '../db/schema.ts';

export const PARTNER_VIEW_PREFIX = 'imlu_pv_';
export const PARTNER_VIEW_DAYS = 180;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface PartnerViewInfo {
  id: string;
  campaignId: string;
  origin: string;
  label: string | null;
  createdBy: string;
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
}

const hash = (token: string) => createHash('sha256').update(token, 'utf8').digest();

/** Why an origin cannot be a partner's, or undefined: exactly what browsers send as `Origin` (scheme, host, port). */
export function partnerOriginProblem(origin: string): string | undefined {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http(s) origin';
  if (url.origin !== origin) return `must be an origin only, as browsers send it: ${url.origin}`;
  return undefined;
}

export async function createPartnerView(
  db: Db,
  input: { campaignId: string; origin: string; label?: string | null; days?: number; actor: Actor; now: number },
): Promise<{ info: PartnerViewInfo; token: string }> {
  const token = `${PARTNER_VIEW_PREFIX}${randomBytes(32).toString('base64url')}`;
  const info: PartnerViewInfo = {
    id: randomUUID(),
    campaignId: input.campaignId,
    origin: input.origin,
    label: input.label ?? null,
    createdBy: input.actor.id,
    createdAt: input.now,
    expiresAt: input.now + (input.days ?? PARTNER_VIEW_DAYS) * DAY_MS,
    revokedAt: null,
  };
  await db.orm.batch([
    db.orm.insert(partnerViews).values({ ...info, tokenHash: hash(token) }),
    auditInsert(db.orm, {
      actor: input.actor,
      action: 'partner-view.created',
      campaignId: input.campaignId,
      subject: info.id,
      at: input.now,
      details: { origin: info.origin, expiresAt: new Date(info.expiresAt).toISOString() },
    }),
  ]);
  return { info, token };
}

export async function listPartnerViews(db: Db, campaignId?: string): Promise<PartnerViewInfo[]> {
  const rows = await db.orm
    .select()
    .from(partnerViews)
    .where(campaignId ? eq(partnerViews.campaignId, campaignId) : undefined)
    .orderBy(partnerViews.createdAt);
  return rows.map(({ tokenHash: _, ...info }) => info);
}

/** Revokes a view at once; undefined when there is no such view still active. */
export async function revokePartnerView(db: Db, id: string, actor: Actor, now: number): Promise<PartnerViewInfo | undefined> {
  const [row] = await db.orm.select().from(partnerViews).where(and(eq(partnerViews.id, id), isNull(partnerViews.revokedAt)));
  if (!row) return undefined;
  await db.orm.batch([
    db.orm.update(partnerViews).set({ revokedAt: now }).where(eq(partnerViews.id, id)),
    auditInsert(db.orm, { actor, action: 'partner-view.revoked', campaignId: row.campaignId, subject: id, at: now, details: { origin: row.origin } }),
  ]);
  const { tokenHash: _, ...info } = row;
  return { ...info, revokedAt: now };
}

/** The active view a token opens, or undefined (unknown, revoked, expired: all alike). */
export async function findPartnerView(db: Db, token: string, now: number): Promise<PartnerViewInfo | undefined> {
  if (!token.startsWith(PARTNER_VIEW_PREFIX) || token.length > 100) return undefined;
  const [row] = await db.orm.select().from(partnerViews).where(eq(partnerViews.tokenHash, hash(token)));
  if (!row || row.revokedAt !== null || row.expiresAt <= now) return undefined;
  const { tokenHash: _, ...info } = row;
  return info;
}

export function partnerViewUrl(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl.replace(/\/$/, '')}/v1/partner-stats/${token}`;
}
