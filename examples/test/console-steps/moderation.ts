/**
 * Steps of the console's "Moderation" view (issue 12) for end-to-end tests: make a flood the way a
 * partner page's visitors would (the public signing API, from the partner's origin), and walk the view
 * from the console home to invalidate it — trending, preview (a dry run), confirmation, result.
 *
 * The flood is one e-mail domain. On the demo every request comes from 127.0.0.1, which is exempt from the
 * per-source limits outside production and so has no source hash: the e-mail domain is what the trending
 * report can show (by its keyed hash's prefix, never the domain itself).
 */
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import type { RunningDemo } from '../server.ts';

export type Language = 'en' | 'sw';

/** The flood as the trending report shows it: an e-mail domain with this many signatures. */
export interface FloodSource {
  kind: 'domain';
  /** The flood's e-mail domain (the view shows only its hash; the test knows the domain). */
  emailDomain: string;
  signatures: number;
}

export interface SimulatedFlood {
  slug: string;
  source: FloodSource;
  /** Signatures of the flood, all accepted (201). */
  flood: number;
  /** Ordinary signatures (phone only, each its own number), and how many of them the API counted at once. */
  ordinary: number;
  ordinaryCounted: number;
}

export interface Figures {
  affected: number;
  counted: number;
  pending: number;
  suspect: number;
}

export interface InvalidatedFlood {
  /** What the dry run said before anything changed. */
  preview: Figures;
  /** What the applied invalidation touched. */
  applied: Figures;
  /** The campaign's counts after it, as the view read them again from the API. */
  after: { counted: number; pending: number; suspect: number };
}

const COPY = {
  en: { view: 'Moderation', refresh: 'Refresh', apply: /^Invalidate \d+ signatures/, confirm: 'Yes, invalidate' },
  sw: { view: 'Udhibiti', refresh: 'Onyesha upya', apply: /^Batilisha sahihi \d+/, confirm: 'Ndiyo, batilisha' },
};

const ORDINARY = 3;

/** One signature through the public API as a browser on the partner page sends it; its status. */
export async function signAsPartner(demo: RunningDemo, slug: string, body: Record<string, unknown>): Promise<string> {
  const response = await fetch(`${demo.apiUrl}/v1/campaigns/${slug}/signatures`, {
    method: 'POST',
    // What a browser on the partner page sends: its origin, JSON, and the widget's idempotency key.
    headers: { 'Content-Type': 'application/json', Origin: demo.partnerUrl, 'Idempotency-Key': randomBytes(16).toString('hex') },
    body: JSON.stringify({ consent: { terms: true }, elapsedMs: 9000, ...body }),
  });
  if (response.status !== 201) throw new Error(`signing ${slug}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { status: string }).status;
}

/**
 * `n` signatures from one suspicious e-mail domain (new each call) and a few ordinary ones (phone only,
 * so in no domain), through the public signing API as the partner page's visitors would send them.
 */
export async function simulateFlood(demo: RunningDemo, slug: string, n: number): Promise<SimulatedFlood> {
  const emailDomain = `flood-${randomBytes(4).toString('hex')}.example`;
  let ordinaryCounted = 0;
  for (let i = 0; i < ORDINARY; i++) {
    const phone = `0722${String(Math.floor(Math.random() * 1_000_000)).padStart(6, '0')}`;
    const status = await signAsPartner(demo, slug, { name: `Mwananchi ${i + 1} Otieno`, phone, county: 'KE-47' });
    if (status === 'counted') ordinaryCounted++;
  }
  for (let i = 0; i < n; i++) await signAsPartner(demo, slug, { name: `Flood ${i + 1} Bot`, email: `bot${i + 1}@${emailDomain}`, county: 'KE-01' });
  return { slug, source: { kind: 'domain', emailDomain, signatures: n }, flood: n, ordinary: ORDINARY, ordinaryCounted };
}

async function figure(page: Page, scope: string, name: string): Promise<number> {
  return Number((await page.locator(`imlu-console-moderation ${scope} dd[data-figure="${name}"]`).innerText()).replace(/[^\d]/g, ''));
}

async function figures(page: Page, scope: string): Promise<Figures> {
  const [affected, counted, pending, suspect] = await Promise.all(['affected', 'counted', 'pending', 'suspect'].map((name) => figure(page, scope, name)));
  return { affected: affected!, counted: counted!, pending: pending!, suspect: suspect! };
}

/**
 * From the console home (signed in, in `language`): opens Moderation, picks the campaign, finds the flood
 * in the trending table (a domain with exactly the flood's count), previews its invalidation, confirms it,
 * and returns the previewed figures, the applied ones and the counts the view read afterwards. `check`
 * runs at each state (for axe): `trending`, `preview`, `confirm`, `result`.
 */
export async function invalidateFlood(
  page: Page,
  language: Language,
  { slug, source }: { slug: string; source: FloodSource },
  check: (state: 'trending' | 'preview' | 'confirm' | 'result') => Promise<void> = async () => undefined,
): Promise<InvalidatedFlood> {
  const copy = COPY[language];
  const view = page.locator('imlu-console-moderation');
  await page.getByRole('button', { name: copy.view, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: copy.view }).waitFor();
  await view.locator('select#campaign').selectOption(slug);
  // The server's default threshold (50 signatures) is for real floods; a test flood is smaller.
  await view.locator('#trend-count').fill(String(Math.min(source.signatures, 50)));
  await view.getByRole('button', { name: copy.refresh, exact: true }).click();
  const row = view.locator(`tr[data-kind="${source.kind}"][data-signatures="${source.signatures}"]`);
  await row.waitFor();
  await check('trending');

  await row.getByRole('button').click();
  await view.locator('[data-preview] dd[data-figure="affected"]').waitFor();
  const preview = await figures(page, '[data-preview]');
  await check('preview');

  await view.getByRole('button', { name: copy.apply }).click();
  const dialog = view.getByRole('dialog');
  await dialog.waitFor();
  await check('confirm');
  await dialog.getByRole('button', { name: copy.confirm, exact: true }).click();
  await view.locator('[data-result] [data-counts]').waitFor();
  const applied = await figures(page, '[data-result] > dl:first-of-type');
  const [counted, pending, suspect] = await Promise.all(['counted', 'pending', 'suspect'].map((name) => figure(page, '[data-counts]', name)));
  await check('result');
  return { preview, applied, after: { counted: counted!, pending: pending!, suspect: suspect! } };
}
