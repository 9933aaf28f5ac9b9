/**
 * Confirmation by SMS through the Africa's Talking adapter, against a local server that speaks its API:
 * sign → the outbox sends a code and a link → the code (read from the received SMS) confirms the version
 * it was sent for, once. Tries are bounded per code, per version and per source, and a stranger who spends
 * them cannot lock the owner out: the owner asks for a new code.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCampaign } from '../campaigns/create.ts';
import { africasTalkingProvider, consoleSmsProvider, fitsOneGsm7Segment, gsm7Length } from '../messages/sms.ts';
import { deliveryReportUrl } from '../messages/sms-reports.ts';
import { FieldCrypto } from '../signing/crypto.ts';
import { createTestApi, OPEN_CAMPAIGN, storedCounts, TEST_KEYS, validSignature, type TestApi } from '../../test/helpers.ts';
import { startTestAfricasTalking, type TestAfricasTalking } from '../../test/africastalking.ts';
import { confirmationSms } from './sms.ts';

const BASE = 'https://sign.imlu.example';

let at: TestAfricasTalking;
let t: TestApi;
let now: number;

async function start(campaign: Partial<typeof OPEN_CAMPAIGN> = {}) {
  now = Date.UTC(2026, 11, 6, 9, 0, 0);
  at = await startTestAfricasTalking();
  t = await createTestApi({
    campaign: { verification: 'sms', ...campaign },
    clock: () => now,
    publicBaseUrl: BASE,
    sms: africasTalkingProvider({ username: at.username, apiKey: at.apiKey, from: 'IMLU', baseUrl: at.baseUrl }),
    outbox: { random: () => 1 },
    rateLimits: { trustProxy: true },
  });
}

beforeEach(() => start());
afterEach(async () => {
  await t.close();
  await at.stop();
});

interface SignBody {
  status: string;
  confirmation?: { channel: string; handle?: string };
}

async function signPhone(phone = '0712345678', extra: Record<string, unknown> = {}): Promise<SignBody> {
  const response = await t.sign(validSignature({ phone, ...extra }));
  expect(response.status).toBe(202);
  return (await response.json()) as SignBody;
}

const from = (ip: string) => ({ 'X-Forwarded-For': ip });

function confirm(handle: string | undefined, code: string, slug = t.slug, headers: Record<string, string> = {}) {
  return t.request(`/v1/campaigns/${slug}/confirmations`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ handle, code }),
  });
}

function resend(handle: string | undefined, headers: Record<string, string> = {}) {
  return t.request(`/v1/campaigns/${t.slug}/confirmations/resend`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ handle }),
  });
}

/** The public counts (counted only) together with the stored pending total. */
async function counts() {
  const published = (await (await t.request(`/v1/campaigns/${t.slug}/counts`)).json()) as { signatures: number; byCounty: Record<string, number> };
  return { ...published, pending: (await storedCounts(t.db)).pending };
}

