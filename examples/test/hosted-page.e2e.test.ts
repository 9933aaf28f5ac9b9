/**
 * The hosted petition page (`/c/:slug` on the API) in a real browser with JavaScript switched off, as on
 * a feature phone or behind a script blocker: the page follows the browser's language, the plain form
 * signs, a mistake comes back with the message next to the field, and the CSP blocks nothing the page uses.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counts, queryDemoDb, SLUG } from './helpers.ts';
import { launchChromium, startDemo, type RunningDemo } from './server.ts';

let demo: RunningDemo;
let browser: Browser;
let context: BrowserContext;
const consoleLines: string[] = [];

beforeAll(async () => {
  demo = await startDemo();
  browser = await launchChromium();
  // Kiswahili first in Accept-Language, and no script at all.
  context = await browser.newContext({ javaScriptEnabled: false, locale: 'sw-KE' });
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

describe('the hosted page without JavaScript', () => {
  it('shows the petition in the browser language, under 30 KB, and signs with a plain form post', async () => {
    const page = await context.newPage();
    page.on('console', (message) => consoleLines.push(message.text()));
    const response = await page.goto(`${demo.apiUrl}/c/${SLUG}?source=sms-link`);
    expect(response!.status()).toBe(200);
    const bytes = (await response!.body()).byteLength;
    console.info(`hosted page, seeded campaign, Kiswahili: ${bytes} bytes`);
    expect(bytes).toBeLessThan(30 * 1024);
    expect(await page.getAttribute('html', 'lang')).toBe('sw');

    await page.getByLabel('Jina lako').fill('Chebet Kiprono');
    await page.getByLabel(/Nambari ya simu/).fill('0722 000 111');
    await page.getByLabel('Kaunti').selectOption('KE-27');
    await page.getByLabel(/Ninakubali masharti/).check();
    await page.getByRole('button', { name: 'Tia sahihi' }).click();
    await page.getByRole('heading', { name: 'Asante kwa kutia sahihi' }).waitFor();

    expect((await counts(demo)).signatures).toBe(1);
    const rows = await queryDemoDb(demo, "SELECT source_ref, locale FROM signatures WHERE campaign_id = (SELECT id FROM campaigns WHERE slug = 'justice-for-survivors')");
    expect(rows).toEqual([{ source_ref: 'sms-link', locale: 'sw' }]);
    await page.close();
  });

  it('re-renders a mistake with the message next to the field and the values kept, and stores nothing', async () => {
    const page = await context.newPage();
    page.on('console', (message) => consoleLines.push(message.text()));
    await page.goto(`${demo.apiUrl}/c/${SLUG}?lang=en`);
    await page.getByLabel('Your name').fill('Daudi Were');
    await page.getByLabel(/Phone number/).fill('12');
    await page.getByRole('button', { name: 'Sign the petition' }).click();
    const phone = page.getByLabel(/Phone number/);
    await expect.poll(() => phone.getAttribute('aria-invalid')).toBe('true');
    expect(await phone.inputValue()).toBe('12');
    expect(await page.getByLabel('Your name').inputValue()).toBe('Daudi Were');
    expect(await page.locator('#e-phone').innerText()).toMatch(/valid phone number/);
    expect(await page.locator('#e-terms').innerText()).toMatch(/agree to the terms/);
    expect((await counts(demo)).signatures).toBe(1);
    await page.close();
  });

  it("refuses a form that another site's page posts, even with a valid token, and stores nothing", async () => {
    const token = /name="token" value="([^"]+)"/.exec(await (await fetch(`${demo.apiUrl}/c/${SLUG}`)).text())![1]!;
    const page = await browser.newPage();
    await page.goto(`${demo.partnerUrl}/`);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().startsWith(`${demo.apiUrl}/c/`)),
      page.evaluate(
        ([action, token]) => {
          const form = document.createElement('form');
          form.method = 'post';
          form.action = action;
          const fields = { token, name: 'Forged Name', phone: '0733 000 999', terms: 'yes' };
          for (const [name, value] of Object.entries(fields)) {
            const input = document.createElement('input');
            input.type = 'hidden';
            input.name = name;
            input.value = value;
            form.append(input);
          }
          document.body.append(form);
          form.submit();
        },
        [`${demo.apiUrl}/c/${SLUG}`, token] as const,
      ),
    ]);
    expect(response.status()).toBe(403);
    expect((await counts(demo)).signatures).toBe(1);
    await page.close();
  });

  it('loads with no CSP violation', () => {
    expect(consoleLines.filter((line) => /Content Security Policy|Refused/i.test(line))).toEqual([]);
  });
});
