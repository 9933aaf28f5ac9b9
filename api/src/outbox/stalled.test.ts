/**
 * A provider outage longer than the retry schedule, on the real worker and a real SMTP server (stopped
 * for the outage): the confirmations stall instead of failing, go out once the provider takes a message
 * again (or a probe finds it back), their links confirm, and campaigners see and re-send them (admin API,
 * `imlu outbox`).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { runCli } from '../cli/main.ts';
import { smtpTransport } from '../messages/email.ts';
import { createTestApi, storedCounts, TEST_KEYS, validSignature, type TestApi } from '../../test/helpers.ts';
import { linkIn, startTestSmtp, type TestSmtp } from '../../test/smtp.ts';
import { CONFIRMATION_LINK_TTL_MS } from '../confirm/state.ts';

const BASE = 'https://api.imlu.example';
const ADMIN = 'stalled-test-admin-token-0123456789';
const PROBE_MS = 600_000;
let t: TestApi;
let smtp: TestSmtp;
let now: number;

beforeEach(async () => {
  now = Date.UTC(2026, 10, 27, 9, 0, 0);
  smtp = await startTestSmtp();
  t = await createTestApi({
    campaign: { verification: 'email' },
    clock: () => now,
    publicBaseUrl: BASE,
    adminToken: ADMIN,
    mail: smtpTransport({ url: smtp.url, from: 'IMLU <no-reply@imlu.example>', timeouts: { connection: 2, greeting: 2, socket: 5 } }),
    // Two attempts a second apart stand for the 12 over hours in production.
    outbox: { random: () => 1, baseDelayMs: 1000, maxDelayMs: 1000, maxAttempts: 2, stalledProbeMs: PROBE_MS },
  });
});
afterEach(async () => {
  await t.close();
  await smtp.stop().catch(() => {});
});

const sign = (email: string) => t.sign(validSignature({ email, phone: undefined, name: `Signer ${email.split('@')[0]}` }));
const admin = (path: string, init: RequestInit = {}) =>
  t.request(path, { ...init, headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json', ...init.headers } });
const statuses = async () =>
  Object.fromEntries(
    (await t.db.client.execute("SELECT s.email_enc, o.status FROM outbox o JOIN signatures s ON s.id = o.signature_id WHERE o.kind = 'confirm-email'")).rows.map(
      (row) => [t.api.services.crypto.decrypt(String(row[0]), t.campaignId, 'email'), String(row[1])],
    ),
  );

/** Runs the worker through its retries while the SMTP server is down: the message stalls. */
async function stallDuringOutage(...emails: string[]) {
  await smtp.stop();
  for (const email of emails) expect((await sign(email)).status).toBe(202);
  expect(await t.api.outbox.runOnce()).toMatchObject({ retried: emails.length });
  now += 1000;
  expect(await t.api.outbox.runOnce()).toMatchObject({ stalled: emails.length });
  expect(Object.values(await statuses())).toEqual(emails.map(() => 'stalled'));
}

/** Presses the confirm button behind a link from a message. */
function confirm(link: string) {
  return t.request(link.slice(BASE.length), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin' },
    body: '',
  });
}

