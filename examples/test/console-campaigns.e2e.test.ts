/**
 * Issue 12, the Campaigns view, end to end against the real server in Chromium at 360 px: a campaigner
 * creates a campaign in English and Kiswahili from the console (the steps in console-steps/campaigns.ts),
 * sees it listed, reads both languages back from the public API, changes its goal, and signs it on the
 * hosted page with no SMS or e-mail step; a bad slug
 * and a missing Kiswahili title show field errors in the console's language and store nothing; the saved
 * campaign's widget shows in the preview frames in both languages, and its embed snippet copies. A viewer
 * (campaigns:read only) sees the form read-only with no save, and a PUT with their cookie and CSRF token
 * gets 403. axe finds nothing in the list, form, error and preview states, in English and Kiswahili.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff, axe, phone, signIn, startConsoleDemo, stopConsoleDemo } from './console-helpers.ts';
import { backHome, CAMPAIGNS_COPY, changeGoal, createCampaign, editCampaign, fillNewCampaign, openCampaigns } from './console-steps/campaigns.ts';
import { type RunningDemo } from './server.ts';

let demo: RunningDemo;
let browser: Browser;

beforeAll(async () => ({ demo, browser } = await startConsoleDemo()), 60_000);

afterAll(() => stopConsoleDemo(demo, browser));

const ERRORS = {
  en: { slug: 'Use lower-case letters, digits and single hyphens, and a slug no other campaign uses.', text: 'Write this text: 1 to 200 characters.' },
  sw: { slug: 'Tumia herufi ndogo, tarakimu na vistari kimoja kimoja, na slug ambayo kampeni nyingine haitumii.', text: 'Andika maandishi haya: herufi 1 hadi 200.' },
};
const LIST_COPY = {
  en: { kind: 'Petition', status: 'Open (taking signatures)', created: 'Campaign created:', saved: 'Changes saved:', copied: 'Copied', copy: 'Copy' },
  sw: { kind: 'Ombi', status: 'Wazi (inapokea sahihi)', created: 'Kampeni imeundwa:', saved: 'Mabadiliko yamehifadhiwa:', copied: 'Imenakiliwa', copy: 'Nakili' },
};

const HOSTED = {
  en: { name: 'Your name', phone: /Phone number/, county: 'County', terms: /I agree to the terms/, sign: 'Sign the petition', thanks: 'Thank you for signing' },
  sw: { name: 'Jina lako', phone: /Nambari ya simu/, county: 'Kaunti', terms: /Ninakubali masharti/, sign: 'Tia sahihi', thanks: 'Asante kwa kutia sahihi' },
};

/** The admin list, read by the page with its session cookie. */
async function adminSlugs(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const response = await fetch('/admin/campaigns', { headers: { Accept: 'application/json' } });
    return ((await response.json()) as { campaigns: { slug: string }[] }).campaigns.map((c) => c.slug);
  });
}

const MILESTONES = {
  en: { title: 'Milestones', threshold: 'Signatures', labelEn: 'What it means, in English', labelSw: 'What it means, in Kiswahili', add: 'Add the milestone', swMissing: 'Say what it means in Kiswahili', notYet: 'not yet', remove: 'Remove', removeYes: 'Yes, remove' },
  sw: { title: 'Hatua muhimu', threshold: 'Sahihi', labelEn: 'Maana yake, kwa Kiingereza', labelSw: 'Maana yake, kwa Kiswahili', add: 'Ongeza hatua muhimu', swMissing: 'Eleza maana yake kwa Kiswahili', notYet: 'bado', remove: 'Ondoa', removeYes: 'Ndiyo, ondoa' },
};

/** The page's console session cookie, for a check made outside the browser. */
async function sessionCookie(page: Page): Promise<string> {
  const cookies = await page.context().cookies();
  return cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
}

