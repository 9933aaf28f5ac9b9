/**
 * CSV export: RFC 4180 (CRLF line ends, fields quoted when they hold a comma, quote or line break, quotes
 * doubled), UTF-8 with a byte-order mark so that Excel opens "Wanjirũ" intact.
 *
 * Line breaks: every cell holding a CR or LF is quoted. A bare `\r` or `\n` in an unquoted cell ends the
 * row: LibreOffice put the rest of a name in the next row's first column and ran it there as a formula
 * (issue 10).
 *
 * Formula injection: a spreadsheet runs a cell that starts with `=`, `+`, `-`, `@` (or their full-width
 * forms), TAB or CR as a formula, and a reader that trims invisible characters would run `\u200B=1+1` or
 * `\u00A0=1+1` too (see `startsLikeFormula`). Every such cell is prefixed with `'`, so it stays text.
 *
 * Names are refused at signing when they hold controls or start so (`isPlainName` in @imlu/contracts),
 * but rows signed before that rule, county names or future columns must not depend on it: the writer is
 * safe on its own.
 */
import { Readable } from 'node:stream';
import { startsLikeFormula } from '@imlu/contracts';
import type { ExportRecord } from './query.ts';

const TAB_OR_CR_START = /^[\t\r]/;
/** What makes a cell quoted: the delimiter, the quote, or any line break (see above). */
const NEEDS_QUOTES = /[",\r\n]/;
const QUOTES = /"/g;
const BOM = '\uFEFF';
const CRLF = '\r\n';

export function neutraliseFormula(value: string): string {
  return TAB_OR_CR_START.test(value) || startsLikeFormula(value) ? `'${value}` : value;
}

export function csvColumns(includeContacts: boolean, includePledges = false): string[] {
  const columns = ['signature_id', 'signed_at', 'status', 'confirmed_at', 'county_code', 'county', 'name', 'name_shared'];
  return [...columns, ...(includeContacts ? ['email', 'phone'] : []), ...(includePledges ? ['pledges'] : [])];
}

/** One cell, made inert and quoted per RFC 4180 when it must be. */
function cell(value: string): string {
  const safe = neutraliseFormula(value);
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(QUOTES, '""')}"` : safe;
}

/**
 * A time as ISO 8601. It needs no quotes, and only a year outside 0–9999 (`+010000-…`, `-000001-…`) would
 * start like a formula.
 */
function time(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.charCodeAt(0) === 0x2b || iso.charCodeAt(0) === 0x2d ? cell(iso) : iso;
}

/** One row without its line end. `status` and `name_shared` are ours (see toRecord): plain words. */
export function csvLine(record: ExportRecord, includeContacts: boolean, includePledges = false): string {
  let line = `${cell(record.id)},${time(record.createdAt)},${record.status},${record.confirmedAt === null ? '' : time(record.confirmedAt)},${cell(
    record.county ?? '',
  )},${cell(record.countyName)},${cell(record.displayName)},${record.name === null ? 'no' : 'yes'}`;
  if (includeContacts) line += `,${cell(record.email ?? '')},${cell(record.phone ?? '')}`;
  if (includePledges) line += `,${record.pledges ?? ''}`;
  return line;
}

/**
 * A byte stream of the CSV file; reads `records` (one by one, or a page at a time) only as fast as the
 * consumer takes the output, writing each page as one chunk.
 *
 * Written by hand rather than with csv-stringify, which spent more per row than reading and decrypting it;
 * the bytes are the same (`csv.test.ts` compares the two on every kind of cell).
 */
export function csvStream(records: AsyncIterable<ExportRecord | ExportRecord[]>, options: { includeContacts: boolean; includePledges?: boolean }): Readable {
  const { includeContacts } = options;
  const includePledges = Boolean(options.includePledges);
  return Readable.from(
    (async function* chunks() {
      yield `${BOM}${csvColumns(includeContacts, includePledges).join(',')}${CRLF}`;
      for await (const item of records) {
        if (!Array.isArray(item)) {
          yield `${csvLine(item, includeContacts, includePledges)}${CRLF}`;
          continue;
        }
        let chunk = '';
        for (const record of item) chunk += `${csvLine(record, includeContacts, includePledges)}${CRLF}`;
        if (chunk) yield chunk;
      }
    })(),
    { objectMode: false, encoding: 'utf8', highWaterMark: 64 * 1024 },
  );
}