const codeIn = (text: string) => /\b(\d{6})\b/.exec(text)![1]!;
const linkIn = (text: string) => /https:\S+/.exec(text)![0].slice(BASE.length);
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
const pressButton = (path: string) =>
  t.request(path, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin' }, body: '' });

describe('confirmation by SMS (Africa\'s Talking)', () => {
  it('sends a code and a link in one GSM-7 segment; the code confirms once and counts move exactly once', async () => {
    const signed = await signPhone('0712 345 678');
    expect(signed).toMatchObject({ status: 'pending_verification', confirmation: { channel: 'sms', handle: expect.any(String) } });
    // The handle is opaque: no phone number, no signature id.
    expect(signed.confirmation!.handle).not.toMatch(/712345678|254/);
    const id = String((await t.db.client.execute('SELECT id FROM signatures')).rows[0]![0]);
    expect(signed.confirmation!.handle).not.toContain(id.replace(/-/g, '').slice(0, 12));
    expect(await counts()).toMatchObject({ signatures: 0, pending: 1 });

    expect(await t.api.outbox.runOnce()).toMatchObject({ sent: 1 });
    expect(at.sent).toHaveLength(1);
    const sms = at.sent[0]!;
    expect(sms).toMatchObject({ to: '+254712345678', from: 'IMLU' });
    expect(fitsOneGsm7Segment(sms.message)).toBe(true);
    expect(sms.message).toContain(`${BASE}/v1/confirm/`);
    // The link carries no time: not the signature id (a UUIDv7 starts with its time), not an expiry.
    expect(sms.message).not.toContain(id.slice(0, 8));
    // The outbox keeps the provider's id for delivery reports, and no recipient.
    const row = (await t.db.client.execute('SELECT status, provider_ref, payload FROM outbox')).rows[0]!;
    expect([row[0], row[1], row[2]]).toEqual(['sent', sms.messageId, '{}']);

    const code = codeIn(sms.message);
    const bad = await confirm(signed.confirmation!.handle, wrong(code));
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ type: 'urn:imlu:problem:validation', errors: [{ path: 'code', code: 'invalid' }] });
    expect(await counts()).toMatchObject({ signatures: 0, pending: 1 });

    const good = await confirm(signed.confirmation!.handle, code);
    expect([good.status, await good.json()]).toEqual([200, { status: 'counted' }]);
    expect(await counts()).toMatchObject({ signatures: 1, pending: 0, byCounty: { 'KE-30': 1 } });
    // Again: still counted once.
    expect((await confirm(signed.confirmation!.handle, code)).status).toBe(200);
    expect(await counts()).toMatchObject({ signatures: 1, pending: 0, byCounty: { 'KE-30': 1 } });
  });

  it('writes in Kiswahili to a Kiswahili signer; the link in the SMS opens the details and its button confirms', async () => {
    await signPhone('0722000111', { locale: 'sw', county: 'KE-47' });
    await t.api.outbox.runOnce();
    const text = at.sent[0]!.message;
    expect(text).toMatch(/^Nambari yako ya kuthibitisha: \d{6}\. Au fungua https:/);
    expect(fitsOneGsm7Segment(text)).toBe(true);
    const page = await t.request(linkIn(text));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<dt>Kaunti</dt><dd>Pokot Magharibi</dd>');
    expect(await counts()).toMatchObject({ signatures: 0, pending: 1 });
    expect((await pressButton(linkIn(text))).status).toBe(200);
    expect(await counts()).toMatchObject({ signatures: 1, pending: 0 });
  });

  it('lets a later submission for the same phone and name replace unconfirmed details: the old code stops working', async () => {
    // A stranger signs with the owner's number, choosing the county and the consents.
    const stranger = await signPhone('0712345678', { county: 'KE-47', consent: { terms: true, publicName: true, shareWithTargets: true } });
    // The owner signs too, with their own choices: the same kind of answer, a different handle.
    const owner = await signPhone('+254 712 345 678', { county: 'KE-30' });
    expect(Object.keys(owner)).toEqual(Object.keys(stranger));
    expect(owner.confirmation!.handle).not.toBe(stranger.confirmation!.handle);
    // Only the current version gets a message: the stranger's was replaced before the worker ran.
    expect(await t.api.outbox.runOnce()).toMatchObject({ sent: 1, skipped: 1 });
    const code = codeIn(at.sent[0]!.message);
    // The stranger's handle confirms nothing, even with the code the owner received.
    expect((await confirm(stranger.confirmation!.handle, code)).status).toBe(422);
    expect((await confirm(owner.confirmation!.handle, code)).status).toBe(200);
    const rows = await t.db.client.execute('SELECT status, county, consent_public_name, consent_share_with_targets FROM signatures WHERE superseded_by IS NULL');
    expect(rows.rows.map((r) => [r[0], r[1], r[2], r[3]])).toEqual([['counted', 'KE-30', 0, 0]]);
    expect(await counts()).toMatchObject({ signatures: 1, pending: 0, byCounty: { 'KE-30': 1 } });
    // Confirmed: a new submission for the number changes nothing and sends nothing.
    await signPhone('0712345678', { county: 'KE-47', consent: { terms: true, publicName: true } });
    expect(await t.api.outbox.runOnce()).toMatchObject({ claimed: 0 });
    expect(await counts()).toMatchObject({ signatures: 1, pending: 0, byCounty: { 'KE-30': 1 } });
  });

  it('allows 5 tries per code, even in parallel; then 429 — the owner asks for a new code, and the link still works', async () => {
    const signed = await signPhone();
    await t.api.outbox.runOnce();
    const code = codeIn(at.sent[0]!.message);
    const guesses = await Promise.all(Array.from({ length: 8 }, () => confirm(signed.confirmation!.handle, wrong(code))));
    expect(guesses.map((r) => r.status).sort()).toEqual([422, 422, 422, 422, 422, 429, 429, 429]);
    // Even the right code is refused now: the tries are used up.
    const late = await confirm(signed.confirmation!.handle, code);
    expect(late.status).toBe(429);
    expect(await counts()).toMatchObject({ signatures: 0, pending: 1 });

    // The owner asks for a new code: a new SMS, a new code, the old one useless, the tries start again.
    const again = await resend(signed.confirmation!.handle);
    expect([again.status, await again.json()]).toEqual([202, { status: 'queued' }]);
    await t.api.outbox.runOnce();
    expect(at.sent).toHaveLength(2);
    const newCode = codeIn(at.sent[1]!.message);
    expect(newCode).not.toBe(code);
    expect((await confirm(signed.confirmation!.handle, code)).status).toBe(422);
    // The link of the first SMS still opens the page, whatever happened to the codes.
    expect((await t.request(linkIn(at.sent[0]!.message))).status).toBe(200);
    expect((await confirm(signed.confirmation!.handle, newCode)).status).toBe(200);
    expect(await counts()).toMatchObject({ signatures: 1, pending: 0 });
  });

  it('limits code tries and new codes per source, so one stranger cannot guess at scale', async () => {
    const handles: string[] = [];
    for (let i = 0; i < 3; i++) handles.push((await signPhone(`07120000${i}0`, { name: `Signer ${i}` })).confirmation!.handle!);
    const statuses: number[] = [];
    // 10 tries in 10 minutes from one source, spread over several signatures: then 429 with Retry-After.
    for (let i = 0; i < 11; i++) statuses.push((await confirm(handles[i % 3], '000000', t.slug, from('198.51.100.7'))).status);
    expect(statuses.slice(0, 10).every((s) => s === 422)).toBe(true);
    const refused = await confirm(handles[0], '000000', t.slug, from('198.51.100.7'));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0);
    // Another source is not affected by it.
    expect((await confirm(handles[1], '000000', t.slug, from('203.0.113.9'))).status).toBe(422);
    // New codes: 5 per source in 10 minutes.
    const asked: number[] = [];
    for (let i = 0; i < 6; i++) asked.push((await resend(handles[i % 3], from('198.51.100.8'))).status);
    expect(asked).toEqual([202, 202, 202, 202, 202, 429]);
    now += 10 * 60_000;
    expect((await confirm(handles[0], '000000', t.slug, from('198.51.100.7'))).status).toBe(422);
  });

  it('answers tries and new codes for a handle of a duplicate exactly as for a stored one (no "has this number signed?")', async () => {
    // The owner signed and confirmed.
    const owner = await signPhone();
    await t.api.outbox.runOnce();
    expect((await confirm(owner.confirmation!.handle, codeIn(at.sent[0]!.message))).status).toBe(200);
    // Two strangers probe: one with the confirmed number (a duplicate, never stored), one with a number
    // that never signed (stored, pending). Their answers must not differ.
    const probes = [await signPhone('0712345678'), await signPhone('0799000111')];
    const transcript = async (handle: string) => {
      const steps: string[] = [];
      for (let i = 0; i < 6; i++) steps.push(String((await confirm(handle, '000000')).status));
      const asked = await resend(handle);
      steps.push(`${asked.status} ${await asked.text()}`);
      for (let i = 0; i < 6; i++) steps.push(String((await confirm(handle, '000000')).status));
      return steps;
    };
    const [duplicate, fresh] = [await transcript(probes[0]!.confirmation!.handle!), await transcript(probes[1]!.confirmation!.handle!)];
    expect(duplicate).toEqual(fresh);
    expect(duplicate).toEqual(['422', '422', '422', '422', '422', '429', '202 {"status":"queued"}', '422', '422', '422', '422', '422', '429']);
  });

  it('answers a forged handle, a handle from another campaign and a malformed code alike, storing nothing', async () => {
    const signed = await signPhone();
    await t.api.outbox.runOnce();
    const code = codeIn(at.sent[0]!.message);
    await createCampaign(t.db, { ...OPEN_CAMPAIGN, slug: 'other', verification: 'sms' });
    const forged = await confirm('v1.AAAA.BBBB.CCCC', code);
    const elsewhere = await confirm(signed.confirmation!.handle, code, 'other');
    for (const response of [forged, elsewhere]) {
      expect(response.status).toBe(422);
      expect(await response.json()).toMatchObject({ errors: [{ path: 'code', code: 'invalid' }] });
    }
    const malformed = await confirm(signed.confirmation!.handle, '12ab');
    expect(malformed.status).toBe(422);
    expect(await malformed.json()).toMatchObject({ errors: [{ path: 'code', code: 'invalid' }] });
    expect((await t.db.client.execute('SELECT COUNT(*) FROM code_attempts')).rows[0]![0]).toBe(0);
    expect(await counts()).toMatchObject({ signatures: 0, pending: 1 });
  });

  it('never confirms by code a signature that confirms by e-mail', async () => {
    await createCampaign(t.db, { ...OPEN_CAMPAIGN, slug: 'either', verification: 'either' });
    await t.sign(validSignature({ email: 'owner@example.org', phone: '0712345678' }), {}, 'either');
    const row = (await t.db.client.execute("SELECT id, campaign_id FROM signatures WHERE confirm_channel = 'email'")).rows[0]!;
    // Even a handle that names it (as if its id had leaked) and the code that id would have.
    const handle = new FieldCrypto(TEST_KEYS).encrypt(String(row[0]), String(row[1]), 'confirmation-handle');
    const code = t.api.services.tokens.smsCode(String(row[0]), 0);
    expect((await confirm(handle, code, 'either')).status).toBe(422);
    expect((await t.db.client.execute("SELECT status FROM signatures")).rows[0]![0]).toBe('pending');
  });

  it('lets a family share one phone: each name confirms with its own code; one more confirmed name is held for review', async () => {
    const names = ['Achieng Odhiambo', 'Otieno Odhiambo', 'Akinyi Odhiambo'];
    const handles: string[] = [];
    for (const name of names) handles.push((await signPhone('0712345678', { name })).confirmation!.handle!);
    // The same name again (written differently) is the same signer: it replaces, it does not add.
    handles[0] = (await signPhone('+254712345678', { name: 'ACHIENG  odhiambo' })).confirmation!.handle!;
    expect(await t.api.outbox.runOnce()).toMatchObject({ sent: 3, skipped: 1 });
    // Each version's code, as the SMS carried it (the messages may go out in any order).
    const crypto = new FieldCrypto(TEST_KEYS);
    const codes = handles.map((handle) => t.api.services.tokens.smsCode(crypto.decrypt(handle, t.campaignId, 'confirmation-handle'), 0));
    expect(at.sent.map((sms) => codeIn(sms.message)).sort()).toEqual([...codes].sort());
    expect(new Set(codes).size).toBe(3);
    // Unconfirmed names take no place: the third confirms first, then the first; the second is one too many.
    expect(await (await confirm(handles[2], codes[2]!)).json()).toEqual({ status: 'counted' });
    expect(await (await confirm(handles[0], codes[0]!)).json()).toEqual({ status: 'counted' });
    // A code is bound to its own name's version.
    expect((await confirm(handles[1], codes[0]!)).status).toBe(422);
    expect(await (await confirm(handles[1], codes[1]!)).json()).toEqual({ status: 'held' });
    expect(await storedCounts(t.db)).toEqual({ counted: 2, pending: 0, suspect: 1 });
    expect((await counts()).signatures).toBe(2);
    const held = await t.db.client.execute("SELECT status, flag, flag_reason, confirmed_at IS NOT NULL FROM signatures WHERE flag IS NOT NULL");
    expect(held.rows.map((r) => [r[0], r[1], r[2], r[3]])).toEqual([['pending', 'suspect', 'household', 1]]);
  });

  it('keeps one signature per number where the campaign says so (phoneHousehold 1)', async () => {
    await t.close();
    await at.stop();
    await start({ phoneHousehold: 1 });
    const first = await signPhone('0712345678', { name: 'Achieng Odhiambo' });
    const second = await signPhone('0712345678', { name: 'Otieno Odhiambo' });
    await t.api.outbox.runOnce();
    expect(await (await confirm(first.confirmation!.handle, codeIn(at.sent[0]!.message))).json()).toEqual({ status: 'counted' });
    expect(await (await confirm(second.confirmation!.handle, codeIn(at.sent[1]!.message))).json()).toEqual({ status: 'held' });
    expect((await counts()).signatures).toBe(1);
  });

  it('retries when the gateway is down, and gives up at once on an invalid number (403)', async () => {
    at.httpStatus = 500;
    await signPhone('0712345678');
    expect(await t.api.outbox.runOnce()).toMatchObject({ retried: 1 });
    expect((await t.db.client.execute('SELECT status, last_error FROM outbox')).rows.map((r) => [r[0], r[1]])).toEqual([['pending', 'at-http-500']]);
    at.httpStatus = undefined;
    at.recipientStatus.set('+254733000000', 403);
    await signPhone('0733000000');
    expect(await t.api.outbox.runOnce()).toMatchObject({ failed: 1 });
    const failed = await t.db.client.execute("SELECT last_error, payload FROM outbox WHERE status = 'failed'");
    expect([failed.rows[0]![0], failed.rows[0]![1]]).toEqual(['at-403', '{}']);
  });

  it('marks a message failed from a delivery report, without storing the phone number', async () => {
    await signPhone();
    await t.api.outbox.runOnce();
    const report = new URLSearchParams({
      id: at.sent[0]!.messageId,
      status: 'Failed',
      phoneNumber: '+254712345678',
      networkCode: '63902',
      failureReason: 'UserInBlacklist',
      retryCount: '0',
    });
    // The callback URL the operator pastes into the dashboard (`imlu sms callback-url`), on this test app.
    const callback = new URL(deliveryReportUrl(BASE, TEST_KEYS.blindIndexKey)).pathname;
    const response = await t.request(callback, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: report.toString(),
    });
    expect(response.status).toBe(200);
    const row = (await t.db.client.execute('SELECT status, last_error FROM outbox')).rows[0]!;
    expect([row[0], row[1]]).toEqual(['failed', 'dlr-UserInBlacklist']);
    const success = await t.request(callback, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ id: 'ATXid_unknown', status: 'Failed' }).toString(),
    });
    expect(success.status).toBe(200);
  });

  it('asks for a phone number when the campaign confirms by SMS only', async () => {
    const response = await t.sign(validSignature({ phone: undefined, email: 'someone@example.org' }));
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ errors: [{ path: 'phone', code: 'required' }] });
  });

  it('asks for the phone number, not "a phone or an e-mail", in the same round as every other error', async () => {
    const response = await t.sign(validSignature({ name: '', phone: undefined, email: undefined }));
    expect(response.status).toBe(422);
    const { errors } = (await response.json()) as { errors: { path: string; code: string }[] };
    expect(errors.map((e) => `${e.path}:${e.code}`).sort()).toEqual(['name:required', 'phone:required']);
  });
});

