/**
 * Issue 12, the console's Duty bearers view, end to end against the real server in Chromium at 360 px, in
 * English and Kiswahili: a campaigner adds a duty bearer in a county, asks them, records their position with
 * an https evidence link, and the public board (its JSON and the rendered `<imlu-accountability>` preview)
 * shows it; an http:// evidence link is refused with a field error in the console's language and nothing is
 * stored; someone asked with a due date already past is marked overdue; a response link is shown once, copied,
 * listed without its secret, and revoked after a confirmation (the link then answers 410). axe finds nothing
 * in each state. A viewer and a moderator do not see the view, and the API refuses their changes with 403.
 */
import type { Accountability } from '@imlu/contracts';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff, axe, phone, signIn, startConsoleDemo, stopConsoleDemo } from './console-helpers.ts';
import {
  addDutyBearer,
  addDutyBearerWithPosition,
  askDutyBearer,
  dutyBearerEntry,
  DUTY_BEARERS_COPY,
  submitPosition,
} from './console-steps/duty-bearers.ts';
import { type RunningDemo } from './server.ts';

const SLUG = 'justice-for-survivors';

let demo: RunningDemo;
let browser: Browser;

beforeAll(async () => ({ demo, browser } = await startConsoleDemo()), 60_000);

afterAll(() => stopConsoleDemo(demo, browser));

async function publicBoard(): Promise<Accountability> {
  const response = await fetch(`${demo.apiUrl}/v1/campaigns/${SLUG}/accountability`, { cache: 'no-store' });
  expect(response.status).toBe(200);
  return (await response.json()) as Accountability;
}

/** A Nairobi calendar day `days` from today (negative: in the past). */
function nairobiDay(days: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Africa/Nairobi' }).format(new Date(Date.now() + days * 86_400_000));
}

/** A change through the admin API with the page's console session and its CSRF token: the answer's status and body. */
async function adminCall(page: Page, method: string, path: string, body: unknown): Promise<{ status: number; body: { errors?: { path: string }[] } }> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const session = (await (await fetch('/console/api/session')).json()) as { csrfToken: string };
      const response = await fetch(path, {
        method,
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrfToken },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json().catch(() => ({}))) as { errors?: { path: string }[] } };
    },
    { method, path, body },
  );
}

const PEOPLE = {
  en: {
    staff: 'Akinyi Odhiambo',
    target: { name: 'Inspector-General of Police (en)', office: 'Inspector-General', county: 'KE-30' },
    statement: 'We will publish the figures by March.',
    late: { name: 'Director of Public Prosecutions (en)', office: 'DPP' },
  },
  sw: {
    staff: 'Baraka Mwangi',
    target: { name: 'Governor of Mombasa County (sw)', nameSw: 'Gavana wa Kaunti ya Mombasa (sw)', office: 'Governor', officeSw: 'Gavana', county: 'KE-28' },
    statement: 'Tutachapisha takwimu kufikia Machi.',
    late: { name: 'Chief Justice (sw)', nameSw: 'Jaji Mkuu (sw)' },
  },
} as const;

