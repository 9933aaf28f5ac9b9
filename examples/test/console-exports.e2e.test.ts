/**
 * Issue 12, the "Exports" view end to end against the real server in Chromium, at 360 px in English and
 * Kiswahili: a campaigner starts an export and watches it (a held request shows "preparing", a slowed one
 * its rows), cancels one, downloads the signed delivery pack (`downloadDeliveryPack`), which then verifies
 * with `imlu export verify` on the demo's data and through the view's own check, while a changed copy is
 * reported invalid by both; the history shows who exported what. axe finds nothing in each state. A
 * moderator (no `signatures:export`) is not shown the view and the export API refuses them.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff, axe, imlu, phone, signIn, startConsoleDemo, stopConsoleDemo } from './console-helpers.ts';
import { downloadDeliveryPack, EXPORTS_COPY, exportStatus, openExports } from './console-steps/exports.ts';
import { repoRoot, type RunningDemo } from './server.ts';

// The API's zip packages (it writes packs with them); here they make a changed copy of a pack.
const apiRequire = createRequire(join(repoRoot, 'api/package.json'));
interface ZipEntry {
  fileName: string;
}
interface ZipReader {
  on(event: 'entry', listener: (entry: ZipEntry) => void): void;
  on(event: 'end', listener: () => void): void;
  readEntry(): void;
  openReadStream(entry: ZipEntry, callback: (error: Error | null, stream: NodeJS.ReadableStream) => void): void;
}
// Only what this test uses: the examples package does not carry the API's type packages.
const yauzl = apiRequire('yauzl') as { open(file: string, options: { lazyEntries: boolean }, callback: (error: Error | null, zip: ZipReader) => void): void };
const yazl = apiRequire('yazl') as { ZipFile: new () => { addBuffer(bytes: Buffer, name: string): void; end(): void; outputStream: NodeJS.ReadableStream } };

const SLUG = 'justice-for-survivors';
let demo: RunningDemo;
let browser: Browser;

beforeAll(async () => {
  ({ demo, browser } = await startConsoleDemo());
  await imlu(demo, 'keys', 'signing', 'create');
  // Signers through the public API, some of whom agreed to share their name: rows for the exports to count.
  for (let i = 0; i < 24; i++) {
    const signed = await fetch(`${demo.apiUrl}/v1/campaigns/${SLUG}/signatures`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: `Mtia Sahihi ${i}`,
        phone: `07120009${String(i).padStart(2, '0')}`,
        county: i % 2 ? 'KE-30' : 'KE-01',
        consent: { terms: true, shareWithTargets: i % 3 === 0 },
      }),
    });
    expect(signed.status, await signed.text()).toBe(201);
  }
}, 120_000);

afterAll(() => stopConsoleDemo(demo, browser));

/** A copy of the pack whose manifest claims one row more (the kind of change an official must be able to catch). */
async function tamperedCopy(pack: string): Promise<string> {
  const files = await new Promise<Map<string, Buffer>>((resolve, reject) => {
    yauzl.open(pack, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      const found = new Map<string, Buffer>();
      zip.on('entry', (entry) => {
        zip.openReadStream(entry, async (err, stream) => {
          if (err) return reject(err);
          const chunks: Buffer[] = [];
          for await (const chunk of stream) chunks.push(chunk as Buffer);
          found.set(entry.fileName, Buffer.concat(chunks));
          zip.readEntry();
        });
      });
      zip.on('end', () => resolve(found));
      zip.readEntry();
    });
  });
  const manifestName = [...files.keys()].find((name) => name.endsWith('/manifest.json'))!;
  const manifest = JSON.parse(files.get(manifestName)!.toString('utf8')) as { totalRows: number; files: { rows: number }[] };
  manifest.totalRows += 1;
  manifest.files[0]!.rows += 1;
  files.set(manifestName, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
  const zip = new yazl.ZipFile();
  for (const [name, bytes] of files) zip.addBuffer(bytes, name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  const out = join(dirname(pack), 'tampered.zip');
  writeFileSync(out, Buffer.concat(chunks));
  return out;
}

describe('the console’s Exports view', () => {
  for (const language of ['en', 'sw'] as const) {
    it(`exports with progress, cancels, downloads a delivery pack that verifies (CLI and console), a changed copy does not; history; axe at 360 px (${language})`, async () => {
      const copy = EXPORTS_COPY[language];
      const member = await addStaff(demo, language === 'en' ? 'Achieng Otieno' : 'Wanjirũ Kamau', `exports-${language}@imlu.example`, 'campaigner');
      const { context, page, cspErrors } = await phone(browser, language === 'en' ? 'en-GB' : 'sw-KE');
      await signIn(demo, page, member, language);

      await openExports(page, language);
      await page.getByRole('heading', { level: 2, name: copy.historyTitle }).waitFor();
      await axe(page, `${language} form`);

      // Held before it reaches the server: the view says it is preparing, with a progress bar and a way out.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route('**/admin/campaigns/*/export?*', async (route) => {
        await held;
        // Cancelled meanwhile: the browser has dropped the request.
        await route.continue().catch(() => undefined);
      });
      await page.getByRole('radio', { name: copy.csv }).check();
      await page.getByRole('button', { name: copy.start }).click();
      await exportStatus(page).filter({ hasText: copy.preparing }).waitFor();
      await page.getByRole('progressbar', { name: copy.progress }).waitFor();
      await axe(page, `${language} in progress (preparing)`);
      await page.getByRole('button', { name: copy.cancel }).click();
      await exportStatus(page).filter({ hasText: copy.cancelled }).waitFor();
      release();
      await page.unroute('**/admin/campaigns/*/export?*');

      // Slowed down to a trickle: the rows count up against the total the API announced.
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: 400, uploadThroughput: -1 });
      const csvDownload = page.waitForEvent('download');
      await page.getByRole('button', { name: copy.start }).click();
      await exportStatus(page).filter({ hasText: copy.rowsOf }).waitFor();
      const progressbar = page.getByRole('progressbar', { name: copy.progress });
      expect(Number(await progressbar.getAttribute('max'))).toBe(24);
      await axe(page, `${language} in progress (rows)`);
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
      const csv = await csvDownload;
      expect(csv.suggestedFilename()).toMatch(new RegExp(`^${SLUG}-\\d{8}-\\d{6}\\.csv$`));
      const csvText = readFileSync((await csv.path())!, 'utf8');
      expect(csvText.trim().split('\r\n')).toHaveLength(25);
      expect(csvText).toContain('Mtia Sahihi 0'); // agreed to share their name
      expect(csvText).not.toContain('Mtia Sahihi 1,'); // did not
      await exportStatus(page).filter({ hasText: copy.saved }).waitFor();
      expect(await exportStatus(page).innerText()).toContain(language === 'en' ? '24 rows' : 'safu 24');
      // OSDI JSON: its rows are counted in the text as it arrives too, and agree with the file's own total.
      await page.getByRole('radio', { name: copy.json }).check();
      const jsonDownload = page.waitForEvent('download');
      await page.getByRole('button', { name: copy.start }).click();
      const json = JSON.parse(readFileSync((await (await jsonDownload).path())!, 'utf8')) as { total_records: number };
      expect(json.total_records).toBe(24);
      await exportStatus(page).filter({ hasText: copy.saved }).waitFor();
      expect(await exportStatus(page).innerText()).toMatch(/\.json: (safu )?24( rows)?\./);

      // The delivery pack, through the step the whole-flow test uses; back to the home first, as it starts there.
      await page.getByRole('button', { name: copy.back }).click();
      const pack = await downloadDeliveryPack(page, language, { slug: SLUG });
      expect(pack).toMatch(new RegExp(`${SLUG}-\\d{8}-\\d{6}-pdf\\.zip$`));
      await axe(page, `${language} done`);

      // The CLI on the demo's data: files, SHA256SUMS, signature and the audit entry naming the manifest.
      const verified = await imlu(demo, 'export', 'verify', pack);
      expect(verified).toMatch(/^OK +signature +Ed25519/m);
      expect(verified).toMatch(new RegExp(`^OK +audit +export\\.created .* 24 row\\(s\\)$`, 'm'));
      const tampered = await tamperedCopy(pack);
      await expect(imlu(demo, 'export', 'verify', tampered)).rejects.toThrow(/does not verify/);

      // The same pack through the console's check, then the changed copy.
      const result = page.locator('imlu-console-exports [data-valid]');
      await page.getByLabel(copy.packFile).setInputFiles(pack);
      await page.getByRole('button', { name: copy.verify }).click();
      await result.filter({ hasText: copy.valid }).waitFor();
      expect(await result.getAttribute('data-valid')).toBe('true');
      expect(await result.innerText()).toContain(member.name);
      await axe(page, `${language} verify valid`);
      await page.getByLabel(copy.packFile).setInputFiles(tampered);
      await page.getByRole('button', { name: copy.verify }).click();
      await result.filter({ hasText: copy.invalid }).waitFor();
      expect(await result.getAttribute('data-valid')).toBe('false');
      await axe(page, `${language} verify invalid`);

      // Who exported what and when: this member's pack is the newest entry.
      const newest = page.locator('imlu-console-exports tbody tr').first();
      await expect.poll(() => newest.getAttribute('data-destination')).toBe('http-pack');
      expect(await newest.innerText()).toContain(member.name);
      expect(await newest.innerText()).toContain(copy.deliveryPack);
      await page.getByRole('heading', { level: 2, name: copy.historyTitle }).scrollIntoViewIfNeeded();
      await axe(page, `${language} history`);

      expect(cspErrors).toEqual([]);
      await context.close();
      rmSync(dirname(pack), { recursive: true, force: true });
    }, 180_000);
  }

  it('is not shown to a moderator, whose export and pack requests are refused (403)', async () => {
    const member = await addStaff(demo, 'Moderator Mwangi', 'exports-moderator@imlu.example', 'moderator');
    const { context, page } = await phone(browser, 'en-GB');
    await signIn(demo, page, member, 'en');
    await page.locator('li[data-view="moderation"]').waitFor();
    expect(await page.locator('li[data-view="exports"]').count()).toBe(0);
    expect(await page.getByRole('button', { name: EXPORTS_COPY.en.view }).count()).toBe(0);
    for (const path of [`/admin/campaigns/${SLUG}/export?format=csv`, `/admin/campaigns/${SLUG}/pack`]) {
      const refused = await page.request.get(`${demo.apiUrl}${path}`);
      expect(refused.status(), path).toBe(403);
    }
    await context.close();
  });
});
