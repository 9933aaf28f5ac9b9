/**
 * The delivery pack prints every name (issue 13): real pdfkit output, read back with poppler's `pdftotext
 * -layout` (Debian's poppler-utils, installed by .ci/run) the way an official's reader would see it.
 *
 * Each name must be there, on its own row: the text between the line that starts row N and the line that
 * starts row N+1, each exactly as written: the Arabic name too, right to left, letter by letter.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createTestApi, validSignature, type TestApi } from '../../test/helpers.ts';
import { loadedFonts } from './fonts.ts';
import type { PackTarget, PendingMode } from './pack-cover.ts';
import { pdfStream } from './pdf.ts';
import type { ExportRecord, ExportSummary } from './query.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'imlu-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LONG_WORD = `Wanjirũ${'x'.repeat(113)}`; // 120 characters, no space
const LONG_WORDS = Array.from({ length: 20 }, (_, i) => `Kamau${String.fromCharCode(65 + i)}`).join(' ').slice(0, 120);
const HARD_NAMES = [
  'Wanjirũ Kamau',
  "Ng'ang'a Mwangi",
  'فاطمة الزهراء',
  'አበበ ቢቂላ',
  '王秀英',
  'प्रिया शर्मा',
  LONG_WORD,
  LONG_WORDS,
  'Achieng\tOdhiambo ＝ Otieno',
];
/** What each name must read as in the pack. */
const PRINTED: Record<string, string> = { 'Achieng\tOdhiambo ＝ Otieno': 'Achieng Odhiambo = Otieno' };

const campaign = {
  title: { en: 'Justice for victims of police killings', sw: 'Haki kwa waathiriwa wa mauaji ya polisi' },
  body: { en: 'We ask for prosecutions.', sw: 'Tunaomba mashtaka.' },
  demands: [{ text: { en: 'Prosecute', sw: 'Shtaki' } }],
  senderOrganisation: 'Independent Medico-Legal Unit',
  senderContact: 'info@imlu.example, Nairobi',
} as unknown as Parameters<typeof pdfStream>[1]['campaign'];

const IG: PackTarget = {
  id: 't1',
  name: { en: 'Inspector-General of Police', sw: 'Inspekta Jenerali wa Polisi' },
  office: { en: 'Office of the Inspector-General', sw: 'Ofisi ya Inspekta Jenerali' },
  institution: { en: 'National Police Service', sw: 'Huduma ya Taifa ya Polisi' },
  level: 'national',
  county: null,
};

/** `copies` rounds of the hard names: every third signature pending (when pending rows are listed). */
function records(copies: number, pending: PendingMode): ExportRecord[] {
  const out: ExportRecord[] = [];
  for (let round = 0; round < copies; round++) {
    for (const name of HARD_NAMES) {
      const n = out.length;
      const status = pending === 'mark' && n % 3 === 2 ? 'pending' : 'counted';
      out.push({ id: `s${n}`, createdAt: Date.UTC(2026, 5, 1) + n, confirmedAt: null, status, county: 'KE-30', countyName: 'Nairobi', name, displayName: name, email: null, phone: null });
    }
  }
  return out;
}

async function render(name: string, rows: ExportRecord[], options: Omit<Parameters<typeof pdfStream>[1], 'campaign' | 'summary' | 'generatedAt'>): Promise<string> {
  const summary: ExportSummary = { total: rows.length, counted: rows.filter((r) => r.status === 'counted').length, pending: rows.filter((r) => r.status === 'pending').length, byCounty: new Map([['KE-30', rows.length]]), firstAt: rows[0]?.createdAt ?? null, lastAt: rows.at(-1)?.createdAt ?? null, anonymisedAt: null };
  const chunks: Buffer[] = [];
  async function* source() {
    yield* rows;
  }
  for await (const chunk of pdfStream(source(), { campaign, summary, generatedAt: Date.UTC(2026, 5, 2), ...options })) chunks.push(chunk as Buffer);
  const file = path.join(dir, `${name}.pdf`);
  writeFileSync(file, Buffer.concat(chunks));
  return file;
}

/** The pages of the PDF as `pdftotext -layout` reads them. */
function pdfPages(file: string): string[] {
  const result = spawnSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  if (result.error) throw new Error(`pdftotext is needed (Debian's poppler-utils, installed by .ci/run): ${result.error.message}`);
  expect(result.status).toBe(0);
  return result.stdout.split('\f').filter((page) => page.trim());
}

