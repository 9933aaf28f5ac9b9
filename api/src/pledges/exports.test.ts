/**
 * Pledges in exports and packs, and what erasure and retention leave (issue 16): each signature's pledged
 * actions as one column of CSV, JSON (OSDI custom field) and xlsx; the figures per action in the pack's
 * manifest and on its PDF cover; the figures stay after retention deletes the rows.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { PDFParse } from 'pdf-parse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliActor } from '../auth/actor.ts';
import { exportToDirectory, type ExportRequest } from '../exports/run.ts';
import { runRetention } from '../retention/retention.ts';
import { createCampaign } from '../campaigns/create.ts';
import { createTestApi, OPEN_CAMPAIGN, validSignature, type TestApi } from '../../test/helpers.ts';
import { sayOfPledge } from './commitments.ts';

const START = Date.UTC(2027, 0, 5, 9);
const HEARING_AT = Date.UTC(2027, 0, 12, 6);
const DAY = 86_400_000;
let t: TestApi;
let now = START;
let out: string;
let hearing: string;
let share: string;

beforeEach(async () => {
  now = START;
  out = mkdtempSync(path.join(tmpdir(), 'imlu-pledge-export-'));
  t = await createTestApi({
    clock: () => now,
    countsRefreshMs: 60_000,
    campaign: {
      slug: 'attend-the-hearing',
      kind: 'pledge',
      retentionDays: 30,
      actions: [
        { title: { en: 'Attend the hearing', sw: 'Hudhuria kikao' }, place: null, county: 'KE-47', startsAt: HEARING_AT, capacity: 300 },
        { title: { en: 'Share the petition', sw: 'Shiriki ombi' }, place: null, county: null, startsAt: null, capacity: null },
      ],
    },
  });
  const rows = await t.db.client.execute({ sql: 'SELECT id FROM pledge_actions WHERE campaign_id = ? ORDER BY position', args: [t.campaignId] });
  [hearing, share] = rows.rows.map((r) => String(r[0])) as [string, string];
  const people: [string, string[]][] = [
    ['Amina Odhiambo', [hearing, share]],
    ['Baraka Otieno', [hearing]],
    ['Chebet Kiprono', [share]],
  ];
  for (const [i, [name, actions]] of people.entries()) {
    expect((await t.sign(validSignature({ name, phone: `07123450${i}0`, actions }))).status).toBe(201);
  }
  now = HEARING_AT + 3_600_000;
  const amina = await signatureNamed(0);
  expect(await sayOfPledge(t.db.client, amina, hearing, 'done', now)).toBe(true);
  expect(await sayOfPledge(t.db.client, await signatureNamed(2), share, 'cant', now)).toBe(true);
});
afterEach(async () => {
  await t.close();
  rmSync(out, { recursive: true, force: true });
});

async function signatureNamed(i: number): Promise<string> {
  const hash = t.api.services.crypto.blindIndex('phone', t.campaignId, `+2547123450${i}0`);
  return String((await t.db.client.execute({ sql: 'SELECT id FROM signatures WHERE phone_hash = ?', args: [hash] })).rows[0]![0]);
}

async function request(overrides: Partial<ExportRequest> = {}): Promise<ExportRequest> {
  const campaign = (await t.api.services.campaigns.findBySlug('attend-the-hearing'))!;
  return { campaign, format: 'csv', filter: {}, locale: 'en', includeContacts: false, ...overrides };
}

const EXPECTED_PLEDGES = ['1:done:kept 2:pledged', '1:pledged', '2:cant'];

describe('pledges in exports', () => {
  it('are one column per signature in CSV, JSON and xlsx, and the manifest states the figures', async () => {
    const csv = await exportToDirectory(t.db, t.api.services.crypto, await request(), { dir: path.join(out, 'csv'), actor: cliActor(), now });
    const lines = readFileSync(path.join(out, 'csv', csv.manifest.files[0]!.name), 'utf8').replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
    expect(lines[0]!.split(',').at(-1)).toBe('pledges');
    expect(lines.slice(1).map((line) => line.split(',').at(-1)).sort()).toEqual(EXPECTED_PLEDGES);
    expect(csv.manifest.pledges).toEqual([
      { position: 1, title: { en: 'Attend the hearing', sw: 'Hudhuria kikao' }, startsAt: new Date(HEARING_AT).toISOString(), pledged: 2, reminded: 0, kept: 1, cant: 0 },
      { position: 2, title: { en: 'Share the petition', sw: 'Shiriki ombi' }, startsAt: null, pledged: 1, reminded: 0, kept: 0, cant: 1 },
    ]);

    const json = await exportToDirectory(t.db, t.api.services.crypto, await request({ format: 'json' }), { dir: path.join(out, 'json'), actor: cliActor(), now });
    // OSDI custom fields are strings: the same text as the CSV column.
    const osdi = JSON.stringify(JSON.parse(readFileSync(path.join(out, 'json', json.manifest.files[0]!.name), 'utf8')));
    for (const pledges of EXPECTED_PLEDGES) expect(osdi).toContain(`"imlu_pledges":"${pledges}"`);

    const xlsx = await exportToDirectory(t.db, t.api.services.crypto, await request({ format: 'xlsx' }), { dir: path.join(out, 'xlsx'), actor: cliActor(), now });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path.join(out, 'xlsx', xlsx.manifest.files[0]!.name));
    const sheet = workbook.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).map(cellText);
    const at = header.indexOf('pledges');
    expect(at).toBeGreaterThan(0);
    expect([2, 3, 4].map((r) => cellText(sheet.getRow(r).getCell(at).value)).sort()).toEqual(EXPECTED_PLEDGES);
  });

  it('puts a table of the actions with pledged and kept on the PDF cover, in the pack language', async () => {
    const { manifest } = await exportToDirectory(t.db, t.api.services.crypto, await request({ format: 'pdf', locale: 'sw' }), { dir: out, actor: cliActor(), now });
    const parser = new PDFParse({ data: new Uint8Array(readFileSync(path.join(out, manifest.files[0]!.name))) });
    const { text } = await parser.getText();
    await parser.destroy();
    expect(text).toContain('Vitendo vilivyoahidiwa (kampeni nzima)');
    expect(text).toMatch(/1\. Hudhuria kikao \(2027-01-12\)\s+2\s+1/);
    expect(text).toMatch(/2\. Shiriki ombi\s+1\s+0/);
    expect(manifest.pledges).toHaveLength(2);
  });

  it('leave no column on a petition', async () => {
    await createCampaign(t.db, { ...OPEN_CAMPAIGN, slug: 'a-petition' }, now);
    expect((await t.sign(validSignature(), {}, 'a-petition')).status).toBe(201);
    const campaign = (await t.api.services.campaigns.findBySlug('a-petition'))!;
    const { manifest } = await exportToDirectory(t.db, t.api.services.crypto, { ...(await request()), campaign }, { dir: out, actor: cliActor(), now });
    expect(readFileSync(path.join(out, manifest.files[0]!.name), 'utf8')).not.toContain('pledges');
    expect(manifest.pledges).toBeUndefined();
  });
});

describe('figures after retention', () => {
  it('stay when retention deletes the signatures and their pledges', async () => {
    await t.api.services.counts.refresh();
    const before = await (await t.request('/v1/campaigns/attend-the-hearing/counts')).json();
    await t.db.client.execute({ sql: "UPDATE campaigns SET status = 'closed', closed_at = ? WHERE id = ?", args: [now, t.campaignId] });
    t.api.services.campaigns.invalidate();
    now += 31 * DAY;
    const report = await runRetention(t.db, { now });
    expect(report.signatures).toBe(3);
    expect(Number((await t.db.client.execute('SELECT COUNT(*) FROM pledge_commitments')).rows[0]![0])).toBe(0);
    await t.api.services.counts.refresh();
    const after = (await (await t.request('/v1/campaigns/attend-the-hearing/counts')).json()) as { actions: unknown[] };
    expect(after.actions).toEqual((before as { actions: unknown[] }).actions);
    expect(after.actions).toEqual([
      expect.objectContaining({ position: 1, pledged: 2, kept: 1 }),
      expect.objectContaining({ position: 2, pledged: 1, cant: 1 }),
    ]);
  });
});

function cellText(value: unknown): string {
  if (value && typeof value === 'object' && 'richText' in value) return (value as { richText: { text: string }[] }).richText.map((r) => r.text).join('');
  return value === null || value === undefined ? '' : String(value as string);
}
