/**
 * Webhooks: per campaign, a URL and a signing secret, and the events it wants.
 *
 * Events
 * - `signature.confirmed`: a signature became counted (at signing when the campaign needs no
 *   confirmation, else when the signer confirmed). Queued by database triggers (`src/db/sql/triggers/signature_counted_webhook_*.sql`) in the
 *   same transaction, so a counted signature is never missed and never sent twice by a crash before commit.
 * - `pledge.status_changed`: a pledge (a duty bearer's position) changed status. Defined here; the
 *   accountability API queues it with `enqueueWebhookEvent` in the transaction that records the change.
 * - `moderation.flood`: a source or e-mail domain began to send an unusual share of a campaign's signatures
 *   (`src/moderation/flood-alerts.ts`), once per episode: its keyed-hash prefix, count and share, for staff.
 *
 * Delivery goes through the outbox (kind `webhook`) with its retries and backoff. Each request is signed:
 * `X-IMLU-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
 *
 * The secret (`whsec_…`) is shown once at creation and stored as an AES-GCM envelope (it must be readable
 * to sign). URLs must be https (http only for loopback, for development and tests); in production the host
 * must be and resolve to public addresses only, checked at creation and at every delivery (targets.ts).
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { auditInsert } from '../audit/audit.ts';
import type { Actor } from '../auth/actor.ts';
import type { Db, Orm } from '../db/client.ts';
import { outbox, webhooks } from '../db/schema.ts';
import type { FieldCrypto } from '../signing/crypto.ts';

export const WEBHOOK_EVENTS = ['signature.confirmed', 'pledge.status_changed', 'moderation.flood'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const SIGNATURE_HEADER = 'X-IMLU-Signature';

export interface WebhookInfo {
  id: string;
  campaignId: string;
  url: string;
  events: WebhookEvent[];
  createdAt: number;
}

/** Why a URL is refused, or undefined when it is acceptable. */
export function webhookUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a URL';
  }
  if (parsed.username || parsed.password) return 'must not contain credentials';
  if (parsed.protocol === 'https:') return undefined;
  const loopback = parsed.hostname === 'localhost' || parsed.hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(parsed.hostname);
  if (parsed.protocol === 'http:' && loopback) return undefined;
  return 'must be https (http only for localhost)';
}

/** `t=<seconds>,v1=<hex>` over `<t>.<body>`. */
export function signWebhook(secret: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`, 'utf8').digest('hex');
  return `t=${timestampSeconds},v1=${mac}`;
}

/**
 * What a receiver does: recompute the HMAC over `<t>.<raw body>`, compare in constant time, and refuse
 * old timestamps (replays). Exported for receivers written in TypeScript and for the tests.
 */
export function verifyWebhookSignature(secret: string, header: string, body: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts['t']);
  if (!Number.isInteger(t) || !parts['v1'] || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, t, body).split('v1=')[1]!, 'hex');
  const given = Buffer.from(parts['v1'], 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function createWebhook(
  db: Db,
  crypto: FieldCrypto,
  input: { campaignId: string; url: string; events: readonly WebhookEvent[]; actor: Actor; now?: number },
): Promise<{ info: WebhookInfo; secret: string }> {
  const now = input.now ?? Date.now();
  const id = randomUUID();
  const secret = `whsec_${randomBytes(32).toString('base64url')}`;
  const events = [...new Set(input.events)];
  await db.orm.batch([
    db.orm.insert(webhooks).values({
      id,
      campaignId: input.campaignId,
      url: input.url,
      secretEnc: crypto.encrypt(secret, input.campaignId, 'webhook-secret'),
      events: JSON.stringify(events),
      createdAt: now,
    }),
    auditInsert(db.orm, { actor: input.actor, action: 'webhook.created', campaignId: input.campaignId, subject: id, at: now, details: { url: input.url, events } }),
  ]);
  return { info: { id, campaignId: input.campaignId, url: input.url, events, createdAt: now }, secret };
}

function parseEvents(json: string): WebhookEvent[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((e): e is WebhookEvent => (WEBHOOK_EVENTS as readonly unknown[]).includes(e)) : [];
}

export async function listWebhooks(db: Db, campaignId?: string): Promise<WebhookInfo[]> {
  const rows = await db.orm
    .select()
    .from(webhooks)
    .where(campaignId ? and(eq(webhooks.campaignId, campaignId)) : undefined);
  return rows
    .filter((r) => r.disabledAt === null)
    .map((r) => ({ id: r.id, campaignId: r.campaignId, url: r.url, events: parseEvents(r.events), createdAt: r.createdAt }));
}

/** Deletes a webhook; its queued deliveries are skipped. Undefined when unknown. */
export async function deleteWebhook(db: Db, id: string, actor: Actor, now: number = Date.now()): Promise<WebhookInfo | undefined> {
  const [row] = await db.orm.select().from(webhooks).where(eq(webhooks.id, id));
  if (!row) return undefined;
  await db.orm.batch([
    db.orm.delete(webhooks).where(eq(webhooks.id, id)),
    auditInsert(db.orm, { actor, action: 'webhook.deleted', campaignId: row.campaignId, subject: id, at: now, details: { url: row.url } }),
  ]);
  return { id: row.id, campaignId: row.campaignId, url: row.url, events: parseEvents(row.events), createdAt: row.createdAt };
}

/**
 * Queues an event for every active webhook of the campaign subscribed to it; returns the drizzle
 * statements so they can go into the caller's `db.orm.batch([...])` (the transaction that made the
 * change). `data` must hold only what may leave the system (no personal data).
 */
export async function webhookEventStatements(orm: Orm, input: { campaignId: string; event: WebhookEvent; data: Record<string, unknown>; now: number }) {
  const hooks = await orm.select().from(webhooks).where(eq(webhooks.campaignId, input.campaignId));
  return hooks
    .filter((h) => h.disabledAt === null && parseEvents(h.events).includes(input.event))
    .map((h) =>
      orm.insert(outbox).values({
        id: randomUUID(),
        kind: 'webhook',
        campaignId: input.campaignId,
        signatureId: null,
        payload: JSON.stringify({ webhookId: h.id, event: input.event, data: input.data }),
        status: 'pending',
        nextAttemptAt: input.now,
        createdAt: input.now,
      }),
    );
}

/** Queues an event at once (outside a caller's transaction). Returns how many deliveries were queued. */
export async function enqueueWebhookEvent(db: Db, input: { campaignId: string; event: WebhookEvent; data: Record<string, unknown>; now?: number }): Promise<number> {
  const statements = await webhookEventStatements(db.orm, { ...input, now: input.now ?? Date.now() });
  const [first, ...rest] = statements;
  if (first) await db.orm.batch([first, ...rest]);
  return statements.length;
}
