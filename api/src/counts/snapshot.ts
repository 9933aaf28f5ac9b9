/**
 * In-memory snapshot of the running totals, the only thing `GET …/counts` reads. Past petition sites fell
 * over on readers polling counts; here a poll costs a map lookup, never a query.
 *
 * The snapshot is refreshed from `campaign_counts` on an interval (picking up other nodes' writes) and
 * right after each commit of this process's writer (so a signer sees their own signature at once). Each
 * row carries a version that grows with every update; a row is replaced only by a newer one, so a slow
 * refresh can never move a counter backwards.
 *
 * What is published reveals no one (docs/data-protection.md, "What a stranger can learn"): only counted
 * signatures — never the unconfirmed ones, which move with a single submission and would tell a stranger
 * whether a number had already signed — and an `updatedAt` that is this server's own time, to the second,
 * at which it saw a published figure change: never a row's commit time, and it does not move when only
 * unpublished figures do.
 */
import type { Counts, PledgeAction } from '@imlu/contracts';
import type { Client } from '@libsql/client';
import { strongEtag } from '../http/etag.ts';
import type { Logger } from '../logging/logger.ts';
import { silentLogger } from '../logging/logger.ts';
import { pledgeFigures } from '../pledges/figures.ts';
import { ACTION_COUNT_COLUMNS, readActionCountRows, readCountRows, type ActionCountRow, type CountRow } from '../signing/writer.ts';

export interface CountsView {
  counts: Counts;
  /** The JSON body, as bytes: rendered once per change of the figures, served as is to every reader. */
  body: Buffer<ArrayBuffer>;
  /** Strong ETag (quoted) of the JSON body. */
  etag: string;
}

export class CountsSnapshot {
  readonly #client: Client;
  readonly #logger: Logger;
  readonly #rows = new Map<string, Map<string, CountRow>>();
  /** A pledge campaign's figures per action (`pledge_action_counts`), by campaign and action id. */
  readonly #actionRows = new Map<string, Map<string, ActionCountRow>>();
  /**
   * Rendered views, dropped whenever a campaign's rows change: with a pledge campaign's actions (`:actions`)
   * and without (a reader that needs only the signature count), so the two kinds of reader do not evict
   * each other's view.
   */
  readonly #views = new Map<string, { goal: number | null; fallback: number; actions: readonly PledgeAction[] | undefined; view: CountsView }>();
  /** Per campaign: the published figures last rendered, and when (this server's clock) they changed. */
  readonly #published = new Map<string, { figures: string; at: number }>();
  readonly #clock: () => number;
  readonly #listeners: ((rows: CountRow[]) => void)[] = [];
  #timer: ReturnType<typeof setInterval> | undefined;
  #lastRefreshOk = false;

  constructor(client: Client, logger: Logger = silentLogger, clock: () => number = Date.now) {
    this.#client = client;
    this.#logger = logger;
    this.#clock = clock;
  }

  /** True once a refresh from the database has succeeded (and the latest one did). */
  get fresh(): boolean {
    return this.#lastRefreshOk;
  }

  /** Calls `listener` with the rows of every change taken in (newer rows only). Milestones use it. */
  onChange(listener: (rows: CountRow[]) => void): void {
    this.#listeners.push(listener);
  }

  apply(rows: readonly CountRow[]): void {
    const changed: CountRow[] = [];
    for (const row of rows) {
      let buckets = this.#rows.get(row.campaignId);
      if (!buckets) this.#rows.set(row.campaignId, (buckets = new Map()));
      const current = buckets.get(row.bucket);
      if (current && current.version >= row.version) continue;
      buckets.set(row.bucket, row);
      this.#dropViews(row.campaignId);
      changed.push(row);
    }
    if (changed.length) for (const listener of this.#listeners) listener(changed);
  }

  /** Takes in pledge figures rows (issue 16); like `apply`, a row replaces only an older one. */
  applyActions(rows: readonly ActionCountRow[]): void {
    for (const row of rows) {
      let actions = this.#actionRows.get(row.campaignId);
      if (!actions) this.#actionRows.set(row.campaignId, (actions = new Map()));
      const current = actions.get(row.actionId);
      if (current && current.version >= row.version) continue;
      actions.set(row.actionId, row);
      this.#dropViews(row.campaignId);
    }
  }

  #dropViews(campaignId: string): void {
    this.#views.delete(campaignId);
    this.#views.delete(`${campaignId}:actions`);
  }

