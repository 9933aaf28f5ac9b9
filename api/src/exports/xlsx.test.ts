/**
 * The xlsx writer as a file: its XML read straight out of the zip (no formula anywhere, every cell an inline
 * string with the Text format, a bold frozen header, column widths, valid sheet names), the per-county
 * workbook of a split directory export with its manifest and progress, the row limit of a sheet, and that
 * it reads pages only as fast as its reader takes the file. LibreOffice's view of it is
 * `xlsx-libreoffice.test.ts`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../../test/helpers.ts';
import { insertSignatures } from '../../test/synthetic.ts';
import { cliActor } from '../auth/actor.ts';
import { csvColumns } from './csv.ts';
import { verifyManifest } from './manifest.ts';
import type { ExportRecord } from './query.ts';
import { exportToDirectory } from './run.ts';
import { sheetName, xlsxStream } from './xlsx.ts';

const START = Date.UTC(2026, 9, 1, 8);

/** The files of a zip archive by name, inflated (the central directory read, as an unzip tool does). */
export function unzip(zip: Buffer): Map<string, string> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a zip file');
  const entries = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const files = new Map<string, string>();
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('bad central directory');
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const local = zip.readUInt32LE(at + 42);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + size);
    files.set(name, (method === 8 ? inflateRawSync(data) : data).toString('utf8'));
    at += 46 + skip;
  }
  return files;
}

async function bytes(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

function record(i: number, name: string): ExportRecord {
  return {
    id: `0190c2b4-7f00-7000-8000-${String(i).padStart(12, '0')}`,
    createdAt: START + i * 1000,
    confirmedAt: i % 2 ? START + i * 1000 + 500 : null,
    status: i % 2 ? 'counted' : 'pending',
    county: 'KE-30',
    countyName: 'Nairobi',
    name,
    displayName: name,
    email: `signer${i}@example.org`,
    phone: '+254712345678',
  };
}

async function* pagesOf(records: ExportRecord[], size: number): AsyncGenerator<ExportRecord[]> {
  for (let i = 0; i < records.length; i += size) yield records.slice(i, i + size);
}

/** The cells of a worksheet's XML: reference, type, style and text. */
function cells(sheetXml: string): { ref: string; type: string | null; style: string | null; text: string }[] {
  return [...sheetXml.matchAll(/<c r="([A-Z]+\d+)"([^>]*?)(?:\/>|>(.*?)<\/c>)/g)].map(([, ref, attributes, body]) => ({
    ref: ref!,
    type: /t="([^"]+)"/.exec(attributes!)?.[1] ?? null,
    style: /s="(\d+)"/.exec(attributes!)?.[1] ?? null,
    text: [...(body ?? '').matchAll(/<t[^>]*>([^<]*)<\/t>/g)].map((m) => m[1]).join(''),
  }));
}

const unescapeXml = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

