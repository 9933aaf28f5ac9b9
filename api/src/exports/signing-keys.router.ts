/**
 * `GET /v1/signing-keys`: the public keys that sign export packs, current and retired, so an official
 * can verify a pack (`imlu export verify --public-key`, or OpenSSL: docs/exports.md). Public and open to
 * every origin like the other reads. Read from the database on each request (a few rows): a key created by
 * `imlu` in another process shows at once here, and within `max-age` through a cache.
 */
import { createRoute } from '@hono/zod-openapi';
import { SigningKeysSchema, type SigningKeys } from '@imlu/contracts';
import { notModified, strongEtag } from '../http/etag.ts';
import { createRouter, problemResponses } from '../http/openapi.ts';
import { listSigningKeys } from './signing-key.ts';

/** A minute: an official checking a pack made just after a new key was created is not kept waiting long. */
export const SIGNING_KEYS_MAX_AGE = 60;

const cacheHeaders = {
  'Cache-Control': { schema: { type: 'string' as const }, description: `public, max-age=${SIGNING_KEYS_MAX_AGE}, stale-if-error=86400` },
  ETag: { schema: { type: 'string' as const }, description: 'Strong validator; send it back in If-None-Match' },
};

export const getSigningKeys = createRoute({
  method: 'get',
  path: '/v1/signing-keys',
  tags: ['exports'],
  summary: "The organisation's public keys that sign delivery packs (Ed25519), newest first",
  description:
    'Every export pack holds `manifest.json` (each file with its SHA-256), `signature.json` (an Ed25519 signature over the exact bytes of ' +
    '`manifest.json` and the id of the key that made it) and `SHA256SUMS`. Check a pack with `imlu export verify <pack> --public-key <this answer, ' +
    'saved as a file>`, or with OpenSSL and `publicKeyPem`. Retired keys stay listed: packs they signed before their retirement still verify.',
  request: {},
  responses: {
    200: { description: 'The keys', headers: cacheHeaders, content: { 'application/json': { schema: SigningKeysSchema } } },
    304: { description: 'Not modified since the ETag in If-None-Match', headers: cacheHeaders },
    ...problemResponses(500),
  },
});

export function signingKeysRouter() {
  return createRouter().openapi(getSigningKeys, async (c) => {
    const keys = await listSigningKeys(c.var.services.db.orm);
    const body: SigningKeys = {
      current: keys.find((key) => key.retiredAt === null)?.keyId ?? null,
      keys: keys.map((key) => ({ ...key, createdAt: new Date(key.createdAt).toISOString(), retiredAt: key.retiredAt === null ? null : new Date(key.retiredAt).toISOString() })),
    };
    const json = JSON.stringify(body);
    const etag = strongEtag(json);
    const headers = { ETag: etag, 'Cache-Control': `public, max-age=${SIGNING_KEYS_MAX_AGE}, stale-if-error=86400` };
    if (notModified(c.req.header('If-None-Match'), etag)) return c.body(null, 304, headers);
    return c.body(json, 200, { ...headers, 'Content-Type': 'application/json' }) as never;
  });
}