describe('stalled confirmations', () => {
  it('go out once the provider takes a message again, and their links confirm', async () => {
    await stallDuringOutage('a@example.org', 'b@example.org');
    // Retries have run out: nothing more happens while the provider is down.
    now += 60_000;
    expect(await t.api.outbox.runOnce()).toMatchObject({ claimed: 0 });

    await smtp.restart();
    expect((await sign('c@example.org')).status).toBe(202);
    expect(await t.api.outbox.runOnce()).toMatchObject({ sent: 1, revived: 2 });
    expect(await t.api.outbox.runOnce()).toMatchObject({ sent: 2 });
    const mails = await smtp.waitFor(3);
    expect(mails.map((m) => m.to && !Array.isArray(m.to) && m.to.value[0]!.address).sort()).toEqual(['a@example.org', 'b@example.org', 'c@example.org']);
    expect(await statuses()).toEqual({ 'a@example.org': 'sent', 'b@example.org': 'sent', 'c@example.org': 'sent' });
    // Sent once each: nothing duplicated.
    expect(await t.api.outbox.runOnce()).toMatchObject({ claimed: 0 });

    const stalledMail = mails.find((m) => !Array.isArray(m.to) && m.to?.value[0]!.address === 'a@example.org')!;
    expect((await confirm(linkIn(stalledMail))).status).toBe(200);
    expect(await storedCounts(t.db)).toMatchObject({ counted: 1, pending: 2 });
  });

  it('with no other message flowing, a probe finds the provider back, and the rest follow', async () => {
    await stallDuringOutage('a@example.org', 'b@example.org');
    now += PROBE_MS;
    // Still down: the probe's one try stalls it again at once.
    expect(await t.api.outbox.runOnce()).toMatchObject({ revived: 1, claimed: 1, stalled: 1 });
    expect(Object.values(await statuses())).toEqual(['stalled', 'stalled']);
    now += 1000;
    expect(await t.api.outbox.runOnce()).toMatchObject({ claimed: 0 });

    await smtp.restart();
    now += PROBE_MS;
    expect(await t.api.outbox.runOnce()).toMatchObject({ claimed: 1, sent: 1, revived: 2 });
    expect(await t.api.outbox.runOnce()).toMatchObject({ sent: 1 });
    expect(await smtp.waitFor(2)).toHaveLength(2);
    expect(await statuses()).toEqual({ 'a@example.org': 'sent', 'b@example.org': 'sent' });
  });

  it('another node, which stalled nothing itself, finds them with its first probe', async () => {
    await stallDuringOutage('a@example.org', 'b@example.org');
    await smtp.restart();
    const other = await createApp({
      db: t.db,
      config: { ...TEST_KEYS, allowedOrigins: [], countsMaxAge: 10 },
      clock: () => now,
      publicBaseUrl: BASE,
      mail: smtpTransport({ url: smtp.url, from: 'IMLU <no-reply@imlu.example>' }),
      outbox: { stalledProbeMs: PROBE_MS },
    });
    try {
      expect(await other.outbox.runOnce()).toMatchObject({ claimed: 1, sent: 1, revived: 2 });
      expect(await other.outbox.runOnce()).toMatchObject({ sent: 1 });
    } finally {
      await other.close();
    }
    expect(await statuses()).toEqual({ 'a@example.org': 'sent', 'b@example.org': 'sent' });
  });

  it('one whose link expired meanwhile is not sent: failed, link-expired', async () => {
    await stallDuringOutage('a@example.org');
    await smtp.restart();
    now += CONFIRMATION_LINK_TTL_MS;
    expect((await sign('late@example.org')).status).toBe(202);
    expect(await t.api.outbox.runOnce()).toMatchObject({ sent: 1, revived: 0 });
    expect(await statuses()).toEqual({ 'a@example.org': 'failed', 'late@example.org': 'sent' });
    const [row] = (await t.db.client.execute("SELECT last_error, payload FROM outbox WHERE status = 'failed'")).rows;
    expect(row).toMatchObject({ last_error: 'link-expired', payload: '{}' });
  });
});

