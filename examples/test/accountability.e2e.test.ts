/**
 * examples/accountability in headless Chromium with the real widget bundle: the summary, the duty bearers
 * and their worded badges, the filter, the history with its evidence link, the page's language switch, and
 * the minute-by-minute refresh as real HTTP — the browser revalidates with the ETag and gets a 304.
 *
 * The API's accountability endpoint (issue 5) is being built in parallel, so this test serves the page,
 * dist/embed.js and a fixture record from two small servers of its own: a partner origin and an API
 * origin, so that the request is cross-origin as on a real partner site, and lets the test change the
 * record and the clock at will. The last block runs the page against the real demo server (`startDemo()`:
 * the API with its seeded board of seven duty bearers, and the demo partner site).
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Accountability } from '@imlu/contracts';
import { accountabilityRecord } from './accountability-fixture.ts';
import { freePort, launchChromium, repoRoot, startDemo, type RunningDemo } from './server.ts';

const SLUG = 'justice-for-survivors';
const embedPath = join(repoRoot, 'packages/widget/dist/embed.js');
const chunksDir = join(repoRoot, 'packages/widget/dist/chunks');
const exampleDir = join(repoRoot, 'examples/accountability');

let record: Accountability = accountabilityRecord;
let version = 1;
const apiRequests: { method: string; url: string; headers: IncomingHttpHeaders; status: number }[] = [];
/** Paths the page asked the partner origin for (the page, embed.js and its lazily loaded chunks). */
const partnerRequests: string[] = [];
let servers: Server[] = [];
let partnerUrl = '';
let apiUrl = '';
let browser: Browser;
let page: Page;

function listen(server: Server, port: number): Promise<void> {
  servers.push(server);
  return new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
}

/** The API: the accountability record with an ETag, 304 when the browser's copy is current. */
function apiServer(): Server {
  return createServer((req, res) => {
    const etag = `"v${version}"`;
    const log = (status: number) => apiRequests.push({ method: req.method!, url: req.url!, headers: req.headers, status });
    res.setHeader('Access-Control-Allow-Origin', partnerUrl);
    res.setHeader('Vary', 'Origin');
    if (req.method !== 'GET' || req.url !== `/v1/campaigns/${SLUG}/accountability`) {
      log(404);
      res.writeHead(404, { 'Content-Type': 'application/problem+json' });
      res.end(JSON.stringify({ type: 'urn:imlu:problem:not-found', title: 'Not found', status: 404 }));
      return;
    }
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', 'public, max-age=30, stale-while-revalidate=60');
    if (req.headers['if-none-match'] === etag) {
      log(304);
      res.writeHead(304).end();
      return;
    }
    log(200);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(record));
  });
}

/** The partner site: the example's files, with the API origin filled in as the demo server does. */
function partnerServer(): Server {
  const types: Record<string, string> = { html: 'text/html', css: 'text/css', js: 'text/javascript' };
  return createServer((req, res) => {
    const path = new URL(req.url!, partnerUrl).pathname;
    partnerRequests.push(path);
    // embed.js imports its chunks relative to its own URL, as from the API or the demo partner site.
    const file =
      path === '/embed.js'
        ? embedPath
        : path.startsWith('/chunks/')
          ? join(chunksDir, path.slice('/chunks/'.length))
          : join(exampleDir, path.endsWith('/') ? 'index.html' : path.slice(1));
    const ext = file.split('.').pop()!;
    if (!file.startsWith(exampleDir) && !file.startsWith(`${chunksDir}/`) && file !== embedPath) return void res.writeHead(404).end();
    try {
      const body = readFileSync(file, 'utf8').replaceAll('http://localhost:8787/embed.js', `${partnerUrl}/embed.js`);
      res.writeHead(200, { 'Content-Type': `${types[ext] ?? 'text/plain'}; charset=utf-8` });
      res.end(body.replaceAll('http://localhost:8787', apiUrl));
    } catch {
      res.writeHead(404).end();
    }
  });
}

const element = () => page.locator('imlu-accountability');
const summary = () => element().locator('[part="summary"]');

