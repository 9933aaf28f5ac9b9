/**
 * Serving the accountability board, and recording milestones as the count passes them.
 *
 * The board is read from the database at most once per `ttlMs` per campaign (default 2 s, so another
 * node's writes show within seconds) and dropped at once when this process writes to it (a recorded
 * position shows on the next request). The signature count comes from the counts snapshot on every
 * request, like `GET …/counts`.
 */
import type { Accountability } from '@imlu/contracts';
import type { CampaignRecord } from '../campaigns/store.ts';
import type { CountsSnapshot, CountsView } from '../counts/snapshot.ts';
import type { Db } from '../db/client.ts';
import { strongEtag } from '../http/etag.ts';
import type { Logger } from '../logging/logger.ts';
import type { CountRow } from '../signing/writer.ts';
import { milestoneEventStatement } from '../updates/events.ts';
import { buildAccountability, loadBoard, type BoardData } from './board.ts';
import { staffPromptStatement } from './deliveries.ts';
import { nairobiDate } from './dates.ts';

export interface AccountabilityView {
  body: Accountability;
  json: string;
  etag: string;
}

export class AccountabilityService {
  readonly #db: Db;
  readonly #counts: CountsSnapshot;
  readonly #clock: () => number;
  readonly #ttlMs: number;
  readonly #boards = new Map<string, { data: Promise<BoardData>; expires: number }>();
  readonly #views = new Map<string, { data: BoardData; key: string; counts: CountsView; view: AccountabilityView }>();

  constructor(db: Db, counts: CountsSnapshot, clock: () => number, ttlMs = 2000) {
    this.#db = db;
    this.#counts = counts;
    this.#clock = clock;
    this.#ttlMs = ttlMs;
  }

  /** Forgets the cached board of a campaign (or of all), after a write. */
  invalidate(campaignId?: string): void {
    if (campaignId) this.#boards.delete(campaignId);
    else this.#boards.clear();
  }

  board(campaignId: string): Promise<BoardData> {
    const now = this.#clock();
    const cached = this.#boards.get(campaignId);
    if (cached && cached.expires > now) return cached.data;
    const data = loadBoard(this.#db.orm, campaignId);
    this.#boards.set(campaignId, { data, expires: now + this.#ttlMs });
    // A failed read is not cached.
    data.catch(() => this.#boards.delete(campaignId));
    return data;
  }

  async view(campaign: CampaignRecord): Promise<AccountabilityView> {
    const data = await this.board(campaign.id);
    const countsView = this.#counts.view(campaign.id, campaign.goal, campaign.createdAt, campaign.actions);
    const { counts } = countsView;
    const today = nairobiDate(this.#clock());
    const key = `${today}|${counts.signatures}|${counts.updatedAt}|${campaign.updatedAt}|${campaign.demands.length}`;
    const cached = this.#views.get(campaign.id);
    // A view of the counts is rebuilt only when a figure changed: the same view, the same pledge figures.
    if (cached && cached.data === data && cached.key === key && cached.counts === countsView) return cached.view;
    const body = buildAccountability(campaign, data, {
      today,
      signatures: counts.signatures,
      countsUpdatedAt: Date.parse(counts.updatedAt),
      actionFigures: counts.actions,
    });
    const json = JSON.stringify(body);
    const view = { body, json, etag: strongEtag(json) };
    if (this.#views.size > 1000) this.#views.clear();
    this.#views.set(campaign.id, { data, key, counts: countsView, view });
    return view;
  }
}

/**
 * Records `reached_at` of a milestone when the counted total first reaches its threshold. It watches every
 * change the counts snapshot takes in (this process's writer commits, confirmations, and the periodic
 * refresh that picks up other nodes' writes), and stamps the milestone with the time of the count row's
 * update that reached it. The UPDATE only fills an empty `reached_at`, so nodes racing agree on the
 * first one, and a count that later falls (moderation) never un-reaches a milestone. The same batch records
 the `milestone` update to supporters (src/updates/events.ts) when the campaign sends those.
 */
export class MilestoneTracker {
  readonly #db: Db;
  readonly #logger: Logger;
  readonly #onReached: (campaignId: string) => void;
  /** Whether a milestone with a step queues a prompt to the staff (`STAFF_EMAIL` is set). */
  readonly promptsStaff: boolean;
  /** Unreached milestones per campaign. */
  readonly #pending = new Map<string, { id: string; threshold: number }[]>();
  #work: Promise<void> = Promise.resolve();

  constructor(db: Db, logger: Logger, onReached: (campaignId: string) => void, options: { promptStaff?: boolean } = {}) {
    this.#db = db;
    this.#logger = logger;
    this.#onReached = onReached;
    this.promptsStaff = options.promptStaff ?? false;
  }

  /** (Re)loads the unreached milestones; call at start and after milestones change. */
  async load(): Promise<void> {
    try {
      const rows = await this.#db.client.execute('SELECT id, campaign_id, threshold FROM milestones WHERE reached_at IS NULL');
      this.#pending.clear();
      for (const row of rows.rows) {
        const campaignId = String(row.campaign_id);
        let list = this.#pending.get(campaignId);
        if (!list) this.#pending.set(campaignId, (list = []));
        list.push({ id: String(row.id), threshold: Number(row.threshold) });
      }
    } catch (error) {
      // An unmigrated database (readiness reports it); nothing to track yet.
      this.#logger.warn('milestones could not be loaded', { error: (error as Error).name });
    }
  }

  observe(rows: readonly CountRow[]): void {
    for (const row of rows) {
      if (row.bucket !== 'total') continue;
      const list = this.#pending.get(row.campaignId);
      if (!list?.length) continue;
      const reached = list.filter((m) => m.threshold <= row.counted);
      if (!reached.length) continue;
      this.#pending.set(
        row.campaignId,
        list.filter((m) => m.threshold > row.counted),
      );
      this.#work = this.#work.then(() => this.#record(row.campaignId, reached, row.updatedAt));
    }
  }

  /** Resolves when every milestone seen so far is written (tests, shutdown). */
  settled(): Promise<void> {
    return this.#work;
  }

  async #record(campaignId: string, reached: { id: string; threshold: number }[], at: number): Promise<void> {
    // Supporters hear of the highest milestone passed at once, not of each (updates are one a day anyway).
    const highest = reached.reduce((a, b) => (b.threshold > a.threshold ? b : a));
    try {
      await this.#db.client.batch(
        [
          // Before the UPDATE: a prompt is queued only by the batch that marks its milestone reached.
          ...(this.promptsStaff ? reached.map(({ id }) => staffPromptStatement(id, at, true)) : []),
          ...reached.map(({ id }) => ({ sql: 'UPDATE milestones SET reached_at = ? WHERE id = ? AND reached_at IS NULL', args: [at, id] })),
          milestoneEventStatement(highest.id, at),
        ],
        'write',
      );
      this.#onReached(campaignId);
    } catch (error) {
      this.#logger.warn('milestone could not be recorded', { error: (error as Error).name });
      // Try again on the next change of the count.
      await this.load();
    }
  }
}
