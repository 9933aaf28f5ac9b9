/**
 * What an export reads from `signatures`, page by page: the SQL, its filter, and the row layout.
 *
 * Only the exported columns, and of those only what the signer's consent lets out: the name, e-mail and
 * phone envelopes are selected `CASE WHEN consent_share_with_targets`, so a signer who did not agree to
 * share has no ciphertext read at all, and the contact columns are not in the query unless contacts are
 * exported.
 *
 * Each row comes back as ONE text value, its fields joined by U+001F (the ASCII unit separator), and from
 * an embedded database a whole page does: its rows joined by U+001D (the group separator) in key order
 * (`group_concat(… ORDER BY created_at, id)`). They are split into arrays here (`unpackPage`, positions in
 * `ROW`). `@libsql/client` fetches rows one native call at a time and turns each into an object with two
 * properties per column, which cost more than SQLite's own read: one value per row made a page about 40 %
 * cheaper than a column per field, and one value per page about a third cheaper again, with far less
 * garbage (measured, issue 15). A libSQL server (sqld 0.24) refuses ORDER BY inside an aggregate, and
 * over the network the round trip is the cost: there each row is its own result row. No exported field
 * can hold U+001D or U+001F: ids and envelopes are our own UUID and base64url text, county codes are
 * validated; a row that splits into another number of fields stops the export rather than shift a column.
 *
 * Keyset pagination on `(created_at, id)`, one page per query, so an export of a million rows never holds
 * more than a page or two in memory (`@libsql/client` loads a whole result set at once: TOOLCHAIN.md
 * measured 770 MB for 1M rows in one SELECT). Never OFFSET: each page starts where the last one ended,
 * through the `(campaign_id, created_at)` index.
 *
 * Always excluded: invalid and suspect signatures (`flag`), versions replaced by a later submission for
 * the same contact (`superseded_by`), and rows a campaigner struck out (`struck_at`). `verifiedOnly` keeps
 * only `counted` ones (confirmed, or in a campaign without confirmation); otherwise pending (unconfirmed)
 * signatures are included and marked as such.
 */
import type { InArgs, InStatement, InValue } from '@libsql/client';
import type { CountyCode } from '@imlu/contracts';

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

