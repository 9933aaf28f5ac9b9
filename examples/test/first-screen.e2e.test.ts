/**
 * The compact first screen (issue 14): on a 360 × 740 phone, the partner page's petition shows the form's
 * first field without scrolling, whatever fonts the phone has (the two setups of helpers.ts `FONT_SETUPS`)
 * and in both languages. The demands start folded; on a narrow screen the summary starts as its first
 * lines, and "Read more" (a real button, by keyboard too) shows the whole of it and folds it again.
 */
import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FONT_SETUPS, launchChromiumWithFonts, submitButton } from './helpers.ts';
import { startDemo, type RunningDemo } from './server.ts';

const VIEWPORT = { width: 360, height: 740 };
const MORE = { en: ['Read more', 'Show less'], sw: ['Soma zaidi', 'Onyesha kidogo'] } as const;

let demo: RunningDemo;

beforeAll(async () => {
  demo = await startDemo();
});

afterAll(async () => {
  await demo?.stop();
});

const summaryHeight = (petition: Locator) =>
  petition.evaluate((element) => element.shadowRoot!.querySelector('#summary')!.getBoundingClientRect().height);

for (const setup of FONT_SETUPS) {
  describe(`the petition's first screen at 360 × 740, with only ${setup.name} fonts`, () => {
    let browser: Browser;
    let close: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      ({ browser, close } = await launchChromiumWithFonts(setup));
    });
    afterAll(async () => {
      await close?.();
    });

    for (const lang of ['en', 'sw'] as const) {
      it(`shows the name field without scrolling, the demands folded and the summary's first lines (${lang})`, async () => {
        const page = await browser.newPage({ viewport: VIEWPORT });
        await page.goto(`${demo.partnerUrl}/?lang=${lang}`);
        const petition = page.locator('imlu-petition');
        await submitButton(petition).waitFor();
        const name = petition.locator('input[name=name]');
        const box = (await name.boundingBox())!;
        const top = (await petition.boundingBox())!.y;
        console.info(`${setup.name} ${lang}: petition at y ${top.toFixed(0)}, name field ${box.y.toFixed(0)}–${(box.y + box.height).toFixed(0)} px`);
        expect(await page.evaluate(() => scrollY)).toBe(0);
        expect(box.y + box.height).toBeLessThanOrEqual(VIEWPORT.height);
        // The field is really there to be seen at that point: nothing of the page covers it.
        expect(await name.evaluate((input) => {
          const r = input.getBoundingClientRect();
          const hit = input.getRootNode() instanceof ShadowRoot ? (input.getRootNode() as ShadowRoot).elementFromPoint(r.x + 4, r.y + r.height / 2) : null;
          return hit === input;
        })).toBe(true);
        expect(await petition.locator('details').evaluate((details: HTMLDetailsElement) => details.open)).toBe(false);

        // The summary: first lines, then all of it from the button (keyboard), then folded again.
        const [more, less] = MORE[lang];
        const button = petition.getByRole('button', { name: more });
        expect(await button.getAttribute('aria-expanded')).toBe('false');
        const folded = await summaryHeight(petition);
        const lineHeight = await petition.evaluate((element) => parseFloat(getComputedStyle(element.shadowRoot!.querySelector('#summary')!).lineHeight));
        expect(Math.round(folded / lineHeight)).toBe(3);
        await button.focus();
        await page.keyboard.press('Enter');
        const open = petition.getByRole('button', { name: less });
        await expect.poll(() => open.getAttribute('aria-expanded')).toBe('true');
        expect(await summaryHeight(petition)).toBeGreaterThan(folded + lineHeight);
        await page.keyboard.press('Space');
        await expect.poll(() => petition.getByRole('button', { name: more }).getAttribute('aria-expanded')).toBe('false');
        expect(await summaryHeight(petition)).toBe(folded);
        await page.close();
      });
    }

    it('keeps the whole summary, and no button, where the petition is wide', async () => {
      const page = await browser.newPage({ viewport: { width: 800, height: 740 } });
      await page.goto(`${demo.partnerUrl}/?lang=sw`);
      const petition = page.locator('imlu-petition');
      await submitButton(petition).waitFor();
      expect(await petition.getByRole('button', { name: MORE.sw[0] }).count()).toBe(0);
      const { height, scroll } = await petition.evaluate((element) => {
        const summary = element.shadowRoot!.querySelector('#summary')!;
        return { height: summary.getBoundingClientRect().height, scroll: summary.scrollHeight };
      });
      expect(scroll).toBeLessThanOrEqual(Math.ceil(height));
      await page.close();
    });
  });
}
