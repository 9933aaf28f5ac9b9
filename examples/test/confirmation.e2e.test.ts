/**
 * Issue 4 end to end, against the real server in Chromium: a campaign that confirms by SMS and asks for
 * ALTCHA proof of work. The widget fetches and solves the challenge on the first touch of the form, the
 * signature waits (pending), the development SMS provider prints the code in the server's output, the
 * signer types it into the widget's code form, and the public count moves by exactly one. A wrong code
 * first gets a field error and moves nothing.
 *
 * Issue 10, in Kiswahili: the code step shows what is being confirmed; "change my details" sends a new
 * version whose code replaces the first; "send a new code" replaces that one again; only the newest code
 * confirms, and it confirms the details shown.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counts, fillPetition, putCampaign, queryDemoDb, submitButton } from './helpers.ts';
import { launchChromium, startDemo, type RunningDemo } from './server.ts';

const ADMIN = 'e2e-admin-token-0123456789abcdef0123456789';
const SLUG = 'sms-confirmed';
let demo: RunningDemo;
let browser: Browser;

beforeAll(async () => {
  demo = await startDemo({ ADMIN_TOKEN: ADMIN, SMS_PROVIDER: 'console', ALTCHA_MAX_NUMBER: '20000' });
  browser = await launchChromium();
  await putCampaign(demo, ADMIN, {
    slug: SLUG,
    verification: 'sms',
    challenge: 'altcha',
    title: { en: 'Confirmed by SMS', sw: 'Inathibitishwa kwa SMS' },
    summary: { en: 'A campaign that counts a signature once its SMS code is typed in.', sw: 'Kampeni inayohesabu sahihi baada ya msimbo wa SMS.' },
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

/** The last 6-digit code the console SMS provider printed. */
function lastSmsCode(output: string): string | undefined {
  const messages = output.split('--- SMS (development: printed, not sent) ---').slice(1);
  return /\b(\d{6})\b/.exec(messages.at(-1) ?? '')?.[1];
}

