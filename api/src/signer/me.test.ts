/**
 * Manage my signature (`/me`), on a real database, with messages over the Africa's Talking adapter (to a
 * local fake of its API) and over real SMTP: a signer asks for a code, the message brings a code and a
 * private link, both open the manage page, and from there they see what is stored, withdraw (the public
 * counts drop by one at once, an export afterwards omits them), stop updates, and erase (rows gone, and no
 * byte of their ciphertext left in the database file or its WAL). A contact that never signed gets the
 * same answers. Codes, sources and contacts are limited; cross-site posts are refused.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCampaign } from '../campaigns/create.ts';
import { smtpTransport } from '../messages/email.ts';
import { africasTalkingProvider, fitsOneGsm7Segment } from '../messages/sms.ts';
import { reconcileCounts } from '../moderation/moderation.ts';
import { createTestApi, OPEN_CAMPAIGN, storedCounts, validSignature, type TestApi } from '../../test/helpers.ts';
import { startTestAfricasTalking, type TestAfricasTalking } from '../../test/africastalking.ts';
import { linkIn as mailLinkIn, startTestSmtp, type TestSmtp } from '../../test/smtp.ts';
import { MANAGE_TTL_MS } from './access.ts';
import { manageSms } from './messages.ts';

const BASE = 'https://sign.imlu.example';
const ADMIN = 'signer-rights-admin-token-0123456789abcdef';
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin' };

let at: TestAfricasTalking;
let smtp: TestSmtp;
let t: TestApi;
let now: number;

beforeEach(async () => {
  now = Date.UTC(2026, 11, 6, 9, 0, 0);
  at = await startTestAfricasTalking();
  smtp = await startTestSmtp();
  t = await createTestApi({
    campaign: { verification: 'sms' },
    clock: () => now,
    publicBaseUrl: BASE,
    adminToken: ADMIN,
    sms: africasTalkingProvider({ username: at.username, apiKey: at.apiKey, from: 'IMLU', baseUrl: at.baseUrl }),
    mail: smtpTransport({ url: smtp.url, from: 'IMLU <no-reply@imlu.example>', timeouts: { connection: 2, greeting: 2, socket: 5 } }),
    outbox: { random: () => 1 },
    rateLimits: { trustProxy: true },
  });
});
afterEach(async () => {
  await t.close();
  await at.stop();
  await smtp.stop();
});

const post = (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
  t.request(path, { method: 'POST', headers: { ...FORM, ...headers }, body: new URLSearchParams(form).toString() });

const codeIn = (text: string) => /\b(\d{6})\b/.exec(text)![1]!;
const smsLinkIn = (text: string) => /https:\S+/.exec(text)![0].slice(BASE.length);
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
const requestIn = (html: string) => /name="request" value="([^"]+)"/.exec(html)![1]!;
const count = async (sql: string, ...args: (string | number)[]) => Number((await t.db.client.execute({ sql, args })).rows[0]![0]);

/** Signs by phone and confirms with the code of the confirmation SMS: a counted signature. */
async function signAndConfirm(extra: Record<string, unknown> = {}, slug = t.slug, headers: Record<string, string> = {}): Promise<void> {
  const signed = await t.sign(validSignature(extra), headers, slug);
  expect(signed.status).toBe(202);
  const { confirmation } = (await signed.json()) as { confirmation: { handle: string } };
  const before = at.sent.length;
  await t.api.outbox.runOnce();
  expect(at.sent.length).toBe(before + 1);
  const confirmed = await t.request(`/v1/campaigns/${slug}/confirmations`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ handle: confirmation.handle, code: codeIn(at.sent.at(-1)!.message) }),
  });
  expect(await confirmed.json()).toEqual({ status: 'counted' });
}

/** POST /me, then the outbox: the page, and the SMS that arrived (if any). */
async function ask(contact: string, headers: Record<string, string> = {}) {
  const before = at.sent.length;
  const response = await post('/me', { contact, lang: 'en' }, headers);
  const html = await response.text();
  await t.api.outbox.runOnce();
  return { response, html, sms: at.sent.length > before ? at.sent.at(-1)!.message : undefined };
}

/** Asks for a code by SMS and types it: the manage page's path. */
async function session(contact = '0712345678'): Promise<string> {
  const { html, sms } = await ask(contact);
  expect(sms).toBeDefined();
  const typed = await post('/me/code', { request: requestIn(html), code: codeIn(sms!), lang: 'en' });
  expect(typed.status).toBe(303);
  return typed.headers.get('Location')!;
}

async function publicCounts() {
  return (await (await t.request(`/v1/campaigns/${t.slug}/counts`)).json()) as { signatures: number; byCounty: Record<string, number> };
}

