/**
 * Every statement on the signing, confirmation and counts paths uses an index (issue 15).
 *
 * A scan of a growing table costs nothing on a test database and everything at a million rows: the
 * idempotency read-back once matched `(campaign_id, key_hmac) IN (VALUES …)`, which SQLite answered with a
 * search on `campaign_id` alone — 0.3 ms at 20k keys, 190 ms at 1M. So this test does not time anything:
 * it records every SQL text those paths really run (through the app, against a real database), adds every
 * statement of every trigger they fire, and asks SQLite for each plan. Without `ANALYZE` statistics the
 * planner chooses the same plan at any size, so what it says here is what it does in production.
 *
 * A plan fails when it scans a growing table, or searches one only by columns that many rows share (a
 * campaign, a status, a kind): that is a scan of a campaign, which grows as well.
 */
import type { Client, InArgs, InStatement } from '@libsql/client';
import { afterEach, describe, expect, it } from 'vitest';
import { africasTalkingProvider } from '../src/messages/sms.ts';
import { startTestAfricasTalking, type TestAfricasTalking } from './africastalking.ts';
import { createTestApi, validSignature, type TestApi } from './helpers.ts';
import { createCampaign } from '../src/campaigns/create.ts';
import { OPEN_CAMPAIGN, PARTNER_ORIGIN } from './helpers.ts';
import { cliActor } from '../src/auth/actor.ts';
import { createPartnerView } from '../src/stats/partner-views.ts';

/** Tables whose rows grow with signatures, messages or time. */
const GROWING = new Set([
  'signatures',
  'signature_dedupe',
  'idempotency_keys',
  'outbox',
  'signing_attempts',
  'confirmation_attempts',
  'code_attempts',
  'altcha_spent',
  'audit_log',
  'update_events',
]);
/** Columns that many rows of a growing table share: a search by these alone reads a whole campaign. */
const SHARED = new Set(['campaign_id', 'status', 'kind', 'bucket', 'flag', 'county', 'confirm_channel', 'locale', 'consent_updates']);

interface Recorded {
  sql: string;
  args: InArgs | undefined;
}

/** Wraps the client in place so every statement drizzle or the writer sends is recorded with its arguments. */
function record(client: Client): Recorded[] {
  const seen: Recorded[] = [];
  const note = (stmt: InStatement | string, args?: InArgs) => {
    if (typeof stmt === 'string') seen.push({ sql: stmt, args });
    else seen.push({ sql: stmt.sql, args: stmt.args });
  };
  const execute = client.execute.bind(client) as (s: InStatement | string, a?: InArgs) => ReturnType<Client['execute']>;
  const batch = client.batch.bind(client);
  Object.assign(client, {
    execute: (stmt: InStatement | string, args?: InArgs) => (note(stmt, args), execute(stmt, args)),
    batch: (stmts: Array<InStatement | [string, InArgs?]>, mode?: Parameters<Client['batch']>[1]) => {
      for (const s of stmts) {
        if (Array.isArray(s)) note(s[0], s[1]);
        else note(s);
      }
      return batch(stmts, mode);
    },
  });
  return seen;
}

/** The problems in one plan: a scan of a growing table, or a search of one by shared columns only. */
export function planProblems(plan: string[]): string[] {
  const problems: string[] = [];
  for (const line of plan) {
    const scan = /^SCAN (\w+)/.exec(line);
    if (scan && GROWING.has(scan[1]!)) problems.push(line);
    const search = /^SEARCH (\w+)(?: AS \w+)? USING (?:COVERING |INTEGER PRIMARY KEY|PRIMARY KEY|AUTOMATIC )?(?:INDEX \w+ )?\((.*)\)/.exec(line);
    if (search && GROWING.has(search[1]!)) {
      const columns = search[2]!.split(' AND ').map((c) => c.replace(/[=<>?\s]+.*$/, '').trim());
      if (columns.every((c) => SHARED.has(c))) problems.push(line);
    }
    if (/AUTOMATIC (?:COVERING )?INDEX/.test(line)) problems.push(line);
  }
  return problems;
}

async function plan(client: Client, sql: string, args: InArgs | undefined): Promise<string[]> {
  const result = await client.execute({ sql: `EXPLAIN QUERY PLAN ${sql}`, args: args ?? [] });
  return result.rows.map((row) => String(row[3]));
}

/**
 * The statements of every trigger, runnable on their own: `NEW.x` and `OLD.x` become parameters and
 * `RAISE(…)` a NULL (both exist only inside a trigger), so SQLite can plan each as the trigger runs it.
 */
