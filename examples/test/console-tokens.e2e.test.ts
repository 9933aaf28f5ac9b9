/**
 * Issue 12, "tokens": in Chromium against the real server, an administrator creates an API token with the
 * scopes they choose (its value shown once, copied), the token then works on the admin API, and after
 * revoking it (confirmed first) it does not; they add a campaign webhook (its secret shown once) and remove it.
 * An empty form and an http:// address to a public host get field errors in the page's language and store
 * nothing. axe finds nothing in each state, in English and Kiswahili at 360 px. A campaigner (no
 * `tokens:admin`, no `webhooks:write`) is not offered the view and the API refuses them.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff, axe, phone, signIn, startConsoleDemo, stopConsoleDemo } from './console-helpers.ts';
import { type RunningDemo } from './server.ts';

let demo: RunningDemo;
let browser: Browser;

beforeAll(async () => ({ demo, browser } = await startConsoleDemo()), 60_000);

afterAll(() => stopConsoleDemo(demo, browser));

const COPY = {
  en: {
    view: 'API tokens and webhooks',
    name: 'Name',
    create: 'Create token',
    fix: 'Please correct:',
    required: 'This field is required.',
    chooseScope: 'Choose at least one scope, among those you hold.',
    read: 'Read campaigns and figures',
    token: 'The new token',
    secret: 'The webhook’s signing secret',
    copy: 'Copy',
    copied: 'Copied.',
    kept: 'I have kept it',
    revoke: 'Revoke',
    revokeYes: 'Yes, revoke',
    url: 'Address (URL)',
    add: 'Add webhook',
    badUrl: 'Give an https:// address of a public server.',
    flood: 'A flood of signatures is detected',
    remove: 'Remove',
    removeYes: 'Yes, remove',
    removed: 'The webhook is removed.',
    none: 'This campaign has no webhooks.',
  },
  sw: {
    view: 'Tokeni za API na webhooks',
    name: 'Jina',
    create: 'Unda tokeni',
    fix: 'Tafadhali sahihisha:',
    required: 'Sehemu hii ni lazima ijazwe.',
    chooseScope: 'Chagua angalau ruhusa moja, kati ya zile ulizo nazo.',
    read: 'Kusoma kampeni na takwimu',
    token: 'Tokeni mpya',
    secret: 'Siri ya kutia sahihi ya webhook',
    copy: 'Nakili',
    copied: 'Imenakiliwa.',
    kept: 'Nimeihifadhi',
    revoke: 'Futa',
    revokeYes: 'Ndiyo, futa',
    url: 'Anwani (URL)',
    add: 'Ongeza webhook',
    badUrl: 'Weka anwani ya https:// ya seva ya umma.',
    flood: 'Wimbi la sahihi limegunduliwa',
    remove: 'Ondoa',
    removeYes: 'Ndiyo, ondoa',
    removed: 'Webhook imeondolewa.',
    none: 'Kampeni hii haina webhooks.',
  },
};

async function campaignsWith(token: string): Promise<number> {
  return (await fetch(`${demo.apiUrl}/admin/campaigns`, { headers: { Authorization: `Bearer ${token}` } })).status;
}

/** The status of an admin call made by the page itself, with its session cookie. */
function statusInPage(page: Page, path: string): Promise<number> {
  return page.evaluate(async (p) => (await fetch(p, { credentials: 'same-origin' })).status, path);
}

