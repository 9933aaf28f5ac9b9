/**
 * Reading signatures for an export: keyset pagination on `(created_at, id)`, one page per query, so an
 * export of a million rows never holds more than one page in memory (`@libsql/client` loads a whole result
 * set at once: TOOLCHAIN.md measured 770 MB for 1M rows in one SELECT). Never OFFSET: each page starts
 * where the last one ended, through the `(campaign_id, created_at)` index.
 *
 * Always excluded: invalid and suspect signatures (`flag`), versions replaced by a later submission for
 * the same contact (`superseded_by`), and rows a campaigner struck out (`struck_at`). `verifiedOnly` keeps only `counted` ones (confirmed, or in a campaign without
 * confirmation); otherwise pending (unconfirmed) signatures are included and marked as such.
 */
import type { InArgs, InValue } from '@libsql/client';
import { countyByCode, type CountyCode, type Locale } from '@imlu/contracts';
import type { Db } from '../db/client.ts';
import type { FieldCrypto } from '../signing/crypto.ts';
import { eq } from 'drizzle-orm';
import { targets } from '../db/schema.ts';

export interface ExportFilter {
  campaignId: string;
  /** One county; `null` selects signatures without a county (a per-county split needs that part too). */
  county?: CountyCode | null | undefined;
  /** Inclusive lower bound on the signing time (ms). */
  from?: number | undefined;
  /** Exclusive upper bound on the signing time (ms). */
  to?: number | undefined;
  verifiedOnly?: boolean | undefined;
  /** Recorded only (manifest, audit): the target whose jurisdiction chose `county` (or the whole country). */
  jurisdiction?: string | undefined;
}

/** The filters as written into manifests and audit entries (no personal data). */
export function describeFilter(filter: ExportFilter): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  if (filter.jurisdiction !== undefined) out['jurisdiction'] = filter.jurisdiction;
  if (filter.county !== undefined) out['county'] = filter.county ?? 'none';
  if (filter.from !== undefined) out['from'] = new Date(filter.from).toISOString();
  if (filter.to !== undefined) out['to'] = new Date(filter.to).toISOString();
  out['verifiedOnly'] = Boolean(filter.verifiedOnly);
  out['excludes'] = 'invalid, suspect, replaced, struck out';
  return out;
}

function where(filter: ExportFilter): { sql: string; args: InValue[] } {
  // A superseded version was replaced by its contact's later word: it is not a signature of anyone's.
  const parts = ['campaign_id = ?', 'flag IS NULL', 'superseded_by IS NULL', 'struck_at IS NULL'];
  const args: InValue[] = [filter.campaignId];
  if (filter.verifiedOnly) parts.push("status = 'counted'");
  if (filter.county === null) parts.push('county IS NULL');
  else if (filter.county) {
    parts.push('county = ?');
    args.push(filter.county);
  }
  if (filter.from !== undefined) {
    parts.push('created_at >= ?');
    args.push(filter.from);
  }
  if (filter.to !== undefined) {
    parts.push('created_at < ?');
    args.push(filter.to);
  }
  return { sql: parts.join(' AND '), args };
}

export interface ExportSummary {
  total: number;
  counted: number;
  pending: number;
  /** Rows per county code; `null` for signatures without a county. */
  byCounty: Map<CountyCode | null, number>;
  /** Signing times of the first and last row (ms), or null without rows. */
  firstAt: number | null;
  lastAt: number | null;
  /**
   * When retention deleted the campaign's personal data (null before): the totals then come from the
   * running counts (confirmed signatures), and there are no rows to list.
   */
  anonymisedAt: number | null;
}

