/**
 * Rate limits on a real database: over-limit signatures are stored as suspect, never counted, with the
 * same answer; a flood gets 429 before any database work; sources are stored only as keyed hashes.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApi, tableCounts, validSignature, type TestApi, storedCounts } from '../../test/helpers.ts';
import type { CreateAppOptions } from '../app.ts';

let t: TestApi;
let now: number;
afterEach(async () => {
  await t.close();
});

async function setup(rateLimits: NonNullable<CreateAppOptions['config']['rateLimits']>, campaign: Parameters<typeof createTestApi>[0] = {}) {
  now = Date.UTC(2026, 10, 27, 9, 0, 0);
  t = await createTestApi({ clock: () => now, rateLimits: { trustProxy: true, ...rateLimits }, ...campaign });
}

const from = (ip: string) => ({ 'X-Forwarded-For': `10.0.0.1, ${ip}` });
let phones = 0;
const nextPhone = () => `07${String(10_000_000 + phones++)}`;

async function publicCounts() {
  return (await (await t.request(`/v1/campaigns/${t.slug}/counts`)).json()) as { signatures: number; byCounty: Record<string, number> };
}

async function suspects() {
  const rows = await t.db.client.execute("SELECT COUNT(*) FROM signatures WHERE flag = 'suspect'");
  const bucket = await t.db.client.execute("SELECT suspect FROM campaign_counts WHERE bucket = 'total'");
  return { rows: Number(rows.rows[0]![0]), bucket: Number(bucket.rows[0]?.[0] ?? 0) };
}

describe('soft limits (suspect, never counted, same answer)', () => {
  it('allows one signature per source IP per minute by default; the next is suspect with an identical answer', async () => {
    await setup({});
    const first = await t.sign(validSignature({ phone: nextPhone() }), from('203.0.113.7'));
    const second = await t.sign(validSignature({ phone: nextPhone(), county: 'KE-01' }), from('203.0.113.7'));
    expect([first.status, await first.text()]).toEqual([second.status, await second.text()]);
    expect(await publicCounts()).toMatchObject({ signatures: 1, byCounty: { 'KE-30': 1 } });
    expect(await suspects()).toEqual({ rows: 1, bucket: 1 });
    // Another source is not affected; the first source may sign again a minute later.
    expect((await t.sign(validSignature({ phone: nextPhone() }), from('198.51.100.1'))).status).toBe(201);
    now += 60_001;
    await t.sign(validSignature({ phone: nextPhone() }), from('203.0.113.7'));
    expect((await publicCounts()).signatures).toBe(3);
  });

  it('counts a duplicate towards the source limit exactly like a new signature (no "has it signed?" through the next one)', async () => {
    await setup({}, { campaign: { verification: 'sms' } });
    // A number that signed (from its owner's own connection), and one that never did.
    await t.sign(validSignature({ phone: '0712000100' }), from('198.51.100.50'));
    await t.db.client.execute("UPDATE signatures SET status = 'counted', confirmed_at = 1"); // as its SMS code would
    const probe = async (source: string, tried: string) => {
      await t.sign(validSignature({ phone: tried }), from(source));
      // The stranger's own number, from the same address, a moment later.
      await t.sign(validSignature({ name: 'Mgeni', phone: nextPhone() }), from(source));
      const own = await t.db.client.execute('SELECT flag FROM signatures ORDER BY rowid DESC LIMIT 1');
      return own.rows[0]![0];
    };
    const afterDuplicate = await probe('203.0.113.60', '+254712000100');
    const afterNew = await probe('203.0.113.61', '0712000199');
    expect([afterDuplicate, afterNew]).toEqual(['suspect', 'suspect']);
    expect((await t.db.client.execute('SELECT COUNT(*) FROM signing_attempts')).rows[0]![0]).toBe(5);
  });

  it('applies the five-in-five-minutes window', async () => {
    await setup({ soft: { ipBurst: null } });
    for (let i = 0; i < 7; i++) {
      expect((await t.sign(validSignature({ phone: nextPhone() }), from('203.0.113.8'))).status).toBe(201);
      now += 10_000;
    }
    expect((await publicCounts()).signatures).toBe(5);
    expect((await suspects()).rows).toBe(2);
  });

  it('limits a small e-mail domain, never a big webmail one', async () => {
    await setup({ soft: { ipBurst: null, ipWindow: null, domainBurst: 2 } });
    for (let i = 0; i < 3; i++) await t.sign({ name: 'N', email: `p${i}@small-ngo.example`, consent: { terms: true } });
    for (let i = 0; i < 3; i++) await t.sign({ name: 'N', email: `p${i}@gmail.com`, consent: { terms: true } });
    expect((await publicCounts()).signatures).toBe(5);
    expect((await suspects()).rows).toBe(1);
  });

  it('limits a block of 10,000 phone numbers (sequential numbers, SMS pumping) like a domain, not neighbours elsewhere', async () => {
    await setup({ phoneBlocks: true, soft: { ipBurst: null, ipWindow: null, domainBurst: 3 } });
    // +254 712 34 0000 … 0004: one block.
    for (let i = 0; i < 5; i++) await t.sign(validSignature({ phone: `071234000${i}` }));
    // Other blocks are not affected.
    await t.sign(validSignature({ phone: '0712350000' }));
    await t.sign(validSignature({ phone: '0722340000' }));
    expect((await publicCounts()).signatures).toBe(5);
    expect((await suspects()).rows).toBe(2);
  });

  it('sends no confirmation for a suspect signature, and it cannot be confirmed into the count', async () => {
    await setup({}, { campaign: { verification: 'email' } });
    await t.sign(validSignature({ email: 'one@example.org', phone: undefined }), from('203.0.113.9'));
    const second = await t.sign(validSignature({ email: 'two@example.org', phone: undefined }), from('203.0.113.9'));
    expect(second.status).toBe(202);
    const outbox = await t.db.client.execute('SELECT COUNT(*) FROM outbox');
    expect(Number(outbox.rows[0]![0])).toBe(1);
    expect(await publicCounts()).toMatchObject({ signatures: 0 });
    expect(await storedCounts(t.db)).toMatchObject({ counted: 0, pending: 1, suspect: 1 });
    // Even a forced confirmation of the suspect row moves no count (the trigger skips suspects).
    await t.db.client.execute("UPDATE signatures SET status = 'counted' WHERE flag = 'suspect'");
    const total = await t.db.client.execute("SELECT counted, pending FROM campaign_counts WHERE bucket = 'total'");
    expect([total.rows[0]![0], total.rows[0]![1]]).toEqual([0, 1]);
  });

  it('3,000 signatures from one source in three minutes leave the public count unmoved after the first', async () => {
    await setup({ hardPerMinute: null });
    const before = await publicCounts();
    const answers = new Set<string>();
    for (let batch = 0; batch < 30; batch++) {
      const responses = await Promise.all(
        Array.from({ length: 100 }, () => t.sign(validSignature({ phone: nextPhone(), county: 'KE-47' }), from('192.0.2.66'))),
      );
      for (const response of responses) answers.add(`${response.status} ${await response.text()}`);
      now += 6_000; // 3,000 in 180 s
    }
    expect(answers).toEqual(new Set(['201 {"status":"counted"}']));
    expect((await tableCounts(t.db)).signatures).toBe(3000);
    const after = await publicCounts();
    expect(after.signatures - before.signatures).toBe(1);
    expect(after.byCounty).toEqual({ 'KE-47': 1 });
    expect(await suspects()).toEqual({ rows: 2999, bucket: 2999 });
  });

  it('stores the source only as a keyed hash, never the address', async () => {
    await setup({});
    await t.sign(validSignature({ phone: nextPhone() }), from('203.0.113.77'));
    const row = (await t.db.client.execute('SELECT source_hash FROM signatures')).rows[0]!;
    expect(new Uint8Array(row[0] as ArrayBuffer)).toHaveLength(32);
    await t.api.close();
    t.db.close();
    const bytes = Buffer.concat(['', '-wal'].map((s) => { try { return readFileSync(t.file + s); } catch { return Buffer.alloc(0); } }));
    expect(bytes.includes(Buffer.from('203.0.113.77'))).toBe(false);
  });

  it('exempts loopback sources when configured (the demo and tests sign from 127.0.0.1)', async () => {
    await setup({ exemptLoopback: true });
    for (let i = 0; i < 3; i++) await t.sign(validSignature({ phone: nextPhone() }), from('127.0.0.1'));
    expect((await publicCounts()).signatures).toBe(3);
    expect((await suspects()).rows).toBe(0);
  });
});

describe('hard limit (429 before any database work)', () => {
  it('answers 429 rate-limited with Retry-After over the limit, stores nothing, and lets the source in again next minute', async () => {
    await setup({ hardPerMinute: 10, soft: { ipBurst: null, ipWindow: null } });
    now += 15_000; // 45 s left in this minute
    for (let i = 0; i < 10; i++) expect((await t.sign(validSignature({ phone: nextPhone() }), from('192.0.2.1'))).status).toBe(201);
    const stored = await tableCounts(t.db);
    const refused = await t.sign(validSignature({ phone: nextPhone() }), from('192.0.2.1'));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('Retry-After')).toBe('45');
    expect(await refused.json()).toMatchObject({ type: 'urn:imlu:problem:rate-limited', status: 429 });
    // Refused before the body was even read: an invalid body gets the same 429.
    expect((await t.sign('{not json', from('192.0.2.1'))).status).toBe(429);
    expect(await tableCounts(t.db)).toEqual(stored);
    // Other sources are not affected.
    expect((await t.sign(validSignature({ phone: nextPhone() }), from('192.0.2.2'))).status).toBe(201);
    now += 45_000;
    expect((await t.sign(validSignature({ phone: nextPhone() }), from('192.0.2.1'))).status).toBe(201);
  });
});
