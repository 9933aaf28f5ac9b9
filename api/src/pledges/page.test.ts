/**
 * The supporter's pledge page `/p/<token>` (issue 16): en/sw, the hosted pages' strict headers, only the
 * buttons that can change something, redirect-after-POST that says what happened, the public figures
 * moving at once, bad form input answered with a page (never a 5xx), and a dead link once the signature
 * no longer counts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccountabilitySchema, CountsSchema } from '@imlu/contracts';
import { createTestApi, TEST_KEYS, validSignature, type TestApi } from '../../test/helpers.ts';
import { pledgeLinkToken, pledgeLinkTokens, pledgeLinkUrl } from './links.ts';

const START = Date.UTC(2027, 0, 5, 9);
const HEARING_AT = Date.UTC(2027, 0, 12, 6);
let t: TestApi;
let now = START;
const tokens = pledgeLinkTokens(TEST_KEYS.blindIndexKey);

beforeEach(async () => {
  now = START;
  t = await createTestApi({
    clock: () => now,
    countsRefreshMs: 60_000,
    campaign: {
      slug: 'attend-the-hearing',
      kind: 'pledge',
      actions: [
        {
          title: { en: 'Attend the hearing', sw: 'Hudhuria kikao cha mahakama' },
          place: { en: 'Milimani Law Courts', sw: 'Mahakama ya Milimani' },
          county: 'KE-47',
          startsAt: HEARING_AT,
          capacity: 1,
        },
        { title: { en: 'Share the petition', sw: 'Shiriki ombi' }, place: null, county: null, startsAt: null, capacity: null },
      ],
    },
  });
});
afterEach(async () => {
  await t.close();
});

async function actionIds(): Promise<[string, string]> {
  const rows = await t.db.client.execute({ sql: 'SELECT id FROM pledge_actions WHERE campaign_id = ? ORDER BY position', args: [t.campaignId] });
  return [String(rows.rows[0]![0]), String(rows.rows[1]![0])];
}

async function pledge(name: string, email: string, actions: string[], locale = 'sw'): Promise<string> {
  expect((await t.sign(validSignature({ name, phone: undefined, email, actions, locale }))).status).toBe(201);
  const rows = await t.db.client.execute({
    sql: "SELECT signature_id FROM signature_dedupe WHERE kind = 'email' AND key_hmac = ?",
    args: [t.api.services.crypto.blindIndex('email', t.campaignId, email)],
  });
  return String(rows.rows[0]![0]);
}

const say = (path: string, fields: Record<string, string>) =>
  t.request(path, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });

async function board() {
  now += 10_000; // past the campaign and board caches
  return AccountabilitySchema.parse(await (await t.request('/v1/campaigns/attend-the-hearing/accountability')).json());
}

describe('the pledge page /p/<token>', () => {
  it("shows the supporter's pledges in their language with only the buttons allowed, and takes \"can't\" and its undo", async () => {
    const [hearing, share] = await actionIds();
    const id = await pledge('Amina Odhiambo', 'amina@example.org', [hearing, share]);
    const url = new URL(pledgeLinkUrl('http://localhost', pledgeLinkToken(tokens, id), 'sw'));
    const path = url.pathname;

    const response = await t.request(`${path}${url.search}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    expect(response.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    // Never compressed: the body carries the token (BREACH), like the other token pages.
    expect((await t.request(path, { headers: { 'Accept-Encoding': 'br, gzip' } })).headers.get('Content-Encoding')).toBeNull();
    const page = await response.text();
    expect(page).toContain('<html lang="sw">');
    expect(page).toContain('Hudhuria kikao cha mahakama');
    expect(page).toContain('Wapi: Mahakama ya Milimani');
    expect(page).not.toContain('<script');
    // Before the hearing: "can't make it" on both; "done" only on the undated action.
    expect(page.match(/name="say" value="cant"/g)).toHaveLength(2);
    expect(page.match(/name="say" value="done"/g)).toHaveLength(1);
    expect(page).toContain(`name="action" value="${share}"><input type="hidden" name="say" value="done"`);
    // English on request.
    expect(await (await t.request(`${path}?lang=en`)).text()).toContain('I can’t make it');

    const cant = await say(path, { action: hearing, say: 'cant', lang: 'sw' });
    expect(cant.status).toBe(303);
    expect(cant.headers.get('Location')).toBe(`${path}?lang=sw&status=cant`);
    const after = await (await t.request(cant.headers.get('Location')!)).text();
    expect(after).toContain('<p class="s" role="status">Asante kwa kutujulisha. Nafasi yako sasa iko wazi kwa mtu mwingine.</p>');
    expect(after).toContain('Ulisema hutaweza kufika.');
    expect(CountsSchema.parse(await (await t.request('/v1/campaigns/attend-the-hearing/counts')).json()).actions![0]).toMatchObject({ pledged: 0, cant: 1, placesLeft: 1 });

    // Pressed twice (or a replayed post): nothing changes, and the page says so.
    expect((await say(path, { action: hearing, say: 'cant' })).headers.get('Location')).toBe(`${path}?lang=sw&status=unchanged`);

    // Someone else takes the freed place: no undo offered, and a forged undo changes nothing.
    await pledge('Juma Mwangi', 'juma@example.org', [hearing]);
    const full = await (await t.request(path)).text();
    expect(full).toContain('Hakuna nafasi zilizobaki kwa kitendo hiki.');
    expect(full).not.toContain('value="pledged"');
    expect((await say(path, { action: hearing, say: 'pledged' })).headers.get('Location')).toContain('status=unchanged');
  });

  it('takes "done" from the start, moves the kept figure on the public board once, and never for a "can\'t"', async () => {
    const [hearing, share] = await actionIds();
    const amina = await pledge('Amina Odhiambo', 'amina@example.org', [hearing, share]);
    const aminaPath = `/p/${pledgeLinkToken(tokens, amina)}`;
    const juma = await pledge('Juma Mwangi', 'juma@example.org', [share]);
    expect((await say(`/p/${pledgeLinkToken(tokens, juma)}`, { action: share, say: 'cant' })).headers.get('Location')).toContain('status=cant');
    // Before the hearing: "done" is not possible.
    expect((await say(aminaPath, { action: hearing, say: 'done' })).headers.get('Location')).toContain('status=unchanged');
    expect((await board()).pledges!.map((p) => [p.position, p.pledged, p.kept, p.cant])).toEqual([
      [1, 1, 0, 0],
      [2, 1, 0, 1],
    ]);

    now = HEARING_AT + 3_600_000;
    const page = await (await t.request(aminaPath)).text();
    // From the start "can't" is gone for the hearing (left only on the undated action).
    expect(page.match(/name="say" value="cant"/g)).toHaveLength(1);
    expect(page.match(/name="say" value="done"/g)).toHaveLength(2);
    expect((await say(aminaPath, { action: hearing, say: 'done' })).headers.get('Location')).toBe(`${aminaPath}?lang=sw&status=done`);
    expect((await say(aminaPath, { action: hearing, say: 'done' })).headers.get('Location')).toContain('status=unchanged');
    const pledges = (await board()).pledges!;
    expect(pledges[0]).toMatchObject({ position: 1, title: { sw: 'Hudhuria kikao cha mahakama' }, pledged: 1, kept: 1, cant: 0, placesLeft: 0 });
    // The supporter who said they could not make it is not kept.
    expect(pledges[1]).toMatchObject({ position: 2, pledged: 1, kept: 0, cant: 1 });
    expect(await (await t.request(aminaPath)).text()).toContain('Umefanya. Asante!');
  });

  it('answers bad form input with a page (422) and a bad or dead link with "this link no longer works" (404)', async () => {
    const [hearing] = await actionIds();
    const id = await pledge('Amina Odhiambo', 'amina@example.org', [hearing], 'en');
    const path = `/p/${pledgeLinkToken(tokens, id)}`;
    const bodies: [string, string][] = [
      ['application/x-www-form-urlencoded', 'action=&say=cant'],
      ['application/x-www-form-urlencoded', `action=${hearing}&say=fly`],
      ['application/x-www-form-urlencoded', `say=done`],
      ['application/json', JSON.stringify({ action: hearing, say: 'cant' })],
      ['application/x-www-form-urlencoded', `action=${'x'.repeat(65)}&say=cant`],
    ];
    for (const [type, body] of bodies) {
      const response = await t.request(path, { method: 'POST', headers: { 'Content-Type': type }, body });
      expect(response.status).toBe(422);
      expect(await response.text()).toContain('That did not work');
    }
    // An action of another signature (or campaign) is simply not theirs: nothing changes.
    expect((await say(path, { action: 'not-theirs', say: 'cant' })).headers.get('Location')).toContain('status=unchanged');
    const state = await t.db.client.execute('SELECT state FROM pledge_commitments');
    expect(state.rows.map((r) => r[0])).toEqual(['pledged']);

    for (const bad of ['/p/nonsense', `/p/${pledgeLinkToken(tokens, id).slice(0, -2)}xx`, `/u/${pledgeLinkToken(tokens, id)}`]) {
      const response = await t.request(bad);
      expect(response.status).toBe(404);
    }
    // A confirmation-style token of the same signature is not a pledge link.
    const { ConfirmationTokens } = await import('../confirm/token.ts');
    const other = new ConfirmationTokens(Buffer.alloc(32, 7)).issue(id);
    expect((await t.request(`/p/${other}`)).status).toBe(404);

    // Withdrawn: the link stops working, for GET and POST, and the figures drop.
    await t.db.client.execute({ sql: "UPDATE signatures SET status = 'pending', flag = 'withdrawn', flag_reason = 'signer' WHERE id = ?", args: [id] });
    const dead = await t.request(path);
    expect(dead.status).toBe(404);
    expect(dead.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(await dead.text()).toContain('This link no longer works');
    expect((await say(path, { action: hearing, say: 'cant' })).status).toBe(404);
    await t.api.services.counts.refresh(); // as every node does each second
    expect((await board()).pledges![0]).toMatchObject({ pledged: 0 });

    // Erased: gone with the signature.
    await t.db.client.execute({ sql: 'DELETE FROM signatures WHERE id = ?', args: [id] });
    expect((await t.request(`${path}?lang=sw`)).status).toBe(404);
  });

  it('stops working, and the pledges leave the figures, when the signer withdraws or erases through their rights', async () => {
    const [hearing, share] = await actionIds();
    const amina = await pledge('Amina Odhiambo', 'amina@example.org', [hearing, share]);
    const juma = await pledge('Juma Mwangi', 'juma@example.org', [share]);
    const { eraseContact, findByContact, withdrawSignature } = await import('../signer/records.ts');
    const crypto = t.api.services.crypto;

    const [aminaRecord] = await findByContact(t.db.client, crypto, { kind: 'email', value: 'amina@example.org' });
    expect((await withdrawSignature(t.db, aminaRecord!, { by: 'signer' }, now)).changed).toBe(true);
    await t.api.services.counts.refresh();
    expect((await board()).pledges!.map((p) => p.pledged)).toEqual([0, 1]);
    expect((await t.request(`/p/${pledgeLinkToken(tokens, amina)}`)).status).toBe(404);

    const contact = { kind: 'email' as const, value: 'juma@example.org' };
    const report = await eraseContact(t.db, contact, await findByContact(t.db.client, crypto, contact), { by: 'signer' }, now);
    expect(report.deleted).toBe(1);
    await t.api.services.counts.refresh();
    expect((await board()).pledges!.map((p) => p.pledged)).toEqual([0, 0]);
    expect((await t.request(`/p/${pledgeLinkToken(tokens, juma)}`)).status).toBe(404);
    const left = await t.db.client.execute({ sql: 'SELECT COUNT(*) FROM pledge_commitments WHERE signature_id = ?', args: [juma] });
    expect(Number(left.rows[0]![0])).toBe(0);
  });
});
