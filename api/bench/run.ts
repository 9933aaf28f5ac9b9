/**
 * `pnpm --filter @imlu/api bench` (root: `pnpm bench`): signing under load, built so that a cliff cannot
 * hide (issue 15): a minute per phase, a database as big as a campaign that went viral, the e-mail path,
 * throughput per window, and yardsticks measured in the same run.
 *
 * 1. Databases (`prefill.ts`): an empty one, and one pre-filled with `BENCH_PREFILL_ROWS` (1,000,000)
 *    signatures and as many idempotency keys, for each campaign kind; built once per migration set and kept
 *    in the temp directory, copied for each phase.
 * 2. Yardsticks (`baselines.ts`): the reference signing server under the same load as the project, and a
 *    bare Hono hello-world under the count pollers alone. Skipped, and said so, when they cannot be installed.
 * 3. Four signing phases: {empty, pre-filled} × {a campaign that counts at once, one that confirms by
 *    e-mail}. Each starts the real server (`src/main.ts`, production mode, `child.ts`) on its own copy; for
 *    `BENCH_SECONDS` (60) 50 connections POST distinct valid signatures, each with an Idempotency-Key and the
 *    partner Origin as the widget sends them, while 50 connections poll `GET …/counts` (`load.ts`: throughput
 *    and p99 per 10-second window). After the first phase the pollers run alone (counts idle). Then SIGTERM,
 *    and the database must agree with the answers: every acknowledged signature stored, counted once (pending
 *    while it waits for its e-mail), with its idempotency record and, by e-mail, its confirmation message.
 *    The e-mail campaign's server sends through an SMTP sink on this machine (`mail-sink.ts`), as a
 *    deployment with `SMTP_URL` does; `BENCH_MAIL=queue` runs it without `SMTP_URL` instead (production's
 *    behaviour without a mail provider: the messages wait in the outbox).
 * 4. The raw writer on the same four databases (`measureWriterThroughput`: `BENCH_WRITER_ROWS`, 50,000, or
 *    `BENCH_SECONDS` if that comes first, from 50 submitters, with the statements the HTTP path runs).
 * 5. The report (`report.ts`) is printed, and written into the API section of `docs/performance.md` unless a
 *    request failed or a check disagreed (such a run measures the failure). A shortened trial prints only,
 *    unless `BENCH_PUBLISH=1`.
 * 6. New and duplicate signatures answer alike (`answer-alike.ts`), in its own section.
 *
 * Loopback only. `BENCH_SECONDS`, `BENCH_PREFILL_ROWS` and `BENCH_WRITER_ROWS` shorten a trial.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { createCampaign } from '../src/campaigns/create.ts';
import { DEMO_CAMPAIGN } from '../src/campaigns/demo-seed.ts';
import { REPO_ROOT } from '../src/config/env.ts';
import { createDb, migrateDb } from '../src/db/client.ts';
import { benchSignerBody, measureWriterThroughput } from '../src/signing/throughput.ts';
import { answerAlikePhase, writeAnswerAlikeDoc } from './answer-alike.ts';
import { prepareBaselines, startHello, startReference, type Baselines } from './baselines.ts';
import { ORIGIN, startChild } from './child.ts';
import { cpuMeter, type CpuUse } from './cpu.ts';
import { failed, runLoad, type LoadSpec, type LoadStats } from './load.ts';
import { describeMachine } from './machine.ts';
import { startMailSink, type MailSink } from './mail-sink.ts';
import { BENCH_SLUGS, campaignFigures, copyPrefilled, prefilled, type BenchVerification, type Prefilled } from './prefill.ts';
import { checkPhase, renderReport, writeReport, type Config, type HelloStats, type ReferenceStats, type Report, type SigningPhase, type WriterPhase } from './report.ts';

const DEFAULTS = { seconds: 60, prefillRows: 1_000_000, writerRows: 50_000 };

function positive(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number above 0`);
  return value;
}

const seconds = positive('BENCH_SECONDS', DEFAULTS.seconds);
const config: Config = {
  seconds,
  // A trial's windows and idle phase shrink with it, so a 5-second run still shows several windows.
  windowSeconds: Math.min(10, Math.max(1, Math.floor(seconds / 6))),
  idleSeconds: Math.max(3, Math.min(15, Math.round(seconds / 4))),
  prefillRows: positive('BENCH_PREFILL_ROWS', DEFAULTS.prefillRows),
  writerRows: positive('BENCH_WRITER_ROWS', DEFAULTS.writerRows),
  signConnections: 50,
  pollConnections: 50,
  writerSubmitters: 50,
  mail: process.env.BENCH_MAIL === 'queue' ? 'queue' : 'sink',
};
const TRIAL = config.seconds < DEFAULTS.seconds || config.prefillRows < DEFAULTS.prefillRows || config.writerRows < DEFAULTS.writerRows;
const PUBLISH = !TRIAL || process.env.BENCH_PUBLISH === '1';
const DOC = path.join(REPO_ROOT, 'docs', 'performance.md');

const RUN_STARTED = performance.now();
/** Each line with the time into the run, so the lead can see what a full run spends where. */
const log = (line: string) => console.info(`[${((performance.now() - RUN_STARTED) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const VERIFICATIONS: BenchVerification[] = ['none', 'email'];

async function main(): Promise<void> {
  const loadAtStart = loadavg();
  const workDir = mkdtempSync(path.join(tmpdir(), 'imlu-bench-'));
  try {
    log(
      `pnpm bench: ${config.seconds} s per signing phase, ${config.signConnections} signing + ${config.pollConnections} polling connections, ` +
        `${config.prefillRows.toLocaleString('en-US')} pre-filled signatures, ${config.writerRows.toLocaleString('en-US')} raw-writer rows${TRIAL ? ' (a trial)' : ''}`,
    );
    const prefillStarted = performance.now();
    const filled = {} as Record<BenchVerification, Prefilled>;
    for (const verification of VERIFICATIONS) filled[verification] = await prefilled(verification, config.prefillRows, log);
    const prefillSeconds = (performance.now() - prefillStarted) / 1000;

    const baselines = prepareBaselines(log);
    const reference = 'skipped' in baselines ? undefined : await referencePhase(baselines);
    const hello = 'skipped' in baselines ? undefined : await helloPhase(baselines);

    const signing: SigningPhase[] = [];
    for (const database of ['empty', 'prefilled'] as const) {
      for (const verification of VERIFICATIONS) {
        const source = database === 'prefilled' ? filled[verification] : undefined;
        signing.push(await signingPhase(workDir, verification, source, signing.length === 0));
      }
    }
    const writer: WriterPhase[] = [];
    for (const database of ['empty', 'prefilled'] as const) {
      for (const verification of VERIFICATIONS) writer.push(await writerPhase(workDir, verification, database === 'prefilled' ? filled[verification] : undefined));
    }

    const report: Report = {
      config,
      trial: TRIAL,
      date: new Date().toISOString().slice(0, 10),
      machine: describeMachine(loadAtStart),
      seconds: (performance.now() - RUN_STARTED) / 1000,
      prefill: { rows: config.prefillRows, seconds: prefillSeconds, built: VERIFICATIONS.filter((v) => filled[v].built).map((v) => ({ verification: v, seconds: filled[v].seconds })) },
      baselines: 'skipped' in baselines ? { skipped: baselines.skipped } : { versions: baselines.versions, reference: reference!, hello: hello! },
      signing,
      writer,
    };
    const text = renderReport(report);
    console.info(`\n${text}\n`);
    const problems = [
      ...signing.flatMap((phase) => phase.problems.map((problem) => `${phase.label}: ${problem}`)),
      ...('skipped' in report.baselines
        ? []
        : [
            ...(failed(report.baselines.reference.sign) || failed(report.baselines.reference.counts) ? ['the reference server had failed requests'] : []),
            ...(failed(report.baselines.hello) ? ['the hello-world had failed requests'] : []),
          ]),
    ];
    if (problems.length) {
      console.error(`The API section of docs/performance.md is left unchanged:\n- ${problems.join('\n- ')}`);
      process.exitCode = 1;
    } else if (!PUBLISH) {
      log('A trial run: docs/performance.md left unchanged (BENCH_PUBLISH=1 writes it anyway).');
    } else {
      writeReport(DOC, text);
      log(`Wrote the API section of ${path.relative(REPO_ROOT, DOC)}`);
    }
    // Its own measurement with its own section: it runs whatever became of the one above.
    log('Answer-alike phase: new and duplicate signatures, sequential and concurrent …');
    const alike = await answerAlikePhase(path.join(workDir, 'alike'));
    if (PUBLISH) writeAnswerAlikeDoc(DOC, describeMachine(), alike);
    log('Done.');
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** A database for one phase: a fresh one with the campaign, or a copy of the pre-filled file. */
async function phaseDatabase(dir: string, verification: BenchVerification, source: Prefilled | undefined) {
  if (source) {
    const shifted = await copyPrefilled(source, dir);
    if (shifted) log(`  moved the copy's idempotency records ${(shifted / 3600).toFixed(1)} h forward, or start-up pruning would delete them`);
    return { keys: source.keys, campaignId: source.campaignId };
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const db = await createDb(`file:${path.join(dir, 'imlu.db')}`);
  try {
    await migrateDb(db);
    // Production seeds nothing: the campaign goes in before the server starts.
    const campaignId = await createCampaign(db, { ...DEMO_CAMPAIGN, slug: BENCH_SLUGS[verification], verification });
    return { keys: { encryptionKey: randomBytes(32), blindIndexKey: randomBytes(32) }, campaignId };
  } finally {
    db.close();
  }
}

