/**
 * The outbox handlers of updates to supporters (`update-email`, `update-sms`). At send time, not at
 * queueing time, each reads the signature again: a signer who unsubscribed, replied STOP, withdrew or was
 * invalidated since the event, or a campaign that turned this kind of update off, gets nothing (`skipped`).
 * The recipient is decrypted only here, in memory. The text is built now, in the signer's language, so a
 * `closed` update carries the final count.
 *
 * E-mail carries `List-Unsubscribe` with an HTTPS link and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`
 * (RFC 8058), so a mail client's "unsubscribe" button ends the updates with one POST. No `mailto:` is
 * offered: it would need a mailbox that someone or something processes, and RFC 8058 needs only the HTTPS
 * one. An SMS outside 08:00–20:00 Nairobi time goes back to the queue until 08:00 (`deferUntil`).
 */
import { createHmac } from 'node:crypto';
import type { Client } from '@libsql/client';
import type { Locale, LocalizedText } from '@imlu/contracts';
import { localeOf } from '../confirm/send.ts';
import { ConfirmationTokens } from '../confirm/token.ts';
import type { MailTransport } from '../messages/email.ts';
import type { SmsProvider } from '../messages/sms.ts';
import type { MessageHandler, OutboxMessage } from '../outbox/worker.ts';
import type { FieldCrypto } from '../signing/crypto.ts';
import type { RecordableStatus } from '../accountability/schemas.ts';
import { updateEmail, updateSms, type UpdateContent, type UpdateMessageInput } from './messages.ts';
import { nextSmsSlot } from './quiet-hours.ts';
import { normaliseUpdateSettings, notifies, parseJson, type UpdateEventKind } from './settings.ts';

/**
 * Unsubscribe links name a signature the way confirmation links do — its id enciphered under a server key,
 * and a MAC — under a key of their own: no time, no contact, nothing a confirmation link could be turned into.
 */
export function unsubscribeTokens(blindIndexKey: Buffer): ConfirmationTokens {
  return new ConfirmationTokens(createHmac('sha256', blindIndexKey).update('imlu:unsubscribe-token-key:v1').digest());
}

export interface UpdateSendContext {
  client: Client;
  crypto: FieldCrypto;
  clock: () => number;
  publicBaseUrl: () => string;
  unsubscribe: ConfirmationTokens;
  /** Whether SMS replies reach us (a two-way short code): then each SMS says "Reply STOP". */
  replyStop: boolean;
}

export interface CampaignForUpdates {
  id: string;
  slug: string;
  kind: 'petition' | 'pledge';
  title: LocalizedText;
  settings: unknown;
}

/** A campaign (drafts too) as updates need it, by slug. */
export async function campaignForUpdates(client: Client, slug: string): Promise<CampaignForUpdates | undefined> {
  const result = await client.execute({ sql: 'SELECT id, slug, kind, title_en, title_sw, updates FROM campaigns WHERE slug = ?', args: [slug] });
  const row = result.rows[0];
  if (!row) return undefined;
  return {
    id: String(row[0]),
    slug: String(row[1]),
    kind: row[2] === 'pledge' ? 'pledge' : 'petition',
    title: { en: String(row[3]), sw: String(row[4]) },
    settings: parseJson(row[5]),
  };
}

/** Where updates link to: the campaign's own setting, else its hosted page (in the reader's language for e-mail). */
export function campaignLink(base: string, campaign: { slug: string; settings: unknown }, locale?: Locale): string {
  const link = normaliseUpdateSettings(campaign.settings).link;
  if (link) return link;
  return `${base.replace(/\/+$/, '')}/c/${campaign.slug}${locale === 'sw' ? '?lang=sw' : ''}`;
}

/** The text of an event, from its stored data (and the campaign's demands and count, read now). */
export async function eventContent(client: Client, campaignId: string, kind: UpdateEventKind, data: Record<string, unknown>): Promise<UpdateContent> {
  if (kind === 'position') {
    const demands = await client.execute({ sql: 'SELECT id, text_en, text_sw FROM demands WHERE campaign_id = ?', args: [campaignId] });
    const byId = new Map(demands.rows.map((d) => [String(d[0]), { en: String(d[1]), sw: String(d[2]) }]));
    const changes = Array.isArray(data['changes']) ? (data['changes'] as { demandId?: unknown; status?: unknown }[]) : [];
    return {
      kind,
      target: String(data['target'] ?? ''),
      changes: changes.map((c) => ({ demand: byId.get(String(c.demandId)) ?? null, status: String(c.status) as RecordableStatus })),
      statement: typeof data['statement'] === 'string' ? data['statement'] : null,
    };
  }
  if (kind === 'milestone') {
    const label = (data['label'] ?? {}) as { en?: unknown; sw?: unknown };
    return { kind, threshold: Number(data['threshold'] ?? 0), label: { en: String(label.en ?? ''), sw: String(label.sw ?? '') } };
  }
  const counted = await client.execute({ sql: "SELECT counted FROM campaign_counts WHERE campaign_id = ? AND bucket = 'total'", args: [campaignId] });
  return { kind, signatures: Number(counted.rows[0]?.[0] ?? 0) };
}