export function whereClause(filter: ExportFilter): { sql: string; args: InValue[] } {
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

/**
 * Positions in a row as read; `emailEnc` and `phoneEnc` exist only when contacts are exported (else, before
 * the referrer fields, they are read as NULL), `sourceRef` and `origin` only for the OSDI JSON export.
 */
export const ROW = { id: 0, createdAt: 1, confirmedAt: 2, status: 3, county: 4, nameEnc: 5, emailEnc: 6, phoneEnc: 7, sourceRef: 8, origin: 9 } as const;

/**
 * A signature row as stored (still encrypted), by position (`ROW`). The envelopes are null where the
 * signer did not consent to sharing with the targets.
 */
export type RawExportRow = (string | number | null)[];

const FIELD_SEPARATOR = '\x1f';
const ROW_SEPARATOR = '\x1d';
/** NULL in a packed row (U+001E): apart from an empty text, which a damaged row could hold. */
const NULL = '\x1e';

const FIELDS = [
  'id',
  'created_at',
  'ifnull(confirmed_at, char(30))',
  'status',
  'ifnull(county, char(30))',
  'ifnull(CASE WHEN consent_share_with_targets THEN name_enc END, char(30))',
];
const CONTACT_FIELDS = [
  'ifnull(CASE WHEN consent_share_with_targets THEN email_enc END, char(30))',
  'ifnull(CASE WHEN consent_share_with_targets THEN phone_enc END, char(30))',
];
const NO_CONTACT_FIELDS = ['char(30)', 'char(30)'];
/**
 * The partner's `source` tag and the `Origin` of the signing request (OSDI `referrer_data`). Unlike the other
 * fields these are free text from outside (`source` is checked by `isPlainLine` today, but not rows stored
 * before it): the separators are taken out, so that no value can split a packed row.
 */
const REFERRER_FIELDS = ['source_ref', 'origin'].map((column) => `ifnull(replace(replace(replace(${column}, char(29), ''), char(30), ''), char(31), ''), char(30))`);

/**
 * A pledge's actions (issue 16), last in the row when asked for: `<position>:<state>` per pledged action,
 * `:kept` added where it was kept, in the actions' order, space-separated (`1:pledged:kept 2:cant`). Our own
 * words and numbers: no separator can occur in them.
 */
const PLEDGES_FIELD =
  "ifnull((SELECT group_concat(p, ' ') FROM (SELECT a.position || ':' || c.state || CASE WHEN c.kept_at IS NOT NULL THEN ':kept' ELSE '' END AS p " +
  'FROM pledge_commitments c JOIN pledge_actions a ON a.id = c.action_id WHERE c.signature_id = signatures.id ORDER BY a.position)), char(30))';

/** The rows of a page as `pageQuery` selected them: the result's rows, or its one packed value. */
export function unpackPage(query: PageQuery, rows: ArrayLike<ArrayLike<unknown>>): RawExportRow[] {
  if (!query.onePerPage) return Array.from(rows, (row) => unpackRow(row[0] as string, query.width));
  const packed = (rows[0]?.[0] ?? null) as string | null;
  return packed === null ? [] : packed.split(ROW_SEPARATOR).map((row) => unpackRow(row, query.width));
}

function unpackRow(packed: string, width: number): RawExportRow {
  const fields: RawExportRow = packed.split(FIELD_SEPARATOR);
  if (fields.length !== width) throw new Error(`export: signature ${packed.slice(0, 36)} has a field holding U+001D or U+001F and cannot be written`);
  for (let i = 0; i < width; i++) if (fields[i] === NULL) fields[i] = null;
  fields[ROW.createdAt] = Number(fields[ROW.createdAt]);
  if (fields[ROW.confirmedAt] !== null) fields[ROW.confirmedAt] = Number(fields[ROW.confirmedAt]);
  return fields;
}

/**
 * The two statements of a keyset walk: the first page, and every later one, whose arguments are the
 * first page's followed by the last row's `(created_at, id)`; both take the page size as their last.
 * Each answers a packed value per row, or with `onePerPage` one row of one value, the packed page (null
 * when no row is left).
 */
export interface PageQuery {
  first: string;
  next: string;
  args: InValue[];
  pageSize: number;
  /** Fields per row. */
  width: number;
  onePerPage: boolean;
}

export function pageQuery(
  filter: ExportFilter,
  options: { includeContacts: boolean; includeReferrer?: boolean; includePledges?: boolean; pageSize: number; onePerPage: boolean },
): PageQuery {
  const w = whereClause(filter);
  const fields = [
    ...FIELDS,
    ...(options.includeContacts ? CONTACT_FIELDS : options.includeReferrer ? NO_CONTACT_FIELDS : []),
    ...(options.includeReferrer ? REFERRER_FIELDS : []),
    ...(options.includePledges ? [PLEDGES_FIELD] : []),
  ];
  const packed = fields.join(' || char(31) || ');
  const page = (where: string) => {
    const rows = `FROM signatures WHERE ${where} ORDER BY created_at, id LIMIT ?`;
    return options.onePerPage
      ? `SELECT group_concat(packed, char(29) ORDER BY created_at, id) FROM (SELECT ${packed} AS packed, created_at, id ${rows})`
      : `SELECT ${packed} ${rows}`;
  };
  return {
    first: page(w.sql),
    next: page(`${w.sql} AND (created_at, id) > (?, ?)`),
    args: w.args,
    pageSize: options.pageSize,
    width: fields.length,
    onePerPage: options.onePerPage,
  };
}

/** The statement for the page after `last` (or the first page). */
export function pageStatement(query: PageQuery, last: RawExportRow | undefined): InStatement {
  const args: InArgs = last ? [...query.args, last[ROW.createdAt]!, last[ROW.id]!, query.pageSize] : [...query.args, query.pageSize];
  return { sql: last ? query.next : query.first, args };
}
