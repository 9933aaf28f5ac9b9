/**
 * Ending updates: the one-click unsubscribe of an update e-mail (RFC 8058) and STOP by SMS from Africa's
 * Talking's inbound callback, on a real database, through the real routes; and the `imlu updates` commands
 * on the same database file.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { listAudit } from '../audit/audit.ts';
import { createCampaign } from '../campaigns/create.ts';
import { runCli } from '../cli/main.ts';
import { OPEN_CAMPAIGN, storedCounts, TEST_KEYS } from '../../test/helpers.ts';
import { BASE, HOUR, MORNING, rawHeader, updatesFixture, type UpdatesFixture } from '../../test/updates-fixture.ts';
import { inboundSmsUrl, isStopRequest } from './stop.ts';

let f: UpdatesFixture;
afterEach(async () => {
  await f?.close();
});

const consents = async () =>
  Object.fromEntries(
    (await f.t.db.client.execute('SELECT id, consent_updates FROM signatures')).rows.map((r) => [String(r[0]), Number(r[1])]),
  );

function inbound(form: Record<string, string> | string, path = new URL(inboundSmsUrl(BASE, TEST_KEYS.blindIndexKey)).pathname) {
  return f.t.request(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: typeof form === 'string' ? form : new URLSearchParams(form).toString(),
  });
}

describe('one-click unsubscribe', () => {
  it('ends the updates of that signer only: GET and HEAD show a button and change nothing; the one-click POST stops them', async () => {
    f = await updatesFixture();
    const { t, smtp } = f;
    const amina = await f.confirmedByEmail('amina@example.org');
    const baraka = await f.confirmedByEmail('baraka@example.org', { locale: 'sw' });
    const target = await f.recordPosition('committed');
    const before = smtp.received.length;
    await f.deliver();
    const mail = smtp.received.slice(before).find((m) => m.to && 'value' in m.to && m.to.value[0]!.address === 'amina@example.org')!;
    const path = rawHeader(mail, 'List-Unsubscribe')!.slice(1, -1).slice(BASE.length);
    expect(path).toMatch(/^\/u\/[\w-]+\.[\w-]+$/);

    const page = await t.request(path);
    expect(page.status).toBe(200);
    expect(page.headers.get('Cache-Control')).toBe('no-store');
    expect(page.headers.get('Referrer-Policy')).toBe('no-referrer');
    const html = await page.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('You asked for updates about &quot;Test campaign&quot;');
    expect(html).toContain(`<form method="post" action="${path}">`);
    expect(await (await t.request(`${path}?lang=sw`)).text()).toContain('Sitisha taarifa');
    expect((await t.request(path, { method: 'HEAD' })).status).toBe(200);
    expect((await consents())[amina]).toBe(1);

    // What a mail provider sends (RFC 8058): a POST with this body, from its own servers, no Origin.
    const oneClick = await t.request(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect(await oneClick.text()).toContain('You will get no more updates');
    expect(await consents()).toMatchObject({ [amina]: 0, [baraka]: 1 });
    // Again: the same answer, nothing more recorded.
    expect((await t.request(path, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' })).status).toBe(200);
    const audit = await listAudit(t.db, { action: 'updates.unsubscribed' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ campaignId: t.campaignId, subject: null, rowCount: 1, details: { channel: 'email' } });
    expect(JSON.stringify(audit)).not.toMatch(new RegExp(`amina|${amina}`));
    // The signature still counts.
    expect(await storedCounts(t.db)).toMatchObject({ counted: 2 });

    // The multipart form of the one-click post works as well (Baraka's own link).
    const barakaMail = smtp.received.slice(before).find((m) => m.to && 'value' in m.to && m.to.value[0]!.address === 'baraka@example.org')!;
    const form = new FormData();
    form.set('List-Unsubscribe', 'One-Click');
    const multipart = await t.request(rawHeader(barakaMail, 'List-Unsubscribe')!.slice(1, -1).slice(BASE.length), { method: 'POST', body: form });
    expect(multipart.status).toBe(200);
    expect(await multipart.text()).toContain('Hutapokea taarifa zaidi');
    expect(await consents()).toMatchObject({ [baraka]: 0 });

    // Forged or mangled links: 404, nothing changes.
    // One character changed well inside the token (changing its last two could leave them as they were, or
    // touch only the unused bits of base64url's last character: a valid link, once in a few thousand runs).
    const at = path.length - 10;
    const mangled = `${path.slice(0, at)}${path[at] === 'A' ? 'B' : 'A'}${path.slice(at + 1)}`;
    expect((await t.request(mangled, { method: 'POST' })).status).toBe(404);
    expect((await t.request('/u/not-a-token')).status).toBe(404);

    // The next day's update goes to nobody.
    f.clock.now = MORNING + 30 * HOUR;
    await f.recordPosition('delivered', { targetId: target });
    expect(await f.deliver()).toMatchObject({ queued: 0 });
  });
});

describe('STOP by SMS', () => {
  it("ends updates to that number in every campaign, skips what is queued for it, answers the same either way, and audits without the number", async () => {
    f = await updatesFixture();
    const { t } = f;
    await createCampaign(t.db, { ...OPEN_CAMPAIGN, slug: 'second-campaign', verification: 'sms', updates: { events: ['position'], link: null } }, f.clock.now);
    const first = await f.confirmedBySms('0712345678');
    const second = await f.confirmedBySms('0712345678', {}, 'second-campaign');
    const other = await f.confirmedBySms('0722000111');
    const email = await f.confirmedByEmail('amina@example.org', { name: 'Amina Otieno', phone: '0712345678' });

    // Updates queued at night wait for the morning.
    f.clock.now = Date.parse('2026-12-09T19:30:00Z');
    await f.recordPosition('committed');
    expect(await f.deliver()).toMatchObject({ queued: 3, sent: 1 });

    // A wrong secret is a 404 like any unknown path; a text that is not STOP changes nothing.
    expect((await inbound({ from: '+254712345678', text: 'STOP' }, '/v1/sms/inbound/wrong-secret')).status).toBe(404);
    const hello = await inbound({ from: '+254712345678', to: '22384', text: 'Hello, thank you', id: 'ATSid_1', date: '2026-12-09 22:31:00', linkId: 'x' });
    expect([hello.status, await hello.text()]).toEqual([200, '{"ok":true}']);
    expect(Object.values(await consents()).every((c) => c === 1)).toBe(true);

    const stop = await inbound({ from: '+254712345678', to: '22384', text: ' stop please', id: 'ATSid_2', date: '2026-12-09 22:32:00', networkCode: '63902' });
    expect([stop.status, await stop.text()]).toEqual([200, '{"ok":true}']);
    // Every live signature of that number, in both campaigns — also the one whose updates go by e-mail.
    expect(await consents()).toEqual({ [first]: 0, [second]: 0, [email]: 0, [other]: 1 });
    const audit = await listAudit(t.db, { action: 'updates.stopped' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'signer:sms-stop', campaignId: null, subject: null, rowCount: 3, details: { channel: 'sms' } });
    expect(JSON.stringify(audit)).not.toMatch(/712345678|254/);
    // An unknown number gets the same answer.
    expect(await (await inbound({ from: '+254733000000', text: 'STOP' })).text()).toBe('{"ok":true}');

    // In the morning: the queued SMS to that number is skipped; the other number's goes.
    const sentBefore = f.at.sent.length;
    f.clock.now = Date.parse('2026-12-10T05:00:00Z');
    expect(await f.deliver()).toMatchObject({ sent: 1, skipped: 1 });
    expect(f.at.sent.slice(sentBefore).map((s) => s.to)).toEqual(['+254722000111']);

    // Africa's Talking's bulk SMS opt-out (an alphanumeric sender id) stops the same way.
    expect((await inbound({ senderId: 'IMLU', phoneNumber: '+254722000111' })).status).toBe(200);
    expect((await consents())[other]).toBe(0);
  });

  it('refuses what is not a callback: missing fields (422), a body over 4 KB (413)', async () => {
    f = await updatesFixture();
    const missing = await inbound({ to: '22384' });
    expect(missing.status).toBe(422);
    expect(await missing.json()).toMatchObject({ type: 'urn:imlu:problem:validation', errors: [{ path: 'from' }] });
    expect((await inbound({ from: '+254712345678', text: 'STOP', pad: 'x'.repeat(5000) })).status).toBe(413);
  });

  it('knows STOP in English and Kiswahili, as the first word', () => {
    for (const text of ['STOP', 'stop', ' Stop.', 'UNSUBSCRIBE', 'end', 'Acha', 'SITISHA tafadhali', 'stop all']) expect(isStopRequest(text)).toBe(true);
    for (const text of ['', 'Thank you', 'please stop', 'STOPPED by police', 'asante']) expect(isStopRequest(text)).toBe(false);
  });
});

describe('imlu updates', () => {
  it('previews, lists what each event reached, and prints the inbound URL the server accepts', async () => {
    f = await updatesFixture();
    await f.confirmedBySms('0712345678');
    await f.recordPosition('committed', { name: 'Director of Public Prosecutions' });
    await f.deliver();
    const env = {
      PATH: process.env['PATH'],
      NODE_ENV: 'test',
      DATA_DIR: f.t.dir,
      DATABASE_URL: f.t.url,
      ENCRYPTION_KEY: TEST_KEYS.encryptionKey.toString('base64'),
      BLIND_INDEX_KEY: TEST_KEYS.blindIndexKey.toString('base64'),
      PUBLIC_BASE_URL: BASE,
      SMS_PROVIDER: 'africastalking',
      AT_USERNAME: 'sandbox',
      AT_API_KEY: 'key',
      AT_SENDER_ID: '22384',
      LOG_LEVEL: 'silent',
    };
    const imlu = async (...args: string[]) => {
      let stdout = '';
      let stderr = '';
      const code = await runCli(args, { env, stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
      return { code, stdout, stderr };
    };

    const preview = await imlu('updates', 'preview', '--campaign', f.t.slug, '--event', 'position');
    expect(preview).toMatchObject({ code: 0, stderr: '' });
    expect(preview.stdout).toContain('position update of test-campaign: this campaign sends it');
    expect(preview.stdout).toMatch(/English SMS \(GSM-7, \d+ characters, 1 segment\):\n {4}Update: Director of Public Prosecutions committed to our demands\./);
    expect(preview.stdout).toContain('Kiswahili SMS (GSM-7');
    expect(preview.stdout).toContain('Subject: Taarifa kuhusu kampeni uliyoiunga mkono');
    const json = JSON.parse((await imlu('updates', 'preview', '--campaign', f.t.slug, '--event', 'closed', '--json')).stdout) as { messages: { sw: { sms: { text: string } } } };
    expect(json.messages.sw.sms.text).toMatch(/^Taarifa: kampeni uliyoiunga mkono imefungwa ikiwa na sahihi 1\. Asante!/);
    expect((await imlu('updates', 'preview', '--campaign', f.t.slug, '--event', 'weather')).code).toBe(2);
    expect((await imlu('updates', 'preview', '--campaign', 'nope', '--event', 'closed')).code).toBe(1);

    const list = await imlu('updates', 'list', '--campaign', f.t.slug);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('events that send updates: position, milestone, closed');
    expect(list.stdout).toMatch(/position:\S+\s+done\s+1\s+1\s+0\s+0\s+1\s+0\s+0/);

    const url = await imlu('updates', 'inbound-url');
    expect(url.code).toBe(0);
    expect(url.stdout).toMatch(/^https:\/\/sign\.imlu\.example\/v1\/sms\/inbound\/[\w-]{43}\n$/);
    expect(url.stderr).toContain('Incoming Messages');
    const stopped = await inbound({ from: '+254712345678', text: 'STOP' }, new URL(url.stdout.trim()).pathname);
    expect(stopped.status).toBe(200);
    expect(Object.values(await consents())).toEqual([0]);
  });
});
