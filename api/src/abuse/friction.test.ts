/**
 * Bot friction on a real database: the honeypot and the minimum fill time store a signature as suspect
 * (same answer, never counted); ALTCHA proof of work is required where a campaign asks for it, and a
 * solution is accepted once — a replay is refused and stores nothing, a retry of the same submission
 * (same Idempotency-Key) is not a replay. Per-campaign rate limits override the server's.
 */
import { solveChallenge } from 'altcha-lib/v1';
import { afterEach, describe, expect, it } from 'vitest';
import type { AltchaChallenge } from '@imlu/contracts';
import { createCampaign } from '../campaigns/create.ts';
import { createTestApi, OPEN_CAMPAIGN, PARTNER_ORIGIN, tableCounts, validSignature, type TestApi, storedCounts } from '../../test/helpers.ts';

let t: TestApi;
let now: number;
afterEach(async () => {
  await t.close();
});

async function setup(options: Parameters<typeof createTestApi>[0] = {}) {
  now = Date.UTC(2026, 10, 27, 9, 0, 0);
  t = await createTestApi({ clock: () => now, ...options });
}

async function publicCounts() {
  return (await (await t.request(`/v1/campaigns/${t.slug}/counts`)).json()) as { signatures: number };
}

async function flags() {
  const rows = await t.db.client.execute('SELECT flag, COUNT(*) AS n FROM signatures GROUP BY flag ORDER BY flag');
  return Object.fromEntries(rows.rows.map((row) => [String(row.flag), Number(row.n)]));
}

/** A browser-like signing request from the partner origin. */
function browserSign(body: unknown, key: string, slug = t.slug) {
  return t.sign(body, { Origin: PARTNER_ORIGIN, 'Idempotency-Key': key }, slug);
}

async function solved(slug = t.slug): Promise<string> {
  const response = await t.request(`/v1/campaigns/${slug}/challenge`);
  expect(response.status).toBe(200);
  expect(response.headers.get('Cache-Control')).toBe('no-store');
  const challenge = (await response.json()) as AltchaChallenge;
  const solution = await solveChallenge(challenge.challenge, challenge.salt, challenge.algorithm, challenge.maxnumber).promise;
  expect(solution).not.toBeNull();
  return Buffer.from(
    JSON.stringify({ algorithm: challenge.algorithm, challenge: challenge.challenge, number: solution!.number, salt: challenge.salt, signature: challenge.signature }),
  ).toString('base64');
}

describe('honeypot and minimum fill time', () => {
  it('stores a filled honeypot as suspect with the same answer, and the count does not move', async () => {
    await setup();
    const person = await browserSign(validSignature({ phone: '0712000001', elapsedMs: 9000 }), 'a');
    const bot = await browserSign(validSignature({ phone: '0712000002', elapsedMs: 9000, website: 'http://spam.example' }), 'b');
    expect([bot.status, await bot.text()]).toEqual([person.status, await person.text()]);
    expect(await publicCounts()).toMatchObject({ signatures: 1 });
    expect(await storedCounts(t.db)).toMatchObject({ counted: 1, pending: 0, suspect: 1 });
    expect(await flags()).toEqual({ null: 1, suspect: 1 });
  });

  it('stores a signature sent faster than the minimum fill time (2 s) as suspect; an empty honeypot and 2 s pass', async () => {
    await setup();
    const fast = await browserSign(validSignature({ phone: '0712000001', elapsedMs: 350 }), 'a');
    const human = await browserSign(validSignature({ phone: '0712000002', elapsedMs: 2000, website: '' }), 'b');
    expect(fast.status).toBe(human.status);
    expect(await publicCounts()).toMatchObject({ signatures: 1 });
    expect(await flags()).toEqual({ null: 1, suspect: 1 });
  });

  it('does not judge a request that sends no fill time (servers, older widgets), and MIN_FILL_MS 0 turns it off', async () => {
    await setup({ rateLimits: { minFillMs: 0 } });
    await t.sign(validSignature({ phone: '0712000001' }));
    await browserSign(validSignature({ phone: '0712000002', elapsedMs: 10 }), 'b');
    expect(await publicCounts()).toMatchObject({ signatures: 2 });
  });

  it('does not judge the fill time of exempt loopback sources (demo and browser automation outside production), but the honeypot still counts', async () => {
    await setup({ rateLimits: { trustProxy: true, exemptLoopback: true } });
    const loopback = { Origin: PARTNER_ORIGIN, 'X-Forwarded-For': '127.0.0.1' };
    await t.sign(validSignature({ phone: '0712000001', elapsedMs: 40 }), { ...loopback, 'Idempotency-Key': 'a' });
    await t.sign(validSignature({ phone: '0712000002', elapsedMs: 40, website: 'x' }), { ...loopback, 'Idempotency-Key': 'b' });
    await t.sign(validSignature({ phone: '0712000003', elapsedMs: 40 }), { ...loopback, 'X-Forwarded-For': '198.51.100.1', 'Idempotency-Key': 'c' });
    expect(await publicCounts()).toMatchObject({ signatures: 1 });
    expect(await flags()).toEqual({ null: 1, suspect: 2 });
  });

  it('refuses a fill time that is not a whole number of milliseconds, storing nothing', async () => {
    await setup();
    const response = await browserSign(validSignature({ elapsedMs: 'soon' }), 'a');
    expect(response.status).toBe(422);
    expect(((await response.json()) as { errors: { path: string; code: string }[] }).errors).toEqual([
      expect.objectContaining({ path: 'elapsedMs', code: 'invalid_type' }),
    ]);
    expect((await tableCounts(t.db)).signatures).toBe(0);
  });
});