interface Recipient {
  signatureId: string;
  campaignId: string;
  emailEnc: string | null;
  phoneEnc: string | null;
  locale: Locale;
  campaign: CampaignForUpdates;
  content: UpdateContent;
}

/** The signature, if it may still get this update (live, consenting, the kind still on), with the message content. */
async function recipient(client: Client, message: OutboxMessage): Promise<Recipient | undefined> {
  const eventId = message.payload.updateEventId;
  if (!eventId || !message.signatureId) return undefined;
  const result = await client.execute({
    sql:
      'SELECT s.email_enc, s.phone_enc, s.locale, c.slug, c.kind, c.title_en, c.title_sw, c.updates, e.kind, e.data ' +
      'FROM signatures s JOIN campaigns c ON c.id = s.campaign_id JOIN update_events e ON e.id = ? AND e.campaign_id = s.campaign_id ' +
      "WHERE s.id = ? AND s.status = 'counted' AND s.flag IS NULL AND s.superseded_by IS NULL AND s.consent_updates = 1",
    args: [eventId, message.signatureId],
  });
  const row = result.rows[0];
  if (!row) return undefined;
  const kind = String(row[8]) as UpdateEventKind;
  const settings = parseJson(row[7]);
  if (!notifies(settings, kind)) return undefined;
  const data = parseJson(row[9]);
  const campaign: CampaignForUpdates = {
    id: message.campaignId,
    slug: String(row[3]),
    kind: row[4] === 'pledge' ? 'pledge' : 'petition',
    title: { en: String(row[5]), sw: String(row[6]) },
    settings,
  };
  return {
    signatureId: message.signatureId,
    campaignId: message.campaignId,
    emailEnc: row[0] === null ? null : String(row[0]),
    phoneEnc: row[1] === null ? null : String(row[1]),
    locale: localeOf(row[2]),
    campaign,
    content: await eventContent(client, message.campaignId, kind, data && typeof data === 'object' ? (data as Record<string, unknown>) : {}),
  };
}

function messageInput(context: UpdateSendContext, r: Recipient, forEmail: boolean): UpdateMessageInput {
  return {
    locale: r.locale,
    content: r.content,
    campaignKind: r.campaign.kind,
    campaignTitle: r.campaign.title,
    link: campaignLink(context.publicBaseUrl(), r.campaign, forEmail ? r.locale : undefined),
  };
}

export function unsubscribeUrl(context: { publicBaseUrl: () => string; unsubscribe: ConfirmationTokens }, signatureId: string): string {
  return `${context.publicBaseUrl().replace(/\/+$/, '')}/u/${context.unsubscribe.issue(signatureId)}`;
}

export function updateEmailHandler(context: UpdateSendContext, mail: MailTransport): MessageHandler {
  return async (message) => {
    const r = await recipient(context.client, message);
    if (!r?.emailEnc) return 'skipped';
    const to = context.crypto.decrypt(r.emailEnc, r.campaignId, 'email');
    const url = unsubscribeUrl(context, r.signatureId);
    const content = updateEmail(messageInput(context, r, true), url);
    await mail.send({
      to,
      ...content,
      language: r.locale,
      headers: { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    });
    return 'sent';
  };
}

export function updateSmsHandler(context: UpdateSendContext, provider: SmsProvider): MessageHandler {
  return async (message) => {
    // Before anything else: at night the message waits, whatever it is.
    const now = context.clock();
    const slot = nextSmsSlot(now);
    if (slot > now) return { deferUntil: slot };
    const r = await recipient(context.client, message);
    if (!r?.phoneEnc) return 'skipped';
    const to = context.crypto.decrypt(r.phoneEnc, r.campaignId, 'phone');
    const { providerRef } = await provider.send(to, updateSms(messageInput(context, r, false), { replyStop: context.replyStop }));
    return providerRef ? { providerRef } : 'sent';
  };
}
