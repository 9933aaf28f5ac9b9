/**
 * What the fault harness checks on the database after every fault, with the server stopped or killed:
 * every acknowledged signature is there (its stored contact decrypted with the keys the harness gave the
 * server and compared with what was acknowledged), none is there twice, `PRAGMA integrity_check` says ok,
 * and the counts table equals the rows (the project's own `reconcileCounts`, every bucket).
 */
import { createDb } from '../src/db/client.ts';
import { reconcileCounts } from '../src/moderation/moderation.ts';
import { FieldCrypto } from '../src/signing/crypto.ts';
import type { ContactKind } from './crash-load.ts';
import type { ServerKeys } from './crash-server.ts';

export interface Verdict {
  rows: number;
  acknowledged: number;
  /** Acknowledged contacts not found in the database. */
  missing: number;
  /** Contacts stored more than once. */
  duplicated: number;
  integrity: string;
  /** Buckets of `campaign_counts` that differ from the rows. */
  countDrifts: number;
  counted: number;
  pending: number;
  ok: boolean;
}

export async function verifyDatabase(
  dbFile: string,
  keys: ServerKeys,
  campaign: { id: string; contact: ContactKind },
  acknowledged: Iterable<string>,
): Promise<Verdict> {
  const db = await createDb(`file:${dbFile}`);
  try {
    const integrity = (await db.client.execute('PRAGMA integrity_check')).rows.map((r) => String(r[0])).join('; ');
    const crypto = new FieldCrypto(keys);
    const column = campaign.contact === 'phone' ? 'phone_enc' : 'email_enc';
    const stored = await db.client.execute({ sql: `SELECT ${column} FROM signatures WHERE campaign_id = ?`, args: [campaign.id] });
    const seen = new Map<string, number>();
    for (const row of stored.rows) {
      if (row[0] === null) continue;
      const contact = crypto.decrypt(String(row[0]), campaign.id, campaign.contact);
      seen.set(contact, (seen.get(contact) ?? 0) + 1);
    }
    let missing = 0;
    let total = 0;
    for (const contact of acknowledged) {
      total++;
      if (!seen.has(contact)) missing++;
    }
    const duplicated = [...seen.values()].filter((n) => n > 1).length;
    const drifts = await reconcileCounts(db, { fix: false });
    const [totals] = (await db.client.execute({ sql: "SELECT counted, pending FROM campaign_counts WHERE campaign_id = ? AND bucket = 'total'", args: [campaign.id] }))
      .rows;
    return {
      rows: stored.rows.length,
      acknowledged: total,
      missing,
      duplicated,
      integrity,
      countDrifts: drifts.length,
      counted: Number(totals?.[0] ?? 0),
      pending: Number(totals?.[1] ?? 0),
      ok: missing === 0 && duplicated === 0 && integrity === 'ok' && drifts.length === 0,
    };
  } finally {
    db.close();
  }
}