describe('the console: duty bearers', () => {
  for (const language of ['en', 'sw'] as const) {
    it(`adds a duty bearer, asks them, records a position that shows on the public board; refuses http evidence; overdue; response links (${language})`, async () => {
      const copy = DUTY_BEARERS_COPY[language];
      const people = PEOPLE[language];
      const member = await addStaff(demo, people.staff, `bearers-${language}@imlu.example`, 'campaigner');
      const { context, page, cspErrors } = await phone(browser, language === 'en' ? 'en-GB' : 'sw-KE');
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: demo.apiUrl });
      await signIn(demo, page, member, language);

      const evidenceUrl = `https://example.go.ke/letters/${language}-commitment.pdf`;
      const { targetId, name } = await addDutyBearerWithPosition(page, language, {
        slug: SLUG,
        target: people.target,
        position: { stance: 'committed', statement: people.statement, evidenceUrl },
      });
      expect(name).toBe('nameSw' in people.target ? people.target.nameSw : people.target.name);
      const entry = dutyBearerEntry(page, name);
      // The county's Open Civic Data division, given by the API from the county chosen.
      await expect.poll(() => entry.locator('code').textContent()).toMatch(/^ocd-division\/country:ke\/county:/);
      await axe(page, `${language} list`);

      // The public board: the position, its statement and its evidence link.
      let board = await publicBoard();
      const onBoard = board.targets.find((t) => t.id === targetId)!;
      expect(onBoard.jurisdiction).toMatchObject({ level: 'county', county: people.target.county });
      expect(onBoard.positions.every((p) => p.status === 'committed')).toBe(true);
      expect(onBoard.positions[0]!.history).toEqual([
        expect.objectContaining({ status: 'committed', statement: people.statement, evidenceUrl, recordedBy: 'campaign' }),
      ]);

      // An http:// link: a field error in the console's language, and nothing stored.
      await submitPosition(page, language, name, { stance: 'delivered', statement: 'Done.', evidenceUrl: 'http://example.go.ke/letter.pdf' });
      await page.getByText(copy.evidenceError).waitFor();
      await page.getByRole('alert').filter({ hasText: copy.fix }).waitFor();
      const evidenceField = page.getByRole('textbox', { name: copy.evidence });
      expect(await evidenceField.getAttribute('aria-invalid')).toBe('true');
      await expect.poll(() => evidenceField.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
      await axe(page, `${language} field error`);
      board = await publicBoard();
      expect(board.targets.find((t) => t.id === targetId)!.positions[0]!.history).toHaveLength(1);
      // The API refuses it by itself too, whoever calls it.
      const refused = await adminCall(page, 'POST', `/admin/campaigns/${SLUG}/positions`, {
        targetId,
        demandIds: 'all-asked',
        status: 'delivered',
        evidenceUrl: 'http://example.go.ke/letter.pdf',
      });
      expect(refused.status).toBe(422);
      expect(refused.body.errors).toEqual([expect.objectContaining({ path: 'evidenceUrl' })]);
      expect((await publicBoard()).targets.find((t) => t.id === targetId)!.positions[0]!.history).toHaveLength(1);
      await page.getByRole('button', { name: copy.cancel }).click();

      // The add form, empty and then refused.
      await page.getByRole('button', { name: copy.add }).click();
      await page.getByRole('textbox', { name: copy.name, exact: true }).waitFor();
      await axe(page, `${language} add form`);
      await page.getByRole('textbox', { name: copy.name, exact: true }).fill('X');
      await page.getByRole('button', { name: copy.save }).click();
      await page.getByRole('alert').filter({ hasText: copy.fix }).waitFor();
      expect(await page.getByRole('textbox', { name: copy.name, exact: true }).getAttribute('aria-invalid')).toBe('true');
      await axe(page, `${language} add form, field error`);
      await page.getByRole('button', { name: copy.cancel }).click();

      // Asked ten days ago, the answer due three days ago, no answer: overdue, in the list and in its own section.
      await addDutyBearer(page, language, people.late);
      const lateName = 'nameSw' in people.late && language === 'sw' ? people.late.nameSw : people.late.name;
      await askDutyBearer(page, language, lateName, { askedOn: nairobiDay(-10), dueOn: nairobiDay(-3) });
      await dutyBearerEntry(page, lateName).getByText(copy.overdueBy(3)).waitFor();
      await page.locator('[data-list="overdue"] li').filter({ hasText: lateName }).getByText(copy.overdueBy(3)).waitFor();
      expect(board.targets.find((t) => t.id === targetId)!.overdue).toBe(false);

      // Edited: the form holds what was saved; the change shows in the list and on the board.
      await dutyBearerEntry(page, lateName).getByRole('button', { name: copy.edit, exact: true }).click();
      const office = page.getByRole('textbox', { name: copy.office, exact: true });
      expect(await page.getByRole('textbox', { name: copy.name, exact: true }).inputValue()).toBe(people.late.name);
      await office.fill('Office of the Director (edited)');
      await page.getByRole('button', { name: copy.save }).click();
      await page.getByRole('status').filter({ hasText: copy.edited(lateName) }).waitFor();
      await dutyBearerEntry(page, lateName).getByText('Office of the Director (edited)').waitFor();
      await expect
        .poll(async () => (await publicBoard()).targets.find((t) => t.name === people.late.name)?.office)
        .toBe('Office of the Director (edited)');

      // A response link: shown once, copied, then listed without its secret.
      await entry.getByRole('button', { name: copy.issue }).click();
      const linkField = page.getByRole('textbox', { name: copy.linkLabel(name) });
      await linkField.waitFor();
      const url = await linkField.inputValue();
      expect(url).toMatch(/\/r\/[\w-]{20,}$/);
      await axe(page, `${language} response link shown`);
      await page.getByRole('button', { name: copy.copy, exact: true }).click();
      await page.getByRole('status').filter({ hasText: copy.copied }).waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
      const linkPath = new URL(url).pathname;
      expect((await fetch(`${demo.apiUrl}${linkPath}`)).status).toBe(200);
      await page.getByRole('button', { name: copy.done }).click();
      await linkField.waitFor({ state: 'detached' });
      const token = linkPath.split('/').pop()!;
      expect(await page.locator('imlu-console').evaluate((el, token) => JSON.stringify(el.shadowRoot!.innerHTML).includes(token), token)).toBe(false);
      expect(await page.locator('input').evaluateAll((inputs, token) => inputs.some((i) => (i as HTMLInputElement).value.includes(token)), token)).toBe(false);

      // Revoked after a confirmation: the link then answers 410.
      const row = page.locator('tr[data-link]').filter({ hasText: name }).first();
      await row.getByRole('button', { name: copy.revoke }).click();
      const dialog = page.getByRole('dialog', { name: copy.revokeTitle });
      await dialog.waitFor();
      await axe(page, `${language} revoke confirm`);
      await dialog.getByRole('button', { name: copy.revokeConfirm }).click();
      await page.getByRole('status').filter({ hasText: copy.revoked }).waitFor();
      await row.getByText(copy.revokedState).waitFor();
      expect((await fetch(`${demo.apiUrl}${linkPath}`)).status).toBe(410);

      // The public board as readers will see it: the real widget, its history with the evidence link.
      await page.getByRole('button', { name: copy.showBoard }).click();
      const preview = page.locator('imlu-accountability');
      const card = preview.locator('[part~="target"]').filter({ hasText: name });
      await card.waitFor();
      await card.getByText(copy.history).first().click();
      const evidence = card.getByRole('link', { name: copy.evidenceLink }).first();
      await evidence.waitFor();
      expect(await evidence.getAttribute('href')).toBe(evidenceUrl);
      await axe(page, `${language} board preview`);

      expect(cspErrors).toEqual([]);
      await context.close();
    }, 120_000);
  }

  it('is not shown to a viewer or a moderator, and the API refuses their changes with 403', async () => {
    for (const role of ['viewer', 'moderator'] as const) {
      const member = await addStaff(demo, `No Board ${role}`, `bearers-${role}@imlu.example`, role);
      const { context, page } = await phone(browser, 'en-GB');
      await signIn(demo, page, member, 'en');
      await page.locator('li[data-view="numbers"]').waitFor();
      expect(await page.locator('li[data-view="duty-bearers"]').count()).toBe(0);
      expect(await page.getByRole('button', { name: DUTY_BEARERS_COPY.en.view, exact: true }).count()).toBe(0);
      const created = await adminCall(page, 'POST', '/admin/targets', { name: 'Someone', jurisdiction: { level: 'national' } });
      expect(created.status).toBe(403);
      // The scope is checked before anything else: whatever the target, the answer is 403.
      expect((await adminCall(page, 'POST', `/admin/campaigns/${SLUG}/positions`, { targetId: 'any', demandIds: 'all-asked', status: 'declined' })).status).toBe(403);
      expect((await adminCall(page, 'PUT', `/admin/campaigns/${SLUG}/asks/any`, { askedOn: nairobiDay(0) })).status).toBe(403);
      expect((await adminCall(page, 'POST', `/admin/campaigns/${SLUG}/response-links`, { targetId: 'any' })).status).toBe(403);
      await context.close();
    }
  }, 90_000);
});
