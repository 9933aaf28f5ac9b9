/**
 * The `imlu` command against a real libSQL file: output, exit codes (0 ok, 1 runtime, 2 usage/validation)
 * and the audit trail. Most cases call `runCli` in this process with captured stdout/stderr (a child
 * process costs seconds of start-up on a busy 2-core machine); the real bin script runs in a child
 * process for the exit-code cases, so the wiring from `pnpm imlu` to the exit status is tested too.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { createDb } from '../db/client.ts';
import type { ThreadClient } from '../db/thread/client.ts';
import { FieldCrypto } from '../signing/crypto.ts';
import { insertSignatures } from '../../test/synthetic.ts';
import type { Command } from 'commander';
import { commandPath, EXAMPLES } from './help.ts';
import { buildProgram, COMMAND_MODULES } from './main.ts';
import { cliEnv, runImlu, spawnImlu as spawnBin } from '../../test/cli-harness.ts';

let dir: string;
let env: NodeJS.ProcessEnv;
const keys = { encryptionKey: randomBytes(32), blindIndexKey: randomBytes(32) };

const imlu = (...args: string[]) => runImlu(env, ...args);

/** `imlu` with extra environment variables for this one run. */
const runCliWith = (extra: Record<string, string>, ...args: string[]) => runImlu({ ...env, ...extra }, ...args);

/**
 * Whether the database file or its WAL holds `text`, read by a child process: closing a descriptor of the file
 * in this process would drop every POSIX lock that this process's connections hold on it, and a spawned `imlu`
 * could then delete the WAL under them (sqlite.org/howtocorrupt.html §2.2).
 */
const storedInDatabaseFiles = (text: string): boolean =>
  execFileSync(
    process.execPath,
    ['-e', "const fs = require('fs'); const [file, text] = process.argv.slice(1); process.stdout.write(String(['', '-wal'].some((s) => fs.existsSync(file + s) && fs.readFileSync(file + s).includes(text))));", path.join(dir, 'imlu.db'), text],
    { encoding: 'utf8' },
  ) === 'true';

/** The real bin script, in the test's folder. */
const spawnImlu = (...args: string[]) => spawnBin(env, dir, ...args);

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'imlu-cli-test-'));
  env = cliEnv(dir, keys);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CAMPAIGN = `# a campaign file
slug: cli-campaign
status: open
verification: none
consentVersion: v1
title: { en: Justice now, sw: Haki sasa }
summary: { en: Summary, sw: Muhtasari }
body:
  en: We demand justice.
  sw: Tunadai haki.
demands:
  - { en: Prosecute, sw: Shtaki }
`;

