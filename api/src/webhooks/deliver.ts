/**
 * The outbox handler of kind `webhook`: builds the event body, signs it and POSTs it.
 *
 * `signature.confirmed` carries only what the signer consented to share: the county (an aggregate-level
 * fact), the locale, the time, and the name ONLY when the signer agreed to show it publicly
 * (`consent_public_name`) — a partner's CRM is a third party. Never an e-mail, phone or comment.
 *
 * Outcomes: 2xx = sent; 408, 429, 5xx and network errors are retried with the outbox's backoff; other
 * 4xx are permanent (the receiver refuses this event). A deleted webhook or a signature that was
 * invalidated or deleted meanwhile is skipped.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { campaigns, signatures, webhooks } from '../db/schema.ts';
import { DeliveryError, type MessageHandler } from '../outbox/worker.ts';
import type { FieldCrypto } from '../signing/crypto.ts';
import { SIGNATURE_HEADER, signWebhook, type WebhookEvent } from './webhooks.ts';

export interface WebhookDeliveryOptions {
  db: Db;
  crypto: FieldCrypto;
  clock: () => number;
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
    let response: Response;
    try {
      response = await fetch(hook.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'imlu-campaign-sdk-webhooks/0.1',
          [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
          'X-IMLU-Event': event,
          'X-IMLU-Delivery': message.id,
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      await response.body?.cancel();
    } catch (error) {
      throw new DeliveryError((error as Error).name === 'TimeoutError' ? 'timeout' : 'network', false, { cause: error });
    }
    if (response.ok) return 'sent';
    const retryable = response.status === 408 || response.status === 429 || response.status >= 500;
    throw new DeliveryError(`http-${response.status}`, !retryable);
  };
}