describe('xlsx writer', () => {
  it('writes no formula: every cell an inline string in the Text format, under a bold, frozen header with set widths', async () => {
    const names = ['=1+1', '+254700000000', '-5', '@SUM(A1)', 'Wanjirũ <Kamau> & "Ng\'ang\'a"', '_x0041_ Njeri'];
    const file = await bytes(xlsxStream([{ name: 'Nairobi', pages: pagesOf(names.map((name, i) => record(i, name)), 4) }], { includeContacts: true, generatedAt: START }));
    const files = unzip(file);
    const sheet = files.get('xl/worksheets/sheet1.xml')!;
    const styles = files.get('xl/styles.xml')!;
    for (const [name, xml] of files) expect(xml, name).not.toMatch(/<f[ >]/);
    expect(sheet).toContain('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>');
    expect([...sheet.matchAll(/<col [^>]*width="(\d+)"/g)].map((m) => Number(m[1]))).toEqual([38, 26, 10, 26, 12, 18, 40, 12, 32, 16]);

    const all = cells(sheet);
    const written = all.filter((cell) => cell.text !== '');
    expect(written.every((cell) => cell.type === 'inlineStr')).toBe(true);
    // Empty cells (confirmed_at of a pending signature) carry no value at all, so nothing to evaluate.
    expect(all.filter((cell) => cell.text === '').every((cell) => cell.type === null)).toBe(true);
    const cellXfs = /<cellXfs[^>]*>(.*?)<\/cellXfs>/.exec(styles)![1]!.match(/<xf [^>]*?(?:\/>|>.*?<\/xf>)/g)!;
    const fonts = /<fonts[^>]*>(.*?)<\/fonts>/.exec(styles)![1]!.match(/<font>.*?<\/font>|<font\/>/g)!;
    for (const cell of all) {
      const xf = cellXfs[Number(cell.style)]!;
      expect(xf, cell.ref).toContain('numFmtId="49"'); // 49: the built-in Text format "@"
      const bold = fonts[Number(/fontId="(\d+)"/.exec(xf)![1])]!.includes('<b/>');
      expect(bold, cell.ref).toBe(/^[A-Z]+1$/.test(cell.ref));
    }
    expect(all.filter((cell) => /^[A-Z]+1$/.test(cell.ref)).map((cell) => cell.text)).toEqual(csvColumns(true));
    const nameCells = all.filter((cell) => /^G\d+$/.test(cell.ref) && cell.ref !== 'G1').map((cell) => unescapeXml(cell.text));
    // Excel reads `_xHHHH_` as an escaped character: the underscore is escaped so the name stays as typed.
    expect(nameCells).toEqual(names.map((name) => name.replace('_x0041_', '_x005F_x0041_')));
  });

  it('names sheets as Excel allows: at most 31 characters, none of []:*?/\\, unique, not "History"', () => {
    const taken = new Set<string>();
    expect(sheetName('Nairobi', taken)).toBe('Nairobi');
    expect(sheetName('nairobi', taken)).toBe('nairobi (2)');
    expect(sheetName("'Murang'a'", taken)).toBe("Murang'a");
    expect(sheetName('a[b]c:d*e?f/g\\h', taken)).toBe('a b c d e f g h');
    expect(sheetName('History', taken)).toBe('History (2)');
    const long = sheetName('Kaunti ya Elgeyo-Marakwet na Tharaka-Nithi', taken);
    expect(long).toBe('Kaunti ya Elgeyo-Marakwet na Th');
    expect(sheetName('Kaunti ya Elgeyo-Marakwet na Tharaka-Nithi', taken)).toBe('Kaunti ya Elgeyo-Marakwet n (2)');
    expect(sheetName('', taken)).toBe('Sheet');
    for (const name of taken) expect(name.length).toBeLessThanOrEqual(31);
  });

  it('goes on in a second sheet, with its own header, when a sheet is full', async () => {
    const records = Array.from({ length: 7 }, (_, i) => record(i, `Signer ${i}`));
    const files = unzip(await bytes(xlsxStream([{ name: 'Signatures', pages: pagesOf(records, 3) }], { includeContacts: false, generatedAt: START, maxRows: 4 })));
    expect(files.get('xl/workbook.xml')).toMatch(/name="Signatures".*name="Signatures \(2\)".*name="Signatures \(3\)"/);
    const names = [1, 2, 3].map((n) => cells(files.get(`xl/worksheets/sheet${n}.xml`)!).filter((cell) => cell.ref.startsWith('G')).map((cell) => cell.text));
    expect(names).toEqual([
      ['name', 'Signer 0', 'Signer 1', 'Signer 2'],
      ['name', 'Signer 3', 'Signer 4', 'Signer 5'],
      ['name', 'Signer 6'],
    ]);
  });

  it('reads pages only as fast as the file is read: a reader that takes nothing holds it after a few pages', async () => {
    let pulled = 0;
    async function* pages(): AsyncGenerator<ExportRecord[]> {
      for (let p = 0; p < 60; p++) {
        pulled += 1;
        yield Array.from({ length: 1000 }, (_, i) => record(p * 1000 + i, `Signer ${p * 1000 + i} Wanjirũ Kamau Ng’ang’a`));
      }
    }
    const stream = xlsxStream([{ name: 'Signatures', pages: pages() }], { includeContacts: true, generatedAt: START });
    // Wait until the writer stops asking for pages (it waits for the reader), however long that takes here.
    for (let quiet = 0; quiet < 20; ) {
      const before = pulled;
      await new Promise((resolve) => setTimeout(resolve, 20));
      quiet = pulled === before ? quiet + 1 : 0;
    }
    // About a megabyte of sheet XML may wait for the zip writer (two pages of these rows), and the output's
    // buffer a little: far from all 60 pages.
    expect(pulled).toBeLessThanOrEqual(6);
    const files = unzip(await bytes(stream));
    expect(pulled).toBe(60);
    expect(cells(files.get('xl/worksheets/sheet1.xml')!).filter((cell) => cell.ref.startsWith('A'))).toHaveLength(60_001);
  });
});

