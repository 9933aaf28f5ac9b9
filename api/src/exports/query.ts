/**
 * Reading signatures for an export: the totals (`summarise`), the rows page by page (`pageSignatures`, SQL
 * in `rows.ts`), and each row decrypted only as far as the signer's consent allows (`toRecord`).
 */
import type { CountyCode, Locale } from '@imlu/contracts';
import { countyByCode } from '@imlu/contracts';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { targets } from '../db/schema.ts';
import type { FieldCrypto } from '../signing/crypto.ts';
import { readPages, type PageOptions } from './reader.ts';
import { ROW, whereClause, type ExportFilter, type RawExportRow } from './rows.ts';

export type { ExportFilter, RawExportRow } from './rows.ts';

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
  const w = whereClause(filter);
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

export { pageSignatures, type PageOptions } from './reader.ts';

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
  /** Only with `includeReferrer` (OSDI JSON): the partner's `source` tag and the signing request's `Origin`. */
  sourceRef?: string | null;
  origin?: string | null;
  /** Only with `includePledges` (a pledge campaign): the actions pledged, `1:pledged:kept 2:cant` (see rows.ts). */
  pledges?: string;
}

export interface DecryptOptions {
  locale: Locale;
  /** Contacts are left out unless asked for, and even then only for signers who consented to sharing. */
  includeContacts: boolean;
  /** The partner's `source` tag and the request's `Origin` (not personal data; only the JSON export has them). */
  includeReferrer?: boolean | undefined;
  /** A pledge campaign's export: each signature's pledged actions (the row's last field). */
  includePledges?: boolean | undefined;
}

export const SIGNATORY: Record<Locale, string> = { en: 'Signatory', sw: 'Mtia sahihi' };

export function countyName(code: CountyCode | null, locale: Locale): string {
  if (!code) return '';
  return countyByCode(code)?.name[locale] ?? code;
}

/**
 * One row, decrypted as far as the signer's consent allows: the query left the envelopes null where it
 * does not (`rows.ts`), so a name or contact is decrypted only when it goes into the export.
 */
export function toRecord(row: RawExportRow, campaignId: string, crypto: FieldCrypto, options: DecryptOptions): ExportRecord {
  const nameEnc = row[ROW.nameEnc];
  const name = typeof nameEnc === 'string' ? crypto.decrypt(nameEnc, campaignId, 'name') : null;
  const county = (row[ROW.county] ?? null) as CountyCode | null;
  const label = countyName(county, options.locale);
  const emailEnc = options.includeContacts ? row[ROW.emailEnc] : null;
  const phoneEnc = options.includeContacts ? row[ROW.phoneEnc] : null;
  const confirmedAt = row[ROW.confirmedAt] ?? null;
  const referrer = options.includeReferrer ? { sourceRef: (row[ROW.sourceRef] ?? null) as string | null, origin: (row[ROW.origin] ?? null) as string | null } : {};
  return {
    id: row[ROW.id] as string,
    createdAt: Number(row[ROW.createdAt]),
    confirmedAt: confirmedAt === null ? null : Number(confirmedAt),
    status: row[ROW.status] === 'counted' ? 'counted' : 'pending',
    county,
    countyName: label,
    name,
    displayName: name ?? (label ? `${SIGNATORY[options.locale]}, ${label}` : SIGNATORY[options.locale]),
    email: typeof emailEnc === 'string' && emailEnc ? crypto.decrypt(emailEnc, campaignId, 'email') : null,
    phone: typeof phoneEnc === 'string' && phoneEnc ? crypto.decrypt(phoneEnc, campaignId, 'phone') : null,
    ...referrer,
    ...(options.includePledges ? { pledges: String(row[row.length - 1] ?? '') } : {}),
  };
}

/**
 * Decrypted records, a page at a time (an async iterable: a `Readable.from` of it has backpressure). The
 * next page is being read while this one is decrypted and written when `readPages` reads in a worker.
 */
export async function* exportPages(
  db: Db,
  crypto: FieldCrypto,
  filter: ExportFilter,
  options: DecryptOptions & PageOptions,
): AsyncGenerator<ExportRecord[]> {
  for await (const page of readPages(db, filter, options)) {
    const records = new Array<ExportRecord>(page.length);
    for (let i = 0; i < page.length; i++) records[i] = toRecord(page[i]!, filter.campaignId, crypto, options);
    yield records;
  }
}

/** The same records one by one. */
export async function* exportRecords(
  db: Db,
  crypto: FieldCrypto,
  filter: ExportFilter,
  options: DecryptOptions & PageOptions,
): AsyncGenerator<ExportRecord> {
  for await (const page of exportPages(db, crypto, filter, options)) yield* page;
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
