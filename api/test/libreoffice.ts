/**
 * LibreOffice headless for the spreadsheet tests: convert a file to flat ODS (one XML document) with a
 * private profile, and read its sheets back as cells (text, formula, value type).
 *
 * Needs `soffice` (Debian: `libreoffice-calc-nogui`, which `.ci/run` installs). Without it a test file is
 * skipped with a message on a developer's machine (`skipWithoutSoffice`), and fails in CI.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { DOMParser } from '@xmldom/xmldom';

const run = promisify(execFile);
const TABLE = 'urn:oasis:names:tc:opendocument:xmlns:table:1.0';
const TEXT = 'urn:oasis:names:tc:opendocument:xmlns:text:1.0';
const OFFICE = 'urn:oasis:names:tc:opendocument:xmlns:office:1.0';

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

export const soffice = onPath('soffice');

const LONG_NAME = 'Nyambura Wairimu Njoki Wanjirũ Kamau wa Gĩkũyũ na Mũmbi, Mwangi Kariũki Ng’ang’a Otieno Achieng’ Odhiambo Chebet Kiprono';

/**
 * The names issue 13 found broken in a delivery pack or a spreadsheet: Kikuyu tilde letters, apostrophes,
 * Arabic, Ge'ez (Amharic) and Chinese script, a 120-character name, and names a spreadsheet would take for
 * formulas (as rows stored before the name rules could hold).
 */
export const HARD_NAMES: readonly string[] = [
  'Wanjirũ Kamau',
  "Ng'ang'a Mwangi",
  'Ng’ang’a Wambũi',
  'فاطمة حسن علي',
  'አበበ ቢቂላ',
  '王秀英',
  LONG_NAME,
  '=1+1 Juma',
  '=HYPERLINK("http://example.com","x")',
  '+254712345678',
  '-2+3 Otieno',
  '@SUM(A1) Fatuma',
];
if (LONG_NAME.length !== 120) throw new Error(`the long name has ${LONG_NAME.length} characters, not 120`);

/** True (and a warning printed) when the LibreOffice tests cannot run here; in CI they fail instead. */
export function skipWithoutSoffice(what: string): boolean {
  const skip = !soffice && !process.env.CI;
  if (skip) {
    console.warn(
      `Skipping ${what}: \`soffice\` is not on PATH. Install it (Debian: apt-get install libreoffice-calc-nogui) to run it; CI installs it and fails without it.`,
    );
  }
  return skip;
}

/** The version LibreOffice reports (`LibreOffice 7.4.7.2 …` → [7, 4]). */
export async function sofficeVersion(): Promise<[number, number]> {
  if (!soffice) throw new Error('soffice is not installed');
  const { stdout } = await run(soffice, ['--version'], { timeout: 60_000 });
  const match = /LibreOffice (\d+)\.(\d+)/.exec(stdout);
  if (!match) throw new Error(`unexpected soffice --version: ${stdout}`);
  return [Number(match[1]), Number(match[2])];
}

/**
 * Converts files to flat ODS in `outDir` with a private LibreOffice profile, so parallel runs do not
 * collide. `infilter` is the import filter with its options; without it LibreOffice picks the filter by
 * the file's type and uses that filter's defaults (what `soffice file.csv` does).
 */
export async function convertToFods(files: string[], outDir: string, options: { infilter?: string } = {}): Promise<void> {
  if (!soffice) throw new Error('soffice is not installed: CI must install libreoffice-calc-nogui (see .ci/run)');
  const profile = mkdtempSync(path.join(tmpdir(), 'imlu-soffice-profile-'));
  try {
    await run(
      soffice,
      [
        `-env:UserInstallation=${pathToFileURL(profile).href}`,
        '--headless',
        '--norestore',
        ...(options.infilter ? [`--infilter=${options.infilter}`] : []),
        '--convert-to',
        'fods',
        '--outdir',
        outDir,
        ...files,
      ],
      { timeout: 150_000 },
    );
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

export interface SheetCell {
  text: string;
  formula: string | null;
  type: string | null;
}

export interface Sheet {
  name: string;
  rows: SheetCell[][];
}

/** The text of an ODF paragraph: runs of spaces (`text:s`), tabs and line breaks written out. */
function paragraphText(node: Node): string {
  let text = '';
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === child.TEXT_NODE) text += child.nodeValue ?? '';
    else if (child.nodeType === child.ELEMENT_NODE) {
      const element = child as Element;
      if (element.namespaceURI === TEXT && element.localName === 's') text += ' '.repeat(Number(element.getAttributeNS(TEXT, 'c') || 1));
      else if (element.namespaceURI === TEXT && element.localName === 'tab') text += '\t';
      else if (element.namespaceURI === TEXT && element.localName === 'line-break') text += '\n';
      else text += paragraphText(element);
    }
  }
  return text;
}

function tableRows(table: Element): SheetCell[][] {
  const rows: SheetCell[][] = [];
  const rowElements = table.getElementsByTagNameNS(TABLE, 'table-row');
  for (let r = 0; r < rowElements.length; r++) {
    const rowElement = rowElements[r]!;
    const cells: SheetCell[] = [];
    for (let child = rowElement.firstChild; child; child = child.nextSibling) {
      if (child.nodeType !== child.ELEMENT_NODE) continue;
      const element = child as Element;
      if (element.namespaceURI !== TABLE || !['table-cell', 'covered-table-cell'].includes(element.localName ?? '')) continue;
      const paragraphs = Array.from({ length: element.childNodes.length }, (_, i) => element.childNodes[i]!).filter(
        (node) => node.nodeType === node.ELEMENT_NODE && (node as Element).namespaceURI === TEXT && (node as Element).localName === 'p',
      );
      const cell: SheetCell = {
        text: paragraphs.map(paragraphText).join('\n'),
        formula: element.getAttributeNS(TABLE, 'formula') || null,
        type: element.getAttributeNS(OFFICE, 'value-type') || null,
      };
      const repeat = Number(element.getAttributeNS(TABLE, 'number-columns-repeated') || 1);
      for (let i = 0; i < repeat; i++) cells.push(cell);
    }
    while (cells.length && !cells.at(-1)!.text && !cells.at(-1)!.formula) cells.pop();
    const repeat = Number(rowElement.getAttributeNS(TABLE, 'number-rows-repeated') || 1);
    for (let i = 0; i < repeat; i++) rows.push(cells);
  }
  while (rows.length && rows.at(-1)!.length === 0) rows.pop();
  return rows;
}

/** Every sheet of a flat ODS document, trailing empty cells and rows dropped. */
export function readSheets(fods: string): Sheet[] {
  const document = new DOMParser().parseFromString(fods, 'text/xml');
  const tables = document.getElementsByTagNameNS(TABLE, 'table');
  return Array.from({ length: tables.length }, (_, i) => tables[i]!).map((table) => ({ name: table.getAttributeNS(TABLE, 'name') ?? '', rows: tableRows(table) }));
}

/** The first sheet's rows. */
export function readSheet(fods: string): SheetCell[][] {
  const [first] = readSheets(fods);
  if (!first) throw new Error('no table in the converted document');
  return first.rows;
}

/** What a spreadsheet can keep of a cell: line breaks as `\n`, no characters XML 1.0 forbids. */
export function asXmlText(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');
}
