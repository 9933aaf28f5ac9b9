/**
 * The outbox handler of kind `webhook`: builds the event body, signs it and POSTs it.
 *
 * `signature.confirmed` carries only what the signer consented to share: the county (an aggregate-level
 * fact), the locale, the time, and the name ONLY when the signer agreed to show it publicly
 * (`consent_public_name`) — a partner's CRM is a third party. Never an e-mail, phone or comment.
 *
 * Outcomes: 2xx = sent; 408, 429, 5xx and network errors are retried with the outbox's backoff; other
 * 4xx are permanent (the receiver refuses this event). A target that resolves to a non-public address
 * in production fails at once with `webhook-private-address` (targets.ts), never retried. A deleted
 * webhook or a signature that was invalidated or deleted meanwhile is skipped.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { campaigns, signatures, webhooks } from '../db/schema.ts';
import { DeliveryError, type MessageHandler } from '../outbox/worker.ts';
import type { FieldCrypto } from '../signing/crypto.ts';
import { hostOf, pinnedLookup, PrivateAddressError, resolveTarget, type WebhookTargetPolicy } from './targets.ts';
import { SIGNATURE_HEADER, signWebhook, type WebhookEvent } from './webhooks.ts';

export interface WebhookDeliveryOptions {
  db: Db;
  crypto: FieldCrypto;
  clock: () => number;
  /** Which addresses a webhook may be delivered to (production: public ones only). */
  targets: WebhookTargetPolicy;
  /** Per-request timeout. Default 10 s. */
  timeoutMs?: number;
}

export function webhookHandler(options: WebhookDeliveryOptions): MessageHandler {
  const { db, crypto, clock } = options;
  return async (message) => {
    const webhookId = message.payload.webhookId;
    const event = message.payload.event as WebhookEvent | undefined;
    if (!webhookId || !event) return 'skipped';
    const [hook] = await db.orm.select().from(webhooks).where(eq(webhooks.id, webhookId));
    if (!hook || hook.disabledAt !== null) return 'skipped';
    const [campaign] = await db.orm.select({ slug: campaigns.slug }).from(campaigns).where(eq(campaigns.id, message.campaignId));
    if (!campaign) return 'skipped';

    let data: Record<string, unknown>;
    if (event === 'signature.confirmed') {
      if (!message.signatureId) return 'skipped';
      const [row] = await db.orm.select().from(signatures).where(eq(signatures.id, message.signatureId));
      if (!row || row.flag !== null || row.status !== 'counted') return 'skipped';
      data = {
        signature: {
          id: row.id,
          county: row.county,
          locale: row.locale,
          name: row.consentPublicName ? crypto.decrypt(row.nameEnc, row.campaignId, 'name') : null,
          signedAt: new Date(row.createdAt).toISOString(),
          confirmedAt: new Date(row.confirmedAt ?? row.createdAt).toISOString(),
        },
      };
    } else {
      data = message.payload.data ?? {};
    }
    const body = JSON.stringify({
      id: message.id,
      type: event,
      createdAt: new Date(clock()).toISOString(),
      campaign: { id: message.campaignId, slug: campaign.slug },
      data,
    });
    const timestamp = Math.floor(clock() / 1000);
    const secret = crypto.decrypt(hook.secretEnc, hook.campaignId, 'webhook-secret');
    const headers = {
      'Content-Type': 'application/json',
      'User-Agent': 'imlu-campaign-sdk-webhooks/0.1',
      [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
      'X-IMLU-Event': event,
      'X-IMLU-Delivery': message.id,
    };
    const signal = AbortSignal.timeout(options.timeoutMs ?? 10_000);
    let status: number;
    try {
      status = await post(new URL(hook.url), headers, body, options.targets, signal);
    } catch (error) {
      if (error instanceof PrivateAddressError) throw new DeliveryError(error.code, true, { cause: error });
      throw new DeliveryError(signal.aborted ? 'timeout' : 'network', false, { cause: error });
    }
    if (status >= 200 && status < 300) return 'sent';
    const retryable = status === 408 || status === 429 || status >= 500;
    throw new DeliveryError(`http-${status}`, !retryable);
  };
}

/**
 * POSTs `body` and answers the status; the response body is not read. The host is resolved and checked
 * here, and the connection made to exactly those addresses (`pinnedLookup`). Redirects are not followed
 * (a 3xx is a refusal like any 4xx), and each delivery has its own connection: a pooled one could lead
 * to an address checked for an earlier delivery.
 */
async function post(url: URL, headers: Record<string, string>, body: string, targets: WebhookTargetPolicy, signal: AbortSignal): Promise<number> {
  const addresses = await resolveTarget(hostOf(url), targets);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const outgoing = request(
      url,
      { method: 'POST', headers: { ...headers, 'Content-Length': Buffer.byteLength(body) }, agent: false, lookup: pinnedLookup(addresses), signal },
      (response) => {
        resolve(response.statusCode ?? 0);
        response.destroy();
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