describe('the console’s API tokens and webhooks view', () => {
  for (const language of ['en', 'sw'] as const) {
    it(`creates, uses and revokes a token, and adds and removes a webhook (${language})`, async () => {
      const copy = COPY[language];
      const member = await addStaff(demo, language === 'en' ? 'Otieno Admin' : 'Mwangi Msimamizi', `tokens-${language}@imlu.example`, 'admin');
      const { context, page, cspErrors } = await phone(browser, language === 'en' ? 'en-GB' : 'sw-KE');
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: demo.apiUrl });
      await page.goto(`${demo.apiUrl}/console`);
      await signIn(demo, page, member, language);

      await page.locator('imlu-console li[data-view="tokens"] button').click();
      await page.getByRole('heading', { level: 1, name: copy.view }).waitFor();
      await page.getByRole('heading', { level: 2, name: language === 'en' ? 'API tokens' : 'Tokeni za API' }).waitFor();
      await axe(page, `${language} tokens view`);

      // An empty form: both fields named in the summary, nothing made.
      const tokensBefore = await page.locator('imlu-console-tokens tr[data-token]').count();
      await page.getByRole('button', { name: copy.create }).click();
      const summary = page.getByRole('alert').filter({ hasText: copy.fix });
      await summary.waitFor();
      expect(await summary.innerText()).toContain(`${copy.name}: ${copy.required}`);
      expect(await summary.innerText()).toContain(copy.chooseScope);
      await axe(page, `${language} token form errors`);
      expect(await page.locator('imlu-console-tokens tr[data-token]').count()).toBe(tokensBefore);

      // A token that reads campaigns: shown once, copied, and it works.
      const tokenName = `Coalition CRM ${language}`;
      await page.getByRole('textbox', { name: copy.name, exact: true }).fill(tokenName);
      await page.getByRole('checkbox', { name: new RegExp(copy.read) }).check();
      await page.getByRole('button', { name: copy.create }).click();
      const shown = page.getByRole('textbox', { name: copy.token });
      await shown.waitFor();
      const token = await shown.inputValue();
      expect(token).toMatch(/^imlu_at_/);
      await page.getByRole('button', { name: copy.copy, exact: true }).click();
      await page.getByRole('status').filter({ hasText: copy.copied }).waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
      await axe(page, `${language} token shown once`);
      await page.getByRole('button', { name: copy.kept }).click();
      expect(await page.getByRole('textbox', { name: copy.token }).count()).toBe(0);
      expect(await page.locator('imlu-console-tokens').innerText()).not.toContain(token);
      expect(await campaignsWith(token)).toBe(200);

      // Revoked after a confirmation: it stops working at once.
      await page.getByRole('button', { name: `${copy.revoke}: ${tokenName}` }).click();
      await page.getByRole('button', { name: copy.revokeYes }).waitFor();
      await axe(page, `${language} revoke confirmation`);
      expect(await campaignsWith(token)).toBe(200); // not yet: only asked
      await page.getByRole('button', { name: copy.revokeYes }).click();
      await page.getByRole('button', { name: `${copy.revoke}: ${tokenName}` }).waitFor({ state: 'detached' });
      expect(await campaignsWith(token)).toBe(404);

      // Webhooks: an http:// address to a public host is refused with a field error and nothing stored.
      await page.getByRole('heading', { level: 2, name: 'Webhooks' }).waitFor();
      const webhooks = () => page.locator('imlu-console-tokens tr[data-webhook]').count();
      const before = await webhooks();
      await page.getByRole('textbox', { name: copy.url }).fill('http://partner.example.org/hook');
      await page.getByRole('button', { name: copy.add }).click();
      await page.getByRole('alert').filter({ hasText: copy.badUrl }).waitFor();
      await axe(page, `${language} webhook field error`);
      expect(await webhooks()).toBe(before);

      // A loopback receiver (http is allowed for localhost only), also told of floods.
      const hook = `http://127.0.0.1:9/hooks/${language}`;
      await page.getByRole('textbox', { name: copy.url }).fill(hook);
      await page.getByRole('checkbox', { name: copy.flood }).check();
      await page.getByRole('button', { name: copy.add }).click();
      const secret = page.getByRole('textbox', { name: copy.secret });
      await secret.waitFor();
      expect(await secret.inputValue()).toMatch(/^whsec_/);
      await page.locator(`imlu-console-tokens tr[data-webhook]`).filter({ hasText: hook }).waitFor();
      expect(await webhooks()).toBe(before + 1);
      await axe(page, `${language} webhook added`);
      await page.getByRole('button', { name: copy.kept }).click();

      await page.getByRole('button', { name: `${copy.remove}: ${hook}` }).click();
      await page.getByRole('button', { name: copy.removeYes }).click();
      await page.getByRole('status').filter({ hasText: copy.removed }).waitFor();
      expect(await webhooks()).toBe(before);
      await axe(page, `${language} webhook removed`);

      expect(cspErrors).toEqual([]);
      await context.close();
    });
  }

  it('is not offered to a campaigner, and its API refuses them', async () => {
    const member = await addStaff(demo, 'Njeri Campaigner', 'tokens-campaigner@imlu.example', 'campaigner');
    const { context, page } = await phone(browser, 'en-GB');
    await page.goto(`${demo.apiUrl}/console`);
    await signIn(demo, page, member, 'en');
    expect(await page.locator('imlu-console li[data-view="tokens"]').count()).toBe(0);
    expect(await statusInPage(page, '/admin/tokens')).toBe(403);
    expect(await statusInPage(page, '/admin/campaigns/justice-for-survivors/webhooks')).toBe(403);
    await context.close();
  });
});
