/**
 * xlsx export (Office Open XML spreadsheet), for officials who open everything in a spreadsheet: no
 * encoding or separator to choose, as a CSV asks. The same columns as the CSV (`csvColumns`), a bold header
 * row frozen at the top, fixed column widths, and one sheet per county when a directory export is split by
 * county (one file, not one per county).
 *
 * Text, never a formula: every cell is written as an inline string (`t="inlineStr"`) with the Text number
 * format (`@`), and nothing is ever written as a formula (`<f>`). A name such as `=1+1` or `@SUM(1)` is
 * shown exactly as the signer typed it, with no `'` in front (that guard is for CSV, where the reader decides
 * what a cell is); the Text format also keeps it text when someone edits the cell in Excel or LibreOffice.
 * exceljs writes a plain string as `t="str"`, which the standard defines as the cached result of a formula:
 * a one-run rich text makes it a real string cell.
 *
 * Memory: exceljs's streaming WorkbookWriter writes each row into the zip as it is committed, but it does
 * not wait for the zip writer, nor the zip writer for the reader. `xlsxStream` does: after each page it
 * waits until both have taken it (`handedOn`), so a slow HTTP client holds the database reader back, as
 * with CSV, and deflate never falls behind by more than about two pages.
 */
import { PassThrough, type Readable, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { CountyCode, Locale } from '@imlu/contracts';
import { csvColumns } from './csv.ts';
import { countyName, type ExportRecord } from './query.ts';

/** Column widths in characters, by CSV column; long names overflow or are cut on screen, never in the cell. */
const WIDTHS: Record<string, number> = {
  signature_id: 38,
  signed_at: 26,
  status: 10,
  confirmed_at: 26,
  county_code: 12,
  county: 18,
  name: 40,
  name_shared: 12,
  email: 32,
  phone: 16,
};

const SHEET_TITLES: Record<Locale, { all: string; noCounty: string }> = {
  en: { all: 'Signatures', noCounty: 'No county given' },
  sw: { all: 'Sahihi', noCounty: 'Kaunti haikutajwa' },
};

const OUTPUT_HIGH_WATER_MARK = 64 * 1024;
/** Rows of an Excel sheet (2^20), the header row included. */
const EXCEL_MAX_ROWS = 1_048_576;
/** Bytes of sheet XML (about two pages of 1000 rows) that may wait for the zip writer. */
const IN_FLIGHT = 1 << 20;

export interface XlsxSheet {
  name: string;
  pages: AsyncIterable<ExportRecord[]>;
}

/** What Excel accepts as a sheet name: 1–31 characters, none of `[]:*?/\`, not starting or ending with `'`. */
export function sheetName(wanted: string, taken: Set<string>): string {
  // eslint-disable-next-line no-control-regex
  let name = wanted.replace(/[[\]:*?/\\\u0000-\u001f]/g, ' ').replace(/^'+|'+$/g, '').trim() || 'Sheet';
  name = [...name].slice(0, 31).join('').trim();
  // Names are unique without regard to case ("History" is reserved by Excel for change tracking).
  let candidate = name;
  for (let n = 2; taken.has(candidate.toLowerCase()) || candidate.toLowerCase() === 'history'; n++) {
    const suffix = ` (${n})`;
    candidate = [...name].slice(0, 31 - suffix.length).join('').trim() + suffix;
  }
  taken.add(candidate.toLowerCase());
  return candidate;
}

/** The title of the sheet of one county (or of signatures without a county), or of a whole export. */
export function sheetTitle(county: CountyCode | null | undefined, locale: Locale): string {
  if (county === undefined) return SHEET_TITLES[locale].all;
  return county === null ? SHEET_TITLES[locale].noCounty : countyName(county, locale);
}

/**
 * Excel reads `_xHHHH_` inside a string as an escaped character: a name holding that text would change.
 * Its own escape for the underscore (`_x005F_`) keeps it as typed.
 */
const EXCEL_ESCAPE = /_(x[0-9A-Fa-f]{4}_)/g;

function text(value: string): ExcelJS.CellRichTextValue | null {
  if (value === '') return null;
  return { richText: [{ text: value.replace(EXCEL_ESCAPE, '_x005F_$1') }] };
}

function row(record: ExportRecord, includeContacts: boolean, includePledges: boolean): (ExcelJS.CellRichTextValue | null)[] {
  const cells = [
    text(record.id),
    text(new Date(record.createdAt).toISOString()),
    text(record.status),
    record.confirmedAt === null ? null : text(new Date(record.confirmedAt).toISOString()),
    text(record.county ?? ''),
    text(record.countyName),
    text(record.displayName),
    text(record.name === null ? 'no' : 'yes'),
  ];
  if (includeContacts) cells.push(text(record.email ?? ''), text(record.phone ?? ''));
  if (includePledges) cells.push(text(record.pledges ?? ''));
  return cells;
}

/** A stream as archiver's `readable-stream` 2 builds it, which has no `writableNeedDrain`. */
type StreamV2 = Writable & { _writableState?: { needDrain?: boolean; length?: number }; _readableState?: { ended?: boolean; endEmitted?: boolean } };

/**
 * The stream the zip writer reads a sheet's XML from. exceljs 4.4 writes rows into its own buffer (a
 * `StreamBuf`) piped into this stream (archiver's), without heeding its backpressure. Not part of exceljs's
 * typed API: `xlsx.test.ts` checks that reading stays bounded, so a change in exceljs or archiver shows there.
 */
function sheetInput(worksheet: ExcelJS.Worksheet): StreamV2 | undefined {
  return (worksheet as unknown as { stream: { pipes?: StreamV2[] } }).stream.pipes?.[0];
}

/**
 * Waits until the zip writer has taken (compressed) what the last page produced and the reader of `output`
 * has room, so that about a page of rows is in flight at most, whatever the reader's speed.
 */
async function handedOn(worksheet: ExcelJS.Worksheet, output: PassThrough): Promise<void> {
  const input = sheetInput(worksheet);
  if (!input) throw new Error('xlsx: exceljs no longer pipes a sheet into the zip as expected');
  for (;;) {
    if (output.destroyed) return;
    // A little slack, so that deflate (on libuv's threads) works on one page while the next is built.
    if (input._writableState?.needDrain && (input._writableState.length ?? 0) >= IN_FLIGHT) await until(input, 'drain', output);
    else if (output.writableNeedDrain) await until(output, 'drain', output);
    else return;
  }
}

/** Waits until the zip writer has read all of a committed sheet, so the next sheet's rows do not pile up. */
async function sheetDone(worksheet: ExcelJS.Worksheet, output: PassThrough): Promise<void> {
  const input = sheetInput(worksheet);
  if (input && !input._readableState?.endEmitted && !output.destroyed) await until(input, 'end', output);
}

/** `event` on `stream`, or the output closing (its reader went away, or an error ended it): no wait outlives the export. */
function until(stream: NodeJS.EventEmitter, event: string, output: PassThrough): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off(event, done);
      output.off('close', done);
      resolve();
    };
    stream.once(event, done);
    output.once('close', done);
  });
}

