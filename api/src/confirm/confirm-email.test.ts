/**
 * Confirmation by e-mail, end to end on a real database and a real SMTP conversation: sign → the outbox
 * row is committed with the signature → the worker sends over SMTP → the test reads the message as it
 * arrived, opens its link (a page showing what would be confirmed: GET and HEAD change nothing), presses
 * the button (POST), and sees the count move from pending to counted exactly once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCampaign } from '../campaigns/create.ts';
import { smtpTransport } from '../messages/email.ts';
import { createTestApi, storedCounts, tableCounts, validSignature, type TestApi } from '../../test/helpers.ts';
import { linkIn, startTestSmtp, type TestSmtp } from '../../test/smtp.ts';
import { englishLeaks } from '../i18n/english-leaks.ts';

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

/** The public counts (counted only) together with the stored pending total. */
async function counts() {
  const response = await t.request(`/v1/campaigns/${t.slug}/counts`);
  const published = (await response.json()) as { signatures: number; byCounty: Record<string, number> };
  return { ...published, pending: (await storedCounts(t.db)).pending };
}

async function outboxRows() {
  return (await t.db.client.execute('SELECT kind, status, attempts, next_attempt_at, last_error, payload, signature_id FROM outbox ORDER BY created_at')).rows;
}

/** Opens a link from a message through the app (the path only; the host is the public base URL). */
function follow(link: string, method = 'GET') {
  expect(link.startsWith(`${BASE}/v1/confirm/`)).toBe(true);
  return t.request(link.slice(BASE.length), { method });
}

