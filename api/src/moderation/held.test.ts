/**
 * Signatures held for review (a family phone's name beyond `phoneHousehold`): listed for a campaigner,
 * counted or invalidated by decision, the counts moving in the same transaction, audited with the reason.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApi, storedCounts, validSignature, type TestApi } from '../../test/helpers.ts';

const ADMIN = 'held-admin-token-0123456789abcdef0123';
let t: TestApi;
afterEach(async () => {
  await t.close();
});

const admin = (path: string, init: RequestInit = {}) =>
  t.request(path, { ...init, headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json', ...init.headers } });

describe('held for review', () => {
  it('lists a family phone\'s extra name, counts it on a campaigner\'s decision, or invalidates it', async () => {
    // A campaign without confirmation: the third name on one phone is held at once.
    t = await createTestApi({ adminToken: ADMIN });
    for (const name of ['Achieng Odhiambo', 'Otieno Odhiambo', 'Akinyi Odhiambo', 'Atieno Odhiambo']) {
      expect((await t.sign(validSignature({ name, phone: '0712345678', county: 'KE-42' }))).status).toBe(201);
    }
    expect(await storedCounts(t.db)).toEqual({ counted: 2, pending: 0, suspect: 2 });
    const listed = await admin(`/admin/campaigns/${t.slug}/held`);
    expect(listed.status).toBe(200);
    const { held } = (await listed.json()) as { held: { id: string; county: string; countedOnPhone: number; confirmedAt: string | null }[] };
    expect(held).toHaveLength(2);
    expect(held[0]).toMatchObject({ county: 'KE-42', countedOnPhone: 2, confirmedAt: null });
    expect(JSON.stringify(held)).not.toMatch(/Odhiambo|712345678/);

    const counted = await admin(`/admin/signatures/${held[0]!.id}/held`, { method: 'POST', body: JSON.stringify({ decision: 'count', reason: 'called: a grandmother' }) });
    expect([counted.status, await counted.json()]).toEqual([200, { decision: 'count' }]);
    const invalidated = await admin(`/admin/signatures/${held[1]!.id}/held`, { method: 'POST', body: JSON.stringify({ decision: 'invalidate', reason: 'no answer' }) });
    expect(invalidated.status).toBe(200);
    expect(await storedCounts(t.db)).toEqual({ counted: 3, pending: 0, suspect: 0 });
    expect(((await (await t.request(`/v1/campaigns/${t.slug}/counts`)).json()) as { signatures: number }).signatures).toBe(3);
    // Decided once: both are gone from the list, and deciding again is a 404.
    expect(((await (await admin(`/admin/campaigns/${t.slug}/held`)).json()) as { held: unknown[] }).held).toEqual([]);
    expect((await admin(`/admin/signatures/${held[0]!.id}/held`, { method: 'POST', body: JSON.stringify({ decision: 'count', reason: 'again' }) })).status).toBe(404);
    const audit = await t.db.client.execute("SELECT action, subject, details FROM audit_log WHERE action IN ('signature.released', 'signature.invalidated') ORDER BY at, action");
    expect(audit.rows.map((r) => [r[0], r[1]])).toEqual(
      expect.arrayContaining([
        ['signature.released', held[0]!.id],
        ['signature.invalidated', held[1]!.id],
      ]),
    );
    expect(String(audit.rows[0]![2])).toContain('called: a grandmother');
  });

  it('refuses without the moderation scope, and for a signature that is not held', async () => {
    t = await createTestApi({ adminToken: ADMIN });
    await t.sign(validSignature());
    const id = String((await t.db.client.execute('SELECT id FROM signatures')).rows[0]![0]);
    expect((await t.request(`/admin/campaigns/${t.slug}/held`)).status).toBe(404);
    expect((await admin(`/admin/signatures/${id}/held`, { method: 'POST', body: JSON.stringify({ decision: 'count', reason: 'x' }) })).status).toBe(404);
    expect((await admin(`/admin/signatures/${id}/held`, { method: 'POST', body: JSON.stringify({ decision: 'maybe', reason: 'x' }) })).status).toBe(422);
  });

  it('pages the held signatures on the server, oldest first, with the total waiting', async () => {
    let now = Date.UTC(2026, 10, 27, 9, 0, 0);
    t = await createTestApi({ adminToken: ADMIN, clock: () => (now += 1000), campaign: { phoneHousehold: 1 } });
    // One phone, six names: the first counts, five are held.
    for (let i = 0; i < 6; i++) expect((await t.sign(validSignature({ name: `Name ${i} Wambui`, phone: '0712345679' }))).status).toBe(201);
    type Page = { total: number; next: string | null; held: { id: string; signedAt: string }[] };
    const page = async (query: string) => (await (await admin(`/admin/campaigns/${t.slug}/held?${query}`)).json()) as Page;
    const first = await page('limit=2');
    expect([first.total, first.held.length]).toEqual([5, 2]);
    expect(first.next).toBe(first.held[1]!.id);
    const second = await page(`limit=2&after=${first.next}`);
    const third = await page(`limit=2&after=${second.next}`);
    expect([second.held.length, third.held.length, third.next]).toEqual([2, 1, null]);
    const order = [...first.held, ...second.held, ...third.held];
    expect(new Set(order.map((h) => h.id)).size).toBe(5);
    expect(order.map((h) => h.signedAt)).toEqual([...order.map((h) => h.signedAt)].sort());
    // Deciding the cursor's own row does not lose the place: the next page is the same.
    await admin(`/admin/signatures/${first.next}/held`, { method: 'POST', body: JSON.stringify({ decision: 'invalidate', reason: 'no answer' }) });
    expect((await page(`limit=2&after=${first.next}`)).held).toEqual(second.held);
    expect((await page('limit=2')).total).toBe(4);
    expect((await admin(`/admin/campaigns/${t.slug}/held?limit=0`)).status).toBe(422);
    expect((await admin(`/admin/campaigns/${t.slug}/held?limit=101`)).status).toBe(422);
  });
});
