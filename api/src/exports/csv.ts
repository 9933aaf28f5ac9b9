/**
 * CSV export: RFC 4180 (CRLF line ends, fields quoted when they hold a comma, quote or line break, quotes
 * doubled), UTF-8 with a byte-order mark so that Excel opens "Wanjirũ" intact.
 *
 * Formula injection: a spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, TAB or CR as a
 * formula. Every such cell is prefixed with `'`, which spreadsheets show as text. (Names were refused at
 * signing when they start so — see FIELD_ERROR_MESSAGES.invalid_name — but older rows, county names or
 * future columns must not depend on that.)
 */
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { ExportRecord } from './query.ts';

const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
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
  });
  source.on('error', (error) => stringifier.destroy(error));
  return source.pipe(stringifier);
}
