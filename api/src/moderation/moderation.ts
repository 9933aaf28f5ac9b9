/**
 * Moderation primitives (issue 4, item 6 — the library part; no admin HTTP endpoint or CLI yet):
 *
 * - `invalidateSignatures`: bulk invalidation of a campaign's signatures by time window, source hash,
 *   e-mail domain or county — a dry run first says how many would be affected (by status and county) —
 *   then marks them `flag = 'invalid'` and recounts the campaign's totals and county counts exactly, in
 *   ONE write transaction.
 * - `reconcileCounts`: compares every campaign's counts table with its signatures, reports any drift and
 *   fixes it by the same exact recount.
 * - `trendingSources`: sources (IP hash, e-mail domain hash) with an unusual share of a campaign's recent
 *   signatures, for an alert in the log. Hashes are reported as a short hex prefix: enough to invalidate
 *   by, useless for finding a person.
 */
import type { InStatement } from '@libsql/client';
import type { Db } from '../db/client.ts';
import type { FieldCrypto } from '../signing/crypto.ts';

export interface InvalidationFilter {
  campaignId: string;
  /** Inclusive start and exclusive end of `created_at`, in ms. */
  from?: number;
  to?: number;
  /** A source IP hash (as stored, or its hex prefix from `trendingSources`). */
  sourceHashHex?: string;
  /** An e-mail domain's (or phone block's) keyed hash, as stored or its hex prefix from `trendingSources`. */
  domainHashHex?: string;
  emailDomain?: string;
  county?: string;
}

export interface InvalidationReport {
  /** Signatures that match (and, unless a dry run, are now invalid). */
  affected: number;
  /** Of those, how many were counted, pending or suspect. */
  counted: number;
  pending: number;
  suspect: number;
  /** Counted ones per county that leave the public county counts. */
  byCounty: Record<string, number>;
  dryRun: boolean;
}

function where(filter: InvalidationFilter, crypto: FieldCrypto): { sql: string; args: (string | number | Buffer)[] } {
  const clauses = ['campaign_id = ?', "(flag IS NULL OR flag = 'suspect')"];
  const args: (string | number | Buffer)[] = [filter.campaignId];
  const add = (clause: string, arg: string | number | Buffer) => {
    clauses.push(clause);
    args.push(arg);
  };
  if (filter.from !== undefined) add('created_at >= ?', filter.from);
  if (filter.to !== undefined) add('created_at < ?', filter.to);
  if (filter.sourceHashHex) add('lower(hex(source_hash)) LIKE ?', `${filter.sourceHashHex.toLowerCase().replace(/[^0-9a-f]/g, '')}%`);
  // A trending domain is known to staff only by its hash prefix: invalidating by it needs no domain typed.
  if (filter.domainHashHex) add('lower(hex(domain_hash)) LIKE ?', `${filter.domainHashHex.toLowerCase().replace(/[^0-9a-f]/g, '')}%`);
  if (filter.emailDomain) add('domain_hash = ?', crypto.blindIndex('email-domain', filter.campaignId, filter.emailDomain.toLowerCase()));
  if (filter.county) add('county = ?', filter.county);
  if (clauses.length === 2) throw new Error('an invalidation needs at least one of from, to, sourceHashHex, domainHashHex, emailDomain, county');
  return { sql: clauses.join(' AND '), args };
}

export async function invalidateSignatures(
  db: Db,
  crypto: FieldCrypto,
  filter: InvalidationFilter,
  options: { dryRun: boolean; now?: number },
): Promise<InvalidationReport> {
  const match = where(filter, crypto);
  const summary: InStatement = {
    sql: `SELECT CASE WHEN flag = 'suspect' THEN 'suspect' ELSE status END, county, COUNT(*) FROM signatures WHERE ${match.sql} GROUP BY 1, 2`,
    args: match.args,
  };
  const statements: InStatement[] = [summary];
  if (!options.dryRun) {
    statements.push({ sql: `UPDATE signatures SET flag = 'invalid' WHERE ${match.sql}`, args: match.args });
    statements.push(...recountStatements(filter.campaignId, options.now ?? Date.now()));
  }
  const [rows] = await db.client.batch(statements, options.dryRun ? 'read' : 'write');
  const report: InvalidationReport = { affected: 0, counted: 0, pending: 0, suspect: 0, byCounty: {}, dryRun: options.dryRun };
  for (const row of rows!.rows) {
    const kind = String(row[0]) as 'counted' | 'pending' | 'suspect';
    const n = Number(row[2]);
    report.affected += n;
    report[kind] += n;
    if (kind === 'counted' && row[1] !== null) report.byCounty[String(row[1])] = (report.byCounty[String(row[1])] ?? 0) + n;
  }
  return report;
}

