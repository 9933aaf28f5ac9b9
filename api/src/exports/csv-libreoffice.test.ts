/**
 * The CSV export as a spreadsheet reads it. Hostile names go straight into `signatures` (as rows signed
 * before the name rules would be), the export comes over the real admin HTTP route, and LibreOffice
 * headless converts it to flat ODS: every row must come out whole, each value in its own column, and no
 * cell a formula (issue 10, finding 5: a bare CR split a row and `=1+1` ran in the next one).
 *
 * Needs `soffice` (Debian: `libreoffice-calc-nogui`, which `.ci/run` installs). Without it the test is
 * skipped with a message on a developer's machine, and fails in CI.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { DOMParser } from '@xmldom/xmldom';
import { countyByCode, type CountyCode } from '@imlu/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../../test/helpers.ts';
import { insertSignatures } from '../../test/synthetic.ts';
import { csvColumns } from './csv.ts';

const run = promisify(execFile);
const BOOTSTRAP = 'test-admin-token-0123456789abcdef0123';
const START = Date.UTC(2026, 9, 1, 8);
const TABLE = 'urn:oasis:names:tc:opendocument:xmlns:table:1.0';
const TEXT = 'urn:oasis:names:tc:opendocument:xmlns:text:1.0';

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

const soffice = onPath('soffice');
const skip = !soffice && !process.env.CI;
if (skip) {
  console.warn(
    'Skipping the LibreOffice CSV test: `soffice` is not on PATH. Install it (Debian: apt-get install libreoffice-calc-nogui) to run it; CI installs it and fails without it.',
  );
}

/**
 * Stored names and what the spreadsheet cell must show. `guarded`: the writer prefixes `'` (shown as is
 * by LibreOffice). Line breaks come back as `\n`; NUL and ESC cannot exist in XML and LibreOffice drops
 * them, which the comparison allows for (see `asXmlText`).
 */
const HOSTILE: { name: string; guarded: boolean }[] = [
  { name: 'Juma Baraka\r=1+1', guarded: false },
  { name: 'X\n=HYPERLINK("http://evil")', guarded: false },
  { name: 'Juma\r\n=1+1', guarded: false },
  { name: '\n=1+1', guarded: true },
  { name: '\r@SUM(1)', guarded: true },
  { name: '\u200B=1+1', guarded: true },
  { name: '\u00A0=1+1', guarded: true },
  { name: '\t=1+1', guarded: true },
  { name: '@SUM(1)', guarded: true },
  { name: '-2+3', guarded: true },
  { name: '\uFF1D1+1', guarded: true },
  { name: 'Kamau, "Jnr", Nairobi', guarded: false },
  { name: 'Nul\u0000Name', guarded: false },
  { name: '\u0000\u0000', guarded: false },
  { name: '\u202Eakarab amuJ', guarded: false },
  { name: '\u001b[31mRed\u001b[0m', guarded: false },
  { name: 'Wanjirũ Kamau', guarded: false },
];

const COUNTIES: CountyCode[] = ['KE-30', 'KE-01', 'KE-47', 'KE-28'];

/** What LibreOffice can keep of a cell: line breaks as `\n`, no characters XML 1.0 forbids. */
function asXmlText(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');
}

