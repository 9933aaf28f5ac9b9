/**
 * `pnpm bench:export` (root; `pnpm --filter @imlu/api bench:export`): `imlu export` at scale, as a
 * campaigner runs it, with its memory per tenth of the rows (issue 15).
 *
 * 1. Compiles the CLI (`buildCli`, what `bin/imlu.mjs` then runs) and measures its start: the peak RSS of
 *    `imlu --help`, compiled and (for comparison) through tsx.
 * 2. Fills a fresh libSQL file (WAL) with signatures up to each size of BENCH_EXPORT_ROWS (one count or a
 *    comma-separated list; default 1,000,000 and 3,000,000), growing the same database from one size to
 *    the next: batched multi-row INSERTs (`test/synthetic.ts`) of realistic rows, every name and contact
 *    encrypted for real (AES-256-GCM, a fresh IV each), `synchronous=OFF` on the filling connection. A
 *    fixture, not the signing path (`pnpm bench` measures that).
 * 3. At each size runs `node bin/imlu.mjs export` in a process of its own: CSV, CSV read by a worker
 *    thread (`--reader worker`), CSV with contacts, JSON, and a PDF pack (`--pending mark`, so every row of the range is listed) of the first BENCH_EXPORT_PDF_ROWS
 *    signatures (default 100,000; pdfkit lays out every line). Each process is watched from outside every 50 ms: its RSS and peak RSS (`/proc/<pid>/status`,
 *    VmRSS and VmHWM, so the peak is the kernel's, not a sample's) and the rows written so far (lines in
 *    the output file), hence the RSS after each tenth of the rows.
 * 4. Prints the figures and replaces the export section of `docs/performance.md`.
 *
 * Local files only, deleted at the end. Never part of the test suite. Refuses to publish a run in which
 * an export failed or wrote another number of rows.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCampaign } from '../src/campaigns/create.ts';
import { buildCli } from '../src/cli/build.ts';
import { REPO_ROOT } from '../src/config/env.ts';
import { createDb, migrateDb } from '../src/db/client.ts';
import { FieldCrypto } from '../src/signing/crypto.ts';
import { insertSignatures, syntheticRow } from '../test/synthetic.ts';
import { describeMachine } from './machine.ts';
import { writeDocSection } from './doc-section.ts';

const START = '<!-- export-bench:start -->';
const END = '<!-- export-bench:end -->';
const DOC = path.join(REPO_ROOT, 'docs', 'performance.md');
const BIN = fileURLToPath(new URL('../bin/imlu.mjs', import.meta.url));
const SIZES = (process.env['BENCH_EXPORT_ROWS'] ?? '1000000,3000000')
  .split(',')
  .map((n) => Number(n.replace(/_/g, '')))
  .sort((a, b) => a - b);
const PDF_ROWS = Number(process.env['BENCH_EXPORT_PDF_ROWS'] ?? 100_000);
const FIRST_SIGNATURE = Date.UTC(2026, 0, 1);
/** `syntheticRow` signs one row every 37 ms. */
const SIGNED_EVERY_MS = 37;
const SAMPLE_MS = 50;

if (!SIZES.length || SIZES.some((n) => !Number.isInteger(n) || n < 10)) throw new Error('BENCH_EXPORT_ROWS: one or more row counts of at least 10, comma-separated');

const fmt = (n: number) => Math.round(n).toLocaleString('en-GB');
const mb = (kb: number) => (kb / 1024).toFixed(1);

interface Sample {
  ms: number;
  rows: number;
  rssKb: number;
  atExit?: boolean;
}

interface Run {
  label: string;
  rows: number;
  bytes: number;
  wallMs: number;
  /** From the first row seen written to the last, as seen by the 50 ms samples (the whole command without a row count). */
  rowsPerSecond: number;
  /** Highest RSS before the first row was written: what start-up, the key check and the totals query cost. */
  startKb: number;
  peakKb: number;
  /** Per tenth of the rows: rows seen when it was complete, highest RSS sampled while it was written. */
  tenths: { rows: number; rssKb: number }[];
  /** The machine's 1-minute load average as the export started: other work on 2 cores slows it. */
  load: number;
}

