/**
 * CSV export: RFC 4180 (CRLF line ends, fields quoted when they hold a comma, quote or line break, quotes
 * doubled), UTF-8 with a byte-order mark so that Excel opens "Wanjirũ" intact.
 *
 * Line breaks: every cell holding a CR or LF is quoted. csv-stringify quotes only cells holding its own
 * record delimiter (`\r\n` here), and a bare `\r` or `\n` in an unquoted cell ends the row: LibreOffice
 * put the rest of a name in the next row's first column and ran it there as a formula (issue 10).
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
import { stringify } from 'csv-stringify';
import type { ExportRecord } from './query.ts';

const TAB_OR_CR_START = /^[\t\r]/;
const LINE_BREAK = /[\r\n]/;

export function neutraliseFormula(value: string): string {
  return TAB_OR_CR_START.test(value) || startsLikeFormula(value) ? `'${value}` : value;
}

export function csvColumns(includeContacts: boolean): string[] {
  const columns = ['signature_id', 'signed_at', 'status', 'confirmed_at', 'county_code', 'county', 'name', 'name_shared'];
  return includeContacts ? [...columns, 'email', 'phone'] : columns;
}

function csvRow(record: ExportRecord, includeContacts: boolean): string[] {
  const row = [
    record.id,
    new Date(record.createdAt).toISOString(),
    record.status,
    record.confirmedAt === null ? '' : new Date(record.confirmedAt).toISOString(),
    record.county ?? '',
    record.countyName,
    record.displayName,
    record.name === null ? 'no' : 'yes',
  ];
  if (includeContacts) row.push(record.email ?? '', record.phone ?? '');
  return row.map(neutraliseFormula);
}

/** A byte stream of the CSV file; reads `records` only as fast as the consumer takes the output. */
export function csvStream(records: AsyncIterable<ExportRecord>, options: { includeContacts: boolean }): Readable {
  const source = Readable.from(
    (async function* rows() {
      for await (const record of records) yield csvRow(record, options.includeContacts);
    })(),
    { objectMode: true, highWaterMark: 256 },
  );
  const stringifier = stringify({
    bom: true,
    header: true,
    columns: csvColumns(options.includeContacts),
    record_delimiter: 'windows',
    quoted_match: LINE_BREAK,
  });
  source.on('error', (error) => stringifier.destroy(error));
  return source.pipe(stringifier);
}
