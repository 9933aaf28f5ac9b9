/**
 * The React example (examples/react): React 19 renders <imlu-petition> and <imlu-counter> directly and
 * listens to `imlu-signed` with an `onimlu-signed` prop. Built here with Vite, served by the demo server
 * at /react/, signed in Chromium like any partner page.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counts, fillPetition, queryDemoDb, submitButton, thankYou } from './helpers.ts';
import { launchChromium, repoRoot, startDemo, type RunningDemo } from './server.ts';

let demo: RunningDemo;
let browser: Browser;

beforeAll(async () => {
  const build = spawnSync('pnpm', ['exec', 'vite', 'build', '--config', 'react/vite.config.ts'], {
    cwd: join(repoRoot, 'examples'),
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`the React example did not build:\n${build.stdout}\n${build.stderr}`);
  demo = await startDemo();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

describe('the React example', () => {
  it('renders the petition, follows a language switch made in React, and signs with its source', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${demo.partnerUrl}/react/`);
    const petition = page.locator('imlu-petition');
    await expect.poll(() => submitButton(petition).innerText()).toMatch(/sign/i);

    // React sets lang on its <main>; the petition inside follows it.
    await page.getByRole('button', { name: 'Kiswahili' }).click();
    await expect.poll(() => submitButton(petition).innerText()).toMatch(/tia sahihi/i);

    await fillPetition(petition, { name: 'Halima Abdi', phone: '0712 555 666', county: 'KE-28' });
    await submitButton(petition).click();
    await thankYou(petition).waitFor();
    // The imlu-signed event reached React's handler.
    await expect.poll(() => page.locator('#react-signed').innerText()).toBe('React imeona sahihi: imehesabiwa');

    expect((await counts(demo)).signatures).toBe(1);
    expect(await queryDemoDb(demo, "SELECT source_ref, locale FROM signatures WHERE campaign_id = (SELECT id FROM campaigns WHERE slug = 'justice-for-survivors')")).toEqual([{ source_ref: 'react-example', locale: 'sw' }]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