describe('ALTCHA proof of work (campaign challenge: altcha)', () => {
  it('says so in the campaign, and refuses a signature without a solution with a field error, storing nothing', async () => {
    await setup({ campaign: { challenge: 'altcha' }, altcha: { maxNumber: 2000 } });
    const campaign = (await (await t.request(`/v1/campaigns/${t.slug}`)).json()) as { challenge: string };
    expect(campaign.challenge).toBe('altcha');
    const response = await browserSign(validSignature(), 'a');
    expect(response.status).toBe(422);
    expect(response.headers.get('Content-Type')).toContain('application/problem+json');
    expect(((await response.json()) as { errors: unknown[] }).errors).toEqual([expect.objectContaining({ path: 'altcha', code: 'challenge_required' })]);
    expect((await tableCounts(t.db)).signatures).toBe(0);
  });

  it('accepts a solved challenge once: a replay under another key is refused and stores nothing', async () => {
    await setup({ campaign: { challenge: 'altcha' }, altcha: { maxNumber: 2000 } });
    const altcha = await solved();
    const first = await browserSign(validSignature({ phone: '0712000001', altcha }), 'key-1');
    expect(first.status).toBe(201);
    const replay = await browserSign(validSignature({ phone: '0712000002', altcha }), 'key-2');
    expect(replay.status).toBe(422);
    expect(((await replay.json()) as { errors: unknown[] }).errors).toEqual([expect.objectContaining({ path: 'altcha', code: 'challenge_failed' })]);
    expect((await tableCounts(t.db)).signatures).toBe(1);
    expect(await publicCounts()).toMatchObject({ signatures: 1 });
  });

  it('lets a retry of the same submission (same Idempotency-Key, same solution) through with the same answer', async () => {
    await setup({ campaign: { challenge: 'altcha' }, altcha: { maxNumber: 2000 } });
    const body = validSignature({ altcha: await solved() });
    const first = await browserSign(body, 'same-key');
    const retry = await browserSign(body, 'same-key');
    expect([retry.status, await retry.text()]).toEqual([first.status, await first.text()]);
    expect((await tableCounts(t.db)).signatures).toBe(1);
  });

  it('refuses an expired challenge, a tampered one and garbage', async () => {
    await setup({ campaign: { challenge: 'altcha' }, altcha: { maxNumber: 2000, ttlMs: 60_000 } });
    const expired = await solved();
    const good = JSON.parse(Buffer.from(await solved(), 'base64').toString()) as Record<string, unknown>;
    const tampered = Buffer.from(JSON.stringify({ ...good, number: Number(good.number) + 1 })).toString('base64');
    now += 61_000;
    for (const [i, altcha] of [expired, tampered, 'bm90IGpzb24=', '!!!'].entries()) {
      const response = await browserSign(validSignature({ phone: `071200000${i}`, altcha }), `k${i}`);
      expect(response.status).toBe(422);
      expect(((await response.json()) as { errors: unknown[] }).errors).toEqual([expect.objectContaining({ path: 'altcha', code: 'challenge_failed' })]);
    }
    expect((await tableCounts(t.db)).signatures).toBe(0);
  });

  it("refuses a challenge solved for another campaign, storing nothing; the same solution works on its own campaign", async () => {
    await setup({ campaign: { challenge: 'altcha' }, altcha: { maxNumber: 2000 } });
    await createCampaign(t.db, { ...OPEN_CAMPAIGN, slug: 'other', challenge: 'altcha' }, now);
    const fromOther = await solved('other');
    const crossed = await browserSign(validSignature({ altcha: fromOther }), 'key-1');
    expect(crossed.status).toBe(422);
    expect(crossed.headers.get('Content-Type')).toContain('application/problem+json');
    expect(((await crossed.json()) as { errors: unknown[] }).errors).toEqual([expect.objectContaining({ path: 'altcha', code: 'challenge_failed' })]);
    expect(await tableCounts(t.db)).toMatchObject({ signatures: 0, signature_dedupe: 0, idempotency_keys: 0 });
    expect(Number((await t.db.client.execute('SELECT COUNT(*) FROM altcha_spent')).rows[0]![0])).toBe(0);
    // Not spent by the refusal: the campaign it was fetched from still takes it.
    const own = await browserSign(validSignature({ altcha: fromOther }), 'key-2', 'other');
    expect(own.status).toBe(201);
    expect(await tableCounts(t.db)).toMatchObject({ signatures: 1 });
  });

  it('does not ask campaigns without a challenge for one', async () => {
    await setup();
    expect((await browserSign(validSignature(), 'a')).status).toBe(201);
  });

  it('prunes spent challenges once they have expired', async () => {
    await setup({ campaign: { challenge: 'altcha' }, altcha: { maxNumber: 2000, ttlMs: 60_000 } });
    await browserSign(validSignature({ altcha: await solved() }), 'a');
    expect(await t.api.services.altcha.prune()).toBe(0);
    now += 61_000;
    expect(await t.api.services.altcha.prune()).toBe(1);
  });
});

describe('per-campaign rate limits', () => {
  it("override the server's soft limits for that campaign only", async () => {
    const from = (ip: string) => ({ 'X-Forwarded-For': ip });
    await setup({ rateLimits: { trustProxy: true }, campaign: { rateLimits: { ipBurst: 3, ipWindow: 10 } } });
    for (let i = 0; i < 4; i += 1) await t.sign(validSignature({ phone: `07120000${10 + i}` }), from('203.0.113.9'));
    // Three a minute from one address are allowed here (the server default is one); the fourth is suspect.
    expect(await publicCounts()).toMatchObject({ signatures: 3 });
    expect(await flags()).toEqual({ null: 3, suspect: 1 });
  });
});
