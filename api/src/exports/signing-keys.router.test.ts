/**
 * `GET /v1/signing-keys` and the key id on the public accountability record, on a real migrated database:
 * the answer and its caching, a key created while the server runs (as `imlu` does, another process),
 * the OpenAPI entry, and a pack verified with nothing but the published answer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SigningKeysSchema, AccountabilitySchema } from '@imlu/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApi, PARTNER_ORIGIN, type TestApi } from '../../test/helpers.ts';
import { cliActor } from '../auth/actor.ts';
import { givenKeys, openPack, verifyPack } from './pack.ts';
import { exportToDirectory } from './run.ts';
import { createSigningKey, parsePublicKeys } from './signing-key.ts';

let t: TestApi;
beforeEach(async () => {
  t = await createTestApi({ accountabilityCacheMs: 0 });
});
afterEach(() => t.close());

describe('GET /v1/signing-keys', () => {
  it('lists no key, then the current and retired keys, public and cacheable, and revalidates with its ETag', async () => {
    const empty = await t.request('/v1/signing-keys');
    expect(empty.status).toBe(200);
    expect(await empty.json()).toEqual({ current: null, keys: [] });

    const first = await createSigningKey(t.db, t.api.services.crypto, { actor: cliActor(), now: Date.UTC(2026, 10, 1) });
    const second = await createSigningKey(t.db, t.api.services.crypto, { actor: cliActor(), now: Date.UTC(2026, 11, 1) });
    const res = await t.request('/v1/signing-keys', { headers: { Origin: 'https://anyone.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('cache-control')).toBe('public, max-age=60, stale-if-error=86400');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const body = SigningKeysSchema.parse(await res.json());
    expect(body.current).toBe(second.key.keyId);
    expect(body.keys.map((k) => [k.keyId, k.algorithm, k.createdAt, k.retiredAt])).toEqual([
      [second.key.keyId, 'Ed25519', '2026-12-01T00:00:00.000Z', null],
      [first.key.keyId, 'Ed25519', '2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z'],
    ]);
    expect(body.keys[0]!.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n$/);
    expect(JSON.stringify(body)).not.toMatch(/PRIVATE|v2\./);

    const etag = res.headers.get('etag')!;
    const again = await t.request('/v1/signing-keys', { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    await createSigningKey(t.db, t.api.services.crypto, { actor: cliActor() });
    expect((await t.request('/v1/signing-keys', { headers: { 'If-None-Match': etag } })).status).toBe(200);
  });

  it('is what an official needs: a pack verifies with the saved answer alone', async () => {
    await createSigningKey(t.db, t.api.services.crypto, { actor: cliActor() });
    const published = await (await t.request('/v1/signing-keys')).text();
    const dir = mkdtempSync(path.join(tmpdir(), 'imlu-keys-route-'));
    try {
      const campaign = (await t.api.services.campaigns.findBySlug(t.slug))!;
      await exportToDirectory(t.db, t.api.services.crypto, { campaign, format: 'json', filter: {}, locale: 'sw', includeContacts: false }, { dir: path.join(dir, 'pack'), actor: cliActor(), now: Date.now() });
      const source = await openPack(path.join(dir, 'pack'));
      const result = await verifyPack(source, givenKeys(parsePublicKeys(published)));
      source.close();
      expect(result).toMatchObject({ ok: true, signature: { status: 'valid' } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is in the OpenAPI document, public (no security), with its schema', async () => {
    const doc = (await (await t.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { security?: unknown; responses: Record<string, { content?: Record<string, { schema: { $ref: string } }> }> }>>;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    const operation = doc.paths['/v1/signing-keys']!.get!;
    expect(operation.security).toBeUndefined();
    expect(operation.responses['200']!.content!['application/json']!.schema.$ref).toBe('#/components/schemas/SigningKeys');
    expect(Object.keys(doc.components.schemas['SigningKey']!.properties)).toEqual(['keyId', 'algorithm', 'publicKey', 'publicKeyPem', 'createdAt', 'retiredAt']);
    expect(Object.keys(doc.components.schemas['Accountability']!.properties)).toContain('signingKeyId');
  });
});

describe('the public accountability record', () => {
  it('names the current signing key once there is one, and the new one after a change', async () => {
    const board = async () => AccountabilitySchema.parse(await (await t.request(`/v1/campaigns/${t.slug}/accountability`, { headers: { Origin: PARTNER_ORIGIN } })).json());
    expect((await board()).signingKeyId).toBeUndefined();
    const { key } = await createSigningKey(t.db, t.api.services.crypto, { actor: cliActor() });
    expect((await board()).signingKeyId).toBe(key.keyId);
    const next = await createSigningKey(t.db, t.api.services.crypto, { actor: cliActor() });
    expect((await board()).signingKeyId).toBe(next.key.keyId);
  });
});
