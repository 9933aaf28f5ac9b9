/**
 * Retention on a real database with a fixed clock: a campaign that ended keeps its signers' personal data
 * for its retention period, then loses it — rows, blind indexes, idempotency records, queued messages, and
 * their bytes in the database file and its WAL — while counts, county counts, milestones and the
 * accountability board stay exactly as they were. A pack exported afterwards shows totals only.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PDFParse } from 'pdf-parse';
import { reconcileCounts } from '../moderation/moderation.ts';
import { FieldCrypto } from '../signing/crypto.ts';
import { createCampaign } from '../campaigns/create.ts';
import { createTestApi, OPEN_CAMPAIGN, storedCounts, TEST_KEYS, validSignature, type TestApi } from '../../test/helpers.ts';
import { insertSignatures } from '../../test/synthetic.ts';
import { compactIfDue, DAY_MS, retentionSchedule, runRetention } from './retention.ts';

const ADMIN = 'retention-admin-token-0123456789abcdef';
let t: TestApi;
let now: number;

beforeEach(async () => {
  now = Date.UTC(2026, 11, 1, 9, 0, 0);
  t = await createTestApi({ clock: () => now, adminToken: ADMIN, campaign: { retentionDays: 30 } });
});
afterEach(async () => {
  await t.close();
});

const admin = (path: string, init: RequestInit = {}) =>
  t.request(path, { ...init, headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json', ...init.headers } });

async function rowCounts() {
  const q = async (sql: string) => Number((await t.db.client.execute({ sql, args: [t.campaignId] })).rows[0]![0]);
  return {
    signatures: await q('SELECT COUNT(*) FROM signatures WHERE campaign_id = ?'),
    dedupe: await q('SELECT COUNT(*) FROM signature_dedupe WHERE campaign_id = ?'),
    idempotency: await q('SELECT COUNT(*) FROM idempotency_keys WHERE campaign_id = ?'),
  };
}

async function close() {
  await t.db.client.execute({ sql: "UPDATE campaigns SET status = 'closed', closed_at = ? WHERE id = ?", args: [now, t.campaignId] });
  t.api.services.campaigns.invalidate();
}

describe('retention', () => {
  it('deletes the personal data of a campaign past its retention period, and nothing of what is public', async () => {
    const names = ['Wanjirũ Kamau', 'Baraka Mwangi', 'Halima Abdi'];
    for (const [i, name] of names.entries()) {
      const response = await t.sign(validSignature({ name, phone: `071200000${i}`, county: i === 2 ? 'KE-01' : 'KE-30' }), { 'Idempotency-Key': `k-${i}` });
      expect(response.status).toBe(201);
    }
    await t.sign(validSignature({ name: 'Email Signer', phone: undefined, email: 'signer@example.org', county: undefined }));
    // Enough rows that SQLite splits pages (where stale copies of cells can survive a plain delete), and
    // another campaign's rows on the same pages, which stay.
    const other = await createCampaign(t.db, { ...OPEN_CAMPAIGN, slug: 'still-open' }, now);
    await insertSignatures(
      t.db.client,
      new FieldCrypto(TEST_KEYS),
      other,
      Array.from({ length: 600 }, (_, i) => ({ name: `Other Signer ${i}`, county: 'KE-01', status: 'counted' as const, shareWithTargets: true, flag: null, createdAt: now - i })),
      { batchSize: 7 },
    );
    await insertSignatures(
      t.db.client,
      new FieldCrypto(TEST_KEYS),
      t.campaignId,
      Array.from({ length: 600 }, (_, i) => ({ name: `Bulk Signer ${i}`, county: 'KE-47', status: 'pending' as const, shareWithTargets: false, flag: null, createdAt: now - i })),
      { batchSize: 7 },
    );
    const milestone = await admin(`/admin/campaigns/${t.slug}/milestones`, {
      method: 'POST',
      body: JSON.stringify({ threshold: 2, label: { en: 'Two signatures', sw: 'Sahihi mbili' } }),
    });
    expect(milestone.status).toBe(201);
    const envelopes = (await t.db.client.execute({ sql: 'SELECT name_enc, email_enc, phone_enc FROM signatures WHERE campaign_id = ?', args: [t.campaignId] })).rows.flatMap((r) =>
      [r[0], r[1], r[2]].filter((v): v is string => typeof v === 'string'),
    );
    expect(envelopes.length).toBeGreaterThanOrEqual(8);

    // Closed now, kept 30 days.
    await close();
    const publicBefore = await (await t.request(`/v1/campaigns/${t.slug}/counts`)).json();
    const boardBefore = (await (await t.request(`/v1/campaigns/${t.slug}/accountability`)).json()) as Record<string, unknown>;
    const stored = await storedCounts(t.db, t.campaignId);
    expect(stored.counted).toBe(4);

    now += 29 * DAY_MS;
    expect(await runRetention(t.db, { now })).toMatchObject({ anonymised: [], signatures: 0 });
    expect((await rowCounts()).signatures).toBe(604);
    const [scheduled] = await retentionSchedule(t.db.client, now);
    expect(scheduled).toMatchObject({ slug: t.slug, retentionDays: 30, dueAt: now + DAY_MS, signatures: 604, anonymisedAt: null });

    now += 1 * DAY_MS;
    const dry = await runRetention(t.db, { now, dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, signatures: 604, anonymised: [expect.objectContaining({ slug: t.slug })] });
    expect((await rowCounts()).signatures).toBe(604);

    const report = await runRetention(t.db, { now });
    expect(report).toMatchObject({ dryRun: false, signatures: 604 });
    expect(await rowCounts()).toEqual({ signatures: 0, dedupe: 0, idempotency: 0 });
    expect(Number((await t.db.client.execute("SELECT COUNT(*) FROM outbox WHERE kind LIKE 'confirm-%'")).rows[0]![0])).toBe(0);

    // What the public saw is unchanged: counts, county counts, milestones, the board.
    expect(await storedCounts(t.db, t.campaignId)).toEqual(stored);
    expect(await (await t.request(`/v1/campaigns/${t.slug}/counts`)).json()).toEqual(publicBefore);
    const boardAfter = (await (await t.request(`/v1/campaigns/${t.slug}/accountability`)).json()) as Record<string, unknown>;
    expect({ ...boardAfter, updatedAt: null }).toEqual({ ...boardBefore, updatedAt: null });
    expect(boardAfter['milestones']).toEqual([expect.objectContaining({ threshold: 2, reachedAt: expect.any(String) })]);

    // Gone from the file and its WAL too, not only unlinked.
    for (const file of [t.file, `${t.file}-wal`]) {
      if (!existsSync(file)) continue; // no WAL left
      const bytes = readFileSync(file, 'latin1');
      for (const envelope of envelopes) expect(bytes).not.toContain(envelope.split('.').at(-1)!.slice(0, 16));
    }

    // Reconciliation sees final counts, not drift; an invalidation cannot zero them; nothing reopens it.
    expect((await reconcileCounts(t.db, { fix: true, now })).filter((drift) => drift.campaignId === t.campaignId)).toEqual([]);
    expect(await storedCounts(t.db, t.campaignId)).toEqual(stored);
    const reopen = await admin(`/admin/campaigns/${t.slug}`, {
      method: 'PUT',
      body: JSON.stringify({
        slug: t.slug,
        status: 'open',
        verification: 'none',
        consentVersion: 'v1',
        title: { en: 'T', sw: 'T' },
        summary: { en: 'S', sw: 'S' },
        body: { en: 'B', sw: 'B' },
      }),
    });
    expect(reopen.status).toBe(422);

    // The audit log says what happened, without personal data.
    const audit = await t.db.client.execute("SELECT actor, row_count, details FROM audit_log WHERE action = 'campaign.anonymised'");
    expect(audit.rows.map((r) => [r[0], r[1]])).toEqual([['system:retention', 604]]);
    expect(String(audit.rows[0]![2])).not.toMatch(/Kamau|Baraka|0712/);

    // A pack made now: totals only, the signers' details gone, and it says why.
    const pdf = await admin(`/admin/campaigns/${t.slug}/export?format=pdf&locale=en`);
    expect(pdf.status).toBe(200);
    const parser = new PDFParse({ data: new Uint8Array(await pdf.arrayBuffer()) });
    const { text } = await parser.getText();
    await parser.destroy();
    expect(text).toContain('Total signatures in this pack: 4');
    expect(text).toMatch(/Nairobi \(KE-30\)\s+2/);
    expect(text).toContain('personal details were deleted on');
    for (const name of names) expect(text).not.toContain(name);

    // A second run has nothing left to do.
    expect(await runRetention(t.db, { now: now + DAY_MS })).toMatchObject({ anonymised: [], signatures: 0 });
  });

  it('counts the period from a past closing date too, and leaves open campaigns alone', async () => {
    await t.sign(validSignature());
    await t.db.client.execute({ sql: 'UPDATE campaigns SET closes_at = ? WHERE id = ?', args: [now + DAY_MS, t.campaignId] });
    now += 10 * DAY_MS;
    expect((await retentionSchedule(t.db.client, now))[0]).toMatchObject({ endedAt: now - 9 * DAY_MS, dueAt: now + 21 * DAY_MS });
    now += 22 * DAY_MS;
    expect((await runRetention(t.db, { now })).signatures).toBe(1);
    expect((await rowCounts()).signatures).toBe(0);
  });

  it('rebuilds the file on its daily run when an erasure asked for it, and only then', async () => {
    const flag = async () => (await t.db.client.execute("SELECT COUNT(*) FROM instance_meta WHERE key = 'compaction_due'")).rows[0]![0];
    expect(await compactIfDue(t.db)).toBe(false);
    await t.db.client.execute("INSERT INTO instance_meta (key, value) VALUES ('compaction_due', '1')");
    const report = await runRetention(t.db, { now });
    expect(report.anonymised).toEqual([]);
    expect(await flag()).toBe(0);
    expect(await compactIfDue(t.db)).toBe(false);
  });
});