/** One aggregate query: totals for the cover letter, the per-county table and the progress bar. */
export async function summarise(db: Db, filter: ExportFilter): Promise<ExportSummary> {
  const anonymised = await db.client.execute({ sql: 'SELECT anonymised_at FROM campaigns WHERE id = ?', args: [filter.campaignId] });
  const anonymisedAt = anonymised.rows[0]?.[0];
  if (anonymisedAt !== null && anonymisedAt !== undefined) return totalsOnly(db, filter, Number(anonymisedAt));
  const w = where(filter);
  const result = await db.client.execute({
    sql: `SELECT county, COUNT(*) AS n, SUM(status = 'counted') AS counted, MIN(created_at) AS first, MAX(created_at) AS last
          FROM signatures WHERE ${w.sql} GROUP BY county`,
    args: w.args,
  });
  const summary: ExportSummary = { total: 0, counted: 0, pending: 0, byCounty: new Map(), firstAt: null, lastAt: null, anonymisedAt: null };
  for (const row of result.rows) {
    const n = Number(row['n']);
    const counted = Number(row['counted']);
    const county = row['county'] === null ? null : (String(row['county']) as CountyCode);
    summary.byCounty.set(county, n);
    summary.total += n;
    summary.counted += counted;
    summary.pending += n - counted;
    const first = Number(row['first']);
    const last = Number(row['last']);
    summary.firstAt = summary.firstAt === null ? first : Math.min(summary.firstAt, first);
    summary.lastAt = summary.lastAt === null ? last : Math.max(summary.lastAt, last);
  }
  return summary;
}

/**
 * A campaign past its retention: the confirmed totals, per county, from the running counts (what the
 * public saw). Per-county totals only exist for signatures that gave a county; the rest is "no county".
 */
async function totalsOnly(db: Db, filter: ExportFilter, anonymisedAt: number): Promise<ExportSummary> {
  const result = await db.client.execute({ sql: 'SELECT bucket, counted FROM campaign_counts WHERE campaign_id = ?', args: [filter.campaignId] });
  const byCounty = new Map<CountyCode | null, number>();
  let total = 0;
  let inCounties = 0;
  for (const row of result.rows) {
    const n = Number(row['counted']);
    if (row['bucket'] === 'total') total = n;
    else if (n > 0) {
      byCounty.set(String(row['bucket']) as CountyCode, n);
      inCounties += n;
    }
  }
  if (total > inCounties) byCounty.set(null, total - inCounties);
  if (filter.county !== undefined) {
    const n = byCounty.get(filter.county) ?? 0;
    return { total: n, counted: n, pending: 0, byCounty: new Map(n ? [[filter.county, n]] : []), firstAt: null, lastAt: null, anonymisedAt };
  }
  return { total, counted: total, pending: 0, byCounty, firstAt: null, lastAt: null, anonymisedAt };
}

/** A signature row as stored (still encrypted). */
export interface RawExportRow {
  id: string;
  createdAt: number;
  confirmedAt: number | null;
  status: 'counted' | 'pending';
  county: CountyCode | null;
  locale: string | null;
  nameEnc: string;
  emailEnc: string | null;
  phoneEnc: string | null;
  consentPublicName: boolean;
  consentShareWithTargets: boolean;
}

export interface PageOptions {
  /** Rows per query. Default 1000. */
  pageSize?: number;
  /** Observer of each query (tests count pages and their sizes). */
  onPage?: (rows: number) => void;
}

/** Yields pages of rows in `(created_at, id)` order, one query per page. */
export async function* pageSignatures(db: Db, filter: ExportFilter, options: PageOptions = {}): AsyncGenerator<RawExportRow[]> {
  const pageSize = options.pageSize ?? 1000;
  const w = where(filter);
  let cursor: [number, string] | undefined;
  for (;;) {
    const args: InArgs = [...w.args];
    let keyset = '';
    if (cursor) {
      keyset = ' AND (created_at, id) > (?, ?)';
      args.push(cursor[0], cursor[1]);
    }
    args.push(pageSize);
    const result = await db.client.execute({
      sql: `SELECT id, created_at, confirmed_at, status, county, locale, name_enc, email_enc, phone_enc,
                   consent_public_name, consent_share_with_targets
            FROM signatures WHERE ${w.sql}${keyset} ORDER BY created_at, id LIMIT ?`,
      args,
    });
    options.onPage?.(result.rows.length);
    if (!result.rows.length) return;
    const page = result.rows.map(
      (row): RawExportRow => ({
        id: String(row['id']),
        createdAt: Number(row['created_at']),
        confirmedAt: row['confirmed_at'] === null ? null : Number(row['confirmed_at']),
        status: row['status'] === 'counted' ? 'counted' : 'pending',
        county: row['county'] === null ? null : (String(row['county']) as CountyCode),
        locale: row['locale'] === null ? null : String(row['locale']),
        nameEnc: String(row['name_enc']),
        emailEnc: row['email_enc'] === null ? null : String(row['email_enc']),
        phoneEnc: row['phone_enc'] === null ? null : String(row['phone_enc']),
        consentPublicName: Boolean(row['consent_public_name']),
        consentShareWithTargets: Boolean(row['consent_share_with_targets']),
      }),
    );
    yield page;
    if (page.length < pageSize) return;
    const last = page[page.length - 1]!;
    cursor = [last.createdAt, last.id];
  }
}