function procStatus(pid: number): { rssKb: number; hwmKb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
  } catch {
    return undefined; // exited between two samples
  }
}

/** Counts the lines of a file as it grows, reading only what was added since the last call. */
function lineCounter(dir: string, extension: string) {
  let fd: number | undefined;
  let offset = 0;
  let lines = 0;
  const buffer = Buffer.alloc(1 << 20);
  const count = () => {
    if (fd === undefined) {
      const name = existsSync(dir) ? readdirSync(dir).find((file) => file.endsWith(extension)) : undefined;
      if (!name) return 0;
      fd = openSync(path.join(dir, name), 'r');
    }
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, offset);
      if (n <= 0) break;
      offset += n;
      for (let i = 0; i < n; i++) if (buffer[i] === 0x0a) lines += 1;
    }
    return lines;
  };
  const close = () => {
    if (fd !== undefined) closeSync(fd);
  };
  return { count, close };
}

/** Runs the CLI in its own process and watches it. `rowsFromLines` turns the output's line count into rows. */
function watch(
  label: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  options: { expectRows: number; out?: string; extension?: string; rowsFromLines?: (lines: number) => number },
): Promise<Run & { stdout: string }> {
  return new Promise((resolve, reject) => {
    const load = loadavg()[0]!;
    const t0 = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const counter = options.out && options.extension ? lineCounter(options.out, options.extension) : undefined;
    const samples: Sample[] = [];
    let peakKb = 0;
    const sample = () => {
      const status = procStatus(child.pid!);
      if (!status) return;
      peakKb = Math.max(peakKb, status.hwmKb);
      const rows = counter && options.rowsFromLines ? Math.max(0, Math.min(options.expectRows, options.rowsFromLines(counter.count()))) : 0;
      samples.push({ ms: performance.now() - t0, rows, rssKb: status.rssKb });
    };
    const timer = setInterval(sample, SAMPLE_MS);
    sample();
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      const wallMs = performance.now() - t0;
      if (counter && options.rowsFromLines) {
        // The rows written after the last sample: seen now, at the exit.
        const rows = Math.max(0, Math.min(options.expectRows, options.rowsFromLines(counter.count())));
        samples.push({ ms: wallMs, rows, rssKb: samples.at(-1)?.rssKb ?? 0, atExit: true });
        counter.close();
      }
      if (code !== 0) return reject(new Error(`${label}: imlu ${args.join(' ')} exited ${code}\n${stderr}`));
      const before = samples.filter((s) => s.rows === 0);
      const first = samples.find((s) => s.rows > 0);
      const last = samples.find((s) => s.rows >= options.expectRows);
      // Per tenth: the highest RSS sampled while its rows were written (the sample at the exit, which saw
      // no RSS, only counts rows).
      const live = samples.filter((s) => !s.atExit);
      const tenths = counter
        ? Array.from({ length: 10 }, (_, k) => {
            const low = (k * options.expectRows) / 10;
            const high = ((k + 1) * options.expectRows) / 10;
            const within = live.filter((s) => s.rows > low && s.rows <= high);
            const reached = samples.find((s) => s.rows >= high);
            return { rows: reached?.rows ?? options.expectRows, rssKb: within.length ? Math.max(...within.map((s) => s.rssKb)) : (reached?.rssKb ?? NaN) };
          })
        : [];
      resolve({
        label,
        rows: options.expectRows,
        bytes: 0,
        wallMs,
        // Between two observations, whatever the samples missed (a loaded machine delays the timer).
        rowsPerSecond: first && last && last.ms > first.ms ? ((last.rows - first.rows) * 1000) / (last.ms - first.ms) : (options.expectRows * 1000) / wallMs,
        // Only meaningful when the sampler saw the process for a while before its first row.
        startKb: before.length >= 3 ? Math.max(...before.map((s) => s.rssKb)) : NaN,
        peakKb,
        tenths,
        load,
        stdout,
      });
    });
  });
}

