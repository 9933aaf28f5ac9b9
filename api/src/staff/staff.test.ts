/**
 * Console sign-in, sessions and CSRF over real HTTP (app.request) on a real libSQL file, with sign-in
 * e-mails sent over a real SMTP conversation to a server in this process, and a fixed clock.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ParsedMail } from 'mailparser';
import { createTestApi, TEST_KEYS, type TestApi } from '../../test/helpers.ts';
import { startTestSmtp, type TestSmtp } from '../../test/smtp.ts';
import { listAudit } from '../audit/audit.ts';
import { cliActor } from '../auth/actor.ts';
import { verifyKeyFingerprint } from '../db/key-check.ts';
import { smtpTransport } from '../messages/email.ts';
import { FieldCrypto } from '../signing/crypto.ts';
import { rotateEncryptionKey } from '../signing/key-rotation.ts';
import { addStaff, listStaff, removeStaff, staffTotp } from './accounts.ts';
import { CODE_TRIES_PER_SOURCE, CONSOLE_CSP, SIGN_IN_REQUESTS_PER_SOURCE } from './console.router.ts';
import { ROLE_SCOPES, type Role } from './roles.ts';
import { SESSION_ABSOLUTE_MS, SESSION_COOKIE, SESSION_IDLE_MS } from './sessions.ts';
import { CODE_TRIES_PER_LINK, LINK_TTL_MS, LINKS_PER_WINDOW } from './sign-in.ts';

const ORIGIN = 'http://localhost';
let t: TestApi;
let smtp: TestSmtp;
let now: number;

afterEach(async () => {
  await t.close();
  await smtp.stop();
});

async function setup(options: { consoleBundle?: string; rateLimits?: { trustProxy: boolean } } = {}) {
  now = Date.UTC(2026, 11, 6, 9, 0, 10);
  smtp = await startTestSmtp();
  t = await createTestApi({
    ...options,
    clock: () => now,
    mail: smtpTransport({ url: smtp.url, from: 'IMLU <no-reply@imlu.example>', timeouts: { connection: 2, greeting: 2, socket: 5 } }),
    publicBaseUrl: 'https://api.imlu.example',
  });
}

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  t.request(path, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: ORIGIN, 'Sec-Fetch-Site': 'same-origin', ...headers }, body: JSON.stringify(body) });

async function staffMember(role: Role = 'campaigner', email = 'wanjiru@imlu.example', name = 'Wanjirũ Kamau') {
  const created = await addStaff(t.db, t.api.services.crypto, { name, email, role, actor: cliActor(), now });
  return { ...created, email, name };
}

/** Asks for a link and returns the token from the e-mail that arrived. */
async function askLink(email: string): Promise<string> {
  const before = smtp.received.length;
  expect((await post('/console/api/sign-in', { email })).status).toBe(202);
  await t.api.services.staffSignIn.settled();
  const mails = await smtp.waitFor(before + 1);
  return linkToken(mails[before]!);
}

function linkToken(mail: ParsedMail): string {
  const match = /https:\/\/api\.imlu\.example\/console#link=([\w-]{43})/.exec(mail.text ?? '');
  expect(match, mail.text).toBeTruthy();
  return match![1]!;
}

interface Signed {
  cookie: string;
  csrf: string;
  body: { staffId: string; name: string; role: string; scopes: string[]; views: string[]; csrfToken: string };
}

