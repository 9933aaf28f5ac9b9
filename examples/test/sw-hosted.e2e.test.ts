/**
 * Issue 14, in Kiswahili, in Chromium with JavaScript switched off (a feature phone, Opera Mini, a script
 * blocker): the hosted page of a campaign that confirms by SMS — an invalid submit brings the error summary
 * first, focused, each link naming its field, every error at once; the corrected form asks for the SMS code;
 * a wrong code, a new code and the right code; the thank-you page. Then a campaign that confirms by e-mail:
 * the link in the e-mail opens the confirmation page, in Kiswahili only.
 *
 * At every step axe finds no violation and no English copy of the API's catalog shows (`englishLeaks`).
 * axe runs in a second page with script allowed, on the same HTML: the pages under test carry none and
 * their CSP would refuse it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { englishLeaks } from '../../api/src/i18n/english-leaks.ts';
import { counts, putCampaign } from './helpers.ts';
import { launchChromium, startDemo, type RunningDemo } from './server.ts';

const ADMIN = 'e2e-admin-token-0123456789abcdef0123456789';
const SMS_SLUG = 'sw-sms';
const EMAIL_SLUG = 'sw-email';
const SMS_MARK = '--- SMS (development: printed, not sent) ---';
const MAIL_MARK = '--- e-mail (development: printed, not sent) ---';
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let demo: RunningDemo;
let browser: Browser;
let phone: BrowserContext;
let checker: BrowserContext;

async function openCampaign(slug: string, verification: 'sms' | 'email') {
  await putCampaign(demo, ADMIN, {
    slug,
    verification,
    title: { en: 'Justice now', sw: 'Haki sasa' },
    summary: { en: 'Sign for justice for survivors of police violence.', sw: 'Tia sahihi kudai haki kwa manusura wa ukatili wa polisi.' },
    body: { en: 'The body of the campaign.', sw: 'Maelezo ya kampeni.' },
    demands: [{ en: 'Prosecute the officers.', sw: 'Washtaki maafisa.' }],
  });
}

beforeAll(async () => {
  demo = await startDemo({ ADMIN_TOKEN: ADMIN, SMS_PROVIDER: 'console' });
  await openCampaign(SMS_SLUG, 'sms');
  await openCampaign(EMAIL_SLUG, 'email');
  browser = await launchChromium();
  phone = await browser.newContext({ javaScriptEnabled: false, locale: 'sw-KE', viewport: { width: 360, height: 640 } });
  checker = await browser.newContext({ bypassCSP: true, viewport: { width: 360, height: 640 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

/** axe on the page as it is now, and the English catalog copy its visible text holds: both must be empty. */
async function check(page: Page, step: string) {
  expect(await page.getAttribute('html', 'lang'), step).toBe('sw');
  expect(englishLeaks(await page.locator('body').innerText()), step).toEqual([]);
  const copy = await checker.newPage();
  await copy.setContent(await page.content());
  await copy.addScriptTag({ content: AXE_SOURCE });
  const violations = await copy.evaluate(async () => {
    const result = await (window as unknown as { axe: { run(): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe.run();
    return result.violations.map((violation) => `${violation.id}: ${JSON.stringify(violation.nodes.map((node) => node.target))}`);
  });
  await copy.close();
  expect(violations, step).toEqual([]);
}

function printed(mark: string): string[] {
  return demo.output().split(mark).slice(1);
}

/** The newest message after `before` printed ones, once the outbox worker has sent it. */
async function nextMessage(page: Page, mark: string, before: number): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const messages = printed(mark);
    if (messages.length > before) return messages.at(-1)!;
    await page.waitForTimeout(100);
  }
  throw new Error(`no message printed after ${before}`);
}

const codeIn = (sms: string) => /\b(\d{6})\b/.exec(sms)![1]!;

describe('the hosted page in Kiswahili, as a feature phone meets it', () => {
  it('an SMS campaign: summary first with named fields, then the code step (wrong code, new code, right code)', async () => {
    const page = await phone.newPage();
    await page.goto(`${demo.apiUrl}/c/${SMS_SLUG}`);
    await page.getByRole('heading', { name: 'Haki sasa' }).waitFor();
    await check(page, 'form');
    // The rule is said next to the two fields; the checkboxes are at least 24 px.
    await page.getByText('Nambari ya simu ni lazima').waitFor();
    const box = (await page.locator('#f-terms').boundingBox())!;
    expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(24);

    // Everything wrong at once: no name, no number, terms not accepted.
    await page.getByRole('button', { name: 'Tia sahihi' }).click();
    const summary = page.locator('#errors');
    await summary.waitFor();
    // First on the page, in view at the top, and focused (no script needed: `autofocus`).
    const top = (await summary.boundingBox())!;
    expect(top.y).toBeLessThan(120);
    expect(await summary.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await summary.getByRole('link').allInnerTexts()).toEqual([
      'Jina lako: Sehemu hii ni lazima ijazwe.',
      'Nambari ya simu: Sehemu hii ni lazima ijazwe.',
      'Masharti: Unahitaji kukubali masharti ili kutia sahihi.',
    ]);
    await check(page, 'invalid submit');

    // The link leads to its field.
    await summary.getByRole('link', { name: /^Nambari ya simu/ }).click();
    expect(await page.locator('#f-phone').evaluate((element) => element === document.activeElement)).toBe(true);

    // Corrected in one round.
    await page.getByLabel('Jina lako').fill('Chebet Kiprono');
    await page.locator('#f-phone').fill('0722 000 111');
    await page.locator('#f-terms').check();
    const before = printed(SMS_MARK).length;
    await page.getByRole('button', { name: 'Tia sahihi' }).click();
    await page.getByRole('heading', { name: 'Weka msimbo uliopokea kwa SMS' }).waitFor();
    await check(page, 'code step');
    const firstCode = codeIn(await nextMessage(page, SMS_MARK, before));

    // A wrong code: the message in Kiswahili, nothing counted.
    const codeBox = page.getByLabel('Msimbo wa tarakimu 6');
    await codeBox.fill(firstCode === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Thibitisha sahihi yangu' }).click();
    await page.getByText('Msimbo huo si sahihi').waitFor();
    expect(await codeBox.getAttribute('aria-invalid')).toBe('true');
    await check(page, 'wrong code');
    expect((await counts(demo, SMS_SLUG)).signatures).toBe(0);

    // A new code: the first stops working.
    const beforeResend = printed(SMS_MARK).length;
    await page.getByRole('button', { name: 'Nitumie msimbo mpya' }).click();
    await page.getByText('Msimbo mpya uko njiani').waitFor();
    await check(page, 'new code');
    const secondCode = codeIn(await nextMessage(page, SMS_MARK, beforeResend));
    expect(secondCode).not.toBe(firstCode);
    await page.getByLabel('Msimbo wa tarakimu 6').fill(firstCode);
    await page.getByRole('button', { name: 'Thibitisha sahihi yangu' }).click();
    await page.getByText('Msimbo huo si sahihi').waitFor();
    expect((await counts(demo, SMS_SLUG)).signatures).toBe(0);

    // The right code: counted once.
    await page.getByLabel('Msimbo wa tarakimu 6').fill(secondCode);
    await page.getByRole('button', { name: 'Thibitisha sahihi yangu' }).click();
    await page.getByRole('heading', { name: 'Asante kwa kutia sahihi' }).waitFor();
    await page.getByText('Sahihi yako imehesabiwa.').waitFor();
    await check(page, 'confirmed');
    await expect.poll(async () => (await counts(demo, SMS_SLUG)).signatures).toBe(1);
    await page.close();
  }, 90_000);

  it('an e-mail campaign: the link in the e-mail opens a styled confirmation page in Kiswahili only, with a link to English', async () => {
    const page = await phone.newPage();
    await page.goto(`${demo.apiUrl}/c/${EMAIL_SLUG}`);
    await page.getByLabel('Jina lako').fill('Baraka Mwangi');
    await page.locator('#f-email').fill('baraka@example.org');
    await page.locator('#f-terms').check();
    const before = printed(MAIL_MARK).length;
    await page.getByRole('button', { name: 'Tia sahihi' }).click();
    await page.getByRole('heading', { name: 'Asante kwa kutia sahihi' }).waitFor();
    await check(page, 'thanks, pending');

    const mail = await nextMessage(page, MAIL_MARK, before);
    expect(mail).toContain('Subject: Tafadhali thibitisha sahihi yako');
    const link = /(https?:\/\/\S+\/v1\/confirm\/[\w.-]+)/.exec(mail)![1]!;
    const path = new URL(link).pathname;
    await page.goto(`${demo.apiUrl}${path}`);
    await page.getByRole('heading', { name: 'Thibitisha sahihi yako' }).waitFor();
    await check(page, 'confirmation link page');
    // The hosted page's stylesheet applies (the CSP allows it): the button wears the campaign colour.
    expect(await page.getByRole('button', { name: 'Thibitisha sahihi yangu' }).evaluate((button) => getComputedStyle(button).backgroundColor)).toBe('rgb(91, 33, 118)');
    const english = page.getByRole('link', { name: 'English' });
    expect(await english.getAttribute('href')).toBe('?lang=en');

    await page.getByRole('button', { name: 'Thibitisha sahihi yangu' }).click();
    await page.getByRole('heading', { name: 'Asante: sahihi yako imethibitishwa' }).waitFor();
    await check(page, 'confirmed by link');
    await expect.poll(async () => (await counts(demo, EMAIL_SLUG)).signatures).toBe(1);

    // The other language keeps the page: the same token path, in English only.
    await page.getByRole('link', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Your signature is already confirmed' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(path);
    expect(await page.locator('body').innerText()).not.toMatch(/sahihi yako/i);
    // The leak check sees English where there is some (so its empty answers above mean something).
    expect(englishLeaks(await page.locator('body').innerText()).join(' | ')).toContain('There is nothing more to do');
    await page.close();
  }, 90_000);
});
