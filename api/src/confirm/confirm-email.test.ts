/**
 * Confirmation by e-mail, end to end on a real database and a real SMTP conversation: sign → the outbox
 * row is committed with the signature → the worker sends over SMTP → the test reads the message as it
 * arrived, follows its link, and sees the count move from pending to counted exactly once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCampaign } from '../campaigns/create.ts';
import { smtpTransport } from '../messages/email.ts';
import { createTestApi, tableCounts, validSignature, type TestApi } from '../../test/helpers.ts';
import { linkIn, startTestSmtp, type TestSmtp } from '../../test/smtp.ts';

const BASE = 'https://api.imlu.example';
const EMAIL = 'Wanjiru.Kamau@example.org';

let smtp: TestSmtp;
let t: TestApi;
let now: number;

beforeEach(async () => {
  now = Date.UTC(2026, 10, 27, 9, 0, 0);
  smtp = await startTestSmtp();
  t = await createTestApi({
    campaign: { verification: 'email' },
    clock: () => now,
    publicBaseUrl: BASE,
    mail: smtpTransport({ url: smtp.url, from: 'IMLU <no-reply@imlu.example>', timeouts: { connection: 2, greeting: 2, socket: 5 } }),
    // Deterministic jitter: the retry lands at the top of its window.
    outbox: { random: () => 1, baseDelayMs: 30_000 },
  });
});
afterEach(async () => {
  await t.close();
  await smtp.stop();
});

async function counts() {
  const response = await t.request(`/v1/campaigns/${t.slug}/counts`);
  return (await response.json()) as { signatures: number; pending: number; byCounty: Record<string, number> };
}

async function outboxRows() {
  return (await t.db.client.execute('SELECT kind, status, attempts, next_attempt_at, last_error, payload, signature_id FROM outbox ORDER BY created_at')).rows;
}

/** Follows a link from a message through the app (the path only; the host is the public base URL). */
function follow(link: string) {
  expect(link.startsWith(`${BASE}/v1/confirm/`)).toBe(true);
  return t.request(link.slice(BASE.length));
}

