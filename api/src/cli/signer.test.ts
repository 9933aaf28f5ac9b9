/**
 * `imlu signer find|show|withdraw|erase` against a real libSQL file, as a campaigner acting on a request
 * received by post or phone: output, exit codes (0 ok, 1 runtime, 2 usage), the counts, the rows, and an
 * audit trail with the CLI actor and no personal data. Signatures are made through the real API on the same
 * database and keys, so their blind indexes are the ones the server writes.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { createCampaign } from '../campaigns/create.ts';
import { createDb, type Db } from '../db/client.ts';
import { OPEN_CAMPAIGN, storedCounts, validSignature } from '../../test/helpers.ts';
import { cliEnv, runImlu } from '../../test/cli-harness.ts';

let dir: string;
let env: NodeJS.ProcessEnv;
let db: Db;
const keys = { encryptionKey: randomBytes(32), blindIndexKey: randomBytes(32) };
const ids: Record<string, string> = {};

const imlu = (...args: string[]) => runImlu(env, ...args);

const count = async (sql: string) => Number((await db.client.execute(sql)).rows[0]![0]);

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'imlu-signer-cli-'));
  env = cliEnv(dir, keys);
  expect((await imlu('migrate')).code).toBe(0);
  db = await createDb(env['DATABASE_URL']!);
  const now = Date.now();
  await createCampaign(db, { ...OPEN_CAMPAIGN, slug: 'first' }, now);
  await createCampaign(db, { ...OPEN_CAMPAIGN, slug: 'second', title: { en: 'Second', sw: 'Pili' } }, now);
  const api = await createApp({ db, config: { ...keys, allowedOrigins: [], countsMaxAge: 10 } });
  try {
    const sign = async (slug: string, body: Record<string, unknown>) => {
      const response = await api.app.request(`/v1/campaigns/${slug}/signatures`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(validSignature(body)),
      });
      expect(response.status).toBe(201);
    };
    await sign('first', { name: 'Wanjirũ Kamau', county: 'KE-30', email: 'wanjiru@example.org' });
    await sign('second', { name: 'Wanjirũ Kamau', county: 'KE-30' });
    await sign('first', { name: 'Otieno Juma', phone: '0733000444', county: 'KE-01' });
  } finally {
    await api.close();
  }
  for (const slug of ['first', 'second']) {
    const row = await db.client.execute({
      sql: "SELECT s.id FROM signatures s JOIN campaigns c ON c.id = s.campaign_id WHERE c.slug = ? ORDER BY s.created_at LIMIT 1",
      args: [slug],
    });
    ids[slug] = String(row.rows[0]![0]);
  }
}, 60_000);
afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('imlu signer', () => {
  it('finds a contact\'s signatures in every campaign, without names unless asked, by phone or e-mail', async () => {
    const found = await imlu('signer', 'find', '--phone', '0712 345 678');
    expect(found.code).toBe(0);
    expect(found.stdout).toMatch(/^campaign\s+signature\s+role\s+status\s+signed\s+confirmed\n/);
    expect(found.stdout).toContain(ids['first']);
    expect(found.stdout).toContain(ids['second']);
    expect(found.stdout).not.toContain('Wanjir');
    const shown = JSON.parse((await imlu('signer', 'find', '--phone', '+254712345678', '--show', '--json')).stdout) as Record<string, string>[];
    expect(shown).toHaveLength(2);
    expect(shown[0]).toMatchObject({ role: 'own', status: 'counted', name: 'Wanjirũ Kamau' });
    const byEmail = JSON.parse((await imlu('signer', 'find', '--email', 'WANJIRU@example.org', '--json')).stdout) as Record<string, string>[];
    expect(byEmail.map((r) => r['signature'])).toEqual([ids['first']]);
    expect((await imlu('signer', 'find', '--phone', '0799000111')).stdout).toBe('nothing is stored with this contact\n');
  });

  it('shows everything stored with one signature', async () => {
    const shown = await imlu('signer', 'show', ids['first']!);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/name\s+Wanjirũ Kamau/);
    expect(shown.stdout).toMatch(/phone\s+\+254712345678/);
    expect(shown.stdout).toMatch(/email\s+wanjiru@example.org/);
    expect(shown.stdout).toMatch(/county\s+KE-30/);
    expect(shown.stdout).toContain('"version":"test-v1"');
    expect((await imlu('signer', 'show', 'no-such-id')).code).toBe(1);
  });

  it('withdraws one signature: the counts drop at once, and a second time is an error', async () => {
    const campaignId = String((await db.client.execute("SELECT id FROM campaigns WHERE slug = 'first'")).rows[0]![0]);
    expect(await storedCounts(db, campaignId)).toMatchObject({ counted: 2 });
    const withdrawn = await imlu('signer', 'withdraw', ids['first']!);
    expect(withdrawn).toMatchObject({ code: 0, stdout: expect.stringContaining('(it was counted)') as unknown });
    expect(await storedCounts(db, campaignId)).toMatchObject({ counted: 1 });
    const row = (await db.client.execute({ sql: 'SELECT flag, flag_reason FROM signatures WHERE id = ?', args: [ids['first']!] })).rows[0]!;
    expect([row[0], row[1]]).toEqual(['withdrawn', 'request']);
    const again = await imlu('signer', 'withdraw', ids['first']!);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('is withdrawn: nothing to withdraw');
  });

  it('erases only with --yes, in every campaign, and audits every step with the CLI actor and no personal data', async () => {
    const asked = await imlu('signer', 'erase', '--phone', '0712345678');
    expect(asked.code).toBe(2);
    expect(asked.stdout).toContain('would erase 2 signature(s) in 2 campaign(s)');
    expect(asked.stderr).toContain('--yes');
    expect(await count('SELECT COUNT(*) FROM signatures')).toBe(3);

    const erased = await imlu('signer', 'erase', '--phone', '0712345678', '--yes');
    expect(erased.code).toBe(0);
    expect(erased.stdout).toContain('first: erased 1 signature(s)');
    expect(erased.stdout).toContain('second: erased 1 signature(s)');
    expect(erased.stderr).toBe('');
    expect(await count('SELECT COUNT(*) FROM signatures')).toBe(1);
    expect(await count('SELECT COUNT(*) FROM signature_dedupe')).toBe(1);
    expect((await imlu('signer', 'find', '--email', 'wanjiru@example.org')).stdout).toBe('nothing is stored with this contact\n');
    const second = String((await db.client.execute("SELECT id FROM campaigns WHERE slug = 'second'")).rows[0]![0]);
    expect(await storedCounts(db, second)).toMatchObject({ counted: 0 });

    const audit = (await db.client.execute("SELECT action, actor, subject, row_count, details FROM audit_log WHERE action LIKE 'signer.%' OR action LIKE 'signature.%' ORDER BY at, id")).rows;
    expect(audit.map((r) => r[0])).toEqual(
      expect.arrayContaining(['signer.looked_up', 'signature.shown', 'signature.withdrawn', 'signer.erased']),
    );
    for (const row of audit) {
      expect(String(row[1])).toMatch(/^cli:/);
      expect(row[2]).toBeNull();
    }
    expect(JSON.stringify(audit)).not.toMatch(/Wanjir|0712|254712|wanjiru@|01[0-9a-f]{6}-/);
    // Usage errors: both contacts, neither, a bad number.
    expect((await imlu('signer', 'find', '--phone', '0712345678', '--email', 'a@b.org')).code).toBe(2);
    expect((await imlu('signer', 'find')).code).toBe(2);
    expect((await imlu('signer', 'erase', '--phone', '12', '--yes')).code).toBe(2);
  });
});
