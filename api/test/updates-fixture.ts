/**
 * A campaign with real supporters for the tests of updates (src/updates): an app on a fresh database with a
 * fixed clock, mail over the real SMTP test server, SMS through the Africa's Talking adapter against the
 * local fake, and signers who sign and confirm through the real routes — by the link in their e-mail or the
 * code in their SMS.
 */
import { expect } from 'vitest';
import type { NewCampaign } from '../src/campaigns/create.ts';
import { smtpTransport } from '../src/messages/email.ts';
import { africasTalkingProvider } from '../src/messages/sms.ts';
import { startTestAfricasTalking, type TestAfricasTalking } from './africastalking.ts';
import { createTestApi, validSignature, type TestApi } from './helpers.ts';
import { linkIn, startTestSmtp, type TestSmtp } from './smtp.ts';

export const BASE = 'https://sign.imlu.example';
export const ADMIN = 'test-admin-token-for-updates-0123456789';
/** Wednesday 9 December 2026, 09:00 in Nairobi (06:00 UTC). */
export const MORNING = Date.parse('2026-12-09T06:00:00Z');
export const HOUR = 60 * 60 * 1000;

export interface UpdatesFixture {
  t: TestApi;
  smtp: TestSmtp;
  at: TestAfricasTalking;
  clock: { now: number };
  admin(method: string, path: string, body?: unknown): Promise<Response>;
  /** Signs with an e-mail and confirms by the link in the confirmation e-mail. Returns the signature id. */
  confirmedByEmail(email: string, extra?: Record<string, unknown>, slug?: string): Promise<string>;
  /** Signs with a phone and confirms by the code in the confirmation SMS. Returns the signature id. */
  confirmedBySms(phone: string, extra?: Record<string, unknown>, slug?: string): Promise<string>;
  /** Records a position of a new (or given) target on all asked demands, through the admin API. */
  recordPosition(status: string, options?: { targetId?: string; name?: string; statement?: string; slug?: string }): Promise<string>;
  /** Fans out every event and sends every due update; returns what the updates' outbox did. */
  deliver(): Promise<{ queued: number; sent: number; skipped: number; deferred: number }>;
  close(): Promise<void>;
}

export async function updatesFixture(campaign: Partial<NewCampaign> = {}, options: { pageSize?: number } = {}): Promise<UpdatesFixture> {
  const clock = { now: MORNING };
  const smtp = await startTestSmtp();
  const at = await startTestAfricasTalking();
  const t = await createTestApi({
    campaign: { verification: 'either', updates: { events: ['position', 'milestone', 'closed'], link: null }, ...campaign },
    adminToken: ADMIN,
    clock: () => clock.now,
    publicBaseUrl: BASE,
    mail: smtpTransport({ url: smtp.url, from: 'IMLU Campaigns <no-reply@imlu.example>' }),
    sms: africasTalkingProvider({ username: at.username, apiKey: at.apiKey, from: '22384', baseUrl: at.baseUrl }),
    outbox: { random: () => 1 },
    updates: { smsReplyStop: true, fanout: { pageSize: options.pageSize ?? 250 } },
  });
  const admin = (method: string, path: string, body?: unknown) =>
    t.request(path, {
      method,
      headers: { Authorization: `Bearer ${ADMIN}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const signatureIdOf = async (slug: string) =>
    String(
      (
        await t.db.client.execute({
          sql: 'SELECT s.id FROM signatures s JOIN campaigns c ON c.id = s.campaign_id WHERE c.slug = ? ORDER BY s.created_at DESC, s.rowid DESC LIMIT 1',
          args: [slug],
        })
      ).rows[0]![0],
    );
  let targetCount = 0;
  return {
    t,
    smtp,
    at,
    clock,
    admin,
    async confirmedByEmail(email, extra = {}, slug = t.slug) {
      const signed = await t.sign(validSignature({ email, phone: undefined, consent: { terms: true, updates: true }, ...extra }), {}, slug);
      expect(signed.status).toBe(202);
      const id = await signatureIdOf(slug);
      const before = smtp.received.length;
      expect(await t.api.outbox.runOnce()).toMatchObject({ sent: 1 });
      const [mail] = (await smtp.waitFor(before + 1)).slice(before);
      const path = linkIn(mail!).slice(BASE.length);
      const confirmed = await t.request(path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin' },
        body: '',
      });
      expect(confirmed.status).toBe(200);
      return id;
    },
    async confirmedBySms(phone, extra = {}, slug = t.slug) {
      const signed = await t.sign(validSignature({ phone, consent: { terms: true, updates: true }, ...extra }), {}, slug);
      expect(signed.status).toBe(202);
      const { confirmation } = (await signed.json()) as { confirmation: { handle: string } };
      const id = await signatureIdOf(slug);
      const before = at.sent.length;
      expect(await t.api.outbox.runOnce()).toMatchObject({ sent: 1 });
      const code = /\b(\d{6})\b/.exec(at.sent[before]!.message)![1]!;
      const confirmed = await t.request(`/v1/campaigns/${slug}/confirmations`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ handle: confirmation.handle, code }),
      });
      expect(confirmed.status).toBe(200);
      return id;
    },
    async recordPosition(status, options = {}) {
      const slug = options.slug ?? t.slug;
      let targetId = options.targetId;
      if (!targetId) {
        const created = await admin('POST', '/admin/targets', { name: options.name ?? `Inspector-General of Police${targetCount++ ? ` ${targetCount}` : ''}`, jurisdiction: { level: 'national' } });
        expect(created.status).toBe(201);
        targetId = ((await created.json()) as { id: string }).id;
        expect((await admin('PUT', `/admin/campaigns/${slug}/asks/${targetId}`, { demandIds: 'all', askedOn: '2026-12-01' })).status).toBe(201);
      }
      const recorded = await admin('POST', `/admin/campaigns/${slug}/positions`, {
        targetId,
        demandIds: 'all-asked',
        status,
        ...(options.statement ? { statement: options.statement } : {}),
      });
      expect(recorded.status).toBe(201);
      return targetId;
    },
    async deliver() {
      const { queued } = await t.api.updates.fanout.drain();
      const total = { queued, sent: 0, skipped: 0, deferred: 0 };
      for (;;) {
        const round = await t.api.updates.outbox.runOnce();
        total.sent += round.sent;
        total.skipped += round.skipped;
        total.deferred += round.deferred;
        if (!round.claimed) return total;
      }
    },
    async close() {
      await t.close();
      await smtp.stop();
      await at.stop();
    },
  };
}

/** A header of a received message as it was on the wire (mailparser folds `List-*` headers into an object). */
export function rawHeader(mail: { headerLines: readonly { key: string; line: string }[] }, name: string): string | undefined {
  const line = mail.headerLines.find((h) => h.key === name.toLowerCase())?.line;
  return line?.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
}