async function triggerStatements(client: Client): Promise<Array<{ trigger: string; sql: string; args: null[] }>> {
  const triggers = await client.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'");
  const out: Array<{ trigger: string; sql: string; args: null[] }> = [];
  for (const row of triggers.rows) {
    const name = String(row[0]);
    const body = /\bBEGIN\b([\s\S]*)\bEND\s*;?\s*$/i.exec(String(row[1]))?.[1] ?? '';
    for (const statement of splitStatements(body)) {
      let params = 0;
      const sql = statement
        .replace(/\bRAISE\s*\((?:[^()']|'[^']*')*\)/gi, 'NULL')
        .replace(/\b(?:NEW|OLD)\.(?:"[^"]+"|`[^`]+`|\w+)/gi, () => (params++, '?'));
      out.push({ trigger: name, sql, args: Array.from({ length: params }, () => null) });
    }
  }
  return out;
}

/** Splits a trigger body at the semicolons outside strings, comments and parentheses. */
function splitStatements(body: string): string[] {
  const statements: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === "'") i = body.indexOf("'", i + 1);
    else if (c === '-' && body[i + 1] === '-') i = body.indexOf('\n', i);
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ';' && depth === 0) {
      statements.push(body.slice(start, i).trim());
      start = i + 1;
    }
    if (i < 0) break;
  }
  statements.push(body.slice(start).trim());
  return statements.filter(Boolean);
}

let t: TestApi | undefined;
let at: TestAfricasTalking | undefined;
afterEach(async () => {
  await t?.close();
  await at?.stop();
  t = undefined;
  at = undefined;
});

