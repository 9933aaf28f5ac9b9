/**
 * Issue 14, the accountability board and the response page in Kiswahili, against the real demo server in
 * Chromium: examples/accountability with `?lang=sw` and a duty bearer's response page in Kiswahili show no
 * English (the demo's duty bearers have Kiswahili names, offices, institutions and statements) and no axe
 * violation; a duty bearer opens its link, is refused an `http://` evidence link, records its position
 * with an `https://` one and sees the thank-you page, all in Kiswahili.
 *
 * "No English" is checked against the English the same pages show: each page is rendered in English first,
 * its visible text cut into pieces (at " · "), and no piece of four letters or more may appear in the
 * Kiswahili page, except the names of the two languages in the language switches. The English fields of
 * the demo's duty bearers are added from the API's record, so an untranslated name fails even if the
 * English page happened not to show it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Accountability } from '@imlu/contracts';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryDemoDb, SLUG } from './helpers.ts';
import { launchChromium, startDemo, type RunningDemo } from './server.ts';

const ADMIN = 'e2e-admin-token-sw-board-0123456789abcdef';
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** Shown as themselves in either language: the other language's name in a language switch. */
const SAME_IN_BOTH = new Set(['English', 'Kiswahili']);

let demo: RunningDemo;
let browser: Browser;
// The response page's CSP allows no script at all, so axe can only be added with the page's CSP bypassed.
let context: BrowserContext;
let board: Accountability;

/**
 * Every visible text of the page in `lang` (by its closest `lang` attribute, which the element sets on its
 * root and on a statement in the other language), shadow roots included, plus the title and the
 * accessible-name attributes. Without `lang`, every visible text.
 */
function collectTexts(lang?: string): string[] {
  const found: string[] = [document.title];
  const inLang = (element: Element) => !lang || element.closest('[lang]')?.getAttribute('lang') === lang;
  const visit = (root: Document | ShadowRoot | Element) => {
    for (const node of Array.from(root.childNodes)) {
      if (node.nodeType === Node.TEXT_NODE) {
        const parent = node.parentElement;
        const shown = parent && (parent.tagName === 'OPTION' || parent.checkVisibility({ visibilityProperty: true }));
        if (shown && inLang(parent) && parent.tagName !== 'STYLE' && parent.tagName !== 'SCRIPT') found.push(node.textContent ?? '');
      } else if (node instanceof Element) {
        for (const name of ['aria-label', 'aria-description', 'title', 'alt', 'placeholder']) {
          const value = node.getAttribute(name);
          if (value && inLang(node)) found.push(value);
        }
        if (node.shadowRoot) visit(node.shadowRoot);
        visit(node);
      }
    }
  };
  visit(document);
  return found;
}

const pieces = (texts: string[]) =>
  texts
    .flatMap((text) => text.split(/\s+·\s+/))
    .map((text) => text.replace(/\s+/g, ' ').trim())
    .filter((text) => /[A-Za-z]{4}/.test(text) && !SAME_IN_BOTH.has(text));

async function textsOf(page: Page, lang?: string): Promise<string[]> {
  return pieces(await page.evaluate(collectTexts, lang));
}

function expectNoEnglish(swTexts: string[], english: Iterable<string>, where: string): void {
  const englishPieces = [...new Set(english)];
  for (const text of swTexts) {
    for (const piece of englishPieces) expect(text, `${where}: "${text}" contains the English "${piece}"`).not.toContain(piece);
  }
}

async function expectNoAxeViolation(page: Page, where: string): Promise<void> {
  await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: () => Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe;
    return (await axe.run()).violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  });
  expect(violations, where).toEqual([]);
}

/** The English fields of the demo's duty bearers where a Kiswahili one is given and differs. */
function englishOfBoard(record: Accountability): string[] {
  const out: string[] = [];
  const add = (en: string | null, sw: string | null) => {
    if (en && sw && en !== sw) out.push(...pieces([en]));
  };
  for (const target of record.targets) {
    add(target.name, target.nameSw);
    add(target.office, target.officeSw);
    add(target.institution, target.institutionSw);
    for (const position of target.positions) for (const entry of position.history) add(entry.statement, entry.statementSw);
  }
  return out;
}

