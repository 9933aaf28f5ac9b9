import { CountsSchema } from '@imlu/contracts';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { strongEtag } from '../http/etag.ts';
import { createTestDb, type TestDb } from '../../test/helpers.ts';
import { CountsSnapshot } from './snapshot.ts';

let db: TestDb;
let now = Date.UTC(2026, 11, 1, 10, 0, 0);
beforeEach(async () => {
  db = await createTestDb();
});
afterEach(() => {
  db.cleanup();
});

const row = (bucket: string, counted: number, version: number) => ({ campaignId: 'c1', bucket, counted, pending: 0, version, updatedAt: now });

it('renders each version of the figures once, as bytes whose ETag names them, and a newer row replaces them at once', () => {
  const snapshot = new CountsSnapshot(db.db.client, undefined, () => now);
  snapshot.apply([row('total', 2, 1), row('KE-30', 2, 1)]);
  const first = snapshot.view('c1', 100, 0);
  expect(snapshot.view('c1', 100, 0)).toBe(first); // the same bytes for every reader until the figures move
  expect(first.body.toString()).toBe(JSON.stringify(CountsSchema.parse(first.counts)));
  expect(first.etag).toBe(strongEtag(first.body));

  now += 5000;
  snapshot.apply([row('total', 1, 1)]); // not newer: ignored
  expect(snapshot.view('c1', 100, 0)).toBe(first);

  snapshot.apply([row('total', 3, 2), row('KE-30', 3, 2)]);
  const second = snapshot.view('c1', 100, 0);
  expect(second).not.toBe(first);
  expect(JSON.parse(second.body.toString())).toEqual({ signatures: 3, goal: 100, byCounty: { 'KE-30': 3 }, updatedAt: new Date(now).toISOString() });
  expect(second.etag).toBe(strongEtag(second.body));
  expect(second.etag).not.toBe(first.etag);
});