/** Row number → the text of its row (its lines, joined), over the list pages; a row never spans pages. */
function listRows(pages: string[], heading: string): Map<number, string> {
  const rows = new Map<number, string>();
  for (const page of pages) {
    const lines = page.split('\n');
    const header = lines.findIndex((line) => line.trim().startsWith(heading));
    if (header === -1) continue;
    const body = lines.slice(header + 1).filter((line) => line.trim() && !/(Page|Ukurasa) \d+/.test(line));
    // The first line under the headings starts a row: nothing of the last page's row spills over.
    expect(body[0]).toMatch(/^\s*\d+\s/);
    let current: number | undefined;
    for (const line of body) {
      const start = /^\s{0,8}(\d+)\s{2,}/.exec(line);
      if (start) {
        current = Number(start[1]);
        expect(rows.has(current)).toBe(false);
        rows.set(current, line);
      } else if (current !== undefined) rows.set(current, `${rows.get(current)}\n${line}`);
    }
  }
  return rows;
}

const squeeze = (text: string) => text.replace(/[\s\u202a-\u202e]/g, '');

function expectOnItsRow(rows: Map<number, string>, n: number, name: string) {
  const row = rows.get(n);
  expect(row, `row ${n}`).toBeDefined();
  const printed = PRINTED[name] ?? name;
  // An Arabic name as written, right to left (pdftotext marks the run with U+202B … U+202C).
  if (/[\u0600-\u06ff]/.test(name)) expect(row!.replace(/[\u202a-\u202e]/g, '').replace(/\s+/g, ' ')).toContain(name);
  else if (printed.includes(' ') && printed.length < 40) expect(row!.replace(/\s+/g, ' ')).toContain(printed);
  // A wrapped name, its lines put together: the other columns' text taken out of its first line.
  else expect(squeeze(row!.replace(/^\s*\d+|Nairobi|\d{4}-\d\d-\d\d|Not yet confirmed/g, ''))).toContain(squeeze(printed));
  // Nothing of it runs into the next row.
  const next = rows.get(n + 1);
  if (next !== undefined && printed.length >= 100) expect(squeeze(next)).not.toContain(squeeze(printed).slice(-20));
}

describe('PDF pack: every name prints', () => {
  it('hard names, each on its own row, long names wrapped in their cell, rows whole across pages; "Page X of Y"; cover with addressee, sender and scope', async () => {
    // A pack of Latin names never reads the 10 MB Chinese font (the module keeps a font once read).
    const latin = records(1, 'mark').slice(0, 2);
    await render('latin', latin, { locale: 'en', pending: 'mark' });
    expect(loadedFonts()).not.toContain('cjk');
    const rows = records(5, 'mark');
    const file = await render('en-mark', rows, { locale: 'en', pending: 'mark', county: 'KE-30', pack: { to: IG } });
    const pages = pdfPages(file);
    expect(pages.length).toBeGreaterThanOrEqual(4); // cover, counties, two or more pages of names
    pages.forEach((page, i) => expect(page).toContain(`Page ${i + 1} of ${pages.length}`));

    const cover = pages[0]!;
    for (const line of ['To', 'Inspector-General of Police', 'Office of the Inspector-General', 'National Police Service']) expect(cover).toContain(line);
    for (const line of ['From', 'Independent Medico-Legal Unit', 'info@imlu.example, Nairobi']) expect(cover).toContain(line);
    expect(cover).toContain('Scope');
    expect(cover).toContain('Signatories in Nairobi (KE-30)');
    expect(cover).toContain('Signatures not yet confirmed by their signer are included, marked "Not yet confirmed" in the list.');

    const list = listRows(pages, 'No.');
    expect([...list.keys()]).toEqual(rows.map((_, i) => i + 1));
    rows.forEach((record, i) => {
      expectOnItsRow(list, i + 1, record.name!);
      // Pending rows carry the mark on their own row, confirmed ones do not.
      if (record.status === 'pending') expect(list.get(i + 1)).toContain('Not yet confirmed');
      else expect(list.get(i + 1)).not.toContain('Not yet confirmed');
    });
    // The long names wrapped: their rows have more lines than a short name's.
    const longRow = list.get(HARD_NAMES.indexOf(LONG_WORD) + 1)!;
    expect(longRow.split('\n').length).toBeGreaterThanOrEqual(3);
    expect(list.get(HARD_NAMES.indexOf(LONG_WORDS) + 1)!.split('\n').length).toBeGreaterThanOrEqual(2);
    // Nothing printed as a box: the tab became a space, "＝" an "=", and no replacement or .notdef text.
    const text = pages.join('\n');
    expect(text).not.toMatch(/[\t＝\ufffd□]/u);
    expect(loadedFonts()).toContain('cjk');
  });

  it('in Kiswahili: "Ukurasa X kati ya Y", the cover in Kiswahili, and pending signatures left out as the cover says', async () => {
    const rows = records(1, 'exclude');
    const file = await render('sw-exclude', rows, { locale: 'sw', pending: 'exclude', pack: { to: IG } });
    const pages = pdfPages(file);
    pages.forEach((page, i) => expect(page).toContain(`Ukurasa ${i + 1} kati ya ${pages.length}`));
    const cover = pages[0]!;
    for (const line of ['Kwa', 'Inspekta Jenerali wa Polisi', 'Huduma ya Taifa ya Polisi', 'Kutoka', 'Independent Medico-Legal Unit', 'Wigo', 'Waliotia sahihi wote, katika kila kaunti']) {
      expect(cover).toContain(line);
    }
    expect(cover).toContain('Sahihi ambazo bado hazijathibitishwa na waliozitia haziko katika kifurushi hiki.');
    const list = listRows(pages, 'Na.');
    rows.forEach((record, i) => expectOnItsRow(list, i + 1, record.name!));
    expect(pages.join('\n')).not.toContain('Hali'); // no status column when pending rows are left out
  });
});