describe('confirmation by e-mail', () => {
  it('sends a link over SMTP that confirms once: the count moves from pending to counted exactly once', async () => {
    const signed = await t.sign(validSignature({ email: EMAIL, phone: undefined, county: 'KE-30' }));
    expect([signed.status, await signed.text()]).toEqual([202, '{"status":"pending_verification","confirmation":{"channel":"email"}}']);
    expect(await counts()).toMatchObject({ signatures: 0, pending: 1, byCounty: {} });

    // The message was committed with the signature; its recipient is encrypted, never in clear.
    const [queued] = await outboxRows();
    expect(queued).toMatchObject({ kind: 'confirm-email', status: 'pending', attempts: 0 });
    expect(String(queued!.payload)).not.toContain('example.org');
    expect(JSON.parse(String(queued!.payload))).toMatchObject({ to: expect.stringMatching(/^v1\./), locale: 'en' });

    expect(await t.api.outbox.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    const [mail] = await smtp.waitFor(1);
    expect(mail!.to).toMatchObject({ value: [{ address: EMAIL }] });
    expect(mail!.from).toMatchObject({ value: [{ address: 'no-reply@imlu.example' }] });
    expect(mail!.subject).toBe('Please confirm your signature');
    expect(mail!.headers.get('content-language')).toBe('en');
    expect(mail!.text).toContain('Test campaign');
    const link = linkIn(mail!);
    // The token is ours to read: it holds no address, name or phone.
    expect(link).not.toMatch(/wanjiru|example\.org|0712/i);
    // Sent: the outbox keeps no recipient.
    expect((await outboxRows())[0]).toMatchObject({ status: 'sent', payload: '{}' });

    const confirmed = await follow(link);
    expect(confirmed.status).toBe(200);
    expect(confirmed.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(confirmed.headers.get('Cache-Control')).toBe('no-store');
    const html = await confirmed.text();
    expect(html).toContain('your signature is confirmed');
    expect(html).toContain('sahihi yako imethibitishwa');
    expect(await counts()).toMatchObject({ signatures: 1, pending: 0, byCounty: { 'KE-30': 1 } });

    // A second click (or a mail scanner's prefetch) changes nothing.
    const again = await follow(link);
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('already confirmed');
    expect(await counts()).toMatchObject({ signatures: 1, pending: 0, byCounty: { 'KE-30': 1 } });
    const buckets = await t.db.client.execute('SELECT bucket, counted, pending FROM campaign_counts ORDER BY bucket');
    expect(buckets.rows.map((r) => [r[0], r[1], r[2]])).toEqual([
      ['KE-30', 1, 0],
      ['total', 1, 0],
    ]);
  });

  it('writes to a Kiswahili signer in Kiswahili and shows the page in Kiswahili first', async () => {
    await t.sign(validSignature({ email: EMAIL, phone: undefined, locale: 'sw' }));
    await t.api.outbox.runOnce();
    const [mail] = await smtp.waitFor(1);
    expect(mail!.subject).toBe('Tafadhali thibitisha sahihi yako');
    expect(mail!.headers.get('content-language')).toBe('sw');
    expect(mail!.text).toContain('Kampeni ya majaribio');
    const page = await (await follow(linkIn(mail!))).text();
    expect(page).toMatch(/^<!doctype html><html lang="sw">/);
    expect(page.indexOf('Asante')).toBeLessThan(page.indexOf('Thank you'));
  });

  it('re-sends to the owner of the address on a duplicate, at most 3 times, with identical answers', async () => {
    const answers: string[] = [];
    for (let i = 0; i < 5; i++) {
      // Another name, another case of the address: the same signer by the blind index.
      const response = await t.sign(validSignature({ name: `Someone ${i}`, email: i % 2 ? EMAIL.toUpperCase() : EMAIL, phone: undefined }));
      answers.push(`${response.status} ${await response.text()}`);
    }
    expect(new Set(answers)).toEqual(new Set(['202 {"status":"pending_verification","confirmation":{"channel":"email"}}']));
    expect((await tableCounts(t.db)).signatures).toBe(1);
    expect(await outboxRows()).toHaveLength(3);
    expect((await t.db.client.execute('SELECT confirmation_sends FROM signatures')).rows[0]![0]).toBe(3);
    await t.api.outbox.runOnce();
    const mails = await smtp.waitFor(3);
    expect(mails.every((m) => (m.to as { value: { address: string }[] }).value[0]!.address === EMAIL)).toBe(true);
    // Any of the links confirms; the others then find nothing to do.
    expect((await follow(linkIn(mails[2]!))).status).toBe(200);
    expect((await follow(linkIn(mails[0]!))).status).toBe(200);
    expect(await counts()).toMatchObject({ signatures: 1, pending: 0 });
  });

  it('does not queue anything for a duplicate of a confirmed signature', async () => {
    await t.sign(validSignature({ email: EMAIL, phone: undefined }));
    await t.api.outbox.runOnce();
    await follow(linkIn((await smtp.waitFor(1))[0]!));
    const again = await t.sign(validSignature({ email: EMAIL, phone: undefined }));
    expect(again.status).toBe(202);
    expect(await outboxRows()).toHaveLength(1);
  });

  it('skips a queued re-send once the signature is confirmed', async () => {
    await t.sign(validSignature({ email: EMAIL, phone: undefined }));
    await t.api.outbox.runOnce();
    await t.sign(validSignature({ email: EMAIL, phone: undefined }));
    await follow(linkIn((await smtp.waitFor(1))[0]!));
    expect(await t.api.outbox.runOnce()).toMatchObject({ claimed: 1, skipped: 1, sent: 0 });
    expect(smtp.received).toHaveLength(1);
  });

  it('keeps signing while the SMTP server is down, loses nothing, and delivers after it returns', async () => {
    await smtp.stop();
    const signed = await t.sign(validSignature({ email: EMAIL, phone: undefined }));
    expect(signed.status).toBe(202);
    expect(await counts()).toMatchObject({ signatures: 0, pending: 1 });

    // The worker tries, fails to connect, and schedules a retry with backoff (jitter fixed at its top).
    expect(await t.api.outbox.runOnce()).toMatchObject({ claimed: 1, retried: 1, sent: 0 });
    const [waiting] = await outboxRows();
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1, next_attempt_at: now + 30_000 });
    expect(String(waiting!.last_error)).toMatch(/^(ECONNECTION|ESOCKET|ECONNREFUSED)$/);

    // Signing goes on during the outage.
    expect((await t.sign(validSignature({ email: 'second@example.org', phone: undefined }))).status).toBe(202);

    await smtp.restart();
    // Not due yet: nothing is claimed before the backoff has passed.
    expect(await t.api.outbox.runOnce()).toMatchObject({ claimed: 1 }); // only the second signer's first attempt
    now += 30_000;
    expect(await t.api.outbox.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    const mails = await smtp.waitFor(2);
    const first = mails.find((m) => (m.to as { value: { address: string }[] }).value[0]!.address === EMAIL)!;
    expect((await follow(linkIn(first))).status).toBe(200);
    expect(await counts()).toMatchObject({ signatures: 1, pending: 1 });
  });

  it('marks a message failed at once when the server refuses the recipient (550), and keeps no recipient', async () => {
    smtp.rejectRecipients.add(EMAIL);
    await t.sign(validSignature({ email: EMAIL, phone: undefined }));
    expect(await t.api.outbox.runOnce()).toMatchObject({ failed: 1 });
    expect((await outboxRows())[0]).toMatchObject({ status: 'failed', attempts: 1, last_error: 'smtp-550', payload: '{}' });
  });

  it('refuses forged, truncated and expired links without touching the counts', async () => {
    await t.sign(validSignature({ email: EMAIL, phone: undefined }));
    await t.api.outbox.runOnce();
    const link = linkIn((await smtp.waitFor(1))[0]!);
    const token = link.slice(`${BASE}/v1/confirm/`.length);
    const [payload, mac] = token.split('.') as [string, string];
    const flipped = `${payload}.${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BA' : 'AA'}`;
    expect((await t.request(`/v1/confirm/${flipped}`)).status).toBe(404);
    expect((await t.request(`/v1/confirm/${payload}`)).status).toBe(404);
    expect((await t.request('/v1/confirm/not-a-token')).status).toBe(404);
    now += 7 * 24 * 60 * 60 * 1000 + 1000;
    const expired = await follow(link);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('Muda wa kiungo hiki umekwisha');
    expect(await counts()).toMatchObject({ signatures: 0, pending: 1 });
  });

  it('does not count a confirmation after the campaign closed', async () => {
    await t.sign(validSignature({ email: EMAIL, phone: undefined }));
    await t.api.outbox.runOnce();
    const link = linkIn((await smtp.waitFor(1))[0]!);
    await t.db.client.execute({ sql: "UPDATE campaigns SET status = 'closed' WHERE id = ?", args: [t.campaignId] });
    expect((await follow(link)).status).toBe(409);
    expect(await counts()).toMatchObject({ signatures: 0, pending: 1 });
  });

  it('asks for an e-mail address when the campaign confirms by e-mail only, and stores nothing', async () => {
    const response = await t.sign(validSignature({ email: undefined, phone: '0712345678' }));
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ errors: [{ path: 'email', code: 'required' }] });
    expect(await tableCounts(t.db)).toMatchObject({ signatures: 0, campaign_counts: 0 });
    expect(await outboxRows()).toHaveLength(0);
  });

  it('confirms `either` campaigns by e-mail when one is given, and queues SMS otherwise', async () => {
    await createCampaign(t.db, { ...{ slug: 'either', title: { en: 'E', sw: 'E' }, summary: { en: '-', sw: '-' }, body: { en: '-', sw: '-' } }, status: 'open', consentVersion: 'v1', verification: 'either' });
    expect((await t.sign(validSignature({ email: EMAIL, phone: '0712345678' }), {}, 'either')).status).toBe(202);
    expect((await t.sign(validSignature({ email: undefined, phone: '0722000000' }), {}, 'either')).status).toBe(202);
    expect((await outboxRows()).map((r) => r.kind)).toEqual(['confirm-email', 'confirm-sms']);
  });

  it('queues nothing for campaigns without verification', async () => {
    await createCampaign(t.db, { slug: 'open-count', title: { en: 'O', sw: 'O' }, summary: { en: '-', sw: '-' }, body: { en: '-', sw: '-' }, status: 'open', consentVersion: 'v1', verification: 'none' });
    expect((await t.sign(validSignature({ email: EMAIL }), {}, 'open-count')).status).toBe(201);
    expect(await outboxRows()).toHaveLength(0);
  });
});
