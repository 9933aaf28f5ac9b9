/**
 * Exports end to end on a real libSQL file: CSV, JSON and PDF content, consent, filters, the per-county
 * split, the manifest and its tamper check, the audit entry, and bounded paging.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PDFParse } from 'pdf-parse';
import { createTestApi, type TestApi } from '../../test/helpers.ts';
import { insertSignatures, syntheticRow, type SyntheticRow } from '../../test/synthetic.ts';
import { listAudit } from '../audit/audit.ts';
import { cliActor } from '../auth/actor.ts';
import { csvStream, neutraliseFormula } from './csv.ts';
import { verifyManifest } from './manifest.ts';
import { exportRecords, pageSignatures, summarise } from './query.ts';
import { ROW } from './rows.ts';
import { exportToDirectory, type ExportRequest } from './run.ts';

let t: TestApi;
let out: string;
const START = Date.UTC(2026, 9, 1, 8);

beforeEach(() => {
  out = mkdtempSync(path.join(tmpdir(), 'imlu-export-test-'));
});
afterEach(async () => {
  await t.close();
  rmSync(out, { recursive: true, force: true });
});

const row = (overrides: Partial<SyntheticRow>, i: number): SyntheticRow => ({
  name: 'Someone',
  county: 'KE-30',
  status: 'counted',
  shareWithTargets: true,
  flag: null,
  createdAt: START + i * 60_000,
  phone: `+25471200000${i}`,
  ...overrides,
});

/** A small campaign with every case an export must handle. */
async function seed() {
  t = await createTestApi({});
  const ids = await insertSignatures(t.db.client, t.api.services.crypto, t.campaignId, [
    row({ name: 'Wanjirũ Kamau', county: 'KE-30', email: 'wanjiru@example.org' }, 0),
    row({ name: 'Hidden Person', county: 'KE-01', shareWithTargets: false }, 1), // Baringo
    row({ name: '=HYPERLINK("http://x","y")', county: 'KE-30' }, 2),
    row({ name: 'Kamau, "Jnr"', county: 'KE-30', status: 'pending' }, 3),
    row({ name: 'Flood Bot', flag: 'suspect' }, 4),
    row({ name: 'Invalid One', flag: 'invalid' }, 5),
    row({ name: 'Struck Person' }, 6),
    row({ name: 'No County', county: null, shareWithTargets: false }, 7),
  ]);
  await t.db.client.execute({ sql: "UPDATE signatures SET struck_at = 1, struck_reason = 'asked' WHERE id = ?", args: [ids[6]!] });
  const campaign = (await t.api.services.campaigns.findBySlug(t.slug))!;
  return { ids, campaign };
}

