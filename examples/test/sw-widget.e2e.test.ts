/**
 * Issue 14, the widget as a Kiswahili signer meets it, in Chromium against the real API: the partner page
 * with `?lang=sw`, the first screen (milestone said once, demands folded), an invalid submit and its
 * correction (errors clearing as the fields are put right), thanks and share links (language kept, a
 * message in Kiswahili), then an SMS campaign: the code step, a wrong code, "send a new code" up to the
 * API's limit (said in Kiswahili), and "change my details" to another number, which signs through the
 * normal path (a new Idempotency-Key; the first number's pending signature does not stand in the way)
 * and confirms with the code sent to the new number.
 *
 * At every step: axe finds no violation in the element, and no English message of the widget's catalog
 * shows in its shadow DOM (text, aria-label, title, placeholder, alt). The catalog's English is read from
 * the XLIFF the translators use (its `<source>`s); each piece of text between placeholders that is long
 * enough to mean something and does not also occur in the Kiswahili is looked for.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counts, fillPetition, putCampaign, SLUG, submitButton } from './helpers.ts';
import { launchChromium, repoRoot, startDemo, type RunningDemo } from './server.ts';

const ADMIN = 'e2e-admin-token-0123456789abcdef0123456789';
const SMS_SLUG = 'sms-sw';
const SMS_MARK = '--- SMS (development: printed, not sent) ---';
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let demo: RunningDemo;
let browser: Browser;

/** The English text of every widget message: the static pieces of each XLIFF `<source>` (≥ 12 characters), minus any also found in a Kiswahili target. */
function englishPieces(): string[] {
  const xliff = readFileSync(join(repoRoot, 'packages/widget/xliff/sw.xlf'), 'utf8');
  const decode = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  const units = [...xliff.matchAll(/<trans-unit id="([^"]+)">\s*<source>([\s\S]*?)<\/source>\s*(?:<target>([\s\S]*?)<\/target>)?/g)];
  const kiswahili = units.map((unit) => decode(unit[3] ?? '')).join('\n');
  const pieces = units.flatMap((unit) => decode(unit[2]!).split(/<x [^>]*\/>/).map((piece) => piece.trim()));
  return [...new Set(pieces)].filter((piece) => piece.length >= 12 && !kiswahili.includes(piece));
}

const ENGLISH = englishPieces();

/** Every text node of the petition's shadow DOM and every text-bearing attribute. */
async function shadowTexts(petition: Locator): Promise<string[]> {
  return petition.evaluate((element) => {
    const root = element.shadowRoot!;
    const found: string[] = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) found.push(walker.currentNode.textContent!.replace(/\s+/g, ' ').trim());
    for (const node of Array.from(root.querySelectorAll('*'))) {
      for (const name of ['aria-label', 'aria-description', 'title', 'placeholder', 'alt']) {
        const value = node.getAttribute(name);
        if (value) found.push(value.trim());
      }
    }
    return found.filter(Boolean);
  });
}

interface AxeResult {
  violations: { id: string; impact: string; nodes: { target: unknown; failureSummary: string }[] }[];
}

/** (a) no axe violation in the petition, (b) no English message of the catalog in it. */
async function checkStep(page: Page, petition: Locator, step: string): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const { violations } = await petition.evaluate(
    (element) => (window as unknown as { axe: { run: (context: Element) => Promise<AxeResult> } }).axe.run(element),
  );
  expect(
    violations.map((violation) => `${violation.id} (${violation.impact}): ${violation.nodes.map((node) => JSON.stringify(node.target)).join(', ')}`),
    `${step}: axe`,
  ).toEqual([]);
  const text = (await shadowTexts(petition)).join('\n');
  expect(ENGLISH.filter((piece) => text.includes(piece)), `${step}: English left in the Kiswahili petition`).toEqual([]);
}

async function fieldState(petition: Locator, id: string): Promise<string | null> {
  return petition.evaluate((element, id) => element.shadowRoot!.querySelector(`#${id}`)!.getAttribute('aria-invalid'), id);
}

async function focusedId(petition: Locator): Promise<string | undefined> {
  return petition.evaluate((element) => element.shadowRoot!.activeElement?.id);
}

/** The SMS messages printed by the console provider so far: recipient and code. */
function smsSent(): { to: string; code: string }[] {
  return demo
    .output()
    .split(SMS_MARK)
    .slice(1)
    .map((message) => ({ to: /To: (\S+)/.exec(message)?.[1] ?? '', code: /\b(\d{6})\b/.exec(message)?.[1] ?? '' }));
}

async function nextSms(page: Page, after: number): Promise<{ to: string; code: string }> {
  for (let i = 0; i < 150; i++) {
    const sent = smsSent();
    if (sent.length > after) return sent.at(-1)!;
    await page.waitForTimeout(100);
  }
  throw new Error('no SMS printed');
}

