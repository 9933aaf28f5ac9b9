/**
 * Issue 12, first slice, end to end against the real server in Chromium: a staff member made with
 * `imlu staff add` signs in to /console with both factors — the link read from the e-mail the development
 * mail transport prints, the TOTP code computed here from the secret the command printed — sees who they
 * are and what they may open, and signs out; the cookie they had is then refused by the API. axe finds
 * nothing on each view (sign-in, check your e-mail, code, home) in English and in Kiswahili at 360 px, and
 * the page's CSP refuses nothing the console does.
 *
 * Secure cookies on plain http: Chromium treats http://127.0.0.1 and http://localhost as secure contexts
 * and keeps a `Secure` (and `__Host-`) cookie they set; this test runs on http://127.0.0.1 and checks that
 * the cookie is there, with its flags.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff, axe, freshCode, linkFor as linkOn, phone as phoneIn, startConsoleDemo, stopConsoleDemo } from './console-helpers.ts';
import { type RunningDemo } from './server.ts';

let demo: RunningDemo;
let browser: Browser;

beforeAll(async () => ({ demo, browser } = await startConsoleDemo()), 60_000);

afterAll(() => stopConsoleDemo(demo, browser));

const linkFor = (email: string, after: number) => linkOn(demo, email, after);
const phone = (locale: string) => phoneIn(browser, locale);

const COPY = {
  en: { audit: 'Audit log', action: 'Action', search: 'Search', partners: 'Partners', noOrigin: 'No site (hosted page, SMS, or an app)', numbers: 'Numbers', counties: 'Counties', back: 'Back to your views', signIn: 'Sign in', email: 'Work e-mail', send: 'Send me a sign-in link', sent: 'Check your e-mail', code: '6-digit code', welcome: 'Welcome', role: 'Campaigner', signOut: 'Sign out', signedOut: 'You are signed out.' },
  sw: { audit: 'Kumbukumbu za ukaguzi', action: 'Kitendo', search: 'Tafuta', partners: 'Washirika', noOrigin: 'Hakuna tovuti (ukurasa wetu, SMS au programu)', numbers: 'Takwimu', counties: 'Kaunti', back: 'Rudi kwenye sehemu zako', signIn: 'Ingia', email: 'Barua pepe ya kazi', send: 'Nitumie kiungo cha kuingia', sent: 'Angalia barua pepe yako', code: 'Msimbo wa tarakimu 6', welcome: 'Karibu', role: 'Mwanakampeni', signOut: 'Toka', signedOut: 'Umetoka.' },
};

const LINKS = {
  en: { origin: 'Partner site (origin)', give: 'Make the link', badOrigin: 'Give the site’s origin only', link: 'The partner’s link', kept: 'I have kept it', revoke: 'Revoke', revokeYes: 'Yes, revoke', revoked: 'is revoked' },
  sw: { origin: 'Tovuti ya mshirika (origin)', give: 'Tengeneza kiungo', badOrigin: 'Weka origin ya tovuti tu', link: 'Kiungo cha mshirika', kept: 'Nimeihifadhi', revoke: 'Futa', revokeYes: 'Ndiyo, futa', revoked: 'kimefutwa' },
};

/** Counted signatures of the demo campaign in a county, as the public counts show them. */
async function countedIn(county: string): Promise<number> {
  const counts = (await (await fetch(`${demo.apiUrl}/v1/campaigns/justice-for-survivors/counts`)).json()) as { byCounty: Record<string, number> };
  return counts.byCounty[county] ?? 0;
}