/**
 * Statements that set a campaign's counts to exactly what its signatures say: every existing bucket is
 * zeroed, then the true values are upserted. `version` grows, so every counts snapshot takes the change.
 */
export function recountStatements(campaignId: string, now: number): InStatement[] {
  // A campaign past its retention has no signature rows left: its counts are final and never recounted.
  const live = ' AND NOT EXISTS (SELECT 1 FROM campaigns c WHERE c.id = ? AND c.anonymised_at IS NOT NULL)';
  const values = (bucket: string, extra: string) =>
    'INSERT INTO campaign_counts (campaign_id, bucket, counted, pending, suspect, version, updated_at) ' +
    `SELECT campaign_id, ${bucket}, SUM(status = 'counted' AND flag IS NULL), SUM(status = 'pending' AND flag IS NULL AND superseded_by IS NULL), ` +
    `SUM(flag IS 'suspect'), 1, ? FROM signatures WHERE campaign_id = ?${extra}${live} GROUP BY ${bucket === "'total'" ? 'campaign_id' : 'county'} ` +
    'ON CONFLICT (campaign_id, bucket) DO UPDATE SET counted = excluded.counted, pending = excluded.pending, ' +
    'suspect = excluded.suspect, version = campaign_counts.version + 1, updated_at = excluded.updated_at';
  return [
    {
      sql: `UPDATE campaign_counts SET counted = 0, pending = 0, suspect = 0, version = version + 1, updated_at = ? WHERE campaign_id = ?${live}`,
      args: [now, campaignId, campaignId],
    },
    { sql: values("'total'", ''), args: [now, campaignId, campaignId] },
    { sql: values('county', ' AND county IS NOT NULL'), args: [now, campaignId, campaignId] },
  ];
}

export interface Drift {
  campaignId: string;
  bucket: string;
  stored: { counted: number; pending: number; suspect: number };
  actual: { counted: number; pending: number; suspect: number };
}

/** Compares the counts table with the signatures; fixes drifting campaigns by an exact recount. */
export async function reconcileCounts(db: Db, options: { fix: boolean; now?: number }): Promise<Drift[]> {
  const [stored, actual] = await db.client.batch(
    [
      // Campaigns past their retention have no signature rows left: their counts are final, not drift.
      'SELECT campaign_id, bucket, counted, pending, suspect FROM campaign_counts WHERE campaign_id NOT IN (SELECT id FROM campaigns WHERE anonymised_at IS NOT NULL)',
      "SELECT campaign_id, 'total', SUM(status = 'counted' AND flag IS NULL), SUM(status = 'pending' AND flag IS NULL AND superseded_by IS NULL), SUM(flag IS 'suspect') " +
        'FROM signatures WHERE campaign_id NOT IN (SELECT id FROM campaigns WHERE anonymised_at IS NOT NULL) GROUP BY campaign_id ' +
        "UNION ALL SELECT campaign_id, county, SUM(status = 'counted' AND flag IS NULL), SUM(status = 'pending' AND flag IS NULL AND superseded_by IS NULL), SUM(flag IS 'suspect') " +
        'FROM signatures WHERE county IS NOT NULL AND campaign_id NOT IN (SELECT id FROM campaigns WHERE anonymised_at IS NOT NULL) GROUP BY campaign_id, county',
    ],
    'read',
  );
  const read = (rows: typeof stored) =>
    new Map(rows!.rows.map((r) => [`${String(r[0])}|${String(r[1])}`, { counted: Number(r[2]), pending: Number(r[3]), suspect: Number(r[4]) }]));
  const storedMap = read(stored);
  const actualMap = read(actual);
  const zero = { counted: 0, pending: 0, suspect: 0 };
  const drifts: Drift[] = [];
  for (const key of new Set([...storedMap.keys(), ...actualMap.keys()])) {
    const s = storedMap.get(key) ?? zero;
    const a = actualMap.get(key) ?? zero;
    if (s.counted !== a.counted || s.pending !== a.pending || s.suspect !== a.suspect) {
      const [campaignId, bucket] = key.split('|') as [string, string];
      drifts.push({ campaignId, bucket, stored: s, actual: a });
    }
  }
  if (options.fix && drifts.length) {
    const now = options.now ?? Date.now();
    const campaigns = [...new Set(drifts.map((d) => d.campaignId))];
    await db.client.batch(campaigns.flatMap((id) => recountStatements(id, now)), 'write');
  }
  return drifts;
}

