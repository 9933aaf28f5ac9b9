/**
 * The petition's first paint (the API's HTML, put in place by embed.js) and the element taking it over once
 * its code has come, in Chromium against the real API, on the demo partner page in Kiswahili: the signer types
 * on the paint while the code is held back, and nothing they typed, nor the focus, nor the page's layout,
 * is lost when the code arrives; a press of the button before then is sent once it has; a code that cannot
 * come is said in Kiswahili, with the hosted page to go to. Axe-clean on the paint.
 */
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from './console-helpers.ts';
import { counts, SLUG, submitButton } from './helpers.ts';
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

const signatures = async (): Promise<number> => (await counts(demo)).signatures;

/** The partner page in Kiswahili with the petition's own chunk held until `release()` (or refused). */
async function paintedPage(hold: 'hold' | 'refuse' = 'hold', path = '/', button = /^tia sahihi/i): Promise<{ page: Page; release: () => void; asked: () => number }> {
  const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
  const held: Route[] = [];
  let released = false;
  let asked = 0;
  await page.route('**/chunks/imlu-petition-*', (route) => {
    asked++;
    if (hold === 'refuse') return route.abort('connectionreset');
    if (released) return route.continue();
    held.push(route);
  });
  await page.goto(`${demo.partnerUrl}${path}?lang=sw`);
  await page.locator('imlu-petition').getByRole('button', { name: button }).waitFor();
  return {
    page,
    release: () => {
      released = true;
      for (const route of held.splice(0)) void route.continue();
    },
    asked: () => asked,
  };
}

const defined = (page: Page) => page.evaluate(() => customElements.get('imlu-petition') !== undefined);

