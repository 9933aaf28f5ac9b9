/**
 * The xlsx export as a spreadsheet reads it: the hard names of issue 13 and hostile ones go straight into
 * `signatures` (as rows signed before the name rules would be), the file comes over the real admin HTTP
 * route and from a per-county directory export, and LibreOffice headless opens it with its default import
 * (an xlsx has no import options) and converts it to flat ODS. Every name must come out exactly as stored,
 * as text, in its own row and sheet, and no cell may be a formula.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { countyByCode, type CountyCode } from '@imlu/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../../test/helpers.ts';
import { asXmlText, convertToFods, HARD_NAMES, readSheets, skipWithoutSoffice } from '../../test/libreoffice.ts';
import { insertSignatures } from '../../test/synthetic.ts';
import { cliActor } from '../auth/actor.ts';
import { csvColumns } from './csv.ts';
import { exportToDirectory } from './run.ts';

const BOOTSTRAP = 'test-admin-token-0123456789abcdef0123';
const START = Date.UTC(2026, 9, 1, 8);
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const skip = skipWithoutSoffice('the LibreOffice xlsx tests');

/** Beyond the hard names: line breaks, invisible characters before a formula, characters XML cannot hold. */
const NAMES = [...HARD_NAMES, 'Juma Baraka\r=1+1', 'X\n=HYPERLINK("http://evil")', '\u200B=1+1', '\t=1+1', '\uFF1D1+1', 'Nul\u0000Name', '_x0041_ Njeri'];
const COUNTIES: (CountyCode | null)[] = ['KE-30', 'KE-01', null];

let t: TestApi | undefined;
let work: string | undefined;
afterEach(async () => {
  await t?.close();
  if (work) rmSync(work, { recursive: true, force: true });
  t = undefined;
  work = undefined;
});

async function seed() {
  t = await createTestApi({ adminToken: BOOTSTRAP });
  work = mkdtempSync(path.join(tmpdir(), 'imlu-xlsx-libreoffice-'));
  const rows = NAMES.map((name, i) => ({
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
  return { rows, ids };
}

describe.skipIf(skip)('xlsx export opened in LibreOffice', () => {
  it(
    'over HTTP: every name exactly as stored, as text, each in its row; phones without a guard; no formula',
    async () => {
      const { rows, ids } = await seed();
      const response = await t!.request(`/admin/campaigns/${t!.slug}/export?format=xlsx&includeContacts=true`, {
        headers: { Authorization: `Bearer ${BOOTSTRAP}` },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(XLSX);
      expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="[a-z0-9-]+-\d{8}-\d{6}\.xlsx"$/);
      writeFileSync(path.join(work!, 'export.xlsx'), Buffer.from(await response.arrayBuffer()));
      // A control workbook with one formula proves that this LibreOffice keeps an xlsx formula as one, so the
      // absence of formulas below means the export has none.
      const control = new ExcelJS.Workbook();
      control.addWorksheet('Control').addRow(['=1+1', { formula: '1+1', result: 2 }]);
      await control.xlsx.writeFile(path.join(work!, 'control.xlsx'));
      await convertToFods([path.join(work!, 'export.xlsx'), path.join(work!, 'control.xlsx')], work!);
      const controlCells = readSheets(readFileSync(path.join(work!, 'control.fods'), 'utf8'))[0]!.rows[0]!;
      expect(controlCells.map((cell) => [cell.text, cell.formula])).toEqual([
        ['=1+1', null],
        ['2', 'of:=1+1'],
      ]);

      const fods = readFileSync(path.join(work!, 'export.fods'), 'utf8');
      expect(fods.match(/table:formula="[^"]*"/g) ?? [], 'formulas in the converted export').toEqual([]);
      const sheets = readSheets(fods);
      expect(sheets.map((sheet) => sheet.name)).toEqual(['Signatures']);
      const [header, ...data] = sheets[0]!.rows;
      expect(header!.map((cell) => cell.text)).toEqual(csvColumns(true));
      expect(data).toHaveLength(NAMES.length);
      data.forEach((cells, i) => {
        const row = rows[i]!;
        const name = NAMES[i]!;
        expect(
          cells.map((cell) => cell.text),
          JSON.stringify(name),
        ).toEqual([
          ids[i],
          new Date(row.createdAt).toISOString(),
          'counted',
          '',
          row.county ?? '',
          row.county ? countyByCode(row.county)!.name.en : '',
          asXmlText(name),
          'yes',
          row.email,
          row.phone,
        ]);
        for (const cell of cells) {
          if (cell.text) expect(cell.type, JSON.stringify(name)).toBe('string');
          expect(cell.formula, JSON.stringify(name)).toBeNull();
        }
      });
    },
    180_000,
  );

  it(
    'split by county: one workbook whose sheets hold each county’s names, intact',
    async () => {
      const { rows } = await seed();
      const campaign = (await t!.api.services.campaigns.findBySlug(t!.slug))!;
      const dir = path.join(work!, 'pack');
      const { manifest } = await exportToDirectory(
        t!.db,
        t!.api.services.crypto,
        { campaign, format: 'xlsx', filter: {}, locale: 'en', includeContacts: false },
        { dir, actor: cliActor(), now: START, split: 'county' },
      );
      expect(manifest.files).toHaveLength(1);
      await convertToFods([path.join(dir, manifest.files[0]!.name)], work!);
      const fods = readFileSync(path.join(work!, manifest.files[0]!.name.replace(/\.xlsx$/, '.fods')), 'utf8');
      expect(fods).not.toMatch(/table:formula=/);
      const sheets = readSheets(fods);
      expect(sheets.map((sheet) => sheet.name)).toEqual(['Baringo', 'Nairobi', 'No county given']);
      const expected = (county: CountyCode | null) => NAMES.filter((_, i) => rows[i]!.county === county).map(asXmlText);
      expect(sheets.map((sheet) => sheet.rows.slice(1).map((cells) => cells[6]!.text))).toEqual([expected('KE-01'), expected('KE-30'), expected(null)]);
      for (const sheet of sheets) expect(sheet.rows[0]!.map((cell) => cell.text)).toEqual(csvColumns(false));
    },
    180_000,
  );
});