beforeAll(async () => {
  demo = await startDemo({ ADMIN_TOKEN: ADMIN, SMS_PROVIDER: 'console' });
  browser = await launchChromium();
  await putCampaign(demo, ADMIN, {
    slug: SMS_SLUG,
    verification: 'sms',
    title: { en: 'Confirmed by SMS', sw: 'Inathibitishwa kwa SMS' },
    summary: { en: 'A campaign that counts a signature once its SMS code is typed in.', sw: 'Kampeni inayohesabu sahihi baada ya msimbo wa SMS.' },
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

describe('the petition in Kiswahili, every flow, in Chromium against the real API', () => {
  it('has English pieces to look for (the check itself can fail)', () => {
    expect(ENGLISH).toContain('Please fix 1 problem in the form.');
    expect(ENGLISH).toContain('Next milestone:');
    expect(ENGLISH.length).toBeGreaterThan(80);
  });

  it('first screen, invalid submit and its correction, thanks and share links', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 640 } });
    await page.goto(`${demo.partnerUrl}/?lang=sw&source=e2e-sw&email=someone%40example.org`);
    const petition = page.locator('imlu-petition');
    await submitButton(petition).waitFor();

    // On a 360 × 640 phone the name field is within the petition's first screen (the partner's own header
    // and heading above it are the partner's: 250 px on this page).
    const name = (await petition.getByRole('textbox', { name: /jina/i }).boundingBox())!;
    const top = (await petition.boundingBox())!.y;
    console.info(`petition at y ${top.toFixed(0)} px, its name field ${(name.y - top).toFixed(0)}–${(name.y + name.height - top).toFixed(0)} px below`);
    expect(name.y + name.height - top).toBeLessThanOrEqual(640);
    // The milestone says its count once; the demands are folded and unfold.
    const milestone = (await petition.locator('#milestone-next').innerText()).trim();
    expect(milestone).toMatch(/^Hatua inayofuata: /);
    expect(milestone.match(/\d[\d,]*/g)).toHaveLength(1);
    expect(await petition.locator('details').evaluate((details: HTMLDetailsElement) => details.open)).toBe(false);
    await checkStep(page, petition, 'ready');
    await petition.getByRole('button', { name: 'Soma zaidi' }).click();
    await expect.poll(() => petition.getByRole('button', { name: 'Onyesha kidogo' }).getAttribute('aria-expanded')).toBe('true');
    await checkStep(page, petition, 'summary unfolded');
    await petition.locator('summary').click();
    await expect.poll(() => petition.locator('details').evaluate((details: HTMLDetailsElement) => details.open)).toBe(true);
    await checkStep(page, petition, 'demands unfolded');

    // Nothing filled in: three errors, the summary counts them.
    await submitButton(petition).click();
    const status = petition.locator('form [role="status"]');
    await expect.poll(() => status.innerText()).toBe('Tafadhali rekebisha makosa 3 kwenye fomu.');
    expect(await fieldState(petition, 'name')).toBe('true');
    await checkStep(page, petition, 'invalid submit');

    // Each error goes as its field is put right, without pressing the button again.
    await petition.getByRole('textbox', { name: /jina/i }).fill('Amina Wanjiku');
    await expect.poll(() => fieldState(petition, 'name')).toBe(null);
    await expect.poll(() => status.innerText()).toBe('Tafadhali rekebisha makosa 2 kwenye fomu.');
    expect(await fieldState(petition, 'phone')).toBe('true');
    await checkStep(page, petition, 'name corrected');
    await petition.getByRole('textbox', { name: /simu/i }).fill('0733 100 200');
    await expect.poll(() => fieldState(petition, 'phone')).toBe(null);
    await expect.poll(() => status.innerText()).toBe('Tafadhali rekebisha kosa 1 kwenye fomu.');
    await petition.getByRole('checkbox', { name: /masharti/i }).check();
    await expect.poll(() => petition.locator('.error').count()).toBe(0);
    await expect.poll(() => status.innerText()).toBe('');
    await checkStep(page, petition, 'all corrected');

    const before = (await counts(demo, SLUG)).signatures;
    await submitButton(petition).click();
    await petition.getByRole('heading', { name: /asante/i }).waitFor({ timeout: 15_000 });
    await expect.poll(async () => (await counts(demo, SLUG)).signatures, { timeout: 5000 }).toBe(before + 1);
    await checkStep(page, petition, 'thanks');

    // The link keeps ?source= and the language, nothing else; WhatsApp and X carry a Kiswahili message.
    const shareLink = await petition.locator('#share-link').inputValue();
    expect(shareLink).toBe(`${demo.partnerUrl}/?source=e2e-sw&lang=sw`);
    const whatsapp = new URL((await petition.getByRole('link', { name: 'WhatsApp' }).getAttribute('href'))!);
    expect(whatsapp.origin + whatsapp.pathname).toBe('https://wa.me/');
    expect(whatsapp.searchParams.get('text')).toBe(`Nimetia sahihi: ${await petition.locator('h2').innerText()}. Tafadhali nawe utie sahihi: ${shareLink}`);
    const x = new URL((await petition.getByRole('link', { name: 'X' }).getAttribute('href'))!);
    expect(x.searchParams.get('text')).toMatch(/^Nimetia sahihi: /);
    expect(x.searchParams.get('url')).toBe(shareLink);
    expect(new URL((await petition.getByRole('link', { name: 'Facebook' }).getAttribute('href'))!).searchParams.get('u')).toBe(shareLink);
    expect(await petition.locator('a[href*="/me?"]').getAttribute('href')).toMatch(/\/me\?lang=sw$/);
    await page.close();
  }, 120_000);

  it('SMS code: wrong code, new codes up to the limit, then another number through the normal path', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 640 } });
    await page.goto(`${demo.partnerUrl}/?lang=sw`);
    const petition = page.locator('imlu-petition');
    await submitButton(petition).waitFor();
    await page.evaluate((slug) => document.querySelector('imlu-petition')!.setAttribute('campaign', slug), SMS_SLUG);
    await petition.getByRole('heading', { name: 'Inathibitishwa kwa SMS' }).waitFor();

    const sentBefore = smsSent().length;
    await fillPetition(petition, { name: 'Juma Otieno', phone: '0711 222 333', county: 'KE-42' });
    await submitButton(petition).click();
    const codeBox = petition.getByRole('textbox', { name: /msimbo/i });
    await codeBox.waitFor({ timeout: 30_000 });
    const first = await nextSms(page, sentBefore);
    expect(first.to).toContain('711222333');
    await checkStep(page, petition, 'code step');

    await codeBox.fill(first.code === '000000' ? '111111' : '000000');
    await petition.getByRole('button', { name: /thibitisha/i }).click();
    await expect.poll(() => codeBox.getAttribute('aria-invalid')).toBe('true');
    await checkStep(page, petition, 'wrong code');

    // "Send a new code" until the API says to wait: the wait is said in Kiswahili, in seconds or minutes.
    const codeStatus = petition.locator('section [role="status"]');
    await petition.getByRole('button', { name: 'Nitumie msimbo mpya' }).click();
    await expect.poll(() => codeStatus.innerText()).toMatch(/^Msimbo mpya uko njiani/);
    await checkStep(page, petition, 'new code sent');
    let status = 202;
    for (let i = 0; i < 8 && status !== 429; i++) {
      const answer = page.waitForResponse((response) => response.url().endsWith('/confirmations/resend') && response.request().method() === 'POST');
      await petition.getByRole('button', { name: 'Nitumie msimbo mpya' }).click();
      status = (await answer).status();
    }
    expect(status, 'the API never refused a new code').toBe(429);
    // The demo exempts loopback from the per-network limit (which sends Retry-After and is said as "wait N
    // s/min", signing.test.ts), so this is the cap of new codes for these details: waiting would not help.
    await expect.poll(() => codeStatus.innerText()).toBe('Hakuna misimbo mipya zaidi kwa taarifa hizi. Tumia kiungo kilicho kwenye SMS, au badilisha taarifa zako.');
    await checkStep(page, petition, 'new codes refused for now');

    // Another number: back to the form at the phone field, the rest kept; a new submission, a new code.
    await petition.getByRole('button', { name: 'Badilisha taarifa zangu' }).click();
    await expect.poll(() => focusedId(petition)).toBe('phone');
    expect(await petition.getByRole('textbox', { name: /jina/i }).inputValue()).toBe('Juma Otieno');
    expect(await petition.getByRole('combobox', { name: /kaunti/i }).inputValue()).toBe('KE-42');
    await checkStep(page, petition, 'form again');
    const beforeChange = smsSent().length;
    await petition.getByRole('textbox', { name: /simu/i }).fill('0722 444 555');
    await submitButton(petition).click();
    await expect.poll(() => petition.locator('dd').first().innerText(), { timeout: 30_000 }).toBe('Juma Otieno');
    const second = await nextSms(page, beforeChange);
    expect(second.to).toContain('722444555');

    const before = (await counts(demo, SMS_SLUG)).signatures;
    await codeBox.fill(second.code);
    await petition.getByRole('button', { name: /thibitisha/i }).click();
    await petition.getByRole('heading', { name: /asante/i }).waitFor({ timeout: 15_000 });
    await expect.poll(async () => (await counts(demo, SMS_SLUG)).signatures, { timeout: 5000 }).toBe(before + 1);
    await checkStep(page, petition, 'confirmed');
    await page.close();
  }, 180_000);
});