describe('PDF pack over HTTP', () => {
  const BOOTSTRAP = 'test-admin-token-0123456789abcdef0123';
  let t: TestApi;
  afterEach(async () => {
    await t.close();
  });
  const call = (url: string, token: string, init: RequestInit = {}) =>
    t.request(url, { ...init, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...init.headers } });

  it('addressee from the board, sender from the campaign, jurisdiction as scope; pending excluded by default or marked; bad options refused with 422', async () => {
    t = await createTestApi({ adminToken: BOOTSTRAP, campaign: { verification: 'email', senderOrganisation: 'IMLU Kenya', senderContact: 'delivery@imlu.example' } });
    const token = ((await (await call('/admin/tokens', BOOTSTRAP, { method: 'POST', body: JSON.stringify({ name: 'pack', scopes: ['signatures:export', 'accountability:write'] }) })).json()) as { token: string }).token;
    const created = await call('/admin/targets', token, {
      method: 'POST',
      body: JSON.stringify({ name: 'Governor of Nairobi', nameSw: 'Gavana wa Nairobi', office: 'Office of the Governor', institution: 'Nairobi City County', jurisdiction: { level: 'county', county: 'KE-30' } }),
    });
    const governor = ((await created.json()) as { id: string }).id;
    // Signatures wait for their e-mail confirmation: all pending.
    await t.sign(validSignature({ name: 'فاطمة الزهراء', email: 'f@example.org', consent: { terms: true, shareWithTargets: true } }));
    await t.sign(validSignature({ name: 'አበበ ቢቂላ', email: 'a@example.org', phone: '0712345671', consent: { terms: true, shareWithTargets: true } }));

    const pack = async (query: string) => {
      const response = await call(`/admin/campaigns/${t.slug}/export?format=pdf&${query}`, token);
      expect(response.status).toBe(200);
      const file = path.join(dir, `http-${Math.random().toString(36).slice(2)}.pdf`);
      writeFileSync(file, Buffer.from(await response.arrayBuffer()));
      return pdfPages(file);
    };
    const excluded = await pack(`locale=sw&addressee=${governor}&jurisdiction=${governor}`);
    expect(excluded[0]).toContain('Gavana wa Nairobi');
    expect(excluded[0]).toContain('IMLU Kenya');
    expect(excluded[0]).toContain('delivery@imlu.example');
    expect(excluded[0]).toContain('Waliotia sahihi walio chini ya mamlaka ya Gavana wa Nairobi');
    expect(excluded[0]).toContain('Nairobi (KE-30)');
    expect(excluded.join('\n')).not.toContain('ቢቂላ');

    const marked = await pack('locale=en&pending=mark');
    const list = listRows(marked, 'No.');
    expect(list.size).toBe(2);
    expect(list.get(2)).toContain('አበበ ቢቂላ');
    for (const row of list.values()) expect(row).toContain('Not yet confirmed');
    expect(marked[0]).toContain('All signatories, in every county');

    const refused = async (query: string, field: string) => {
      const response = await call(`/admin/campaigns/${t.slug}/export?${query}`, token);
      expect(response.status).toBe(422);
      expect(response.headers.get('Content-Type')).toContain('application/problem+json');
      expect(JSON.stringify(await response.json())).toContain(`"${field}"`);
    };
    await refused('format=pdf&addressee=no-such-target', 'addressee');
    await refused(`format=csv&addressee=${governor}`, 'addressee');
    await refused('format=pdf&pending=mark&verifiedOnly=true', 'pending');
    await refused('format=pdf&pending=maybe', 'pending');
  });
});
