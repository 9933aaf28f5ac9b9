/**
 * The console's "Moderation" view (issue 12) end to end against the real server in Chromium at 360 px, in
 * English and Kiswahili, axe in every state: a flood made through the public signing API is found in the
 * trending table, previewed (a dry run that changes nothing), confirmed and invalidated, after which the
 * public counts are exactly the ordinary signatures; signatures held for review are paged on the server and
 * decided with a reason; a signature is struck out of exports; the counts are checked against the
 * signatures, a drift made by hand is found and recounted. A campaigner (no `moderation` scope) neither
 * sees the view nor gets its API (403).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff, axe, phone, signIn, startConsoleDemo, stopConsoleDemo } from './console-helpers.ts';
import { invalidateFlood, signAsPartner, simulateFlood } from './console-steps/moderation.ts';
import { counts, putCampaign, queryDemoDb } from './helpers.ts';
import { type RunningDemo } from './server.ts';

const ADMIN = 'moderation-e2e-admin-token-0123456789abcdef';
const FLOOD = 12;
const HELD = 11;
let demo: RunningDemo;
let browser: Browser;

beforeAll(async () => ({ demo, browser } = await startConsoleDemo({ ADMIN_TOKEN: ADMIN })), 60_000);

afterAll(() => stopConsoleDemo(demo, browser));

const COPY = {
  en: {
    title: 'Moderation',
    back: 'Back to your views',
    next: 'Next page',
    previous: 'Previous page',
    range: (from: number, to: number, total: number) => `${from}–${to} of ${total}`,
    count: 'Count it',
    reasonMissing: 'Write a reason.',
    counted: 'Counted. The list is read again.',
    reason: 'Reason',
    strike: 'Strike out…',
    strikeConfirm: 'Strike out',
    struck: 'is struck out of exports.',
    noSuch: 'No signature has this id.',
    signatureId: 'Signature',
    selectorDomainHash: 'An e-mail domain (hash)',
    preview: 'Preview',
    previewNone: 'No signature that still counts, waits or is suspect matches.',
    badSelector: 'Check what you chose',
    check: 'Check the counts now',
    noDrift: 'No drift: every total agrees with its signatures.',
    drifts: 'totals drift from their signatures',
    fix: 'Recount these campaigns…',
    fixConfirm: 'Recount',
    fixed: 'totals were recounted.',
    noLastRun: 'No scheduled check has run yet.',
  },
  sw: {
    title: 'Udhibiti',
    back: 'Rudi kwenye sehemu zako',
    next: 'Ukurasa unaofuata',
    previous: 'Ukurasa uliotangulia',
    range: (from: number, to: number, total: number) => `${from}–${to} kati ya ${total}`,
    count: 'Ihesabiwe',
    reasonMissing: 'Andika sababu.',
    counted: 'Imehesabiwa. Orodha inasomwa upya.',
    reason: 'Sababu',
    strike: 'Ondoa…',
    strikeConfirm: 'Ondoa',
    struck: 'imeondolewa kwenye nakala za data.',
    noSuch: 'Hakuna sahihi yenye kitambulisho hiki.',
    signatureId: 'Sahihi',
    selectorDomainHash: 'Kikoa cha barua pepe (alama fiche)',
    preview: 'Hakiki',
    previewNone: 'Hakuna sahihi inayohesabiwa, inayosubiri au inayotiliwa shaka inayolingana.',
    badSelector: 'Angalia ulichochagua',
    check: 'Kagua hesabu sasa',
    noDrift: 'Hakuna tofauti: kila jumla inalingana na sahihi zake.',
    drifts: 'hazilingani na sahihi zake',
    fix: 'Hesabu upya kampeni hizi…',
    fixConfirm: 'Hesabu upya',
    fixed: 'zimehesabiwa upya.',
    noLastRun: 'Bado hakuna ukaguzi uliopangwa uliofanyika.',
  },
};

/** Text of the view's live regions (status and alert) that contain `text`, once one does. */
async function announced(page: Page, role: 'status' | 'alert', text: string): Promise<void> {
  await page.locator('imlu-console-moderation').getByRole(role).filter({ hasText: text }).first().waitFor();
}

