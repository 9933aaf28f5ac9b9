/**
 * Pledge reminders and SMS answers (issue 16), on a real database with a fixed clock: supporters sign and
 * confirm through the real routes (by the link in their e-mail or the code in their SMS), pledging their
 * actions with the signature (the one signing path writes `pledge_commitments`). Reminders go out over the real SMTP test server and the Africa's Talking adapter against its local
 * fake; answers come in through the real inbound SMS route.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { listAudit } from '../audit/audit.ts';
import { createDb } from '../db/client.ts';
import { runCli } from '../cli/main.ts';
import { smsSegments } from '../messages/sms.ts';
import { findById, withdrawSignature } from '../signer/records.ts';
import { inboundSmsUrl } from '../updates/stop.ts';
import { TEST_KEYS } from '../../test/helpers.ts';
import { BASE, HOUR, rawHeader, updatesFixture, type UpdatesFixture } from '../../test/updates-fixture.ts';
import { sayOfPledge } from './commitments.ts';
import { pledgeLinkTokens } from './links.ts';
import { reminderSms } from './reminder-messages.ts';
import { nairobiDayStart, runPledgeReminders } from './reminders.ts';
import { parsePledgeReply } from './sms-replies.ts';

/** Thursday 10 December 2026, 09:00 and 18:00 in Nairobi: the day after the fixture's MORNING (Wed 09:00). */
const HEARING = Date.parse('2026-12-10T06:00:00Z');
const VIGIL = Date.parse('2026-12-10T15:00:00Z');
const SATURDAY = Date.parse('2026-12-12T07:00:00Z');

const PLEDGE = {
  kind: 'pledge' as const,
  title: { en: 'Justice for Baraka', sw: 'Haki kwa Baraka' },
  actions: [
    {
      title: { en: 'Attend the hearing', sw: 'Hudhuria kikao cha mahakama' },
      place: { en: 'Milimani Law Courts, Nairobi', sw: 'Mahakama ya Milimani, Nairobi' },
      county: 'KE-47' as const,
      startsAt: HEARING,
      capacity: 200,
    },
    { title: { en: 'Join the vigil', sw: 'Jiunge na mkesha' }, place: null, county: null, startsAt: VIGIL, capacity: null },
    { title: { en: 'Share the petition with ten people', sw: 'Shiriki ombi na watu kumi' }, place: null, county: null, startsAt: null, capacity: null },
    { title: { en: 'March to Parliament', sw: 'Maandamano hadi Bunge' }, place: null, county: null, startsAt: SATURDAY, capacity: null },
  ],
};

let f: UpdatesFixture;
afterEach(async () => {
  await f?.close();
});

async function actionIds(): Promise<string[]> {
  const rows = await f.t.db.client.execute({ sql: 'SELECT id FROM pledge_actions WHERE campaign_id = ? ORDER BY position', args: [f.t.campaignId] });
  return rows.rows.map((r) => String(r[0]));
}

/** What a supporter pledges with the signature: the actions and whether to be reminded. */
const pledging = (actions: string[], remind = true) => ({ actions, remind });

/** A supporter who says they cannot make an action (before it starts), as the /p/ page or an SMS says it. */
async function cannotCome(signatureId: string, actionId: string) {
  expect(await sayOfPledge(f.t.db.client, signatureId, actionId, 'cant', f.clock.now)).toBe(true);
}

const commitments = async () =>
  (
    await f.t.db.client.execute(
      'SELECT pc.signature_id, a.position, pc.state, pc.reminded_before_at, pc.reminded_day_at, pc.kept_at, pc.kept_by, pc.remind ' +
        'FROM pledge_commitments pc JOIN pledge_actions a ON a.id = pc.action_id ORDER BY pc.signature_id, a.position',
    )
  ).rows.map((r) => ({
    signature: String(r[0]),
    position: Number(r[1]),
    state: String(r[2]),
    before: r[3] === null ? null : Number(r[3]),
    day: r[4] === null ? null : Number(r[4]),
    keptAt: r[5] === null ? null : Number(r[5]),
    keptBy: r[6] === null ? null : String(r[6]),
    remind: Number(r[7]),
  }));

