/**
 * What the end-to-end tests do the way a supporter would: find fields by their visible labels (English or
 * Kiswahili), tick the terms, press the button. Playwright's role locators pierce the shadow root.
 */
import { createClient } from '@libsql/client';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import type { Counts } from '@imlu/contracts';
import { chromiumArgs, chromiumPath, type RunningDemo } from './server.ts';

export const SLUG = 'justice-for-survivors';

export interface SignerFields {
  name: string;
  phone?: string;
  email?: string;
  county?: string;
}

export async function fillPetition(petition: Locator, fields: SignerFields): Promise<void> {
  await petition.getByRole('textbox', { name: /name|jina/i }).fill(fields.name);
  if (fields.phone !== undefined) await petition.getByRole('textbox', { name: /phone|simu/i }).fill(fields.phone);
  if (fields.email !== undefined) await petition.getByRole('textbox', { name: /e-?mail|barua pepe/i }).fill(fields.email);
  if (fields.county) await petition.getByRole('combobox', { name: /county|kaunti/i }).selectOption(fields.county);
  await petition.getByRole('checkbox', { name: /terms|masharti/i }).check();
}

export function submitButton(petition: Locator): Locator {
  return petition.getByRole('button', { name: /^(sign|tia sahihi)/i });
}

export function thankYou(petition: Locator): Locator {
  return petition.getByRole('heading', { name: /thank you|asante/i });
}

export async function counts(demo: RunningDemo, slug = SLUG): Promise<Counts> {
  const response = await fetch(`${demo.apiUrl}/v1/campaigns/${slug}/counts`, { cache: 'no-store' });
  return (await response.json()) as Counts;
}

/**
 * Rows of the demo's database, read directly from its file (SQLite lets another process read while the
 * server writes). Only columns stored in clear are useful here; personal fields are ciphertext.
 */
/**
 * Creates (or updates) an open campaign on the demo through the admin API (PUT), for a test that needs its own settings
 * (a confirmation channel, a challenge). Unnamed fields take plain test values.
 */
export async function putCampaign(demo: RunningDemo, adminToken: string, campaign: { slug: string } & Record<string, unknown>): Promise<void> {
  const response = await fetch(`${demo.apiUrl}/admin/campaigns/${campaign.slug}`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      status: 'open',
      consentVersion: 'e2e-v1',
      body: { en: 'Test body.', sw: 'Maandishi ya majaribio.' },
      demands: [{ en: 'One demand.', sw: 'Dai moja.' }],
      ...campaign,
    }),
  });
  if (response.status !== 201 && response.status !== 200) throw new Error(`PUT /admin/campaigns/${campaign.slug}: ${response.status} ${await response.text()}`);
}

export async function queryDemoDb(demo: RunningDemo, sql: string): Promise<Record<string, unknown>[]> {
  const client = createClient({ url: `file:${demo.dataDir}/imlu.db` });
  try {
    const result = await client.execute(sql);
    return result.rows.map((row) => Object.fromEntries(result.columns.map((column, i) => [column, row[i]])));
  } finally {
    client.close();
  }
}

/** Collects CSP violations the page reports, from the DOM event and from the console. */
export async function watchCspViolations(page: Page): Promise<() => Promise<string[]>> {
  const console: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) console.push(message.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  return async () => [
    ...(await page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? [])),
    ...console,
  ];
}

/**
 * A font setup for Chromium: a fontconfig configuration that knows only the fonts in `dir` (one Debian
 * package's), so that every family the page asks for, `system-ui` included, falls back to them. Two
 * setups with different metrics (DejaVu is wide and tall, Liberation is metric-compatible with Arial and
 * Times) stand for the phones whose fonts we cannot know. `.ci/run` installs both packages.
 */
export interface FontSetup {
  name: string;
  dir: string;
  /** Its sans-serif family: what the widget's `system-ui` becomes, as on a phone. */
  sans: string;
  /** The Debian package that puts the fonts in `dir`. */
  debianPackage: string;
}

export const FONT_SETUPS: readonly FontSetup[] = [
  { name: 'DejaVu', dir: '/usr/share/fonts/truetype/dejavu', sans: 'DejaVu Sans', debianPackage: 'fonts-dejavu-core' },
  { name: 'Liberation', dir: '/usr/share/fonts/truetype/liberation2', sans: 'Liberation Sans', debianPackage: 'fonts-liberation2' },
];

/**
 * Headless Chromium that sees only `fonts` (through FONTCONFIG_FILE pointing at a generated fonts.conf
 * with its own cache directory). The returned `close` also removes the configuration.
 */
export async function launchChromiumWithFonts(fonts: FontSetup): Promise<{ browser: Browser; close: () => Promise<void> }> {
  if (!existsSync(fonts.dir)) throw new Error(`No fonts at ${fonts.dir}: apt-get install ${fonts.debianPackage} (.ci/run does)`);
  const dir = mkdtempSync(join(tmpdir(), 'imlu-fonts-'));
  const file = join(dir, 'fonts.conf');
  writeFileSync(
    file,
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n` +
      `  <dir>${fonts.dir}</dir>\n  <cachedir>${join(dir, 'cache')}</cachedir>\n` +
      // Without monospace and maths fonts, which fontconfig would otherwise pick for system-ui here; then
      // Debian's usual rules (sans-serif, serif, hinting), which can only pick among these fonts.
      `  <selectfont><rejectfont><glob>*Mono*</glob><glob>*Math*</glob></rejectfont></selectfont>\n` +
      `  <include ignore_missing="yes">/etc/fonts/conf.d</include>\n</fontconfig>\n`,
  );
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: chromiumArgs,
    env: { ...process.env, FONTCONFIG_FILE: file } as Record<string, string>,
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The families Chromium really used to draw the text of `selector` inside the shadow root of `host`
 * (DevTools' platform fonts), for checks and logs.
 */
export async function renderedFonts(page: Page, host: string, selector: string): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    const { nodeId: hostId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: host });
    const { node } = await cdp.send('DOM.describeNode', { nodeId: hostId, depth: 1, pierce: true });
    const shadowRoot = node.shadowRoots?.[0];
    if (!shadowRoot) throw new Error(`${host} has no shadow root`);
    const { nodeIds } = await cdp.send('DOM.pushNodesByBackendIdsToFrontend', { backendNodeIds: [shadowRoot.backendNodeId] });
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: nodeIds[0]!, selector });
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    return fonts.map((font) => font.familyName);
  } finally {
    await cdp.detach();
  }
}
