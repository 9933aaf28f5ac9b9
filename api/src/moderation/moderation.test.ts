/**
 * Moderation on a real database: invalidation by time window (dry run first) recounts totals and county
 * counts exactly; reconciliation finds and fixes drift; a flood from one source is reported as trending.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FieldCrypto } from '../signing/crypto.ts';
import { createTestApi, TEST_KEYS, validSignature, type TestApi } from '../../test/helpers.ts';
import { invalidateSignatures, reconcileCounts, trendingSources } from './moderation.ts';

let t: TestApi;
let now: number;
const crypto = new FieldCrypto(TEST_KEYS);
afterEach(async () => {
  await t.close();
});

async function setup() {
  now = Date.UTC(2026, 10, 27, 9, 0, 0);
  t = await createTestApi({ clock: () => now, rateLimits: { trustProxy: true } });
}

/** The counts as a fresh COUNT(*) over the signatures says they must be. */
async function truth() {
  const rows = await t.db.client.execute(
    "SELECT COALESCE(county, '-'), COUNT(*) FROM signatures WHERE status = 'counted' AND flag IS NULL GROUP BY 1 ORDER BY 1",
  );
  const byCounty = Object.fromEntries(rows.rows.filter((r) => r[0] !== '-').map((r) => [String(r[0]), Number(r[1])]));
  const total = rows.rows.reduce((sum, r) => sum + Number(r[1]), 0);
  return { total, byCounty };
}

async function publicCounts() {
  await t.api.services.counts.refresh();
  return (await (await t.request(`/v1/campaigns/${t.slug}/counts`)).json()) as { signatures: number; byCounty: Record<string, number> };
}

describe('moderation', () => {
  it('invalidates a time window: a dry run changes nothing, then totals and county counts are recounted exactly', async () => {
    await setup();
    const counties = ['KE-30', 'KE-01', 'KE-47', 'KE-30'];
    for (let i = 0; i < 20; i++) {
      await t.sign(validSignature({ phone: `07${String(30_000_000 + i)}`, county: counties[i % 4] }), { 'X-Forwarded-For': `198.51.100.${i}` });
      now += 60_000;
    }
    const start = Date.UTC(2026, 10, 27, 9, 5, 0);
    const end = Date.UTC(2026, 10, 27, 9, 12, 0);
    const before = await publicCounts();
    const dry = await invalidateSignatures(t.db, crypto, { campaignId: t.campaignId, from: start, to: end }, { dryRun: true });
    expect(dry).toMatchObject({ affected: 7, counted: 7, pending: 0, dryRun: true });
    expect(Object.values(dry.byCounty).reduce((a, b) => a + b, 0)).toBe(7);
    expect(await publicCounts()).toEqual(before);

    const done = await invalidateSignatures(t.db, crypto, { campaignId: t.campaignId, from: start, to: end }, { dryRun: false, now });
    expect(done).toMatchObject({ affected: 7, counted: 7, dryRun: false });
    const after = await publicCounts();
    expect(after.signatures).toBe(13);
    const expected = await truth();
    expect(after.signatures).toBe(expected.total);
    expect(after.byCounty).toEqual(expected.byCounty);
    for (const [county, n] of Object.entries(done.byCounty)) expect(after.byCounty[county] ?? 0).toBe((before.byCounty[county] ?? 0) - n);
    expect(await reconcileCounts(t.db, { fix: false })).toEqual([]);
    // Invalidating again finds nothing left in the window.
    expect((await invalidateSignatures(t.db, crypto, { campaignId: t.campaignId, from: start, to: end }, { dryRun: true })).affected).toBe(0);
  });

  it('refuses an invalidation without any filter', async () => {
    await setup();
    await expect(invalidateSignatures(t.db, crypto, { campaignId: t.campaignId }, { dryRun: true })).rejects.toThrow(/at least one/);
  });

  it('reconciliation reports drift and fixes it', async () => {
    await setup();
    for (let i = 0; i < 3; i++) await t.sign(validSignature({ phone: `07${String(40_000_000 + i)}` }));
    expect(await reconcileCounts(t.db, { fix: false })).toEqual([]);
    await t.db.client.execute("UPDATE campaign_counts SET counted = 999 WHERE bucket = 'KE-30'");
    const drift = await reconcileCounts(t.db, { fix: true, now });
    expect(drift).toEqual([{ campaignId: t.campaignId, bucket: 'KE-30', stored: { counted: 999, pending: 0, suspect: 0 }, actual: { counted: 3, pending: 0, suspect: 0 } }]);
    expect(await reconcileCounts(t.db, { fix: false })).toEqual([]);
    expect((await publicCounts()).byCounty).toEqual({ 'KE-30': 3 });
  });

  it('reports a flooding source as trending, and invalidating by its hash leaves the counts exact', async () => {
    await setup();
    for (let i = 0; i < 10; i++) await t.sign(validSignature({ phone: `07${String(50_000_000 + i)}` }), { 'X-Forwarded-For': `198.51.100.${i}` });
    for (let i = 0; i < 40; i++) await t.sign(validSignature({ phone: `07${String(51_000_000 + i)}`, county: 'KE-47' }), { 'X-Forwarded-For': '192.0.2.66' });
    const trending = await trendingSources(t.db, { now: now + 1, windowMs: 10 * 60_000, minCount: 20, minShare: 0.5 });
    expect(trending).toHaveLength(1);
    expect(trending[0]).toMatchObject({ campaignId: t.campaignId, kind: 'source', signatures: 40, share: 0.8 });
    expect(trending[0]!.hashPrefix).toMatch(/^[0-9a-f]{12}$/);
    // The flood was already suspect (1 counted); invalidating the source removes that one as well.
    const report = await invalidateSignatures(t.db, crypto, { campaignId: t.campaignId, sourceHashHex: trending[0]!.hashPrefix }, { dryRun: false, now });
    expect(report).toMatchObject({ affected: 40, counted: 1, suspect: 39 });
    expect(await publicCounts()).toMatchObject({ signatures: 10, byCounty: { 'KE-30': 10 } });
    expect(await reconcileCounts(t.db, { fix: false })).toEqual([]);
  });
});