const reminders = async () =>
  (
    await f.t.db.client.execute(
      "SELECT signature_id, kind, status, next_attempt_at, payload FROM outbox WHERE kind LIKE 'pledge-reminder-%' ORDER BY signature_id, json_extract(payload, '$.actionId'), created_at",
    )
  ).rows.map((r) => ({ signature: String(r[0]), kind: String(r[1]), status: String(r[2]), due: Number(r[3]), payload: JSON.parse(String(r[4])) as Record<string, string> }));

/** Sends every due message of the updates' worker (which sends the reminders). */
async function send(): Promise<{ sent: number; skipped: number; deferred: number }> {
  const total = { sent: 0, skipped: 0, deferred: 0 };
  for (;;) {
    const round = await f.t.api.updates.outbox.runOnce();
    total.sent += round.sent;
    total.skipped += round.skipped;
    total.deferred += round.deferred;
    if (!round.claimed) return total;
  }
}

function inbound(form: Record<string, string>) {
  return f.t.request(new URL(inboundSmsUrl(BASE, TEST_KEYS.blindIndexKey)).pathname, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
}

const mailTo = (address: string) => f.smtp.received.filter((m) => m.to && 'value' in m.to && m.to.value[0]!.address === address);

/** Five supporters: by e-mail (en), by SMS (sw), one who did not ask for reminders, one who can't make the hearing, one never confirmed. */
async function supporters() {
  const [hearing, vigil, share, march] = await actionIds();
  const amina = await f.confirmedByEmail('amina@example.org', pledging([hearing!, vigil!, share!, march!]));
  const juma = await f.confirmedBySms('0712345678', { locale: 'sw', name: 'Juma Otieno', ...pledging([hearing!, vigil!]) });
  const noRemind = await f.confirmedByEmail('quiet@example.org', pledging([hearing!, vigil!], false));
  const cant = await f.confirmedByEmail('cant@example.org', pledging([hearing!, vigil!]));
  await cannotCome(cant, hearing!);
  await f.t.sign({ name: 'Never Confirmed', email: 'pending@example.org', consent: { terms: true }, ...pledging([hearing!]) });
  const pending = String((await f.t.db.client.execute("SELECT id FROM signatures WHERE status = 'pending'")).rows[0]![0]);
  await f.t.api.outbox.runOnce();
  const withdrawn = await f.confirmedByEmail('withdrawn@example.org', pledging([hearing!]));
  const record = await findById(f.t.db.client, f.t.api.services.crypto, withdrawn);
  expect((await withdrawSignature(f.t.db, record!, { by: 'signer' }, f.clock.now)).changed).toBe(true);
  return { amina, juma, noRemind, cant, pending, withdrawn, actions: { hearing: hearing!, vigil: vigil!, share: share!, march: march! } };
}

describe('pledge reminders', () => {
  it('the day before: one reminder per live, opted-in, still-pledged commitment, by its channel, once; in the signer’s language, with a working pledge link', async () => {
    f = await updatesFixture(PLEDGE);
    const s = await supporters();
    const mailsBefore = f.smtp.received.length;
    const smsBefore = f.at.sent.length;

    const run = await runPledgeReminders(f.t.db.client, { now: f.clock.now });
    expect(run).toMatchObject({ dryRun: false, queued: 5 });
    expect(run.actions.map((a) => [a.position, a.when, a.email, a.sms])).toEqual([
      [1, 'before', 1, 1],
      [2, 'before', 2, 1],
    ]);
    const queued = await reminders();
    expect(queued.map((r) => [r.signature, r.kind]).sort()).toEqual(
      [
        [s.amina, 'pledge-reminder-email'],
        [s.amina, 'pledge-reminder-email'],
        [s.juma, 'pledge-reminder-sms'],
        [s.juma, 'pledge-reminder-sms'],
        [s.cant, 'pledge-reminder-email'],
      ].sort(),
    );
    // The recipient only as the signature's envelope, with the locale; due now (09:00 is within quiet hours).
    for (const r of queued) {
      expect(r.payload['to']).toMatch(/^v\d+\.[\w-]+\./);
      expect(JSON.stringify(r.payload)).not.toMatch(/amina|0712345678|254712/);
      expect(r.payload['reminder']).toBe('before');
      expect(r.due).toBe(f.clock.now);
    }
    expect(queued.find((r) => r.signature === s.juma)!.payload['locale']).toBe('sw');
    // Stamped in the same transaction, on exactly the rows queued for.
    const stamped = (await commitments()).filter((c) => c.before !== null).map((c) => [c.signature, c.position]);
    expect(stamped.sort()).toEqual(
      [
        [s.amina, 1],
        [s.amina, 2],
        [s.juma, 1],
        [s.juma, 2],
        [s.cant, 2],
      ].sort(),
    );
    expect((await commitments()).every((c) => c.day === null)).toBe(true);

    // Again, and with a dry run: nothing more.
    expect(await runPledgeReminders(f.t.db.client, { now: f.clock.now + HOUR, dryRun: true })).toMatchObject({ queued: 0 });
    expect(await runPledgeReminders(f.t.db.client, { now: f.clock.now + HOUR })).toMatchObject({ queued: 0 });
    expect(await reminders()).toHaveLength(5);

    expect(await send()).toMatchObject({ sent: 5, skipped: 0 });
    expect((await reminders()).every((r) => r.status === 'sent' && JSON.stringify(r.payload) === '{}')).toBe(true);

    const mails = mailTo('amina@example.org').filter((m) => f.smtp.received.indexOf(m) >= mailsBefore);
    expect(mails).toHaveLength(2);
    const hearingMail = mails.find((m) => m.text!.includes('Attend the hearing'))!;
    expect(hearingMail.subject).toBe('A reminder of your pledge');
    expect(hearingMail.headers.get('content-language')).toBe('en');
    expect(hearingMail.text).toContain('Your pledge to "Justice for Baraka"');
    expect(hearingMail.text).toContain('You pledged to take part in this action tomorrow:');
    expect(hearingMail.text).toContain('When: Thursday, 10 December 2026, 09:00 (Nairobi time)');
    expect(hearingMail.text).toContain('Where: Milimani Law Courts, Nairobi');
    expect(rawHeader(hearingMail, 'List-Unsubscribe')).toMatch(new RegExp(`^<${BASE}/u/[\\w-]+\\.[\\w-]+>$`));
    expect(hearingMail.html).toContain('<a href="https://sign.imlu.example/p/');
    // The link opens the page of this signature: a valid pledge-link token for it, in its language.
    const link = new RegExp(`${BASE}/p/([\\w-]+\\.[\\w-]+)\\?lang=en`).exec(hearingMail.text!);
    expect(link).not.toBeNull();
    expect(pledgeLinkTokens(TEST_KEYS.blindIndexKey).verify(link![1]!)).toEqual({ ok: true, signatureId: s.amina });
    expect(mailTo('cant@example.org').filter((m) => f.smtp.received.indexOf(m) >= mailsBefore).map((m) => m.text!.includes('Join the vigil'))).toEqual([true]);
    expect(mailTo('quiet@example.org').filter((m) => f.smtp.received.indexOf(m) >= mailsBefore)).toHaveLength(0);

    // The SMS signer gets Kiswahili, two parts at most, GSM-7, with the answer to send and the link.
    const sms = f.at.sent.slice(smsBefore);
    expect(sms.map((m) => m.to)).toEqual(['+254712345678', '+254712345678']);
    const hearingSms = sms.find((m) => m.message.includes('Hudhuria'))!.message;
    expect(hearingSms).toMatch(/^Kikumbusho: kesho Alhamisi, 10 Des, 09:00: Hudhuria kikao cha mahakama\. Mahali: Mahakama ya Milimani, Nairobi\. Jibu SIWEZI 1 kama hutaweza kufika\. Hutaweza kufika\? https:\/\/sign\.imlu\.example\/p\/[\w-]+\.[\w-]+\?lang=sw Jibu STOP kusitisha ujumbe\.$/);
    expect(smsSegments(hearingSms)).toMatchObject({ encoding: 'GSM-7', segments: 2 });
    const smsToken = /\/p\/([\w-]+\.[\w-]+)\?/.exec(hearingSms)![1]!;
    expect(pledgeLinkTokens(TEST_KEYS.blindIndexKey).verify(smsToken)).toEqual({ ok: true, signatureId: s.juma });
    expect(sms.find((m) => m.message.includes('mkesha'))!.message).toContain('Jibu SIWEZI 2 kama hutaweza kufika.');
  });

  it('on the day: the reminder of the day; an SMS at night waits for 08:00; the day before after 20:00 only e-mail goes; a stale one is skipped', async () => {
    f = await updatesFixture(PLEDGE);
    const s = await supporters();
    // Wednesday 21:00: the day before, but an SMS could not go out before it ends: only e-mail is queued.
    f.clock.now = Date.parse('2026-12-09T18:00:00Z');
    expect(await runPledgeReminders(f.t.db.client, { now: f.clock.now })).toMatchObject({ queued: 3 });
    expect((await reminders()).map((r) => r.kind)).not.toContain('pledge-reminder-sms');
    expect(await send()).toMatchObject({ sent: 3 });

    // Thursday 00:30: the reminders of the day; e-mail now, SMS at 08:00.
    f.clock.now = Date.parse('2026-12-09T21:30:00Z');
    expect(nairobiDayStart(f.clock.now)).toBe(Date.parse('2026-12-09T21:00:00Z'));
    const run = await runPledgeReminders(f.t.db.client, { now: f.clock.now });
    expect(run.actions.map((a) => [a.position, a.when, a.email, a.sms])).toEqual([
      [1, 'day', 1, 1],
      [2, 'day', 2, 1],
    ]);
    const day = (await reminders()).filter((r) => r.payload['reminder'] === 'day');
    expect(day.filter((r) => r.kind === 'pledge-reminder-sms').map((r) => r.due)).toEqual([Date.parse('2026-12-10T05:00:00Z'), Date.parse('2026-12-10T05:00:00Z')]);
    expect(day.filter((r) => r.kind === 'pledge-reminder-email').every((r) => r.due === f.clock.now)).toBe(true);
    expect((await commitments()).filter((c) => c.day !== null)).toHaveLength(5);
    const smsBefore = f.at.sent.length;
    expect(await send()).toMatchObject({ sent: 3 });
    expect(f.at.sent.length).toBe(smsBefore);
    expect(mailTo('amina@example.org').at(-1)!.text).toContain('You pledged to take part in this action today:');
    expect(mailTo('amina@example.org').at(-1)!.text).toMatch(/When you have done it, say so on your pledge page/);

    f.clock.now = Date.parse('2026-12-10T04:59:59Z'); // 07:59:59
    expect(await send()).toMatchObject({ sent: 0 });
    f.clock.now = Date.parse('2026-12-10T05:00:00Z'); // 08:00
    expect(await send()).toMatchObject({ sent: 2 });
    const sms = f.at.sent.slice(smsBefore).map((m) => m.message);
    expect(sms.find((m) => m.includes('Hudhuria'))).toMatch(/^Leo 09:00: Hudhuria kikao cha mahakama\. Mahali: Mahakama ya Milimani, Nairobi\. Jibu NIMEFANYA 1 ukimaliza\. Umemaliza\? Tujulishe: https:\/\/\S+\?lang=sw Jibu STOP kusitisha ujumbe\.$/);
    expect(sms.find((m) => m.includes('mkesha'))).toContain('Jibu NIMEFANYA 2 ukimaliza.');

    // Nothing more that day; on Friday the Saturday march is due its reminder of the day before, and a
    // reminder of Thursday still queued (a provider outage) is skipped rather than sent a day late.
    expect(await runPledgeReminders(f.t.db.client, { now: Date.parse('2026-12-10T16:00:00Z') })).toMatchObject({ queued: 0 });
    await f.t.db.client.execute({
      sql: "UPDATE pledge_commitments SET reminded_day_at = NULL WHERE signature_id = ? AND action_id = ?",
      args: [s.amina, s.actions.vigil],
    });
    expect(await runPledgeReminders(f.t.db.client, { now: Date.parse('2026-12-10T17:30:00Z') })).toMatchObject({ queued: 1 });
    f.clock.now = Date.parse('2026-12-11T06:00:00Z');
    expect(await send()).toMatchObject({ sent: 0, skipped: 1 });
    const friday = await runPledgeReminders(f.t.db.client, { now: f.clock.now });
    expect(friday.actions.map((a) => [a.position, a.when, a.email, a.sms])).toEqual([[4, 'before', 1, 0]]);
  });

  it('a pledge that changes after it was queued is skipped at send time: said it cannot come, withdrew, or stopped reminders', async () => {
    f = await updatesFixture(PLEDGE);
    const s = await supporters();
    expect(await runPledgeReminders(f.t.db.client, { now: f.clock.now })).toMatchObject({ queued: 5 });
    await f.t.db.client.execute({ sql: "UPDATE pledge_commitments SET state = 'cant' WHERE signature_id = ? AND action_id = ?", args: [s.amina, s.actions.hearing] });
    await f.t.db.client.execute({ sql: 'UPDATE pledge_commitments SET remind = 0 WHERE signature_id = ?', args: [s.cant] });
    const record = await findById(f.t.db.client, f.t.api.services.crypto, s.juma);
    await withdrawSignature(f.t.db, record!, { by: 'signer' }, f.clock.now);
    expect(await send()).toMatchObject({ sent: 1, skipped: 4 });
  });

  it('pages through commitments by the (action_id, state) index', async () => {
    f = await updatesFixture(PLEDGE);
    const plan = await f.t.db.client.execute({
      sql: "EXPLAIN QUERY PLAN SELECT rowid FROM pledge_commitments WHERE action_id = ? AND state = 'pledged' AND rowid > ? ORDER BY rowid LIMIT ?",
      args: ['x', 0, 250],
    });
    const detail = plan.rows.map((r) => String(r[3])).join('\n');
    expect(detail).toMatch(/SEARCH pledge_commitments USING COVERING INDEX pledge_commitments_action_idx \(action_id=\? AND state=\? AND rowid>\?\)/);
    expect(detail).not.toMatch(/TEMP B-TREE/);
    // Many supporters, small pages: each queued once.
    const [hearing] = await actionIds();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push(await f.confirmedByEmail(`s${i}@example.org`, pledging([hearing!])));
    expect(await runPledgeReminders(f.t.db.client, { now: f.clock.now, pageSize: 2 })).toMatchObject({ queued: 7 });
    expect(await runPledgeReminders(f.t.db.client, { now: f.clock.now, pageSize: 2 })).toMatchObject({ queued: 0 });
    expect(new Set((await reminders()).map((r) => r.signature)).size).toBe(7);
  });

  it('two nodes running at once queue each reminder once', async () => {
    f = await updatesFixture(PLEDGE);
    await supporters();
    const other = await createDb(f.t.url);
    try {
      const runs = await Promise.all([
        runPledgeReminders(f.t.db.client, { now: f.clock.now, pageSize: 1 }),
        runPledgeReminders(other.client, { now: f.clock.now, pageSize: 1 }),
      ]);
      expect(runs[0].queued + runs[1].queued).toBe(5);
      expect(await reminders()).toHaveLength(5);
      expect(new Set((await reminders()).map((r) => `${r.signature} ${r.payload['actionId']}`)).size).toBe(5);
    } finally {
      other.close();
    }
  });

  it('keeps the SMS within two segments: a long title loses the place, then the title', () => {
    const input = {
      locale: 'en' as const,
      when: 'before' as const,
      campaignTitle: { en: 'C', sw: 'C' },
      action: { position: 3, title: { en: 'Attend', sw: 'Hudhuria' }, place: { en: 'Milimani', sw: 'Milimani' }, startsAt: HEARING },
      link: `${BASE}/p/AAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBB?lang=en`,
    };
    expect(reminderSms(input, { replies: true })).toBe(
      `Reminder: tomorrow Thu, 10 Dec, 09:00: Attend. Place: Milimani. Reply CANT 3 if you cannot come. Can't make it? ${input.link} Reply STOP to end messages.`,
    );
    // Without a two-way short code: no reply words, the link does the job.
    expect(reminderSms(input, { replies: false })).toBe(`Reminder: tomorrow Thu, 10 Dec, 09:00: Attend. Place: Milimani. Can't make it? ${input.link}`);
    // A place outside GSM-7 (UCS-2: 67 characters a part) and a long title: the place goes, then the link.
    const title = 'Attend the hearing of the petition on police accountability';
    const long = { ...input, action: { ...input.action, title: { en: `${title} `.repeat(3).trim(), sw: '' }, place: { en: 'Wanjirũ Hall', sw: '' } } };
    const text = reminderSms(long, { replies: true });
    expect(text).toBe(`Reminder: tomorrow Thu, 10 Dec, 09:00: ${long.action.title.en}. Reply CANT 3 if you cannot come. Reply STOP to end messages.`);
    expect(smsSegments(text)).toMatchObject({ encoding: 'GSM-7', segments: 2 });
    // Longer still: "action 3 of your pledge" instead of the title.
    const longer = { ...long, action: { ...long.action, title: { en: `${title} `.repeat(6).trim(), sw: '' } } };
    expect(reminderSms(longer, { replies: true })).toBe(`Reminder: tomorrow Thu, 10 Dec, 09:00: action 3 of your pledge. Reply CANT 3 if you cannot come. Can't make it? ${input.link} Reply STOP to end messages.`);
  });
});

describe('SMS answers to pledge reminders', () => {
  it('SIWEZI, DONE 2 and an unknown number all get the same answer and change exactly what they say', async () => {
    f = await updatesFixture(PLEDGE);
    const s = await supporters();
    await runPledgeReminders(f.t.db.client, { now: f.clock.now });
    await send();
    const before = await commitments();

    // Wednesday evening, after the reminders of the day before: "SIWEZI" without a number is the next action reminded.
    f.clock.now = Date.parse('2026-12-09T16:00:00Z');
    const answers: string[] = [];
    const reply = async (from: string, text: string) => {
      const response = await inbound({ from, text, to: '22384', id: 'ATXid_1', date: '2026-12-09 19:00:00' });
      expect(response.status).toBe(200);
      answers.push(await response.text());
    };
    await reply('+254712345678', 'Siwezi');
    let now = await commitments();
    const juma = (position: number) => now.find((c) => c.signature === s.juma && c.position === position)!;
    expect(juma(1)).toMatchObject({ state: 'cant', keptAt: null });
    expect(juma(2)).toMatchObject({ state: 'pledged' });
    // Everyone else unchanged.
    expect(now.filter((c) => c.signature !== s.juma)).toEqual(before.filter((c) => c.signature !== s.juma));

    // "DONE 2" before the vigil started changes nothing; from 18:00 on Thursday it is kept, by the signer.
    await reply('0712345678', 'DONE 2');
    expect(juma(2)).toMatchObject({ state: 'pledged', keptAt: null });
    f.clock.now = Date.parse('2026-12-10T16:00:00Z');
    await reply('0712345678', 'done 2');
    now = await commitments();
    expect(juma(2)).toMatchObject({ state: 'done', keptAt: f.clock.now, keptBy: 'signer' });
    expect(juma(1)).toMatchObject({ state: 'cant' });
    // Replayed: nothing more.
    const keptAt = f.clock.now;
    f.clock.now += HOUR;
    await reply('0712345678', 'NIMEFANYA 2');
    now = await commitments();
    expect(juma(2)).toMatchObject({ state: 'done', keptAt });

    // A number that pledged nothing, and a text that is no answer: nothing changes, the same answer.
    const snapshot = await commitments();
    await reply('+254700000001', 'DONE');
    await reply('+254712345678', 'Hello, is this the hearing?');
    expect(await commitments()).toEqual(snapshot);
    expect(new Set(answers)).toEqual(new Set([JSON.stringify({ ok: true })]));

    // Audited once per change, with no number and no campaign.
    const audit = await listAudit(f.t.db, { action: 'pledge.replied' });
    expect(audit.map((a) => [a.rowCount, a.details['say'], a.campaignId])).toEqual([
      [1, 'done', null],
      [1, 'cant', null],
    ]);
    expect(JSON.stringify(audit)).not.toMatch(/254|0712/);

    // STOP ends the reminders of that number (and its updates).
    await reply('0712345678', 'STOP');
    expect((await commitments()).filter((c) => c.signature === s.juma).map((c) => c.remind)).toEqual([0, 0]);
    expect((await commitments()).find((c) => c.signature === s.amina)!.remind).toBe(1);
  });

  it('reads the reply words in English and Kiswahili, with an optional action number', () => {
    expect(parsePledgeReply('DONE 2')).toEqual({ say: 'done', position: 2 });
    expect(parsePledgeReply('nimefanya')).toEqual({ say: 'done' });
    expect(parsePledgeReply("Can't 3")).toEqual({ say: 'cant', position: 3 });
    expect(parsePledgeReply('can’t')).toEqual({ say: 'cant' });
    expect(parsePledgeReply('SIWEZI #1 samahani')).toEqual({ say: 'cant', position: 1 });
    expect(parsePledgeReply('hapana')).toEqual({ say: 'cant' });
    expect(parsePledgeReply('DONE tomorrow')).toEqual({ say: 'done' });
    expect(parsePledgeReply('STOP')).toBeUndefined();
    expect(parsePledgeReply('I am done')).toBeUndefined();
  });

  it('a one-click unsubscribe from a reminder e-mail ends that signature’s reminders', async () => {
    f = await updatesFixture(PLEDGE);
    const s = await supporters();
    await runPledgeReminders(f.t.db.client, { now: f.clock.now });
    await send();
    const mail = mailTo('amina@example.org').at(-1)!;
    const path = rawHeader(mail, 'List-Unsubscribe')!.slice(1, -1).slice(BASE.length);
    const oneClick = await f.t.request(path, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(oneClick.status).toBe(200);
    expect((await commitments()).filter((c) => c.signature === s.amina).map((c) => c.remind)).toEqual([0, 0, 0, 0]);
    expect((await commitments()).filter((c) => c.signature === s.cant).map((c) => c.remind)).toEqual([1, 1]);
    // On the day: the others' reminders (two SMS, one e-mail), none for her.
    f.clock.now = Date.parse('2026-12-09T21:30:00Z');
    expect(await runPledgeReminders(f.t.db.client, { now: f.clock.now })).toMatchObject({ queued: 3 });
    expect((await reminders()).filter((r) => r.signature === s.amina && r.payload['reminder'] === 'day')).toHaveLength(0);
  });
});

describe('imlu pledge remind', () => {
  it('queues at a given clock, once; --dry-run writes nothing; a bad --now is a usage error', async () => {
    f = await updatesFixture(PLEDGE);
    await supporters();
    const env = {
      PATH: process.env['PATH'],
      NODE_ENV: 'test',
      DATA_DIR: f.t.dir,
      DATABASE_URL: f.t.url,
      ENCRYPTION_KEY: TEST_KEYS.encryptionKey.toString('base64'),
      BLIND_INDEX_KEY: TEST_KEYS.blindIndexKey.toString('base64'),
      PUBLIC_BASE_URL: BASE,
      LOG_LEVEL: 'silent',
    };
    const imlu = async (...args: string[]) => {
      let stdout = '';
      let stderr = '';
      const code = await runCli(args, { env, stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
      return { code, stdout, stderr };
    };
    const dry = await imlu('pledge', 'remind', '--now', '2026-12-09T09:00:00+03:00', '--dry-run', '--json');
    expect(dry).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, queued: 5, now: '2026-12-09T06:00:00.000Z' });
    expect(await reminders()).toHaveLength(0);
    const real = await imlu('pledge', 'remind', '--now', '2026-12-09T09:00:00+03:00');
    expect(real.code).toBe(0);
    expect(real.stdout).toContain('test-campaign action 1 (2026-12-10T06:00:00.000Z), the day before: queued 1 e-mail, 1 SMS');
    expect(real.stdout).toContain('queued 5 reminders in all');
    expect(await reminders()).toHaveLength(5);
    expect((await imlu('pledge', 'remind', '--now', '2026-12-09T10:00:00+03:00')).stdout).toContain('queued 0 reminders in all');
    expect((await imlu('pledge', 'remind', '--now', 'tomorrow')).code).toBe(2);
    expect((await imlu('pledge', 'remind', '--help')).stdout).toContain('imlu pledge remind --dry-run');
  });
});
