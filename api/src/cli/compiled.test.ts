/**
 * The compiled `imlu` command (build.ts, issue 15): built into a scratch directory, it answers `--help`
 * and exports CSV and PDF from a real database with the same bytes as the source, finding its migrations
 * and fonts from the build; and `bin/imlu.mjs` runs a build only while it is current.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign } from '../campaigns/create.ts';
import { createDb, migrateDb } from '../db/client.ts';
import { FieldCrypto } from '../signing/crypto.ts';
import { insertSignatures, syntheticRow } from '../../test/synthetic.ts';
import { OPEN_CAMPAIGN } from '../../test/helpers.ts';
import { API_DIR, buildCli, STAMP_FILE } from './build.ts';
import { runCli } from './main.ts';

const BIN = fileURLToPath(new URL('../../bin/imlu.mjs', import.meta.url));
const keys = { encryptionKey: randomBytes(32), blindIndexKey: randomBytes(32) };
let work: string;
let build: string;
let env: NodeJS.ProcessEnv;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function spawn(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { env: { ...env, ...extraEnv }, cwd: work }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** The compiled entry run by plain Node: no tsx anywhere in the process. */
function compiled(...args: string[]): Promise<Run> {
  const runner = 'const { runCli } = await import(process.argv[1]); process.exitCode = await runCli(process.argv.slice(2));';
  return spawn(['--input-type=module', '-e', runner, pathToFileURL(path.join(build, 'imlu.mjs')).href, ...args]);
}

function exported(dir: string, ext: string): Buffer {
  const file = readdirSync(dir).find((name) => name.endsWith(ext))!;
  return readFileSync(path.join(dir, file));
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'imlu-compiled-test-'));
  // Two folders below api/, as the build requires (its modules find drizzle/ and assets/ from there).
  mkdirSync(path.join(API_DIR, '.tmp'), { recursive: true });
  build = mkdtempSync(path.join(API_DIR, '.tmp', 'cli-build-'));
  await buildCli(build);
  env = {
    PATH: process.env['PATH'],
    NODE_ENV: 'test',
    DATA_DIR: work,
    DATABASE_URL: `file:${path.join(work, 'imlu.db')}`,
    ENCRYPTION_KEY: keys.encryptionKey.toString('base64'),
    BLIND_INDEX_KEY: keys.blindIndexKey.toString('base64'),
    LOG_LEVEL: 'silent',
  };
  const db = await createDb(env['DATABASE_URL']!);
  await migrateDb(db);
  const campaignId = await createCampaign(db, OPEN_CAMPAIGN);
  const rows = Array.from({ length: 1500 }, (_, i) => syntheticRow(i, Date.UTC(2026, 9, 1)));
  rows[7] = { ...rows[7]!, name: 'Wanjirũ "Shiru", Kamau', shareWithTargets: true };
  await insertSignatures(db.client, new FieldCrypto(keys), campaignId, rows);
  db.close();
}, 120_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(build, { recursive: true, force: true });
});

describe('the compiled imlu command', () => {
  it('answers --help', async () => {
    const help = await compiled('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: imlu');
    expect(help.stdout).toContain('export');
  }, 60_000);

  it('exports CSV and a PDF from a real database, byte for byte as the source does, and verifies them', async () => {
    const csvDir = path.join(work, 'csv');
    const run = await compiled('export', '--campaign', OPEN_CAMPAIGN.slug, '--include-contacts', '--out', csvDir);
    expect(run.stderr).toMatch(/^manifest: .*manifest\.json/);
    expect(run).toMatchObject({ code: 0, stdout: expect.stringContaining('1500 rows in 1 file(s)') });
    expect((await compiled('export', 'verify', csvDir, '--allow-unsigned')).code).toBe(0); // no signing key in this database

    // The same export from the TypeScript source, in this process.
    const sourceDir = path.join(work, 'csv-source');
    const io = { env, stdout: { write: () => true }, stderr: { write: () => true } };
    expect(await runCli(['export', '--campaign', OPEN_CAMPAIGN.slug, '--include-contacts', '--out', sourceDir], io)).toBe(0);
    const csv = exported(csvDir, '.csv');
    expect(csv.equals(exported(sourceDir, '.csv'))).toBe(true);
    expect(csv.toString('utf8')).toContain('"Wanjirũ ""Shiru"", Kamau"');

    // The reader worker's module is found beside the compiled chunks.
    const workerDir = path.join(work, 'csv-worker');
    expect((await compiled('export', '--campaign', OPEN_CAMPAIGN.slug, '--include-contacts', '--reader', 'worker', '--out', workerDir)).code).toBe(0);
    expect(exported(workerDir, '.csv').equals(csv)).toBe(true);

    const pdfDir = path.join(work, 'pdf');
    expect((await compiled('export', '--campaign', OPEN_CAMPAIGN.slug, '--format', 'pdf', '--locale', 'sw', '--out', pdfDir)).code).toBe(0);
    expect(exported(pdfDir, '.pdf').subarray(0, 5).toString('latin1')).toBe('%PDF-');
  }, 120_000);
});

describe('bin/imlu.mjs', () => {
  it('runs a build while every source in it is older, and the source once one is newer', async () => {
    const fake = mkdtempSync(path.join(tmpdir(), 'imlu-fake-build-'));
    try {
      const source = path.join(fake, 'input.txt');
      writeFileSync(source, 'x');
      utimesSync(source, new Date(1000), new Date(1000));
      writeFileSync(path.join(fake, 'fake.mjs'), "export async function runCli(argv) { process.stdout.write(`fake build: ${argv.join(' ')}`); return 3; }\n");
      const stamp = (builtAt: number) => JSON.stringify({ builtAt, entry: 'fake.mjs', inputs: [path.relative(API_DIR, source)] });
      writeFileSync(path.join(fake, STAMP_FILE), stamp(Date.now()));
      expect(await spawn([BIN, 'token', 'list'], { IMLU_CLI_BUILD: fake })).toEqual({ code: 3, stdout: 'fake build: token list', stderr: '' });

      writeFileSync(path.join(fake, STAMP_FILE), stamp(0));
      const stale = await spawn([BIN, '--help'], { IMLU_CLI_BUILD: fake });
      expect(stale.code).toBe(0);
      expect(stale.stdout).toContain('Usage: imlu');
    } finally {
      rmSync(fake, { recursive: true, force: true });
    }
  }, 60_000);
});