describe('the console\'s Moderation view', () => {
  for (const language of ['en', 'sw'] as const) {
    it(`finds a flood, previews and invalidates it with exact counts; pages and decides held signatures; strikes one; reconciles (${language})`, async () => {
      const copy = COPY[language];
      const floodSlug = `flood-${language}`;
      const heldSlug = `held-${language}`;
      await putCampaign(demo, ADMIN, { slug: floodSlug, verification: 'none', title: { en: `Flood ${language}`, sw: `Mafuriko ${language}` }, summary: { en: 'S', sw: 'M' } });
      // One phone may carry one name: every further name on it is held for review at once (no confirmation).
      await putCampaign(demo, ADMIN, { slug: heldSlug, verification: 'none', phoneHousehold: 1, title: { en: `Held ${language}`, sw: `Zilizozuiliwa ${language}` }, summary: { en: 'S', sw: 'M' } });
      for (let i = 0; i <= HELD; i++) {
        const phoneNumber = language === 'en' ? '0711000111' : '0711000222';
        expect(await signAsPartner(demo, heldSlug, { name: `Jina ${i + 1} Wambui`, phone: phoneNumber })).toBe('counted');
      }
      const made = await simulateFlood(demo, floodSlug, FLOOD);
      expect(made.ordinaryCounted).toBe(made.ordinary);
      expect((await counts(demo, floodSlug)).signatures).toBe(made.ordinary + FLOOD);

      const member = await addStaff(demo, language === 'en' ? 'Njeri Mwangi' : 'Baraka Ochieng', `moderator-${language}@imlu.example`, 'moderator');
      const { context, page, cspErrors } = await phone(browser, language === 'en' ? 'en-GB' : 'sw-KE');
      await signIn(demo, page, member, language);
      const view = page.locator('imlu-console-moderation');

      // The flood: trending → preview → confirm → result, axe at each; the step drives the view.
      const result = await invalidateFlood(page, language, { slug: floodSlug, source: made.source }, (state) => axe(page, `${language} ${state}`));
      expect(result.preview).toEqual({ affected: FLOOD, counted: FLOOD, pending: 0, suspect: 0 });
      expect(result.applied).toEqual(result.preview);
      expect(result.after).toEqual({ counted: made.ordinary, pending: 0, suspect: 0 });
      // The public figure is exactly the ordinary signatures (the server may serve a counts snapshot up to a moment old).
      await expect.poll(async () => (await counts(demo, floodSlug)).signatures, { timeout: 10_000 }).toBe(made.ordinary);
      // The domain still trends (its signatures were made minutes ago), but nothing of it is left to invalidate.
      await view.locator(`tr[data-kind="domain"][data-signatures="${FLOOD}"]`).getByRole('button').click();
      await view.locator('[data-preview]').getByText(copy.previewNone).waitFor();

      // A selector the API refuses (not hex) is a problem in the staff member's words, and nothing is previewed.
      await view.getByRole('radio', { name: copy.selectorDomainHash }).check();
      await view.locator('#selector-value').fill('zzzz-not-hex');
      await view.getByRole('button', { name: copy.preview, exact: true }).click();
      await announced(page, 'alert', copy.badSelector);
      expect(await view.locator('[data-preview]').count()).toBe(0);
      await axe(page, `${language} invalidation error`);

      // Held for review: 11 on the server, 10 a page.
      await view.locator('select#campaign').selectOption(heldSlug);
      await view.getByText(copy.range(1, 10, HELD)).waitFor();
      expect(await view.locator('li[data-signature]').count()).toBe(10);
      expect(await view.locator('li[data-signature]').first().innerText()).not.toMatch(/Wambui|0711/);
      await axe(page, `${language} held page 1`);
      await view.getByRole('button', { name: copy.next, exact: true }).click();
      await view.getByText(copy.range(11, 11, HELD)).waitFor();
      expect(await view.locator('li[data-signature]').count()).toBe(1);
      await axe(page, `${language} held page 2`);
      await view.getByRole('button', { name: copy.previous, exact: true }).click();
      await view.getByText(copy.range(1, 10, HELD)).waitFor();

      // Count the first: a reason is asked for in a dialog; none given is a problem, then it counts.
      const firstHeld = (await view.locator('li[data-signature]').first().getAttribute('data-signature'))!;
      await view.locator(`li[data-signature="${firstHeld}"]`).getByRole('button').first().click();
      const dialog = view.getByRole('dialog');
      await dialog.waitFor();
      await axe(page, `${language} decide dialog`);
      await dialog.getByRole('button', { name: copy.count, exact: true }).click();
      await dialog.getByRole('alert').filter({ hasText: copy.reasonMissing }).waitFor();
      await axe(page, `${language} decide dialog, no reason`);
      await dialog.getByRole('textbox', { name: copy.reason }).fill('called back: a grandmother');
      await dialog.getByRole('button', { name: copy.count, exact: true }).click();
      await announced(page, 'status', copy.counted);
      await view.getByText(copy.range(1, 10, HELD - 1)).waitFor();
      expect(await view.locator(`li[data-signature="${firstHeld}"]`).count()).toBe(0);
      await expect.poll(async () => (await counts(demo, heldSlug)).signatures, { timeout: 10_000 }).toBe(2);

      // Strike one out of exports by its id, after a confirmation; an unknown id is a clear problem.
      const strikeId = (await view.locator('li[data-signature]').first().getAttribute('data-signature'))!;
      const strikeForm = view.locator('form').filter({ has: page.locator('#strike-id') });
      await strikeForm.getByRole('textbox', { name: copy.signatureId, exact: true }).fill(strikeId);
      await strikeForm.getByRole('textbox', { name: copy.reason }).fill('asked to be left out of the pack');
      await strikeForm.getByRole('button', { name: copy.strike }).click();
      await dialog.waitFor();
      await axe(page, `${language} strike dialog`);
      await dialog.getByRole('button', { name: copy.strikeConfirm, exact: true }).click();
      await announced(page, 'status', copy.struck);
      expect(await queryDemoDb(demo, `SELECT struck_reason FROM signatures WHERE id = '${strikeId}'`)).toEqual([{ struck_reason: 'asked to be left out of the pack' }]);
      await strikeForm.getByRole('textbox', { name: copy.signatureId, exact: true }).fill('no-such-signature');
      await strikeForm.getByRole('button', { name: copy.strike }).click();
      await dialog.getByRole('button', { name: copy.strikeConfirm, exact: true }).click();
      await announced(page, 'alert', copy.noSuch);
      await axe(page, `${language} strike error`);

      // Reconciliation: none scheduled yet in the test server; no drift; a drift made by hand is found and recounted.
      await view.getByText(copy.noLastRun).waitFor();
      await view.getByRole('button', { name: copy.check }).click();
      await announced(page, 'status', copy.noDrift);
      await queryDemoDb(demo, `UPDATE campaign_counts SET counted = counted + 5 WHERE bucket = 'total' AND campaign_id = (SELECT id FROM campaigns WHERE slug = '${heldSlug}')`);
      await view.getByRole('button', { name: copy.check }).click();
      await announced(page, 'status', copy.drifts);
      await view.locator('tr[data-drift]').first().waitFor();
      expect(await view.locator('tr[data-drift] th').first().innerText()).toBe(heldSlug);
      await axe(page, `${language} drift`);
      await view.getByRole('button', { name: copy.fix }).click();
      await dialog.waitFor();
      await axe(page, `${language} recount dialog`);
      await dialog.getByRole('button', { name: copy.fixConfirm, exact: true }).click();
      await announced(page, 'status', copy.fixed);
      expect(await view.locator('tr[data-drift]').count()).toBe(0);
      await axe(page, `${language} recounted`);

      expect(cspErrors).toEqual([]);
      await context.close();
    }, 180_000);
  }

  it('is not offered to a campaigner, whose session gets 403 from its API', async () => {
    const member = await addStaff(demo, 'Kamau Njoroge', 'campaigner-moderation@imlu.example', 'campaigner');
    const { context, page } = await phone(browser, 'en-GB');
    await signIn(demo, page, member, 'en');
    const views = await page.locator('imlu-console li[data-view]').evaluateAll((items) => items.map((item) => item.getAttribute('data-view')));
    expect(views).not.toContain('moderation');
    expect(views).toContain('numbers');
    const statuses = await page.evaluate(async () => {
      const { csrfToken } = (await (await fetch('/console/api/session')).json()) as { csrfToken: string };
      const post = (path: string, body: unknown) =>
        fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken }, body: JSON.stringify(body) }).then((r) => r.status);
      return [
        await fetch('/admin/trending').then((r) => r.status),
        await fetch('/admin/campaigns/justice-for-survivors/held').then((r) => r.status),
        await fetch('/admin/system/reconciliation').then((r) => r.status),
        await post('/admin/campaigns/justice-for-survivors/invalidations', { emailDomain: 'flood.example', dryRun: true }),
        await post('/admin/reconcile', { fix: false }),
        await post('/admin/signatures/anything/strike', { reason: 'x' }),
      ];
    });
    expect(statuses).toEqual([403, 403, 403, 403, 403, 403]);
    await context.close();
  }, 120_000);
});
