/**
 * Issue 11, a signer's rights, end to end in Chromium against the real server: a signer signs in the widget
 * on the partner page and confirms with the SMS code; the thank-you links to "manage my signature"; there
 * they ask by phone, type the code from the SMS (printed by the development SMS provider), see what is
 * stored, withdraw (the public count drops by one at once), and erase — after which the database holds
 * nothing of them and their ciphertext is in neither the database file nor its WAL. No page needs script,
 * and none breaks its Content-Security-Policy.
 */
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counts, fillPetition, putCampaign, queryDemoDb, submitButton, watchCspViolations } from './helpers.ts';
import { launchChromium, startDemo, type RunningDemo } from './server.ts';

const ADMIN = 'e2e-admin-token-0123456789abcdef0123456789';
const SLUG = 'rights-e2e';
const SMS_MARK = '--- SMS (development: printed, not sent) ---';
let demo: RunningDemo;
let browser: Browser;

beforeAll(async () => {
  demo = await startDemo({ ADMIN_TOKEN: ADMIN, SMS_PROVIDER: 'console' });
  browser = await launchChromium();
  await putCampaign(demo, ADMIN, {
    slug: SLUG,
    verification: 'sms',
    title: { en: 'Rights campaign', sw: 'Kampeni ya haki' },
    summary: { en: 'A campaign whose signers manage their signatures.', sw: 'Kampeni ambayo wanaotia sahihi husimamia sahihi zao.' },
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

const printed = () => demo.output().split(SMS_MARK).slice(1);

/** The next SMS the console provider prints after `after` messages, to `to`. */
async function nextSms(after: number, to: string): Promise<string> {
  for (let i = 0; i < 150; i++) {
    const message = printed().slice(after).find((m) => m.includes(`To: ${to}`));
    if (message) return message;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no SMS to ${to} printed`);
}
const codeIn = (sms: string) => /\b(\d{6})\b/.exec(sms)![1]!;

/** Signs in the widget on the partner page and confirms with the SMS code; leaves the page on its thank-you. */
async function signAndConfirm(name: string, phone: string, e164: string) {
  const page = await browser.newPage();
  await page.goto(`${demo.partnerUrl}/`);
  await submitButton(page.locator('imlu-petition')).waitFor();
  await page.evaluate((slug) => document.querySelector('imlu-petition')!.setAttribute('campaign', slug), SLUG);
  const petition = page.locator('imlu-petition');
  await petition.getByRole('heading', { name: 'Rights campaign' }).waitFor();
  const before = printed().length;
  await fillPetition(petition, { name, phone, county: 'KE-30' });
  await submitButton(petition).click();
  const codeBox = petition.getByRole('textbox', { name: /code|msimbo/i });
  await codeBox.waitFor({ timeout: 30_000 });
  await codeBox.fill(codeIn(await nextSms(before, e164)));
  await petition.getByRole('button', { name: /confirm|thibitisha/i }).click();
  await petition.getByRole('heading', { name: /thank you|asante/i }).waitFor({ timeout: 15_000 });
  return { page, petition };
}

describe('manage my signature, in a real browser', () => {
  it('a signer opens /me from the thank-you, proves their phone with the SMS code, sees their details, withdraws and erases', async () => {
    await signAndConfirm('Halima Abdi', '0733 000 444', '+254733000444');
    const { page, petition } = await signAndConfirm('Akinyi Odhiambo', '0712 345 678', '+254712345678');
    await expect.poll(async () => (await counts(demo, SLUG)).signatures, { timeout: 5000 }).toBe(2);
    const mine = await queryDemoDb(demo, `SELECT id, name_enc, phone_enc FROM signatures WHERE id = (SELECT MAX(id) FROM signatures WHERE campaign_id = (SELECT id FROM campaigns WHERE slug = '${SLUG}'))`);
    expect(mine).toHaveLength(1);

    // The thank-you links to the manage page on the API, in the signer's language, with nothing personal.
    const link = petition.getByRole('link', { name: 'See, withdraw or erase your signature later' });
    expect(await link.getAttribute('href')).toBe(`${demo.apiUrl}/me?lang=en`);
    const violations = await watchCspViolations(page);
    await link.click();
    await page.getByRole('heading', { name: 'Manage my signature' }).waitFor();

    const before = printed().length;
    await page.getByLabel('Phone number or e-mail address').fill('0712 345 678');
    await page.getByRole('button', { name: 'Send me a code' }).click();
    await page.getByRole('heading', { name: 'Check your messages' }).waitFor();
    const sms = await nextSms(before, '+254712345678');
    expect(sms).toMatch(/Code to manage your signature: \d{6}\. Or open http:\/\/127\.0\.0\.1:\d+\/me\/[\w-]+/);

    // A wrong code first, then the one from the SMS.
    const code = codeIn(sms);
    await page.getByLabel('The 6-digit code').fill(code === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('This code is not right').waitFor();
    await page.getByLabel('The 6-digit code').fill(code);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Your signatures' }).waitFor();
    expect(page.url()).toMatch(new RegExp(`^${demo.apiUrl}/me/[\\w-]+$`));
    expect(page.url()).not.toContain('712345678');
    const details = page.locator('dl').first();
    await expect.poll(() => details.innerText()).toMatch(/Akinyi Odhiambo[\s\S]*\+254712345678[\s\S]*Nairobi/);
    expect(await page.getByRole('heading', { name: 'Rights campaign' }).count()).toBe(1);
    expect(await page.content()).not.toContain('Halima');

    // Withdraw: the public count drops by one at once.
    await page.getByRole('button', { name: 'Withdraw this signature' }).click();
    await page.getByText('Your signature on "Rights campaign" is withdrawn. It no longer counts.').waitFor();
    expect(await counts(demo, SLUG)).toMatchObject({ signatures: 1, byCounty: { 'KE-30': 1 } });
    expect(await page.getByRole('button', { name: 'Withdraw this signature' }).count()).toBe(0);

    // In Kiswahili, then erase after the confirmation step.
    await page.getByRole('link', { name: 'Kiswahili' }).click();
    await page.getByRole('heading', { name: 'Sahihi zako' }).waitFor();
    await page.getByRole('button', { name: 'Futa taarifa zangu binafsi' }).click();
    await page.getByRole('heading', { name: 'Ufute kila kitu tunachohifadhi kukuhusu?' }).waitFor();
    await page.getByRole('button', { name: 'Ndiyo, futa taarifa zangu binafsi' }).click();
    await page.getByRole('heading', { name: 'Taarifa zako binafsi zimefutwa' }).waitFor();

    expect(await counts(demo, SLUG)).toMatchObject({ signatures: 1 });
    const left = await queryDemoDb(demo, `SELECT id FROM signatures WHERE campaign_id = (SELECT id FROM campaigns WHERE slug = '${SLUG}')`);
    expect(left).toHaveLength(1);
    expect(left[0]!['id']).not.toBe(mine[0]!['id']);
    const read = (file: string) => {
      try {
        return readFileSync(`${demo.dataDir}/${file}`, 'latin1');
      } catch {
        return ''; // no WAL left
      }
    };
    for (const bytes of [read('imlu.db'), read('imlu.db-wal')]) {
      for (const envelope of [mine[0]!['name_enc'], mine[0]!['phone_enc']]) {
        expect(bytes).not.toContain(String(envelope).split('.')[3]!.slice(0, 24));
      }
    }
    expect(await violations()).toEqual([]);
    await page.close();
  }, 180_000);
});
