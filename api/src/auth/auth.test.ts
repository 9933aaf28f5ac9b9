/** Admin tokens and scopes over real HTTP (app.request) on a real libSQL file. */
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../../test/helpers.ts';
import { listAudit } from '../audit/audit.ts';
import { createAdminToken, revokeAdminToken } from './admin-tokens.ts';
import { cliActor } from './actor.ts';
import { hashToken, listTokens } from './tokens.ts';
import { parseScopes, SCOPES } from './scopes.ts';

const BOOTSTRAP = 'test-admin-token-0123456789abcdef0123';
let t: TestApi;
afterEach(async () => {
  await t.close();
});

const get = (path: string, token?: string) => t.request(path, token ? { headers: { Authorization: `Bearer ${token}` } } : {});

describe('admin tokens', () => {
  it('are random, prefixed, stored only as a SHA-256 hash, and audited', async () => {
    t = await createTestApi({});
    const actor = cliActor();
    const a = await createAdminToken(t.db, { name: 'moderator', scopes: ['moderation'], actor });
    const b = await createAdminToken(t.db, { name: 'exporter', scopes: ['signatures:export'], actor });
    expect(a.token).toMatch(/^imlu_at_[A-Za-z0-9_-]{43}$/);
    expect(a.token).not.toBe(b.token);
    const rows = await t.db.client.execute('SELECT * FROM admin_tokens');
    const dump = JSON.stringify(rows.rows);
    expect(dump).not.toContain(a.token.slice(8));
    const stored = rows.rows.map((r) => Buffer.from(r['token_hash'] as ArrayBuffer).toString('hex'));
    expect(stored).toContain(hashToken(a.token).toString('hex'));
    expect((await listTokens(t.db)).map((i) => i.name).sort()).toEqual(['exporter', 'moderator']);
    const audit = await listAudit(t.db, { action: 'token.created' });
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ actor: actor.id, actorName: actor.name, details: { name: 'exporter', scopes: ['signatures:export'] } });
    expect(JSON.stringify(audit)).not.toContain(a.token);
  });

  it('requireScope: 404 without or with an unknown token, 403 without the scope, 404 once revoked', async () => {
    t = await createTestApi({});
    const mod = await createAdminToken(t.db, { name: 'moderator', scopes: ['moderation'], actor: cliActor() });
    const other = await createAdminToken(t.db, { name: 'reader', scopes: ['campaigns:read'], actor: cliActor() });

    const missing = await get('/admin/trending');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('Content-Type')).toBe('application/problem+json');
    expect((await missing.json()) as object).toMatchObject({ type: 'urn:imlu:problem:not-found' });
    expect((await get('/admin/trending', 'imlu_at_' + 'x'.repeat(43))).status).toBe(404);
    // With no ADMIN_TOKEN configured, stored tokens still work.
    expect((await get('/admin/trending', mod.token)).status).toBe(200);

    const forbidden = await get('/admin/trending', other.token);
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ type: 'urn:imlu:problem:forbidden', status: 403 });

    await revokeAdminToken(t.db, mod.info.id, cliActor());
    expect((await get('/admin/trending', mod.token)).status).toBe(404);
    expect((await listAudit(t.db, { action: 'token.revoked' }))[0]).toMatchObject({ subject: mod.info.id });
  });

  it('records last use, and the bootstrap ADMIN_TOKEN holds every scope', async () => {
    let now = Date.UTC(2026, 10, 27, 9);
    t = await createTestApi({ adminToken: BOOTSTRAP, clock: () => now });
    const mod = await createAdminToken(t.db, { name: 'moderator', scopes: ['moderation'], actor: cliActor(), now });
    expect((await listTokens(t.db))[0]!.lastUsedAt).toBeNull();
    now += 5000;
    expect((await get('/admin/trending', mod.token)).status).toBe(200);
    expect((await listTokens(t.db))[0]!.lastUsedAt).toBe(now);
    expect((await get('/admin/trending', BOOTSTRAP)).status).toBe(200);
  });

  it('a tokens:admin token lists and revokes only tokens within its own scopes; ADMIN_TOKEN holds them all', async () => {
    t = await createTestApi({ adminToken: BOOTSTRAP });
    const call = (token: string, path: string, init: RequestInit = {}) =>
      t.request(path, { ...init, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' } });
    const create = async (token: string, name: string, scopes: string[]) => {
      const response = await call(token, '/admin/tokens', { method: 'POST', body: JSON.stringify({ name, scopes }) });
      expect(response.status, name).toBe(201);
      return (await response.json()) as { id: string; token: string };
    };
    const manager = await create(BOOTSTRAP, 'token manager', ['tokens:admin', 'moderation']);
    const moderator = await create(manager.token, 'moderator', ['moderation']);
    const exporter = await create(BOOTSTRAP, 'exporter', ['signatures:export']);
    const mixed = await create(BOOTSTRAP, 'moderator and exporter', ['moderation', 'signatures:export']);
    const root = await create(BOOTSTRAP, 'second admin', [...SCOPES]);
    // It cannot grant what it lacks (as before)…
    const grant = await call(manager.token, '/admin/tokens', { method: 'POST', body: JSON.stringify({ name: 'x', scopes: ['signatures:export'] }) });
    expect(grant.status).toBe(422);

    // …nor see a token holding a scope it lacks…
    const names = async (token: string) => ((await (await call(token, '/admin/tokens')).json()) as { tokens: { name: string }[] }).tokens.map((x) => x.name).sort();
    expect(await names(manager.token)).toEqual(['moderator', 'token manager']);
    expect(await names(BOOTSTRAP)).toEqual(['moderator', 'moderator and exporter', 'exporter', 'second admin', 'token manager'].sort());
    expect(await names(root.token)).toHaveLength(5);

    // …nor revoke one: 404, as for a token that does not exist; nothing changes, nothing is audited.
    for (const other of [exporter, mixed, root]) {
      const refused = await call(manager.token, `/admin/tokens/${other.id}`, { method: 'DELETE' });
      expect(refused.status, other.id).toBe(404);
      expect(await refused.json()).toMatchObject({ type: 'urn:imlu:problem:not-found' });
    }
    expect((await get('/admin/trending', mixed.token)).status).toBe(200);
    expect((await listTokens(t.db)).filter((x) => x.revokedAt !== null)).toEqual([]);
    expect(await listAudit(t.db, { action: 'token.revoked' })).toEqual([]);

    // Within its scopes it revokes (audited as before); the bootstrap token revokes anything.
    expect((await call(manager.token, `/admin/tokens/${moderator.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await get('/admin/trending', moderator.token)).status).toBe(404);
    expect((await call(BOOTSTRAP, `/admin/tokens/${exporter.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await call(root.token, `/admin/tokens/${mixed.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await listAudit(t.db, { action: 'token.revoked' })).map((e) => e.subject).sort()).toEqual([moderator.id, exporter.id, mixed.id].sort());
  });

  it('parses scope lists and refuses unknown names', () => {
    expect(parseScopes('moderation, audit:read')).toEqual(['moderation', 'audit:read']);
    expect(parseScopes('all')).toEqual([...SCOPES]);
    expect(() => parseScopes('moderation,root')).toThrow(/unknown scope\(s\): root/);
    expect(() => parseScopes('')).toThrow(/at least one/);
  });
});
