/**
 * Pledges through the one signing path and the figures the triggers keep (issue 16), on a real database:
 * a pledge is stored with its signature only, counts once its signature counts, and every later change
 * (confirmation, can't/undo/done, reminders, attendance, withdrawal, invalidation, erasure, retention)
 * moves the figures exactly as the rules in src/db/schema.ts say.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CountsSchema, type PledgeFigures } from '@imlu/contracts';
import { confirmVersion } from '../confirm/state.ts';
import { ConfirmationTokens, deriveConfirmationKey } from '../confirm/token.ts';
import { createCampaign } from '../campaigns/create.ts';
import { createTestApi, OPEN_CAMPAIGN, tableCounts, TEST_KEYS, validSignature, type TestApi } from '../../test/helpers.ts';
import { sayOfPledge } from './commitments.ts';
import { parseSheetContact, recordAttendance } from './attendance.ts';

const HOUR = 3_600_000;
const START = Date.UTC(2027, 0, 5, 9);
const HEARING_AT = Date.UTC(2027, 0, 12, 6);

let t: TestApi | undefined;
let now = START;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function pledgeApi(verification: 'none' | 'email', capacity: number | null = 300): Promise<TestApi> {
  now = START;
  t = await createTestApi({
    clock: () => now,
    countsRefreshMs: 60_000,
    campaign: {
      slug: 'attend-the-hearing',
      kind: 'pledge',
      verification,
      actions: [
        {
          title: { en: 'Attend the hearing', sw: 'Hudhuria kikao' },
          place: { en: 'Milimani Law Courts', sw: 'Mahakama ya Milimani' },
          county: 'KE-47',
          startsAt: HEARING_AT,
          capacity,
        },
        { title: { en: 'Share the petition', sw: 'Shiriki ombi' }, place: null, county: null, startsAt: null, capacity: null },
      ],
    },
  });
  return t;
}

async function actionIds(api: TestApi): Promise<[string, string]> {
  const rows = await api.db.client.execute({ sql: 'SELECT id FROM pledge_actions WHERE campaign_id = ? ORDER BY position', args: [api.campaignId] });
  return [String(rows.rows[0]![0]), String(rows.rows[1]![0])];
}

/** The stored figures of each action, by position. */
async function figures(api: TestApi): Promise<{ pledged: number; reminded: number; kept: number; cant: number }[]> {
  const rows = await api.db.client.execute({
    sql: 'SELECT COALESCE(c.pledged, 0), COALESCE(c.reminded, 0), COALESCE(c.kept, 0), COALESCE(c.cant, 0) FROM pledge_actions a LEFT JOIN pledge_action_counts c ON c.action_id = a.id WHERE a.campaign_id = ? ORDER BY a.position',
    args: [api.campaignId],
  });
  return rows.rows.map((r) => ({ pledged: Number(r[0]), reminded: Number(r[1]), kept: Number(r[2]), cant: Number(r[3]) }));
}

const fig = (pledged: number, reminded: number, kept: number, cant: number) => ({ pledged, reminded, kept, cant });

async function signatureOf(api: TestApi, email: string): Promise<string> {
  const rows = await api.db.client.execute({
    sql: "SELECT d.signature_id FROM signature_dedupe d WHERE d.campaign_id = ? AND d.kind = 'email' AND d.key_hmac = ?",
    args: [api.campaignId, api.api.services.crypto.blindIndex('email', api.campaignId, email)],
  });
  return String(rows.rows[0]![0]);
}

const person = (n: number, actions: string[], extra: Record<string, unknown> = {}) =>
  validSignature({ name: `Mtu ${n}`, phone: undefined, email: `mtu${n}@example.org`, actions, ...extra });