beforeAll(async () => {
  const [partnerPort, apiPort] = [await freePort(), await freePort()];
  partnerUrl = `http://127.0.0.1:${partnerPort}`;
  apiUrl = `http://127.0.0.1:${apiPort}`;
  await listen(partnerServer(), partnerPort);
  await listen(apiServer(), apiPort);
  browser = await launchChromium();
  page = await browser.newPage({ colorScheme: 'light' });
  // Minutes pass on demand: the element refreshes every 60 s.
  await page.clock.install();
  await page.goto(`${partnerUrl}/`);
  await summary().waitFor();
  // Nothing but the page, its own files, embed.js and the board's code (its chunk and the common one)
  // before the reader touches anything: not the history chunk, nor any other element's.
  expect(
    partnerRequests.filter((path) => path.startsWith('/chunks/')).map((path) => /^\/chunks\/(core|imlu-\w+|signing|history)-/.exec(path)?.[1] ?? path).sort(),
  ).toEqual(['core', 'imlu-accountability']);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  servers = [];
});

describe('examples/accountability', () => {
  it('shows the summary counters and every duty bearer with worded badges and overdue days', async () => {
    await expect(summary().textContent()).resolves.toMatch(/^\s*2 of 3 committed · 1 delivered · 1 overdue\s*$/);
    await expect(element().getByRole('heading', { level: 3 }).allTextContents()).resolves.toEqual([
      'Wanjiku Mwangi',
      'Amina Otieno',
      'Kiprono Chebet',
      'Milestones',
    ]);
    const governor = element().getByRole('listitem').filter({ hasText: 'Amina Otieno' });
    await expect(governor.locator('.muted').first().textContent()).resolves.toContain('Governor · Nairobi County');
    await expect(governor.locator('[part~="badge"]').first().textContent()).resolves.toBe('Overdue by 12 days');
    // The partner's token and part reach inside.
    const badge = element().locator('[part~="badge"].committed').first();
    expect(await badge.evaluate((el) => [getComputedStyle(el).color, getComputedStyle(el).borderTopLeftRadius])).toEqual([
      'rgb(11, 94, 99)',
      '0px',
    ]);
  });

  it('filters by status and says how many it shows', async () => {
    const filter = element().getByRole('combobox', { name: 'Show' });
    await filter.selectOption({ label: 'Overdue' });
    const targets = element().locator('[part~="target"]');
    await expect(targets.count()).resolves.toBe(1);
    await expect(element().getByRole('status').last().textContent()).resolves.toBe('Showing 1 of 3 duty bearers');
    await filter.selectOption({ label: 'All duty bearers' });
    await expect(targets.count()).resolves.toBe(3);
  });

  it('opens the dated history, loaded once by its own chunk; evidence opens safely and only for http(s) links', async () => {
    // (The chunk may already be on its way: choosing a filter above focused the element.)
    const first = element().locator('[part~="target"]').first();
    await first.getByText('History').click();
    const evidence = first.getByRole('link', { name: 'Evidence' });
    await expect(evidence.getAttribute('href')).resolves.toBe('https://example.org/barua.pdf');
    await expect(evidence.getAttribute('rel')).resolves.toBe('noopener noreferrer nofollow');
    await expect(evidence.getAttribute('target')).resolves.toBe('_blank');
    await expect(first.locator('time').first().textContent()).resolves.toBe('1 February 2025');
    await expect(first.locator('details').textContent()).resolves.toContain('(Self-reported)');

    const governor = element().locator('[part~="target"]').nth(1);
    await governor.getByText('History').click();
    await governor.locator('time').first().waitFor();
    await expect(governor.getByRole('link').count()).resolves.toBe(0);
    expect(partnerRequests.filter((path) => path.startsWith('/chunks/history-'))).toEqual([expect.stringMatching(/^\/chunks\/history-[\w-]+\.js$/)]);
  });

  it('refreshes each minute by revalidating with the ETag: a 304 while unchanged, the new record after', async () => {
    await page.evaluate(() => (document.cookie = 'partner-session=secret; path=/'));
    const before = apiRequests.length;
    await page.clock.runFor(60_000);
    await expect.poll(() => apiRequests.length).toBe(before + 1);
    const revalidation = apiRequests.at(-1)!;
    expect(revalidation.headers['if-none-match']).toBe('"v1"');
    expect(revalidation.status).toBe(304);
    await expect(summary().textContent()).resolves.toMatch(/2 of 3 committed/);

    record = { ...accountabilityRecord, summary: { ...accountabilityRecord.summary, delivered: 2 } };
    version = 2;
    // The element re-arms its timer only once it has handled the 304, which the server has sent before the
    // browser handled it: a minute is counted from then. Nothing is asked for well within the minute, and the
    // next request comes at its end (the clock moves on in steps until it does).
    await page.clock.runFor(50_000);
    expect(apiRequests.length).toBe(before + 1);
    await expect
      .poll(async () => {
        await page.clock.runFor(5_000);
        return apiRequests.length;
      }, { timeout: 30_000 })
      .toBe(before + 2);
    expect(apiRequests.at(-1)!.status).toBe(200);
    await expect.poll(() => summary().textContent()).toMatch(/2 delivered/);

    // Only ever this one GET, without cookies, credentials or anything personal.
    for (const request of apiRequests) {
      expect(request.method).toBe('GET');
      expect(request.url).toBe(`/v1/campaigns/${SLUG}/accountability`);
      expect(request.headers.cookie).toBeUndefined();
      expect(request.headers.authorization).toBeUndefined();
    }
  });

  it('follows the page language switch into Kiswahili', async () => {
    await page.getByRole('combobox', { name: 'Language' }).selectOption('sw');
    await expect.poll(() => summary().textContent()).toMatch(/^\s*Wameahidi: 2 kati ya 3 · Wametekeleza: 2 · Wamechelewa: 1\s*$/);
    const governor = element().locator('[part~="target"]').nth(1);
    await expect(governor.locator('[part~="badge"]').first().textContent()).resolves.toBe('Muda umepita kwa siku 12');
    await expect(governor.locator('.muted').first().textContent()).resolves.toContain('Kaunti ya Nairobi');
    await expect(element().getByRole('combobox', { name: 'Onyesha' }).isVisible()).resolves.toBe(true);
  });
});

