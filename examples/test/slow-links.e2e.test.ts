/**
 * Slow and flaky links, the way many supporters sign: the partner page over a 2G-like connection (CDP
 * network emulation), and a connection that drops after the signature reached the server but before the
 * answer came back. The second must end with exactly one signature: the widget resends with the same
 * Idempotency-Key and the API answers the stored response.
 */
import type { Browser, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counts, fillPetition, queryDemoDb, submitButton, thankYou } from './helpers.ts';
import { launchChromium, startDemo, type RunningDemo } from './server.ts';

let demo: RunningDemo;
let browser: Browser;

/** 2G-like: 250 kbit/s down, 50 kbit/s up, 300 ms round trip. */
const SLOW_2G = { offline: false, latency: 300, downloadThroughput: (250 * 1000) / 8, uploadThroughput: (50 * 1000) / 8 };

beforeAll(async () => {
  demo = await startDemo();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

describe('slow and flaky links', () => {
  it('completes a signature over a 2G-like link', async () => {
    const page = await browser.newPage();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', SLOW_2G);

    const started = Date.now();
    await page.goto(`${demo.partnerUrl}/`, { timeout: 60_000 });
    const petition = page.locator('imlu-petition');
    await submitButton(petition).waitFor({ state: 'visible', timeout: 60_000 });
    const readyAfter = Date.now() - started;
    // The page really is on the emulated link: the Network Information API reports it.
    const link = await page.evaluate(() => {
      const connection = (navigator as Navigator & { connection?: { rtt: number; downlink: number; effectiveType: string } }).connection!;
      return { rtt: connection.rtt, downlink: connection.downlink, effectiveType: connection.effectiveType };
    });
    // Chromium rounds these values and adds noise (300 ms has read as 250, 250 kbit/s as 0.2 Mbit/s).
    expect(link.rtt).toBeGreaterThanOrEqual(250);
    expect(link.downlink).toBeLessThan(0.5);
    await fillPetition(petition, { name: 'Esther Njeri', phone: '0712 111 222', county: 'KE-22' });
    const submitted = Date.now();
    await submitButton(petition).click();
    await thankYou(petition).waitFor({ timeout: 60_000 });
    // Measurements for the report, not assertions (no timing thresholds in tests).
    console.info(`2G-like link (${JSON.stringify(link)}): form ready after ${readyAfter} ms, signed ${Date.now() - submitted} ms after the click`);

    expect((await counts(demo)).signatures).toBe(1);
    await page.close();
  }, 120_000);

  it('ends with exactly one signature when the connection drops after the server took the signature', async () => {
    const before = (await counts(demo)).signatures;
    const page = await browser.newPage();
    const posts: Request[] = [];
    let dropped = false;
    await page.route(`${demo.apiUrl}/v1/campaigns/*/signatures`, async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      posts.push(route.request());
      if (dropped) return route.continue();
      dropped = true;
      // The request reaches the real server, which commits the signature; its answer never reaches the page.
      const response = await route.fetch();
      expect(response.status()).toBe(201);
      await route.abort('connectionreset');
    });

    await page.goto(`${demo.partnerUrl}/`);
    const petition = page.locator('imlu-petition');
    await fillPetition(petition, { name: 'Faith Wambui', phone: '0712 333 444', county: 'KE-30' });
    await submitButton(petition).click();
    // The widget keeps the signature and resends it on its own (first retry after ~2 s).
    await thankYou(petition).waitFor({ timeout: 30_000 });

    expect(posts.length).toBe(2);
    const keys = posts.map((request) => request.headers()['idempotency-key']);
    expect(keys[0]).toBeTruthy();
    expect(keys[1]).toBe(keys[0]);
    expect(posts[1]!.postData()).toBe(posts[0]!.postData());

    expect((await counts(demo)).signatures).toBe(before + 1);
    const rows = await queryDemoDb(demo, "SELECT COUNT(*) AS n FROM signatures WHERE campaign_id = (SELECT id FROM campaigns WHERE slug = 'justice-for-survivors')");
    expect(Number(rows[0]!.n)).toBe(before + 1);
    await page.close();
  }, 60_000);
});
