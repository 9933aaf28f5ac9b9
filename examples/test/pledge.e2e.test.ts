/**
 * Issue 16 end to end, in Kiswahili, against the real server in Chromium with a real SMTP conversation:
 * two supporters pledge on a partner page — one both actions of a pledge campaign, one the hearing only —
 * each confirms by the e-mailed link; at a fixed clock (the day before the hearing) `imlu pledge remind`
 * queues the reminders, which the server's outbox sends in Kiswahili with the supporter's pledge link; the
 * second supporter says "I can't make it" through that link, the first, once the hearing has begun, "I did
 * it"; the public board (JSON and `<imlu-accountability>`) shows the kept count move, the one who could not
 * come is not kept. Then a campaigner's attendance sheet (with the supporter already kept, twice) is audited
 * and moves the kept count exactly once per person. axe at each page a supporter meets.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Accountability, Counts } from '@imlu/contracts';
import { startTestSmtp, type TestSmtp } from '../../api/test/smtp.ts';
import { axeViolations, imlu } from './console-helpers.ts';
import { putCampaign, queryDemoDb, submitButton } from './helpers.ts';
import { launchChromium, startDemo, type RunningDemo } from './server.ts';

const ADMIN = 'e2e-admin-token-pledges-0123456789abcdef';
const SLUG = 'e2e-hearing';

let demo: RunningDemo;
let browser: Browser;
let smtp: TestSmtp;
/** When the hearing begins: in two days, then brought forward to a moment in the test, so that "I can't make it" (before) and "I did it" (after) both happen for real. */
let hearingAt: number;


async function axe(page: Page, step: string): Promise<void> {
  expect(await axeViolations(page), step).toEqual([]);
}

async function board(): Promise<Accountability> {
  const response = await fetch(`${demo.apiUrl}/v1/campaigns/${SLUG}/accountability`, { cache: 'no-store' });
  expect(response.status).toBe(200);
  return (await response.json()) as Accountability;
}

async function counts(): Promise<Counts> {
  return (await (await fetch(`${demo.apiUrl}/v1/campaigns/${SLUG}/counts`, { cache: 'no-store' })).json()) as Counts;
}