interface SheetCell {
  text: string;
  formula: string | null;
  type: string | null;
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

/** The first sheet of a flat ODS document as rows of cells, trailing empty cells and rows dropped. */
function readSheet(fods: string): SheetCell[][] {
  const document = new DOMParser().parseFromString(fods, 'text/xml');
  const table = document.getElementsByTagNameNS(TABLE, 'table')[0];
  if (!table) throw new Error('no table in the converted document');
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
        type: element.getAttributeNS('urn:oasis:names:tc:opendocument:xmlns:office:1.0', 'value-type') || null,
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

/** Converts CSV files to flat ODS with a private LibreOffice profile, so parallel runs do not collide. */
async function convertToFods(files: string[], outDir: string): Promise<void> {
  if (!soffice) throw new Error('soffice is not installed: CI must install libreoffice-calc-nogui (see .ci/run)');
  const profile = mkdtempSync(path.join(tmpdir(), 'imlu-soffice-profile-'));
  try {
    await run(
      soffice,
      [
        `-env:UserInstallation=${pathToFileURL(profile).href}`,
        '--headless',
        '--norestore',
        // Comma, double quote, UTF-8 (76), from line 1; everything else LibreOffice's defaults, which
        // evaluate formulas. Without the charset LibreOffice 7.4 reads the file as Windows-1252 despite the BOM.
        '--infilter=CSV:44,34,76,1',
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

let t: TestApi | undefined;
let work: string | undefined;
afterEach(async () => {
  await t?.close();
  if (work) rmSync(work, { recursive: true, force: true });
  t = undefined;
  work = undefined;
});

describe.skipIf(skip)('CSV export opened in LibreOffice', () => {
  it(
    'keeps every hostile name in its own cell of its own row, and no cell is a formula',
    async () => {
      t = await createTestApi({ adminToken: BOOTSTRAP });
      work = mkdtempSync(path.join(tmpdir(), 'imlu-csv-libreoffice-'));
      const rows = HOSTILE.map(({ name }, i) => ({
        name,
        county: COUNTIES[i % COUNTIES.length]!,
        status: 'counted' as const,
        shareWithTargets: true,
        flag: null,
        createdAt: START + i * 60_000,
        email: `signer${i}@example.org`,
        phone: `+2547120000${String(i).padStart(2, '0')}`,
      }));
      const ids = await insertSignatures(t.db.client, t.api.services.crypto, t.campaignId, rows);

      const response = await t.request(`/admin/campaigns/${t.slug}/export?format=csv&includeContacts=true`, {
        headers: { Authorization: `Bearer ${BOOTSTRAP}` },
      });
      expect(response.status).toBe(200);
      const csvFile = path.join(work, 'export.csv');
      writeFileSync(csvFile, Buffer.from(await response.arrayBuffer()));
      // A control file proves that this LibreOffice runs what a CSV leaves unguarded, so the absence of
      // formulas below means the export is safe, not that formulas were never evaluated.
      const controlFile = path.join(work, 'control.csv');
      writeFileSync(controlFile, 'id,name\r\n1,Juma Baraka\r=1+1\r\n');

      await convertToFods([csvFile, controlFile], work);

      const control = readSheet(readFileSync(path.join(work, 'control.fods'), 'utf8'));
      expect(control.flat().some((cell) => cell.formula !== null), 'LibreOffice evaluated no formula in the control file').toBe(true);

      const fods = readFileSync(path.join(work, 'export.fods'), 'utf8');
      expect(fods.match(/table:formula="[^"]*"/g) ?? [], 'formulas in the converted export').toEqual([]);
      const [header, ...data] = readSheet(fods);
      expect(header!.map((cell) => cell.text)).toEqual(csvColumns(true));
      expect(data).toHaveLength(HOSTILE.length);
      data.forEach((cells, i) => {
        const row = rows[i]!;
        const { name, guarded } = HOSTILE[i]!;
        const county = row.county;
        expect(
          cells.map((cell) => cell.text),
          JSON.stringify(name),
        ).toEqual([
          ids[i],
          new Date(row.createdAt).toISOString(),
          'counted',
          '',
          county,
          countyByCode(county)!.name.en,
          (guarded ? "'" : '') + asXmlText(name),
          'yes',
          row.email,
          `'${row.phone}`,
        ]);
        // The name is text, never a number, date or formula result.
        expect(cells[6]!.type, JSON.stringify(name)).toBe(asXmlText(name) === '' ? null : 'string');
        for (const cell of cells) expect(cell.formula, JSON.stringify(name)).toBeNull();
      });
    },
    180_000,
  );
});
