/**
 * Pledge reminders (issue 16): the day before a dated action and on the day, each supporter who pledged it
 * and asked to be reminded gets one message, in their language — queued here in the outbox, sent by the
 * updates' outbox worker (`pledge-reminder-email`, `pledge-reminder-sms`).
 *
 * Who: a LIVE commitment (its signature counts: `counted`, no flag) with `remind = 1` and state `pledged`
 * (not `cant`; not already `done`), of a pledge campaign that is open or closed (a closed campaign takes no
 * more pledges, but its actions still happen; a draft has none, and after retention nobody is left).
 * Days are calendar days in Nairobi (UTC+3 all year).
 *
 * The channel: the contact that confirmed the signature (`confirm_channel`: proved to reach this person);
 * on a campaign without confirmation, the phone if one was given — an SMS reaches a feature phone on the
 * day, and can be answered (CANT / DONE) — else the e-mail. (Updates prefer the e-mail there; a reminder
 * is time-bound, and an SMS is read sooner.)
 *
 * Once each: `runPledgeReminders` pages through an action's commitments by the (action_id, state) index
 * (rowid order within it) and, per page, ONE write transaction inserts the messages with `INSERT … SELECT`
 * and stamps `reminded_before_at` / `reminded_day_at` on exactly the rows it queued for (same predicate,
 * `… IS NULL`): a crash, a second run or two nodes never queue a reminder twice. Nothing is decrypted
 * here: the payload holds the signature's envelope as it is stored, and the locale.
 *
 * Quiet hours: an SMS is due at the next 08:00–20:00 Nairobi slot. An SMS reminder that could not go out on
 * its day any more (the day before after 20:00, e.g. a pledge made late that evening) is not queued: the
 * reminder of the day follows. At send time a reminder whose day has passed (a provider outage, retries)
 * is skipped rather than say "tomorrow" on the day.
 */
import type { Client } from '@libsql/client';
import type { Locale } from '@imlu/contracts';
import { localeOf } from '../confirm/send.ts';
import type { ConfirmationTokens } from '../confirm/token.ts';
import type { MailTransport } from '../messages/email.ts';
import type { SmsProvider } from '../messages/sms.ts';
import { DeliveryError, type MessageHandler, type OutboxMessage } from '../outbox/worker.ts';
import type { FieldCrypto } from '../signing/crypto.ts';
import { DAY_MS, nairobiDayStart, nextSmsSlot } from '../updates/quiet-hours.ts';
import { unsubscribeUrl } from '../updates/send.ts';
import { pledgeLinkToken, pledgeLinkUrl } from './links.ts';
import { reminderEmail, reminderSms, type ReminderInput, type ReminderWhen } from './reminder-messages.ts';

export { nairobiDayStart };

/** Which reminder an action starting at `startsAt` is due at `now`, if any. */
export function reminderDue(startsAt: number, now: number): ReminderWhen | undefined {
  const days = Math.round((nairobiDayStart(startsAt) - nairobiDayStart(now)) / DAY_MS);
  return days === 1 ? 'before' : days === 0 ? 'day' : undefined;
}

const COLUMN: Record<ReminderWhen, 'reminded_before_at' | 'reminded_day_at'> = { before: 'reminded_before_at', day: 'reminded_day_at' };

/** The channel of a signature's reminder (see the module comment). */
const CHANNEL = "CASE WHEN s.confirm_channel IS NOT NULL THEN s.confirm_channel WHEN s.phone_enc IS NOT NULL THEN 'sms' ELSE 'email' END";
const LIVE = "s.status = 'counted' AND s.flag IS NULL AND s.superseded_by IS NULL";

export interface PledgeReminderOptions {
  /** The clock: which day it is, and when messages are due. */
  now: number;
  /** Count what would be queued; write nothing. */
  dryRun?: boolean;
  /** Commitments considered per write transaction. Default 250 (as the updates' fan-out). */
  pageSize?: number;
}

export interface ActionReminders {
  campaign: string;
  actionId: string;
  position: number;
  startsAt: string;
  when: ReminderWhen;
  email: number;
  sms: number;
}

export interface PledgeReminderRun {
  now: string;
  dryRun: boolean;
  /** Messages queued (or, with `dryRun`, that would be). */
  queued: number;
  /** Per action with a reminder due today, what was queued for it in this run. */
  actions: ActionReminders[];
}

