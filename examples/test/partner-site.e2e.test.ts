/**
 * End to end, as a supporter would: the real demo server on a temporary database, the real partner page
 * in headless Chromium, the real widget bundle. Sign, watch the counter move, try a duplicate in another
 * phone format, and make a mistake.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign, Counts } from '@imlu/contracts';
import { launchChromium, startDemo, type RunningDemo } from './server.ts';

const SLUG = 'justice-for-survivors';
let demo: RunningDemo;
let browser: Browser;
let campaign: Campaign;
const consoleLines: string[] = [];

async function counts(): Promise<Counts> {
  const response = await fetch(`${demo.apiUrl}/v1/campaigns/${SLUG}/counts`);
  return (await response.json()) as Counts;
}

async function openPartnerPage(query = ''): Promise<Page> {
  const page = await browser.newPage();
  page.on('console', (message) => consoleLines.push(message.text()));
  await page.goto(`${demo.partnerUrl}/${query}`);
  return page;
}

function petition(page: Page) {
  return page.locator('imlu-petition');
}

function submitButtonOf(page: Page) {
  return petition(page).getByRole('button', { name: /^(sign|tia sahihi)/i });
}

async function fillForm(page: Page, fields: { name: string; phone?: string; email?: string; county?: string }) {
  const form = petition(page);
  await form.getByRole('textbox', { name: /name|jina/i }).fill(fields.name);
  if (fields.phone !== undefined) await form.getByRole('textbox', { name: /phone|simu/i }).fill(fields.phone);
  if (fields.email !== undefined) await form.getByRole('textbox', { name: /e-?mail|barua pepe/i }).fill(fields.email);
  if (fields.county) await form.getByRole('combobox', { name: /county|kaunti/i }).selectOption(fields.county);
  await form.getByRole('checkbox', { name: /terms|masharti/i }).check();
}

async function submit(page: Page) {
  await petition(page).getByRole('button', { name: /^(sign|tia sahihi)/i }).click();
}

beforeAll(async () => {
  demo = await startDemo();
  browser = await launchChromium();
  campaign = (await (await fetch(`${demo.apiUrl}/v1/campaigns/${SLUG}`)).json()) as Campaign;
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

describe('the partner page', () => {
  it('shows the seeded campaign with its four demands in English', async () => {
    expect(campaign.demands).toHaveLength(4);
    const page = await openPartnerPage();
    await expect.poll(() => petition(page).getByRole('heading', { level: 2 }).first().textContent()).toContain(campaign.title.en);
    for (const demand of campaign.demands) {
      await expect.poll(() => petition(page).getByText(demand.text.en).count()).toBe(1);
    }
    await page.close();
  });

  it('shows the campaign in Kiswahili when the page is in Kiswahili', async () => {
    expect(campaign.title.sw).not.toBe(campaign.title.en);
    const page = await openPartnerPage('?lang=sw');
    await expect.poll(() => petition(page).getByRole('heading', { level: 2 }).first().textContent()).toContain(campaign.title.sw);
    await expect.poll(() => petition(page).getByRole('button', { name: /tia sahihi/i }).count()).toBe(1);
    await page.close();
  });
});

describe('signing', () => {
  it('moves the counter, and a duplicate in another phone format changes nothing and reveals nothing', async () => {
    expect((await counts()).signatures).toBe(0);

    const page = await openPartnerPage();
    await fillForm(page, { name: 'Wanjirũ Kamau', phone: '0712 345 678', county: 'KE-30' });
    await submit(page);
    const thanks = petition(page).getByRole('heading', { name: /thank you|asante/i });
    await thanks.waitFor();
    const firstThanks = await petition(page).locator('[part~="thank-you"]').innerText();

    await expect.poll(async () => (await counts()).signatures).toBe(1);
    expect((await counts()).byCounty['KE-30']).toBe(1);
    // Both the petition's own progress and the separate <imlu-counter> on the page move.
    await expect.poll(() => page.locator('imlu-counter [part~="counter"]').innerText(), { timeout: 20_000 }).toMatch(/\b1\b/);
    await page.close();

    const again = await openPartnerPage();
    // The same person (the same name, written differently; a family phone keeps other names apart).
    await fillForm(again, { name: 'wanjiru kamau', phone: '+254712345678', county: 'KE-30' });
    await submit(again);
    await petition(again).getByRole('heading', { name: /thank you|asante/i }).waitFor();
    expect(await petition(again).locator('[part~="thank-you"]').innerText()).toBe(firstThanks);
    expect((await counts()).signatures).toBe(1);
    await again.close();
  });

  it("shows the petition's first paint before any of its code, loads the code on the first touch, then the signing chunk from beside embed.js", async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    const events: string[] = [];
    page.on('request', (request) => requests.push(new URL(request.url()).pathname));
    page.on('request', (request) => events.push(`start ${new URL(request.url()).pathname}`));
    page.on('requestfinished', (request) => events.push(`end ${new URL(request.url()).pathname}`));
    await page.goto(`${demo.partnerUrl}/`);
    await submitButtonOf(page).waitFor();
    await page.locator('imlu-counter [part~="counter"]').filter({ hasText: /\d/ }).waitFor();
    await page.waitForLoadState('networkidle');
    const widgetRequests = () => requests.filter((path) => path.startsWith('/v1/') || path.endsWith('.js'));
    const chunkNames = () => widgetRequests().filter((path) => path.includes('/chunks/')).map((path) => /^\/chunks\/(core|imlu-\w+|signing|history)-/.exec(path)?.[1] ?? path).sort();
    // The petition is the API's first paint, and still undefined: of the elements' code only the counter's
    // (with the common chunk) has come, after the paint; nothing of the petition, the board or the signing.
    expect(await page.evaluate(() => customElements.get('imlu-petition') === undefined)).toBe(true);
    expect(chunkNames()).toEqual(['core', 'imlu-counter']);
    const others = widgetRequests().filter((path) => !path.includes('/chunks/') && path !== `/v1/campaigns/${SLUG}/counts`);
    expect(new Set(others)).toEqual(new Set(['/embed.js', '/site.js', `/v1/campaigns/${SLUG}/first-paint`]));
    expect(widgetRequests().filter((path) => path === `/v1/campaigns/${SLUG}/counts`).length).toBeLessThanOrEqual(1);
    // The counter waits for the petition's paint, so that on a slow link it takes no bandwidth from the form.
    const at = (event: RegExp) => events.findIndex((e) => event.test(e));
    expect(at(/^start \/chunks\/imlu-counter-/)).toBeGreaterThan(at(/^end \/v1\/campaigns\/[\w-]+\/first-paint/));
    expect(at(/^end \/chunks\/core-/)).toBeGreaterThan(-1);

    // The first touch brings the petition's code (and the campaign with the paint, not again), then its signing chunk.
    const chunk = page.waitForRequest((request) => /\/chunks\/signing-[\w-]+\.js$/.test(request.url()));
    await petition(page).getByRole('textbox', { name: /name/i }).focus();
    expect(new URL((await chunk).url()).origin).toBe(demo.partnerUrl); // relative to embed.js, whatever the page
    expect(new Set(chunkNames())).toEqual(new Set(['core', 'imlu-counter', 'imlu-petition', 'signing']));
    expect(widgetRequests()).not.toContain(`/v1/campaigns/${SLUG}/form`);
    await page.close();
  });

  it('asks for the signing chunk again when its first download failed, and signs with what was typed', async () => {
    const page = await browser.newPage();
    let refused = 0;
    const asked: string[] = [];
    await page.route('**/chunks/signing-*', (route) => {
      asked.push(new URL(route.request().url()).search);
      return refused++ < 2 ? route.abort('connectionreset') : route.continue();
    });
    await page.goto(`${demo.partnerUrl}/`);
    await submitButtonOf(page).waitFor();
    await fillForm(page, { name: 'Chunk Retry', phone: '0712 000 111' }); // the first touch: refused
    await submit(page); // refused again: the message, and the form as typed
    await petition(page).getByText(/could not finish loading/).waitFor();
    expect(await petition(page).getByRole('textbox', { name: /name/i }).inputValue()).toBe('Chunk Retry');
    await submit(page); // the link is back
    await petition(page).locator('[part="thank-you"]').waitFor();
    expect(refused).toBeGreaterThanOrEqual(3);
    // Each try after a failure asks at a URL the browser has not tried: Firefox, Safari and older Chromium
    // keep a failed import() as failed for the page (build/lazy-retry.ts).
    expect(asked.slice(0, 3)).toEqual(['', '?retry=1', '?retry=2']);
    await page.close();
  });

  it('shows a clear field error for bad input and stores nothing', async () => {
    const before = await counts();
    const page = await openPartnerPage();
    await fillForm(page, { name: 'Otieno Ouma', phone: '12' });
    await submit(page);
    const phone = petition(page).getByRole('textbox', { name: /phone|simu/i });
    await expect.poll(() => phone.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await phone.getAttribute('aria-describedby')) ?? '';
    expect(describedBy).not.toBe('');
    await expect.poll(() => petition(page).getByText(/valid phone number/i).count()).toBeGreaterThan(0);
    expect(await counts()).toEqual({ ...before, updatedAt: expect.any(String) });
    await page.close();
  });

  it('lets no personal data reach the page through events or the console', () => {
    const all = consoleLines.join('\n');
    expect(all).toContain('imlu-signed');
    for (const secret of ['Wanjirũ', 'Kamau', '712345678', 'Otieno']) expect(all).not.toContain(secret);
  });
});

describe('shutdown', () => {
  it('stops gracefully on SIGTERM', async () => {
    expect(await demo.stop()).toBe(0);
  });
});