/** The first link to `path` in the e-mails to `to` that arrived after the first `after`, waiting for one. */
async function mailLink(to: string, path: RegExp, after: number): Promise<{ link: string; text: string }> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    for (const mail of smtp.received.slice(after)) {
      const recipients = [mail.to].flat().flatMap((a) => a?.value ?? []).map((a) => a.address);
      const text = mail.text ?? '';
      const link = new RegExp(`https?://\\S+${path.source}\\S*`).exec(text)?.[0];
      if (recipients.includes(to) && link) return { link, text };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no e-mail to ${to} with a link to ${path}:\n${smtp.received.map((m) => m.text).join('\n---\n')}`);
}

/** Pledges on the partner page in Kiswahili, ticking the named actions and the reminder. */
async function pledge(page: Page, name: string, email: string, actions: RegExp[]): Promise<void> {
  await page.goto(`${demo.partnerUrl}/?lang=sw`);
  await submitButton(page.locator('imlu-petition')).waitFor();
  await page.evaluate((slug) => document.querySelector('imlu-petition')!.setAttribute('campaign', slug), SLUG);
  const pledgeButton = page.locator('imlu-petition').getByRole('button', { name: 'Weka ahadi' });
  const petition = page.locator('imlu-petition');
  await petition.getByRole('heading', { name: 'Hudhuria kesi' }).waitFor();
  await petition.getByRole('group', { name: /utafanya nini/i }).waitFor();
  await axe(page, 'the pledge form in Kiswahili');
  await petition.getByRole('textbox', { name: /jina/i }).fill(name);
  await petition.getByRole('textbox', { name: /barua pepe/i }).fill(email);
  for (const action of actions) await petition.getByRole('checkbox', { name: action }).check();
  await petition.getByRole('checkbox', { name: /nikumbushe/i }).check();
  await petition.getByRole('checkbox', { name: /masharti/i }).check();
  await pledgeButton.click();
  await petition.getByRole('heading', { name: 'Asante kwa ahadi yako' }).waitFor({ timeout: 30_000 });
  await axe(page, 'the thanks of a pledge in Kiswahili');
}

beforeAll(async () => {
  smtp = await startTestSmtp();
  [demo, browser] = await Promise.all([startDemo({ ADMIN_TOKEN: ADMIN, SMTP_URL: smtp.url }), launchChromium()]);
  hearingAt = Date.now() + 2 * 86_400_000;
  await putCampaign(demo, ADMIN, campaign());
}, 60_000);

/** The campaign document, with the hearing at `hearingAt` and the vigil three days later. */
function campaign(): { slug: string } & Record<string, unknown> {
  return {
    slug: SLUG,
    kind: 'pledge',
    verification: 'email',
    title: { en: 'Attend the hearing', sw: 'Hudhuria kesi' },
    summary: { en: 'Be there when the court hears the case.', sw: 'Kuwa pale mahakama itakaposikiliza kesi.' },
    actions: [
      {
        title: { en: 'Attend the hearing at Milimani Law Courts', sw: 'Hudhuria kesi katika Mahakama ya Milimani' },
        place: { en: 'Milimani Law Courts, Nairobi', sw: 'Mahakama ya Milimani, Nairobi' },
        county: 'KE-47',
        startsAt: new Date(hearingAt).toISOString(),
        capacity: 50,
      },
      {
        title: { en: 'Join the vigil', sw: 'Jiunge na mkesha' },
        place: { en: 'Uhuru Park', sw: 'Uhuru Park' },
        county: 'KE-47',
        startsAt: new Date(hearingAt + 3 * 86_400_000).toISOString(),
        capacity: null,
      },
    ],
  };
}

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  await smtp?.stop();
});

describe('a pledge campaign, from the pledge to promises kept', () => {
  it('pledges two actions in Kiswahili, reminds at a fixed clock, and counts "done" as kept but "can\'t make it" not', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'sw' });
    const page = await context.newPage();

    // Two supporters pledge and confirm by e-mail; nothing counts before the confirmation.
    await pledge(page, 'Wanjiru Kamau', 'wanjiru@example.org', [/milimani/i, /mkesha/i]);
    await pledge(page, 'Otieno Ouma', 'otieno@example.org', [/milimani/i]);
    expect((await counts()).actions?.[0]?.pledged).toBe(0);
    // A third pledges the hearing through the partner's API (the same signing path): the sheet test's newcomer.
    const signed = await fetch(`${demo.apiUrl}/v1/campaigns/${SLUG}/signatures`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: demo.partnerUrl, 'Idempotency-Key': crypto.randomUUID() },
      body: JSON.stringify({ name: 'Amina Hassan', email: 'amina@example.org', actions: [(await counts()).actions![0]!.id], remind: false, consent: { terms: true }, locale: 'sw', elapsedMs: 5000 }),
    });
    expect(signed.status).toBe(202);
    for (const to of ['wanjiru@example.org', 'otieno@example.org', 'amina@example.org']) {
      const { link } = await mailLink(to, /\/v1\/confirm\//, 0);
      await page.goto(link);
      await axe(page, 'the confirmation page of a pledge');
      await page.getByRole('button', { name: /thibitisha/i }).click();
      await page.getByRole('heading', { level: 1 }).filter({ hasText: /umethibitisha|asante/i }).waitFor();
    }
    await expect.poll(async () => (await counts()).actions?.map((a) => a.pledged), { timeout: 15_000 }).toEqual([3, 1]);
    expect((await counts()).actions?.[0]?.placesLeft).toBe(47);

    // The court brings the hearing forward to today, in 40 seconds: the campaigner updates the action (same
    // position, so the same action and the same pledges).
    hearingAt = Date.now() + 40_000;
    await putCampaign(demo, ADMIN, campaign());
    expect((await counts()).actions?.map((a) => a.pledged)).toEqual([3, 1]);

    // On the day of the hearing, at a fixed clock given to the job (a minute before it starts): one reminder
    // per supporter who asked, in Kiswahili, with the pledge link. (The server sends a reminder only on its
    // own day by its own clock, so the fixed clock is today's.)
    const mailsBefore = smtp.received.length;
    const fixedClock = new Date(hearingAt - 60_000).toISOString();
    const remind = await imlu(demo, 'pledge', 'remind', '--now', fixedClock, '--json');
    expect(remind).toMatch(/"email":\s*2/);
    const wanjiru = await mailLink('wanjiru@example.org', /\/p\//, mailsBefore);
    const otieno = await mailLink('otieno@example.org', /\/p\//, mailsBefore);
    expect(wanjiru.text).toMatch(/Mahakama ya Milimani/);
    expect(wanjiru.link).toMatch(/lang=sw/);
    // Amina asked for no reminder.
    await expect.poll(async () => (await counts()).actions?.[0]?.reminded, { timeout: 15_000 }).toBe(2);
    // The same clock again queues nothing more.
    expect(await imlu(demo, 'pledge', 'remind', '--now', fixedClock, '--json')).not.toMatch(/"email":\s*[1-9]/);
    await new Promise((r) => setTimeout(r, 1000));
    expect(smtp.received.filter((m) => /\/p\//.test(m.text ?? '')).length).toBe(2);

    // Otieno cannot come: his place is freed, and he is not kept.
    await page.goto(otieno.link);
    await axe(page, 'the pledge page in Kiswahili');
    await page.getByRole('button', { name: /siwezi kufika|sitaweza/i }).first().click();
    await page.getByRole('status').waitFor();
    await expect.poll(async () => (await counts()).actions?.[0]).toMatchObject({ pledged: 2, cant: 1, placesLeft: 48 });

    // Once the hearing has begun, Wanjiru says she was there.
    await page.waitForTimeout(Math.max(0, hearingAt - Date.now() + 500));
    await page.goto(wanjiru.link);
    await page.getByRole('button', { name: /nimefanya|nilihudhuria/i }).first().click();
    await page.getByRole('status').waitFor();
    await axe(page, 'the pledge page after "done"');
    await expect.poll(async () => (await board()).pledges?.[0]).toMatchObject({ pledged: 2, kept: 1, cant: 1 });

    // The public board, as a partner embeds it, says it in words.
    await page.goto(`${demo.partnerUrl}/accountability/?lang=sw`);
    await page.evaluate((slug) => document.querySelector('imlu-accountability')!.setAttribute('campaign', slug), SLUG);
    await page.locator('imlu-accountability').getByRole('heading', { name: 'Ahadi za wafuasi' }).waitFor({ timeout: 15_000 });
    const pledges = page.locator('imlu-accountability [part=pledges]');
    await pledges.getByText('2 waliahidi; 1 alitimiza ahadi yake').waitFor({ timeout: 15_000 });
    await expect.poll(() => pledges.innerText()).toMatch(/Hudhuria kesi katika Mahakama ya Milimani/);
    await axe(page, 'the board with pledges in Kiswahili');
    await context.close();
  }, 240_000);

  it('records a sign-in sheet once per person, audited', async () => {
    const before = (await counts()).actions![0]!;
    const action = before.id;
    const record = async (contacts: string[]) => {
      const response = await fetch(`${demo.apiUrl}/admin/campaigns/${SLUG}/actions/${action}/attendance`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ contacts }),
      });
      expect(response.status).toBe(200);
      return (await response.json()) as { matched: number; newlyKept: number; alreadyKept: number; notFound: number };
    };
    expect(before).toMatchObject({ pledged: 2, kept: 1, cant: 1 });
    // The sheet: Amina (there, never said so), Wanjiru (already kept by her own "done"), Amina again on a
    // second line, and someone who never pledged. Amina is kept once; nobody else moves.
    const sheet = ['amina@example.org', 'wanjiru@example.org', 'AMINA@example.org', 'stranger@example.org'];
    expect(await record(sheet)).toEqual({ matched: 2, newlyKept: 1, alreadyKept: 1, notFound: 1 });
    expect((await counts()).actions![0]!).toMatchObject({ pledged: 2, kept: 2, cant: 1 });
    // The same sheet handed in twice moves nothing.
    expect(await record(sheet)).toEqual({ matched: 2, newlyKept: 0, alreadyKept: 2, notFound: 1 });
    expect((await board()).pledges![0]!).toMatchObject({ pledged: 2, kept: 2, cant: 1 });
    const audit = await queryDemoDb(
      demo,
      `SELECT action, details FROM audit_log WHERE action = 'pledge.attendance' AND campaign_id = (SELECT id FROM campaigns WHERE slug = '${SLUG}') ORDER BY at`,
    );
    expect(audit).toHaveLength(2);
    for (const entry of audit) expect(String(entry['details'])).not.toMatch(/example\.org|amina|wanjiru/i);
  }, 60_000);

  it('the example pledge page, in Kiswahili: the demo\'s pledge with its actions, kept promises on the counter and on the board', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'sw' });
    const page = await context.newPage();
    await page.goto(`${demo.partnerUrl}/pledge/?lang=sw`);
    const petition = page.locator('imlu-petition');
    await petition.getByRole('button', { name: 'Weka ahadi' }).waitFor({ timeout: 30_000 });
    await petition.getByRole('group', { name: /utafanya nini/i }).waitFor();
    expect(await petition.getByRole('checkbox').count()).toBeGreaterThanOrEqual(2 + 4); // the actions, then the consents
    const seeded = (await (await fetch(`${demo.apiUrl}/v1/campaigns/attend-the-hearing/counts`)).json()) as Counts;
    // The counter sums the actions that have taken place: the mention, not the hearing still ahead.
    const happened = seeded.actions!.filter((a) => !a.startsAt || Date.parse(a.startsAt) <= Date.now());
    expect(happened.length).toBe(1);
    const kept = happened.reduce((n, a) => n + a.kept, 0);
    const pledged = happened.reduce((n, a) => n + a.pledged, 0);
    await page.locator('imlu-counter').getByText(`${kept} kati ya ${pledged} walitimiza ahadi yao`).waitFor({ timeout: 15_000 });
    await page.locator('imlu-accountability').getByRole('heading', { name: 'Ahadi za wafuasi' }).waitFor({ timeout: 15_000 });
    await axe(page, 'the example pledge page in Kiswahili');
    await context.close();
  }, 90_000);
});
