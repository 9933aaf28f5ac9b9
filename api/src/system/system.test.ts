import { createClient } from '@libsql/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { createDb } from '../db/client.ts';
import type { WriterHealth } from '../signing/writer.ts';
import { FRESH_COMMIT_MS, markStopping, PROBE_REUSE_MS, WriteReadiness, writeProbe } from './readiness.ts';
import { createTestApi, TEST_KEYS, type TestApi } from '../../test/helpers.ts';

let t: TestApi;
beforeEach(async () => {
  t = await createTestApi();
});
afterEach(async () => {
  await t.close();
});

describe('operations endpoints', () => {
  it('GET /health answers ok without touching the database', async () => {
    t.db.client.close();
    const response = await t.request('/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(response.headers.get('Cache-Control')).toBe('no-store');
  });

  it('GET /ready is 200 when the database answers, every migration is applied and a write gets through', async () => {
    const response = await t.request('/ready');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', checks: { database: true, migrations: true, writes: true, accepting: true } });
    // No signature flowed, so a probe wrote: the time of the last successful probe.
    const probe = await t.db.client.execute("SELECT value FROM instance_meta WHERE key = 'write_probe'");
    expect(String(probe.rows[0]?.[0])).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('GET /ready is 503 on an unmigrated database', async () => {
    const empty = await createDb(`file:${t.dir}/empty.db`);
    const api = await createApp({ db: empty, config: { ...TEST_KEYS, allowedOrigins: [], countsMaxAge: 10 } });
    try {
      const response = await api.app.request('/ready');
      expect(response.status).toBe(503);
      expect(response.headers.get('Content-Type')).toBe('application/problem+json');
      expect(await response.json()).toEqual({
        type: 'urn:imlu:problem:unavailable',
        title: 'Temporarily unavailable',
        status: 503,
        detail: 'The database is missing migrations.',
        checks: { database: true, migrations: false, writes: false, accepting: true },
      });
    } finally {
      await api.close();
      empty.close();
    }
  });

  it('GET /ready is 503 when the database is gone', async () => {
    t.db.client.close();
    const response = await t.request('/ready');
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ type: 'urn:imlu:problem:unavailable', checks: { database: false, writes: false } });
  });

  it('GET /ready is 503 while another process holds the write lock, and ready again once it lets go; /health never waits', async () => {
    const other = createClient({ url: t.url });
    const lock = await other.transaction('write');
    try {
      const response = await t.request('/ready');
      expect(response.status).toBe(503);
      expect(response.headers.get('Retry-After')).toBe('1');
      expect(await response.json()).toMatchObject({
        detail: 'Writes are failing: the disk may be full, or another process holds the write lock.',
        checks: { database: true, migrations: true, writes: false, accepting: true },
      });
      expect((await t.request('/health')).status).toBe(200);
    } finally {
      await lock.rollback();
      other.close();
    }
    // No signature has to flow for the node to come back: the probe sees the lock gone.
    await expect.poll(async () => (await t.request('/ready')).status, { timeout: 10_000, interval: 200 }).toBe(200);
  });

  it('GET /ready is 503 once a stop began', async () => {
    markStopping(t.api.services);
    const response = await t.request('/ready');
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ detail: 'The server is stopping.', checks: { accepting: false, writes: true } });
  });
});

