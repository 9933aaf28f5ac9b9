/**
 * Attendance from sign-in sheets (issue 16), by the API and by `imlu pledge attendance`, on a real
 * database: contacts in any common form match live pledges through the blind index, the kept figure moves
 * exactly once per person however many sheets (and "done" reports) name them, and the audit entry holds
 * the numbers, never a contact.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type Api } from '../app.ts';
import { createCampaign } from '../campaigns/create.ts';
import { createDb, type Db } from '../db/client.ts';
import { OPEN_CAMPAIGN, validSignature } from '../../test/helpers.ts';
import { cliEnv, runImlu } from '../../test/cli-harness.ts';
import { sayOfPledge } from './commitments.ts';
import { sheetEntries } from './attendance.ts';

const ADMIN = 'attendance-admin-token-0123456789abcdef';
const HEARING_AT = Date.UTC(2027, 0, 12, 6);
let now = Date.UTC(2027, 0, 5, 9);
let dir: string;
let env: NodeJS.ProcessEnv;
let db: Db;
let api: Api;
let campaignId: string;
let hearing: string;
const keys = { encryptionKey: randomBytes(32), blindIndexKey: randomBytes(32) };

const PEOPLE = [
  { name: 'Amina Odhiambo', phone: '0712345001' },
  { name: 'Baraka Otieno', email: 'baraka@example.org' },
  { name: 'Chebet Kiprono', phone: '0112345003' },
  { name: 'Dalmas Wekesa', email: 'dalmas@example.org' },
  { name: 'Esther Njeri', phone: '0712345005' },
];

const post = (actionId: string, contacts: unknown, token = ADMIN) =>
  api.app.request(`/admin/campaigns/attend-the-hearing/actions/${actionId}/attendance`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ contacts }),
  });

async function kept(): Promise<number> {
  const rows = await db.client.execute({ sql: 'SELECT kept FROM pledge_action_counts WHERE action_id = ?', args: [hearing] });
  return Number(rows.rows[0]?.[0] ?? 0);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'imlu-attendance-'));
  env = cliEnv(dir, keys);
  expect((await runImlu(env, 'migrate')).code).toBe(0);
  db = await createDb(env['DATABASE_URL']!);
  campaignId = await createCampaign(
    db,
    {
      ...OPEN_CAMPAIGN,
      slug: 'attend-the-hearing',
      kind: 'pledge',
      actions: [
        { title: { en: 'Attend the hearing', sw: 'Hudhuria kikao' }, place: null, county: null, startsAt: HEARING_AT, capacity: null },
        { title: { en: 'Share the petition', sw: 'Shiriki ombi' }, place: null, county: null, startsAt: null, capacity: null },
      ],
    },
    now,
  );
  hearing = String((await db.client.execute({ sql: 'SELECT id FROM pledge_actions WHERE campaign_id = ? AND position = 1', args: [campaignId] })).rows[0]![0]);
  api = await createApp({ db, clock: () => now, config: { ...keys, allowedOrigins: [], countsMaxAge: 10, adminToken: ADMIN } });
  for (const person of PEOPLE) {
    const response = await api.app.request('/v1/campaigns/attend-the-hearing/signatures', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(validSignature({ phone: undefined, ...person, actions: [hearing] })),
    });
    expect(response.status).toBe(201);
  }
  now = HEARING_AT + 3_600_000;
}, 60_000);
afterAll(async () => {
  await api?.close();
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('attendance from a sign-in sheet', () => {
  it('keeps each person once across overlapping sheets and "done" reports, and audits only numbers', async () => {
    // Amina reports "done" herself first.
    const amina = await db.client.execute({ sql: 'SELECT id FROM signatures WHERE phone_hash = ?', args: [api.services.crypto.blindIndex('phone', campaignId, '+254712345001')] });
    expect(await sayOfPledge(db.client, String(amina.rows[0]![0]), hearing, 'done', now)).toBe(true);
    expect(await kept()).toBe(1);

    const first = await post(hearing, ['+254 712 345 001', 'BARAKA@example.org ', '254112345003', '0799999999', 'nobody@example.org']);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ matched: 3, newlyKept: 2, alreadyKept: 1, notFound: 2 });
    expect(await kept()).toBe(3);

    // A second sheet overlapping the first (Baraka, Chebet, written differently) adds only Dalmas.
    const second = await post(hearing, ['baraka@example.org', '+254112345003', '0112 345 003', 'dalmas@example.org']);
    expect(await second.json()).toEqual({ matched: 3, newlyKept: 1, alreadyKept: 2, notFound: 0 });
    expect(await kept()).toBe(4);
    // The same sheet again moves nothing.
    expect(await (await post(hearing, ['baraka@example.org', '+254112345003', 'dalmas@example.org'])).json()).toEqual({ matched: 3, newlyKept: 0, alreadyKept: 3, notFound: 0 });
    expect(await kept()).toBe(4);
    const keptBy = await db.client.execute({ sql: 'SELECT kept_by, COUNT(*) FROM pledge_commitments WHERE action_id = ? AND kept_at IS NOT NULL GROUP BY 1 ORDER BY 1', args: [hearing] });
    expect(keptBy.rows.map((r) => [r[0], Number(r[1])])).toEqual([
      ['attendance', 3],
      ['signer', 1],
    ]);

    // The public figures show it at once.
    const counts = (await (await api.app.request('/v1/campaigns/attend-the-hearing/counts')).json()) as { actions: { kept: number }[] };
    expect(counts.actions[0]!.kept).toBe(4);

    const audit = await db.client.execute("SELECT subject, row_count, details FROM audit_log WHERE action = 'pledge.attendance' ORDER BY rowid");
    expect(audit.rows).toHaveLength(3);
    expect(audit.rows.map((r) => [r[0], Number(r[1])])).toEqual([
      [hearing, 2],
      [hearing, 1],
      [hearing, 0],
    ]);
    expect(JSON.parse(String(audit.rows[0]![2]))).toEqual({ actionId: hearing, contacts: 5, matched: 3, newlyKept: 2, alreadyKept: 1, notFound: 2 });
    const everything = JSON.stringify(audit.rows);
    for (const fragment of ['345001', '345003', '0799999999', 'baraka', 'dalmas', 'nobody', 'example.org']) expect(everything).not.toContain(fragment);
  });

  it('refuses a sheet with an entry that is no contact (422, nothing recorded), an unknown action (404), and no token', async () => {
    const before = await kept();
    const bad = await post(hearing, ['0712345005', 'not a contact', '']);
    expect(bad.status).toBe(422);
    expect(bad.headers.get('Content-Type')).toBe('application/problem+json');
    const problem = (await bad.json()) as { errors: { path: string; code: string }[] };
    expect(problem.errors.map((e) => e.path)).toEqual(['contacts.1', 'contacts.2']);
    expect(await kept()).toBe(before);
    expect((await post(hearing, [])).status).toBe(422);
    expect((await post(hearing, 'x')).status).toBe(422);
    expect((await post('no-such-action', ['0712345005'])).status).toBe(404);
    expect((await post(hearing, ['0712345005'], 'wrong-token-0123456789abcdef0123456789')).status).toBeGreaterThanOrEqual(401);
    expect(await kept()).toBe(before);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await (await api.app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(doc.paths['/admin/campaigns/{slug}/actions/{actionId}/attendance']?.['post']).toBeDefined();
    expect(doc.paths['/p/{token}']?.['get']).toBeDefined();
  });
});

describe('imlu pledge attendance', () => {
  it('reads a CSV sign-in sheet and records it like the API, once per person', async () => {
    const sheet = path.join(dir, 'sheet.csv');
    writeFileSync(sheet, '\uFEFFName,Phone,Email\r\n"Esther Njeri",0712 345 005,\r\nBaraka Otieno,,baraka@example.org\r\nSomeone,,someone@example.org\r\n');
    const run = await runImlu(env, 'pledge', 'attendance', 'attend-the-hearing', '1', '--file', sheet, '--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ action: 1, skipped: 0, matched: 2, newlyKept: 1, alreadyKept: 1, notFound: 1 });
    expect(run.stdout).not.toContain('example.org');
    expect(await kept()).toBe(5);

    // A bad line refuses the sheet unless skipped, naming the line, not its content.
    const list = path.join(dir, 'phones.txt');
    writeFileSync(list, '0712345005\nnot a phone\n');
    const refused = await runImlu(env, 'pledge', 'attendance', 'attend-the-hearing', '1', '--file', list);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('entries 2');
    expect(refused.stderr).not.toContain('not a phone');
    const skipped = await runImlu(env, 'pledge', 'attendance', 'attend-the-hearing', '1', '--file', list, '--skip-invalid');
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toContain('1 matched, 0 newly kept, 1 already kept, 0 not found, 1 lines skipped');
    expect((await runImlu(env, 'pledge', 'attendance', 'attend-the-hearing', '3', '--file', list)).code).toBe(2);
    expect(await kept()).toBe(5);
  });

  it('`imlu campaign apply` refuses to remove an action someone pledged, saying why (exit 2)', async () => {
    const doc = path.join(dir, 'campaign.json');
    const { campaignDocument } = await import('../campaigns/input.ts');
    const current = (await campaignDocument(db, 'attend-the-hearing'))!;
    writeFileSync(doc, JSON.stringify({ ...current, actions: [] }));
    const refused = await runImlu(env, 'campaign', 'apply', doc);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('Supporters have pledged action 1, so it cannot be removed');
    expect(refused.stderr).toContain('(actions.0)');
    expect(Number((await db.client.execute({ sql: 'SELECT COUNT(*) FROM pledge_actions WHERE campaign_id = ?', args: [campaignId] })).rows[0]![0])).toBe(2);
  });

  it('reads sheets: one contact a line, or the phone/e-mail column of a CSV', () => {
    expect(sheetEntries('0712345001\n\n a@b.org \n')).toEqual(['0712345001', 'a@b.org']);
    expect(sheetEntries('jina;simu\nAmina;0712345001\n')).toEqual(['0712345001']);
    expect(sheetEntries('name,phone,email\nA,,a@b.org\nB,0712345001,b@b.org\nC,junk,\n')).toEqual(['a@b.org', '0712345001', 'junk']);
    // A spreadsheet quotes a cell holding the separator: the columns stay where they are.
    expect(sheetEntries('name,phone\n"Otieno, Ouma",0712345002\n"Akinyi ""Aki"" Atieno",0712345003\n')).toEqual(['0712345002', '0712345003']);
  });
});