async function admin(path: string, body: unknown): Promise<Response> {
  return fetch(`${demo.apiUrl}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function responseLink(targetName: string): Promise<string> {
  const target = board.targets.find((t) => t.name === targetName)!;
  const response = await admin(`/admin/campaigns/${SLUG}/response-links`, { targetId: target.id });
  expect(response.status).toBe(201);
  return ((await response.json()) as { url: string }).url;
}

async function openBoard(lang: 'en' | 'sw'): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${demo.partnerUrl}/accountability/?lang=${lang}`);
  const element = page.locator('imlu-accountability');
  await element.locator('[part="summary"]').waitFor();
  // Every history open, so that the statements are read too.
  for (const summary of await element.locator('details > summary').all()) await summary.click();
  await expect.poll(() => element.locator('details time').count()).toBe(await element.locator('details li').count());
  return page;
}

beforeAll(async () => {
  demo = await startDemo({ ADMIN_TOKEN: ADMIN });
  browser = await launchChromium();
  context = await browser.newContext({ bypassCSP: true, colorScheme: 'light' });
  board = (await (await fetch(`${demo.apiUrl}/v1/campaigns/${SLUG}/accountability`)).json()) as Accountability;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

describe('the response page in Kiswahili', () => {
  it('shows the demand numbered as on the board and the overdue note; refuses http://; records with https://; thanks — no English, no axe violation', async () => {
    // The English this page can show: an English page of the same kind, answered by another duty bearer.
    const enUrl = await responseLink('Attorney-General');
    const en = await context.newPage();
    await en.goto(`${enUrl}?lang=en`);
    const english = await textsOf(en, 'en');
    await en.getByRole('radio', { name: 'We acknowledge this demand' }).first().check();
    await en.getByRole('textbox', { name: /Link to evidence/ }).fill('http://example.org/letter.pdf');
    await en.getByRole('button', { name: 'Publish our response' }).click();
    await en.getByRole('alert').first().waitFor();
    english.push(...(await textsOf(en, 'en')));
    await en.getByRole('textbox', { name: /Link to evidence/ }).fill('https://example.org/letter.pdf');
    await en.getByRole('button', { name: 'Publish our response' }).click();
    await en.getByRole('heading', { name: /Thank you/ }).waitFor();
    english.push(...(await textsOf(en, 'en')));
    english.push(...englishOfBoard(board));
    await en.close();

    const county = board.targets.find((t) => t.name === 'Nairobi City County Government')!;
    expect(county).toMatchObject({ overdue: true, nameSw: 'Serikali ya Kaunti ya Jiji la Nairobi' });
    const demand = board.demands.find((d) => d.id === county.positions.find((p) => p.status === 'asked')!.demandId)!;
    const page = await context.newPage();
    await page.goto(`${await responseLink(county.name)}?lang=sw`);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('sw');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Jibu lako');
    await expect(page.locator('body').textContent()).resolves.toContain('Serikali ya Kaunti ya Jiji la Nairobi');
    // The demand is numbered as on the board, not "1." because it is the only one asked here.
    await expect(page.locator('legend').allTextContents()).resolves.toEqual([`${demand.position}. ${demand.text.sw}`]);
    expect(demand.position).toBe(3);
    await expect(page.locator('body').textContent()).resolves.toContain(`Jibu hili limechelewa kwa siku ${county.daysOverdue}: liliombwa kufikia `);
    expectNoEnglish(await textsOf(page), english, 'response page');
    await expectNoAxeViolation(page, 'response page');

    await page.getByRole('radio', { name: 'Tunaahidi kutekeleza dai hili' }).check();
    await page.getByRole('textbox', { name: /^Taarifa/ }).fill('Kaunti itaanzisha dawati la kusaidia manusura katika kila hospitali ya kaunti.');
    await page.getByRole('textbox', { name: /^Kiungo cha ushahidi/ }).fill('http://example.org/barua.pdf');
    await page.getByRole('button', { name: 'Chapisha jibu letu' }).click();
    const evidence = page.getByRole('textbox', { name: /^Kiungo cha ushahidi/ });
    await expect(evidence.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('#e-evidence').textContent()).resolves.toBe('Weka anwani ya tovuti inayoanza na https:// (viungo vya http:// havikubaliwi).');
    await expect(page.getByRole('textbox', { name: /^Taarifa/ }).inputValue()).resolves.toContain('dawati la kusaidia manusura');
    const stored = await queryDemoDb(demo, `SELECT COUNT(*) AS n FROM position_entries WHERE target_id = '${county.id}'`);
    expect(Number(stored[0]!.n)).toBe(0);
    expectNoEnglish(await textsOf(page), english, 'response page with an error');
    await expectNoAxeViolation(page, 'response page with an error');

    await evidence.fill('https://example.org/barua.pdf');
    await page.getByRole('button', { name: 'Chapisha jibu letu' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Asante: jibu lako limerekodiwa');
    await expect(page.getByRole('listitem').allTextContents()).resolves.toEqual([`${demand.position}. ${demand.text.sw}Msimamo wa sasa: Ameahidi`]);
    expectNoEnglish(await textsOf(page), english, 'thank-you page');
    await expectNoAxeViolation(page, 'thank-you page');
    await page.close();

    // Stored in the Kiswahili field, as typed, with the https link.
    const rows = await queryDemoDb(demo, `SELECT statement, statement_sw, evidence_url FROM position_entries WHERE target_id = '${county.id}'`);
    expect(rows).toEqual([
      {
        statement: null,
        statement_sw: 'Kaunti itaanzisha dawati la kusaidia manusura katika kila hospitali ya kaunti.',
        evidence_url: 'https://example.org/barua.pdf',
      },
    ]);
    const after = (await (await fetch(`${demo.apiUrl}/v1/campaigns/${SLUG}/accountability`)).json()) as Accountability;
    expect(after.targets.find((t) => t.id === county.id)!.positions.find((p) => p.demandId === demand.id)!.history).toEqual([
      expect.objectContaining({ status: 'committed', statement: null, statementSw: rows[0]!.statement_sw, recordedBy: 'duty_bearer' }),
    ]);
  });
});

describe('examples/accountability with ?lang=sw', () => {
  it('shows the page and the board in Kiswahili — headings, duty bearers and statements — with no English and no axe violation', async () => {
    board = (await (await fetch(`${demo.apiUrl}/v1/campaigns/${SLUG}/accountability`)).json()) as Accountability;
    const en = await openBoard('en');
    const english = [...(await textsOf(en, 'en')), ...englishOfBoard(board)];
    await en.close();

    const page = await openBoard('sw');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('sw');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Haki kwa manusura: msimamo wa wenye wajibu');
    await expect(page.getByRole('combobox', { name: 'Lugha' }).inputValue()).resolves.toBe('sw');
    const element = page.locator('imlu-accountability');
    await expect(element.locator('[part~="target"] h3').allTextContents()).resolves.toEqual(board.targets.map((t) => t.nameSw));
    await expect(element.locator('[part~="target"] .muted').first().textContent()).resolves.toBe(
      'Inspekta Jenerali wa Polisi · Huduma ya Taifa ya Polisi · Kitaifa',
    );
    const statements = board.targets.flatMap((t) => t.positions.flatMap((p) => p.history.map((h) => h.statementSw).filter(Boolean)));
    expect(statements.length).toBeGreaterThan(5);
    await expect(element.locator('details q').allTextContents()).resolves.toEqual(expect.arrayContaining(statements));
    expectNoEnglish(await textsOf(page), english, 'accountability page');
    await expectNoAxeViolation(page, 'accountability page');

    // The page's own switch takes it back to English, and the address follows.
    await page.getByRole('combobox', { name: 'Lugha' }).selectOption('en');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Justice for survivors: where the duty bearers stand');
    expect(new URL(page.url()).searchParams.get('lang')).toBe('en');
    await page.close();
  });
});
