/**
 * Test fixtures: every test file gets an app on a fresh, migrated temp-file database, built by the same
 * `createApp` the server uses. No stubs: real libSQL, real crypto, real writer.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp, type Api, type CreateAppOptions } from '../src/app.ts';
import { createCampaign, type NewCampaign } from '../src/campaigns/create.ts';
import { createDb, migrateDb, type Db } from '../src/db/client.ts';

export const TEST_KEYS = { encryptionKey: randomBytes(32), blindIndexKey: randomBytes(32) };
export const PARTNER_ORIGIN = 'https://partner.example';

export interface TestDb {
  db: Db;
  dir: string;
  file: string;
  url: string;
  /** Closes the database and deletes its directory. */
  cleanup(): void;
}

export async function createTestDb(): Promise<TestDb> {
  const dir = mkdtempSync(path.join(tmpdir(), 'imlu-api-test-'));
  const file = path.join(dir, 'test.db');
  const url = `file:${file}`;
  const db = await createDb(url);
  await migrateDb(db);
  return {
    db,
    dir,
    file,
    url,
    cleanup() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const OPEN_CAMPAIGN: NewCampaign = {
  slug: 'test-campaign',
  kind: 'petition',
  status: 'open',
  goal: 1000,
  verification: 'none',
  consentVersion: 'test-v1',
  title: { en: 'Test campaign', sw: 'Kampeni ya majaribio' },
  summary: { en: 'Summary', sw: 'Muhtasari' },
  body: { en: 'Body', sw: 'Maelezo' },
  demands: [
    { en: 'First demand', sw: 'Dai la kwanza' },
    { en: 'Second demand', sw: 'Dai la pili' },
  ],
};

export interface TestApi extends TestDb {
  api: Api;
  campaignId: string;
  slug: string;
  /** `app.request` with JSON defaults for a POST body. */
  request(pathname: string, init?: RequestInit): Promise<Response>;
  sign(body: unknown, headers?: Record<string, string>, slug?: string): Promise<Response>;
  close(): Promise<void>;
}

export async function createTestApi(
  options: { campaign?: Partial<NewCampaign> } & Partial<Omit<CreateAppOptions, 'db' | 'config'>> & {
    allowedOrigins?: string[];
    countsMaxAge?: number;
    rateLimits?: CreateAppOptions['config']['rateLimits'];
    adminToken?: string;
    altcha?: CreateAppOptions['config']['altcha'];
  } = {},
): Promise<TestApi> {
  const testDb = await createTestDb();
  const { campaign, allowedOrigins, countsMaxAge, rateLimits, adminToken, altcha, ...appOptions } = options;
  const campaignInput = { ...OPEN_CAMPAIGN, ...campaign };
  const campaignId = await createCampaign(testDb.db, campaignInput, appOptions.clock?.() ?? Date.now());
  const api = await createApp({
    db: testDb.db,
    config: { ...TEST_KEYS, allowedOrigins: allowedOrigins ?? [PARTNER_ORIGIN], countsMaxAge: countsMaxAge ?? 10, rateLimits, adminToken, altcha },
    ...appOptions,
  });
  const request = (pathname: string, init?: RequestInit) => Promise.resolve(api.app.request(pathname, init));
  return {
    ...testDb,
    api,
    campaignId,
    slug: campaignInput.slug,
    request,
    sign(body, headers = {}, slug = campaignInput.slug) {
      return request(`/v1/campaigns/${slug}/signatures`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    },
    async close() {
      await api.close();
      testDb.cleanup();
    },
  };
}

const TABLES = ['signatures', 'signature_dedupe', 'campaign_counts', 'idempotency_keys'] as const;

/** Row counts of the tables a signature writes to, to prove that a refused request stored nothing. */
export async function tableCounts(db: Db): Promise<Record<(typeof TABLES)[number], number>> {
  const result = {} as Record<(typeof TABLES)[number], number>;
  for (const table of TABLES) {
    const rows = await db.client.execute(`SELECT COUNT(*) FROM ${table}`);
    result[table] = Number(rows.rows[0]?.[0]);
  }
  return result;
}

export const validSignature = (overrides: Record<string, unknown> = {}) => ({
  name: 'Wanjirũ Kamau',
  phone: '0712345678',
  county: 'KE-30',
  consent: { terms: true },
  ...overrides,
});

/**
 * The campaign's running totals as stored (`campaign_counts`, bucket `total`): counted, pending and
 * suspect. The public counts publish only `counted`; tests that need the rest read them here.
 */
export async function storedCounts(db: Db, campaignId?: string): Promise<{ counted: number; pending: number; suspect: number }> {
  const result = await db.client.execute({
    sql: `SELECT COALESCE(SUM(counted), 0), COALESCE(SUM(pending), 0), COALESCE(SUM(suspect), 0) FROM campaign_counts WHERE bucket = 'total'${campaignId ? ' AND campaign_id = ?' : ''}`,
    args: campaignId ? [campaignId] : [],
  });
  const row = result.rows[0]!;
  return { counted: Number(row[0]), pending: Number(row[1]), suspect: Number(row[2]) };
}
