/**
 * The CSV export as a spreadsheet reads it. Hostile names go straight into `signatures` (as rows signed
 * before the name rules would be), the export comes over the real admin HTTP route, and LibreOffice
 * headless converts it to flat ODS: every row must come out whole, each value in its own column, and no
 * cell a formula (issue 10, finding 5: a bare CR split a row and `=1+1` ran in the next one).
 *
 * Needs `soffice` (Debian: `libreoffice-calc-nogui`, which `.ci/run` installs). Without it the test is
 * skipped with a message on a developer's machine, and fails in CI.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { countyByCode, type CountyCode } from '@imlu/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../../test/helpers.ts';
import { asXmlText, convertToFods, HARD_NAMES, readSheet, skipWithoutSoffice } from '../../test/libreoffice.ts';
import { insertSignatures } from '../../test/synthetic.ts';
import { csvColumns, neutraliseFormula } from './csv.ts';

const BOOTSTRAP = 'test-admin-token-0123456789abcdef0123';
const START = Date.UTC(2026, 9, 1, 8);
/** What the CSV needs LibreOffice to be told: comma, double quote, UTF-8 (76), from line 1. */
const UTF8_CSV = 'CSV:44,34,76,1';

const skip = skipWithoutSoffice('the LibreOffice CSV tests');

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

/** Windows-1252 where it differs from ISO 8859-1 (0x80–0x9F); the five bytes it leaves undefined stay C1 controls. */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

/** Bytes read as Windows-1252 (Node's TextDecoder reads that label as ISO 8859-1). */
function asWindows1252(bytes: Buffer): string {
  return Array.from(bytes, (byte) => (byte >= 0x80 && byte <= 0x9f ? CP1252_HIGH[byte - 0x80]! : String.fromCharCode(byte))).join('');
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

      // Comma, double quote, UTF-8; everything else LibreOffice's defaults, which evaluate formulas. The
      // default import, without these options, is the next test.
      await convertToFods([csvFile, controlFile], work, { infilter: UTF8_CSV });

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

  it(
    "opens with every hard name intact once UTF-8 is chosen; LibreOffice's default import (no options) is pinned as it is",
    async () => {
      t = await createTestApi({ adminToken: BOOTSTRAP });
      work = mkdtempSync(path.join(tmpdir(), 'imlu-csv-libreoffice-'));
      const rows = HARD_NAMES.map((name, i) => ({
        name,
        county: 'KE-30' as const,
        status: 'counted' as const,
        shareWithTargets: true,
        flag: null,
        createdAt: START + i * 60_000,
      }));
      await insertSignatures(t.db.client, t.api.services.crypto, t.campaignId, rows);
      const response = await t.request(`/admin/campaigns/${t.slug}/export?format=csv`, { headers: { Authorization: `Bearer ${BOOTSTRAP}` } });
      expect(response.status).toBe(200);
      const bytes = Buffer.from(await response.arrayBuffer());
      const byDefault = path.join(work, 'default');
      const asUtf8 = path.join(work, 'utf8');
      for (const dir of [byDefault, asUtf8]) {
        mkdirSync(dir);
        writeFileSync(path.join(dir, 'export.csv'), bytes);
      }
      await convertToFods([path.join(byDefault, 'export.csv')], byDefault);
      await convertToFods([path.join(asUtf8, 'export.csv')], asUtf8, { infilter: UTF8_CSV });

      // What the recipient gets by choosing UTF-8 (docs/exports.md): every name whole, as text, in its row.
      const [header, ...data] = readSheet(readFileSync(path.join(asUtf8, 'export.fods'), 'utf8'));
      expect(header!.map((cell) => cell.text)).toEqual(csvColumns(false));
      expect(data.map((cells) => cells[6]!.text)).toEqual(HARD_NAMES.map(neutraliseFormula));
      for (const cells of data) for (const cell of cells) expect(cell.formula).toBeNull();

      // The default import, as `soffice --convert-to` or a macro opens a CSV without options. LibreOffice up
      // to at least 7.4 then reads Windows-1252 whatever the byte-order mark says (its source:
      // "default for ascii import (from API without options): ISO8859-1/MS_1252 encoding"); later versions
      // read UTF-8. No byte of the file can change that choice, so the test pins what this LibreOffice does:
      // rows and columns whole and no formula either way, names intact where it reads UTF-8, and where it
      // does not, exactly the file's UTF-8 bytes read as Windows-1252 (the "WanjirÅ©").
      const [defaultHeader, ...defaultData] = readSheet(readFileSync(path.join(byDefault, 'export.fods'), 'utf8'));
      expect(defaultData).toHaveLength(HARD_NAMES.length);
      for (const cells of [defaultHeader!, ...defaultData]) {
        expect(cells).toHaveLength(csvColumns(false).length);
        for (const cell of cells) expect(cell.formula).toBeNull();
      }
      const readsUtf8 = defaultHeader![0]!.text === 'signature_id';
      const seenAs = (text: string) => (readsUtf8 ? text : asWindows1252(Buffer.from(text, 'utf8')));
      expect(defaultHeader!.map((cell) => cell.text)).toEqual(csvColumns(false).map((column, i) => seenAs(i === 0 ? `\uFEFF${column}` : column).replace(/^\uFEFF/, '')));
      const wanjiru = HARD_NAMES.indexOf('Wanjirũ Kamau');
      expect(defaultData[wanjiru]![6]!.text).toBe(readsUtf8 ? 'Wanjirũ Kamau' : 'WanjirÅ© Kamau');
      defaultData.forEach((cells, i) => {
        const name = neutraliseFormula(HARD_NAMES[i]!);
        // Bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D: in Arabic and Ge'ez) are not
        // compared: what LibreOffice makes of them is its own affair.
        if (readsUtf8 || !/[\u0081\u008D\u008F\u0090\u009D]/.test(seenAs(name))) expect(cells[6]!.text, name).toBe(seenAs(name));
      });
    },
    180_000,
  );
});
