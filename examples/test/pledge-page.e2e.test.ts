/**
 * The supporter's pledge page `/p/<token>` (issue 16) in Chromium with JavaScript switched off, as on a
 * feature phone, against the real demo server and its seeded pledge campaign: the page in Kiswahili, its
 * buttons at least 24 px, axe-clean (checked in a second page that may run script: the page's CSP refuses
 * any), "I can't make it" answered on the page after the post, and the public figures moved by it.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Counts } from '@imlu/contracts';
import { englishLeaks } from '../../api/src/i18n/english-leaks.ts';
import { pledgeLinkToken, pledgeLinkTokens, pledgeLinkUrl } from '../../api/src/pledges/links.ts';
import { queryDemoDb } from './helpers.ts';
import { launchChromium, startDemo, type RunningDemo } from './server.ts';

const SLUG = 'attend-the-hearing';
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const keys = { encryptionKey: randomBytes(32), blindIndexKey: randomBytes(32) };

let demo: RunningDemo;
let browser: Browser;
let phone: BrowserContext;
let checker: BrowserContext;

beforeAll(async () => {
  demo = await startDemo({ ENCRYPTION_KEY: keys.encryptionKey.toString('base64'), BLIND_INDEX_KEY: keys.blindIndexKey.toString('base64') });
  browser = await launchChromium();
  phone = await browser.newContext({ javaScriptEnabled: false, locale: 'sw-KE', viewport: { width: 360, height: 640 } });
  checker = await browser.newContext({ bypassCSP: true, viewport: { width: 360, height: 640 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

async function axe(page: Page): Promise<string[]> {
  const copy = await checker.newPage();
  await copy.setContent(await page.content());
  await copy.addScriptTag({ content: AXE_SOURCE });
  const violations = await copy.evaluate(async () => {
    const result = await (window as unknown as { axe: { run(): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe.run();
    return result.violations.map((violation) => `${violation.id}: ${JSON.stringify(violation.nodes.map((node) => node.target))}`);
  });
  await copy.close();
  return violations;
}

async function counts(): Promise<Counts> {
  return (await (await fetch(`${demo.apiUrl}/v1/campaigns/${SLUG}/counts`)).json()) as Counts;
}

it("shows a seeded supporter's pledges in Kiswahili without JavaScript, and takes \"I can't make it\"", async () => {
  // A supporter of both actions whose upcoming hearing is still pledged (the seed's Kiswahili signers are every other one).
  const [row] = await queryDemoDb(
    demo,
    "SELECT s.id FROM signatures s JOIN campaigns c ON c.id = s.campaign_id JOIN pledge_commitments p ON p.signature_id = s.id JOIN pledge_actions a ON a.id = p.action_id " +
      `WHERE c.slug = '${SLUG}' AND a.position = 2 AND p.state = 'pledged' AND s.locale = 'sw' ORDER BY s.created_at LIMIT 1`,
  );
  const url = pledgeLinkUrl(demo.apiUrl, pledgeLinkToken(pledgeLinkTokens(keys.blindIndexKey), String(row!['id'])), 'sw');
  const before = (await counts()).actions![1]!;

  const page = await phone.newPage();
  const response = await page.goto(url);
  expect(response?.status()).toBe(200);
  expect(response?.headers()['referrer-policy']).toBe('no-referrer');
  expect(await page.getAttribute('html', 'lang')).toBe('sw');
  await expect(page.locator('h1').innerText()).resolves.toBe('Ahadi yako');
  expect(await page.locator('h2').allInnerTexts()).toContain('Hudhuria kikao cha kusikiliza kesi');
  expect(englishLeaks(await page.locator('body').innerText())).toEqual([]);
  for (const button of await page.locator('button').all()) {
    const box = (await button.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(24);
    expect(box.width).toBeGreaterThanOrEqual(24);
  }
  expect(await axe(page)).toEqual([]);

  await page.locator('section', { hasText: 'Hudhuria kikao cha kusikiliza kesi' }).getByRole('button', { name: 'Sitaweza kufika' }).click();
  await page.waitForURL(/status=cant/);
  await expect(page.getByRole('status').innerText()).resolves.toBe('Asante kwa kutujulisha. Nafasi yako sasa iko wazi kwa mtu mwingine.');
  expect(await page.locator('section', { hasText: 'Hudhuria kikao cha kusikiliza kesi' }).getByRole('button', { name: 'Nitakuja, hata hivyo' }).count()).toBe(1);
  expect(await axe(page)).toEqual([]);

  const after = (await counts()).actions![1]!;
  expect([after.pledged, after.cant, after.placesLeft]).toEqual([before.pledged - 1, before.cant + 1, before.placesLeft! + 1]);
  await page.close();
});

it('takes a pledge on the hosted page in Kiswahili without JavaScript: no action chosen is said first, then the chosen one counts', async () => {
  const before = (await counts()).actions!;
  const page = await phone.newPage();
  await page.goto(`${demo.apiUrl}/c/${SLUG}?lang=sw`);
  await page.getByRole('textbox', { name: /jina/i }).fill('Halima Said');
  await page.getByRole('textbox', { name: /nambari ya simu/i }).fill('0733 100 200');
  await page.getByRole('checkbox', { name: /masharti/i }).check();
  await page.getByRole('button', { name: 'Weka ahadi' }).click();
  // Nothing chosen: the summary says so in Kiswahili, names the actions, and nothing is stored.
  await page.getByText('Chagua angalau kitendo kimoja cha kuahidi.').first().waitFor();
  expect(await axe(page)).toEqual([]);
  expect((await counts()).actions!.map((a) => a.pledged)).toEqual(before.map((a) => a.pledged));

  // The hearing still ahead (the second action), and a reminder.
  const upcoming = page.getByRole('group', { name: /utafanya nini/i }).getByRole('checkbox').nth(1);
  await upcoming.check();
  await page.getByRole('checkbox', { name: /nikumbushe/i }).check();
  if (!(await page.getByRole('checkbox', { name: /masharti/i }).isChecked())) await page.getByRole('checkbox', { name: /masharti/i }).check();
  await page.getByRole('button', { name: 'Weka ahadi' }).click();
  await page.getByText('Umeahidi:').waitFor();
  expect(await axe(page)).toEqual([]);
  // The demo's pledge counts at once (no confirmation): the second action has one more, the first none.
  await expect.poll(async () => (await counts()).actions!.map((a) => a.pledged), { timeout: 5000 }).toEqual([before[0]!.pledged, before[1]!.pledged + 1]);
  const [stored] = await queryDemoDb(
    demo,
    `SELECT p.remind, a.position FROM pledge_commitments p JOIN pledge_actions a ON a.id = p.action_id JOIN signatures s ON s.id = p.signature_id WHERE s.locale = 'sw' ORDER BY s.created_at DESC LIMIT 1`,
  );
  expect(stored).toEqual({ remind: 1, position: 2 });
  await page.close();
}, 60_000);
