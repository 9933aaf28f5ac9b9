/**
 * What the console's end-to-end tests share: staff made with `imlu staff add`, the sign-in link read from the
 * e-mail the development transport prints, TOTP codes computed from the printed secret, a 360 px phone, and
 * axe. `signIn` walks the whole two-factor sign-in in the browser.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { launchChromium, repoRoot, startDemo, type RunningDemo } from './server.ts';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const BIN = join(repoRoot, 'api/bin/imlu.mjs');
// otpauth is the API's dependency (it checks the codes); the test computes codes with the same package.
const otpauthEntry = createRequire(join(repoRoot, 'api/package.json')).resolve('otpauth');
export interface Totp {
  generate(): string;
}
const { Secret, TOTP } = (await import(pathToFileURL(otpauthEntry).href)) as {
  Secret: { fromBase32(secret: string): unknown };
  TOTP: new (options: { secret: unknown }) => Totp;
};

/** Runs the `imlu` CLI on the demo's data directory. */
export function imlu(demo: RunningDemo, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [BIN, ...args], { cwd: repoRoot, env: { ...process.env, NODE_ENV: 'test', DATA_DIR: demo.dataDir, LOG_LEVEL: 'silent' } }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

/** `imlu staff add`: the member, with a TOTP generator made from the secret the command printed. */
export async function addStaff(demo: RunningDemo, name: string, email: string, role: string): Promise<StaffMember> {
  const out = await imlu(demo, 'staff', 'add', '--name', name, '--email', email, '--role', role);
  const secret = /^secret: ([A-Z2-7]+)$/m.exec(out)![1]!;
  return { email, name, totp: new TOTP({ secret: Secret.fromBase32(secret) }), used: new Set() };
}

/** The sign-in link of the latest e-mail the development transport printed to `email`. */
export async function linkFor(demo: RunningDemo, email: string, after: number): Promise<string> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const mails = demo.output().slice(after).split('--- e-mail (development: printed, not sent) ---').slice(1);
    const mail = mails.reverse().find((text) => text.includes(`To: ${email}`));
    const link = mail && /(http:\/\/\S+\/console#link=[\w-]{43})/.exec(mail)?.[1];
    if (link) return link;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no sign-in e-mail to ${email}:\n${demo.output().slice(after)}`);
}

/** A TOTP code for a time step no earlier code of this secret used (the server refuses a code twice). */
export async function freshCode(totp: Totp, used: Set<number>): Promise<string> {
  for (;;) {
    const step = Math.floor(Date.now() / 30_000);
    if (!used.has(step)) {
      used.add(step);
      return totp.generate();
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** What axe finds on the page, one line per violation (its id and the elements). */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated by the test driver, which the page's CSP does not govern (the page itself runs no such script).
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run(): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe.run();
    return result.violations.map((violation) => `${violation.id}: ${JSON.stringify(violation.nodes.map((node) => node.target))}`);
  });
}

/** axe finds nothing, and the page does not scroll sideways at 360 px. */
export async function axe(page: Page, step: string): Promise<void> {
  expect(await axeViolations(page), step).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth), `${step}: no sideways scrolling at 360 px`).toBeLessThanOrEqual(360);
}

/** A 360 × 740 browser context in `locale`, collecting CSP complaints. */
export async function phone(browser: Browser, locale: string): Promise<{ context: BrowserContext; page: Page; cspErrors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale });
  const page = await context.newPage();
  const cspErrors: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspErrors.push(message.text());
  });
  return { context, page, cspErrors };
}

export interface StaffMember {
  email: string;
  name: string;
  totp: Totp;
  /** Time steps whose code was used already (the server refuses a code twice). */
  used: Set<number>;
}

const SIGN_IN_COPY = {
  en: { email: 'Work e-mail', send: 'Send me a sign-in link', sent: 'Check your e-mail', code: '6-digit code', signIn: 'Sign in', welcome: 'Welcome' },
  sw: { email: 'Barua pepe ya kazi', send: 'Nitumie kiungo cha kuingia', sent: 'Angalia barua pepe yako', code: 'Msimbo wa tarakimu 6', signIn: 'Ingia', welcome: 'Karibu' },
};

/** Signs `member` in on `page` (already on /console's sign-in form) with both factors; ends on the home view. */
export async function signIn(demo: RunningDemo, page: Page, member: StaffMember, language: 'en' | 'sw'): Promise<void> {
  const copy = SIGN_IN_COPY[language];
  if (!page.url().endsWith('/console')) await page.goto(`${demo.apiUrl}/console`);
  const before = demo.output().length;
  await page.getByRole('textbox', { name: copy.email }).fill(member.email);
  await page.getByRole('button', { name: copy.send }).click();
  await page.getByRole('heading', { level: 1, name: copy.sent }).waitFor();
  await page.goto(await linkFor(demo, member.email, before));
  await page.getByRole('textbox', { name: copy.code }).fill(await freshCode(member.totp, member.used));
  await page.getByRole('button', { name: copy.signIn, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: `${copy.welcome}, ${member.name}` }).waitFor();
}

/** The demo server (with `env`) and Chromium for a console test; the console must be built first. */
export async function startConsoleDemo(env: Record<string, string> = {}): Promise<{ demo: RunningDemo; browser: Browser }> {
  if (!existsSync(join(repoRoot, 'packages/console/dist/console.js'))) {
    throw new Error('packages/console/dist/console.js is missing: run `pnpm --filter @imlu/console build` first');
  }
  const [demo, browser] = await Promise.all([startDemo(env), launchChromium()]);
  return { demo, browser };
}

export async function stopConsoleDemo(demo: RunningDemo | undefined, browser: Browser | undefined): Promise<void> {
  await browser?.close();
  await demo?.stop();
}