describe('manage my signature', () => {
  it('sends a code and a private link by SMS in the signer\'s language; both open a page showing exactly what is stored', async () => {
    await signAndConfirm({ name: 'Akinyi Odhiambo', locale: 'sw', county: 'KE-42', comment: 'Haki sasa', consent: { terms: true, shareWithTargets: true } });

    const start = await t.request('/me?lang=sw');
    expect(start.status).toBe(200);
    expect(start.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    const startHtml = await start.text();
    expect(startHtml).toContain('Nambari ya simu au anwani ya barua pepe');
    expect(startHtml).not.toContain('<script');

    const { response, html, sms } = await ask('+254 712 345 678');
    expect(response.status).toBe(200);
    expect(html).toContain('a message with a 6-digit code and a link is on its way');
    // In the language the signer signed in, one GSM-7 segment, no campaign title, no number in the link.
    expect(sms).toMatch(/^Msimbo wa kusimamia sahihi yako: \d{6}\. Au fungua https:\/\/sign\.imlu\.example\/me\/[\w-]+$/);
    expect(fitsOneGsm7Segment(sms!)).toBe(true);
    expect(sms).not.toMatch(/712345678|Test campaign|Kampeni/);
    expect(at.sent.at(-1)!.to).toBe('+254712345678');
    const message = (await t.db.client.execute("SELECT status, payload FROM outbox WHERE kind = 'manage-sms'")).rows[0]!;
    expect([message[0], message[1]]).toEqual(['sent', '{}']);

    // A wrong code first: the same form, with an error; then the right one opens the page.
    const request = requestIn(html);
    const bad = await post('/me/code', { request, code: wrong(codeIn(sms!)), lang: 'en' });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('This code is not right');
    const good = await post('/me/code', { request, code: codeIn(sms!), lang: 'en' });
    expect(good.status).toBe(303);
    const location = good.headers.get('Location')!;
    expect(location).toMatch(/^\/me\/[\w-]+$/);
    expect(location).not.toMatch(/712345678/);

    // The code's page speaks the language the code was typed in; the link, the one the signer signed in.
    const pages = { en: await t.request(location), sw: await t.request(smsLinkIn(sms!)) };
    for (const [lang, page] of Object.entries(pages)) {
      expect(page.status).toBe(200);
      expect(page.headers.get('Referrer-Policy')).toBe('no-referrer');
      expect(page.headers.get('Cache-Control')).toBe('no-store');
      const text = await page.text();
      expect(text).toContain(lang === 'sw' ? '<h2>Kampeni ya majaribio</h2>' : '<h2>Test campaign</h2>');
      expect(text).toContain('<dd>Akinyi Odhiambo</dd>');
      expect(text).toContain('<dd>+254712345678</dd>');
      expect(text).toContain('<dd>Trans Nzoia</dd>');
      expect(text).toContain('<dd>Haki sasa</dd>');
      expect(text).toContain(lang === 'sw' ? '<dt>Lugha</dt><dd>Kiswahili</dd>' : '<dt>Language</dt><dd>Kiswahili</dd>');
      expect(text).toContain(lang === 'sw' ? '<dd>Inahesabiwa</dd>' : '<dd>Counted</dd>');
      expect(text).toContain(lang === 'sw' ? 'toleo test-v1' : 'version test-v1');
      expect(text).toMatch(lang === 'sw' ? /Shiriki jina langu na maafisa[^<]*: Ndiyo/ : /Share my name with the officials[^<]*: Yes/);
      expect(text).toContain(lang === 'sw' ? 'Ondoa sahihi hii' : 'Withdraw this signature');
      expect(text).not.toContain('<script');
    }
    // A right code is spent: typing it again opens nothing.
    expect((await post('/me/code', { request, code: codeIn(sms!), lang: 'en' })).status).toBe(429);
    // ?lang= switches the page's language.
    expect(await (await t.request(`${location}?lang=sw`)).text()).toContain('<dd>Inahesabiwa</dd>');
  });

  it('answers a contact that never signed exactly like one that did, and sends it nothing', async () => {
    await signAndConfirm();
    const signed = await ask('0712345678');
    const stranger = await ask('0799000111');
    expect(signed.sms).toBeDefined();
    expect(stranger.sms).toBeUndefined();
    expect(stranger.response.status).toBe(signed.response.status);
    const blank = (html: string) => html.replace(requestIn(html), '');
    expect(blank(stranger.html)).toBe(blank(signed.html));
    expect(requestIn(stranger.html)).toHaveLength(requestIn(signed.html).length);
    // Both requests wrote their tries row; a wrong code is answered alike.
    expect(await count("SELECT COUNT(*) FROM code_attempts WHERE signature_id LIKE 'manage:%'")).toBe(2);
    const [a, b] = await Promise.all([
      post('/me/code', { request: requestIn(signed.html), code: wrong(codeIn(signed.sms!)), lang: 'en' }),
      post('/me/code', { request: requestIn(stranger.html), code: wrong(codeIn(signed.sms!)), lang: 'en' }),
    ]);
    expect(b.status).toBe(a.status);
    expect((await b.text()).replace(requestIn(stranger.html), '')).toBe((await a.text()).replace(requestIn(signed.html), ''));
  });

  it('withdraws: the public count and the county count drop by one at once, an export omits it, and the signer may sign again', async () => {
    await signAndConfirm({ name: 'Baraka Mwangi', county: 'KE-30', consent: { terms: true, shareWithTargets: true } });
    await signAndConfirm({ name: 'Halima Abdi', phone: '0733000444', county: 'KE-30', consent: { terms: true, shareWithTargets: true } });
    expect(await publicCounts()).toMatchObject({ signatures: 2, byCounty: { 'KE-30': 2 } });
    const id = String((await t.db.client.execute("SELECT id FROM signatures WHERE phone_hash IS NOT NULL ORDER BY created_at LIMIT 1")).rows[0]![0]);

    const page = await session();
    const withdrawn = await post(page, { action: 'withdraw', signature: id, lang: 'en' });
    expect(withdrawn.status).toBe(200);
    const html = await withdrawn.text();
    expect(html).toContain('Your signature on &quot;Test campaign&quot; is withdrawn. It no longer counts.');
    expect(html).toContain('<dd>Withdrawn: not counted</dd>');
    expect(html).not.toContain('Withdraw this signature');
    // At once, from the snapshot the public reads; the stored totals agree with the rows.
    expect(await publicCounts()).toMatchObject({ signatures: 1, byCounty: { 'KE-30': 1 } });
    expect(await storedCounts(t.db, t.campaignId)).toEqual({ counted: 1, pending: 0, suspect: 0 });
    expect(await reconcileCounts(t.db, { fix: false })).toEqual([]);
    // Again: nothing changes.
    expect((await post(page, { action: 'withdraw', signature: id, lang: 'en' })).status).toBe(409);
    expect(await publicCounts()).toMatchObject({ signatures: 1 });

    const csv = await t.request(`/admin/campaigns/${t.slug}/export?format=csv`, { headers: { Authorization: `Bearer ${ADMIN}` } });
    expect(csv.status).toBe(200);
    const exported = await csv.text();
    expect(exported).toContain('Halima Abdi');
    expect(exported).not.toContain('Baraka Mwangi');
    expect(exported).not.toContain(id);

    // Audited, without personal data or the signature's id.
    const audit = (await t.db.client.execute("SELECT actor, campaign_id, subject, row_count, details FROM audit_log WHERE action = 'signature.withdrawn'")).rows;
    expect(audit.map((r) => [r[0], r[1], r[2], r[3]])).toEqual([['signer', t.campaignId, null, 1]]);
    expect(JSON.parse(String(audit[0]![4]))).toEqual({ by: 'signer', was: 'counted' });

    // A withdrawn signature binds nothing: signing again stores a new one, which counts once confirmed.
    await signAndConfirm({ name: 'Baraka Mwangi', county: 'KE-30' });
    expect(await publicCounts()).toMatchObject({ signatures: 2, byCounty: { 'KE-30': 2 } });
    const versions = (await t.db.client.execute({ sql: 'SELECT flag, superseded_by IS NOT NULL FROM signatures WHERE id = ?', args: [id] })).rows[0]!;
    expect([versions[0], versions[1]]).toEqual(['withdrawn', 1]);
    expect(await reconcileCounts(t.db, { fix: false })).toEqual([]);
  });

  it('stops updates for one signature', async () => {
    await signAndConfirm({ consent: { terms: true, updates: true } });
    const page = await session();
    const before = await (await t.request(page)).text();
    expect(before).toContain('Stop updates');
    const id = /name="signature" value="([^"]+)"/.exec(before)![1]!;
    const stopped = await post(page, { action: 'stop-updates', signature: id, lang: 'en' });
    expect(stopped.status).toBe(200);
    const html = await stopped.text();
    expect(html).toContain('You will get no more updates about &quot;Test campaign&quot;.');
    expect(html).not.toContain('Stop updates');
    expect(await count('SELECT consent_updates FROM signatures WHERE id = ?', id)).toBe(0);
    expect(await count("SELECT COUNT(*) FROM audit_log WHERE action = 'signature.updates_stopped' AND actor = 'signer'")).toBe(1);
    expect((await post(page, { action: 'stop-updates', signature: id, lang: 'en' })).status).toBe(409);
    expect(await publicCounts()).toMatchObject({ signatures: 1 });
  });

  it('erases across campaigns after a confirmation step: rows, blind indexes, idempotency records and messages go, and no byte of them stays in the file or the WAL', async () => {
    await createCampaign(t.db, { ...OPEN_CAMPAIGN, slug: 'second', verification: 'sms', title: { en: 'Second campaign', sw: 'Kampeni ya pili' } }, now);
    t.api.services.campaigns.invalidate();
    // A first version replaced by a second (kept for review), then confirmed; the same phone in another campaign.
    await t.sign(validSignature({ name: 'Wanjirũ Kamau', county: 'KE-47', comment: 'Kwa haki' }), { 'Idempotency-Key': 'first-try' });
    await signAndConfirm({ name: 'Wanjirũ Kamau', county: 'KE-30' }, t.slug, { 'Idempotency-Key': 'second-try' });
    await signAndConfirm({ name: 'Wanjirũ Kamau', county: 'KE-30' }, 'second');
    // Someone else, who stays.
    await signAndConfirm({ name: 'Otieno Juma', phone: '0733000444', county: 'KE-30' });
    expect(await publicCounts()).toMatchObject({ signatures: 2, byCounty: { 'KE-30': 2 } });
    const { crypto } = t.api.services;
    const rows = (await t.db.client.execute('SELECT id, campaign_id, name_enc, phone_enc, comment_enc FROM signatures')).rows;
    const isOther = (r: (typeof rows)[number]) => crypto.decrypt(String(r['name_enc']), String(r['campaign_id']), 'name') === 'Otieno Juma';
    const mine = rows.filter((r) => !isOther(r));
    const other = rows.find(isOther)!;
    expect(mine).toHaveLength(3);
    expect(await count('SELECT COUNT(*) FROM idempotency_keys')).toBe(2);

    const page = await session();
    const listing = await (await t.request(page)).text();
    expect(listing).toContain('<h2>Test campaign</h2>');
    expect(listing).toContain('<h2>Second campaign</h2>');
    expect(listing).toContain('Earlier details, replaced by a later signature');
    expect(listing).toContain('<dd>Kwa haki</dd>');
    expect(listing).not.toContain('Otieno');

    const confirmStep = await post(page, { action: 'erase', lang: 'en' });
    expect(confirmStep.status).toBe(200);
    expect(await confirmStep.text()).toContain('This deletes 3 signatures and everything stored with them');
    expect(await count('SELECT COUNT(*) FROM signatures')).toBe(4); // nothing yet

    const erased = await post(page, { action: 'erase-confirm', lang: 'en' });
    expect(erased.status).toBe(200);
    expect(await erased.text()).toContain('Your personal data is erased');

    // Only the other signer is left, counted; the public counts dropped by one at once, and agree with the rows.
    expect((await t.db.client.execute('SELECT id FROM signatures')).rows.map((r) => r[0])).toEqual([other['id']]);
    expect(await publicCounts()).toMatchObject({ signatures: 1, byCounty: { 'KE-30': 1 } });
    expect(await storedCounts(t.db)).toEqual({ counted: 1, pending: 0, suspect: 0 });
    expect(await reconcileCounts(t.db, { fix: false })).toEqual([]);
    expect((await t.db.client.execute('SELECT signature_id FROM signature_dedupe')).rows.map((r) => r[0])).toEqual([other['id']]);
    expect(await count('SELECT COUNT(*) FROM idempotency_keys')).toBe(0);
    expect(await count('SELECT COUNT(*) FROM outbox WHERE signature_id IS NULL OR signature_id <> ?', String(other['id']))).toBe(0);
    for (const row of mine) expect(await count('SELECT COUNT(*) FROM code_attempts WHERE signature_id = ?', String(row['id']))).toBe(0);

    // Gone from the database file and its WAL, not only unlinked; the other signer's ciphertext is still there.
    const files = [t.file, `${t.file}-wal`].map((file) => {
      try {
        return readFileSync(file, 'latin1');
      } catch {
        return ''; // no WAL left
      }
    });
    const body = (envelope: unknown) => String(envelope).split('.')[3]!.slice(0, 24);
    expect(files.join('')).toContain(body(other['name_enc']));
    for (const bytes of files) {
      for (const row of mine) {
        for (const envelope of [row['name_enc'], row['phone_enc'], row['comment_enc']].filter((e) => e !== null)) {
          expect(bytes).not.toContain(body(envelope));
        }
      }
    }

    // The audit log says what happened per campaign, without personal data.
    const audit = (await t.db.client.execute("SELECT actor, campaign_id, subject, row_count, details FROM audit_log WHERE action = 'signer.erased' ORDER BY campaign_id")).rows;
    expect(audit).toHaveLength(2);
    expect(audit.map((r) => [r[0], r[2]])).toEqual([['signer', null], ['signer', null]]);
    expect(audit.map((r) => Number(r[3])).sort()).toEqual([1, 2]);
    expect(JSON.stringify(audit)).not.toMatch(/Wanjir|0712|254712/);

    // The session still opens, and shows that nothing is stored any more.
    expect(await (await t.request(page)).text()).toContain('We store nothing with this phone number or e-mail address.');
  });
});