export interface TrendingSource {
  campaignId: string;
  kind: 'source' | 'domain';
  /** The first 12 hex digits of the keyed hash: enough to invalidate by, useless to identify anyone. */
  hashPrefix: string;
  signatures: number;
  share: number;
}

/** Sources with at least `minCount` signatures and `minShare` of a campaign's signatures in the window. */
export async function trendingSources(
  db: Db,
  options: { now: number; windowMs: number; minCount: number; minShare: number; campaignId?: string | undefined },
): Promise<TrendingSource[]> {
  const since = options.now - options.windowMs;
  const oneCampaign = options.campaignId === undefined ? '' : ' AND c.id = ?';
  const result = await db.client.execute({
    sql:
      // Campaign by campaign (CROSS JOIN keeps that order), each by its (campaign_id, created_at) index:
      // `created_at > ?` alone would read every signature, every minute.
      `WITH recent AS (SELECT s.campaign_id, s.source_hash, s.domain_hash FROM campaigns c CROSS JOIN signatures s ON s.campaign_id = c.id WHERE s.created_at > ?${oneCampaign}), ` +
      'totals AS (SELECT campaign_id, COUNT(*) AS n FROM recent GROUP BY campaign_id) ' +
      "SELECT r.campaign_id, 'source', lower(hex(r.source_hash)), COUNT(*), t.n FROM recent r JOIN totals t USING (campaign_id) " +
      'WHERE r.source_hash IS NOT NULL GROUP BY r.campaign_id, r.source_hash HAVING COUNT(*) >= ? ' +
      "UNION ALL SELECT r.campaign_id, 'domain', lower(hex(r.domain_hash)), COUNT(*), t.n FROM recent r JOIN totals t USING (campaign_id) " +
      'WHERE r.domain_hash IS NOT NULL GROUP BY r.campaign_id, r.domain_hash HAVING COUNT(*) >= ?',
    args: [since, ...(options.campaignId === undefined ? [] : [options.campaignId]), options.minCount, options.minCount],
  });
  return result.rows
    .map((r) => ({
      campaignId: String(r[0]),
      kind: String(r[1]) as 'source' | 'domain',
      hashPrefix: String(r[2]).slice(0, 12),
      signatures: Number(r[3]),
      share: Number(r[3]) / Number(r[4]),
    }))
    .filter((t) => t.share >= options.minShare)
    .sort((a, b) => b.signatures - a.signatures);
}

/** The filters of an invalidation as recorded in the audit log (no personal data: a domain, a hash prefix). */
export function invalidationFilters(body: {
  from?: string | undefined;
  to?: string | undefined;
  sourceHashPrefix?: string | undefined;
  domainHashPrefix?: string | undefined;
  emailDomain?: string | undefined;
  county?: string | undefined;
}) {
  const filters: Record<string, string> = {};
  for (const key of ['from', 'to', 'sourceHashPrefix', 'domainHashPrefix', 'emailDomain', 'county'] as const) {
    const value = body[key];
    if (value !== undefined) filters[key] = value;
  }
  return filters;
}