async function exportRun(
  label: string,
  format: 'csv' | 'json' | 'pdf',
  extra: string[],
  env: NodeJS.ProcessEnv,
  work: string,
  expectRows: number,
): Promise<Run> {
  const out = path.join(work, `out-${format}-${extra.join('').replace(/\W+/g, '')}-${expectRows}`);
  const run = await watch(label, ['export', '--campaign', 'bench', '--format', format, '--out', out, ...extra], env, {
    expectRows,
    out,
    extension: `.${format}`,
    // CSV: a header line, then a line per row; JSON: two lines of collection links, then each record on a
    // line of its own (and the totals at the end).
    rowsFromLines: format === 'csv' ? (lines) => lines - 1 : format === 'json' ? (lines) => Math.max(0, lines - 2) : undefined,
  });
  const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { totalRows: number; files: { bytes: number }[] };
  if (manifest.totalRows !== expectRows) throw new Error(`${label}: wrote ${manifest.totalRows} rows, expected ${expectRows}`);
  rmSync(out, { recursive: true, force: true });
  return { ...run, bytes: manifest.files.reduce((n, f) => n + f.bytes, 0) };
}

async function startRss(env: NodeJS.ProcessEnv, source: boolean): Promise<number> {
  const run = await watch('help', ['--help'], source ? { ...env, IMLU_CLI_BUILD: path.join(tmpdir(), 'imlu-no-build') } : env, { expectRows: 0 });
  return run.peakKb;
}

function tenthsTable(run: Run): string {
  return [
    '| tenth | rows so far | highest RSS in it (MB) |',
    '|---:|---:|---:|',
    ...run.tenths.map((t, k) => `| ${k + 1} | ${fmt(t.rows)} | ${mb(t.rssKb)} |`),
  ].join('\n');
}