  /** The current counted total of a campaign (0 before anyone signed). */
  counted(campaignId: string): number {
    return this.#rows.get(campaignId)?.get('total')?.counted ?? 0;
  }

  async refresh(): Promise<void> {
    try {
      const result = await this.#client.execute(
        'SELECT campaign_id, bucket, counted, pending, version, updated_at FROM campaign_counts',
      );
      this.apply(readCountRows(result));
      this.applyActions(readActionCountRows(await this.#client.execute(`SELECT ${ACTION_COUNT_COLUMNS} FROM pledge_action_counts`)));
      this.#lastRefreshOk = true;
    } catch (error) {
      // Keep serving the last snapshot: stale counts beat no counts (and the Cache-Control says so).
      this.#lastRefreshOk = false;
      this.#logger.warn('counts refresh failed', { error: (error as Error).name });
    }
  }

  /** Refreshes now and then every `intervalMs` until `stop()`. */
  async start(intervalMs: number): Promise<void> {
    await this.refresh();
    this.#timer = setInterval(() => void this.refresh(), intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /**
   * The public counts of a campaign. `fallbackUpdatedAt` (the campaign's creation) is the answer to
   * "updated when?" before anyone signed. `actions`: a pledge campaign's actions, whose figures the counts
   * then carry (in the actions' order).
   */
  view(campaignId: string, goal: number | null, fallbackUpdatedAt: number, actions?: readonly PledgeAction[]): CountsView {
    const pledge = actions?.length ? actions : undefined;
    const key = pledge ? `${campaignId}:actions` : campaignId;
    const cached = this.#views.get(key);
    if (cached && cached.goal === goal && cached.fallback === fallbackUpdatedAt && cached.actions === pledge) return cached.view;

    const buckets = this.#rows.get(campaignId);
    const byCounty: Record<string, number> = {};
    for (const row of [...(buckets?.values() ?? [])].sort((a, b) => a.bucket.localeCompare(b.bucket))) {
      if (row.bucket !== 'total' && row.counted > 0) byCounty[row.bucket] = row.counted;
    }
    const signatures = buckets?.get('total')?.counted ?? 0;
    const actionRows = this.#actionRows.get(campaignId);
    const actionFigures = pledge ? pledgeFigures(pledge, actionRows) : undefined;
    // The pledge figures as stored, whoever asks: a view without the actions must not move `updatedAt`.
    const stored = [...(actionRows?.values() ?? [])].sort((a, b) => (a.actionId < b.actionId ? -1 : 1)).map((r) => [r.actionId, r.pledged, r.reminded, r.kept, r.cant]);
    const figures = JSON.stringify([signatures, goal, byCounty, stored]);
    let published = this.#published.get(campaignId);
    if (!published || published.figures !== figures) {
      // Nothing counted yet: the campaign's creation. Otherwise the second this server saw the change (at
      // start-up, the start): its own clock, never a commit time read from a row.
      const at = signatures === 0 && !published ? fallbackUpdatedAt : Math.floor(this.#clock() / 1000) * 1000;
      published = { figures, at };
      this.#published.set(campaignId, published);
    }
    const counts: Counts = { signatures, goal, byCounty, updatedAt: new Date(published.at).toISOString(), ...(actionFigures ? { actions: actionFigures } : {}) };
    const body = Buffer.from(JSON.stringify(counts));
    const view = { counts, body, etag: strongEtag(body) };
    this.#views.set(key, { goal, fallback: fallbackUpdatedAt, actions: pledge, view });
    return view;
  }
}
