import type { Accountability } from '@imlu/contracts';
import { afterEach, expect, it } from 'vitest';
import { createApp, type Api } from '../app.ts';
import { DEMO_CAMPAIGN, seedDemoIfEmpty } from '../campaigns/demo-seed.ts';
import { FieldCrypto } from '../signing/crypto.ts';
import { createTestDb, TEST_KEYS, type TestDb } from '../../test/helpers.ts';
import { demoResponseLink, seedDemoBoard } from './demo-board.ts';

let testDb: TestDb;
let api: Api;
afterEach(async () => {
  await api.close();
  testDb.cleanup();
});

it('seeds a plausible board: a mix of statuses, one delivered, one overdue, milestones, illustrative statements', async () => {
  testDb = await createTestDb();
  const now = Date.parse('2026-11-27T10:00:00Z');
  expect(await seedDemoIfEmpty(testDb.db, now)).toBe(true);
  await seedDemoBoard(testDb.db, new FieldCrypto(TEST_KEYS), DEMO_CAMPAIGN.slug, now);
  api = await createApp({ db: testDb.db, config: { ...TEST_KEYS, allowedOrigins: [], countsMaxAge: 10 }, clock: () => now });

  const board = (await (await api.app.request(`/v1/campaigns/${DEMO_CAMPAIGN.slug}/accountability`)).json()) as Accountability;
  expect(board.targets.map((t) => t.name)).toEqual([
    'Inspector-General of the National Police Service',
    'Director of Public Prosecutions',
    'Independent Policing Oversight Authority (IPOA)',
    'Cabinet Secretary for Interior and National Administration',
    'Nairobi City County Government',
    'National Gender and Equality Commission',
    'Attorney-General',
  ]);
  expect(board.summary).toEqual({ targets: 7, asked: 7, responded: 5, committed: 3, delivered: 1, declined: 1, broken: 0, overdue: 2 });
  expect(board.targets.find((t) => t.name === 'Attorney-General')).toMatchObject({ overdue: true, daysOverdue: 30 });
  const county = board.targets.find((t) => t.jurisdiction.level === 'county')!;
  expect(county).toMatchObject({ jurisdiction: { county: 'KE-30', ocdId: 'ocd-division/country:ke/county:30' }, overdue: true, daysOverdue: 14 });
  const statuses = new Set(board.targets.flatMap((t) => t.positions.map((p) => p.status)));
  for (const status of ['committed', 'acknowledged', 'declined', 'delivered', 'asked', 'not_asked']) expect(statuses).toContain(status);
  const statements = board.targets.flatMap((t) => t.positions.flatMap((p) => p.history.map((h) => h.statement ?? '')));
  expect(statements.length).toBeGreaterThan(5);
  for (const statement of statements) expect(statement).toContain('Illustrative demo data');
  // Every demo duty bearer and statement has its Kiswahili form.
  for (const target of board.targets) {
    expect(target.nameSw, target.name).toBeTruthy();
    expect(target.officeSw, target.name).toBeTruthy();
    expect(target.institutionSw, target.name).toBeTruthy();
  }
  expect(board.targets[0]).toMatchObject({ officeSw: 'Inspekta Jenerali wa Polisi', institutionSw: 'Huduma ya Taifa ya Polisi' });
  const swStatements = board.targets.flatMap((t) => t.positions.flatMap((p) => p.history.map((h) => h.statementSw ?? '')));
  expect(swStatements).toHaveLength(statements.length);
  for (const statement of swStatements) expect(statement).toContain('Data ya mfano tu');
  expect(board.milestones.map((m) => [m.threshold, m.reachedAt])).toEqual([
    [1000, null],
    [10000, null],
  ]);

  const token = await demoResponseLink(testDb.db, DEMO_CAMPAIGN.slug, now);
  const page = await api.app.request(`/r/${token}?lang=sw`);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('Serikali ya Kaunti ya Jiji la Nairobi');
  expect(html).not.toContain('Nairobi City County Government');
  expect(html).toContain('<legend>3. ');
  expect(html).toContain('Jibu hili limechelewa kwa siku 14');
});
