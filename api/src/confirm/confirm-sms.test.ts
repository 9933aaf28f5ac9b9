/**
 * Confirmation by SMS through the Africa's Talking adapter, against a local server that speaks its API:
 * sign → the outbox sends a code and a link → the code (read from the received SMS) confirms once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCampaign } from '../campaigns/create.ts';
import { africasTalkingProvider, consoleSmsProvider, fitsOneGsm7Segment, gsm7Length } from '../messages/sms.ts';
import { deliveryReportUrl } from '../messages/sms-reports.ts';
import { createTestApi, OPEN_CAMPAIGN, TEST_KEYS, validSignature, type TestApi } from '../../test/helpers.ts';
import { startTestAfricasTalking, type TestAfricasTalking } from '../../test/africastalking.ts';
import { confirmationSms } from './sms.ts';

const BASE = 'https://sign.imlu.example';

let at: TestAfricasTalking;
let t: TestApi;

beforeEach(async () => {
  at = await startTestAfricasTalking();
  t = await createTestApi({
    campaign: { verification: 'sms' },
    publicBaseUrl: BASE,
    sms: africasTalkingProvider({ username: at.username, apiKey: at.apiKey, from: 'IMLU', baseUrl: at.baseUrl }),
    outbox: { random: () => 1 },
  });
});
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

function confirm(handle: string | undefined, code: string, slug = t.slug) {
  return t.request(`/v1/campaigns/${slug}/confirmations`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ handle, code }),
  });
}

async function counts() {
  return (await (await t.request(`/v1/campaigns/${t.slug}/counts`)).json()) as { signatures: number; pending: number; byCounty: Record<string, number> };
}

const codeIn = (text: string) => /\b(\d{6})\b/.exec(text)![1]!;
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('confirmation by SMS (Africa\'s Talking)', () => {
  it('sends a code and a link in one GSM-7 segment; the code confirms once and counts move exactly once', async () => {
    const signed = await signPhone('0712 345 678');
    expect(signed).toMatchObject({ status: 'pending_verification', confirmation: { channel: 'sms', handle: expect.any(String) } });
    // The handle is opaque: no phone number, no signature id.
    expect(signed.confirmation!.handle).not.toMatch(/712345678|254/);
    expect(await counts()).toMatchObject({ signatures: 0, pending: 1 });

    expect(await t.api.outbox.runOnce()).toMatchObject({ sent: 1 });
    expect(at.sent).toHaveLength(1);
    const sms = at.sent[0]!;
    expect(sms).toMatchObject({ to: '+254712345678', from: 'IMLU' });
    expect(fitsOneGsm7Segment(sms.message)).toBe(true);
    expect(sms.message).toContain(`${BASE}/v1/confirm/`);
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

  it('writes in Kiswahili to a Kiswahili signer, and the link in the SMS confirms too', async () => {
    await signPhone('0722000111', { locale: 'sw' });
    await t.api.outbox.runOnce();
    const text = at.sent[0]!.message;
    expect(text).toMatch(/^Nambari yako ya kuthibitisha: \d{6}\. Au fungua https:/);
    expect(fitsOneGsm7Segment(text)).toBe(true);
    const link = /https:\S+/.exec(text)![0];
    expect((await t.request(link.slice(BASE.length))).status).toBe(200);
    expect(await counts()).toMatchObject({ signatures: 1, pending: 0 });
  });

  it('gives a duplicate the same kind of answer, re-sends the same code to the owner, and its handle works with that code', async () => {
    const first = await signPhone('0712345678');
    const duplicate = await signPhone('+254 712 345 678', { name: 'Someone Else' });
    expect(Object.keys(duplicate)).toEqual(Object.keys(first));
    expect(Object.keys(duplicate.confirmation!)).toEqual(Object.keys(first.confirmation!));
    expect(duplicate.confirmation!.handle).not.toBe(first.confirmation!.handle);
    await t.api.outbox.runOnce();
    expect(at.sent.map((s) => s.to)).toEqual(['+254712345678', '+254712345678']);
    expect(codeIn(at.sent[0]!.message)).toBe(codeIn(at.sent[1]!.message));
    expect((await confirm(duplicate.confirmation!.handle, codeIn(at.sent[1]!.message))).status).toBe(200);
    expect(await counts()).toMatchObject({ signatures: 1, pending: 0 });
  });

  it('allows 5 tries per signature, even in parallel; then 429, and the link still works', async () => {
    const signed = await signPhone();
    await t.api.outbox.runOnce();
    const code = codeIn(at.sent[0]!.message);
    const guesses = await Promise.all(Array.from({ length: 8 }, () => confirm(signed.confirmation!.handle, wrong(code))));
    expect(guesses.map((r) => r.status).sort()).toEqual([422, 422, 422, 422, 422, 429, 429, 429]);
    // Even the right code is refused now: the attempts are used up.
    const late = await confirm(signed.confirmation!.handle, code);
    expect(late.status).toBe(429);
    expect(await counts()).toMatchObject({ signatures: 0, pending: 1 });
    const link = /https:\S+/.exec(at.sent[0]!.message)![0];
    expect((await t.request(link.slice(BASE.length))).status).toBe(200);
    expect(await counts()).toMatchObject({ signatures: 1, pending: 0 });
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
    const attempts = (await t.db.client.execute('SELECT confirm_attempts FROM signatures')).rows[0]![0];
    expect(attempts).toBe(0);
  });

  it('does not confirm by code a signature that confirms by e-mail', async () => {
    await createCampaign(t.db, { ...OPEN_CAMPAIGN, slug: 'either', verification: 'either' });
    // The owner signed with e-mail and phone: the confirmation goes by e-mail.
    await t.sign(validSignature({ email: 'owner@example.org', phone: '0712345678' }), {}, 'either');
    // Someone else with the owner's phone gets an SMS handle for it; a code is never sent.
    const other = (await (await t.sign(validSignature({ phone: '0712345678' }), {}, 'either')).json()) as SignBody;
    expect(other.confirmation).toMatchObject({ channel: 'sms' });
    const response = await confirm(other.confirmation!.handle, '000000', 'either');
    expect(response.status).toBe(422);
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
