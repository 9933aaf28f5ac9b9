/**
 * Delivery on the record: a signature pack handed to a duty bearer (date, channel, count and the SHA-256
 * of its `manifest.json`), recorded by `imlu deliver` or `POST /admin/campaigns/:slug/deliveries`, shown in
 * the target's public history as the campaign asking it, with the count and hash as evidence.
 *
 * - A delivery to a target the campaign never asked is its first ask: every demand, asked on the delivery
 *   date.
 * - `email`: the cover text and a response link go to the target's contact through the outbox
 *   (`delivery-email`). The contact is the private delivery contact (encrypted at rest) when it holds an
 *   e-mail address, else the public contact when that is one (an office's published address). It is
 *   decrypted only when the message is sent, and the response link is issued then too, so no token and no
 *   address ever sit in the outbox; a send that fails revokes the link it issued.
 * - Milestones that name a step (`deliver`, `ask_response`) prompt the staff (`STAFF_EMAIL`) through the
 *   outbox (`staff-email`) when the count reaches them.
 */
import { randomUUID } from 'node:crypto';
import type { DeliveryChannel, Locale } from '@imlu/contracts';
import { and, eq, gte } from 'drizzle-orm';
import type { InStatement } from '@libsql/client';
import type { Actor } from '../auth/actor.ts';
import { auditInsert } from '../audit/audit.ts';
import type { CampaignRecord } from '../campaigns/store.ts';
import { escapeHtml } from '../confirm/messages.ts';
import type { Db } from '../db/client.ts';
import { campaigns, deliveries, demands, milestones, outbox, targets } from '../db/schema.ts';
import { fieldError, validationProblem } from '../http/problem.ts';
import { message } from '../i18n/index.ts';
import type { MailTransport } from '../messages/email.ts';
import { DeliveryError, type MessageHandler } from '../outbox/worker.ts';
import type { FieldCrypto } from '../signing/crypto.ts';
import { nairobiDate, startOfNairobiDate } from './dates.ts';
import { issueResponseLink, revokeResponseLink } from './links.ts';
import { findAsk, askStatements } from './operations.ts';
import { formatDate } from './respond.strings.ts';

type TargetRow = typeof targets.$inferSelect;

export interface DeliveryInput {
  targetId: string;
  deliveredOn: string;
  channel: DeliveryChannel;
  signatures: number;
  manifestSha256: string;
  email: boolean;
  dueOn?: string | null | undefined;
}

export interface RecordedDelivery {
  id: string;
  targetId: string;
  deliveredOn: string;
  channel: DeliveryChannel;
  signatures: number;
  manifestSha256: string;
  emailed: boolean;
  askCreated: boolean;
  recordedAt: string;
}

// An address inside free text ("Insp. Kamau, kamau@ipoa.go.ke, 0711 …"): contacts are written as people write them.
const EMAIL_IN_TEXT = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;

/** Where a delivery e-mail to this target goes: its private delivery contact's address, else its public one's. */
export function deliveryEmailOf(crypto: FieldCrypto, target: TargetRow): string | undefined {
  if (target.deliveryContactEnc) {
    const found = EMAIL_IN_TEXT.exec(crypto.decrypt(target.deliveryContactEnc, target.id, 'target-delivery-contact'))?.[0];
    if (found) return found;
  }
  return target.publicContact ? EMAIL_IN_TEXT.exec(target.publicContact)?.[0] : undefined;
}

/**
 * Records one delivery (and, with `email`, queues the message) in one transaction with its audit entry,
 * whose subject is `manifest:<hex>` like the export's own. Refuses (422, storing nothing) an unknown
 * target, a date after today in Nairobi, and `email` for a target without an e-mail contact.
 */
