/**
 * The right language from the first paint: a Kiswahili visitor on a bad link (CDP network emulation, 100
 * kbit/s, 800 ms) never sees the petition speak English, not even for one frame while its code and
 * strings arrive. Every animation frame (each comes just before a paint) records the petition's visible
 * headings, labels and buttons; none of them may be one of the texts the same page shows in English.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startDemo, type RunningDemo } from './server.ts';

let demo: RunningDemo;
let browser: Browser;

beforeAll(async () => {
  demo = await startDemo();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

interface Frame {
  t: number;
  texts: string[];
  pageHeading: string;
}

/** Records, in every frame, the visible texts of the petition's headings, labels and buttons, and the page's h1. */
async function recordFrames(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const frames: { t: number; texts: string[]; pageHeading: string }[] = [];
    (window as unknown as { __frames: typeof frames }).__frames = frames;
    const visible = (element: Element) => {
      const box = element.getBoundingClientRect();
      return box.width > 1 && box.height > 1 && element.checkVisibility({ opacityProperty: true, visibilityProperty: true });
    };
    const tick = () => {
      const root = document.querySelector('imlu-petition')?.shadowRoot;
      const texts = root
        ? Array.from(root.querySelectorAll('h1, h2, h3, legend, label, button')).filter(visible).map((element) => element.textContent!.replace(/\s+/g, ' ').trim()).filter(Boolean)
        : [];
      const pageHeading = document.querySelector('h1')?.textContent?.trim() ?? '';
      const last = frames.at(-1);
      if (!last || last.texts.join('|') !== texts.join('|') || last.pageHeading !== pageHeading) frames.push({ t: performance.now(), texts, pageHeading });
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

const framesOf = (page: Page) => page.evaluate(() => (window as unknown as { __frames: Frame[] }).__frames);

describe('the right language from the first paint', () => {
  it('paints no English text in the petition of a Kiswahili page on a bad link', async () => {
    // The same page in English first (no throttling): the texts a Kiswahili visitor must never see.
    const english = await browser.newPage();
    await english.goto(`${demo.partnerUrl}/?lang=en`);
    await english.locator('imlu-petition').getByRole('button', { name: /^sign/i }).waitFor();
    const englishTexts = new Set((await english.locator('imlu-petition').evaluate((element) =>
      Array.from(element.shadowRoot!.querySelectorAll('h1, h2, h3, legend, label, button')).map((node) => node.textContent!.replace(/\s+/g, ' ').trim()),
    )).filter(Boolean));
    await english.close();

    const context = await browser.newContext();
    const page = await context.newPage();
    await recordFrames(page);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 800, downloadThroughput: 100_000 / 8, uploadThroughput: 100_000 / 8 });
    await page.goto(`${demo.partnerUrl}/?lang=sw`, { timeout: 120_000 });
    await page.locator('imlu-petition').getByRole('button', { name: /^tia sahihi/i }).waitFor({ timeout: 120_000 });
    const frames = await framesOf(page);
    await context.close();

    const painted = frames.filter((frame) => frame.texts.length);
    expect(painted.length).toBeGreaterThan(0);
    const final = new Set(painted.at(-1)!.texts);
    // Texts the same in both languages (none today, but a name or a number could be) prove nothing.
    const englishOnly = [...englishTexts].filter((text) => !final.has(text));
    expect(englishOnly.length).toBeGreaterThan(10);
    for (const frame of painted) {
      const seen = frame.texts.filter((text) => englishTexts.has(text) && !final.has(text));
      expect(seen, `English painted at ${Math.round(frame.t)} ms`).toEqual([]);
    }
    // The first frame with text already has the campaign's Kiswahili heading.
    expect(painted[0]!.texts[0]).toBe(painted.at(-1)!.texts[0]);

    // The partner page's own <h1> is switched by its site.js; reported, not asserted (examples/partner-site).
    const englishHeading = frames.filter((frame) => /Stand with survivors/.test(frame.pageHeading));
    const switched = frames.find((frame) => !/Stand with survivors/.test(frame.pageHeading) && frame.pageHeading);
    console.info(
      `bad link, ?lang=sw: first petition text painted at ${Math.round(painted[0]!.t)} ms, in Kiswahili; ` +
        `the page's own English <h1> was on screen until ${switched ? Math.round(switched.t) : '?'} ms (${englishHeading.length} frames)`,
    );
  }, 180_000);
});