describe('xlsx writer and a reader that goes away', () => {
  it('stops reading pages and closes them when the reader destroys the stream', async () => {
    let pulled = 0;
    let closed = false;
    async function* pages(): AsyncGenerator<ExportRecord[]> {
      try {
        for (let p = 0; p < 1000; p++) {
          pulled += 1;
          yield Array.from({ length: 1000 }, (_, i) => record(p * 1000 + i, `Signer ${p * 1000 + i}`));
        }
      } finally {
        closed = true;
      }
    }
    const stream = xlsxStream([{ name: 'Signatures', pages: pages() }], { includeContacts: false, generatedAt: START });
    for await (const _chunk of stream) break; // takes one chunk, then destroys the stream
    while (!closed) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(closed).toBe(true);
    expect(pulled).toBeLessThan(1000);
  });
});

describe('xlsx directory export', () => {
  let t: TestApi | undefined;
  let out: string | undefined;
  afterEach(async () => {
    await t?.close();
    if (out) rmSync(out, { recursive: true, force: true });
    t = undefined;
    out = undefined;
  });

  it('split by county: one workbook with a sheet per county (and one for no county), one manifest entry, progress to the total', async () => {
    t = await createTestApi({});
    out = mkdtempSync(path.join(tmpdir(), 'imlu-xlsx-test-'));
    const counties = ['KE-30', 'KE-01', null, 'KE-30', 'KE-47'] as const;
    await insertSignatures(
      t.db.client,
      t.api.services.crypto,
      t.campaignId,
      counties.map((county, i) => ({ name: `Signer ${i}`, county, status: 'counted', shareWithTargets: true, flag: null, createdAt: START + i * 60_000 })),
    );
    const campaign = (await t.api.services.campaigns.findBySlug(t.slug))!;
    const progress: [number, number][] = [];
    const { manifest } = await exportToDirectory(
      t.db,
      t.api.services.crypto,
      { campaign, format: 'xlsx', filter: {}, locale: 'sw', includeContacts: false, pageSize: 1 },
      { dir: out, actor: cliActor(), now: START, split: 'county', onProgress: (done, total) => progress.push([done, total]) },
    );
    expect(manifest.files).toHaveLength(1);
    expect(manifest.files[0]!.name).toMatch(/\.xlsx$/);
    expect(manifest).toMatchObject({ format: 'xlsx', split: 'county', totalRows: 5 });
    expect(manifest.files[0]!.rows).toBe(5);
    expect(progress.at(0)).toEqual([0, 5]);
    expect(progress.at(-1)).toEqual([5, 5]);
    expect(progress.map(([done]) => done)).toEqual([...progress.map(([done]) => done)].sort((a, b) => a - b));
    expect((await verifyManifest(out)).ok).toBe(true);

    const files = unzip(readFileSync(path.join(out, manifest.files[0]!.name)));
    const sheetNames = [...files.get('xl/workbook.xml')!.matchAll(/<sheet [^>]*name="([^"]+)"/g)].map((m) => m[1]);
    expect(sheetNames).toEqual(['Baringo', 'Nairobi', 'Pokot Magharibi', 'Kaunti haikutajwa']);
    const names = sheetNames.map((_, n) =>
      cells(files.get(`xl/worksheets/sheet${n + 1}.xml`)!)
        .filter((cell) => cell.ref.startsWith('G') && cell.ref !== 'G1')
        .map((cell) => cell.text),
    );
    expect(names).toEqual([['Signer 1'], ['Signer 0', 'Signer 3'], ['Signer 4'], ['Signer 2']]);
  });
});