async function signIn(member: { secret: string; email: string }, code = staffTotp(member.secret).generate({ timestamp: now })): Promise<Signed> {
  const link = await askLink(member.email);
  const response = await post('/console/api/sign-in/verify', { link, code });
  expect(response.status).toBe(200);
  const setCookie = response.headers.get('Set-Cookie') ?? '';
  expect(setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[\\w-]{43}; Path=/; Max-Age=43200; HttpOnly; Secure; SameSite=Strict$`));
  const body = (await response.json()) as Signed['body'];
  return { cookie: setCookie.split(';')[0]!, csrf: body.csrfToken, body };
}

const withSession = (s: Signed, extra: Record<string, string> = {}) => ({ Cookie: s.cookie, 'X-CSRF-Token': s.csrf, ...extra });
const session = (s: Signed) => t.request('/console/api/session', { headers: { Cookie: s.cookie } });

describe('staff accounts', () => {
  it('store the e-mail and TOTP secret only encrypted, list only a hint of the e-mail, and are audited', async () => {
    await setup();
    const member = await staffMember('moderator');
    expect(member.uri).toMatch(/^otpauth:\/\/totp\/IMLU%20console:.+\?issuer=IMLU%20console&secret=[A-Z2-7]{32}&algorithm=SHA1&digits=6&period=30$/);
    const dump = JSON.stringify((await t.db.client.execute('SELECT * FROM staff')).rows);
    expect(dump).not.toContain('wanjiru');
    expect(dump).not.toContain(member.secret);
    expect(await listStaff(t.db, t.api.services.crypto)).toEqual([expect.objectContaining({ name: member.name, role: 'moderator', emailHint: 'w•••@imlu.example' })]);
    await expect(staffMember('viewer', ' WANJIRU@imlu.example ')).rejects.toThrow(/already exists/);
    expect((await listAudit(t.db, { action: 'staff.added' }))[0]).toMatchObject({ subject: member.info.id, details: { role: 'moderator' } });
  });
});

describe('staff data under a key rotation', () => {
  it('is re-encrypted by imlu keys rotate: the new key alone then reads the e-mail and the TOTP secret', async () => {
    await setup();
    const member = await staffMember();
    const next = { encryptionKey: randomBytes(32), blindIndexKey: TEST_KEYS.blindIndexKey };
    const rotating = new FieldCrypto({ ...next, previousEncryptionKey: TEST_KEYS.encryptionKey });
    // As `imlu keys rotate` starts: the database records the old key, then the switch to the new one.
    await verifyKeyFingerprint(t.db, new FieldCrypto(TEST_KEYS));
    await verifyKeyFingerprint(t.db, rotating);
    const report = await rotateEncryptionKey(t.db, rotating, { actor: cliActor() });
    expect(report.rotated).toMatchObject({ 'staff.email_enc': 1, 'staff.totp_secret_enc': 1 });
    const [row] = (await t.db.client.execute('SELECT email_enc, totp_secret_enc FROM staff')).rows;
    const alone = new FieldCrypto(next);
    expect(alone.decrypt(String(row![0]), member.info.id, 'staff-email')).toBe(member.email);
    expect(alone.decrypt(String(row![1]), member.info.id, 'staff-totp')).toBe(member.secret);
  });
});

describe('sign-in', () => {
  it('answers the same 202 for an address with and without an account, and mails only the staff member', async () => {
    await setup();
    await staffMember();
    const known = await post('/console/api/sign-in', { email: 'wanjiru@imlu.example', locale: 'sw' });
    const unknown = await post('/console/api/sign-in', { email: 'stranger@imlu.example', locale: 'sw' });
    for (const response of [known, unknown]) {
      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({ status: 'accepted' });
    }
    const headers = (r: Response) => {
      const all: [string, string][] = [];
      r.headers.forEach((value, name) => all.push([name, value]));
      return all.filter(([name]) => name !== 'date');
    };
    expect(headers(known)).toEqual(headers(unknown));
    await t.api.services.staffSignIn.settled();
    await smtp.waitFor(1);
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.to).toMatchObject({ text: 'wanjiru@imlu.example' });
    expect(mail.subject).toBe('Kiungo chako cha kuingia kwenye dashibodi ya IMLU');
    expect(mail.headers.get('content-language')).toBe('sw');
    const token = linkToken(mail);
    // Only the hash is stored; one link row, for the account only.
    const links = await t.db.client.execute('SELECT token_hash FROM staff_sign_in_links');
    expect(links.rows).toHaveLength(1);
    expect(JSON.stringify(links.rows)).not.toContain(token);
  });

  it('refuses bad input with a problem and cross-site requests with 403', async () => {
    await setup();
    const bad = await post('/console/api/sign-in', { email: 'not an address' });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ type: 'urn:imlu:problem:validation', errors: [expect.objectContaining({ path: 'email' })] });
    const cross = await post('/console/api/sign-in', { email: 'wanjiru@imlu.example' }, { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' });
    expect(cross.status).toBe(403);
    expect(cross.headers.get('Content-Type')).toBe('application/problem+json');
    expect((await post('/console/api/sign-in/verify', { link: 'x', code: '123456' }, { 'Sec-Fetch-Site': 'same-site' })).status).toBe(403);
    // A stranger's huge body is refused before it is read, and nothing is sent.
    const sent = smtp.received.length;
    for (const path of ['/console/api/sign-in', '/console/api/sign-in/verify']) {
      const huge = await post(path, { email: `${'a'.repeat(200_000)}@imlu.example`, link: 'x', code: '123456' });
      expect(huge.status).toBe(413);
      expect(await huge.json()).toMatchObject({ type: 'urn:imlu:problem:payload-too-large' });
    }
    await t.api.services.staffSignIn.settled();
    expect(smtp.received.length).toBe(sent);
  });

  it('a link works once, and not after 15 minutes', async () => {
    await setup();
    const member = await staffMember();
    const code = () => staffTotp(member.secret).generate({ timestamp: now });
    const link = await askLink(member.email);
    expect((await post('/console/api/sign-in/verify', { link, code: code() })).status).toBe(200);
    now += 30_000;
    const again = await post('/console/api/sign-in/verify', { link, code: code() });
    expect(again.status).toBe(404);
    expect(await again.json()).toMatchObject({ type: 'urn:imlu:problem:not-found' });

    now += 60_000;
    const late = await askLink(member.email);
    now += LINK_TTL_MS;
    expect((await post('/console/api/sign-in/verify', { link: late, code: code() })).status).toBe(404);
    now -= 1;
    expect((await post('/console/api/sign-in/verify', { link: late, code: code() })).status).toBe(200);
  });

  it('refuses a TOTP code used once already, and spends a link after too many wrong codes', async () => {
    await setup();
    const member = await staffMember();
    const code = staffTotp(member.secret).generate({ timestamp: now });
    await signIn(member, code);
    const link = await askLink(member.email);
    const replay = await post('/console/api/sign-in/verify', { link, code });
    expect(replay.status).toBe(422);
    expect(await replay.json()).toMatchObject({ errors: [expect.objectContaining({ path: 'code', code: 'invalid' })] });
    expect((await listAudit(t.db, { action: 'staff.sign-in-refused' }))[0]).toMatchObject({ details: { reason: 'code-reused' } });
    // The next step's code works with the same link (a refused code does not spend it)…
    now += 30_000;
    expect((await post('/console/api/sign-in/verify', { link, code: staffTotp(member.secret).generate({ timestamp: now }) })).status).toBe(200);

    // …but wrong codes do, at the limit: then even the right code is refused.
    now += 60_000;
    const guessed = await askLink(member.email);
    const right = staffTotp(member.secret).generate({ timestamp: now });
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < CODE_TRIES_PER_LINK; i++) expect((await post('/console/api/sign-in/verify', { link: guessed, code: wrong })).status).toBe(422);
    expect((await post('/console/api/sign-in/verify', { link: guessed, code: right })).status).toBe(404);
  });

  it('two requests racing with one link and one code open one session', async () => {
    await setup();
    const member = await staffMember();
    const link = await askLink(member.email);
    const code = staffTotp(member.secret).generate({ timestamp: now });
    const answers = await Promise.all([1, 2, 3].map(() => post('/console/api/sign-in/verify', { link, code })));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 404, 404]);
    expect((await t.db.client.execute('SELECT COUNT(*) FROM staff_sessions')).rows[0]![0]).toBe(1);
  });

  it('limits sign-in requests and code tries per source (429), whatever the address', async () => {
    await setup({ rateLimits: { trustProxy: true } });
    const from = (ip: string) => ({ 'X-Forwarded-For': ip });
    for (let i = 0; i < SIGN_IN_REQUESTS_PER_SOURCE; i++) {
      expect((await post('/console/api/sign-in', { email: `someone${i}@imlu.example` }, from('203.0.113.7'))).status).toBe(202);
    }
    const limited = await post('/console/api/sign-in', { email: 'one-more@imlu.example' }, from('203.0.113.7'));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('Retry-After')).toMatch(/^\d+$/);
    expect((await post('/console/api/sign-in', { email: 'one-more@imlu.example' }, from('203.0.113.8'))).status).toBe(202);
    for (let i = 0; i < CODE_TRIES_PER_SOURCE; i++) {
      expect((await post('/console/api/sign-in/verify', { link: 'x'.repeat(43), code: '000000' }, from('203.0.113.7'))).status).toBe(404);
    }
    expect((await post('/console/api/sign-in/verify', { link: 'x'.repeat(43), code: '000000' }, from('203.0.113.7'))).status).toBe(429);
  });

  it('sends at most a few links per account per quarter hour', async () => {
    await setup();
    const member = await staffMember();
    for (let i = 0; i < LINKS_PER_WINDOW + 2; i++) expect((await post('/console/api/sign-in', { email: member.email })).status).toBe(202);
    await t.api.services.staffSignIn.settled();
    await smtp.waitFor(LINKS_PER_WINDOW);
    expect(smtp.received).toHaveLength(LINKS_PER_WINDOW);
    now += LINK_TTL_MS + 1;
    await askLink(member.email);
  });
});

describe('sessions', () => {
  it('end after 30 idle minutes, and 12 hours after sign-in however active', async () => {
    await setup();
    const member = await staffMember();
    const s = await signIn(member);
    expect((await session(s)).status).toBe(200);
    now += SESSION_IDLE_MS - 1000;
    expect((await session(s)).status).toBe(200);
    now += SESSION_IDLE_MS - 1000;
    expect((await session(s)).status).toBe(200);
    now += SESSION_IDLE_MS;
    expect((await session(s)).status).toBe(404);

    now += 60_000;
    const active = await signIn(member);
    const start = now;
    while (now + 20 * 60_000 < start + SESSION_ABSOLUTE_MS) {
      now += 20 * 60_000;
      expect((await session(active)).status, new Date(now).toISOString()).toBe(200);
    }
    now = start + SESSION_ABSOLUTE_MS;
    expect((await session(active)).status).toBe(404);

    // A day later, the next sign-in deletes what ended: the two old sessions and their links.
    now += 24 * 60 * 60_000 + 1;
    const rows = async (table: string) => Number((await t.db.client.execute(`SELECT COUNT(*) FROM ${table}`)).rows[0]![0]);
    expect([await rows('staff_sessions'), await rows('staff_sign_in_links')]).toEqual([2, 2]);
    await signIn(member);
    expect([await rows('staff_sessions'), await rows('staff_sign_in_links')]).toEqual([1, 1]);
  });

  it('sign-out ends this session; sign-out everywhere ends every session of the staff member', async () => {
    await setup();
    const member = await staffMember();
    const other = await staffMember('viewer', 'otieno@imlu.example', 'Otieno');
    const laptop = await signIn(member);
    now += 30_000;
    const phone = await signIn(member);
    now += 30_000;
    const colleague = await signIn(other);

    const out = await t.request('/console/api/sign-out', { method: 'POST', headers: withSession(laptop, { Origin: ORIGIN }) });
    expect(out.status).toBe(204);
    expect(out.headers.get('Set-Cookie')).toBe(`${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict`);
    expect((await session(laptop)).status).toBe(404);
    expect((await session(phone)).status).toBe(200);

    const third = await (async () => {
      now += 30_000;
      return signIn(member);
    })();
    expect((await t.request('/console/api/sign-out-everywhere', { method: 'POST', headers: withSession(third, { Origin: ORIGIN }) })).status).toBe(204);
    for (const stolen of [phone, third]) {
      expect((await session(stolen)).status).toBe(404);
      expect((await t.request('/admin/campaigns', { headers: { Cookie: stolen.cookie } })).status).toBe(404);
    }
    expect((await session(colleague)).status).toBe(200);
    expect((await listAudit(t.db, { action: 'staff.signed-out-everywhere' }))[0]).toMatchObject({ actor: `staff:${member.info.id}`, details: { sessions: 2 } });
  });

  it('end with their account', async () => {
    await setup();
    const member = await staffMember();
    const s = await signIn(member);
    await removeStaff(t.db, t.api.services.crypto, member.info.id, cliActor(), now);
    expect((await session(s)).status).toBe(404);
  });
});

describe('the admin API with a console session', () => {
  it('needs the session’s CSRF token and the same origin for a change (403 otherwise); reads need neither', async () => {
    await setup();
    const admin = await signIn(await staffMember('admin'));
    const other = await signIn(await staffMember('admin', 'otieno@imlu.example', 'Otieno'));
    const create = (headers: Record<string, string>) =>
      t.request('/admin/tokens', { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify({ name: 'x', scopes: ['audit:read'] }) });
    const refusals: [string, Record<string, string>][] = [
      ['no CSRF token', { Cookie: admin.cookie, Origin: ORIGIN }],
      ['another session’s CSRF token', { Cookie: admin.cookie, 'X-CSRF-Token': other.csrf, Origin: ORIGIN }],
      ['a made-up CSRF token', { Cookie: admin.cookie, 'X-CSRF-Token': admin.csrf.slice(0, -2) + (admin.csrf.endsWith('AA') ? 'BB' : 'AA'), Origin: ORIGIN }],
      ['a cross-site Origin', withSession(admin, { Origin: 'https://evil.example' })],
      ['Sec-Fetch-Site cross-site', withSession(admin, { Origin: ORIGIN, 'Sec-Fetch-Site': 'cross-site' })],
      ['no Origin at all', withSession(admin)],
    ];
    for (const [label, headers] of refusals) {
      const refused = await create(headers);
      expect(refused.status, label).toBe(403);
      expect(refused.headers.get('Content-Type'), label).toBe('application/problem+json');
      expect(await refused.json(), label).toMatchObject({ type: 'urn:imlu:problem:forbidden', status: 403 });
    }
    expect((await t.db.client.execute('SELECT COUNT(*) FROM admin_tokens')).rows[0]![0]).toBe(0);
    expect((await create(withSession(admin, { Origin: ORIGIN, 'Sec-Fetch-Site': 'same-origin' }))).status).toBe(201);
    expect((await t.request('/admin/tokens', { headers: { Cookie: admin.cookie } })).status).toBe(200);
  });

  it('holds the role’s scopes only: 403 on an API the role lacks', async () => {
    await setup();
    const viewer = await signIn(await staffMember('viewer'));
    expect(viewer.body).toMatchObject({ role: 'viewer', scopes: [...ROLE_SCOPES.viewer], views: ['campaigns', 'numbers', 'partners'] });
    expect((await t.request('/admin/campaigns', { headers: { Cookie: viewer.cookie } })).status).toBe(200);
    const refused = await t.request('/admin/trending', { headers: { Cookie: viewer.cookie } });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ type: 'urn:imlu:problem:forbidden', detail: 'Your role lacks the scope moderation.' });
    expect((await t.request('/admin/audit', { headers: { Cookie: viewer.cookie } })).status).toBe(403);

    const moderator = await signIn(await staffMember('moderator', 'otieno@imlu.example', 'Otieno'));
    expect(moderator.body.views).toEqual(['campaigns', 'numbers', 'partners', 'moderation', 'audit']);
    expect((await t.request('/admin/trending', { headers: { Cookie: moderator.cookie } })).status).toBe(200);
    expect((await t.request(`/admin/campaigns/${t.slug}/export`, { headers: { Cookie: moderator.cookie } })).status).toBe(403);
  });

  it('records the staff member as the actor, by name, in the audit log', async () => {
    await setup();
    const member = await staffMember('admin');
    const s = await signIn(member);
    const created = await t.request('/admin/tokens', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...withSession(s, { Origin: ORIGIN }) },
      body: JSON.stringify({ name: 'exports laptop', scopes: ['signatures:export'] }),
    });
    expect(created.status).toBe(201);
    const [entry] = await listAudit(t.db, { action: 'token.created' });
    expect(entry).toMatchObject({ actor: `staff:${member.info.id}`, actorName: 'Wanjirũ Kamau' });
    expect((await listAudit(t.db, { action: 'staff.signed-in' }))[0]).toMatchObject({ actor: `staff:${member.info.id}`, actorName: 'Wanjirũ Kamau' });
  });
});

describe('the console page', () => {
  it('is one HTML shell under a strict CSP, with its script from this origin', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'imlu-console-bundle-'));
    try {
      const bundle = path.join(dir, 'console.js');
      writeFileSync(bundle, 'customElements.define("imlu-console", class extends HTMLElement {});');
      await setup({ consoleBundle: bundle });
      const page = await t.request('/console');
      expect(page.status).toBe(200);
      expect(page.headers.get('Content-Security-Policy')).toBe(CONSOLE_CSP);
      expect(CONSOLE_CSP).toContain("script-src 'self'");
      expect(CONSOLE_CSP).not.toMatch(/unsafe|style-src/);
      expect(page.headers.get('Cache-Control')).toBe('no-store');
      expect(page.headers.get('Referrer-Policy')).toBe('no-referrer');
      const html = await page.text();
      expect(html).toContain('<script type="module" src="/console/app.js"></script>');
      expect(html).not.toMatch(/<script>|<style|style=/);
      const script = await t.request('/console/app.js');
      expect(script.status).toBe(200);
      expect(script.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8');
      expect(await script.text()).toContain('imlu-console');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says the console is not built rather than failing', async () => {
    await setup({ consoleBundle: path.join(tmpdir(), 'no-such-dir', 'console.js') });
    const missing = await t.request('/console/app.js');
    expect(missing.status).toBe(503);
    expect(missing.headers.get('Content-Type')).toBe('application/problem+json');
  });
});
