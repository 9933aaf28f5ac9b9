/**
 * `imlu deliver` against a real libSQL file, with a pack made by `imlu export`: output and exit codes (0 ok,
 * 1 runtime, 2 usage), the public board read through the real API on the same database, the audit trail,
 * and the e-mail to the official sent by the API's outbox over a real SMTP conversation.
 */
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AccountabilitySchema } from '@imlu/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTarget } from '../accountability/operations.ts';
import { createApp } from '../app.ts';
import { createCampaign } from '../campaigns/create.ts';
import { createDb, type Db } from '../db/client.ts';
import { smtpTransport } from '../messages/email.ts';
import { FieldCrypto } from '../signing/crypto.ts';
import { OPEN_CAMPAIGN } from '../../test/helpers.ts';
import { startTestSmtp } from '../../test/smtp.ts';
import { insertSignatures } from '../../test/synthetic.ts';
import { cliEnv, runImlu } from '../../test/cli-harness.ts';

let dir: string;
let env: NodeJS.ProcessEnv;
let db: Db;
let pack: string;
let ipoa: string;
let governor: string;
const keys = { encryptionKey: randomBytes(32), blindIndexKey: randomBytes(32) };

const imlu = (...args: string[]) => runImlu(env, ...args);

const count = async (sql: string) => Number((await db.client.execute(sql)).rows[0]![0]);

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'imlu-deliver-cli-'));
  env = cliEnv(dir, keys);
  expect((await imlu('migrate')).code).toBe(0);
  db = await createDb(env['DATABASE_URL']!);
  const crypto = new FieldCrypto(keys);
  const campaignId = await createCampaign(db, { ...OPEN_CAMPAIGN, slug: 'justice-now' }, Date.now());
  await insertSignatures(db.client, crypto, campaignId, [
    { name: 'Wanjirũ Kamau', county: 'KE-30', status: 'counted', shareWithTargets: true, flag: null, createdAt: Date.UTC(2026, 10, 2) },
    { name: 'Otieno', county: 'KE-42', status: 'counted', shareWithTargets: true, flag: null, createdAt: Date.UTC(2026, 10, 3) },
    { name: 'Kĩmani', county: 'KE-42', status: 'counted', shareWithTargets: true, flag: null, createdAt: Date.UTC(2026, 10, 4) },
  ]);
  const now = Date.now();
  ipoa = (
    await createTarget(db, crypto, { name: 'Independent Policing Oversight Authority', jurisdiction: { level: 'national' }, deliveryContact: 'Desk officer, desk@ipoa.example.go.ke' }, now)
  ).id;
  governor = (await createTarget(db, crypto, { name: 'Governor of Nairobi', jurisdiction: { level: 'county', county: 'KE-47' } }, now)).id;
  pack = path.join(dir, 'pack');
  expect((await imlu('export', '--campaign', 'justice-now', '--format', 'csv', '--out', pack)).code).toBe(0);
}, 60_000);

afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('imlu deliver', () => {
  it('lists its options with examples', async () => {
    const help = await imlu('deliver', '--help');
    expect(help.code).toBe(0);
    for (const option of ['--pack', '--to', '--on', '--channel', '--email', '--due']) expect(help.stdout).toContain(option);
    expect(help.stdout).toContain('Examples:');
  });

  it('lists the duty bearers with the ids --to takes, and whether a delivery contact is on file, never the contact', async () => {
    const listed = JSON.parse((await imlu('target', 'list', '--json')).stdout) as { id: string; name: string; jurisdiction: string; hasDeliveryContact: boolean }[];
    expect(listed.map((t) => [t.id, t.name, t.jurisdiction, t.hasDeliveryContact])).toEqual([
      [governor, 'Governor of Nairobi', 'KE-47', false],
      [ipoa, 'Independent Policing Oversight Authority', 'national', true],
    ]);
    const table = await imlu('target', 'list');
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(ipoa);
    expect(table.stdout + JSON.stringify(listed)).not.toContain('desk@ipoa');
  });

  it('refuses what it cannot record, with exit 1 or 2, and stores nothing', async () => {
    const missing = await imlu('deliver', '--pack', path.join(dir, 'nowhere'), '--to', ipoa);
    expect(missing).toMatchObject({ code: 1 });
    expect(missing.stderr).toContain('no manifest.json here');
    expect(missing.stderr).not.toContain('ENOENT');

    const tampered = path.join(dir, 'tampered');
    cpSync(pack, tampered, { recursive: true });
    const csv = readFileSync(path.join(pack, 'manifest.json'), 'utf8').match(/"name": "([^"]+\.csv)"/)![1]!;
    appendFileSync(path.join(tampered, csv), 'Added Later,KE-01\n');
    const changed = await imlu('deliver', '--pack', tampered, '--to', ipoa);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toContain('does not match its manifest');

    expect((await imlu('deliver', '--pack', pack, '--to', 'Nobody at all')).code).toBe(2);
    expect((await imlu('deliver', '--pack', pack, '--to', ipoa, '--on', '2026-13-01')).code).toBe(2);
    expect((await imlu('deliver', '--pack', pack, '--to', ipoa, '--on', '2999-01-01')).code).toBe(2);
    expect((await imlu('deliver', '--pack', pack, '--to', ipoa, '--channel', 'pigeon')).code).toBe(2);
    expect((await imlu('deliver', '--pack', pack, '--to', ipoa, '--campaign', 'another')).code).toBe(2);
    const noEmail = await imlu('deliver', '--pack', pack, '--to', governor, '--email');
    expect(noEmail.code).toBe(2);
    expect(noEmail.stderr).toContain('no e-mail address');
    expect(await count('SELECT count(*) FROM deliveries')).toBe(0);
    expect(await count('SELECT count(*) FROM campaign_asks')).toBe(0);
  });

  it("records the pack's count and manifest hash; the public board shows them; the official's e-mail goes out over SMTP", async () => {
    const hash = createHash('sha256').update(readFileSync(path.join(pack, 'manifest.json'))).digest('hex');
    const run = await imlu('deliver', '--pack', pack, '--to', 'independent policing oversight authority', '--on', '2026-12-06', '--channel', 'in_person', '--email');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`recorded: 3 signatures delivered on 2026-12-06 (in person) · pack sha256 ${hash}`);
    expect(run.stdout).toContain('now asked for every demand');
    expect(run.stdout).toContain('e-mail');

    // The same hash as the export's own audit record, and the delivery's audit entry beside it.
    const audit = await db.client.execute("SELECT action, subject, row_count, actor FROM audit_log WHERE subject LIKE 'manifest:%' ORDER BY at");
    expect(audit.rows.map((r) => [r[0], r[1], r[2]])).toEqual([
      ['export.created', `manifest:${hash}`, 3],
      ['delivery.recorded', `manifest:${hash}`, 3],
    ]);
    expect(String(audit.rows[1]![3])).toMatch(/^cli:/);

    const smtp = await startTestSmtp();
    const api = await createApp({
      db,
      config: { ...keys, allowedOrigins: [], countsMaxAge: 10 },
      mail: smtpTransport({ url: smtp.url, from: 'IMLU <no-reply@example.org>' }),
      publicBaseUrl: 'https://api.example.org',
    });
    try {
      const board = AccountabilitySchema.parse(await (await api.app.request('/v1/campaigns/justice-now/accountability')).json());
      expect(board.targets.map((x) => [x.name, x.deliveries])).toEqual([
        ['Independent Policing Oversight Authority', [{ deliveredOn: '2026-12-06', channel: 'in_person', signatures: 3, manifestSha256: hash, recordedAt: expect.any(String) }]],
      ]);
      expect(await api.outbox.runOnce()).toMatchObject({ sent: 1 });
      const [mail] = await smtp.waitFor(1);
      expect(mail!.to).toMatchObject({ value: [{ address: 'desk@ipoa.example.go.ke' }] });
      expect(mail!.text).toContain('a petition signed by 3 people');
      expect(mail!.text).toContain(hash);
      expect(mail!.text).toMatch(/https:\/\/api\.example\.org\/r\/[A-Za-z0-9_-]{43}/);
    } finally {
      await api.close();
      await smtp.stop();
    }

    const asJson = await imlu('deliver', '--pack', pack, '--to', ipoa, '--on', '2026-12-06', '--channel', 'courier', '--json');
    expect(asJson.code).toBe(0);
    expect(JSON.parse(asJson.stdout)).toMatchObject({ targetId: ipoa, signatures: 3, manifestSha256: hash, channel: 'courier', emailed: false, askCreated: false });
  }, 30_000);
});