const label = (verification: BenchVerification, source: Prefilled | undefined) =>
  `${source ? `${source.rows.toLocaleString('en-US')} signatures + keys` : 'empty'}, ${verification === 'email' ? 'confirms by e-mail' : 'counted at once'}`;

async function signingPhase(workDir: string, verification: BenchVerification, source: Prefilled | undefined, withIdle: boolean): Promise<SigningPhase> {
  const name = label(verification, source);
  const dir = path.join(workDir, `${source ? 'prefilled' : 'empty'}-${verification}`);
  let sink: MailSink | undefined;
  try {
    const { keys, campaignId } = await phaseDatabase(dir, verification, source);
    const readFigures = async () => {
      const db = await createDb(`file:${path.join(dir, 'imlu.db')}`);
      try {
        return await campaignFigures(db, campaignId);
      } finally {
        db.close();
      }
    };
    const before = await readFigures();
    if (verification === 'email' && config.mail === 'sink') sink = await startMailSink();
    log(`Signing phase (${name}): ${config.seconds} s …`);
    const spawned = performance.now();
    const server = await startChild(dir, {
      ENCRYPTION_KEY: keys.encryptionKey.toString('base64'),
      BLIND_INDEX_KEY: keys.blindIndexKey.toString('base64'),
      ...(sink ? { SMTP_URL: sink.url } : {}),
    });
    const startSeconds = (performance.now() - spawned) / 1000;
    const slug = BENCH_SLUGS[verification];
    const counts: LoadSpec = { url: `${server.apiUrl}/v1/campaigns/${slug}/counts`, connections: config.pollConnections };
    const sign: LoadSpec = {
      url: `${server.apiUrl}/v1/campaigns/${slug}/signatures`,
      connections: config.signConnections,
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      // A different signer for every request: the dedupe index sees only new keys, as in a real surge.
      request: (i) => ({ body: JSON.stringify(benchSignerBody(i, verification)), headers: { 'idempotency-key': `bench-${process.pid}-${verification}-${i}` } }),
    };
    let loads: LoadStats[];
    let idle: LoadStats | undefined;
    let cpu: CpuUse;
    let idleCpu: CpuUse | undefined;
    try {
      let stopMeter = cpuMeter(server.pid);
      loads = await runLoad([sign, counts], config.seconds, config.windowSeconds);
      cpu = stopMeter();
      if (withIdle) {
        log(`Counts idle (${name}): ${config.idleSeconds} s …`);
        stopMeter = cpuMeter(server.pid);
        [idle] = await runLoad([counts], config.idleSeconds, config.idleSeconds);
        idleCpu = stopMeter();
      }
    } finally {
      // SIGTERM writes every pending signature before the server exits: only then is the database final.
      await server.stop();
    }
    const received = await sink?.stop();
    sink = undefined;
    const phase: SigningPhase = {
      label: name,
      verification,
      prefilled: source ? source.rows : 0,
      startSeconds,
      sign: loads[0]!,
      counts: loads[1]!,
      idle,
      cpu,
      idleCpu,
      before,
      after: await readFigures(),
      mail: verification === 'email' ? { mode: config.mail, received } : undefined,
      problems: [],
    };
    phase.problems = checkPhase(phase);
    return phase;
  } finally {
    await sink?.stop().catch(() => 0);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function writerPhase(workDir: string, verification: BenchVerification, source: Prefilled | undefined): Promise<WriterPhase> {
  const name = label(verification, source);
  const dir = path.join(workDir, `writer-${source ? 'prefilled' : 'empty'}-${verification}`);
  log(`Raw writer (${name}): ${config.writerRows.toLocaleString('en-US')} rows from ${config.writerSubmitters} submitters …`);
  const { keys, campaignId } = await phaseDatabase(dir, verification, source);
  // The database thread times each statement of the writer's transactions, for the report's breakdown.
  const db = await createDb(`file:${path.join(dir, 'imlu.db')}`, undefined, { timeStatements: true });
  try {
    const result = await measureWriterThroughput(db, {
      rows: config.writerRows,
      submitters: config.writerSubmitters,
      maxSeconds: config.seconds,
      verification,
      campaignId,
      keys,
      origin: ORIGIN,
    });
    return { label: name, verification, prefilled: source ? source.rows : 0, result };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function referencePhase(baselines: Baselines): Promise<ReferenceStats> {
  log(`Reference server: ${config.seconds} s, the same load …`);
  const server = await startReference(baselines);
  try {
    const stopMeter = cpuMeter(server.pid);
    const [sign, counts] = await runLoad(
      [
        {
          url: `${server.url}/sign`,
          connections: config.signConnections,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          request: (i) => ({ body: JSON.stringify({ name: `Bench Signer ${i}`, email: `s${i}@example.org`, country: 'KE' }) }),
        },
        { url: `${server.url}/count`, connections: config.pollConnections },
      ],
      config.seconds,
      config.windowSeconds,
    );
    return { sign: sign!, counts: counts!, cpu: stopMeter() };
  } finally {
    await server.stop();
  }
}

async function helloPhase(baselines: Baselines): Promise<HelloStats> {
  log(`Hono hello-world: ${config.idleSeconds} s, the count pollers alone …`);
  const server = await startHello(baselines);
  try {
    const stopMeter = cpuMeter(server.pid);
    const [hello] = await runLoad([{ url: `${server.url}/v1/campaigns/bench/counts`, connections: config.pollConnections }], config.idleSeconds, config.idleSeconds);
    return { ...hello!, cpu: stopMeter() };
  } finally {
    await server.stop();
  }
}

await main();