/** Queues every reminder due at `now` that is not queued yet. */
export async function runPledgeReminders(client: Client, options: PledgeReminderOptions): Promise<PledgeReminderRun> {
  const { now } = options;
  const dryRun = Boolean(options.dryRun);
  const pageSize = Math.max(1, options.pageSize ?? 250);
  const today = nairobiDayStart(now);
  // Actions are few (a handful per campaign): no index by date is needed to find today's and tomorrow's.
  const due = await client.execute({
    sql:
      'SELECT a.id, a.position, a.starts_at, c.slug FROM pledge_actions a JOIN campaigns c ON c.id = a.campaign_id ' +
      "WHERE c.kind = 'pledge' AND c.status IN ('open', 'closed') AND c.anonymised_at IS NULL AND a.starts_at >= ? AND a.starts_at < ? " +
      'ORDER BY a.starts_at, c.slug, a.position',
    args: [today, today + 2 * DAY_MS],
  });
  const run: PledgeReminderRun = { now: new Date(now).toISOString(), dryRun, queued: 0, actions: [] };
  const smsSlot = nextSmsSlot(now);
  for (const row of due.rows) {
    const startsAt = Number(row[2]);
    const when = reminderDue(startsAt, now)!;
    const action: ActionReminders = { campaign: String(row[3]), actionId: String(row[0]), position: Number(row[1]), startsAt: new Date(startsAt).toISOString(), when, email: 0, sms: 0 };
    // The last moment the message makes sense: the end of the day before, or of the day itself.
    const validUntil = nairobiDayStart(startsAt) + (when === 'day' ? DAY_MS : 0);
    const smsOk = smsSlot < validUntil ? 1 : 0;
    const column = COLUMN[when];
    let cursor = 0;
    for (;;) {
      const page = await client.execute({
        sql: "SELECT rowid FROM pledge_commitments WHERE action_id = ? AND state = 'pledged' AND rowid > ? ORDER BY rowid LIMIT ?",
        args: [action.actionId, cursor, pageSize],
      });
      const last = page.rows.at(-1);
      if (!last) break;
      const until = Number(last[0]);
      // The same predicate in both statements of the transaction: the rows stamped are the rows queued.
      const eligible =
        "pc.action_id = ? AND pc.state = 'pledged' AND pc.rowid > ? AND pc.rowid <= ? AND pc.remind = 1 " +
        `AND pc.${column} IS NULL AND ${LIVE} AND (${CHANNEL} = 'email' OR ?)`;
      const eligibleArgs = [action.actionId, cursor, until, smsOk];
      if (dryRun) {
        const counted = await client.execute({
          sql: `SELECT ${CHANNEL}, COUNT(*) FROM pledge_commitments pc JOIN signatures s ON s.id = pc.signature_id WHERE ${eligible} GROUP BY 1`,
          args: eligibleArgs,
        });
        for (const c of counted.rows) action[String(c[0]) === 'sms' ? 'sms' : 'email'] += Number(c[1]);
      } else {
        const insert = (channel: 'email' | 'sms') => ({
          sql:
            'INSERT INTO outbox (id, kind, campaign_id, signature_id, payload, status, attempts, next_attempt_at, created_at) ' +
            "SELECT lower(hex(randomblob(16))), 'pledge-reminder-' || x.channel, x.campaign_id, x.signature_id, " +
            "json_object('to', CASE x.channel WHEN 'sms' THEN x.phone_enc ELSE x.email_enc END, 'locale', x.locale, 'actionId', ?, 'reminder', ?), " +
            "'pending', 0, ?, ? FROM (" +
            `SELECT pc.signature_id, pc.campaign_id, s.email_enc, s.phone_enc, COALESCE(s.locale, 'en') AS locale, ${CHANNEL} AS channel ` +
            `FROM pledge_commitments pc JOIN signatures s ON s.id = pc.signature_id WHERE ${eligible}) x WHERE x.channel = ?`,
          args: [action.actionId, when, channel === 'sms' ? smsSlot : now, now, ...eligibleArgs, channel],
        });
        const [email, sms] = await client.batch(
          [
            insert('email'),
            insert('sms'),
            {
              sql:
                `UPDATE pledge_commitments SET ${column} = ? WHERE rowid IN (` +
                `SELECT pc.rowid FROM pledge_commitments pc JOIN signatures s ON s.id = pc.signature_id WHERE ${eligible})`,
              args: [now, ...eligibleArgs],
            },
          ],
          'write',
        );
        action.email += email!.rowsAffected;
        action.sms += sms!.rowsAffected;
      }
      cursor = until;
      if (page.rows.length < pageSize) break;
    }
    run.queued += action.email + action.sms;
    run.actions.push(action);
  }
  return run;
}

