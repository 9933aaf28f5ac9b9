/**
 * `pnpm --filter @imlu/api bench:export` (root: `pnpm bench:export`): the export path at scale.
 *
 * 1. Generates BENCH_EXPORT_ROWS (default 1,000,000) signatures in a fresh libSQL file (WAL,
 *    synchronous=FULL) with direct batched INSERTs and real AES-256-GCM encryption of every name and
 *    contact (`test/synthetic.ts`) — not the signing path, which `pnpm bench` measures — and times it.
 * 2. In a separate process (so its memory is the export's alone), exports them as one CSV through the same
 *    code as `imlu export` (keyset pages of 1000 rows, stream backpressure), sampling
 *    `process.memoryUsage()` (rss, heapUsed) every 100 ms.
 * 3. Prints the figures and replaces the export section of `docs/performance.md`.
 *
 * Local files only; bounded by the row count. Never part of the test suite.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '../src/config/env.ts';
import { createCampaign } from '../src/campaigns/create.ts';
import { createDb, migrateDb } from '../src/db/client.ts';
import { FieldCrypto } from '../src/signing/crypto.ts';
import { cliActor } from '../src/auth/actor.ts';
import { exportToDirectory } from '../src/exports/run.ts';
import { insertSignatures, syntheticRow } from '../test/synthetic.ts';

const START = '<!-- export-bench:start -->';
const END = '<!-- export-bench:end -->';
const DOC = path.join(REPO_ROOT, 'docs', 'performance.md');
const ROWS = Number(process.env['BENCH_EXPORT_ROWS'] ?? 1_000_000);
const PAGE_SIZE = 1000;

interface ExportFigures {
  seconds: number;
  rows: number;
  bytes: number;
  pages: number;
  maxPage: number;
  peakRssMb: number;
  peakHeapMb: number;
  /** RSS (MB) when 10 %, 20 %, … 100 % of the rows had been written: flat means the last ≈ the first. */
  rssAtDecile: number[];
  startRssMb: number;
  samples: number;
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const fmt = (n: number) => n.toLocaleString('en-GB');

