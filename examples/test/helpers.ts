/**
 * What the end-to-end tests do the way a supporter would: find fields by their visible labels (English or
 * Kiswahili), tick the terms, press the button. Playwright's role locators pierce the shadow root.
 */
import { createClient } from '@libsql/client';
import type { Locator, Page } from 'playwright-core';
import type { Counts } from '@imlu/contracts';
import type { RunningDemo } from './server.ts';

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