describe('the campaigner console', () => {
  for (const language of ['en', 'sw'] as const) {
    it(`signs a staff member in with both factors, shows the home view and signs out; the old cookie is then refused (${language})`, async () => {
      const copy = COPY[language];
      const member = await addStaff(demo, language === 'en' ? 'Achieng Otieno' : 'Wanjirũ Kamau', `staff-${language}@imlu.example`, 'campaigner');
      const { context, page, cspErrors } = await phone(language === 'en' ? 'en-GB' : 'sw-KE');

      await page.goto(`${demo.apiUrl}/console`);
      await page.getByRole('heading', { level: 1, name: copy.signIn }).waitFor();
      expect(await page.getAttribute('html', 'lang')).toBe(language); // follows the browser
      await axe(page, `${language} sign-in`);

      const before = demo.output().length;
      await page.getByRole('textbox', { name: copy.email }).fill(member.email);
      await page.getByRole('button', { name: copy.send }).click();
      await page.getByRole('heading', { level: 1, name: copy.sent }).waitFor();
      await axe(page, `${language} check your e-mail`);

      const link = await linkFor(member.email, before);
      await page.goto(link);
      await page.getByRole('textbox', { name: copy.code }).waitFor();
      expect(page.url()).toBe(`${demo.apiUrl}/console`); // the token left the address bar at once
      await axe(page, `${language} code`);

      await page.getByRole('textbox', { name: copy.code }).fill(await freshCode(member.totp, member.used));
      await page.getByRole('button', { name: copy.signIn, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: `${copy.welcome}, ${member.name}` }).waitFor();
      expect(await page.getByRole('main').innerText()).toContain(copy.role);
      const views = await page.locator('imlu-console li[data-view]').evaluateAll((items) => items.map((item) => item.getAttribute('data-view')));
      expect(views).toEqual(['campaigns', 'duty-bearers', 'numbers', 'partners', 'exports', 'audit']);
      await axe(page, `${language} home`);

      // Numbers: a signature made now shows in today's row and its county's, and in the counted total.
      const county = language === 'en' ? 'KE-28' : 'KE-01';
      const countedBefore = await countedIn(county);
      const signed = await fetch(`${demo.apiUrl}/v1/campaigns/justice-for-survivors/signatures`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `console-${language}` },
        body: JSON.stringify({ name: `Numbers ${language}`, phone: language === 'en' ? '0712 000 101' : '0712 000 202', county, consent: { terms: true } }),
      });
      expect(signed.status).toBe(201);
      await page.getByRole('button', { name: copy.numbers }).click();
      await page.getByRole('heading', { level: 1, name: copy.numbers }).waitFor();
      await page.getByRole('heading', { level: 2, name: copy.counties }).waitFor();
      const countyRow = page.locator(`imlu-console-numbers tr[data-county="${county}"] td`).first();
      expect(Number((await countyRow.innerText()).replace(/[^\d]/g, ''))).toBe(countedBefore + 1);
      expect(await page.locator('imlu-console-numbers tbody tr[data-day]').count()).toBeGreaterThanOrEqual(30);
      await axe(page, `${language} numbers`);
      await page.getByRole('button', { name: copy.back }).click();
      await page.getByRole('heading', { level: 1, name: `${copy.welcome}, ${member.name}` }).waitFor();

      // Partners: a signature from the partner site with a source reference shows under that site and source.
      const source = `newsletter-${language}`;
      const fromPartner = await fetch(`${demo.apiUrl}/v1/campaigns/justice-for-survivors/signatures`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: demo.partnerUrl, 'Idempotency-Key': `partner-${language}` },
        body: JSON.stringify({ name: `Partner ${language}`, phone: language === 'en' ? '0712 000 303' : '0712 000 404', county, source, consent: { terms: true } }),
      });
      expect(fromPartner.status).toBe(201);
      await page.getByRole('button', { name: copy.partners }).click();
      await page.getByRole('heading', { level: 1, name: copy.partners }).waitFor();
      await page.locator(`imlu-console-partners tr[data-origin="${demo.partnerUrl}"]`).waitFor();
      await page.locator(`imlu-console-partners tr[data-source="${source}"]`).waitFor();
      expect(await page.locator(`imlu-console-partners tr[data-origin=""] th`).innerText()).toBe(copy.noOrigin);
      await axe(page, `${language} partners`);

      // A read-only link for the partner: shown once, it answers that partner's figures only; revoked, it is gone.
      const links = LINKS[language];
      const partnerOrigin = new URL(demo.partnerUrl).origin;
      await page.getByRole('combobox', { name: links.origin }).fill('https://partner.example/a/path');
      await page.getByRole('button', { name: links.give }).click();
      await page.getByRole('alert').filter({ hasText: links.badOrigin }).waitFor();
      await axe(page, `${language} partner link refused`);
      await page.getByRole('combobox', { name: links.origin }).fill(partnerOrigin);
      await page.getByRole('button', { name: links.give }).click();
      const shown = page.getByRole('textbox', { name: links.link });
      await shown.waitFor();
      const partnerLink = await shown.inputValue();
      await axe(page, `${language} partner link shown`);
      const view = (await (await fetch(partnerLink)).json()) as { origin: string; stats: { origins: { origin: string | null }[] } };
      expect(view.origin).toBe(partnerOrigin);
      expect(view.stats.origins.map((o) => o.origin)).toEqual([partnerOrigin]);
      await page.getByRole('button', { name: links.kept }).click();
      expect(await page.locator('imlu-console-partners').evaluate((el) => el.shadowRoot!.innerHTML)).not.toContain(partnerLink);
      await page.getByRole('button', { name: `${links.revoke}: ${partnerOrigin}` }).first().click();
      await page.getByRole('button', { name: links.revokeYes }).click();
      await page.getByRole('status').filter({ hasText: links.revoked }).waitFor();
      expect((await fetch(partnerLink)).status).toBe(404);
      await axe(page, `${language} partner link revoked`);
      await page.getByRole('button', { name: copy.back }).click();
      await page.getByRole('heading', { level: 1, name: `${copy.welcome}, ${member.name}` }).waitFor();

      // Audit log: this member's sign-in is there by name; a search for one action shows only that action.
      await page.getByRole('button', { name: copy.audit }).click();
      await page.getByRole('heading', { level: 1, name: copy.audit }).waitFor();
      await page.locator('imlu-console-audit tr[data-action="staff.signed-in"]').first().waitFor();
      expect(await page.locator('imlu-console-audit tr[data-action="staff.signed-in"] td').first().innerText()).toBe(member.name);
      await page.getByRole('textbox', { name: copy.action }).fill('staff.added');
      await page.getByRole('button', { name: copy.search, exact: true }).click();
      await page.waitForFunction(() => {
        const rows = Array.from(document.querySelector('imlu-console')?.shadowRoot?.querySelector('imlu-console-audit')?.shadowRoot?.querySelectorAll('tr[data-action]') ?? []);
        return rows.length > 0 && rows.every((row) => row.getAttribute('data-action') === 'staff.added');
      });
      await axe(page, `${language} audit`);
      await page.getByRole('button', { name: copy.back }).click();
      await page.getByRole('heading', { level: 1, name: `${copy.welcome}, ${member.name}` }).waitFor();

      const [cookie] = (await context.cookies()).filter((c) => c.name === '__Host-imlu_console');
      expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/', domain: '127.0.0.1' });
      const stolen = { Cookie: `__Host-imlu_console=${cookie!.value}` };
      expect((await fetch(`${demo.apiUrl}/admin/campaigns`, { headers: stolen })).status).toBe(200);
      // A change with the cookie but from another site is refused, whatever it carries.
      const csrf = (await (await fetch(`${demo.apiUrl}/console/api/session`, { headers: stolen })).json()) as { csrfToken: string };
      const crossSite = await fetch(`${demo.apiUrl}/console/api/sign-out-everywhere`, {
        method: 'POST',
        headers: { ...stolen, 'X-CSRF-Token': csrf.csrfToken, Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' },
      });
      expect(crossSite.status).toBe(403);

      await page.getByRole('button', { name: copy.signOut, exact: true }).click();
      await page.getByText(copy.signedOut).waitFor();
      await page.getByRole('heading', { level: 1, name: copy.signIn }).waitFor();
      expect((await context.cookies()).filter((c) => c.name === '__Host-imlu_console')).toEqual([]);
      expect((await fetch(`${demo.apiUrl}/admin/campaigns`, { headers: stolen })).status).toBe(404);
      expect((await fetch(`${demo.apiUrl}/console/api/session`, { headers: stolen })).status).toBe(404);
      expect(cspErrors).toEqual([]);
      await context.close();
    });
  }

  it('switches language on request, whatever the browser says', async () => {
    const { context, page } = await phone('en-GB');
    await page.goto(`${demo.apiUrl}/console`);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.getByRole('button', { name: 'Kiswahili' }).click();
    await page.getByRole('heading', { level: 1, name: 'Ingia' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('sw');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Ingia' }).waitFor();
    await context.close();
  });

  it('serves the page with a strict CSP', async () => {
    const response = await fetch(`${demo.apiUrl}/console`);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('content-security-policy')).not.toContain('unsafe');
    expect(demo.output()).toContain(`Campaigner console      ${demo.apiUrl}/console`);
  });
});