describe('write readiness', () => {
  const writer = (health: WriterHealth, failedBatches = 0) => ({ health, stats: { failedBatches } });

  it('believes a recent commit without probing, and probes when signatures do not flow', async () => {
    let now = 1_000_000;
    let probes = 0;
    const signals = writer({ failingSince: null, lastCommitAt: now - 1000 });
    const readiness = new WriteReadiness(signals, async () => (probes++, true), () => now);
    expect(await readiness.writes()).toBe(true);
    expect(probes).toBe(0);
    now += FRESH_COMMIT_MS + 1;
    expect(await readiness.writes()).toBe(true);
    expect(probes).toBe(1);
    // However often it is asked, one probe a second at most.
    expect(await readiness.writes()).toBe(true);
    expect(probes).toBe(1);
    now += PROBE_REUSE_MS + 1;
    await readiness.writes();
    expect(probes).toBe(2);
  });

  it('is not ready while the writer fails, until a probe gets through with no failed batch after it', async () => {
    let now = 1_000_000;
    let probeOk = false;
    const signals = writer({ failingSince: now - 500, lastCommitAt: now - 60_000 }, 3);
    const readiness = new WriteReadiness(signals, async () => probeOk, () => now);
    expect(await readiness.writes()).toBe(false);
    // The lock is gone: the probe writes, and no signature batch failed since it began.
    probeOk = true;
    now += PROBE_REUSE_MS + 1;
    expect(await readiness.writes()).toBe(true);
    // A signature batch fails after that probe: newer evidence than the probe.
    signals.stats.failedBatches = 4;
    expect(await readiness.writes()).toBe(false);
    // And once the writer commits again it is the evidence.
    signals.health = { failingSince: null, lastCommitAt: now };
    expect(await readiness.writes()).toBe(true);
  });

  it('a real probe fails fast on a foreign lock, on its own connection', async () => {
    const probe = writeProbe(t.db);
    expect(await probe()).toBe(true);
    const other = createClient({ url: t.url });
    const lock = await other.transaction('write');
    try {
      expect(await probe()).toBe(false);
      // The server's own connection was not used, so it is not left waiting: it still reads.
      expect((await t.db.client.execute('SELECT 1')).rows).toHaveLength(1);
    } finally {
      await lock.rollback();
      other.close();
    }
    expect(await probe()).toBe(true);
  });
});

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3.1 document of every route, errors included', async () => {
    const response = await t.request('/openapi.json');
    expect(response.status).toBe(200);
    const doc = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');

    // Every route the app really serves (middleware excluded) is in the document, and nothing else.
    // `POST /me/code` is served by the `POST /me/{token}` route (me.router.ts: a literal beside a parameter
    // would put the whole app on the slower TrieRouter), and is documented as what it is.
    const served = new Set(
      t.api.app.routes
        .filter((r) => r.method !== 'ALL')
        .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`),
    );
    served.add('post /me/code');
    const documented = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`)));
    expect(documented).toEqual(served);
    expect([...documented].sort()).toEqual([
      'delete /admin/campaigns/{slug}/milestones/{threshold}',
      'delete /admin/campaigns/{slug}/response-links/{linkId}',
      'delete /admin/partner-views/{id}',
      'delete /admin/tokens/{id}',
      'delete /admin/webhooks/{id}',
      'get /admin/audit',
      'get /admin/campaigns',
      'get /admin/campaigns/{slug}',
      'get /admin/campaigns/{slug}/asks',
      'get /admin/campaigns/{slug}/demands',
      'get /admin/campaigns/{slug}/export',
      'get /admin/campaigns/{slug}/held',
      'get /admin/campaigns/{slug}/milestones',
      'get /admin/campaigns/{slug}/pack',
      'get /admin/campaigns/{slug}/partner-views',
      'get /admin/campaigns/{slug}/response-links',
      'get /admin/campaigns/{slug}/stats/counties',
      'get /admin/campaigns/{slug}/stats/daily',
      'get /admin/campaigns/{slug}/stats/partners',
      'get /admin/campaigns/{slug}/updates',
      'get /admin/campaigns/{slug}/updates/preview',
      'get /admin/campaigns/{slug}/webhooks',
      'get /admin/outbox',
      'get /admin/system/reconciliation',
      'get /admin/targets',
      'get /admin/targets/{targetId}',
      'get /admin/tokens',
      'get /admin/trending',
      'get /c/{slug}',
      'get /chunks/{name}',
      'get /console',
      'get /console/api/session',
      'get /console/app.js',
      'get /console/preview/{slug}',
      'get /embed.js',
      'get /health',
      'get /me',
      'get /me/{token}',
      'get /openapi.json',
      'get /p/{token}',
      'get /r/{token}',
      'get /ready',
      'get /u/{token}',
      'get /v1/campaigns/{slug}',
      'get /v1/campaigns/{slug}/accountability',
      'get /v1/campaigns/{slug}/challenge',
      'get /v1/campaigns/{slug}/counts',
      'get /v1/campaigns/{slug}/first-paint',
      'get /v1/campaigns/{slug}/form',
      'get /v1/confirm/{token}',
      'get /v1/partner-stats/{token}',
      'get /v1/signing-keys',
      'patch /admin/targets/{targetId}',
      'post /admin/campaigns',
      'post /admin/campaigns/{slug}/actions/{actionId}/attendance',
      'post /admin/campaigns/{slug}/deliveries',
      'post /admin/campaigns/{slug}/invalidations',
      'post /admin/campaigns/{slug}/milestones',
      'post /admin/campaigns/{slug}/partner-views',
      'post /admin/campaigns/{slug}/positions',
      'post /admin/campaigns/{slug}/response-links',
      'post /admin/campaigns/{slug}/webhooks',
      'post /admin/exports/verify',
      'post /admin/outbox/retry',
      'post /admin/reconcile',
      'post /admin/signatures/{id}/held',
      'post /admin/signatures/{id}/strike',
      'post /admin/targets',
      'post /admin/tokens',
      'post /c/{slug}',
      'post /c/{slug}/code',
      'post /console/api/sign-in',
      'post /console/api/sign-in/verify',
      'post /console/api/sign-out',
      'post /console/api/sign-out-everywhere',
      'post /me',
      'post /me/code',
      'post /me/{token}',
      'post /p/{token}',
      'post /r/{token}',
      'post /u/{token}',
      'post /v1/campaigns/{slug}/confirmations',
      'post /v1/campaigns/{slug}/confirmations/resend',
      'post /v1/campaigns/{slug}/signatures',
      'post /v1/confirm/{token}',
      'post /v1/sms/delivery-reports/{secret}',
      'post /v1/sms/inbound/{secret}',
      'put /admin/campaigns/{slug}',
      'put /admin/campaigns/{slug}/asks/{targetId}',
      'put /admin/campaigns/{slug}/demands',
    ]);

    const sign = doc.paths['/v1/campaigns/{slug}/signatures']!.post!;
    expect(Object.keys(sign.responses).sort()).toEqual(['201', '202', '400', '403', '404', '409', '413', '415', '422', '429', '500', '503']);
    for (const status of ['400', '403', '404', '409', '413', '415', '422']) {
      expect(sign.responses[status]!.content).toHaveProperty(['application/problem+json']);
    }
    expect(Object.keys(doc.paths['/v1/campaigns/{slug}/counts']!.get!.responses)).toEqual(expect.arrayContaining(['200', '304', '404']));
    // The delivery-report callback's secret is a path parameter, and its refusals are documented.
    const reports = doc.paths['/v1/sms/delivery-reports/{secret}']!.post! as { parameters?: unknown[]; responses: Record<string, unknown> };
    expect(reports.parameters).toEqual([expect.objectContaining({ name: 'secret', in: 'path', required: true })]);
    expect(Object.keys(reports.responses).sort()).toEqual(['200', '404', '413', '422', '429', '500']);
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['Campaign', 'Counts', 'SignRequest', 'SignResponse', 'Problem', 'FieldError', 'Health', 'Ready', 'Accountability']),
    );
  });
});