export async function recordDelivery(
  db: Db,
  crypto: FieldCrypto,
  campaign: CampaignRecord,
  input: DeliveryInput,
  context: { actor: Actor; now: number },
): Promise<RecordedDelivery> {
  const [target] = await db.orm.select().from(targets).where(eq(targets.id, input.targetId)).limit(1);
  if (!target) throw validationProblem([fieldError('targetId', 'invalid')]);
  if (input.deliveredOn > nairobiDate(context.now)) throw validationProblem([fieldError('deliveredOn', 'invalid')]);
  if (input.email && !deliveryEmailOf(crypto, target)) throw validationProblem([fieldError('email', 'invalid')]);

  // The first ask, if the campaign never asked this target, is written in the delivery's transaction.
  const firstAsk = (await findAsk(db, campaign.id, target.id))
    ? []
    : (await askStatements(db, campaign, target.id, { demandIds: 'all', askedOn: input.deliveredOn, dueOn: input.dueOn ?? null }, context.now)).statements;
  const askCreated = firstAsk.length > 0;
  const id = randomUUID();
  const row = {
    id,
    campaignId: campaign.id,
    targetId: target.id,
    deliveredOn: input.deliveredOn,
    channel: input.channel,
    signatures: input.signatures,
    manifestSha256: input.manifestSha256,
    emailed: input.email,
    actor: context.actor.id,
    recordedAt: context.now,
  };
  await db.orm.batch([
    db.orm.insert(deliveries).values(row),
    ...firstAsk,
    auditInsert(db.orm, {
      actor: context.actor,
      at: context.now,
      action: 'delivery.recorded',
      campaignId: campaign.id,
      subject: `manifest:${input.manifestSha256}`,
      rowCount: input.signatures,
      details: { deliveryId: id, targetId: target.id, deliveredOn: input.deliveredOn, channel: input.channel, emailed: input.email, askCreated },
    }),
    ...(input.email
      ? [
          db.orm.insert(outbox).values({
            id: randomUUID(),
            kind: 'delivery-email',
            campaignId: campaign.id,
            signatureId: null,
            payload: JSON.stringify({ data: { deliveryId: id } }),
            status: 'pending',
            nextAttemptAt: context.now,
            createdAt: context.now,
          }),
        ]
      : []),
  ]);
  const { actor: _actor, campaignId: _campaign, ...shown } = row;
  return { ...shown, askCreated, recordedAt: new Date(context.now).toISOString() };
}

const NUMBERS: Record<Locale, Intl.NumberFormat> = { en: new Intl.NumberFormat('en-KE'), sw: new Intl.NumberFormat('sw-KE') };
const LOCALES: Locale[] = ['en', 'sw'];

function bilingual(part: (locale: Locale) => string[]): { text: string; html: string } {
  const text = LOCALES.map((locale) => part(locale).join('\n')).join('\n\n-----\n\n');
  const html =
    '<!doctype html><html lang="en"><body>' +
    LOCALES.map((locale) => `<div lang="${locale}">${part(locale).map((line) => `<p>${escapeHtml(line)}</p>`).join('')}</div>`).join('<hr>') +
    '</body></html>';
  return { text, html };
}

export interface DeliveryMailContext {
  db: Db;
  crypto: FieldCrypto;
  clock: () => number;
  publicBaseUrl: () => string;
}

/** The outbox handler of `delivery-email`: the cover text and a fresh response link, in English then Kiswahili. */
export function deliveryEmailHandler(context: DeliveryMailContext, mail: MailTransport): MessageHandler {
  return async (outboxMessage) => {
    const deliveryId = outboxMessage.payload.data?.['deliveryId'];
    if (typeof deliveryId !== 'string') return 'skipped';
    const { db, crypto } = context;
    const [found] = await db.orm
      .select({ delivery: deliveries, target: targets, campaign: campaigns })
      .from(deliveries)
      .innerJoin(targets, eq(targets.id, deliveries.targetId))
      .innerJoin(campaigns, eq(campaigns.id, deliveries.campaignId))
      .where(eq(deliveries.id, deliveryId))
      .limit(1);
    if (!found) return 'skipped';
    const { delivery, target, campaign } = found;
    const to = deliveryEmailOf(crypto, target);
    // The contact was erased since the delivery was recorded: nobody to write to, now or later.
    if (!to) throw new DeliveryError('no-contact', true);
    const demandRows = await db.orm.select().from(demands).where(eq(demands.campaignId, campaign.id)).orderBy(demands.position);
    const now = context.clock();
    const link = await issueResponseLink(db, { campaignId: campaign.id, targetId: target.id, createdBy: `delivery:${delivery.id}`, now });
    const url = `${context.publicBaseUrl().replace(/\/$/, '')}/r/${link.token}`;
    const deliveredAt = startOfNairobiDate(delivery.deliveredOn) + 12 * 3600_000;
    const title = { en: campaign.titleEn, sw: campaign.titleSw };
    const body = bilingual((locale) => {
      const count = NUMBERS[locale].format(delivery.signatures);
      return [
        message(locale, 'deliveryEmail.greeting', { target: (locale === 'sw' && target.nameSw) || target.name }),
        message(locale, 'deliveryEmail.delivered', {
          n: delivery.signatures,
          date: formatDate(locale, deliveredAt),
          campaign: title[locale],
          channel: message(locale, `channel.${delivery.channel}`),
          count,
        }),
        message(locale, 'deliveryEmail.demands'),
        ...demandRows.map((d, index) => `${index + 1}. ${locale === 'sw' ? d.textSw : d.textEn}`),
        message(locale, 'deliveryEmail.hash', { hash: delivery.manifestSha256 }),
        message(locale, 'deliveryEmail.respond', { date: formatDate(locale, link.expiresAt) }),
        url,
      ];
    });
    try {
      await mail.send({
        to,
        subject: message('en', 'deliveryEmail.subject', { campaign: title.en, count: NUMBERS.en.format(delivery.signatures) }),
        language: 'en, sw',
        ...body,
      });
    } catch (error) {
      // The next attempt issues its own link: this one's token is lost with this attempt.
      await revokeResponseLink(db, campaign.id, link.id, context.clock());
      throw error;
    }
    return 'sent';
  };
}