/** A signature as it leaves the system: decrypted only as far as the signer's consent allows. */
export interface ExportRecord {
  id: string;
  createdAt: number;
  confirmedAt: number | null;
  status: 'counted' | 'pending';
  county: CountyCode | null;
  countyName: string;
  /** The name when the signer agreed to share it with the campaign's targets, else null. */
  name: string | null;
  /** What a reader sees: the name, or "Signatory, <county>" (or "Signatory"). */
  displayName: string;
  /** Only with `includeContacts` and the signer's consent to share with targets. */
  email: string | null;
  phone: string | null;
}

export interface DecryptOptions {
  locale: Locale;
  /** Contacts are left out unless asked for, and even then only for signers who consented to sharing. */
  includeContacts: boolean;
}

export const SIGNATORY: Record<Locale, string> = { en: 'Signatory', sw: 'Mtia sahihi' };

export function countyName(code: CountyCode | null, locale: Locale): string {
  if (!code) return '';
  return countyByCode(code)?.name[locale] ?? code;
}

export function toRecord(row: RawExportRow, campaignId: string, crypto: FieldCrypto, options: DecryptOptions): ExportRecord {
  const shared = row.consentShareWithTargets;
  const name = shared ? crypto.decrypt(row.nameEnc, campaignId, 'name') : null;
  const county = countyName(row.county, options.locale);
  const withContacts = shared && options.includeContacts;
  return {
    id: row.id,
    createdAt: row.createdAt,
    confirmedAt: row.confirmedAt,
    status: row.status,
    county: row.county,
    countyName: county,
    name,
    displayName: name ?? (county ? `${SIGNATORY[options.locale]}, ${county}` : SIGNATORY[options.locale]),
    email: withContacts && row.emailEnc ? crypto.decrypt(row.emailEnc, campaignId, 'email') : null,
    phone: withContacts && row.phoneEnc ? crypto.decrypt(row.phoneEnc, campaignId, 'phone') : null,
  };
}

/** Decrypted records, one page at a time (an async iterable: a `Readable.from` of it has backpressure). */
export async function* exportRecords(
  db: Db,
  crypto: FieldCrypto,
  filter: ExportFilter,
  options: DecryptOptions & PageOptions,
): AsyncGenerator<ExportRecord> {
  for await (const page of pageSignatures(db, filter, options)) {
    for (const row of page) yield toRecord(row, filter.campaignId, crypto, options);
  }
}


/** A target's jurisdiction as an export filter: its county, or the whole country for a national body. */
export type JurisdictionFilter = { targetId: string; level: 'national' | 'county'; county: CountyCode | null };

/**
 * Resolves `--jurisdiction <target id>` (or `?jurisdiction=`): a county government's signers are those in
 * its county; a national body's are everyone. Undefined when there is no such target.
 */
export async function jurisdictionFilter(db: Db, targetId: string): Promise<JurisdictionFilter | undefined> {
  const [row] = await db.orm
    .select({ level: targets.jurisdictionLevel, county: targets.county })
    .from(targets)
    .where(eq(targets.id, targetId))
    .limit(1);
  if (!row) return undefined;
  return { targetId, level: row.level, county: row.level === 'county' ? (row.county as CountyCode) : null };
}