/** Presses the page's button: a form post from the page itself. */
function confirm(link: string, lang?: 'en' | 'sw') {
  expect(link.startsWith(`${BASE}/v1/confirm/`)).toBe(true);
  return t.request(link.slice(BASE.length), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin' },
    body: lang ? `lang=${lang}` : '',
  });
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
    expect(JSON.parse(String(queued!.payload))).toMatchObject({ to: expect.stringMatching(/^v2\./), locale: 'en' });

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

    // The link opens a page that shows what would be confirmed, and a button. Opening it (a mail scanner,
    // a link preview, HEAD or GET) confirms nothing.
    const opened = await follow(link);
    expect(opened.status).toBe(200);
    expect(opened.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(opened.headers.get('Cache-Control')).toBe('no-store');
    expect(opened.headers.get('Referrer-Policy')).toBe('no-referrer');
    const form = await opened.text();
    expect(form).toContain('<dt>Name</dt><dd>Wanjirũ Kamau</dd>');
    expect(form).toContain('<dt>County</dt><dd>Nairobi</dd>');
    expect(form).toContain('<dt>Show my name publicly</dt><dd>No</dd>');
    expect(form).toMatch(/<form method="post" action="\/v1\/confirm\/[\w-]+\.[\w-]+">/);
    expect((await follow(link, 'HEAD')).status).toBe(200);
    expect(await counts()).toMatchObject({ signatures: 0, pending: 1, byCounty: {} });

    const confirmed = await confirm(link);
    expect(confirmed.status).toBe(200);
    expect(confirmed.headers.get('Cache-Control')).toBe('no-store');
    expect(await confirmed.text()).toContain('your signature is confirmed');
    expect(await counts()).toMatchObject({ signatures: 1, pending: 0, byCounty: { 'KE-30': 1 } });

    // A second press, or opening the link again, changes nothing.
    const again = await confirm(link);
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('already confirmed');
    expect(await (await follow(link)).text()).toContain('already confirmed');
    expect(await counts()).toMatchObject({ signatures: 1, pending: 0, byCounty: { 'KE-30': 1 } });
    const buckets = await t.db.client.execute('SELECT bucket, counted, pending FROM campaign_counts ORDER BY bucket');
    expect(buckets.rows.map((r) => [r[0], r[1], r[2]])).toEqual([
      ['KE-30', 1, 0],
      ['total', 1, 0],
    ]);
  });

  it('refuses a post from another site: only the page\'s own button confirms', async () => {
    await t.sign(validSignature({ email: EMAIL, phone: undefined }));
    await t.api.outbox.runOnce();
    const link = linkIn((await smtp.waitFor(1))[0]!);
    const path = link.slice(BASE.length);
    const crossSite = await t.request(path, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'cross-site' }, body: '' });
    expect(crossSite.status).toBe(404);
    const otherOrigin = await t.request(path, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example' }, body: '' });
    expect(otherOrigin.status).toBe(404);
    expect(await counts()).toMatchObject({ signatures: 0, pending: 1 });
  });

  it('writes to a Kiswahili signer in Kiswahili and shows the page in Kiswahili, with a link to English', async () => {
    await t.sign(validSignature({ email: EMAIL, phone: undefined, locale: 'sw', consent: { terms: true, updates: true } }));
    await t.api.outbox.runOnce();
    const [mail] = await smtp.waitFor(1);
    expect(mail!.subject).toBe('Tafadhali thibitisha sahihi yako');
    expect(mail!.headers.get('content-language')).toBe('sw');
    expect(mail!.text).toContain('Kampeni ya majaribio');
    const link = linkIn(mail!);
    const page = await (await follow(link)).text();
    expect(page).toMatch(/^<!doctype html><html lang="sw">/);
    expect(page).toContain('<h1>Thibitisha sahihi yako</h1>');
    expect(page).toContain('<dt>Nitumie taarifa mpya kuhusu kampeni hii</dt><dd>Ndiyo</dd>');
    expect(page).not.toContain('Confirm your signature');
    expect(page).toContain('hreflang="en"');
    expect(await (await follow(`${link}?lang=en`)).text()).toContain('<h1>Confirm your signature</h1>');
    expect(await (await confirm(link, 'sw')).text()).toContain('Asante: sahihi yako imethibitishwa');
  });

  it('shows the link page in one language only, styled like the hosted page, with a link to the other that keeps the page', async () => {
    await t.sign(validSignature({ email: EMAIL, phone: undefined, locale: 'sw' }));
    await t.api.outbox.runOnce();
    const link = linkIn((await smtp.waitFor(1))[0]!);
    const page = await (await follow(link)).text();
    const visible = page.replace(/<style>[^<]*<\/style>/, '').replace(/<[^>]+>/g, ' ');
    expect(englishLeaks(visible)).toEqual([]);
    // The hosted page's one stylesheet, allowed by the same CSP hash.
    expect(page).toContain(`<style>${/<style>([^<]*)<\/style>/.exec(await (await t.request(`/c/${t.slug}`)).text())![1]}</style>`);
    // The language link is relative: it keeps the token path without writing the token again.
    expect(page).toContain('<a href="?lang=en" hreflang="en" lang="en">English</a>');
    const english = await (await follow(`${link}?lang=en`)).text();
    expect(english).toContain('<a href="?lang=sw" hreflang="sw" lang="sw">Kiswahili</a>');
    expect(english).not.toContain('Thibitisha sahihi yako');

    // A link that names nothing follows the browser's language.
    const unknown = await t.request('/v1/confirm/AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA', { headers: { 'Accept-Language': 'sw-KE,sw;q=0.9' } });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('<h1>Kiungo hiki si sahihi</h1>');
  });

  it('replaces unconfirmed details with a later submission for the same address: the newest message confirms the newest details only', async () => {
    // Someone else types this address first, with their own name and choices.
    await t.sign(validSignature({ name: 'Mtu Mwingine', email: EMAIL, phone: undefined, county: 'KE-47', consent: { terms: true, shareWithTargets: true } }));
    await t.api.outbox.runOnce();
    const [first] = await smtp.waitFor(1);
    // The owner of the address signs with their own details: the unconfirmed ones are replaced.
    const owner = await t.sign(validSignature({ email: EMAIL.toUpperCase(), phone: undefined, county: 'KE-30' }));
    expect(await owner.text()).toBe('{"status":"pending_verification","confirmation":{"channel":"email"}}');
    await t.api.outbox.runOnce();
    const mails = await smtp.waitFor(2);
    expect(mails.every((m) => (m.to as { value: { address: string }[] }).value[0]!.address.toLowerCase() === EMAIL.toLowerCase())).toBe(true);

    // The first link no longer confirms anything, and says why.
    const old = await follow(linkIn(first!));
    expect(old.status).toBe(410);
    expect(await old.text()).toContain('These details were replaced');
    expect((await confirm(linkIn(first!))).status).toBe(410);
    expect(await counts()).toMatchObject({ signatures: 0, pending: 1 });

    // The newest shows and confirms the owner's details.
    const newest = linkIn(mails[1]!);
    const page = await (await follow(newest)).text();
    expect(page).toContain('<dd>Wanjirũ Kamau</dd>');
    expect(page).not.toContain('Mtu Mwingine');
    expect((await confirm(newest)).status).toBe(200);
    expect(await counts()).toMatchObject({ signatures: 1, pending: 0, byCounty: { 'KE-30': 1 } });
    const rows = await t.db.client.execute('SELECT status, county, consent_share_with_targets, superseded_by IS NOT NULL FROM signatures ORDER BY created_at, superseded_by IS NULL');
    expect(rows.rows.map((r) => [r[0], r[1], r[2], r[3]])).toEqual([
      ['pending', 'KE-47', 1, 1],
      ['counted', 'KE-30', 0, 0],
    ]);
    // Once confirmed, a new submission for the address changes nothing and sends nothing.
    await t.sign(validSignature({ name: 'Mtu Mwingine', email: EMAIL, phone: undefined, county: 'KE-47' }));
    expect(await outboxRows()).toHaveLength(2);
    expect((await t.db.client.execute("SELECT COUNT(*) FROM signatures WHERE status = 'counted' AND county = 'KE-30'")).rows[0]![0]).toBe(1);
  });

  it('sends at most 5 confirmation messages to one address in 24 hours, whatever is submitted', async () => {
    for (let i = 0; i < 7; i++) {
      const response = await t.sign(validSignature({ name: `Someone ${i}`, email: i % 2 ? EMAIL.toUpperCase() : EMAIL, phone: undefined }));
      expect(await response.text()).toBe('{"status":"pending_verification","confirmation":{"channel":"email"}}');
    }
    expect(await outboxRows()).toHaveLength(5);
    // One current version; the others were replaced and are kept for review, never counted.
    expect((await t.db.client.execute('SELECT COUNT(*) FROM signatures WHERE superseded_by IS NULL')).rows[0]![0]).toBe(1);
    expect(await counts()).toMatchObject({ signatures: 0, pending: 1 });
    now += 24 * 60 * 60 * 1000 + 1;
    await t.sign(validSignature({ email: EMAIL, phone: undefined }));
    expect(await outboxRows()).toHaveLength(6);
  });

  it('does not queue anything for a duplicate of a confirmed signature', async () => {
    await t.sign(validSignature({ email: EMAIL, phone: undefined }));
    await t.api.outbox.runOnce();
    await confirm(linkIn((await smtp.waitFor(1))[0]!));
    const again = await t.sign(validSignature({ email: EMAIL, phone: undefined }));
    expect(again.status).toBe(202);
    expect(await outboxRows()).toHaveLength(1);
  });

  it('skips a queued message whose version was replaced before it went out', async () => {
    await t.sign(validSignature({ name: 'Mtu Mwingine', email: EMAIL, phone: undefined }));
    await t.sign(validSignature({ email: EMAIL, phone: undefined }));
    expect(await t.api.outbox.runOnce()).toMatchObject({ claimed: 2, skipped: 1, sent: 1 });
    const [mail] = await smtp.waitFor(1);
    expect(await (await follow(linkIn(mail!))).text()).toContain('<dd>Wanjirũ Kamau</dd>');
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
    expect((await confirm(linkIn(first))).status).toBe(200);
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
    expect((await t.request(`/v1/confirm/${flipped}`, { method: 'POST', headers: { 'Sec-Fetch-Site': 'same-origin' } })).status).toBe(404);
    now += 7 * 24 * 60 * 60 * 1000 + 1000;
    const expired = await follow(`${link}?lang=sw`);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('Muda wa kiungo hiki umekwisha');
    expect((await confirm(link)).status).toBe(410);
    expect(await counts()).toMatchObject({ signatures: 0, pending: 1 });
  });

  it('does not count a confirmation after the campaign closed', async () => {
    await t.sign(validSignature({ email: EMAIL, phone: undefined }));
    await t.api.outbox.runOnce();
    const link = linkIn((await smtp.waitFor(1))[0]!);
    await t.db.client.execute({ sql: "UPDATE campaigns SET status = 'closed' WHERE id = ?", args: [t.campaignId] });
    expect((await follow(link)).status).toBe(409);
    expect((await confirm(link)).status).toBe(409);
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