async function toText(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

describe('CSV export', () => {
  it('has a BOM and CRLF, keeps accents, quotes per RFC 4180, neutralises formulas, applies consent and exclusions', async () => {
    const { campaign } = await seed();
    const records = exportRecords(t.db, t.api.services.crypto, { campaignId: campaign.id }, { locale: 'en', includeContacts: false });
    const bytes = await toText(csvStream(records, { includeContacts: false }));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('signature_id,signed_at,status,confirmed_at,county_code,county,name,name_shared');
    expect(text.replace(/\r\n/g, '')).not.toMatch(/\n/); // every line ends CRLF
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(1 + 5 + 1);
    expect(text).toContain(',KE-30,Nairobi,Wanjirũ Kamau,yes');
    expect(text).toContain(',KE-01,Baringo,"Signatory, Baringo",no');
    expect(text).not.toContain('Hidden Person');
    expect(text).toContain(',,,Signatory,no');
    // Formula made inert (and quoted, since it holds quotes and a comma).
    expect(text).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(text).toContain(',pending,,KE-30,Nairobi,"Kamau, ""Jnr""",yes');
    for (const excluded of ['Flood Bot', 'Invalid One', 'Struck Person']) expect(text).not.toContain(excluded);
    // No contacts unless asked for.
    expect(text).not.toContain('wanjiru@example.org');
  });

  it('neutralises every formula lead character, also behind invisible characters', () => {
    for (const lead of ['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20']) {
      expect(neutraliseFormula(`${lead}1+1`)).toBe(`'${lead}1+1`);
    }
    for (const hidden of ['\u200B', '\u00A0', ' ', '\n', '\u0000', '\uFEFF', '\u200D\u2060', '\u3000', '\u3164', '\u202E']) {
      expect(neutraliseFormula(`${hidden}=1+1`), JSON.stringify(hidden)).toBe(`'${hidden}=1+1`);
    }
    for (const plain of ['Wanjirũ', "O'Brien", 'Juma\n=1+1', 'Jean-Luc', '\u200BJuma', '2026-10-01T08:00:00.000Z']) {
      expect(neutraliseFormula(plain)).toBe(plain);
    }
  });

  it('quotes every cell holding a bare CR or LF, so a row never splits', async () => {
    t = await createTestApi({});
    const names = ['Juma Baraka\r=1+1', 'X\n=1+1', 'Juma\r\nBaraka', 'Plain Name'];
    await insertSignatures(t.db.client, t.api.services.crypto, t.campaignId, names.map((name, i) => row({ name }, i)));
    const records = exportRecords(t.db, t.api.services.crypto, { campaignId: t.campaignId }, { locale: 'en', includeContacts: false });
    const text = (await toText(csvStream(records, { includeContacts: false }))).subarray(3).toString('utf8');
    expect(text).toContain(',KE-30,Nairobi,"Juma Baraka\r=1+1",yes\r\n');
    expect(text).toContain(',KE-30,Nairobi,"X\n=1+1",yes\r\n');
    expect(text).toContain(',KE-30,Nairobi,"Juma\r\nBaraka",yes\r\n');
    expect(text).toContain(',KE-30,Nairobi,Plain Name,yes\r\n');
    // Outside quoted cells, CR and LF appear only as the CRLF ending each of the 1 + 4 rows.
    expect(text.replace(/"(?:[^"]|"")*"/g, '').match(/\r\n|\r|\n/g)).toEqual(Array<string>(5).fill('\r\n'));
  });

  it('adds contacts only when asked, and only for signers who consented to sharing', async () => {
    const { campaign } = await seed();
    const records = exportRecords(t.db, t.api.services.crypto, { campaignId: campaign.id, verifiedOnly: true }, { locale: 'en', includeContacts: true });
    const text = (await toText(csvStream(records, { includeContacts: true }))).toString('utf8');
    expect(text.split('\r\n')[0]).toMatch(/,email,phone$/);
    // E.164 numbers start with "+", so they too get the inert-text prefix (spreadsheets hide the ').
    expect(text).toContain("wanjiru@example.org,'+254712000000");
    expect(text).not.toContain('+254712000001'); // Baringo signer did not consent
    expect(text).not.toContain('pending'); // verified only
  });
});

describe('export to a directory', () => {
  const request = (campaign: ExportRequest['campaign'], overrides: Partial<ExportRequest> = {}): ExportRequest => ({
    campaign,
    format: 'csv',
    filter: {},
    locale: 'en',
    includeContacts: false,
    ...overrides,
  });

  it('splits per county, writes a manifest that verifies and catches a tampered file, and is audited', async () => {
    const { campaign } = await seed();
    const { manifest } = await exportToDirectory(t.db, t.api.services.crypto, request(campaign), {
      dir: out,
      actor: cliActor(),
      now: START + 86_400_000,
      split: 'county',
    });
    expect(manifest.files.map((f) => [f.county, f.rows])).toEqual([
      ['KE-01', 1],
      ['KE-30', 3],
      [null, 1],
    ]);
    expect(manifest.totalRows).toBe(5);
    const nairobi = manifest.files.find((f) => f.county === 'KE-30')!;
    const body = readFileSync(path.join(out, nairobi.name), 'utf8');
    const dataLines = body.split('\r\n').slice(1).filter(Boolean);
    expect(dataLines).toHaveLength(3);
    for (const line of dataLines) expect(line).toContain(',KE-30,Nairobi,');
    expect(await verifyManifest(out)).toMatchObject({ ok: true, checked: 3, problems: [] });

    writeFileSync(path.join(out, nairobi.name), body.replace('Wanjirũ', 'Wanjiru'));
    const tampered = await verifyManifest(out);
    expect(tampered.ok).toBe(false);
    expect(tampered.problems.join('\n')).toContain(`${nairobi.name}: SHA-256 differs`);
    writeFileSync(path.join(out, 'extra.csv'), 'x');
    expect((await verifyManifest(out)).problems.join('\n')).toContain('extra.csv: not listed');

    const [entry] = await listAudit(t.db, { action: 'export.created' });
    expect(entry).toMatchObject({
      actor: cliActor().id,
      campaignId: campaign.id,
      rowCount: 5,
      details: { format: 'csv', split: 'county', files: 3, filters: { verifiedOnly: false } },
    });
    expect(JSON.stringify(entry)).not.toContain('Wanjir');
  });

  it('refuses a directory that is not empty', async () => {
    const { campaign } = await seed();
    writeFileSync(path.join(out, 'old.csv'), 'x');
    await expect(exportToDirectory(t.db, t.api.services.crypto, request(campaign), { dir: out, actor: cliActor(), now: START })).rejects.toThrow(/not empty/);
  });

  it('writes JSON as an OSDI collection of signatures, filtered by county and dates', async () => {
    const { campaign } = await seed();
    const { manifest } = await exportToDirectory(
      t.db,
      t.api.services.crypto,
      request(campaign, { format: 'json', filter: { county: 'KE-30', from: START + 60_000, to: START + 4 * 60_000 } }),
      { dir: out, actor: cliActor(), now: START },
    );
    const collection = JSON.parse(readFileSync(path.join(out, manifest.files[0]!.name), 'utf8')) as {
      total_records: number;
      _embedded: { 'osdi:signatures': { _embedded: { 'osdi:person': Record<string, unknown> }; custom_fields: Record<string, string> }[] };
    };
    const records = collection._embedded['osdi:signatures'];
    expect(records).toHaveLength(2);
    expect(collection.total_records).toBe(2);
    const person = records[0]!._embedded['osdi:person'];
    expect(person['custom_fields']).toEqual({ imlu_full_name: '=HYPERLINK("http://x","y")' }); // JSON is data, not a spreadsheet
    expect(person['postal_addresses']).toEqual([{ primary: true, region: '30', country: 'KE' }]);
    expect(records[0]!.custom_fields['imlu_county']).toBe('Nairobi');
    expect(manifest.filters).toMatchObject({ county: 'KE-30', from: new Date(START + 60_000).toISOString() });
  });

  it('writes a PDF delivery pack that renders Kiswahili/Kikuyu names and hides non-consenting signers', async () => {
    const { campaign } = await seed();
    const { manifest } = await exportToDirectory(t.db, t.api.services.crypto, request(campaign, { format: 'pdf', locale: 'sw' }), {
      dir: out,
      actor: cliActor(),
      now: START,
    });
    const pdf = readFileSync(path.join(out, manifest.files[0]!.name));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const parser = new PDFParse({ data: new Uint8Array(pdf) });
    const { text } = await parser.getText();
    await parser.destroy();
    expect(text).toContain('Kampeni ya majaribio'); // Kiswahili title
    expect(text).toContain('Dai la kwanza');
    expect(text).toContain('Wanjirũ Kamau');
    expect(text).toContain('Mtia sahihi, Baringo');
    expect(text).not.toContain('Hidden Person');
    expect(text).not.toContain('Struck Person');
    expect(text).toMatch(/Jumla ya sahihi katika kifurushi hiki: 5/);
    expect(text).toContain('Nairobi (KE-30)');
  });
});

describe('paging', () => {
  it('reads 20,000 rows in bounded pages by key, never all at once', async () => {
    t = await createTestApi({});
    const rows = Array.from({ length: 20_000 }, (_, i) => ({ ...syntheticRow(i, START), createdAt: START + Math.floor(i / 3) })); // ties on created_at
    await insertSignatures(t.db.client, t.api.services.crypto, t.campaignId, rows);
    const pages: number[] = [];
    const seen = new Set<string>();
    let previous = '';
    for await (const page of pageSignatures(t.db, { campaignId: t.campaignId }, { pageSize: 500, onPage: (n) => pages.push(n) })) {
      for (const r of page) {
        const key = `${String(r[ROW.createdAt]).padStart(15, '0')}|${String(r[ROW.id])}`;
        expect(key > previous).toBe(true);
        previous = key;
        seen.add(String(r[ROW.id]));
      }
    }
    expect(seen.size).toBe(20_000);
    // 40 full pages, then one empty query that ends the walk.
    expect(pages).toEqual([...Array<number>(40).fill(500), 0]);
    expect((await summarise(t.db, { campaignId: t.campaignId })).total).toBe(20_000);
  });
});