/** Phase 2, run in its own process: export and sample memory. */
async function exportPhase(dbFile: string, outDir: string, keysHex: string): Promise<void> {
  const [enc, idx] = keysHex.split(':').map((h) => Buffer.from(h, 'hex'));
  const crypto = new FieldCrypto({ encryptionKey: enc!, blindIndexKey: idx! });
  const db = await createDb(`file:${dbFile}`);
  const campaignId = String((await db.client.execute('SELECT id FROM campaigns LIMIT 1')).rows[0]![0]);
  const startRss = process.memoryUsage().rss;
  let peakRss = startRss;
  let peakHeap = process.memoryUsage().heapUsed;
  let samples = 0;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
    samples += 1;
  }, 100);
  let pages = 0;
  let maxPage = 0;
  let done = 0;
  const rssAtDecile: number[] = [];
  const ROWS_IN_DB = Number((await db.client.execute('SELECT COUNT(*) FROM signatures')).rows[0]![0]);
  const campaign = {
    id: campaignId,
    slug: 'bench',
    kind: 'petition' as const,
    title: { en: 'Bench', sw: 'Bench' },
    summary: { en: '', sw: '' },
    body: { en: '', sw: '' },
    goal: null,
    status: 'open' as const,
    opensAt: null,
    closesAt: null,
    verification: 'none' as const,
    consentVersion: 'v1',
    challenge: 'none' as const,
    rateLimits: null,
    phoneHousehold: 2,
    createdAt: 0,
    updatedAt: 0,
    demands: [],
  };
  const t0 = performance.now();
  const { manifest } = await exportToDirectory(
    db,
    crypto,
    {
      campaign,
      format: 'csv',
      filter: {},
      locale: 'en',
      includeContacts: false,
      pageSize: PAGE_SIZE,
      onPage: (n) => {
        pages += 1;
        maxPage = Math.max(maxPage, n);
        done += n;
        while (rssAtDecile.length < 10 && done >= (ROWS_IN_DB * (rssAtDecile.length + 1)) / 10) rssAtDecile.push(mb(process.memoryUsage().rss));
      },
    },
    { dir: outDir, actor: cliActor(), now: Date.now() },
  );
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(timer);
  db.close();
  const figures: ExportFigures = {
    seconds,
    rows: manifest.totalRows,
    bytes: manifest.files[0]!.bytes,
    pages,
    maxPage,
    peakRssMb: mb(peakRss),
    peakHeapMb: mb(peakHeap),
    rssAtDecile,
    startRssMb: mb(startRss),
    samples,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

async function main(): Promise<void> {
  if (process.argv[2] === '--export-phase') return exportPhase(process.argv[3]!, process.argv[4]!, process.argv[5]!);

  const dir = mkdtempSync(path.join(tmpdir(), 'imlu-export-bench-'));
  try {
    const dbFile = path.join(dir, 'bench.db');
    const keys = { encryptionKey: randomBytes(32), blindIndexKey: randomBytes(32) };
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
    process.stderr.write(`generating ${fmt(ROWS)} signatures…\n`);
    const start = Date.UTC(2026, 0, 1);
    const g0 = performance.now();
    await insertSignatures(
      db.client,
      crypto,
      campaignId,
      (function* rows() {
        for (let i = 0; i < ROWS; i++) yield syntheticRow(i, start);
      })(),
      { batchSize: 10_000 },
    );
    const generateSeconds = (performance.now() - g0) / 1000;
    db.close();
    const dbBytes = statSync(dbFile).size;
    process.stderr.write(`generated in ${generateSeconds.toFixed(1)} s; exporting…\n`);

    const outDir = path.join(dir, 'out');
    const script = fileURLToPath(import.meta.url);
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ['--import', 'tsx', script, '--export-phase', dbFile, outDir, `${keys.encryptionKey.toString('hex')}:${keys.blindIndexKey.toString('hex')}`],
        { cwd: path.dirname(script), maxBuffer: 1 << 20 },
        (error, out, err) => (error ? reject(new Error(`export phase failed: ${err}`)) : resolve(out)),
      ),
    );
    const e = JSON.parse(stdout.trim().split('\n').pop()!) as ExportFigures;
    const cpu = cpus()[0]?.model ?? 'unknown CPU';
    const table = [
      '| step | rows | time | rate | memory |',
      '|---|---:|---:|---:|---|',
      `| generate (batched INSERTs of 100 rows, 10,000 per transaction, real encryption) | ${fmt(ROWS)} | ${generateSeconds.toFixed(1)} s | ${fmt(Math.round(ROWS / generateSeconds))} rows/s | database file ${fmt(Math.round(dbBytes / 1024 / 1024))} MB |`,
      `| export CSV (keyset pages of ${fmt(PAGE_SIZE)}, decrypt, stream to file) | ${fmt(e.rows)} | ${e.seconds.toFixed(1)} s | ${fmt(Math.round(e.rows / e.seconds))} rows/s | peak RSS ${e.peakRssMb} MB (${e.startRssMb} MB at start), peak heap ${e.peakHeapMb} MB |`,
    ].join('\n');
    const section = [
      START,
      '## Exports: a million signatures',
      '',
      `Measured ${new Date().toISOString().slice(0, 10)} with \`pnpm bench:export\` (\`api/bench/export.ts\`) on ${cpus().length} × ${cpu}, ${fmt(Math.round(totalmem() / 1024 ** 3))} GiB.`,
      `Generation writes straight into \`signatures\` (not the signing path, which the section above measures).`,
      `The export runs in its own process through the same code as \`imlu export\`; memory sampled every 100 ms (${fmt(e.samples)} samples).`,
      '',
      table,
      '',
      `Resident memory after each tenth of the rows (MB): ${e.rssAtDecile.join(' · ')}. Flat memory means the later figures stay near the first ones, whatever the row count.`,
      '',
      `The export issued ${fmt(e.pages)} queries of at most ${fmt(e.maxPage)} rows (the last one empty) and wrote ${fmt(Math.round(e.bytes / 1024 / 1024))} MB of CSV.`,
      `About two thirds of the synthetic signers consented to share their name with the targets; the other third are written as "Signatory, <county>" without decrypting the name.`,
      'Memory stays flat because each page is read, decrypted and written before the next is fetched, and the',
      'file stream\'s backpressure stops the reader when the disk is slower (TOOLCHAIN.md measured 770 MB for one 1M-row SELECT).',
      END,
    ].join('\n');
    process.stdout.write(`${table}\n`);
    const current = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '# Performance\n';
    const s = current.indexOf(START);
    const en = current.indexOf(END);
    writeFileSync(DOC, s >= 0 && en > s ? `${current.slice(0, s)}${section}${current.slice(en + END.length)}` : `${current.trimEnd()}\n\n${section}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