/**
 * The xlsx file as a byte stream: one sheet per entry of `sheets` (read one after the other), each page of
 * records written as rows and then handed on before the next page is read.
 */
export function xlsxStream(
  sheets: Iterable<XlsxSheet> | AsyncIterable<XlsxSheet>,
  options: { includeContacts: boolean; includePledges?: boolean; generatedAt: number; /** Rows per sheet, header included (tests). */ maxRows?: number },
): Readable {
  const maxRows = options.maxRows ?? EXCEL_MAX_ROWS;
  const output = new PassThrough({ highWaterMark: OUTPUT_HIGH_WATER_MARK });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: output,
    useStyles: true,
    // Shared strings would keep every distinct name in memory until the end.
    useSharedStrings: false,
    // The fastest deflate: on two cores the CPU is what an export waits for, and the file is about a
    // quarter larger than at the default level 6 (measured on 200,000 rows).
    zip: { zlib: { level: 1 } },
  });
  workbook.creator = 'IMLU Campaign SDK';
  workbook.lastModifiedBy = 'IMLU Campaign SDK';
  workbook.created = workbook.modified = new Date(options.generatedAt);
  const includePledges = Boolean(options.includePledges);
  const columns = csvColumns(options.includeContacts, includePledges);
  const taken = new Set<string>();
  const open = (name: string) => {
    const worksheet = workbook.addWorksheet(sheetName(name, taken), {
      views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }],
    });
    worksheet.columns = columns.map((key) => ({ key, width: WIDTHS[key] ?? 16, style: { numFmt: '@' } }));
    const header = worksheet.addRow(columns.map(text));
    header.font = { bold: true };
    header.commit();
    return worksheet;
  };
  const close = async (worksheet: ExcelJS.Worksheet) => {
    worksheet.commit();
    await sheetDone(worksheet, output);
  };
  (async () => {
    for await (const sheet of sheets) {
      let worksheet = open(sheet.name);
      let rows = 1;
      for await (const page of sheet.pages) {
        if (output.destroyed) return;
        for (const record of page) {
          if (rows === maxRows) {
            // A sheet holds at most 1,048,576 rows: the rest goes on in "<name> (2)", with its own header.
            await close(worksheet);
            worksheet = open(sheet.name);
            rows = 1;
          }
          worksheet.addRow(row(record, options.includeContacts, includePledges)).commit();
          rows += 1;
        }
        await handedOn(worksheet, output);
      }
      await close(worksheet);
    }
    await workbook.commit();
  })().catch((error: unknown) => output.destroy(error instanceof Error ? error : new Error(String(error))));
  return output;
}