describe('the console: Campaigns', () => {
  for (const language of ['en', 'sw'] as const) {
    it(`creates a campaign in both languages, refuses bad input with field errors, edits it, previews and embeds it (${language})`, async () => {
      const copy = CAMPAIGNS_COPY[language];
      const words = LIST_COPY[language];
      const slug = `console-${language}-campaign`;
      const title = { en: `Justice for Baraka (${language})`, sw: `Haki kwa Baraka (${language})` };
      const member = await addStaff(demo, language === 'en' ? 'Njeri Mwangi' : 'Otieno Odhiambo', `campaigns-${language}@imlu.example`, 'campaigner');
      const { context, page, cspErrors } = await phone(browser, language === 'en' ? 'en-GB' : 'sw-KE');
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: demo.apiUrl });
      await signIn(demo, page, member, language);

      await openCampaigns(page, language);
      await page.locator('imlu-console-campaigns li[data-slug="justice-for-survivors"]').waitFor();
      await axe(page, `${language} list`);
      const before = await adminSlugs(page);

      // Bad input: a slug with spaces and no Kiswahili title. Field errors in the console's language, next to
      // their inputs and in the summary; nothing stored.
      await fillNewCampaign(page, language, {
        slug: 'has spaces',
        title: { en: title.en, sw: '' },
        summary: { en: 'Short', sw: 'Fupi' },
        demands: [{ en: 'Prosecute the officers', sw: 'Washtaki maafisa' }],
      });
      await axe(page, `${language} form`);
      await page.getByRole('button', { name: copy.create, exact: true }).click();
      const summary = page.locator('imlu-console-campaigns #error-summary');
      await summary.waitFor();
      expect(await summary.getByRole('heading').innerText()).toBe(copy.errors);
      expect(await page.locator('imlu-console-campaigns #slug-error').innerText()).toBe(ERRORS[language].slug);
      expect(await page.locator('imlu-console-campaigns #title-sw-error').innerText()).toBe(ERRORS[language].text);
      expect(await page.locator('imlu-console-campaigns #title-sw').getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator('imlu-console-campaigns #title-en').getAttribute('aria-invalid')).toBeNull();
      expect(await summary.locator('li').count()).toBe(2);
      await axe(page, `${language} errors`);
      expect(await adminSlugs(page)).toEqual(before);
      expect((await fetch(`${demo.apiUrl}/v1/campaigns/has-spaces`)).status).toBe(404);

      // The summary's link takes the staff member to the field; fixing both saves.
      await summary.getByRole('button', { name: new RegExp(ERRORS[language].text.slice(0, 10)) }).click();
      expect(await page.evaluate(() => document.querySelector('imlu-console')!.shadowRoot!.querySelector('imlu-console-campaigns')!.shadowRoot!.activeElement?.id)).toBe('title-sw');
      await backHome(page, language);

      // The step the lead's whole-flow test uses: open from home, fill in both languages, save, listed.
      await createCampaign(page, language, {
        slug,
        title,
        summary: { en: 'Police beat Baraka in custody. We ask for justice.', sw: 'Polisi walimpiga Baraka akiwa kizuizini. Tunadai haki.' },
        demands: [
          { en: 'Prosecute the officers', sw: 'Washtaki maafisa' },
          { en: 'Compensate the family', sw: 'Ilipe familia fidia' },
        ],
        goal: 1000,
      });
      const row = page.locator(`imlu-console-campaigns li[data-slug="${slug}"]`);
      expect(await row.getByRole('heading').innerText()).toBe(title[language]);
      expect(await row.locator('[data-field="kind"]').innerText()).toBe(words.kind);
      expect(await row.locator('[data-field="status"]').innerText()).toBe(words.status);
      expect(await row.locator('[data-field="counted"]').innerText()).toBe('0');
      expect(await page.locator('imlu-console-campaigns p[role="status"]').first().innerText()).toBe(`${words.created} ${title[language]}.`);
      await axe(page, `${language} list after create`);

      // The public API has it, in both languages, open; it takes a signature without SMS or e-mail.
      const published = (await (await fetch(`${demo.apiUrl}/v1/campaigns/${slug}`)).json()) as Record<string, unknown>;
      expect(published).toMatchObject({
        slug,
        status: 'open',
        title,
        goal: 1000,
        verification: 'none',
        demands: [{ text: { en: 'Prosecute the officers', sw: 'Washtaki maafisa' } }, { text: { en: 'Compensate the family', sw: 'Ilipe familia fidia' } }],
      });
      const signed = await fetch(`${demo.apiUrl}/v1/campaigns/${slug}/signatures`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `campaigns-${language}` },
        body: JSON.stringify({ name: 'Amina Hassan', phone: language === 'en' ? '0712 000 511' : '0712 000 522', county: 'KE-47', consent: { terms: true } }),
      });
      expect(signed.status).toBe(201);

      // Edit: the goal changes; the public API shows it, and the form shows it when opened again.
      await changeGoal(page, language, slug, 2500);
      expect(await page.locator('imlu-console-campaigns p[role="status"]').first().innerText()).toBe(`${words.saved} ${title[language]}.`);
      expect(((await (await fetch(`${demo.apiUrl}/v1/campaigns/${slug}`)).json()) as { goal: number }).goal).toBe(2500);
      await editCampaign(page, language, slug);
      expect(await page.locator('imlu-console-campaigns #goal').inputValue()).toBe('2500');
      expect(await page.locator('imlu-console-campaigns #slug').count()).toBe(0); // the slug is fixed once made

      // Milestones: a label missing in one language is refused; one below the count is reached at once.
      const ms = MILESTONES[language];
      const milestones = page.locator('imlu-console-milestones');
      await milestones.getByRole('heading', { name: ms.title, exact: true }).waitFor();
      await milestones.getByLabel(ms.threshold).fill('1');
      await milestones.getByLabel(ms.labelEn).fill('First signature');
      await milestones.getByRole('button', { name: ms.add }).click();
      await milestones.getByRole('alert').filter({ hasText: ms.swMissing }).waitFor();
      await axe(page, `${language} milestone refused`);
      expect(await milestones.locator('tr[data-threshold]').count()).toBe(0);
      await milestones.getByLabel(ms.labelSw).fill('Sahihi ya kwanza');
      await milestones.getByRole('button', { name: ms.add }).click();
      await milestones.locator('tr[data-threshold="1"]').waitFor();
      expect(await milestones.locator('tr[data-threshold="1"] td').nth(1).innerText()).not.toBe(ms.notYet); // a date
      await milestones.getByLabel(ms.threshold).fill('5000');
      await milestones.getByLabel(ms.labelEn).fill('Presented to the county assembly');
      await milestones.getByLabel(ms.labelSw).fill('Kuwasilishwa kwa bunge la kaunti');
      await milestones.getByRole('button', { name: ms.add }).click();
      await milestones.locator('tr[data-threshold="5000"]').waitFor();
      expect(await milestones.locator('tr[data-threshold="5000"] td').nth(1).innerText()).toBe(ms.notYet);
      await axe(page, `${language} milestones`);
      await milestones.getByRole('button', { name: `${ms.remove}: 5,000` }).click();
      await milestones.getByRole('button', { name: ms.removeYes }).click();
      await milestones.locator('tr[data-threshold="5000"]').waitFor({ state: 'detached' });
      const kept = (await (await fetch(`${demo.apiUrl}/admin/campaigns/${slug}/milestones`, { headers: { Cookie: await sessionCookie(page) } })).json()) as {
        milestones: { threshold: number; label: { en: string; sw: string }; reachedAt: string | null }[];
      };
      expect(kept.milestones).toEqual([expect.objectContaining({ threshold: 1, label: { en: 'First signature', sw: 'Sahihi ya kwanza' }, reachedAt: expect.any(String) })]);

      // Preview: the saved campaign's widget, in English and in Kiswahili, each in its frame.
      for (const lang of ['en', 'sw'] as const) {
        const frame = page.frameLocator(`imlu-console-campaigns iframe[data-preview="${lang}"]`);
        await frame.locator('imlu-petition').getByRole('heading', { name: title[lang] }).waitFor({ timeout: 20_000 });
      }
      expect(await page.locator('imlu-console-campaigns a[target="_blank"]').getAttribute('href')).toBe(`/c/${slug}?lang=${language}`);
      await axe(page, `${language} preview`);

      // The embed snippet, as README.md gives it, copied to the clipboard.
      const snippet = `<script type="module" src="${demo.apiUrl}/embed.js"></script>\n<imlu-petition campaign="${slug}" api="${demo.apiUrl}"></imlu-petition>`;
      expect(await page.locator('imlu-console-campaigns #snippet').innerText()).toBe(snippet);
      await page.getByRole('button', { name: words.copy, exact: true }).click();
      await page.locator('imlu-console-campaigns span[role="status"]', { hasText: words.copied }).waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(snippet);

      // The hosted page takes a signature at once, with no SMS or e-mail step; the public count moves.
      const hosted = HOSTED[language];
      await page.goto(`${demo.apiUrl}/c/${slug}?lang=${language}`);
      await page.getByRole('heading', { level: 1, name: title[language] }).waitFor();
      await page.getByLabel(hosted.name).fill('Wafula Chebukati');
      await page.getByLabel(hosted.phone).fill(language === 'en' ? '0712 000 611' : '0712 000 622');
      await page.getByLabel(hosted.county).selectOption('KE-39');
      await page.getByLabel(hosted.terms).check();
      await page.getByRole('button', { name: hosted.sign }).click();
      await page.getByRole('heading', { name: hosted.thanks }).waitFor();
      // The public counts are a snapshot refreshed in the background: wait for it rather than race it.
      await expect
        .poll(async () => ((await (await fetch(`${demo.apiUrl}/v1/campaigns/${slug}`)).json()) as { counts: { signatures: number } }).counts.signatures, { timeout: 15_000 })
        .toBe(2);

      expect(cspErrors).toEqual([]);
      await context.close();
    }, 120_000);
  }

  it('a viewer (campaigns:read) sees campaigns read-only, with no save; the API refuses their PUT with 403', async () => {
    const member = await addStaff(demo, 'Kamau Viewer', 'campaigns-viewer@imlu.example', 'viewer');
    const { context, page, cspErrors } = await phone(browser, 'sw-KE');
    await signIn(demo, page, member, 'sw');
    await openCampaigns(page, 'sw');
    expect(await page.getByRole('button', { name: CAMPAIGNS_COPY.sw.newCampaign }).count()).toBe(0);
    await axe(page, 'viewer list');
    await editCampaign(page, 'sw', 'justice-for-survivors');
    const view = page.locator('imlu-console-campaigns');
    expect(await view.locator('button[type="submit"]').count()).toBe(0);
    expect(await view.locator('#title-sw').isDisabled()).toBe(true);
    expect(await view.locator('#goal').isDisabled()).toBe(true);
    await page.locator('imlu-console-milestones').getByRole('heading', { name: MILESTONES.sw.title, exact: true }).waitFor();
    expect(await page.locator('imlu-console-milestones form').count()).toBe(0); // read, not change
    await axe(page, 'viewer form');

    const refused = await page.evaluate(async () => {
      const session = (await (await fetch('/console/api/session')).json()) as { csrfToken: string };
      const document = await (await fetch('/admin/campaigns/justice-for-survivors')).json();
      const put = await fetch('/admin/campaigns/justice-for-survivors', {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrfToken },
        body: JSON.stringify({ ...document, goal: 1 }),
      });
      const post = await fetch('/admin/campaigns', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrfToken },
        body: JSON.stringify({ ...document, slug: 'viewer-made' }),
      });
      return { put: put.status, post: post.status, type: ((await put.json()) as { type: string }).type };
    });
    expect(refused).toEqual({ put: 403, post: 403, type: 'urn:imlu:problem:forbidden' });
    expect(((await (await fetch(`${demo.apiUrl}/v1/campaigns/justice-for-survivors`)).json()) as { goal: number }).goal).not.toBe(1);
    expect(cspErrors).toEqual([]);
    await context.close();
  }, 90_000);
});
