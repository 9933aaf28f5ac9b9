/**
 * The hand-written CSV writer against csv-stringify with the options the export used before (issue 15):
 * the same bytes for every kind of cell, so replacing the library changed no file anyone receives.
 */
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { csvColumns, csvStream, neutraliseFormula } from './csv.ts';
import type { ExportRecord } from './query.ts';

/** The previous writer: csv-stringify over the neutralised cells. */
function reference(records: ExportRecord[], includeContacts: boolean): Buffer {
  const rows = records.map((record) => {
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
  });
  const text = stringify(rows, {
    bom: true,
    header: true,
    columns: csvColumns(includeContacts),
    record_delimiter: 'windows',
    quoted_match: /[\r\n]/,
  });
  return Buffer.from(text, 'utf8');
}

async function bytes(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

async function* pages<T>(items: T[], size: number): AsyncGenerator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

const AWKWARD = [
  'Wanjirũ Kamau',
  '',
  ' ',
  'a,b',
  'Kamau, "Jnr"',
  '"',
  '""',
  'line\nbreak',
  'carriage\rreturn',
  'crlf\r\nend',
  'ends with CR\r',
  '\n',
  '=1+1',
  '+254712345678',
  '-5',
  '@SUM(A1)',
  '\t=1',
  '\r=1',
  '\uFF1D1',
  '\u200B=1+1',
  '\u00A0=1+1',
  "O'Brien",
  'tab\tinside',
  'semi;colon',
  'emoji 🇰🇪',
  'Ng’ang’a',
  '\uFEFFbom',
];

function record(i: number, text: string): ExportRecord {
  const shared = i % 3 !== 0;
  return {
    id: `0190-${i}`,
    // Years outside 0–9999 are written as +YYYYYY or -YYYYYY, which a spreadsheet would take for a formula.
    createdAt: i === 5 ? Date.UTC(-1, 0, 1) : i === 6 ? Date.UTC(10_000, 0, 1) : Date.UTC(2026, 0, 1) + i * 37_001,
    confirmedAt: i % 4 === 0 ? null : Date.UTC(2026, 0, 2) + i,
    status: i % 5 === 0 ? 'pending' : 'counted',
    county: i % 7 === 0 ? null : 'KE-30',
    countyName: i % 7 === 0 ? '' : i % 2 ? 'Nairobi' : text,
    name: shared ? text : null,
    displayName: shared ? text : 'Signatory, Nairobi',
    email: i % 2 ? `${text}@example.org` : null,
    phone: i % 3 ? text : null,
  };
}

describe('CSV writer', () => {
  const records = AWKWARD.flatMap((text, i) => [record(i, text), record(i + AWKWARD.length, text), record(i * 7, text)]);

  for (const includeContacts of [false, true]) {
    it(`writes the bytes csv-stringify wrote, record by record and a page at a time (contacts: ${includeContacts})`, async () => {
      const expected = reference(records, includeContacts);
      expect(await bytes(csvStream(pages(records, 1), { includeContacts }))).toEqual(expected);
      expect(await bytes(csvStream(pages(records, 10), { includeContacts }))).toEqual(expected);
      async function* single() {
        yield* records;
      }
      expect(await bytes(csvStream(single(), { includeContacts }))).toEqual(expected);
    });
  }

  it('writes the BOM and the header alone when there is no row', async () => {
    const empty = await bytes(csvStream(pages([], 1), { includeContacts: false }));
    expect(empty).toEqual(reference([], false));
    expect(empty.toString('utf8')).toBe('\uFEFFsignature_id,signed_at,status,confirmed_at,county_code,county,name,name_shared\r\n');
  });
});