describe('query plans of the signing, confirmation and counts paths', () => {
  it('recognises the plans it must refuse', () => {
    expect(planProblems(['SCAN signatures'])).toHaveLength(1);
    expect(planProblems(['SEARCH idempotency_keys USING INDEX idempotency_keys_campaign_key_unique (campaign_id=?)'])).toHaveLength(1);
    expect(planProblems(['SEARCH signatures AS s USING INDEX signatures_campaign_status (campaign_id=? AND status=?)'])).toHaveLength(1);
    expect(planProblems(['SEARCH idempotency_keys USING INDEX idempotency_keys_campaign_key_unique (campaign_id=? AND key_hmac=?)'])).toHaveLength(0);
    expect(planProblems(['SEARCH signatures USING INDEX sqlite_autoindex_signatures_1 (id=?)'])).toHaveLength(0);
    expect(planProblems(['SEARCH outbox USING INDEX outbox_contact_idx (campaign_id=? AND contact_hmac=? AND created_at>?)'])).toHaveLength(0);
    expect(planProblems(['SCAN campaigns'])).toHaveLength(0);
  });

  it('uses an index for every statement they run and every trigger they fire', async () => {
    at = await startTestAfricasTalking();
    t = await createTestApi({
      campaign: { verification: 'sms' },
      publicBaseUrl: 'https://sign.imlu.example',
      sms: africasTalkingProvider({ username: at.username, apiKey: at.apiKey, from: 'IMLU', baseUrl: at.baseUrl }),
      outbox: { random: () => 1 },
      rateLimits: { trustProxy: true },
    });
    await createCampaign(t.db, { ...OPEN_CAMPAIGN, slug: 'by-email', verification: 'email' });
    await createCampaign(t.db, { ...OPEN_CAMPAIGN, slug: 'no-confirm', verification: 'none' });
    const seen = record(t.db.client);
    const from = { 'X-Forwarded-For': '203.0.113.9' };

    // Signing: new, duplicate, retried with the same key, on campaigns that confirm by SMS, by e-mail, not at all.
    for (const slug of [t.slug, 'by-email', 'no-confirm']) {
      const body = validSignature({ phone: '0712345678', email: 'wanjiru@example.org' });
      expect((await t.sign(body, { ...from, 'Idempotency-Key': `k-${slug}` }, slug)).status).toBeLessThan(300);
      expect((await t.sign(body, { ...from, 'Idempotency-Key': `k-${slug}` }, slug)).status).toBeLessThan(300);
      expect((await t.sign(body, from, slug)).status).toBeLessThan(300);
      expect((await t.sign(validSignature({ phone: '0722000111', email: 'akinyi@example.org', name: 'Akinyi Otieno' }), from, slug)).status).toBeLessThan(300);
    }
    const signed = (await (await t.sign(validSignature({ phone: '0733000222', name: 'Baraka Mwangi' }), from)).json()) as {
      confirmation: { handle: string };
    };
    // Confirmation: the outbox sends, a wrong code, the right code, a resend, the link page and its button.
    await t.api.outbox.runOnce();
    const sms = at.sent.at(-1)!.message;
    const code = /\b(\d{6})\b/.exec(sms)![1]!;
    const link = /https:\S+/.exec(sms)![0].slice('https://sign.imlu.example'.length);
    const confirm = (c: string) =>
      t!.request(`/v1/campaigns/${t!.slug}/confirmations`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...from }, body: JSON.stringify({ handle: signed.confirmation.handle, code: c }) });
    await confirm(String((Number(code) + 1) % 1_000_000).padStart(6, '0'));
    await t.request(`/v1/campaigns/${t.slug}/confirmations/resend`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...from }, body: JSON.stringify({ handle: signed.confirmation.handle }) });
    expect((await t.request(link)).status).toBe(200);
    await t.request(link, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin' }, body: '' });
    await confirm(code);
    // Counts: the public route and the snapshot's refresh from the database.
    for (const slug of [t.slug, 'by-email', 'no-confirm']) expect((await t.request(`/v1/campaigns/${slug}/counts`)).status).toBe(200);
    await t.api.services.counts.refresh();

    const statements = new Map<string, Recorded>();
    for (const r of seen) if (!/^\s*(PRAGMA|EXPLAIN|BEGIN|COMMIT|ROLLBACK)/i.test(r.sql)) statements.set(r.sql, r);
    expect(statements.size).toBeGreaterThan(10);
    const failures: string[] = [];
    for (const { sql, args } of statements.values()) {
      const problems = planProblems(await plan(t.db.client, sql, args));
      if (problems.length) failures.push(`${problems.join('; ')}\n    in: ${sql.slice(0, 300)}`);
    }
    const triggers = await triggerStatements(t.db.client);
    expect(triggers.length).toBeGreaterThan(5);
    for (const { trigger, sql, args } of triggers) {
      const problems = planProblems(await plan(t.db.client, sql, args));
      if (problems.length) failures.push(`${problems.join('; ')}\n    in trigger ${trigger}: ${sql.slice(0, 300)}`);
    }
    expect(failures).toEqual([]);
  });

  it("reads signatures for the console's figures by (campaign_id, created_at) within a time range", async () => {
    const admin = 'plans-admin';
    t = await createTestApi({ adminToken: admin, rateLimits: { trustProxy: true } });
    for (let i = 0; i < 3; i++) {
      const body = validSignature({ phone: `07220001${i}0`, name: `Signer ${i}`, source: 'newsletter' });
      expect((await t.sign(body, { Origin: PARTNER_ORIGIN, 'Idempotency-Key': `plan-${i}`, 'X-Forwarded-For': `203.0.113.${i}` })).status).toBeLessThan(300);
    }
    const { token } = await createPartnerView(t.db, { campaignId: t.campaignId, origin: PARTNER_ORIGIN, actor: cliActor(), now: Date.now() });
    const seen = record(t.db.client);
    const get = (path: string) => t!.request(path, { headers: { Authorization: `Bearer ${admin}` } });
    expect((await get(`/admin/campaigns/${t.slug}/stats/daily?from=2026-12-01&to=2026-12-06`)).status).toBe(200);
    expect((await get(`/admin/campaigns/${t.slug}/stats/counties`)).status).toBe(200);
    expect((await get(`/admin/campaigns/${t.slug}/stats/partners`)).status).toBe(200);
    expect((await get(`/admin/campaigns/${t.slug}/stats/partners?from=2026-12-01&to=2026-12-06&origin=x`)).status).toBe(200);
    expect((await t.request(`/v1/partner-stats/${token}`)).status).toBe(200);

    const reading = [...new Map(seen.filter((r) => /\bFROM signatures\b/i.test(r.sql)).map((r) => [r.sql, r])).values()];
    expect(reading.length).toBeGreaterThanOrEqual(2);
    const failures: string[] = [];
    for (const { sql, args } of [...new Map(seen.filter((r) => !/^\s*(PRAGMA|EXPLAIN|BEGIN|COMMIT|ROLLBACK)/i.test(r.sql)).map((r) => [r.sql, r])).values()]) {
      const lines = await plan(t.db.client, sql, args);
      const problems = planProblems(lines);
      // A whole campaign is never read at once: the figures read a range of days (the partners' "whole
      // campaign" is the range from 0 to the end of time, by the same index: an admin view, not a public one).
      if (/\bFROM signatures\b/i.test(sql) && !lines.some((l) => /^SEARCH signatures USING INDEX signatures_campaign_created_idx \(campaign_id=\? AND created_at>\? AND created_at<\?\)/.test(l))) {
        problems.push(`not by (campaign_id, created_at): ${lines.join('; ')}`);
      }
      if (problems.length) failures.push(`${problems.join('; ')}\n    in: ${sql.slice(0, 300)}`);
    }
    expect(failures).toEqual([]);
  });
});
