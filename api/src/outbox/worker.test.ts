/**
 * The outbox worker on a real database: claiming, backoff with jitter, giving up, leases, and restarts
 * (a message committed before a crash is sent by the next process).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { smtpTransport } from '../messages/email.ts';
import { createTestApi, TEST_KEYS, validSignature, type TestApi } from '../../test/helpers.ts';
import { startTestSmtp, type TestSmtp } from '../../test/smtp.ts';
import { DeliveryError, OutboxWorker, retryDelay, type OutboxMessage } from './worker.ts';

let t: TestApi;
let now: number;

beforeEach(async () => {
  now = Date.UTC(2026, 10, 27, 9, 0, 0);
  t = await createTestApi({ campaign: { verification: 'email' }, clock: () => now });
});
afterEach(async () => {
  await t.close();
});

const sign = (email: string) => t.sign(validSignature({ email, phone: undefined }));

async function rows() {
  return (await t.db.client.execute('SELECT id, status, attempts, next_attempt_at, locked_until, last_error, payload FROM outbox ORDER BY id')).rows;
}

function worker(handler: (message: OutboxMessage) => Promise<'sent' | 'skipped'>, options: Partial<ConstructorParameters<typeof OutboxWorker>[1]> = {}) {
  return new OutboxWorker(t.db.client, { handlers: { 'confirm-email': handler }, clock: () => now, random: () => 0, ...options });
}

describe('retryDelay', () => {
  it('doubles from the base, caps at the maximum, and jitters over the upper half', () => {
    const at = (attempt: number, r: number) => retryDelay(attempt, { baseDelayMs: 1000, maxDelayMs: 10_000, random: () => r });
    expect([1, 2, 3, 4, 5, 6].map((a) => at(a, 1))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect([1, 2, 3, 4, 5].map((a) => at(a, 0))).toEqual([500, 1000, 2000, 4000, 5000]);
    expect(at(3, 0.5)).toBe(3000);
  });
});

describe('OutboxWorker', () => {
  it('sends due messages once and records them as sent', async () => {
    await sign('a@example.org');
    await sign('b@example.org');
    const seen: OutboxMessage[] = [];
    const w = worker(async (m) => (seen.push(m), 'sent'));
    expect(await w.runOnce()).toMatchObject({ claimed: 2, sent: 2 });
    expect(seen.map((m) => m.attempt)).toEqual([1, 1]);
    expect(seen.every((m) => m.payload.to?.startsWith('v2.') && m.payload.locale === 'en')).toBe(true);
    expect(await w.runOnce()).toMatchObject({ claimed: 0 });
    expect((await rows()).map((r) => r.status)).toEqual(['sent', 'sent']);
  });

  it('retries a failure after a growing, jittered delay; a confirmation whose retries run out stalls, its payload emptied', async () => {
    await sign('a@example.org');
    let calls = 0;
    const w = worker(
      async () => {
        calls++;
        throw new DeliveryError('smtp-421', false);
      },
      { baseDelayMs: 1000, maxDelayMs: 60_000, maxAttempts: 3, random: () => 0.5, stalledProbeMs: 3_600_000 },
    );
    expect(await w.runOnce()).toMatchObject({ retried: 1 });
    expect((await rows())[0]).toMatchObject({ status: 'pending', attempts: 1, next_attempt_at: now + 750, last_error: 'smtp-421' });
    // Not due yet.
    now += 749;
    expect(await w.runOnce()).toMatchObject({ claimed: 0 });
    now += 1;
    expect(await w.runOnce()).toMatchObject({ retried: 1 });
    expect((await rows())[0]).toMatchObject({ attempts: 2, next_attempt_at: now + 1500 });
    now += 1500;
    expect(await w.runOnce()).toMatchObject({ stalled: 1, failed: 0 });
    expect((await rows())[0]).toMatchObject({ status: 'stalled', attempts: 3, payload: '{}', last_error: 'smtp-421' });
    // Nothing more until the provider is back or the probe is due.
    now += 60_000;
    expect(await w.runOnce()).toMatchObject({ claimed: 0 });
    expect(calls).toBe(3);
  });

  it('a permanent refusal fails at once; so does any other kind whose retries run out', async () => {
    await sign('a@example.org');
    const refused = worker(async () => {
      throw new DeliveryError('smtp-550', true);
    });
    expect(await refused.runOnce()).toMatchObject({ failed: 1, stalled: 0 });
    expect((await rows())[0]).toMatchObject({ status: 'failed', payload: '{}', last_error: 'smtp-550' });

    await t.db.client.execute({
      sql: "INSERT INTO outbox (id, kind, campaign_id, payload, status, attempts, next_attempt_at, created_at) VALUES ('w1', 'webhook', ?, '{}', 'pending', 0, ?, ?)",
      args: [t.campaignId, now, now],
    });
    const hooks = new OutboxWorker(t.db.client, {
      handlers: {
        webhook: async () => {
          throw new DeliveryError('http-503', false);
        },
      },
      clock: () => now,
      maxAttempts: 1,
    });
    expect(await hooks.runOnce()).toMatchObject({ failed: 1, stalled: 0 });
  });

  it('treats an unexpected error as transient and logs its class, not its message', async () => {
    await sign('a@example.org');
    const w = worker(async () => {
      throw new TypeError('a@example.org is weird');
    });
    await w.runOnce();
    expect((await rows())[0]).toMatchObject({ status: 'pending', last_error: 'TypeError' });
  });

  it('leaves messages of a kind it cannot send in the queue', async () => {
    await sign('a@example.org');
    const smsOnly = new OutboxWorker(t.db.client, { handlers: { 'confirm-sms': async () => 'sent' }, clock: () => now });
    expect(await smsOnly.runOnce()).toMatchObject({ claimed: 0 });
    expect((await rows())[0]).toMatchObject({ status: 'pending' });
  });

  it('takes back a message whose worker died mid-send once the lease has run out, never before', async () => {
    await sign('a@example.org');
    // A worker claims the message and "crashes" while sending: its handler never settles.
    const crashed = worker(() => new Promise<'sent'>(() => {}), { leaseMs: 60_000 });
    void crashed.runOnce();
    await expect.poll(async () => (await rows())[0]!.status).toBe('sending');

    const survivor = worker(async () => 'sent', { leaseMs: 60_000 });
    expect(await survivor.runOnce()).toMatchObject({ claimed: 0 });
    now += 60_000;
    expect(await survivor.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    expect((await rows())[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('a message committed before a crash is sent by the next process over SMTP', async () => {
    const smtp: TestSmtp = await startTestSmtp();
    try {
      expect((await sign('restart@example.org')).status).toBe(202);
      // The first process goes away without its worker ever running (its app is simply dropped).
      await t.api.close();

      const next = await createApp({
        db: t.db,
        config: { ...TEST_KEYS, allowedOrigins: [], countsMaxAge: 10 },
        clock: () => now,
        mail: smtpTransport({ url: smtp.url, from: 'IMLU <no-reply@imlu.example>' }),
      });
      try {
        expect(await next.outbox.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
        const [mail] = await smtp.waitFor(1);
        expect(mail!.to).toMatchObject({ value: [{ address: 'restart@example.org' }] });
      } finally {
        await next.close();
      }
    } finally {
      await smtp.stop();
    }
  });

  it('runs in the background once started, woken by a commit, and stops gracefully', async () => {
    const sent: string[] = [];
    const background = worker(async (m) => (sent.push(m.id), 'sent'), { pollMs: 60_000 });
    background.start();
    try {
      await sign('a@example.org');
      // The long poll interval would not pick it up in time: the wake-up comes from notify().
      background.notify();
      await expect.poll(() => sent.length).toBe(1);
    } finally {
      await background.stop();
    }
    await sign('b@example.org');
    background.notify();
    expect((await rows()).map((r) => r.status).sort()).toEqual(['pending', 'sent']);
  });
});