export interface PledgeReminderContext {
  client: Client;
  crypto: FieldCrypto;
  clock: () => number;
  publicBaseUrl: () => string;
  unsubscribe: ConfirmationTokens;
  /** `pledgeLinkTokens(blindIndexKey)`. */
  pledgeLinks: ConfirmationTokens;
  /** SMS replies reach us (a two-way short code): the SMS says "Reply CANT 2" and "Reply STOP". */
  replyStop: boolean;
}

interface Reminder {
  campaignId: string;
  signatureId: string;
  locale: Locale;
  input: ReminderInput;
}

/**
 * The reminder as it stands now: only while the commitment is still live, pledged and reminded-for, and
 * while it is still its day (`undefined`: nothing to send).
 */
async function reminderFor(context: PledgeReminderContext, message: OutboxMessage): Promise<Reminder | undefined> {
  const { actionId, reminder } = message.payload;
  if (!message.signatureId || !actionId || (reminder !== 'before' && reminder !== 'day')) return undefined;
  const result = await context.client.execute({
    sql:
      'SELECT s.locale, c.title_en, c.title_sw, a.position, a.title_en, a.title_sw, a.place_en, a.place_sw, a.starts_at ' +
      'FROM pledge_commitments pc JOIN signatures s ON s.id = pc.signature_id JOIN campaigns c ON c.id = pc.campaign_id JOIN pledge_actions a ON a.id = pc.action_id ' +
      `WHERE pc.signature_id = ? AND pc.action_id = ? AND pc.state = 'pledged' AND pc.remind = 1 AND ${LIVE}`,
    args: [message.signatureId, actionId],
  });
  const row = result.rows[0];
  if (!row || row[8] === null || reminderDue(Number(row[8]), context.clock()) !== reminder) return undefined;
  const locale = localeOf(message.payload.locale ?? row[0]);
  const place = row[6] === null && row[7] === null ? null : { en: String(row[6] ?? row[7]), sw: String(row[7] ?? row[6]) };
  const link = pledgeLinkUrl(context.publicBaseUrl(), pledgeLinkToken(context.pledgeLinks, message.signatureId), locale);
  return {
    campaignId: message.campaignId,
    signatureId: message.signatureId,
    locale,
    input: {
      locale,
      when: reminder,
      campaignTitle: { en: String(row[1]), sw: String(row[2]) },
      action: { position: Number(row[3]), title: { en: String(row[4]), sw: String(row[5]) }, place, startsAt: Number(row[8]) },
      link,
    },
  };
}

export function pledgeReminderEmailHandler(context: PledgeReminderContext, mail: MailTransport): MessageHandler {
  return async (message) => {
    const r = await reminderFor(context, message);
    if (!r) return 'skipped';
    if (!message.payload.to) throw new DeliveryError('no-recipient', true);
    const to = context.crypto.decrypt(message.payload.to, r.campaignId, 'email');
    const url = unsubscribeUrl(context, r.signatureId);
    await mail.send({
      to,
      ...reminderEmail(r.input, url),
      language: r.locale,
      headers: { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    });
    return 'sent';
  };
}

export function pledgeReminderSmsHandler(context: PledgeReminderContext, provider: SmsProvider): MessageHandler {
  return async (message) => {
    // At night the message waits, whatever it is (a retry may have pushed it past 20:00).
    const now = context.clock();
    const slot = nextSmsSlot(now);
    if (slot > now) {
      // …unless its day is over by then: "tomorrow" must not arrive on the day.
      const r = await reminderFor({ ...context, clock: () => slot }, message);
      return r ? { deferUntil: slot } : 'skipped';
    }
    const r = await reminderFor(context, message);
    if (!r) return 'skipped';
    if (!message.payload.to) throw new DeliveryError('no-recipient', true);
    const to = context.crypto.decrypt(message.payload.to, r.campaignId, 'phone');
    const { providerRef } = await provider.send(to, reminderSms(r.input, { replies: context.replyStop }));
    return providerRef ? { providerRef } : 'sent';
  };
}