describe("the petition's first paint, taken over by its code", () => {
  it('is the whole petition in Kiswahili before any of its code, axe-clean; what is typed there survives the code coming, with the focus and the layout', async () => {
    const { page, release, asked } = await paintedPage();
    const petition = page.locator('imlu-petition');
    expect(await defined(page)).toBe(false);
    expect(await petition.getByRole('heading', { level: 3, name: 'Ongeza jina lako' }).isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    // Where the petition is on the page, and where its fields and button are in it (the petition keeps a
    // reserved least height, so its own height alone would not show a shift inside it).
    const layout = () =>
      petition.evaluate((element) => {
        const top = element.getBoundingClientRect().top;
        const offsets = ['h2', '#name', '#terms', 'details', '[part="submit"]'].map((selector) => element.shadowRoot!.querySelector(selector)!.getBoundingClientRect().top - top);
        return [top + scrollY, element.getBoundingClientRect().height, ...offsets].map(Math.round);
      });
    const before = await layout();

    // The signer types their name (the first touch asks for the code, held back here), ticks the terms and
    // opens the demands, then goes back to the name: all on the paint.
    const name = petition.getByRole('textbox', { name: /jina/i });
    await name.click();
    await page.keyboard.type('Wanjirũ');
    await expect.poll(asked).toBeGreaterThan(0);
    await petition.getByRole('textbox', { name: /simu/i }).fill('0712 345 678');
    await petition.getByRole('checkbox', { name: /masharti/i }).check();
    await name.focus();
    await page.keyboard.press('End');
    expect(await defined(page)).toBe(false);
    const typed = await layout();
    expect(typed).toEqual(before);
    const painted = await petition.evaluateHandle((element) => element.shadowRoot!.querySelector('form')!);

    release();
    await expect.poll(() => defined(page)).toBe(true);
    // The painted form is gone, replaced by the element's own.
    await expect.poll(() => painted.evaluate((form) => form.isConnected)).toBe(false);
    // One form, the element's own, with what was typed and the focus where it was: typing goes on.
    expect(await petition.evaluate((element) => element.shadowRoot!.querySelectorAll('form').length)).toBe(1);
    expect(await petition.evaluate((element) => element.shadowRoot!.activeElement?.id)).toBe('name');
    await page.keyboard.type(' Kamau');
    expect(await name.inputValue()).toBe('Wanjirũ Kamau');
    expect(await petition.getByRole('textbox', { name: /simu/i }).inputValue()).toBe('0712 345 678');
    expect(await petition.getByRole('checkbox', { name: /masharti/i }).isChecked()).toBe(true);
    expect(await layout()).toEqual(before);

    const count = await signatures();
    await submitButton(petition).click();
    await petition.locator('[part="thank-you"]').waitFor();
    await expect.poll(signatures).toBe(count + 1);
    await page.close();
  });

  it('sends a signature whose button was pressed before the code came, once it has, and only once', async () => {
    const { page, release } = await paintedPage();
    const petition = page.locator('imlu-petition');
    const posts: string[] = [];
    page.on('request', (request) => request.method() === 'POST' && posts.push(new URL(request.url()).pathname));
    await petition.getByRole('textbox', { name: /jina/i }).fill('Achieng Otieno');
    await petition.getByRole('textbox', { name: /simu/i }).fill('0712 345 679');
    await petition.getByRole('checkbox', { name: /masharti/i }).check();
    await submitButton(petition).click();
    // Nothing left the page: not a POST, and not the fields in the page's URL.
    expect(posts).toEqual([]);
    expect(page.url()).not.toMatch(/Achieng|0712/);
    const count = await signatures();
    release();
    await petition.locator('[part="thank-you"]').waitFor();
    await expect.poll(signatures).toBe(count + 1);
    expect(posts.filter((path) => path.endsWith('/signatures'))).toHaveLength(1);
    await page.close();
  });

  it('says in Kiswahili when the code cannot come, and links to the hosted page in Kiswahili', async () => {
    const { page } = await paintedPage('refuse');
    const petition = page.locator('imlu-petition');
    await petition.getByRole('textbox', { name: /jina/i }).fill('Mwangi');
    await submitButton(petition).click();
    const alert = petition.getByRole('alert');
    await alert.getByText(/Fomu haikumaliza kupakia/).waitFor();
    expect(await petition.evaluate((element) => element.shadowRoot!.activeElement?.textContent)).toMatch(/Fomu haikumaliza kupakia/);
    const link = alert.getByRole('link', { name: 'Fungua ombi kwenye ukurasa wake' });
    expect(await link.getAttribute('href')).toBe(`${demo.apiUrl}/c/${SLUG}?lang=sw`);
    expect(await petition.getByRole('textbox', { name: /jina/i }).inputValue()).toBe('Mwangi');
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it("paints a pledge's actions in Kiswahili; the element that takes them over keeps the ticks and the reminder, and thanks for the pledge", async () => {
    const { page, release } = await paintedPage('hold', '/pledge/', /^weka ahadi/i);
    const petition = page.locator('imlu-petition');
    expect(await defined(page)).toBe(false);
    const actions = petition.getByRole('group', { name: /utafanya nini/i });
    expect(await actions.isVisible()).toBe(true);
    // The past action is shown and cannot be chosen; the coming one can, with its places left.
    expect(await actions.getByRole('checkbox', { name: 'Hudhuria kutajwa kwa kesi' }).isDisabled()).toBe(true);
    expect(await actions.getByText(/zimebaki/).count()).toBeGreaterThan(0);
    expect(await axeViolations(page)).toEqual([]);
    // "Remind me" appears only once a dated action is ticked: the paint's styles have that rule too.
    const remind = petition.getByRole('checkbox', { name: /nikumbushe/i });
    expect(await remind.isVisible()).toBe(false);
    await actions.getByRole('checkbox', { name: 'Hudhuria kikao cha kusikiliza kesi' }).check();
    expect(await remind.isVisible()).toBe(true);
    await remind.check();
    await petition.getByRole('textbox', { name: /jina/i }).fill('Zawadi Mutua');
    await petition.getByRole('textbox', { name: /barua pepe/i }).fill('zawadi@example.org');
    await petition.getByRole('checkbox', { name: /masharti/i }).check();
    expect(await defined(page)).toBe(false);

    release();
    await expect.poll(() => defined(page)).toBe(true);
    await expect.poll(() => petition.evaluate((element) => element.shadowRoot!.querySelectorAll('form').length)).toBe(1);
    expect(await actions.getByRole('checkbox', { name: 'Hudhuria kikao cha kusikiliza kesi' }).isChecked()).toBe(true);
    expect(await remind.isChecked()).toBe(true);
    await petition.getByRole('button', { name: /^weka ahadi/i }).click();
    await petition.getByRole('heading', { name: 'Asante kwa ahadi yako' }).waitFor();
    expect(await petition.getByText('Hudhuria kikao cha kusikiliza kesi', { exact: false }).count()).toBeGreaterThan(0);
    await page.close();
  });
});