describe('examples/accountability against the real API (the demo server and its seeded board)', () => {
  let demo: RunningDemo;
  let demoPage: Page;
  let board: Accountability;
  const demoElement = () => demoPage.locator('imlu-accountability');

  beforeAll(async () => {
    demo = await startDemo();
    board = (await (await fetch(`${demo.apiUrl}/v1/campaigns/${SLUG}/accountability`)).json()) as Accountability;
    demoPage = await browser.newPage({ colorScheme: 'light' });
    await demoPage.goto(`${demo.partnerUrl}/accountability/`);
    await demoElement().locator('[part="summary"]').waitFor();
  }, 60_000);

  afterAll(async () => {
    await demoPage?.close();
    await demo?.stop();
  });

  it('shows the API’s summary and every seeded duty bearer, in the order the API gives', async () => {
    expect(board.targets.length).toBe(7);
    const { committed, targets, delivered, overdue } = board.summary;
    await expect(demoElement().locator('[part="summary"]').textContent()).resolves.toMatch(
      new RegExp(`^\\s*${committed} of ${targets} committed · ${delivered} delivered · ${overdue} overdue\\s*$`),
    );
    await expect(demoElement().locator('[part~="target"] h3').allTextContents()).resolves.toEqual(board.targets.map((target) => target.name));
    await expect(demoElement().locator('[part~="target"] > ul [part~="badge"]').count()).resolves.toBe(
      board.targets.reduce((sum, target) => sum + target.positions.length, 0),
    );
  });

  it('opens a history with every dated entry the API recorded, loaded by its chunk from the demo site', async () => {
    const index = board.targets.findIndex((target) => target.positions.some((position) => position.history.length));
    const target = demoElement().locator('[part~="target"]').nth(index);
    await target.getByText('History').click();
    await target.locator('details time').first().waitFor();
    const entries = board.targets[index]!.positions.reduce((sum, position) => sum + position.history.length, 0);
    await expect(target.locator('details li').count()).resolves.toBe(entries);
  });

  it('filters the real board and follows the page into Kiswahili', async () => {
    const overdue = board.targets.filter((target) => target.overdue).length;
    await demoElement().getByRole('combobox', { name: 'Show' }).selectOption('overdue');
    await expect(demoElement().locator('[part~="target"]').count()).resolves.toBe(overdue);
    await demoPage.getByRole('combobox', { name: 'Language' }).selectOption('sw');
    await expect.poll(() => demoElement().locator('[part="summary"]').textContent()).toMatch(/^\s*Wameahidi: /);
    await expect(demoElement().locator('.count').textContent()).resolves.toBe(
      `Inaonyesha wenye wajibu ${overdue} kati ya ${board.targets.length}`,
    );
  });
});
