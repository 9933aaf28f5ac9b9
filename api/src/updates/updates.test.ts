/**
 * Updates to supporters, end to end on a real database with a fixed clock: signers sign and confirm through
 * the real routes, a campaigner records a position through the admin API, and the update reaches the
 * opted-in signers over the real SMTP test server and the Africa's Talking adapter (against its local fake)
 * — once, in their language, within quiet hours, throttled to one a day — and nobody else.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fitsOneGsm7Segment, smsSegments } from '../messages/sms.ts';
import { invalidateSignatures } from '../moderation/moderation.ts';
import { OPEN_CAMPAIGN } from '../../test/helpers.ts';
import { BASE, HOUR, MORNING, rawHeader, updatesFixture, type UpdatesFixture } from '../../test/updates-fixture.ts';
import { claimStatement } from '../outbox/worker.ts';
import { UpdateFanout } from './fanout.ts';
import { updateSms } from './messages.ts';
import { nextSmsSlot } from './quiet-hours.ts';

let f: UpdatesFixture;
afterEach(async () => {
  await f?.close();
});

const outboxOf = async (kind: string) =>
  (await f.t.db.client.execute({ sql: 'SELECT signature_id, status, next_attempt_at, payload FROM outbox WHERE kind = ? ORDER BY created_at', args: [kind] })).rows;

describe('updates to supporters', () => {
  it("tells opted-in signers of a duty bearer's new position once, by e-mail and by SMS, in their language; nobody else", async () => {
    f = await updatesFixture();
    const { t, smtp, at } = f;
    const byEmail = await f.confirmedByEmail('amina@example.org', { county: 'KE-30' });
    const bySms = await f.confirmedBySms('0712345678', { locale: 'sw' });
    // Gets nothing: no consent; a version replaced by a later one; pending; invalidated by a moderator.
    await f.confirmedByEmail('no-consent@example.org', { consent: { terms: true, updates: false } });
    await t.sign({ name: 'Old Details', email: 'replaced@example.org', consent: { terms: true, updates: true } });
    const replacing = await f.confirmedByEmail('replaced@example.org', { name: 'New Details' });
    await t.sign({ name: 'Never Confirmed', email: 'pending@example.org', consent: { terms: true, updates: true } });
    await t.api.outbox.runOnce();
    await f.confirmedByEmail('flagged@example.org', { county: 'KE-01' });
    await invalidateSignatures(t.db, t.api.services.crypto, { campaignId: t.campaignId, county: 'KE-01' }, { dryRun: false, now: f.clock.now });
    const mailsBefore = smtp.received.length;
    const smsBefore = at.sent.length;

    await f.recordPosition('committed', { statement: 'We will publish every IPOA referral within 30 days.' });
    // Recorded with the position, in its transaction.
    const events = await t.db.client.execute('SELECT kind, status FROM update_events');
    expect(events.rows.map((r) => [r[0], r[1]])).toEqual([['position', 'fanning']]);

    const delivered = await f.deliver();
    expect(delivered).toMatchObject({ queued: 3, sent: 3 });
    // The confirmation worker never touches updates: each worker claims its own kinds.
    expect(await t.api.outbox.runOnce()).toMatchObject({ claimed: 0 });

    const mails = smtp.received.slice(mailsBefore);
    expect(mails.map((m) => m.to && 'value' in m.to && m.to.value[0]!.address).sort()).toEqual(['amina@example.org', 'replaced@example.org']);
    const mail = mails.find((m) => m.to && 'value' in m.to && m.to.value[0]!.address === 'amina@example.org')!;
    expect(mail.subject).toBe('An update on a campaign you supported');
    expect(mail.headers.get('content-language')).toBe('en');
    const unsubscribe = rawHeader(mail, 'List-Unsubscribe')!;
    expect(unsubscribe).toMatch(new RegExp(`^<${BASE}/u/[\\w-]+\\.[\\w-]+>$`));
    expect(rawHeader(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(mail.text).toContain('Update on "Test campaign"');
    expect(mail.text).toContain('Inspector-General of Police has committed to our demands:');
    expect(mail.text).toContain('- First demand: Committed');
    expect(mail.text).toContain('"We will publish every IPOA referral within 30 days."');
    expect(mail.text).toContain(`${BASE}/c/test-campaign`);
    expect(mail.text).toContain(unsubscribe.slice(1, -1));
    // The unsubscribe token names the signature without showing its id (a UUIDv7 tells the signing time) or the address.
    expect(unsubscribe).not.toContain(byEmail.slice(0, 8));
    expect(unsubscribe).not.toContain('amina');

    const sms = at.sent.slice(smsBefore);
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatchObject({ to: '+254712345678', from: '22384' });
    expect(sms[0]!.message).toBe(`Taarifa: Inspector-General of Police ameahidi kutekeleza madai yetu. Tazama ${BASE}/c/test-campaign Jibu STOP kusitisha taarifa.`);
    expect(fitsOneGsm7Segment(sms[0]!.message)).toBe(true);
    expect(smsSegments(sms[0]!.message).segments).toBe(1);

    // Who got one: exactly the live, confirmed, consenting signatures — the replacing version, not the replaced.
    const queued = (await outboxOf('update-email')).map((r) => String(r[0]));
    expect(queued.sort()).toEqual([byEmail, replacing].sort());
    expect((await outboxOf('update-sms')).map((r) => String(r[0]))).toEqual([bySms]);
    // Sent messages keep no payload.
    expect((await outboxOf('update-email')).every((r) => r[1] === 'sent' && r[3] === '{}')).toBe(true);
    const report = await (await f.admin('GET', `/admin/campaigns/${t.slug}/updates`)).json();
    expect(report).toMatchObject({ events: [{ kind: 'position', status: 'done', eligible: 3, queued: 3, skipped: 0, messages: { sent: 3 } }] });

    // Once: another round sends nothing, and recording the same status again is no news.
    expect(await f.deliver()).toEqual({ queued: 0, sent: 0, skipped: 0, deferred: 0 });
    const targetId = String((await t.db.client.execute('SELECT target_id FROM position_entries LIMIT 1')).rows[0]![0]);
    f.clock.now += 3 * 24 * HOUR;
    await f.recordPosition('committed', { targetId, statement: 'Restated.' });
    expect(await f.deliver()).toEqual({ queued: 0, sent: 0, skipped: 0, deferred: 0 });
    expect(smtp.received.length - mailsBefore).toBe(2);
    expect(at.sent.length - smsBefore).toBe(1);
  });

  it('holds an SMS queued at 22:00 Nairobi time until 08:00; e-mail goes at once', async () => {
    f = await updatesFixture();
    await f.confirmedByEmail('amina@example.org');
    await f.confirmedBySms('0712345678');
    const smsBefore = f.at.sent.length;
    f.clock.now = Date.parse('2026-12-09T19:00:00Z'); // 22:00 in Nairobi
    await f.recordPosition('declined');
    expect(await f.deliver()).toMatchObject({ queued: 2, sent: 1 });
    const [row] = await outboxOf('update-sms');
    expect([row![1], row![2]]).toEqual(['pending', Date.parse('2026-12-10T05:00:00Z')]);
    f.clock.now = Date.parse('2026-12-10T04:59:59Z'); // 07:59:59
    expect(await f.deliver()).toMatchObject({ sent: 0 });
    expect(f.at.sent.length).toBe(smsBefore);
    f.clock.now = Date.parse('2026-12-10T05:00:00Z'); // 08:00
    expect(await f.deliver()).toMatchObject({ sent: 1 });
    expect(f.at.sent.at(-1)!.message).toMatch(/^Update: Inspector-General of Police declined our demands\./);
  });

  it('defers an SMS whose retry falls after 20:00 to the next 08:00, without spending an attempt', async () => {
    f = await updatesFixture();
    await f.confirmedBySms('0712345678');
    f.clock.now = Date.parse('2026-12-09T16:59:50Z'); // 19:59:50 in Nairobi
    await f.recordPosition('acknowledged');
    f.at.httpStatus = 503;
    expect(await f.deliver()).toMatchObject({ queued: 1, sent: 0 });
    f.at.httpStatus = undefined;
    f.clock.now = Date.parse('2026-12-09T17:00:30Z'); // 20:00:30: the retry is due, but it is night
    expect(await f.t.api.updates.outbox.runOnce()).toMatchObject({ claimed: 1, deferred: 1, sent: 0 });
    const row = (await f.t.db.client.execute("SELECT status, next_attempt_at, attempts FROM outbox WHERE kind = 'update-sms'")).rows[0]!;
    expect([row[0], row[1], row[2]]).toEqual(['pending', Date.parse('2026-12-10T05:00:00Z'), 1]);
    f.clock.now = Date.parse('2026-12-10T05:00:00Z');
    expect(await f.t.api.updates.outbox.runOnce()).toMatchObject({ sent: 1 });
  });

  it('throttles: a second event within 24 hours is skipped for whoever had one; the next day goes to all', async () => {
    f = await updatesFixture();
    const { t } = f;
    await f.confirmedByEmail('amina@example.org');
    await f.confirmedBySms('0712345678');
    await f.recordPosition('committed');
    expect(await f.deliver()).toMatchObject({ queued: 2, sent: 2 });

    // Two hours later the count passes a milestone (a new signer confirms): the two earlier signers already
    // had their update today and are skipped; the new one hears of it.
    f.clock.now += 2 * HOUR;
    expect((await f.admin('POST', `/admin/campaigns/${t.slug}/milestones`, { threshold: 3, label: { en: 'three voices', sw: 'sauti tatu' } })).status).toBe(201);
    await f.confirmedByEmail('newcomer@example.org', { locale: 'sw' });
    const mailsBefore = f.smtp.received.length;
    await t.api.services.milestones.settled();
    expect((await t.db.client.execute("SELECT COUNT(*) FROM update_events WHERE kind = 'milestone'")).rows[0]![0]).toBe(1);
    expect(await f.deliver()).toMatchObject({ queued: 1, sent: 1 });
    const newcomer = f.smtp.received.slice(mailsBefore);
    expect(newcomer.map((m) => [m.subject, m.headers.get('content-language')])).toEqual([['Taarifa kuhusu kampeni uliyoiunga mkono', 'sw']]);
    expect(newcomer[0]!.text).toContain('"Kampeni ya majaribio" imefikia sahihi 3: sauti tatu.');
    const report = (await (await f.admin('GET', `/admin/campaigns/${t.slug}/updates`)).json()) as { events: { kind: string; eligible: number; queued: number; skipped: number }[] };
    expect(report.events[0]).toMatchObject({ kind: 'milestone', eligible: 3, queued: 1, skipped: 2 });

    // More than 24 hours after the last update: the campaign closes, and everyone hears of it.
    f.clock.now = MORNING + 27 * HOUR;
    const closed = await f.admin('PUT', `/admin/campaigns/${t.slug}`, {
      ...campaignDocument(),
      status: 'closed',
    });
    expect(closed.status).toBe(200);
    expect(await f.deliver()).toMatchObject({ queued: 3, sent: 3 });
    expect(f.at.sent.at(-1)!.message).toMatch(/^Update: a campaign you supported closed with 3 signatures\. Thank you!/);
  });

  it('sends one SMS to a family phone carrying several confirmed names', async () => {
    f = await updatesFixture({ verification: 'sms', phoneHousehold: 2 });
    await f.confirmedBySms('0712345678', { name: 'Wanjiru Kamau' });
    await f.confirmedBySms('0712345678', { name: 'Otieno Kamau' });
    await f.recordPosition('committed');
    expect(await f.deliver()).toMatchObject({ queued: 1, sent: 1 });
    const report = (await (await f.admin('GET', `/admin/campaigns/${f.t.slug}/updates`)).json()) as { events: { eligible: number; skipped: number }[] };
    expect(report.events[0]).toMatchObject({ eligible: 2, skipped: 1 });
  });

  it('on a campaign without confirmation, writes to the e-mail if there is one, else the phone', async () => {
    f = await updatesFixture({ verification: 'none' });
    for (const [email, phone] of [
      ['both@example.org', '0712000001'],
      [undefined, '0712000002'],
    ] as const) {
      const signed = await f.t.sign({ name: 'Signer', email, phone, consent: { terms: true, updates: true } });
      expect(signed.status).toBe(201);
    }
    await f.recordPosition('committed');
    expect(await f.deliver()).toMatchObject({ queued: 2, sent: 2 });
    expect(f.smtp.received.map((m) => m.to && 'value' in m.to && m.to.value[0]!.address)).toEqual(['both@example.org']);
    expect(f.at.sent.map((s) => s.to)).toEqual(['+254712000002']);
  });

  it('fans out page by page; a page run twice (a crash, a second node) queues nothing twice', async () => {
    f = await updatesFixture({ verification: 'none' }, { pageSize: 2 });
    for (let i = 0; i < 5; i++) {
      expect((await f.t.sign({ name: `Signer ${i}`, email: `s${i}@example.org`, consent: { terms: true, updates: i !== 2 } })).status).toBe(201);
    }
    await f.recordPosition('committed');
    const first = await f.t.api.updates.fanout.runOnce();
    expect(first).toMatchObject({ considered: 2, queued: 2, done: false });
    // Another node, another fan-out, on the same database: it takes up from the cursor.
    const other = new UpdateFanout(f.t.db, { clock: () => f.clock.now, pageSize: 2 });
    expect(await other.runOnce()).toMatchObject({ considered: 2, queued: 1, done: false });
    // As if a crash had lost the cursor: the same pages again queue nothing — and not thanks to the throttle
    // (off for this run), but to the outbox's unique (event, signature) and (event, contact) keys.
    await f.t.db.client.execute("UPDATE update_events SET status = 'fanning', cursor_at = 0, cursor_rowid = 0, eligible = 0, queued = 0");
    const unthrottled = new UpdateFanout(f.t.db, { clock: () => f.clock.now, pageSize: 2, throttleMs: 0 });
    expect(await unthrottled.drain()).toMatchObject({ queued: 1 });
    const counts = (await f.t.db.client.execute("SELECT COUNT(*), COUNT(DISTINCT signature_id) FROM outbox WHERE kind = 'update-email'")).rows[0]!;
    expect([Number(counts[0]), Number(counts[1])]).toEqual([4, 4]);
    expect(await f.deliver()).toMatchObject({ sent: 4 });
  });

  it('sends nothing for events a campaign does not send, and stops queued ones when it turns them off', async () => {
    f = await updatesFixture({ updates: null });
    await f.confirmedByEmail('amina@example.org');
    await f.recordPosition('committed');
    expect((await f.t.db.client.execute('SELECT COUNT(*) FROM update_events')).rows[0]![0]).toBe(0);
    expect(await f.deliver()).toMatchObject({ queued: 0 });

    const on = await f.admin('PUT', `/admin/campaigns/${f.t.slug}`, { ...campaignDocument(), updates: { events: ['position'] } });
    expect(await on.json()).toMatchObject({ changed: ['updates'] });
    await f.confirmedBySms('0712345678');
    f.clock.now = Date.parse('2026-12-09T19:00:00Z'); // the SMS waits for the morning
    await f.recordPosition('declined');
    expect(await f.deliver()).toMatchObject({ queued: 2, sent: 1 });
    await f.admin('PUT', `/admin/campaigns/${f.t.slug}`, { ...campaignDocument(), updates: { events: [] } });
    f.clock.now = Date.parse('2026-12-10T05:00:00Z');
    expect(await f.deliver()).toMatchObject({ sent: 0, skipped: 1 });

    // Bad settings are refused with field errors, and change nothing.
    const bad = await f.admin('PUT', `/admin/campaigns/${f.t.slug}`, { ...campaignDocument(), updates: { events: ['weather'], link: 'http://partner.example/c' } });
    expect(bad.status).toBe(422);
    const problem = (await bad.json()) as { type: string; errors: { path: string }[] };
    expect(problem.type).toBe('urn:imlu:problem:validation');
    expect(problem.errors.map((e) => e.path).sort()).toEqual(['updates.events.0', 'updates.link']);
  });

  it("records a campaign's close by its closing date once, and links to the campaign's own page when it has one", async () => {
    f = await updatesFixture({ closesAt: MORNING + HOUR, updates: { events: ['closed'], link: 'https://imlu.org/justice' } });
    await f.confirmedBySms('0712345678');
    expect(await f.deliver()).toMatchObject({ queued: 0 });
    f.clock.now = MORNING + 2 * HOUR;
    expect(await f.deliver()).toMatchObject({ queued: 1, sent: 1 });
    expect(f.at.sent.at(-1)!.message).toBe('Update: a campaign you supported closed with 1 signature. Thank you! See https://imlu.org/justice Reply STOP to end updates.');
    // Closing it by hand afterwards is the same close: no second event.
    f.clock.now += 2 * 24 * HOUR;
    await f.admin('PUT', `/admin/campaigns/${f.t.slug}`, { ...campaignDocument(), status: 'closed', closesAt: new Date(MORNING + HOUR).toISOString(), updates: { events: ['closed'], link: 'https://imlu.org/justice' } });
    expect(await f.deliver()).toMatchObject({ queued: 0 });
    expect((await f.t.db.client.execute('SELECT COUNT(*) FROM update_events')).rows[0]![0]).toBe(1);
  });

  it('previews both languages, SMS with its segment count and e-mail, through the admin API', async () => {
    f = await updatesFixture();
    await f.recordPosition('committed', { name: 'Director of Public Prosecutions' });
    const response = await f.admin('GET', `/admin/campaigns/${f.t.slug}/updates/preview?event=position`);
    expect(response.status).toBe(200);
    const preview = (await response.json()) as { enabled: boolean; sample: boolean; messages: Record<'en' | 'sw', { sms: { text: string; segments: number; encoding: string }; email: { subject: string; text: string } }> };
    expect(preview).toMatchObject({ enabled: true, sample: false });
    expect(preview.messages.en.sms).toMatchObject({ segments: 1, encoding: 'GSM-7', text: expect.stringContaining('Director of Public Prosecutions committed to our demands.') });
    expect(preview.messages.sw.sms.text).toContain('Director of Public Prosecutions ameahidi kutekeleza madai yetu.');
    expect(preview.messages.sw.email.subject).toBe('Taarifa kuhusu kampeni uliyoiunga mkono');
    expect(preview.messages.en.email.text).toContain(`${BASE}/u/`);
    const milestone = (await (await f.admin('GET', `/admin/campaigns/${f.t.slug}/updates/preview?event=milestone`)).json()) as { sample: boolean };
    expect(milestone.sample).toBe(true);
    expect((await f.admin('GET', `/admin/campaigns/${f.t.slug}/updates/preview?event=weather`)).status).toBe(422);
    expect((await f.admin('GET', '/admin/campaigns/nope/updates/preview?event=closed')).status).toBe(404);
    expect((await f.t.request(`/admin/campaigns/${f.t.slug}/updates/preview?event=closed`)).status).toBe(404);
  });
});

describe('the outbox under a flood of updates', () => {
  it('claims confirmations and updates by index ranges: no scan of the outbox, no sort of every due message', async () => {
    f = await updatesFixture();
    const { client } = f.t.db;
    await client.execute({
      sql:
        'WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 19999) ' +
        'INSERT INTO outbox (id, kind, campaign_id, payload, status, attempts, next_attempt_at, created_at) ' +
        "SELECT lower(hex(randomblob(16))), CASE WHEN i % 2 THEN 'update-email' ELSE 'update-sms' END, ?, '{}', 'pending', 0, i, 0 FROM n",
      args: [f.t.campaignId],
    });
    // With and without the planner's statistics (ANALYZE), which can change a plan.
    for (const analyze of [false, true]) {
      if (analyze) await client.execute('ANALYZE');
      for (const kinds of [['confirm-email', 'confirm-sms', 'webhook'], ['update-email', 'update-sms']] as const) {
        const statement = claimStatement(kinds, { now: 1e12, leaseUntil: 1e12, batchSize: 20 });
        const plan = (await client.execute({ sql: `EXPLAIN QUERY PLAN ${statement.sql}`, args: statement.args })).rows.map((r) => String(r['detail']));
        expect(plan.filter((line) => /\boutbox\b/.test(line) && !/^SEARCH outbox USING (INTEGER PRIMARY KEY|(COVERING )?INDEX (sqlite_autoindex_outbox_1|outbox_kind_due_idx|outbox_kind_lease_idx) )/.test(line))).toEqual([]);
        expect(plan.some((line) => line.includes('outbox_kind_due_idx (kind=? AND status=? AND next_attempt_at<?)'))).toBe(true);
      }
    }
    expect(await f.t.api.updates.outbox.runOnce()).toMatchObject({ claimed: 20 });
  });
});

describe('update text', () => {
  const input = (target: string, link = `${BASE}/c/justice-for-survivors`) => ({
    locale: 'en' as const,
    content: { kind: 'position' as const, target, changes: [{ demand: null, status: 'committed' as const }], statement: null },
    campaignKind: 'petition' as const,
    campaignTitle: { en: 'T', sw: 'T' },
    link,
  });

  it('stays one GSM-7 segment: drops the link, then the name, when they do not fit', () => {
    expect(updateSms(input('IPOA'), { replyStop: true })).toBe(`Update: IPOA committed to our demand. See ${BASE}/c/justice-for-survivors Reply STOP to end updates.`);
    const long = 'Cabinet Secretary for the Interior and National Administration';
    expect(updateSms(input(long), { replyStop: true })).toBe(`Update: ${long} committed to our demand. Reply STOP to end updates.`);
    // A letter outside GSM-7 would make it UCS-2 (70 characters a segment): the general sentence goes instead.
    expect(updateSms(input('Gavana Wanjirũ Mũthoni'), { replyStop: false })).toBe(`Update: an official responded to a campaign you supported. See ${BASE}/c/justice-for-survivors`);
    // Typographic quotes have GSM-7 twins and do not cost a segment.
    expect(updateSms(input('Officer’s Office'), { replyStop: false })).toContain("Officer's Office");
    for (const target of ['IPOA', long, 'Gavana Wanjirũ Mũthoni', 'x'.repeat(300)]) {
      expect(fitsOneGsm7Segment(updateSms(input(target, `${BASE}/c/${'s'.repeat(80)}`), { replyStop: true }))).toBe(true);
    }
  });

  it('knows Nairobi quiet hours (UTC+3 all year)', () => {
    expect(nextSmsSlot(Date.parse('2026-12-09T05:00:00Z'))).toBe(Date.parse('2026-12-09T05:00:00Z'));
    expect(nextSmsSlot(Date.parse('2026-12-09T16:59:59Z'))).toBe(Date.parse('2026-12-09T16:59:59Z'));
    expect(nextSmsSlot(Date.parse('2026-12-09T17:00:00Z'))).toBe(Date.parse('2026-12-10T05:00:00Z'));
    expect(nextSmsSlot(Date.parse('2026-12-09T21:30:00Z'))).toBe(Date.parse('2026-12-10T05:00:00Z')); // 00:30 on the 10th
    expect(nextSmsSlot(Date.parse('2026-12-10T04:59:59Z'))).toBe(Date.parse('2026-12-10T05:00:00Z'));
    expect(nextSmsSlot(Date.parse('2027-06-30T20:00:00Z'))).toBe(Date.parse('2027-07-01T05:00:00Z'));
  });
});

/** The test campaign as a campaign document, for PUT /admin/campaigns/{slug}. */
function campaignDocument() {
  return {
    slug: OPEN_CAMPAIGN.slug,
    status: 'open',
    title: OPEN_CAMPAIGN.title,
    summary: OPEN_CAMPAIGN.summary,
    body: OPEN_CAMPAIGN.body,
    goal: OPEN_CAMPAIGN.goal,
    verification: 'either',
    consentVersion: OPEN_CAMPAIGN.consentVersion,
    demands: OPEN_CAMPAIGN.demands,
    updates: { events: ['position', 'milestone', 'closed'] },
  };
}

