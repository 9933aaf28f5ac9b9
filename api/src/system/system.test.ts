import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { createDb } from '../db/client.ts';
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

  it('GET /ready is 200 when the database answers and every migration is applied', async () => {
    const response = await t.request('/ready');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', checks: { database: true, migrations: true } });
  });

  it('GET /ready is 503 on an unmigrated database', async () => {
    const empty = await createDb(`file:${t.dir}/empty.db`);
    const api = await createApp({ db: empty, config: { ...TEST_KEYS, allowedOrigins: [], countsMaxAge: 10 } });
    try {
      const response = await api.app.request('/ready');
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: 'not_ready', checks: { database: true, migrations: false } });
    } finally {
      await api.close();
      empty.close();
    }
  });

  it('GET /ready is 503 when the database is gone', async () => {
    t.db.client.close();
    const response = await t.request('/ready');
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 'not_ready', checks: { database: false } });
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
    const served = new Set(
      t.api.app.routes
        .filter((r) => r.method !== 'ALL')
        .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`),
    );
    const documented = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`)));
    expect(documented).toEqual(served);
    expect([...documented].sort()).toEqual([
      'delete /admin/campaigns/{slug}/milestones/{threshold}',
      'delete /admin/campaigns/{slug}/response-links/{linkId}',
      'delete /admin/tokens/{id}',
      'delete /admin/webhooks/{id}',
      'get /admin/audit',
      'get /admin/campaigns',
      'get /admin/campaigns/{slug}/asks',
      'get /admin/campaigns/{slug}/export',
      'get /admin/campaigns/{slug}/held',
      'get /admin/campaigns/{slug}/response-links',
      'get /admin/campaigns/{slug}/updates',
      'get /admin/campaigns/{slug}/updates/preview',
      'get /admin/campaigns/{slug}/webhooks',
      'get /admin/targets',
      'get /admin/targets/{targetId}',
      'get /admin/tokens',
      'get /admin/trending',
      'get /c/{slug}',
      'get /chunks/{name}',
      'get /embed.js',
      'get /health',
      'get /me',
      'get /me/{token}',
      'get /openapi.json',
      'get /r/{token}',
      'get /ready',
      'get /u/{token}',
      'get /v1/campaigns/{slug}',
      'get /v1/campaigns/{slug}/accountability',
      'get /v1/campaigns/{slug}/challenge',
      'get /v1/campaigns/{slug}/counts',
      'get /v1/confirm/{token}',
      'patch /admin/targets/{targetId}',
      'post /admin/campaigns/{slug}/invalidations',
      'post /admin/campaigns/{slug}/milestones',
      'post /admin/campaigns/{slug}/positions',
      'post /admin/campaigns/{slug}/response-links',
      'post /admin/campaigns/{slug}/webhooks',
      'post /admin/reconcile',
      'post /admin/signatures/{id}/held',
      'post /admin/signatures/{id}/strike',
      'post /admin/targets',
      'post /admin/tokens',
      'post /c/{slug}',
      'post /me',
      'post /me/code',
      'post /me/{token}',
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
