/**
 * The hostile host (examples/hostile-host): global CSS that wrecks naive forms, a strict CSP sent as a
 * header, and two petitions with different `source` attributes on one page. Both must render, both must
 * sign, each signature must carry its own source, the browser must report no CSP violation, and the
 * page's own elements must look exactly the same with and without the widget.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counts, fillPetition, queryDemoDb, submitButton, thankYou, watchCspViolations } from './helpers.ts';
import { launchChromium, startDemo, type RunningDemo } from './server.ts';

let demo: RunningDemo;
let browser: Browser;

/** The host's own elements and the properties its hostile stylesheet touches (and a few it doesn't). */
const HOST_ELEMENTS = ['body', '#page-title', '#site-search', '#q', '#search-button', '#lede', 'article > h2'];
const PROPERTIES = ['display', 'width', 'height', 'font-size', 'font-family', 'color', 'background-color', 'margin-top', 'padding-top', 'letter-spacing'];

function hostStyles(page: Page): Promise<Record<string, Record<string, string>>> {
  return page.evaluate(
    ([selectors, properties]) =>
      Object.fromEntries(
        selectors.map((selector) => {
          const style = getComputedStyle(document.querySelector(selector)!);
          // The body's height is its content's (the petitions), not a style.
          const props = selector === 'body' ? properties.filter((p) => p !== 'height') : properties;
          return [selector, Object.fromEntries(props.map((p) => [p, style.getPropertyValue(p)]))];
        }),
      ),
    [HOST_ELEMENTS, PROPERTIES] as const,
  );
}

async function openHostile(options: { blockWidget?: boolean } = {}): Promise<{ page: Page; violations: () => Promise<string[]> }> {
  const page = await browser.newPage();
  if (options.blockWidget) await page.route('**/embed.js', (route) => route.abort());
  const violations = await watchCspViolations(page);
  const response = await page.goto(`${demo.partnerUrl}/hostile-host/`);
  const csp = response?.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
  return { page, violations };
}

beforeAll(async () => {
  demo = await startDemo();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

describe('a hostile host page with a strict CSP and two petitions', () => {
  let page: Page;
  let violations: () => Promise<string[]>;
  let withoutWidget: Record<string, Record<string, string>>;

  it('applies its hostile rules to its own elements (without the widget)', async () => {
    const bare = await openHostile({ blockWidget: true });
    withoutWidget = await hostStyles(bare.page);
    // The hostile stylesheet really is in force: the test below would prove nothing otherwise.
    expect(withoutWidget['#search-button']!.display).toBe('none');
    expect(withoutWidget['#q']!.width).toBe('20px');
    expect(withoutWidget['#lede']!['font-size']).toBe('30px');
    expect(withoutWidget['#site-search']!.display).toBe('inline');
    expect(await bare.page.evaluate(() => customElements.get('imlu-petition'))).toBeUndefined();
    await bare.page.close();
  });

  it('renders both petitions, usable despite the host CSS, without touching the host styles', async () => {
    ({ page, violations } = await openHostile());
    const petitions = [page.locator('#petition-story'), page.locator('#petition-sidebar')];
    for (const petition of petitions) {
      await submitButton(petition).waitFor({ state: 'visible' });
      const name = petition.getByRole('textbox', { name: /name|jina/i });
      expect((await name.boundingBox())!.width).toBeGreaterThan(150);
      expect((await submitButton(petition).boundingBox())!.height).toBeGreaterThan(20);
    }
    // The sidebar one follows its own lang="sw".
    await expect.poll(() => submitButton(petitions[1]!).innerText()).toMatch(/tia sahihi/i);
    expect(await hostStyles(page)).toEqual(withoutWidget);
  });

  it('signs from both, each signature with its own source, and the host styles still untouched', async () => {
    const [story, sidebar] = [page.locator('#petition-story'), page.locator('#petition-sidebar')];
    await fillPetition(story, { name: 'Akinyi Odhiambo', phone: '0711 000 001', county: 'KE-17' });
    await submitButton(story).click();
    await thankYou(story).waitFor();
    await fillPetition(sidebar, { name: 'Baraka Mwangi', phone: '0711 000 002', county: 'KE-28' });
    await submitButton(sidebar).click();
    await thankYou(sidebar).waitFor();

    expect((await counts(demo)).signatures).toBe(2);
    // The API answers after the commit, so both rows are on disk now.
    const rows = await queryDemoDb(demo, "SELECT source_ref, locale, origin FROM signatures WHERE campaign_id = (SELECT id FROM campaigns WHERE slug = 'justice-for-survivors') ORDER BY source_ref");
    expect(rows).toEqual([
      { source_ref: 'tribune-sidebar', locale: 'sw', origin: demo.partnerUrl },
      { source_ref: 'tribune-story', locale: 'en', origin: demo.partnerUrl },
    ]);
    expect(await hostStyles(page)).toEqual(withoutWidget);
  });

  it('reports no CSP violation — and would, if anything broke the policy', async () => {
    expect(await violations()).toEqual([]);
    // Control: an inline script is refused and reported, so an empty list above means something.
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'void 0';
      document.body.append(script);
    });
    await expect.poll(async () => (await violations()).length).toBeGreaterThan(0);
    await page.close();
  });
});
