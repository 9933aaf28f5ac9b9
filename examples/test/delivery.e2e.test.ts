/**
 * Delivery on the record, end to end: against the real demo server (API, seeded board, demo partner site),
 * the real `imlu` command exports a pack and records it as delivered to a seeded duty bearer; then the
 * public accountability endpoint and `<imlu-accountability>` in headless Chromium show the delivery with
 * the pack's count and the SHA-256 of its manifest.json, in English and in Kiswahili.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Accountability } from '@imlu/contracts';
import { SLUG } from './helpers.ts';
import { launchChromium, repoRoot, startDemo, type RunningDemo } from './server.ts';

const BIN = join(repoRoot, 'api/bin/imlu.mjs');
const DELIVERED_ON = '2025-06-02';

let demo: RunningDemo;
let browser: Browser;
let page: Page;
let work: string;

/** The real `imlu` command on the demo's data folder (its database and generated keys). */
function imlu(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: work, env: { ...process.env, NODE_ENV: 'test', DATA_DIR: demo.dataDir, LOG_LEVEL: 'silent' } },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function board(): Promise<Accountability> {
  return (await (await fetch(`${demo.apiUrl}/v1/campaigns/${SLUG}/accountability`, { cache: 'no-store' })).json()) as Accountability;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'imlu-delivery-e2e-'));
  [demo, browser] = await Promise.all([startDemo(), launchChromium()]);
}, 90_000);

afterAll(async () => {
  await page?.close();
  await browser?.close();
  await demo?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('imlu deliver, then the public record', () => {
  let target: Accountability['targets'][number];
  let hash: string;
  let rows: number;

  it('records an exported pack as delivered to a seeded duty bearer', async () => {
    target = (await board()).targets[0]!;
    // Two signers through the public API, so that the pack has rows to count.
    for (const phone of ['0712000101', '0712000102']) {
      const signed = await fetch(`${demo.apiUrl}/v1/campaigns/${SLUG}/signatures`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'Wanjirũ Kamau', phone, county: 'KE-30', consent: { terms: true } }),
      });
      expect(signed.status, await signed.text()).toBe(201);
    }
    const pack = join(work, 'pack');
    const exported = await imlu('export', '--campaign', SLUG, '--format', 'csv', '--out', pack);
    expect(exported.code, exported.stderr).toBe(0);
    const manifest = readFileSync(join(pack, 'manifest.json'));
    hash = createHash('sha256').update(manifest).digest('hex');
    rows = (JSON.parse(manifest.toString('utf8')) as { totalRows: number }).totalRows;
    expect(rows).toBeGreaterThan(0);

    const delivered = await imlu('deliver', '--pack', pack, '--to', target.id, '--on', DELIVERED_ON, '--channel', 'in_person');
    expect(delivered.code, delivered.stderr).toBe(0);
    expect(delivered.stdout).toContain(`pack sha256 ${hash}`);
  }, 120_000);

  it('shows the count and hash on the public endpoint', async () => {
    // The server caches a board for up to 2 s; the CLI wrote to the database behind its back.
    await expect
      .poll(async () => (await board()).targets.find((each) => each.id === target.id)?.deliveries, { timeout: 10_000 })
      .toEqual([{ deliveredOn: DELIVERED_ON, channel: 'in_person', signatures: rows, manifestSha256: hash, recordedAt: expect.any(String) }]);
  });

  it('shows the delivery in <imlu-accountability> as the latest step and in the history, in English and Kiswahili', async () => {
    page = await browser.newPage({ colorScheme: 'light' });
    await page.goto(`${demo.partnerUrl}/accountability/`);
    const element = page.locator('imlu-accountability');
    await element.locator('[part="summary"]').waitFor();
    // The first duty bearer, as the API lists it (its heading changes language with the page).
    const card = element.locator('[part~="target"]').first();
    await expect(card.locator('h3').textContent()).resolves.toBe(target.name);
    const count = new Intl.NumberFormat('en-KE').format(rows);
    const line = `${count} ${rows === 1 ? 'signature' : 'signatures'} delivered to ${target.name} on 2 June 2025 (in person) · pack sha256`;
    await expect(card.locator('p', { hasText: 'delivered to' }).textContent()).resolves.toBe(`${line} ${hash.slice(0, 12)}…`);

    await card.getByText('History').click();
    await card.locator('details time').first().waitFor();
    await expect(card.locator('details li', { hasText: 'pack delivered' }).textContent()).resolves.toContain(`${line} ${hash}`);

    await page.getByRole('combobox', { name: 'Language' }).selectOption('sw');
    const swCount = new Intl.NumberFormat('sw-KE').format(rows);
    await expect
      .poll(() => card.locator('p', { hasText: 'kifurushi' }).textContent({ timeout: 1000 }).catch(() => ''), { timeout: 10_000 })
      .toBe(`Sahihi ${swCount} ${rows === 1 ? 'iliwasilishwa' : 'ziliwasilishwa'} kwa ${target.nameSw ?? target.name} tarehe 2 Juni 2025 (ana kwa ana) · sha256 ya kifurushi ${hash.slice(0, 12)}…`);
  }, 60_000);
});