describe('manage my signature: e-mail, limits and refusals', () => {
  async function emailCampaign() {
    await createCampaign(t.db, { ...OPEN_CAMPAIGN, slug: 'by-email', verification: 'email', title: { en: 'By e-mail', sw: 'Kwa barua pepe' } }, now);
    t.api.services.campaigns.invalidate();
  }

  it('sends the code and the link over SMTP to the address that signed, found under another spelling of it', async () => {
    await emailCampaign();
    const signed = await t.sign(validSignature({ name: 'Njeri Wambũi', phone: undefined, email: 'Njeri.Wambui@gmail.com', county: 'KE-01' }), {}, 'by-email');
    expect(signed.status).toBe(202);
    await t.api.outbox.runOnce();
    const [confirmation] = await smtp.waitFor(1);
    const link = mailLinkIn(confirmation!).slice(BASE.length);
    expect((await post(link, {})).status).toBe(200);
    // The confirmation e-mail reached the owner of the address: its manage link is private and opens their
    // signatures at once (receiving it proved the address).
    const manage = new RegExp(`${BASE}(/me/[\\w-]{20,})`).exec(confirmation!.text ?? '')?.[1];
    expect(manage).toBeDefined();
    const opened = await t.request(manage!);
    expect(opened.status).toBe(200);
    expect(await opened.text()).toContain('Njeri Wambũi');

    const asked = await post('/me', { contact: ' njeriwambui+petitions@GMAIL.com ', lang: 'en' });
    expect(asked.status).toBe(200);
    const html = await asked.text();
    await t.api.outbox.runOnce();
    const [, mail] = await smtp.waitFor(2);
    expect(mail!.to).toMatchObject({ value: [{ address: 'Njeri.Wambui@gmail.com' }] });
    expect(mail!.subject).toBe('The code you asked for');
    expect(mail!.subject).not.toContain('By e-mail');
    const code = /Your code: (\d{6})/.exec(mail!.text ?? '')![1]!;
    const manageLink = /https:\S+\/me\/[\w-]+/.exec(mail!.text ?? '')![0].slice(BASE.length);
    expect(mail!.html).toContain(`href="${BASE}${manageLink}"`);

    const typed = await post('/me/code', { request: requestIn(html), code, lang: 'en' });
    expect(typed.status).toBe(303);
    for (const path of [typed.headers.get('Location')!, manageLink]) {
      const text = await (await t.request(path)).text();
      expect(text).toContain('<h2>By e-mail</h2>');
      expect(text).toContain('<dd>Njeri Wambũi</dd>');
      expect(text).toContain('<dd>Njeri.Wambui@gmail.com</dd>');
      expect(text).toContain('<dd>Counted</dd>');
    }
  });

  it('shows a number that only appears beside the e-mail address that confirms a signature, never that signature; erasing removes the number from it', async () => {
    await emailCampaign();
    // Someone confirms by e-mail and types a phone number that is not theirs (a typo: the number is someone else's).
    await t.sign(validSignature({ name: 'Amina Hassan', phone: '0712345678', email: 'amina@example.org' }), {}, 'by-email');
    await t.api.outbox.runOnce();
    const [confirmation] = await smtp.waitFor(1);
    expect((await post(mailLinkIn(confirmation!).slice(BASE.length), {})).status).toBe(200);
    const countsBefore = await storedCounts(t.db);

    const page = await session('0712345678');
    const text = await (await t.request(page)).text();
    expect(text).toContain('also appears on a signature here that another contact confirms');
    expect(text).not.toContain('Amina');
    expect(text).not.toContain('amina@example.org');
    expect(text).not.toContain('Withdraw this signature');
    const id = String((await t.db.client.execute('SELECT id FROM signatures')).rows[0]![0]);
    expect((await post(page, { action: 'withdraw', signature: id, lang: 'en' })).status).toBe(409);
    expect(await storedCounts(t.db)).toEqual(countsBefore);

    expect(await (await post(page, { action: 'erase', lang: 'en' })).text()).toContain('This deletes 0 signatures and everything stored with them, in every campaign, and removes your contact from 1 other signature.');
    expect((await post(page, { action: 'erase-confirm', lang: 'en' })).status).toBe(200);
    const row = (await t.db.client.execute('SELECT phone_enc, phone_hash, email_enc, status, flag FROM signatures')).rows[0]!;
    expect([row[0], row[1], row[3], row[4]]).toEqual([null, null, 'counted', null]);
    expect(row[2]).not.toBeNull();
    expect(await storedCounts(t.db)).toEqual(countsBefore);
    expect(await count("SELECT COUNT(*) FROM signature_dedupe WHERE kind = 'phone'")).toBe(0);
    expect(await count("SELECT COUNT(*) FROM signature_dedupe WHERE kind = 'email'")).toBe(1);
    // The owner of the address still sees their signature, now without the number.
    const owner = await (await t.request(await emailSession('amina@example.org'))).text();
    expect(owner).toContain('<dd>Amina Hassan</dd>');
    expect(owner).toMatch(/<dt>Phone number<\/dt><dd>Not given<\/dd>/);
  });

  async function emailSession(address: string): Promise<string> {
    const received = smtp.received.length;
    const html = await (await post('/me', { contact: address, lang: 'en' })).text();
    await t.api.outbox.runOnce();
    const mail = (await smtp.waitFor(received + 1))[received]!;
    const typed = await post('/me/code', { request: requestIn(html), code: /Your code: (\d{6})/.exec(mail.text ?? '')![1]!, lang: 'en' });
    return typed.headers.get('Location')!;
  }

  it('withdraws a signature that waits for confirmation: the pending total drops, and its code no longer confirms', async () => {
    const signed = await t.sign(validSignature());
    const { confirmation } = (await signed.json()) as { confirmation: { handle: string } };
    await t.api.outbox.runOnce();
    const confirmCode = codeIn(at.sent.at(-1)!.message);
    expect(await storedCounts(t.db)).toEqual({ counted: 0, pending: 1, suspect: 0 });
    const page = await session();
    const id = /name="signature" value="([^"]+)"/.exec(await (await t.request(page)).text())![1]!;
    expect((await post(page, { action: 'withdraw', signature: id, lang: 'en' })).status).toBe(200);
    expect(await storedCounts(t.db)).toEqual({ counted: 0, pending: 0, suspect: 0 });
    const late = await t.request(`/v1/campaigns/${t.slug}/confirmations`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ handle: confirmation.handle, code: confirmCode }),
    });
    expect(late.status).toBe(422);
    expect(await publicCounts()).toMatchObject({ signatures: 0 });
  });

  it('on a campaign without confirmation too, a withdrawn signature binds nothing: signing again counts at once', async () => {
    await createCampaign(t.db, { ...OPEN_CAMPAIGN, slug: 'instant', verification: 'none', title: { en: 'Instant', sw: 'Papo hapo' } }, now);
    t.api.services.campaigns.invalidate();
    const instant = async () => ((await (await t.request('/v1/campaigns/instant/counts')).json()) as { signatures: number }).signatures;
    expect((await t.sign(validSignature({ county: 'KE-01' }), {}, 'instant')).status).toBe(201);
    expect(await instant()).toBe(1);
    const page = await session();
    const id = /name="signature" value="([^"]+)"/.exec(await (await t.request(page)).text())![1]!;
    expect((await post(page, { action: 'withdraw', signature: id, lang: 'en' })).status).toBe(200);
    expect(await instant()).toBe(0);
    // Before, a counted holder of the number would have refused this as a duplicate.
    expect((await t.sign(validSignature({ county: 'KE-01' }), {}, 'instant')).status).toBe(201);
    expect(await instant()).toBe(1);
    expect(await reconcileCounts(t.db, { fix: false })).toEqual([]);
    const listing = await (await t.request(page)).text();
    expect(listing).toContain('<dd>Counted</dd>');
    expect(listing).toContain('Earlier details, replaced by a later signature');
    expect(listing).toContain('<dd>Replaced by a later signature: not counted</dd>');
  });

  it('limits code tries per request (a right code after five wrong ones opens nothing) and per source', async () => {
    await signAndConfirm();
    const { html, sms } = await ask('0712345678');
    const request = requestIn(html);
    for (let i = 0; i < 5; i++) expect((await post('/me/code', { request, code: wrong(codeIn(sms!)), lang: 'en' })).status).toBe(422);
    const locked = await post('/me/code', { request, code: codeIn(sms!), lang: 'en' });
    expect(locked.status).toBe(429);
    expect(await locked.text()).toContain('Too many tries');
    // Not a code is not a try: three of them and four wrong codes leave the right one working.
    const other = await ask('0712345678');
    for (let i = 0; i < 3; i++) expect((await post('/me/code', { request: requestIn(other.html), code: 'abc', lang: 'en' })).status).toBe(422);
    for (let i = 0; i < 4; i++) expect((await post('/me/code', { request: requestIn(other.html), code: wrong(codeIn(other.sms!)), lang: 'en' })).status).toBe(422);
    expect((await post('/me/code', { request: requestIn(other.html), code: codeIn(other.sms!), lang: 'en' })).status).toBe(303);

    // Per source: 10 codes in 10 minutes, whatever the request (each of these has tries left).
    const from = { 'X-Forwarded-For': '198.51.100.7' };
    const requests = [await ask('0712345678'), await ask('0712345678'), await ask('0712345678')];
    for (const [i, tries] of [4, 4, 2].entries()) {
      for (let k = 0; k < tries; k++) {
        expect((await post('/me/code', { request: requestIn(requests[i]!.html), code: wrong(codeIn(requests[i]!.sms!)), lang: 'en' }, from)).status).toBe(422);
      }
    }
    const last = requests[2]!;
    const limited = await post('/me/code', { request: requestIn(last.html), code: codeIn(last.sms!), lang: 'en' }, from);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('Retry-After')).toMatch(/^\d+$/);
    expect(await limited.text()).toContain('Too many attempts');
    // Another source with the right code still gets in: the limit did not spend the request's tries.
    expect((await post('/me/code', { request: requestIn(last.html), code: codeIn(last.sms!), lang: 'en' }, { 'X-Forwarded-For': '198.51.100.8' })).status).toBe(303);
  });

  it('sends at most five messages a day to one contact, answering alike, and limits requests per source', async () => {
    await signAndConfirm();
    const before = at.sent.length;
    for (let i = 0; i < 7; i++) {
      const { response } = await ask('0712345678', { 'X-Forwarded-For': `198.51.100.${i + 1}` });
      expect(response.status).toBe(200);
    }
    expect(at.sent.length - before).toBe(5);
    now += 24 * 60 * 60 * 1000 + 1;
    expect((await ask('0712345678', { 'X-Forwarded-For': '198.51.100.99' })).sms).toBeDefined();
    // The confirmations' own cap is untouched by these: a new signature's SMS still goes out.
    const signed = await t.sign(validSignature({ name: 'Second Person' }));
    expect(signed.status).toBe(202);
    await t.api.outbox.runOnce();
    expect(at.sent.at(-1)!.message).toMatch(/^Your confirmation code/);

    const from = { 'X-Forwarded-For': '203.0.113.5' };
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await post('/me', { contact: '0799000111', lang: 'en' }, from)).status);
    expect(statuses).toEqual([...Array(10).fill(200), 429]);
    const limited = await post('/me', { contact: '0712345678', lang: 'en' }, from);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('Retry-After')).toMatch(/^\d+$/);
    expect(await limited.text()).toContain('Too many attempts');

    // The manage page reads every campaign: 60 views or actions per source in 10 minutes.
    const page = await session();
    const viewer = { 'X-Forwarded-For': '203.0.113.9' };
    const views: number[] = [];
    for (let i = 0; i < 61; i++) views.push((await t.request(page, { headers: viewer })).status);
    expect(views).toEqual([...Array(60).fill(200), 429]);
    expect((await post(page, { action: 'erase', lang: 'en' }, viewer)).status).toBe(429);
    expect((await t.request(page, { headers: { 'X-Forwarded-For': '203.0.113.10' } })).status).toBe(200);
  });

  it('refuses cross-site posts on every form, and changes nothing', async () => {
    await signAndConfirm();
    const page = await session();
    const id = /name="signature" value="([^"]+)"/.exec(await (await t.request(page)).text())![1]!;
    const sent = at.sent.length;
    const crossSite: Record<string, string>[] = [{ 'Sec-Fetch-Site': 'cross-site' }, { 'Sec-Fetch-Site': '', Origin: 'https://evil.example' }];
    for (const headers of crossSite) {
      const asked = await post('/me', { contact: '0712345678', lang: 'en' }, headers);
      expect(asked.status).toBe(403);
      expect(await asked.text()).toContain('this form can only be sent from its own page');
      expect((await post('/me/code', { request: 'x', code: '123456' }, headers)).status).toBe(403);
      for (const action of ['withdraw', 'erase-confirm', 'stop-updates']) {
        expect((await post(page, { action, signature: id, lang: 'en' }, headers)).status).toBe(403);
      }
    }
    await t.api.outbox.runOnce();
    expect(at.sent.length).toBe(sent);
    expect(await publicCounts()).toMatchObject({ signatures: 1 });
    expect(await count('SELECT COUNT(*) FROM signatures')).toBe(1);
    // `Origin: null` from a no-referrer page of our own is accepted there (the URL's token proves the holder), not on /me.
    expect((await post('/me', { contact: '0712345678' }, { 'Sec-Fetch-Site': '', Origin: 'null' })).status).toBe(403);
    expect((await post(page, { action: 'erase', lang: 'en' }, { 'Sec-Fetch-Site': '', Origin: 'null' })).status).toBe(200);
  });

  it('refuses forged, swapped and expired codes and links, and bad input, storing nothing', async () => {
    await signAndConfirm();
    const page = await session();
    const token = page.slice('/me/'.length);
    const { html } = await ask('0712345678');
    const request = requestIn(html);

    // A request is not a session, nor the other way round; a changed character breaks either.
    expect((await t.request(`/me/${request}`)).status).toBe(404);
    expect((await post('/me/code', { request: token, code: '123456' })).status).toBe(400);
    const flipped = `${token.slice(0, 10)}${token[10] === 'A' ? 'B' : 'A'}${token.slice(11)}`;
    expect((await t.request(`/me/${flipped}`)).status).toBe(404);
    expect((await t.request('/me/%3Cscript%3E')).status).toBe(404);
    expect((await post(`/me/${flipped}`, { action: 'erase-confirm' })).status).toBe(404);

    // After an hour, the session and the code are over.
    now += MANAGE_TTL_MS;
    const expired = await t.request(page);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('This code or link has expired');
    expect((await post(page, { action: 'erase-confirm', lang: 'en' })).status).toBe(410);
    expect((await post('/me/code', { request, code: '123456' })).status).toBe(410);
    expect(await count('SELECT COUNT(*) FROM signatures')).toBe(1);

    // Not a contact: the form again with a message, nothing written, no message.
    const attempts = await count('SELECT COUNT(*) FROM code_attempts');
    for (const [contact, message] of [['', 'Give a phone number or an e-mail address.'], ['12', 'Enter a valid phone number'], ['a@b', 'Enter a valid phone number']] as const) {
      const response = await post('/me', { contact, lang: 'en' });
      expect(response.status).toBe(422);
      const text = await response.text();
      expect(text).toContain(message);
      expect(text).toContain('aria-invalid="true"');
    }
    expect((await post('/me', { contact: '<script>alert(1)</script>@x', lang: 'en' }).then((r) => r.text()))).not.toContain('<script>alert');
    expect(await count('SELECT COUNT(*) FROM code_attempts')).toBe(attempts);
    // An unknown action, and a body over 4 KB.
    const fresh = await session();
    expect((await post(fresh, { action: 'delete-everything', lang: 'en' })).status).toBe(400);
    expect((await post('/me', { contact: 'x'.repeat(5000) })).status).toBe(413);
    expect(await count('SELECT COUNT(*) FROM signatures')).toBe(1);
  });

  it('keeps the SMS in one GSM-7 segment in both languages, and leaves the link out when it would not fit', () => {
    const link = `${BASE}/me/${'x'.repeat(64)}`;
    for (const locale of ['en', 'sw'] as const) {
      expect(manageSms(locale, '123456', link)).toContain(link);
      expect(fitsOneGsm7Segment(manageSms(locale, '123456', link))).toBe(true);
      const long = manageSms(locale, '123456', `https://${'a'.repeat(80)}.example/me/${'x'.repeat(64)}`);
      expect(long).not.toContain('https://');
      expect(long).toContain('123456');
      expect(fitsOneGsm7Segment(long)).toBe(true);
    }
  });

  it('is linked from the hosted thank-you page and the confirmation pages, and links back to the campaign', async () => {
    const form = await (await t.request(`/c/${t.slug}?lang=sw`)).text();
    const token = /name="token" value="([^"]+)"/.exec(form)![1]!;
    now += 5000; // past the minimum fill time
    const thanks = await post(`/c/${t.slug}`, { token, lang: 'sw', name: 'Chebet Kiprotich', phone: '0744000555', terms: 'yes' });
    expect(thanks.status).toBe(200);
    const thanksHtml = await thanks.text();
    expect(thanksHtml).toContain(`<a href="/me?lang=sw&amp;campaign=${t.slug}">Ona, ondoa au futa sahihi yako baadaye</a>`);

    const start = await (await t.request(`/me?lang=sw&campaign=${t.slug}`)).text();
    expect(start).toContain(`<a href="/c/${t.slug}?lang=sw">Rudi kwenye &quot;Kampeni ya majaribio&quot;</a>`);
    expect(start).toContain('name="campaign" value="test-campaign"');

    await t.api.outbox.runOnce();
    const confirmed = await post(smsLinkIn(at.sent.at(-1)!.message), {});
    expect(confirmed.status).toBe(200);
    // Confirmed through the SMS link: the holder proved the phone, so the page links privately to their signatures.
    const confirmedHtml = await confirmed.text();
    const privateLink = /<a href="(\/me\/[\w-]{20,})">Ona, ondoa au futa sahihi yako<\/a>/.exec(confirmedHtml)?.[1];
    expect(privateLink).toBeDefined();
    const mine = await t.request(privateLink!);
    expect(mine.status).toBe(200);
    expect(await mine.text()).toContain('Chebet Kiprotich');
  });
});