describe('campaigners see and re-send them', () => {
  it('GET /admin/outbox counts per kind and status and lists what did not go out; POST /admin/outbox/retry re-sends, audited', async () => {
    await stallDuringOutage('a@example.org');
    smtp.rejectRecipients.add('refused@example.org');
    await smtp.restart();
    expect((await sign('refused@example.org')).status).toBe(202);
    // The refusal proves nothing about the provider being back for the stalled one: only a sent message does.
    expect(await t.api.outbox.runOnce()).toMatchObject({ failed: 1, revived: 0 });

    const listed = await admin(`/admin/outbox?campaign=${t.slug}`);
    expect(listed.status).toBe(200);
    const report = (await listed.json()) as { counts: Record<string, Record<string, number>>; messages: Record<string, unknown>[] };
    expect(report.counts['confirm-email']).toEqual({ pending: 0, sending: 0, sent: 0, skipped: 0, stalled: 1, failed: 1 });
    expect(report.messages).toEqual([
      expect.objectContaining({ kind: 'confirm-email', campaign: t.slug, status: 'failed', attempts: 1, lastError: 'smtp-550' }),
      expect.objectContaining({ kind: 'confirm-email', campaign: t.slug, status: 'stalled', attempts: 2, lastError: expect.any(String) }),
    ]);
    expect(JSON.stringify(report)).not.toContain('example.org');
    expect((await admin('/admin/outbox?status=stalled')).status).toBe(200);
    expect((await admin('/admin/outbox?campaign=no-such-campaign')).status).toBe(404);
    expect((await admin('/admin/outbox?status=sent')).status).toBe(422);
    expect((await t.request('/admin/outbox')).status).toBe(404);

    smtp.rejectRecipients.clear();
    const retried = await admin('/admin/outbox/retry', { method: 'POST', body: JSON.stringify({ campaign: t.slug, includeFailed: true }) });
    expect([retried.status, await retried.json()]).toEqual([200, { requeued: 2, expired: 0 }]);
    expect((await admin('/admin/outbox/retry', { method: 'POST', body: JSON.stringify({ everything: true }) })).status).toBe(422);
    expect(await t.api.outbox.runOnce()).toMatchObject({ sent: 2 });
    expect(await statuses()).toEqual({ 'a@example.org': 'sent', 'refused@example.org': 'sent' });
    const audit = await t.db.client.execute("SELECT actor, row_count, details FROM audit_log WHERE action = 'outbox.retried'");
    expect(audit.rows).toHaveLength(1);
    expect(JSON.parse(String(audit.rows[0]!['details']))).toEqual({ includeFailed: true, requeued: 2, expired: 0 });
  });

  it('imlu outbox list shows them; imlu outbox retry re-sends them', async () => {
    // The CLI reads the wall clock: sign at it, so the link has not expired when the CLI looks.
    now = Date.now();
    await stallDuringOutage('a@example.org');
    const io = () => {
      const out = { stdout: '', stderr: '' };
      return {
        out,
        io: {
          env: {
            NODE_ENV: 'test',
            DATA_DIR: t.dir,
            DATABASE_URL: t.url,
            ENCRYPTION_KEY: TEST_KEYS.encryptionKey.toString('base64'),
            BLIND_INDEX_KEY: TEST_KEYS.blindIndexKey.toString('base64'),
            LOG_LEVEL: 'silent',
          },
          stdout: { write: (text: string) => (out.stdout += text) },
          stderr: { write: (text: string) => (out.stderr += text) },
        },
      };
    };
    const list = io();
    expect(await runCli(['outbox', 'list', '--campaign', t.slug], list.io)).toBe(0);
    expect(list.out.stdout).toMatch(/confirm-email\s+0\s+0\s+0\s+0\s+1\s+0/);
    expect(list.out.stdout).toContain('1 confirmation stalled');
    expect(list.out.stdout).toMatch(/stalled\s+2\s+\S+/);
    expect(list.out.stdout).not.toContain('example.org');
    expect(await runCli(['outbox', 'list', '--status', 'sent'], io().io)).toBe(2);

    await smtp.restart();
    const retry = io();
    expect(await runCli(['outbox', 'retry'], retry.io)).toBe(0);
    expect(retry.out.stdout).toContain('queued 1 message again');
    expect(await t.api.outbox.runOnce()).toMatchObject({ sent: 1 });
    expect(await statuses()).toEqual({ 'a@example.org': 'sent' });
  });
});

