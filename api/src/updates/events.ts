/**
 * Recording the events that updates tell of, each in the transaction that makes the change itself (like
 * webhooks' `pledge.status_changed`), so an event is never lost to a crash after the change, nor recorded
 * for a change that was rolled back. Each has a key unique per campaign, so recording one twice (two nodes
 * stamping the same milestone, a campaign closed by its date and then by hand) leaves one event.
 *
 * An event is recorded only when the campaign sends that kind of update at the time; the fan-out and the
 * senders check again later (`fanout.ts`, `send.ts`), so turning a kind off also stops what is queued.
 */
import { randomUUID } from 'node:crypto';
import type { InStatement } from '@libsql/client';
import type { Orm } from '../db/client.ts';
import { updateEvents } from '../db/schema.ts';
import { notifies } from './settings.ts';

/** A statement's text is at most this long in an event (the e-mail quotes it; the board has it all). */
const MAX_STATEMENT = 1000;

/** A closing date this long past still sends `closed` updates; older ones (a server that was down, settings turned on later) do not. */
export const CLOSE_GRACE_MS = 2 * 24 * 60 * 60 * 1000;

export interface PositionEventInput {
  campaignId: string;
  /** The campaign's stored `updates` settings. */
  settings: unknown;
  targetId: string;
  targetName: string;
  /** The entries whose status changed, with their ids. */
  changes: { entryId: string; demandId: string; status: string; statement: string | null }[];
  recordedBy: 'duty_bearer' | 'campaign';
  now: number;
}

/** The `position` event of one recording (one per call, whatever the number of demands), or undefined. */
export function positionEventStatement(orm: Orm, input: PositionEventInput) {
  const [first] = input.changes;
  if (!first || !notifies(input.settings, 'position')) return undefined;
  const statement = input.changes.find((c) => c.statement)?.statement ?? null;
  return orm
    .insert(updateEvents)
    .values({
      id: randomUUID(),
      campaignId: input.campaignId,
      kind: 'position',
      key: `position:${first.entryId}`,
      data: JSON.stringify({
        targetId: input.targetId,
        target: input.targetName,
        changes: input.changes.map((c) => ({ entryId: c.entryId, demandId: c.demandId, status: c.status })),
        statement: statement && statement.length > MAX_STATEMENT ? `${statement.slice(0, MAX_STATEMENT - 1)}…` : statement,
        recordedBy: input.recordedBy,
      }),
      createdAt: input.now,
    })
    .onConflictDoNothing();
}

/** The `closed` event of a campaign whose status becomes `closed`, or undefined. */
export function closedEventStatement(orm: Orm, campaignId: string, settings: unknown, now: number) {
  if (!notifies(settings, 'closed')) return undefined;
  return orm
    .insert(updateEvents)
    .values({ id: randomUUID(), campaignId, kind: 'closed', key: 'closed', data: '{}', createdAt: now })
    .onConflictDoNothing();
}

const SENDS = (kind: string, campaign = 'c') =>
  `EXISTS (SELECT 1 FROM json_each(COALESCE(${campaign}.updates, '{}'), '$.events') WHERE value = '${kind}')`;

/**
 * The `milestone` event, for the batch that stamps `reached_at` (MilestoneTracker): only for a milestone
 * whose `reached_at` is this stamp, so a stamp that lost a race to another node adds nothing either.
 */
export function milestoneEventStatement(milestoneId: string, at: number): InStatement {
  return {
    sql:
      'INSERT OR IGNORE INTO update_events (id, campaign_id, kind, key, data, created_at) ' +
      "SELECT ?, m.campaign_id, 'milestone', 'milestone:' || m.id, " +
      "json_object('milestoneId', m.id, 'threshold', m.threshold, 'label', json_object('en', m.label_en, 'sw', m.label_sw)), ? " +
      `FROM milestones m JOIN campaigns c ON c.id = m.campaign_id WHERE m.id = ? AND m.reached_at = ? AND ${SENDS('milestone')}`,
    args: [randomUUID(), at, milestoneId, at],
  };
}

/**
 * `closed` events of campaigns whose closing date passed (within `CLOSE_GRACE_MS`) while their status is
 * still `open`: a campaign ends by its date as surely as by a campaigner closing it. Dated at the closing
 * time. Returns how many were recorded.
 */
export async function recordDateCloses(client: { execute(statement: InStatement): Promise<{ rowsAffected: number }> }, now: number): Promise<number> {
  const result = await client.execute({
    sql:
      'INSERT OR IGNORE INTO update_events (id, campaign_id, kind, key, data, created_at) ' +
      "SELECT lower(hex(randomblob(16))), c.id, 'closed', 'closed', '{}', c.closes_at FROM campaigns c " +
      `WHERE c.status = 'open' AND c.closes_at <= ? AND c.closes_at > ? AND c.anonymised_at IS NULL AND ${SENDS('closed')} ` +
      "AND NOT EXISTS (SELECT 1 FROM update_events e WHERE e.campaign_id = c.id AND e.key = 'closed')",
    args: [now, now - CLOSE_GRACE_MS],
  });
  return result.rowsAffected;
}