/**
 * Queues the staff prompt of a milestone with a step. `onlyIfUnreached`: inside the batch that marks it
 * reached (placed before that UPDATE), so that two nodes racing queue it once.
 */
export function staffPromptStatement(milestoneId: string, now: number, onlyIfUnreached: boolean): InStatement {
  return {
    sql:
      'INSERT INTO outbox (id, kind, campaign_id, signature_id, payload, status, attempts, next_attempt_at, created_at) ' +
      "SELECT ?, 'staff-email', campaign_id, NULL, json_object('data', json_object('milestoneId', id)), 'pending', 0, ?, ? " +
      `FROM milestones WHERE id = ? AND step IS NOT NULL${onlyIfUnreached ? ' AND reached_at IS NULL' : ''}`,
    args: [randomUUID(), now, now, milestoneId],
  };
}

/** The outbox handler of `staff-email`: tells the staff which step a reached milestone calls for, unless it was taken since. */
export function staffPromptHandler(context: { db: Db }, mail: MailTransport, staffEmail: string): MessageHandler {
  return async (outboxMessage) => {
    const milestoneId = outboxMessage.payload.data?.['milestoneId'];
    if (typeof milestoneId !== 'string') return 'skipped';
    const { db } = context;
    const [found] = await db.orm
      .select({ milestone: milestones, target: targets, campaign: campaigns })
      .from(milestones)
      .innerJoin(targets, eq(targets.id, milestones.targetId))
      .innerJoin(campaigns, eq(campaigns.id, milestones.campaignId))
      .where(eq(milestones.id, milestoneId))
      .limit(1);
    if (!found?.milestone.step || found.milestone.reachedAt === null) return 'skipped';
    const { milestone, target, campaign } = found;
    const reachedAt = milestone.reachedAt!;
    const [since] = await db.orm
      .select({ id: deliveries.id })
      .from(deliveries)
      .where(and(eq(deliveries.campaignId, campaign.id), eq(deliveries.targetId, target.id), gte(deliveries.recordedAt, reachedAt)))
      .limit(1);
    if (since) return 'skipped';
    const step = milestone.step!;
    const title = { en: campaign.titleEn, sw: campaign.titleSw };
    const body = bilingual((locale) => {
      const targetName = (locale === 'sw' && target.nameSw) || target.name;
      return [
        message(locale, 'staffPrompt.reached', {
          campaign: title[locale],
          count: NUMBERS[locale].format(milestone.threshold),
          label: locale === 'sw' ? milestone.labelSw : milestone.labelEn,
          date: formatDate(locale, reachedAt),
        }),
        message(locale, `staffPrompt.${step}`, { target: targetName }),
        message(locale, 'staffPrompt.how', { targetId: target.id }),
      ];
    });
    await mail.send({
      to: staffEmail,
      subject: message('en', 'staffPrompt.subject', {
        count: NUMBERS.en.format(milestone.threshold),
        campaign: title.en,
        step: message('en', `staffPrompt.${step}`, { target: target.name }),
      }),
      language: 'en, sw',
      ...body,
    });
    return 'sent';
  };
}