describe('pledging through the one signing path', () => {
  it('stores the commitments with the signature, counted at once when the campaign needs no confirmation', async () => {
    const api = await pledgeApi('none');
    const [hearing, share] = await actionIds(api);
    const response = await api.sign(person(1, [hearing, share, hearing], { remind: true }));
    expect(response.status).toBe(201);
    const rows = await api.db.client.execute('SELECT action_id, state, remind, kept_at FROM pledge_commitments ORDER BY action_id');
    expect(rows.rows.map((r) => [String(r[0]), r[1], Number(r[2]), r[3]]).sort()).toEqual(
      [
        [hearing, 'pledged', 1, null],
        [share, 'pledged', 1, null],
      ].sort(),
    );
    expect(await figures(api)).toEqual([fig(1, 0, 0, 0), fig(1, 0, 0, 0)]);

    // The public counts carry them at once (the writer reads them back in its transaction), in order.
    const counts = CountsSchema.parse(await (await api.request('/v1/campaigns/attend-the-hearing/counts')).json());
    expect(counts.actions).toEqual<PledgeFigures[]>([
      { id: hearing, position: 1, pledged: 1, reminded: 0, kept: 0, cant: 0, placesLeft: 299, startsAt: new Date(HEARING_AT).toISOString() },
      { id: share, position: 2, pledged: 1, reminded: 0, kept: 0, cant: 0, placesLeft: null, startsAt: null },
    ]);
  });

  it('stores nothing for a duplicate and answers it the same; a petition without actions carries no figures', async () => {
    const api = await pledgeApi('none');
    const [hearing, share] = await actionIds(api);
    const first = await api.sign(person(1, [hearing]));
    const again = await api.sign(person(1, [share]));
    expect(again.status).toBe(first.status);
    expect(await again.json()).toEqual({ status: 'counted' });
    expect(Number((await api.db.client.execute('SELECT COUNT(*) FROM pledge_commitments')).rows[0]![0])).toBe(1);
    expect(await figures(api)).toEqual([fig(1, 0, 0, 0), fig(0, 0, 0, 0)]);

    await createCampaign(api.db, { ...OPEN_CAMPAIGN, slug: 'a-petition' }, now);
    now += 10_000;
    expect(CountsSchema.parse(await (await api.request('/v1/campaigns/a-petition/counts')).json()).actions).toBeUndefined();
  });

  it('refuses a pledge without actions, unknown actions, actions on a campaign without them, and a full action — storing nothing', async () => {
    const api = await pledgeApi('none', 1);
    const [hearing] = await actionIds(api);
    const before = await tableCounts(api.db);
    const cases: [unknown, string][] = [
      [person(1, []), 'actions_required'],
      [validSignature({ email: 'a@example.org', phone: undefined }), 'actions_required'],
      [person(1, [hearing, 'not-an-action']), 'invalid_action'],
    ];
    for (const [body, code] of cases) {
      const response = await api.sign(body);
      expect(response.status).toBe(422);
      const problem = (await response.json()) as { errors: { path: string; code: string }[] };
      expect(problem.errors).toContainEqual(expect.objectContaining({ path: 'actions', code }));
    }
    // The field error comes in the same round as the others.
    const both = (await (await api.sign(person(1, [], { name: '' }))).json()) as { errors: { path: string; code: string }[] };
    expect(both.errors.map((e) => e.path).sort()).toEqual(['actions', 'name']);
    expect(await tableCounts(api.db)).toEqual(before);

    expect((await api.sign(person(2, [hearing]))).status).toBe(201);
    const full = await api.sign(person(3, [hearing]), { 'Accept-Language': 'sw' });
    expect(full.status).toBe(422);
    expect(((await full.json()) as { errors: unknown[] }).errors).toEqual([
      { path: 'actions', code: 'action_full', message: 'Kitendo hiki hakina nafasi zilizobaki; chagua kingine.' },
    ]);
    expect(await figures(api)).toEqual([fig(1, 0, 0, 0), fig(0, 0, 0, 0)]);
  });

  it('refuses an action that has begun (action_past), in the signer\'s language, storing nothing; the others still take pledges', async () => {
    const api = await pledgeApi('none');
    const [hearing, share] = await actionIds(api);
    now = HEARING_AT;
    const before = await tableCounts(api.db);
    const late = await api.sign(person(1, [hearing, share]), { 'Accept-Language': 'sw' });
    expect(late.status).toBe(422);
    expect(((await late.json()) as { errors: unknown[] }).errors).toEqual([
      { path: 'actions', code: 'action_past', message: 'Kitendo hiki kimeshafanyika; chagua kingine.' },
    ]);
    expect(await tableCounts(api.db)).toEqual(before);
    // An action without a date never begins.
    expect((await api.sign(person(2, [share]))).status).toBe(201);
  });

  it('refuses actions sent to a petition', async () => {
    const api = await pledgeApi('none');
    await createCampaign(api.db, { ...OPEN_CAMPAIGN, slug: 'a-petition' }, now);
    const refused = await api.sign(validSignature({ actions: ['x'] }), {}, 'a-petition');
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { errors: unknown[] }).errors).toContainEqual(expect.objectContaining({ path: 'actions', code: 'invalid_action' }));
    // An empty list, or none, is a plain signature.
    expect((await api.sign(validSignature({ actions: [] }), {}, 'a-petition')).status).toBe(201);
  });

  it('binds the actions and the reminder choice into the idempotency body', async () => {
    const api = await pledgeApi('none');
    const [hearing, share] = await actionIds(api);
    const key = { 'Idempotency-Key': 'pledge-retry-0001' };
    expect((await api.sign(person(1, [hearing]), key)).status).toBe(201);
    expect((await api.sign(person(1, [hearing]), key)).status).toBe(201);
    expect((await api.sign(person(1, [share]), key)).status).toBe(422);
    expect((await api.sign(person(1, [hearing], { remind: true }), key)).status).toBe(422);
    expect(await figures(api)).toEqual([fig(1, 0, 0, 0), fig(0, 0, 0, 0)]);
  });
});

