/**
 * Issue 10's findings, tried as an attacker would: against a production-mode server over real sockets
 * (`NODE_ENV=production`, real keys, default limits, behind one reverse proxy so sources can differ), a
 * real database file, a real SMTP conversation and an SMS gateway that speaks Africa's Talking's API.
 * Every test here failed on the main branch before issue 10 and passes after.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign } from '../src/campaigns/create.ts';
import { parseEnv } from '../src/config/env.ts';
import { startServer, type RunningServer } from '../src/server.ts';
import { startTestAfricasTalking, type TestAfricasTalking } from './africastalking.ts';
import { OPEN_CAMPAIGN } from './helpers.ts';
import { linkIn, startTestSmtp, type TestSmtp } from './smtp.ts';

const ADMIN = `admin-${randomBytes(24).toString('hex')}`;
let dir: string;
let server: RunningServer;
let smtp: TestSmtp;
let at: TestAfricasTalking;
let sources = 0;
/** A fresh source address for each request that should not share a rate limit with another. */
const newSource = () => `198.51.${Math.floor(++sources / 250)}.${(sources % 250) + 1}`;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'imlu-attacks-'));
  smtp = await startTestSmtp();
  at = await startTestAfricasTalking();
  const config = parseEnv({
    NODE_ENV: 'production',
    DATA_DIR: dir,
    PORT: '0',
    LOG_LEVEL: 'silent',
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
    TRUST_PROXY: 'true',
    ADMIN_TOKEN: ADMIN,
    SMTP_URL: smtp.url,
    SMS_PROVIDER: 'africastalking',
    AT_USERNAME: at.username,
    AT_API_KEY: at.apiKey,
    AT_BASE_URL: at.baseUrl,
  });
  server = await startServer({ config, seed: false, partnerSite: false, app: { outbox: { pollMs: 20 } } });
  await createCampaign(server.db, { ...OPEN_CAMPAIGN, slug: 'sms', verification: 'sms' });
  await createCampaign(server.db, { ...OPEN_CAMPAIGN, slug: 'email', verification: 'email' });
}, 30_000);

afterAll(async () => {
  await server?.close();
  await smtp?.stop();
  await at?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Signed {
  status: number;
  body: { status: string; confirmation?: { channel: string; handle?: string } };
}

async function sign(slug: string, body: Record<string, unknown>, source = newSource()): Promise<Signed> {
  const response = await fetch(`${server.apiUrl}/v1/campaigns/${slug}/signatures`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': source },
    body: JSON.stringify({ consent: { terms: true }, ...body }),
  });
  return { status: response.status, body: (await response.json()) as Signed['body'] };
}

function post(pathname: string, body: unknown, source = newSource()) {
  return fetch(`${server.apiUrl}${pathname}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': source },
    body: JSON.stringify(body),
  });
}

/** The SMS the gateway received for a number since `after` messages, waiting for the outbox worker. */
async function smsTo(phone: string, after = 0): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const found = at.sent.slice(after).find((sms) => sms.to === phone);
    if (found) return found.message;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no SMS to ${phone}`);
}

const codeIn = (text: string) => /\b(\d{6})\b/.exec(text)![1]!;
const linkInSms = (text: string) => /https?:\/\/\S+/.exec(text)![0];
const counts = async (slug: string, query = '') => (await fetch(`${server.apiUrl}/v1/campaigns/${slug}/counts${query}`)).text();
const pressButton = (link: string) =>
  fetch(link, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.apiUrl }, body: '' });

/** Ids of the signature rows stored after `rowid` (every version a test's submissions stored). */
async function storedSince(rowid: number): Promise<string[]> {
  return (await server.db.client.execute({ sql: 'SELECT id FROM signatures WHERE rowid > ?', args: [rowid] })).rows.map((r) => String(r[0]));
}
const lastRowid = async () => Number((await server.db.client.execute('SELECT COALESCE(MAX(rowid), 0) FROM signatures')).rows[0]![0]);

/** The export rows (OSDI JSON signatures, contacts included where consented) of these signature ids. */
async function exportedOf(slug: string, ids: string[]): Promise<Record<string, unknown>[]> {
  return (await exported(slug)).filter((r) => ids.includes(String((r['identifiers'] as string[])[0]).slice('imlu:'.length)));
}