describe('a campaign confirmed by SMS, with proof of work', () => {
  it('solves the challenge, waits for the code, refuses a wrong one, and counts once with the right one', async () => {
    const page = await browser.newPage();
    const challenges: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith(`/v1/campaigns/${SLUG}/challenge`)) challenges.push(request.url());
    });
    // The demo partner page (an allowed origin), its petition switched to the SMS campaign.
    await page.goto(`${demo.partnerUrl}/`);
    await submitButton(page.locator('imlu-petition')).waitFor();
    await page.evaluate((slug) => document.querySelector('imlu-petition')!.setAttribute('campaign', slug), SLUG);
    await page.locator('imlu-petition').getByRole('heading', { name: 'Confirmed by SMS' }).waitFor();
    const petition = page.locator('imlu-petition');
    await submitButton(petition).waitFor();
    expect(challenges).toHaveLength(0); // nothing before the first touch

    await fillPetition(petition, { name: 'Akinyi Odhiambo', phone: '0712 345 678', county: 'KE-42' });
    expect(challenges.length).toBeGreaterThan(0);
    await submitButton(petition).click();

    const codeBox = petition.getByRole('textbox', { name: /code|msimbo/i });
    await codeBox.waitFor({ timeout: 30_000 });
    expect((await counts(demo, SLUG)).signatures).toBe(0);
    const rows = await queryDemoDb(demo, "SELECT status, flag FROM signatures WHERE campaign_id = (SELECT id FROM campaigns WHERE slug = 'sms-confirmed')");
    expect(rows).toEqual([{ status: 'pending', flag: null }]);

    // The code arrives through the outbox worker a moment later.
    let code: string | undefined;
    for (let i = 0; i < 100 && !code; i++) {
      code = lastSmsCode(demo.output());
      if (!code) await page.waitForTimeout(100);
    }
    expect(code).toMatch(/^\d{6}$/);

    const wrong = code === '000000' ? '111111' : '000000';
    await codeBox.fill(wrong);
    await petition.getByRole('button', { name: /confirm|thibitisha/i }).click();
    await expect.poll(() => codeBox.getAttribute('aria-invalid')).toBe('true');
    expect((await counts(demo, SLUG)).signatures).toBe(0);

    await codeBox.fill(code!);
    await petition.getByRole('button', { name: /confirm|thibitisha/i }).click();
    await petition.getByRole('heading', { name: /thank you|asante/i }).waitFor({ timeout: 15_000 });
    await expect.poll(async () => (await counts(demo, SLUG)).signatures, { timeout: 5000 }).toBe(1);
    await page.close();
  }, 90_000);

  it('shows in Kiswahili what is confirmed; changing the details and asking for a new code each make the previous code useless', async () => {
    const page = await browser.newPage();
    await page.goto(`${demo.partnerUrl}/`);
    await submitButton(page.locator('imlu-petition')).waitFor();
    await page.evaluate((slug) => {
      const element = document.querySelector('imlu-petition')!;
      element.setAttribute('lang', 'sw');
      element.setAttribute('campaign', slug);
    }, SLUG);
    const petition = page.locator('imlu-petition');
    await petition.getByRole('heading', { name: 'Inathibitishwa kwa SMS' }).waitFor();
    await fillPetition(petition, { name: 'Baraka Mwangi', phone: '0722 000 333', county: 'KE-47' });
    await submitButton(petition).click();
    await petition.getByText('Unachothibitisha').waitFor({ timeout: 30_000 });
    const summary = petition.locator('section', { hasText: 'Unachothibitisha' });
    await expect.poll(() => summary.first().innerText()).toMatch(/Baraka Mwangi[\s\S]*Pokot Magharibi/);
    const waitForCode = async (after: number) => {
      for (let i = 0; i < 100; i++) {
        const messages = demo.output().split('--- SMS (development: printed, not sent) ---').slice(1);
        if (messages.length > after) return /\b(\d{6})\b/.exec(messages.at(-1)!)![1]!;
        await page.waitForTimeout(100);
      }
      throw new Error('no SMS printed');
    };
    const printed = () => demo.output().split('--- SMS (development: printed, not sent) ---').length - 1;
    const firstCode = await waitForCode(printed() - 1);

    // Change the details: back to the form, filled in; a new version replaces the first.
    const beforeChange = printed();
    await petition.getByRole('button', { name: 'Badilisha taarifa zangu' }).click();
    await expect.poll(() => petition.getByRole('textbox', { name: /jina/i }).inputValue()).toBe('Baraka Mwangi');
    await petition.getByRole('combobox', { name: /kaunti/i }).selectOption('KE-30');
    await submitButton(petition).click();
    await expect.poll(() => summary.first().innerText(), { timeout: 30_000 }).toMatch(/Nairobi/);
    const secondCode = await waitForCode(beforeChange);

    // Ask for a new code: the one before it stops working.
    const beforeResend = printed();
    await petition.getByRole('button', { name: 'Nitumie msimbo mpya' }).click();
    await petition.getByText('Msimbo mpya uko njiani').waitFor();
    const thirdCode = await waitForCode(beforeResend);
    expect(new Set([firstCode, secondCode, thirdCode]).size).toBe(3);

    const codeBox = petition.getByRole('textbox', { name: /msimbo|code/i });
    for (const stale of [firstCode, secondCode]) {
      await codeBox.fill(stale);
      await petition.getByRole('button', { name: /thibitisha/i }).click();
      await expect.poll(() => codeBox.getAttribute('aria-invalid')).toBe('true');
    }
    expect((await counts(demo, SLUG)).signatures).toBe(1); // the first test's signer only
    await codeBox.fill(thirdCode);
    await petition.getByRole('button', { name: /thibitisha/i }).click();
    await petition.getByRole('heading', { name: /asante/i }).waitFor({ timeout: 15_000 });
    await expect.poll(async () => (await counts(demo, SLUG)).byCounty['KE-30'], { timeout: 5000 }).toBe(1);
    expect((await counts(demo, SLUG)).byCounty['KE-47']).toBeUndefined();
    await page.close();
  }, 120_000);
});
