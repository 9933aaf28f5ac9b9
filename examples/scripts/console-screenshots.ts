/**
 * Screenshots of the campaigner console for docs/console.md (docs/images/console-*.png): the demo server as
 * `pnpm start` runs it, a few signatures across counties, the development-only demo staff account signed in
 * with its printed secret, then the sign-in and home pages and every view (English on a laptop, Kiswahili on a phone).
 *
 *   pnpm --filter @imlu/widget build && pnpm --filter @imlu/console build
 *   pnpm --filter @imlu/examples exec tsx scripts/console-screenshots.ts
 *
 * Not a test: it asserts nothing; the console's behaviour is tested in test/console.e2e.test.ts.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium, repoRoot, startDemo } from '../test/server.ts';

const otpauth = (await import(pathToFileURL(createRequire(join(repoRoot, 'api/package.json')).resolve('otpauth')).href)) as {
  Secret: { fromBase32(secret: string): unknown };
  TOTP: new (options: { secret: unknown }) => { generate(): string };
};
const OUT = join(repoRoot, 'docs/images');
const COUNTIES = ['KE-47', 'KE-47', 'KE-47', 'KE-01', 'KE-01', 'KE-42', 'KE-32', 'KE-22', 'KE-47', 'KE-30'];

async function waitFor<T>(find: () => T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const demo = await startDemo();
const browser = await launchChromium();
try {
  const secret = await waitFor(() => /Demo staff TOTP secret\s+([A-Z2-7]{32})/.exec(demo.output())?.[1], 'the demo staff secret');
  for (let i = 0; i < 40; i++) {
    await fetch(`${demo.apiUrl}/v1/campaigns/justice-for-survivors/signatures`, {
      method: 'POST',
      // Two in three from the demo partner site, with a newsletter or social source reference.
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `shot-${i}`, ...(i % 3 ? { Origin: demo.partnerUrl } : {}) },
      body: JSON.stringify({
        name: `Sample Signer ${i}`,
        phone: `0712 ${String(100_000 + i)}`,
        county: COUNTIES[i % COUNTIES.length],
        ...(i % 3 === 1 ? { source: 'newsletter-dec' } : i % 3 === 2 ? { source: 'whatsapp' } : {}),
        consent: { terms: true },
      }),
    });
  }

  for (const [locale, viewport, suffix] of [
    ['en-GB', { width: 1000, height: 900 }, 'en'],
    ['sw-KE', { width: 360, height: 740 }, 'sw-phone'],
  ] as const) {
    const context = await browser.newContext({ viewport, locale, deviceScaleFactor: 1 });
    const page = await context.newPage();
    await page.goto(`${demo.apiUrl}/console`);
    await page.locator('imlu-console h1').waitFor();
    await page.screenshot({ path: join(OUT, `console-sign-in-${suffix}.png`) });
    const before = demo.output().length;
    await page.locator('imlu-console input[type=email]').fill('demo.staff@imlu.example');
    await page.locator('imlu-console form button[type=submit]').click();
    const link = await waitFor(() => /(http:\/\/\S+\/console#link=[\w-]{43})/.exec(demo.output().slice(before))?.[1], 'the sign-in link');
    await page.goto(link);
    await page.locator('imlu-console input#code').fill(new otpauth.TOTP({ secret: otpauth.Secret.fromBase32(secret) }).generate());
    await page.locator('imlu-console form button[type=submit]').click();
    await page.locator('imlu-console nav').waitFor();
    await page.screenshot({ path: join(OUT, `console-home-${suffix}.png`) });
    await page.locator('imlu-console li[data-view=numbers] button').click();
    await page.locator('imlu-console-numbers tr[data-county]').first().waitFor();
    await page.screenshot({ path: join(OUT, `console-numbers-${suffix}.png`), fullPage: suffix === 'en' });
    await page.locator('imlu-console button.secondary').first().click();
    await page.locator('imlu-console li[data-view=partners] button').click();
    await page.locator('imlu-console-partners tr[data-origin]').first().waitFor();
    await page.screenshot({ path: join(OUT, `console-partners-${suffix}.png`), fullPage: suffix === 'en' });
    // The other views, each as it first opens on the demo campaign.
    for (const view of ['campaigns', 'duty-bearers', 'moderation', 'exports', 'tokens'] as const) {
      await page.locator('imlu-console button.secondary').first().click();
      await page.locator(`imlu-console li[data-view=${view}] button`).click();
      await page.locator(`imlu-console-${view} h2`).first().waitFor();
      // Lists and tables load after the heading.
      await page.waitForLoadState('networkidle');
      await page.screenshot({ path: join(OUT, `console-${view}-${suffix}.png`), fullPage: suffix === 'en' });
    }
    await context.close();
    // The next sign-in needs the next TOTP step: a code is taken once.
    await new Promise((r) => setTimeout(r, 31_000));
  }
  console.info(`screenshots written to ${OUT}`);
} finally {
  await browser.close();
  await demo.stop();
}
