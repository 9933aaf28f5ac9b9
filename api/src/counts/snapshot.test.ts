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

it("carries a pledge campaign's figures per action in the actions' order, and readers with and without them keep their own view", () => {
  const snapshot = new CountsSnapshot(db.db.client, undefined, () => now);
  const action = (id: string, position: number, capacity: number | null) => ({
    id,
    position,
    title: { en: id, sw: id },
    place: null,
    county: null,
    startsAt: null,
    capacity,
  });
  const actions = [action('a2', 2, null), action('a1', 1, 10)];
  const figures = (actionId: string, pledged: number, kept: number, version: number) => ({ actionId, campaignId: 'c1', pledged, reminded: 0, kept, cant: 1, version });
  snapshot.apply([row('total', 5, 1)]);
  snapshot.applyActions([figures('a1', 4, 1, 3)]);
  const withActions = snapshot.view('c1', null, 0, actions);
  expect(CountsSchema.parse(withActions.counts).actions).toEqual([
    { id: 'a1', position: 1, pledged: 4, reminded: 0, kept: 1, cant: 1, placesLeft: 6, startsAt: null },
    { id: 'a2', position: 2, pledged: 0, reminded: 0, kept: 0, cant: 0, placesLeft: null, startsAt: null },
  ]);
  const plain = snapshot.view('c1', null, 0);
  expect(plain.counts.actions).toBeUndefined();
  // Alternating readers get their cached views, and the same `updatedAt`.
  now += 5000;
  expect(snapshot.view('c1', null, 0, actions)).toBe(withActions);
  expect(snapshot.view('c1', null, 0)).toBe(plain);
  expect(plain.counts.updatedAt).toBe(withActions.counts.updatedAt);

  snapshot.applyActions([figures('a1', 3, 0, 2)]); // older: ignored
  expect(snapshot.view('c1', null, 0, actions)).toBe(withActions);
  snapshot.applyActions([figures('a1', 4, 2, 4)]);
  const moved = snapshot.view('c1', null, 0, actions);
  expect(moved.counts.actions![0]).toMatchObject({ kept: 2 });
  expect(moved.counts.updatedAt).toBe(new Date(Math.floor(now / 1000) * 1000).toISOString());
  expect(snapshot.view('c1', null, 0).counts.updatedAt).toBe(moved.counts.updatedAt);
});
