/**
 * Reconciliation of the counts on a schedule: the last run and its drift at GET /admin/system/reconciliation,
 * drift audited once, nothing fixed by a scheduled run; the server runs it when RECONCILE_EVERY_MINUTES says.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listAudit } from '../audit/audit.ts';
import { cliActor } from '../auth/actor.ts';
import { createAdminToken } from '../auth/admin-tokens.ts';
import { ConfigError, parseEnv } from '../config/env.ts';
import { startServer, type RunningServer } from '../server.ts';
import { createTestApi, storedCounts, validSignature, type TestApi } from '../../test/helpers.ts';
import { runReconciliation } from './reconciliation.ts';

const ADMIN = 'reconcile-admin-token-of-32-characters';
let t: TestApi | undefined;
let server: RunningServer | undefined;
let dir: string | undefined;
let now = Date.parse('2026-12-06T09:00:00Z');

afterEach(async () => {
  await t?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  t = undefined;
  server = undefined;
  dir = undefined;
});

interface Answer {
  lastRun: null | { at: string; ok: boolean; drifts: { slug: string | null; bucket: string; stored: { counted: number }; actual: { counted: number } }[] };
}

describe('scheduled reconciliation', () => {
  it('shows the last run and its drift to moderation tokens, audits new drift once, and fixes nothing', async () => {
    t = await createTestApi({ adminToken: ADMIN, clock: () => now });
    const api = t;
    const get = async (token = ADMIN) => api.request('/admin/system/reconciliation', { headers: { Authorization: `Bearer ${token}` } });
    expect(await (await get()).json()).toEqual({ lastRun: null });
    for (let i = 0; i < 3; i++) await t.sign(validSignature({ phone: `07${String(40_000_000 + i)}` }));

    const clean = await runReconciliation(t.db, { clock: () => now });
    expect(clean.drifts).toEqual([]);
    expect(await (await get()).json()).toMatchObject({ lastRun: { at: '2026-12-06T09:00:00.000Z', ok: true, drifts: [] } });

    await t.db.client.execute("UPDATE campaign_counts SET counted = 999 WHERE bucket = 'KE-30'");
    now += 60 * 60_000;
    await runReconciliation(t.db, { clock: () => now });
    now += 60 * 60_000;
    await runReconciliation(t.db, { clock: () => now });
    const answer = (await (await get()).json()) as Answer;
    expect(answer.lastRun).toMatchObject({ at: '2026-12-06T11:00:00.000Z', ok: false });
    expect(answer.lastRun!.drifts).toEqual([
      { campaignId: t.campaignId, slug: t.slug, bucket: 'KE-30', stored: { counted: 999, pending: 0, suspect: 0 }, actual: { counted: 3, pending: 0, suspect: 0 } },
    ]);
    // Reported, not fixed: a person decides (POST /admin/reconcile with fix).
    expect(Number((await t.db.client.execute("SELECT counted FROM campaign_counts WHERE bucket = 'KE-30'")).rows[0]![0])).toBe(999);
    expect((await storedCounts(t.db)).counted).toBe(3);
    const audited = (await listAudit(t.db, { action: 'counts.drift_found' })).map((a) => ({ actor: a.actor, campaignId: a.campaignId, rowCount: a.rowCount }));
    expect(audited).toEqual([{ actor: 'system:reconciliation', campaignId: t.campaignId, rowCount: 1 }]);

    const { token: reader } = await createAdminToken(t.db, { name: 'reader', scopes: ['campaigns:read'], actor: cliActor() });
    expect((await get(reader)).status).toBe(403);
    expect((await t.request('/admin/system/reconciliation')).status).toBe(404);
  });

  it('runs in the server at start when RECONCILE_EVERY_MINUTES is set, and is off in tests unless it is', async () => {
    expect(parseEnv({ NODE_ENV: 'test' }).reconcileEveryMinutes).toBe(0);
    expect(parseEnv({}).reconcileEveryMinutes).toBe(60);
    expect(parseEnv({ NODE_ENV: 'test', RECONCILE_EVERY_MINUTES: '15' }).reconcileEveryMinutes).toBe(15);
    for (const value of ['-1', 'hourly', '10081']) {
      expect(() => parseEnv({ RECONCILE_EVERY_MINUTES: value })).toThrow(ConfigError);
    }

    dir = mkdtempSync(path.join(tmpdir(), 'imlu-reconcile-server-'));
    const env = { NODE_ENV: 'test', DATA_DIR: dir, PORT: '0', LOG_LEVEL: 'silent', ADMIN_TOKEN: ADMIN, RECONCILE_EVERY_MINUTES: '60' };
    server = await startServer({ config: parseEnv(env), seed: false, partnerSite: false });
    let answer: Answer = { lastRun: null };
    // The first run starts with the server; wait for it (vitest's timeout bounds the wait).
    while (!answer.lastRun) {
      answer = (await (await fetch(`${server.apiUrl}/admin/system/reconciliation`, { headers: { Authorization: `Bearer ${ADMIN}` } })).json()) as Answer;
      if (!answer.lastRun) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(answer.lastRun).toMatchObject({ ok: true, drifts: [] });
  });
});