describe('development SMS provider', () => {
  it('prints the message so the demo can be confirmed by hand', async () => {
    const printed: string[] = [];
    const api = await createTestApi({ campaign: { verification: 'sms' }, sms: consoleSmsProvider((text) => printed.push(text)) });
    try {
      const signed = (await (await api.sign(validSignature())).json()) as SignBody;
      await api.api.outbox.runOnce();
      expect(printed).toHaveLength(1);
      expect(printed[0]).toContain('To: +254712345678');
      const response = await api.request(`/v1/campaigns/${api.slug}/confirmations`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ handle: signed.confirmation!.handle, code: codeIn(printed[0]!) }),
      });
      expect(response.status).toBe(200);
    } finally {
      await api.close();
    }
  });
});

describe('GSM-7 single segment', () => {
  it('counts septets, extension characters twice, and refuses what GSM-7 cannot carry', () => {
    expect(gsm7Length('Hello @ £5')).toBe(10);
    expect(gsm7Length('[x]')).toBe(5);
    expect(gsm7Length('Wanjirũ')).toBeUndefined(); // ũ is not GSM-7: would switch the SMS to UCS-2 (70 chars)
    expect(gsm7Length('👍')).toBeUndefined();
    expect(fitsOneGsm7Segment('x'.repeat(160))).toBe(true);
    expect(fitsOneGsm7Segment('x'.repeat(161))).toBe(false);
    expect(fitsOneGsm7Segment(`${'x'.repeat(159)}€`)).toBe(false);
  });

  it('fits a code and a real-length link in one segment in English and Kiswahili', () => {
    // A 7-day link to a 30-character host: the token is 57 characters.
    const link = `https://petitions.imlu.or.ke/v1/confirm/${'A'.repeat(27)}.${'B'.repeat(22)}`;
    for (const locale of ['en', 'sw'] as const) {
      const text = confirmationSms(locale, '123456', link);
      expect(text).toContain(link);
      expect(fitsOneGsm7Segment(text)).toBe(true);
    }
  });

  it('drops the link, never the code, when a long base URL would need a second segment', () => {
    const link = `https://a-very-long-host-name-for-petitions.example.org/api/v1/confirm/${'A'.repeat(27)}.${'B'.repeat(22)}`;
    for (const locale of ['en', 'sw'] as const) {
      const text = confirmationSms(locale, '654321', link);
      expect(text).not.toContain('https://');
      expect(text).toContain('654321');
      expect(fitsOneGsm7Segment(text)).toBe(true);
    }
  });
});