async function exported(slug: string): Promise<Record<string, unknown>[]> {
  const response = await fetch(`${server.apiUrl}/admin/campaigns/${slug}/export?format=json&includeContacts=true`, {
    headers: { Authorization: `Bearer ${ADMIN}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { _embedded: { 'osdi:signatures': Record<string, unknown>[] } })._embedded['osdi:signatures'];
}

describe('issue 10: nobody can sign, confirm, probe or silence in another person\'s name', () => {
  it('1. counts do not answer "has this phone signed?", and links carry no time', async () => {
    const victim = '+254711000001';
    const signed = await sign('sms', { name: 'Amani Wekesa', phone: victim, county: 'KE-30' });
    const sms = await smsTo(victim);
    expect((await post('/v1/campaigns/sms/confirmations', { handle: signed.body.confirmation!.handle, code: codeIn(sms) })).status).toBe(200);
    // The token in the link does not hold the signature id (a UUIDv7 begins with its time) nor an expiry.
    const id = String((await server.db.client.execute("SELECT id FROM signatures WHERE status = 'counted'")).rows[0]![0]);
    const token = linkInSms(sms).split('/v1/confirm/')[1]!;
    const tokenHex = Buffer.concat(token.split('.').map((part) => Buffer.from(part, 'base64url'))).toString('hex');
    expect(tokenHex).not.toContain(id.replace(/-/g, '').slice(0, 12));

    const before = await counts('sms', `?x=${randomBytes(4).toString('hex')}`);
    expect(JSON.parse(before)).not.toHaveProperty('pending');
    // A probe with the victim's number, and one with a number that never signed: the public figures, to
    // the byte and the second, stay as they were for both.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const duplicate = await sign('sms', { name: 'Amani Wekesa', phone: victim, county: 'KE-30' });
    const afterDuplicate = await counts('sms', `?x=${randomBytes(4).toString('hex')}`);
    const fresh = await sign('sms', { name: 'Amani Wekesa', phone: '+254711000002', county: 'KE-30' });
    const afterFresh = await counts('sms', `?x=${randomBytes(4).toString('hex')}`);
    expect([duplicate.status, Object.keys(duplicate.body.confirmation!)]).toEqual([fresh.status, Object.keys(fresh.body.confirmation!)]);
    expect(afterDuplicate).toBe(before);
    expect(afterFresh).toBe(before);

    // Nor does the attacker's own phone: probing from one address and then signing with their own number
    // from it, whether their own SMS comes tells nothing (the probe counts towards the address's limit
    // whether it was stored or not).
    const ownSmsAfter = async (tried: string, own: string) => {
      const source = newSource();
      await sign('sms', { name: 'Amani Wekesa', phone: tried }, source);
      await sign('sms', { name: 'Mgeni', phone: own }, source);
      await new Promise((resolve) => setTimeout(resolve, 300)); // the outbox worker polls every 20 ms
      return at.sent.some((sms) => sms.to === own);
    };
    expect(await ownSmsAfter(victim, '+254711000003')).toBe(await ownSmsAfter('+254711000004', '+254711000005'));
  });

  it('2. a stranger\'s first submission does not bind the owner: the owner\'s own details are confirmed and exported', async () => {
    const victim = '+254711000010';
    const mark = await lastRowid();
    // The attacker signs first with the victim's number, choosing name, county and consents.
    await sign('sms', { name: 'Amina Juma', phone: victim, county: 'KE-47', consent: { terms: true, publicName: true, shareWithTargets: true } });
    const attackerSms = await smsTo(victim);
    const seen = at.sent.length;
    // Whoever holds the phone sees exactly what they would confirm: the attacker's choices, shown plainly.
    const attackerPage = await (await fetch(linkInSms(attackerSms))).text();
    expect(attackerPage).toContain('<dt>County</dt><dd>West Pokot</dd>');
    expect(attackerPage).toContain('<dt>Show my name publicly</dt><dd>Yes</dd>');
    // The victim signs with their own details: these replace the unconfirmed ones.
    const own = await sign('sms', { name: 'Amina Juma', phone: '0711 000 010', county: 'KE-30' });
    const ownSms = await smsTo(victim, seen);
    expect(await (await fetch(linkInSms(attackerSms))).text()).toContain('These details were replaced');
    expect((await post('/v1/campaigns/sms/confirmations', { handle: own.body.confirmation!.handle, code: codeIn(ownSms) })).status).toBe(200);

    // Of both versions, the export holds the owner's only: their county, their consents, and no contact
    // (they did not agree to share it with the targets; the attacker had "agreed" for them).
    const rows = await exportedOf('sms', await storedSince(mark));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      custom_fields: { imlu_status: 'counted', imlu_name_shared: 'false' },
      _embedded: { 'osdi:person': { postal_addresses: [expect.objectContaining({ region: '30', country: 'KE' })] } },
    });
    expect((rows[0]!['_embedded'] as Record<string, unknown>)['osdi:person']).not.toHaveProperty('phone_numbers');
  });

  it('3. a suspect signature does not silence the real one', async () => {
    const victim = '+254711000020';
    const mark = await lastRowid();
    const flooder = newSource();
    // Over the per-source limit: the second signature from this source is stored as suspect.
    await sign('sms', { name: 'Bot One', phone: '+254711000021' }, flooder);
    await sign('sms', { name: 'Neema Otieno', phone: victim, county: 'KE-47' }, flooder);
    const flag = await server.db.client.execute("SELECT flag FROM signatures WHERE flag = 'suspect'");
    expect(flag.rows.length).toBeGreaterThanOrEqual(1);
    const before = at.sent.filter((sms) => sms.to === victim).length;
    expect(before).toBe(0); // a suspect signature is sent nothing
    // The owner signs from their own connection: stored, sent a code, and counted once confirmed.
    const own = await sign('sms', { name: 'Neema Otieno', phone: victim, county: 'KE-30' });
    const sms = await smsTo(victim);
    const confirmed = await post('/v1/campaigns/sms/confirmations', { handle: own.body.confirmation!.handle, code: codeIn(sms) });
    expect(await confirmed.json()).toEqual({ status: 'counted' });
    const rows = await exportedOf('sms', await storedSince(mark));
    const person = (r: Record<string, unknown>) => (r['_embedded'] as { 'osdi:person': { postal_addresses?: { region: string }[] } })['osdi:person'];
    expect(rows.map((r) => [(r['custom_fields'] as Record<string, string>)['imlu_status'], person(r).postal_addresses?.[0]?.region])).toEqual([
      ['pending', undefined], // the first signature of the flooding source ("Bot One"), unconfirmed
      ['counted', '30'],
    ]);
  });

  it('4. link scanners do not confirm: GET and HEAD change nothing, the button does', async () => {
    const before = smtp.received.length;
    await sign('email', { name: 'Zawadi Kariuki', email: 'zawadi@example.org' });
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    const link = linkIn(mail!);
    const start = await counts('email');
    expect((await fetch(link, { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(link)).status).toBe(200);
    expect(await counts('email')).toBe(start);
    expect((await server.db.client.execute({ sql: 'SELECT s.status FROM signatures s JOIN campaigns c ON c.id = s.campaign_id WHERE c.slug = ?', args: ['email'] })).rows[0]![0]).toBe(
      'pending',
    );
    expect((await pressButton(link)).status).toBe(200);
    expect(JSON.parse(await counts('email')).signatures).toBe(1);
  });

  it('5. names with line breaks, controls, bidi overrides or no letter are refused, and nothing is stored', async () => {
    const rowsBefore = Number((await server.db.client.execute('SELECT COUNT(*) FROM signatures')).rows[0]![0]);
    for (const name of ['Juma Baraka\r=1+1', 'Juma\nBaraka', '\u0000', '\u200B\u200B', '\u0301\u0301', 'Juma \u202Eakarab', '\u001b[31mJuma', '\u200B=1+1']) {
      const refused = await sign('sms', { name, phone: '+254711000030' });
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ errors: [{ path: 'name', code: 'invalid_name' }] });
    }
    expect(Number((await server.db.client.execute('SELECT COUNT(*) FROM signatures')).rows[0]![0])).toBe(rowsBefore);
  });

  it('6a. a stranger cannot spend the owner\'s SMS-code tries for good: tries are limited per source, and the owner asks for a new code', async () => {
    const victim = '+254711000040';
    const own = await sign('sms', { name: 'Faith Njeri', phone: victim });
    const handle = own.body.confirmation!.handle!;
    const first = await smsTo(victim);
    // The stranger has the handle (say, from the owner's screen) and guesses from one source.
    const stranger = newSource();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await post('/v1/campaigns/sms/confirmations', { handle, code: String(100000 + i) }, stranger)).status);
    expect(statuses.slice(0, 5)).toEqual([422, 422, 422, 422, 422]);
    expect(statuses.at(-1)).toBe(429);
    // The owner's way out: a new code.
    const seen = at.sent.length;
    const resent = await post('/v1/campaigns/sms/confirmations/resend', { handle });
    expect([resent.status, await resent.json()]).toEqual([202, { status: 'queued' }]);
    const second = await smsTo(victim, seen);
    expect(codeIn(second)).not.toBe(codeIn(first));
    expect(await (await post('/v1/campaigns/sms/confirmations', { handle, code: codeIn(second) })).json()).toEqual({ status: 'counted' });
  });

  it('6b. a hosted form token signs once and is short-lived', async () => {
    const page = await (await fetch(`${server.apiUrl}/c/email`)).text();
    const token = /name="token" value="([^"]+)"/.exec(page)![1]!;
    const form = (email: string) =>
      new URLSearchParams({ token, name: 'Halima Abdi', email, terms: 'yes', lang: 'en' }).toString();
    const postForm = (body: string) =>
      fetch(`${server.apiUrl}/c/email`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-For': newSource(), 'Sec-Fetch-Site': 'same-origin' },
        body,
      });
    // A person's double tap: the same form twice, the same page, one signature.
    await new Promise((resolve) => setTimeout(resolve, 2100)); // the minimum fill time, like a person
    const once = await postForm(form('halima@example.org'));
    const twice = await postForm(form('halima@example.org'));
    expect([once.status, twice.status]).toEqual([200, 200]);
    expect(await twice.text()).toBe(await once.text());
    // The same token with other details: refused with a fresh form, nothing stored.
    const reused = await postForm(form('someone.else@example.org'));
    expect(reused.status).toBe(403);
    const stored = await server.db.client.execute("SELECT COUNT(*) FROM signatures s JOIN campaigns c ON c.id = s.campaign_id WHERE c.slug = 'email'");
    expect(Number(stored.rows[0]![0])).toBe(2); // test 4's signer and Halima
    // Short-lived: two hours, stated in the OpenAPI document the server serves.
    const doc = (await (await fetch(`${server.apiUrl}/openapi.json`)).json()) as { paths: Record<string, { post?: { description?: string } }> };
    expect(doc.paths['/c/{slug}']!.post!.description).toContain('valid 2 h, single-use');
  });

  it('6c. an ALTCHA challenge from one campaign does not solve another', async () => {
    await createCampaign(server.db, { ...OPEN_CAMPAIGN, slug: 'pow-a', verification: 'none', challenge: 'altcha' });
    await createCampaign(server.db, { ...OPEN_CAMPAIGN, slug: 'pow-b', verification: 'none', challenge: 'altcha' });
    const { solveChallenge } = await import('altcha-lib/v1');
    const challenge = (await (await fetch(`${server.apiUrl}/v1/campaigns/pow-a/challenge`)).json()) as {
      algorithm: string;
      challenge: string;
      salt: string;
      signature: string;
      maxnumber?: number;
    };
    const solution = await solveChallenge(challenge.challenge, challenge.salt, challenge.algorithm, challenge.maxnumber).promise;
    const altcha = Buffer.from(JSON.stringify({ ...challenge, number: solution!.number })).toString('base64');
    const elsewhere = await sign('pow-b', { name: 'Otieno', phone: '+254711000050', altcha });
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body).toMatchObject({ errors: [{ path: 'altcha', code: 'challenge_failed' }] });
    expect((await sign('pow-a', { name: 'Otieno', phone: '+254711000050', altcha })).status).toBe(201);
  });

  it('6d. the delivery-report callback needs its secret and refuses a large body before reading it', async () => {
    const big = 'x'.repeat(5 * 1024 * 1024);
    const open = await fetch(`${server.apiUrl}/v1/sms/delivery-reports`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ id: 'ATXid_1', status: 'Failed' }).toString(),
    });
    expect(open.status).toBe(404);
    const guessed = await fetch(`${server.apiUrl}/v1/sms/delivery-reports/${'A'.repeat(43)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `id=${big}`,
    });
    expect(guessed.status).toBe(404);
    const withSecret = await fetch(server.smsCallbackUrl!.replace(/^https?:\/\/[^/]+/, server.apiUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `id=${big}`,
    });
    expect(withSecret.status).toBe(413);
  });
});
