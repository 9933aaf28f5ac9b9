/** Every 503 says when to retry, and a database that refuses for a while is a 503, never a 500. */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { createTestApi, PARTNER_ORIGIN, validSignature } from '../../test/helpers.ts';
import { silentLogger } from '../logging/logger.ts';
import { WriterUnavailableError } from '../signing/writer.ts';
import { errorHandler, toProblemError } from './problem.ts';

function appThrowing(error: unknown) {
  const app = new Hono();
  app.get('/', () => {
    throw error;
  });
  app.onError(errorHandler(silentLogger));
  return app;
}

describe('503 answers', () => {
  it.each([
    ['the writer could not commit', new WriterUnavailableError('the signature could not be stored')],
    ['another process holds the lock', Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' })],
    ['the disk is full', Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })],
    ['an I/O error', Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE' })],
    ['a 503 thrown by middleware', new HTTPException(503)],
  ])('%s: 503 unavailable with Retry-After', async (_name, error) => {
    const response = await appThrowing(error).request('/');
    expect(response.status).toBe(503);
    expect(response.headers.get('Content-Type')).toBe('application/problem+json');
    expect(response.headers.get('Retry-After')).toBe('1');
    expect(await response.json()).toMatchObject({ type: 'urn:imlu:problem:unavailable', status: 503 });
  });

  it('a constraint failure stays an internal error', () => {
    expect(toProblemError(Object.assign(new Error('x'), { code: 'SQLITE_CONSTRAINT_UNIQUE' })).status).toBe(500);
  });
});

describe('the signing route', () => {
  it('answers 503 with Retry-After when its signature cannot be written', async () => {
    const t = await createTestApi();
    try {
      expect((await t.sign(validSignature(), { Origin: PARTNER_ORIGIN, 'Idempotency-Key': 'k-1' })).status).toBe(201);
      // The campaign stays cached; the write cannot even begin.
      t.db.client.close();
      const response = await t.sign(validSignature({ phone: '0722000111', name: 'Second Signer' }), { Origin: PARTNER_ORIGIN, 'Idempotency-Key': 'k-2' });
      expect(response.status).toBe(503);
      expect(response.headers.get('Retry-After')).toBe('1');
      expect(await response.json()).toMatchObject({ type: 'urn:imlu:problem:unavailable' });
    } finally {
      await t.close();
    }
  });
});