function runLine(run: Run): string {
  return `| ${run.label} | ${fmt(run.rows)} | ${fmt(run.rowsPerSecond)} rows/s | ${(run.wallMs / 1000).toFixed(1)} s | ${Number.isNaN(run.startKb) ? '—' : `${mb(run.startKb)} MB`} | **${mb(run.peakKb)} MB** | ${fmt(run.bytes / 1024 / 1024)} MB | ${run.load.toFixed(1)} |`;
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'imlu-export-bench-'));
  try {
    const stamp = await buildCli();
    process.stderr.write(`compiled the CLI (${stamp.inputs.length} sources)\n`);
    const dbFile = path.join(work, 'bench.db');
    const keys = { encryptionKey: randomBytes(32), blindIndexKey: randomBytes(32) };
    const env: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'],
      NODE_ENV: 'production',
      DATA_DIR: work,
      DATABASE_URL: `file:${dbFile}`,
      ENCRYPTION_KEY: keys.encryptionKey.toString('base64'),
      BLIND_INDEX_KEY: keys.blindIndexKey.toString('base64'),
      LOG_LEVEL: 'silent',
    };
    const compiledStartKb = await startRss(env, false);
    const sourceStartKb = await startRss(env, true);
    process.stderr.write(`imlu --help: ${mb(compiledStartKb)} MB compiled, ${mb(sourceStartKb)} MB through tsx\n`);

    const crypto = new FieldCrypto(keys);
    const db = await createDb(`file:${dbFile}`);
    await migrateDb(db);
    const campaignId = await createCampaign(db, {
      slug: 'bench',
      status: 'open',
      verification: 'none',
      consentVersion: 'v1',
      title: { en: 'Bench', sw: 'Bench' },
      summary: { en: 'Bench', sw: 'Bench' },
      body: { en: 'Bench', sw: 'Bench' },
    });
    // A fixture: a crash while filling loses nothing anyone needs.
    await db.client.execute('PRAGMA synchronous = OFF');

    const sections: string[] = [];
    const fills: string[] = [];
    let filled = 0;
    for (const size of SIZES) {
      process.stderr.write(`filling to ${fmt(size)} signatures…\n`);
      const f0 = performance.now();
      await insertSignatures(
        db.client,
        crypto,
        campaignId,
        (function* rows() {
          for (let i = filled; i < size; i++) yield syntheticRow(i, FIRST_SIGNATURE);
        })(),
        { batchSize: 10_000 },
      );
      const fillSeconds = (performance.now() - f0) / 1000;
      fills.push(`${fmt(filled)} → ${fmt(size)} in ${fillSeconds.toFixed(1)} s (${fmt((size - filled) / fillSeconds)} rows/s)`);
      filled = size;
      await db.client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
      const dbMb = statSync(dbFile).size / 1024 / 1024;

      process.stderr.write(`exporting ${fmt(size)}…\n`);
      const csv = await exportRun('CSV', 'csv', [], env, work, size);
      const worker = await exportRun('CSV, `--reader worker`', 'csv', ['--reader', 'worker'], env, work, size);
      const contacts = await exportRun('CSV with contacts', 'csv', ['--include-contacts'], env, work, size);
      const json = await exportRun('JSON (OSDI)', 'json', [], env, work, size);
      const pdfRows = Math.min(PDF_ROWS, size);
      const pdf = await exportRun(`PDF pack, first ${fmt(pdfRows)}`, 'pdf', ['--pending', 'mark', '--to', new Date(FIRST_SIGNATURE + pdfRows * SIGNED_EVERY_MS).toISOString()], env, work, pdfRows);
      const runs = [csv, worker, contacts, json, pdf];
      for (const run of runs) process.stderr.write(`  ${runLine(run)}\n`);
      sections.push(
        [
          `### ${fmt(size)} signatures (database file ${fmt(dbMb)} MB)`,
          '',
          '| export | rows | rate (first row to last) | whole command | RSS before the first row | peak RSS | file | load |',
          '|---|---:|---:|---:|---:|---:|---:|---:|',
          ...runs.map(runLine),
          '',
          'RSS of the CSV export per tenth of the rows (the highest sampled while that tenth was written):',
          '',
          tenthsTable(csv),
        ].join('\n'),
      );
    }
    db.close();

    const section = [
      START,
      '## Exports',
      '',
      `Measured ${new Date().toISOString().slice(0, 10)} with \`pnpm bench:export\` (\`api/bench/export.ts\`, BENCH_EXPORT_ROWS=${SIZES.join(',')}).`,
      '',
      describeMachine().split('\n').slice(0, 3).join('\n'),
      '',
      `Each export is \`imlu export\` run as a campaigner runs it (\`node api/bin/imlu.mjs\`, the compiled CLI), in a process of its own, watched every ${SAMPLE_MS} ms from outside:`,
      'peak RSS is the kernel\'s high-water mark (VmHWM); "RSS before the first row" is the highest RSS sampled before the first row reached the file',
      '(start-up, key check, totals query; "—" when fewer than three samples came before it); the rate is rows written between the first',
      'sample that saw a row and the end, over that time (a PDF, whose rows cannot be counted from outside: over the whole command). Contacts are decrypted only for signers who',
      'agreed to share them; about two thirds of the synthetic signers agreed to share their name; the rest appear as "Signatory, <county>".',
      '"load" is the machine\'s 1-minute load average as the export started: above 1, other work shared the two cores.',
      '',
      `Start-up, \`imlu --help\`: peak RSS **${mb(compiledStartKb)} MB** compiled, ${mb(sourceStartKb)} MB through tsx (the source, when no current build exists).`,
      '',
      `Fixture (batched INSERTs of realistic rows, real encryption, synchronous=OFF; not the signing path): ${fills.join('; ')}.`,
      '',
      ...sections.flatMap((s) => [s, '']),
      'How: each page of 1,000 rows is one keyset query selecting only the exported columns (names and contacts only where the signer',
      'consented; contacts only when asked for) that answers the whole page as one text value, split by position (`api/src/exports/rows.ts`);',
      'the page is decrypted and written as one chunk, and the file stream\'s backpressure holds the reader back. `--reader worker` reads the',
      'next page in a worker thread with a read-only connection of its own meanwhile. pdfkit is loaded only for a PDF. See docs/exports.md.',
      END,
    ].join('\n');
    process.stdout.write(`${section}\n`);
    writeDocSection(DOC, START, END, section);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