describe('imlu CLI', () => {
  it('refuses to work on an unmigrated database (1), then migrates (0)', async () => {
    const before = await spawnImlu('campaign', 'list');
    expect(before.code).toBe(1);
    expect(before.stderr).toContain('imlu migrate');
    const migrated = await spawnImlu('migrate');
    expect(migrated).toMatchObject({ code: 0 });
    expect(migrated.stdout).toContain('migrated');
  }, 60_000);

  it('exits 2 on usage errors: unknown command, missing option, unknown scope, bad county', async () => {
    expect((await spawnImlu('frobnicate')).code).toBe(2);
    expect((await imlu('token', 'create', '--name', 'x')).code).toBe(2);
    const scopes = await imlu('token', 'create', '--name', 'x', '--scopes', 'moderation,root');
    expect(scopes.code).toBe(2);
    expect(scopes.stderr).toContain('unknown scope(s): root');
    expect((await imlu('export', '--campaign', 'x', '--county', 'KE-99')).code).toBe(2);
    const both = await imlu('export', '--campaign', 'x', '--jurisdiction', 't1', '--county', 'KE-30');
    expect([both.code, both.stderr]).toEqual([2, expect.stringContaining('cannot be combined')]);
  }, 60_000);

  it('creates, lists and revokes tokens; the token is printed once and only its hash is stored', async () => {
    const created = await imlu('token', 'create', '--name', 'exports laptop', '--scopes', 'signatures:export,audit:read');
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^imlu_at_[A-Za-z0-9_-]{43}$/);
    const listed = await imlu('token', 'list', '--json');
    const tokens = JSON.parse(listed.stdout) as { id: string; name: string; scopes: string[] }[];
    expect(tokens).toMatchObject([{ name: 'exports laptop', scopes: ['signatures:export', 'audit:read'] }]);
    expect(listed.stdout).not.toContain(token);
    expect(storedInDatabaseFiles(token)).toBe(false);
    expect(storedInDatabaseFiles(tokens[0]!.id)).toBe(true); // the check can see what is stored
    expect((await imlu('token', 'revoke', tokens[0]!.id)).code).toBe(0);
    expect((await imlu('token', 'revoke', 'no-such-id')).code).toBe(1);
  }, 60_000);

  it('applies a campaign file, reports invalid files with line numbers (2), and lists counts', async () => {
    writeFileSync(path.join(dir, 'bad.yaml'), CAMPAIGN.replace('status: open', 'status: open\ngoal: -1\ncolour: red'));
    const bad = await imlu('campaign', 'apply', path.join(dir, 'bad.yaml'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad.yaml:4:7: goal: Too small');
    expect(bad.stderr).toContain('bad.yaml:5:1: colour: unknown field');
    writeFileSync(path.join(dir, 'campaign.yaml'), CAMPAIGN);
    const applied = await imlu('campaign', 'apply', path.join(dir, 'campaign.yaml'));
    expect(applied).toMatchObject({ code: 0 });
    expect(applied.stdout).toContain('created campaign cli-campaign');
    // A campaign without confirmation is applied, with a plain warning of what it lets a stranger do.
    expect(applied.stderr).toContain('warning: verification is "none"');
    expect(applied.stderr).toContain('test whether a phone number or e-mail address has signed');
    writeFileSync(path.join(dir, 'campaign.json'), JSON.stringify({ slug: 'cli-campaign', status: 'open', verification: 'none', consentVersion: 'v1', title: { en: 'Justice now!', sw: 'Haki sasa!' }, summary: { en: 'Summary', sw: 'Muhtasari' }, body: { en: 'We demand justice.', sw: 'Tunadai haki.' }, demands: [{ en: 'Prosecute', sw: 'Shtaki' }] }));
    expect((await imlu('campaign', 'apply', path.join(dir, 'campaign.json'))).stdout).toContain('updated campaign cli-campaign: titleEn, titleSw');
    const list = JSON.parse((await imlu('campaign', 'list', '--json')).stdout) as { slug: string; counted: number }[];
    expect(list).toMatchObject([{ slug: 'cli-campaign', counted: 0 }]);
  }, 60_000);

  it('exports with a manifest, verifies it (0) and detects tampering (1), strikes rows, and audits all of it', async () => {
    const db = await createDb(env['DATABASE_URL']!);
    const campaignId = String((await db.client.execute("SELECT id FROM campaigns WHERE slug = 'cli-campaign'")).rows[0]![0]);
    const ids = await insertSignatures(db.client, new FieldCrypto(keys), campaignId, [
      { name: 'Wanjirũ Kamau', county: 'KE-30', status: 'counted', shareWithTargets: true, flag: null, createdAt: Date.UTC(2026, 10, 2) },
      { name: 'Otieno', county: 'KE-42', status: 'counted', shareWithTargets: true, flag: null, createdAt: Date.UTC(2026, 10, 3) },
      { name: 'Kĩmani', county: 'KE-42', status: 'pending', shareWithTargets: true, flag: null, createdAt: Date.UTC(2026, 10, 4) },
    ]);
    db.close();
    await (db.client as ThreadClient).whenClosed(); // the CLI opens the file next, in this process
    expect((await imlu('strike', ids[1]!, '--reason', 'signer asked')).code).toBe(0);
    expect((await imlu('strike', 'nope', '--reason', 'x')).code).toBe(1);

    const out = path.join(dir, 'out');
    const exported = await imlu('export', '--campaign', 'cli-campaign', '--split', 'county', '--out', out, '--to', '2026-11-30');
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain('2 rows in 2 file(s)');
    expect(exported.stderr).not.toContain('\x1b['); // no progress bar when stderr is not a terminal
    const files = readdirSync(out).sort();
    expect(files).toHaveLength(4); // two counties, manifest.json, SHA256SUMS (unsigned: no signing key here)
    expect(await imlu('export', 'verify', out, '--allow-unsigned')).toMatchObject({ code: 0 });
    const again = await imlu('export', '--campaign', 'cli-campaign', '--out', out);
    expect(again.code).toBe(2); // not empty
    const xlsxOut = path.join(dir, 'xlsx');
    const workbook = await imlu('export', '--campaign', 'cli-campaign', '--format', 'xlsx', '--split', 'county', '--out', xlsxOut, '--to', '2026-11-30');
    expect(workbook.code).toBe(0);
    expect(workbook.stdout).toContain('2 rows in 1 file(s)'); // one workbook, a sheet per county
    expect(readdirSync(xlsxOut).sort()).toEqual(['SHA256SUMS', expect.stringMatching(/^cli-campaign-\d{8}-\d{6}\.xlsx$/), 'manifest.json']);
    expect(await imlu('export', 'verify', xlsxOut, '--allow-unsigned')).toMatchObject({ code: 0 });

    const csv = files.find((f) => f.endsWith('KE-30.csv'))!;
    writeFileSync(path.join(out, csv), readFileSync(path.join(out, csv), 'utf8').replace('Wanjirũ', 'Wanjiru'));
    const tampered = await spawnImlu('export', 'verify', out);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toContain(`FAILED ${csv}: SHA-256 differs`);

    const dry = await imlu('invalidate', '--campaign', 'cli-campaign', '--county', 'KE-42');
    expect(dry).toMatchObject({ code: 0 });
    expect(dry.stdout).toContain('dry run');
    expect((await imlu('invalidate', '--campaign', 'cli-campaign')).code).toBe(2);

    expect((await imlu('webhook', 'add', '--campaign', 'cli-campaign', '--url', 'http://example.org/hook')).code).toBe(2);
    const internal = await runCliWith({ NODE_ENV: 'production' }, 'webhook', 'add', '--campaign', 'cli-campaign', '--url', 'https://169.254.169.254/latest/meta-data/');
    expect([internal.code, internal.stderr]).toEqual([2, expect.stringContaining('--url: is a private, loopback, link-local or otherwise non-public address')]);
    const hook = await imlu('webhook', 'add', '--campaign', 'cli-campaign', '--url', 'https://crm.example.org/imlu', '--events', 'signature.confirmed,pledge.status_changed');
    expect(hook.code).toBe(0);
    expect(hook.stdout.trim()).toMatch(/^whsec_/);
    const hooks = JSON.parse((await imlu('webhook', 'list', '--json')).stdout) as { id: string; events: string[] }[];
    expect(hooks).toMatchObject([{ events: ['signature.confirmed', 'pledge.status_changed'] }]);
    expect((await imlu('webhook', 'remove', hooks[0]!.id)).code).toBe(0);

    const audit = JSON.parse((await imlu('audit', '--json')).stdout) as { action: string; actor: string; rowCount: number | null }[];
    expect(audit.map((a) => a.action)).toEqual(['webhook.deleted', 'webhook.created', 'export.created', 'export.created', 'signature.struck', 'campaign.updated', 'campaign.created', 'token.revoked', 'token.created', 'database.migrated']);
    expect(audit[2]).toMatchObject({ rowCount: 2, actor: expect.stringMatching(/^cli:/) as unknown, campaignSlug: 'cli-campaign' });
    // The table names the campaign by its slug, not by its internal id.
    const table = (await imlu('audit', '--action', 'export.created')).stdout;
    expect(table).toContain('cli-campaign');
    expect(table).not.toContain((audit[2] as unknown as { campaignId: string }).campaignId);
  }, 120_000);

  it("prints the SMS delivery-report callback URL, which the server built on the same keys accepts", async () => {
    const missing = await imlu('sms', 'callback-url');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('PUBLIC_BASE_URL is not set');
    expect(missing.stdout).toBe('');

    const printed = await runCliWith({ PUBLIC_BASE_URL: 'https://sign.imlu.example/' }, 'sms', 'callback-url');
    expect(printed.code).toBe(0);
    expect(printed.stdout).toMatch(/^https:\/\/sign\.imlu\.example\/v1\/sms\/delivery-reports\/[A-Za-z0-9_-]{43}\n$/);
    expect(printed.stderr).toContain('Delivery Reports');
    expect((await runCliWith({ PUBLIC_BASE_URL: 'https://sign.imlu.example' }, 'sms', 'callback-url')).stdout).toBe(printed.stdout);

    const db = await createDb(env['DATABASE_URL']!);
    const api = await createApp({ db, config: { ...keys, allowedOrigins: [], countsMaxAge: 10 } });
    try {
      const report = (pathname: string) =>
        api.app.request(pathname, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ id: 'ATXid_unknown', status: 'Failed' }).toString(),
        });
      expect((await report(new URL(printed.stdout.trim()).pathname)).status).toBe(200);
      expect((await report('/v1/sms/delivery-reports')).status).toBe(404);
    } finally {
      await api.close();
      db.close();
      // The next test opens the file again at once, in this process: not while the thread still closes it.
      await (db.client as ThreadClient).whenClosed();
    }
  }, 60_000);

  it('runs retention: lists the schedule, says what a dry run would delete, deletes it, and audits it', async () => {
    writeFileSync(
      path.join(dir, 'ended.yaml'),
      CAMPAIGN.replace('slug: cli-campaign', 'slug: ended-campaign').replace('status: open', 'status: closed\nretentionDays: 1').replace('verification: none', 'verification: either'),
    );
    const applied = await imlu('campaign', 'apply', path.join(dir, 'ended.yaml'));
    expect(applied).toMatchObject({ code: 0, stderr: '' });
    const db = await createDb(env['DATABASE_URL']!);
    const campaignId = String((await db.client.execute("SELECT id FROM campaigns WHERE slug = 'ended-campaign'")).rows[0]![0]);
    await insertSignatures(db.client, new FieldCrypto(keys), campaignId, [
      { name: 'Old Signer', county: 'KE-30', status: 'counted', shareWithTargets: true, flag: null, createdAt: Date.UTC(2026, 10, 2) },
      { name: 'Older Signer', county: 'KE-30', status: 'counted', shareWithTargets: true, flag: null, createdAt: Date.UTC(2026, 10, 3) },
    ]);
    const twoDaysAgo = Date.now() - 2 * 24 * 60 * 60 * 1000;
    await db.client.execute({ sql: 'UPDATE campaigns SET closed_at = ? WHERE id = ?', args: [twoDaysAgo, campaignId] });
    const list = JSON.parse((await imlu('campaign', 'list', '--json')).stdout) as { slug: string; retentionDays: number; personalData: string }[];
    expect(list.find((c) => c.slug === 'cli-campaign')).toMatchObject({ retentionDays: 180, personalData: 'kept 180 days after the campaign ends' });
    expect(list.find((c) => c.slug === 'ended-campaign')).toMatchObject({
      retentionDays: 1,
      personalData: `deleted from ${new Date(twoDaysAgo + 24 * 60 * 60 * 1000).toISOString().slice(0, 10)}`,
    });

    const dry = await imlu('retention', 'run', '--dry-run');
    expect(dry).toMatchObject({ code: 0 });
    expect(dry.stdout).toContain('ended-campaign: would delete the personal data of 2 signatures');
    expect(Number((await db.client.execute({ sql: 'SELECT COUNT(*) FROM signatures WHERE campaign_id = ?', args: [campaignId] })).rows[0]![0])).toBe(2);
    const run = await imlu('retention', 'run');
    expect(run.stdout).toContain('ended-campaign: deleted the personal data of 2 signatures');
    expect(Number((await db.client.execute({ sql: 'SELECT COUNT(*) FROM signatures WHERE campaign_id = ?', args: [campaignId] })).rows[0]![0])).toBe(0);
    const audit = await db.client.execute("SELECT actor FROM audit_log WHERE action = 'campaign.anonymised'");
    expect(String(audit.rows[0]![0])).toMatch(/^cli:/);
    db.close();
    await (db.client as ThreadClient).whenClosed(); // the CLI opens the file next, in this process
    const after = JSON.parse((await imlu('campaign', 'list', '--json')).stdout) as { slug: string; personalData: string }[];
    expect(after.find((c) => c.slug === 'ended-campaign')!.personalData).toBe(`deleted ${new Date().toISOString().slice(0, 10)}`);
    expect((await imlu('retention', 'run')).stdout).toContain('no campaign is past its retention period');
  }, 60_000);

  it('writes an export into DATA_DIR/exports by default, never the working directory, and refuses options that do not apply (2)', async () => {
    const exported = await imlu('export', '--campaign', 'cli-campaign', '--format', 'json');
    expect(exported.code).toBe(0);
    const written = exported.stdout.trim().split('\n').at(-1)!;
    expect(path.dirname(written)).toBe(path.join(dir, 'exports'));
    expect(readdirSync(written).sort()).toEqual(['SHA256SUMS', expect.stringMatching(/^cli-campaign-\d{8}-\d{6}\.json$/), 'manifest.json']);
    const contacts = await imlu('export', '--campaign', 'cli-campaign', '--format', 'pdf', '--include-contacts');
    expect([contacts.code, contacts.stderr]).toEqual([2, expect.stringContaining('never carries contacts')]);
    const day = await imlu('export', '--campaign', 'cli-campaign', '--from', '2026-02-30');
    expect([day.code, day.stderr]).toEqual([2, expect.stringContaining('is not a date (YYYY-MM-DD)')]);
    const noZone = await imlu('audit', '--from', '2026-12-06T10:00');
    expect(noZone.code).toBe(2);
  }, 60_000);

  it('explains every command in its --help: its options and at least one example; `export --help` shows the options of `export create`', async () => {
    const leaves: Command[] = [];
    const walk = (command: Command): void => {
      if (!command.commands.length) leaves.push(command);
      command.commands.forEach(walk);
    };
    const program = await buildProgram();
    walk(program);
    expect(leaves.length).toBeGreaterThan(25);
    // `imlu <command> …` loads only that command's modules: each top-level command is mapped, and the
    // program built for it alone has the same subcommands as the whole program's (help below runs each).
    expect(Object.keys(COMMAND_MODULES).sort()).toEqual(program.commands.map((command) => command.name()).sort());
    for (const command of program.commands) {
      const alone = (await buildProgram(undefined, command.name())).commands.find((c) => c.name() === command.name());
      expect(alone?.commands.map((c) => c.name()), command.name()).toEqual(command.commands.map((c) => c.name()));
    }
    for (const command of leaves) {
      const help = await imlu(...commandPath(command).split(' '), '--help');
      expect(help.code, commandPath(command)).toBe(0);
      expect(help.stdout, commandPath(command)).toContain('\nExamples:\n  imlu ');
      for (const option of command.options) expect(help.stdout, commandPath(command)).toContain(option.long!);
    }
    expect(Object.keys(EXAMPLES).sort()).toEqual(leaves.map(commandPath).sort());
    const exportHelp = (await imlu('export', '--help')).stdout;
    for (const option of ['--campaign', '--format', '--out', '--from', '--to', '--include-contacts']) expect(exportHelp).toContain(option);
  }, 60_000);
});