describe('the figures the triggers keep', () => {
  it('count a pending pledge only from its confirmation, and follow every later change of it and its signature', async () => {
    const api = await pledgeApi('email');
    const [hearing, share] = await actionIds(api);
    const client = api.db.client;
    for (const n of [1, 2, 3]) expect((await api.sign(person(n, [hearing, share], { remind: true }))).status).toBe(202);
    const [a, b, c] = [await signatureOf(api, 'mtu1@example.org'), await signatureOf(api, 'mtu2@example.org'), await signatureOf(api, 'mtu3@example.org')];
    expect(await figures(api)).toEqual([fig(0, 0, 0, 0), fig(0, 0, 0, 0)]);

    // A pending signature's "can't" changes nothing (not live), nor do its figures count.
    expect(await sayOfPledge(client, a, hearing, 'cant', now)).toBe(false);

    for (const id of [a, b, c]) expect((await confirmVersion(client, id, 'email', now)).outcome).toBe('confirmed');
    expect(await figures(api)).toEqual([fig(3, 0, 0, 0), fig(3, 0, 0, 0)]);

    // Reminded (the reminders engineer's worker sets these columns): counted once per person, whichever reminder.
    await client.execute({ sql: 'UPDATE pledge_commitments SET reminded_before_at = ? WHERE action_id = ? AND signature_id IN (?, ?)', args: [now, hearing, a, b] });
    await client.execute({ sql: 'UPDATE pledge_commitments SET reminded_day_at = ? WHERE action_id = ? AND signature_id = ?', args: [now, hearing, a] });
    expect(await figures(api)).toEqual([fig(3, 2, 0, 0), fig(3, 0, 0, 0)]);

    // Can't make it: out of pledged and reminded, into cant; undone: back.
    expect(await sayOfPledge(client, b, hearing, 'cant', now)).toBe(true);
    expect(await sayOfPledge(client, b, hearing, 'cant', now)).toBe(false);
    expect(await figures(api)).toEqual([fig(2, 1, 0, 1), fig(3, 0, 0, 0)]);
    expect(await sayOfPledge(client, b, hearing, 'pledged', now)).toBe(true);
    expect(await figures(api)).toEqual([fig(3, 2, 0, 0), fig(3, 0, 0, 0)]);
    expect(await sayOfPledge(client, b, hearing, 'cant', now)).toBe(true);

    // "Done" before the hearing is refused; an undated action can be done at any time.
    expect(await sayOfPledge(client, a, hearing, 'done', now)).toBe(false);
    expect(await sayOfPledge(client, a, share, 'done', now)).toBe(true);
    expect(await sayOfPledge(client, a, share, 'done', now)).toBe(false);
    expect(await figures(api)).toEqual([fig(2, 1, 0, 1), fig(3, 0, 1, 0)]);

    // After the start: "can't" is refused; done and attendance keep each person once.
    now = HEARING_AT + 2 * HOUR;
    expect(await sayOfPledge(client, c, hearing, 'cant', now)).toBe(false);
    expect(await sayOfPledge(client, a, hearing, 'done', now)).toBe(true);
    const sheet = ['mtu1@example.org', 'MTU3@example.org ', 'nobody@example.org'].map((line) => parseSheetContact(line)!);
    const actor = { id: 'test', name: 'test' };
    expect(await recordAttendance(api.db, api.api.services.crypto, api.campaignId, hearing, sheet, actor, now)).toEqual({
      matched: 2,
      newlyKept: 1,
      alreadyKept: 1,
      notFound: 1,
    });
    expect(await figures(api)).toEqual([fig(2, 1, 2, 1), fig(3, 0, 1, 0)]);
    expect(await sayOfPledge(client, c, hearing, 'done', now)).toBe(true);
    expect(await figures(api)).toEqual([fig(2, 1, 2, 1), fig(3, 0, 1, 0)]);
    const kept = await client.execute({ sql: 'SELECT signature_id, kept_by FROM pledge_commitments WHERE action_id = ? AND kept_at IS NOT NULL ORDER BY signature_id', args: [hearing] });
    expect(Object.fromEntries(kept.rows.map((r) => [String(r[0]), r[1]]))).toEqual({ [a]: 'signer', [c]: 'attendance' });

    // Invalidation by a moderator takes the person out of every figure; putting it right brings them back.
    await client.execute({ sql: "UPDATE signatures SET flag = 'invalid' WHERE id = ?", args: [c] });
    expect(await figures(api)).toEqual([fig(1, 1, 1, 1), fig(2, 0, 1, 0)]);
    await client.execute({ sql: 'UPDATE signatures SET flag = NULL WHERE id = ?', args: [c] });
    expect(await figures(api)).toEqual([fig(2, 1, 2, 1), fig(3, 0, 1, 0)]);

    // Withdrawal (as the signer's page does it) takes them out, and their pledge can no longer change.
    await client.execute({ sql: "UPDATE signatures SET status = 'pending', flag = 'withdrawn', flag_reason = 'signer' WHERE id = ?", args: [b] });
    expect(await figures(api)).toEqual([fig(2, 1, 2, 0), fig(2, 0, 1, 0)]);
    expect(await sayOfPledge(client, b, hearing, 'pledged', now)).toBe(false);

    // Deleting rows (erasure after withdrawal, retention) leaves the figures as they are.
    await client.execute({ sql: 'DELETE FROM signatures WHERE id = ?', args: [b] });
    await client.execute({ sql: 'DELETE FROM signatures WHERE id IN (?, ?)', args: [a, c] });
    expect(Number((await client.execute('SELECT COUNT(*) FROM pledge_commitments')).rows[0]![0])).toBe(0);
    expect(await figures(api)).toEqual([fig(2, 1, 2, 0), fig(2, 0, 1, 0)]);
  });

  it('show in the public counts the moment the confirmation link is pressed, like the signature count', async () => {
    const api = await pledgeApi('email');
    const [hearing] = await actionIds(api);
    expect((await api.sign(person(1, [hearing]))).status).toBe(202);
    const counts = async () => CountsSchema.parse(await (await api.request('/v1/campaigns/attend-the-hearing/counts')).json());
    expect((await counts()).actions![0]).toMatchObject({ pledged: 0 });
    const token = new ConfirmationTokens(deriveConfirmationKey(TEST_KEYS.blindIndexKey)).issue(await signatureOf(api, 'mtu1@example.org'));
    const pressed = await api.request(`/v1/confirm/${token}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin' },
      body: '',
    });
    expect(pressed.status).toBe(200);
    // No refresh of the snapshot in between (countsRefreshMs is a minute): the confirmation itself brought them.
    expect(await counts()).toMatchObject({ signatures: 1, actions: [expect.objectContaining({ pledged: 1, placesLeft: 299 }), expect.anything()] });
  });

  it('never count a superseded unconfirmed pledge: the new version carries its own', async () => {
    const api = await pledgeApi('email');
    const [hearing, share] = await actionIds(api);
    expect((await api.sign(person(1, [hearing]))).status).toBe(202);
    const first = await signatureOf(api, 'mtu1@example.org');
    expect((await api.sign(person(1, [share]))).status).toBe(202);
    const second = await signatureOf(api, 'mtu1@example.org');
    expect(second).not.toBe(first);
    expect((await confirmVersion(api.db.client, first, 'email', now)).outcome).not.toBe('confirmed');
    expect((await confirmVersion(api.db.client, second, 'email', now)).outcome).toBe('confirmed');
    expect(await figures(api)).toEqual([fig(0, 0, 0, 0), fig(1, 0, 0, 0)]);
  });
});
