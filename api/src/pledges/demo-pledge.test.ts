import { AccountabilitySchema } from '@imlu/contracts';
import { afterEach, expect, it } from 'vitest';
import { createApp, type Api } from '../app.ts';
import { FieldCrypto } from '../signing/crypto.ts';
import { createTestDb, TEST_KEYS, type TestDb } from '../../test/helpers.ts';
import { DEMO_PLEDGE_SLUG, seedDemoPledge } from './demo-pledge.ts';

let testDb: TestDb;
let api: Api;
afterEach(async () => {
  await api.close();
  testDb.cleanup();
});

it('seeds a pledge campaign with two dated actions and figures the board shows', async () => {
  testDb = await createTestDb();
  const now = Date.parse('2026-11-27T10:00:00Z');
  await seedDemoPledge(testDb.db, new FieldCrypto(TEST_KEYS), now);
  api = await createApp({ db: testDb.db, config: { ...TEST_KEYS, allowedOrigins: [], countsMaxAge: 10 }, clock: () => now });

  const board = AccountabilitySchema.parse(await (await api.app.request(`/v1/campaigns/${DEMO_PLEDGE_SLUG}/accountability`)).json());
  expect(board.signatures).toBe(8);
  expect(board.pledges!.map((p) => ({ sw: p.title.sw, startsAt: p.startsAt, capacity: p.capacity, pledged: p.pledged, kept: p.kept, cant: p.cant, placesLeft: p.placesLeft }))).toEqual([
    { sw: 'Hudhuria kutajwa kwa kesi', startsAt: '2026-11-24T06:00:00.000Z', capacity: null, pledged: 5, kept: 4, cant: 1, placesLeft: null },
    { sw: 'Hudhuria kikao cha kusikiliza kesi', startsAt: '2026-12-07T06:00:00.000Z', capacity: 150, pledged: 6, kept: 0, cant: 0, placesLeft: 144 },
  ]);
  expect(board.pledges![0]!.place).toEqual({ en: 'Milimani Law Courts, Nairobi', sw: 'Mahakama ya Milimani, Nairobi' });
  // Beside a duty bearer's commitment, in both languages.
  expect(board.targets.map((t) => ({ name: t.name, nameSw: t.nameSw, status: t.positions[0]?.status }))).toEqual([
    { name: 'Director of Public Prosecutions', nameSw: 'Mkurugenzi wa Mashtaka ya Umma', status: 'committed' },
  ]);
  expect(board.summary).toMatchObject({ targets: 1, committed: 1 });
});
