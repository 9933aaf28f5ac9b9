/**
 * A pledge campaign's public figures per action (issue 16), from the rows of `pledge_action_counts` that
 * the triggers keep (`src/db/sql/triggers/pledge_counts_*.sql`): in the actions' order, an action nobody
 * pledged yet at zero, and the places left where the action has a capacity.
 */
import type { LocalizedText, PledgeAction, PledgeFigures } from '@imlu/contracts';
import type { Client } from '@libsql/client';
import { ACTION_COUNT_COLUMNS, readActionCountRows, type ActionCountRow } from '../signing/writer.ts';

export function pledgeFigures(actions: readonly PledgeAction[], rows: ReadonlyMap<string, ActionCountRow> | undefined): PledgeFigures[] {
  return [...actions]
    .sort((a, b) => a.position - b.position)
    .map((action) => {
      const row = rows?.get(action.id);
      const pledged = row?.pledged ?? 0;
      return {
        id: action.id,
        position: action.position,
        pledged,
        reminded: row?.reminded ?? 0,
        kept: row?.kept ?? 0,
        cant: row?.cant ?? 0,
        placesLeft: action.capacity === null ? null : Math.max(0, action.capacity - pledged),
        startsAt: action.startsAt,
      };
    });
}

/** The figures rows of one campaign as stored now, for the counts snapshot after a change made outside the writer. */
export async function readActionCounts(client: Client, campaignId: string): Promise<ActionCountRow[]> {
  const result = await client.execute({ sql: `SELECT ${ACTION_COUNT_COLUMNS} FROM pledge_action_counts WHERE campaign_id = ?`, args: [campaignId] });
  return readActionCountRows(result);
}

/** An action with its figures as a delivery pack states them (its manifest and the PDF cover). */
export interface PackPledge {
  position: number;
  title: LocalizedText;
  startsAt: string | null;
  pledged: number;
  reminded: number;
  kept: number;
  cant: number;
}

/**
 * A pledge campaign's figures for a pack, read once when the pack is made (whole campaign: the figures are
 * not kept per county); undefined for a campaign without actions.
 */
export async function packPledges(client: Client, campaign: { id: string; actions: readonly PledgeAction[] }): Promise<PackPledge[] | undefined> {
  if (!campaign.actions.length) return undefined;
  const rows = new Map((await readActionCounts(client, campaign.id)).map((row) => [row.actionId, row]));
  const figures = new Map(pledgeFigures(campaign.actions, rows).map((f) => [f.id, f]));
  return [...campaign.actions]
    .sort((a, b) => a.position - b.position)
    .map((action) => {
      const { pledged, reminded, kept, cant } = figures.get(action.id)!;
      return { position: action.position, title: action.title, startsAt: action.startsAt, pledged, reminded, kept, cant };
    });
}
