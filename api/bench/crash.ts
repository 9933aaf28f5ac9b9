/**
 * `pnpm bench:crash` (`pnpm --filter @imlu/api bench:crash`): the fault harness. Every scenario runs the REAL
 * server (`src/main.ts`, production mode) on a temporary database with keys this harness chose, drives it
 * with distinct valid signatures (each with its own Idempotency-Key) over keep-alive connections, does
 * something bad to it, and then checks the database with the server down: every acknowledged (2xx)
 * signature is there — its stored contact decrypted and compared with what was acknowledged — none twice,
 * `PRAGMA integrity_check` is ok, and the counts table equals the rows (`crash-verify.ts`).
 *
 * 1. kill -9: `CRASH_ROUNDS` rounds (default 100) of start, sign, SIGKILL at a random moment, restart. What
 *    got no answer is sent again in the next round with the same key and body, as a client would.
 * 2. SMTP outage: a campaign that confirms by e-mail, a real SMTP server (`smtp-server`) stopped for
 *    `CRASH_SMTP_OUTAGE_SECONDS` (default 45) with a server restart in the middle; once it is back every
 *    acknowledged signer gets exactly one confirmation e-mail.
 * 3. A foreign write lock: another process holds `BEGIN IMMEDIATE` for 10 s during signing. `/health` and
 *    `/counts` must answer within 100 ms throughout, signing must answer 503 with `Retry-After`, then 201
 *    within 1 s of the release; `/ready` fails during the lock.
 * 4. A full disk: the data directory on a small tmpfs (as root; skipped otherwise, said so), filled up
 *    during signing, then freed: `/ready` must fail while full, and signing and `/ready` recover after.
 * 5. SIGTERM under keep-alive load (50 connections): the process exits within 2 s, exit code 0.
 *
 * Prints a table and writes the fault section of `docs/performance.md` (only when every scenario ran;
 * `CRASH_SCENARIOS=kill,lock` runs some). Exits 1 if any check failed: a failed check is a finding, and
 * the section says which.
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ParsedMail } from 'mailparser';
import { createCampaign, type NewCampaign } from '../src/campaigns/create.ts';
import { DEMO_CAMPAIGN } from '../src/campaigns/demo-seed.ts';
import { REPO_ROOT } from '../src/config/env.ts';
import { createDb, migrateDb } from '../src/db/client.ts';
import { startTestSmtp } from '../test/smtp.ts';
import { pause, Poller, SignatureSource, SigningLoad, type Answer, type ContactKind, type SignatureSpec } from './crash-load.ts';
import { API_DIR, newKeys, startServer, type ServerProcess } from './crash-server.ts';
import { verifyDatabase, type Verdict } from './crash-verify.ts';
import { describeMachine } from './machine.ts';
import { writeDocSection } from './doc-section.ts';

const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 100);
const SCENARIOS = ['kill', 'smtp', 'lock', 'disk', 'sigterm'] as const;
type Scenario = (typeof SCENARIOS)[number];
const SELECTED = new Set((process.env.CRASH_SCENARIOS?.split(',').map((s) => s.trim()) ?? SCENARIOS) as Scenario[]);
const SMTP_OUTAGE_S = Number(process.env.CRASH_SMTP_OUTAGE_SECONDS ?? 45);
const LOCK_MS = 10_000;
const DOC = path.join(REPO_ROOT, 'docs', 'performance.md');
const START = '<!-- crash-bench:start -->';
const END = '<!-- crash-bench:end -->';
const RUN_ID = Date.now().toString(36);

/** A campaign that counts at once (signatures by phone), and one that confirms by e-mail. */
const COUNTING: NewCampaign = { ...DEMO_CAMPAIGN, slug: 'crash-counting', verification: 'none' };
const CONFIRMING: NewCampaign = { ...DEMO_CAMPAIGN, slug: 'crash-confirming', verification: 'email' };

interface Check {
  name: string;
  ok: boolean;
  figure: string;
}

interface ScenarioResult {
  title: string;
  checks: Check[];
  /** Lines under the table: what was measured that is not a pass/fail. */
  notes: string[];
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ms = (n: number) => `${fmt(n)} ms`;
const seconds = (n: number) => `${fmt(n / 1000, 1)} s`;

async function main(): Promise<void> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'imlu-crash-'));
  const results: ScenarioResult[] = [];
  try {
    for (const scenario of SCENARIOS) {
      if (!SELECTED.has(scenario)) continue;
      const dir = path.join(workDir, scenario);
      mkdirSync(dir, { recursive: true });
      console.info(`\n== ${scenario} ==`);
      const result = await RUNNERS[scenario](dir);
      results.push(result);
      for (const check of result.checks) console.info(`  ${check.ok ? 'ok  ' : 'FAIL'} ${check.name}: ${check.figure}`);
      for (const note of result.notes) console.info(`       ${note}`);
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  const failed = results.flatMap((r) => r.checks.filter((c) => !c.ok).map((c) => `${r.title}: ${c.name}`));
  console.info(failed.length ? `\n${failed.length} check(s) failed:\n- ${failed.join('\n- ')}` : '\nEvery check passed.');
  if (SCENARIOS.every((s) => SELECTED.has(s))) {
    writeDoc(results);
    console.info(`Wrote the results into ${path.relative(REPO_ROOT, DOC)}`);
  } else {
    console.info('Not every scenario ran: docs/performance.md left unchanged.');
  }
  if (failed.length) process.exitCode = 1;
}

const RUNNERS: Record<Scenario, (dir: string) => Promise<ScenarioResult>> = {
  kill: killRounds,
  smtp: smtpOutage,
  lock: foreignLock,
  disk: diskFull,
  sigterm: sigtermUnderLoad,
};

/** A fresh migrated database with the given campaigns; their ids by slug. */
async function prepare(dataDir: string, campaigns: NewCampaign[]): Promise<Record<string, string>> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = await createDb(`file:${path.join(dataDir, 'imlu.db')}`);
  try {
    await migrateDb(db);
    const ids: Record<string, string> = {};
    for (const campaign of campaigns) ids[campaign.slug] = await createCampaign(db, campaign);
    return ids;
  } finally {
    db.close();
  }
}

function verdictChecks(verdict: Verdict, prefix = ''): Check[] {
  return [
    { name: `${prefix}acknowledged signatures lost`, ok: verdict.missing === 0, figure: `${fmt(verdict.missing)} of ${fmt(verdict.acknowledged)}` },
    { name: `${prefix}signatures stored twice`, ok: verdict.duplicated === 0, figure: fmt(verdict.duplicated) },
    { name: `${prefix}PRAGMA integrity_check`, ok: verdict.integrity === 'ok', figure: verdict.integrity },
    { name: `${prefix}counts table = rows`, ok: verdict.countDrifts === 0, figure: verdict.countDrifts ? `${verdict.countDrifts} buckets differ` : `equal (${fmt(verdict.counted)} counted, ${fmt(verdict.pending)} pending)` },
  ];
}

const statusTally = (answers: Answer[]) => {
  const tally = new Map<number, number>();
  for (const a of answers) tally.set(a.status, (tally.get(a.status) ?? 0) + 1);
  return [...tally].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${fmt(n)}`).join(', ') || 'none';
};

// ------------------------------------------------------------------------------------------------------
// 1. kill -9 during signing

async function killRounds(dir: string): Promise<ScenarioResult> {
  const keys = newKeys();
  const ids = await prepare(dir, [COUNTING]);
  const campaign = { id: ids[COUNTING.slug]!, contact: 'phone' as ContactKind };
  const source = new SignatureSource(RUN_ID, 'phone');
  const acknowledged = new Set<string>();
  let retry: SignatureSpec[] = [];
  const readyMs: number[] = [];
  const failures: string[] = [];
  let replays = 0;
  let verdict: Verdict | undefined;
  let networkErrors = 0;
  let unexpected = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    const server = await startServer(dir, keys);
    readyMs.push(server.readyAt - server.spawnedAt);
    const retried = new Set(retry.map((s) => s.contact));
    const load = new SigningLoad(server.apiUrl, COUNTING.slug, source, { connections: 16, retry });
    load.start();
    await pause(200 + Math.random() * 1300);
    server.kill('SIGKILL');
    await server.exited;
    await load.stop();
    networkErrors += load.networkErrors;
    unexpected += load.unexpected;
    for (const contact of load.acknowledged.keys()) {
      acknowledged.add(contact);
      if (retried.has(contact)) replays++;
    }
    retry = dedupe(load.unanswered.filter((s) => !load.acknowledged.has(s.contact)));
    verdict = await verifyDatabase(path.join(dir, 'imlu.db'), keys, campaign, acknowledged);
    if (!verdict.ok) failures.push(`round ${round}: ${JSON.stringify(verdict)}`);
    console.info(
      `  round ${round}/${ROUNDS}: ${fmt(load.acknowledged.size)} acknowledged (${fmt(acknowledged.size)} in all), ready in ${ms(readyMs.at(-1)!)}, ` +
        `${verdict.ok ? 'database ok' : `MISMATCH ${JSON.stringify(verdict)}`}`,
    );
  }
  const final = verdict!;
  return {
    title: `kill -9 during signing, ${ROUNDS} rounds`,
    checks: [
      ...verdictChecks(final),
      { name: 'rounds with a mismatch', ok: failures.length === 0, figure: failures.length ? failures.slice(0, 3).join('; ') : `0 of ${ROUNDS}` },
      { name: 'answers other than 2xx/503', ok: unexpected === 0, figure: fmt(unexpected) },
    ],
    notes: [
      `${fmt(acknowledged.size)} signatures acknowledged over ${ROUNDS} rounds; ${fmt(final.rows)} rows stored ` +
        `(${fmt(final.rows - acknowledged.size)} committed but cut off before their answer, never sent again).`,
      `${fmt(replays)} signatures cut off by a kill were acknowledged when sent again (same Idempotency-Key) after the restart; requests refused or reset by the kills: ${fmt(networkErrors)}.`,
      `Ready again (spawn to \`/ready\` 200) in ${ms(Math.min(...readyMs))}–${ms(Math.max(...readyMs))}, median ${ms(median(readyMs))}.`,
    ],
  };
}

function dedupe(specs: SignatureSpec[]): SignatureSpec[] {
  return [...new Map(specs.map((s) => [s.contact, s])).values()];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

// ------------------------------------------------------------------------------------------------------
// 2. SMTP outage, with a restart during it

async function smtpOutage(dir: string): Promise<ScenarioResult> {
  const keys = newKeys();
  const ids = await prepare(dir, [CONFIRMING]);
  const campaign = { id: ids[CONFIRMING.slug]!, contact: 'email' as ContactKind };
  const smtp = await startTestSmtp();
  const env = { SMTP_URL: smtp.url, MAIL_FROM: 'IMLU <no-reply@imlu.example>' };
  const source = new SignatureSource(RUN_ID, 'email');
  const acknowledged = new Set<string>();
  const signFor = async (server: ServerProcess, millis: number) => {
    const load = new SigningLoad(server.apiUrl, CONFIRMING.slug, source, { connections: 4 });
    load.start();
    await pause(millis);
    await load.stop();
    for (const contact of load.acknowledged.keys()) acknowledged.add(contact);
  };
  let server = await startServer(dir, keys, env);
  let restartExit: number | null;
  let outageEnd: number;
  let lastMailAt: number;
  let received: ParsedMail[];
  let confirmed = 0;
  try {
    await signFor(server, 1000);
    await smtp.stop();
    const outageStart = performance.now();
    await signFor(server, (SMTP_OUTAGE_S * 1000) / 2);
    // An operator restarts the server in the middle of the outage.
    server.kill('SIGTERM');
    restartExit = (await server.exited).code;
    server = await startServer(dir, keys, env);
    await signFor(server, Math.max(0, SMTP_OUTAGE_S * 1000 - (performance.now() - outageStart)));
    await smtp.restart();
    outageEnd = performance.now();
    // Every acknowledged signer's message, however long its retry schedule makes it wait (at most a few minutes).
    const deadline = performance.now() + 10 * 60_000;
    while (performance.now() < deadline) {
      received = smtp.received;
      if (new Set(received.map(recipient)).size >= acknowledged.size) break;
      await pause(500);
    }
    lastMailAt = performance.now();
    // Long enough for a duplicate to show up, if one were coming.
    await pause(5000);
    received = smtp.received;
    // Every signer confirms with the link in their e-mail: then every acknowledged signature must count.
    for (const mail of received) {
      const link = /https?:\/\/\S+\/v1\/confirm\/[\w.-]+/.exec(mail.text ?? '')?.[0];
      if (!link) continue;
      // The server listens on a new port after its restart: the link's path, on the current address.
      const answer = await fetch(`${server.apiUrl}${new URL(link).pathname}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin' },
        body: '',
      });
      if (answer.ok) confirmed++;
    }
    server.kill('SIGTERM');
    await server.exited;
  } finally {
    server.kill('SIGKILL');
    await smtp.stop().catch(() => {});
  }
  const perRecipient = new Map<string, number>();
  for (const mail of received) perRecipient.set(recipient(mail), (perRecipient.get(recipient(mail)) ?? 0) + 1);
  const missing = [...acknowledged].filter((c) => !perRecipient.has(c)).length;
  const duplicated = [...perRecipient.values()].filter((n) => n > 1).length;
  const verdict = await verifyDatabase(path.join(dir, 'imlu.db'), keys, campaign, acknowledged);
  return {
    title: `SMTP outage of ${SMTP_OUTAGE_S} s with a restart during it`,
    checks: [
      ...verdictChecks(verdict),
      { name: 'acknowledged signers without their confirmation e-mail', ok: missing === 0, figure: `${fmt(missing)} of ${fmt(acknowledged.size)}` },
      { name: 'signers who got it twice', ok: duplicated === 0, figure: fmt(duplicated) },
      { name: 'acknowledged signatures counted once their links were followed', ok: verdict.counted === acknowledged.size, figure: `${fmt(verdict.counted)} of ${fmt(acknowledged.size)} (${fmt(confirmed)} links confirmed)` },
      { name: 'restart during the outage exits cleanly', ok: restartExit === 0, figure: `exit code ${restartExit}` },
    ],
    notes: [
      `${fmt(acknowledged.size)} signatures acknowledged (202, pending confirmation) before, during and after the outage; ${fmt(received.length)} e-mails received.`,
      `The last missing e-mail arrived ${seconds(lastMailAt - outageEnd)} after the SMTP server was back (the outbox retries at 30 s, 1 min, 2 min …, with jitter).`,
    ],
  };
}

function recipient(mail: ParsedMail): string {
  const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
  return to?.value[0]?.address ?? '';
}

// ------------------------------------------------------------------------------------------------------
// 3. A write lock held by another process

async function foreignLock(dir: string): Promise<ScenarioResult> {
  const keys = newKeys();
  const ids = await prepare(dir, [COUNTING]);
  const campaign = { id: ids[COUNTING.slug]!, contact: 'phone' as ContactKind };
  const dbFile = path.join(dir, 'imlu.db');
  const server = await startServer(dir, keys);
  const source = new SignatureSource(RUN_ID, 'phone');
  const load = new SigningLoad(server.apiUrl, COUNTING.slug, source, { connections: 4 });
  const health = new Poller(`${server.apiUrl}/health`, 50);
  const counts = new Poller(`${server.apiUrl}/v1/campaigns/${COUNTING.slug}/counts`, 50);
  const ready = new Poller(`${server.apiUrl}/ready`, 250);
  let lockedAt = 0;
  let releasedAt = 0;
  try {
    load.start();
    await pause(1500);
    const locker = spawn(process.execPath, ['--import', 'tsx', 'bench/crash-locker.ts', dbFile, String(LOCK_MS)], { cwd: API_DIR, stdio: ['ignore', 'pipe', 'inherit'] });
    const lockerExit = new Promise((resolve) => locker.on('exit', resolve));
    locker.stdout!.setEncoding('utf8');
    locker.stdout!.on('data', (chunk: string) => {
      if (chunk.includes('locked') && !lockedAt) lockedAt = performance.now();
      if (chunk.includes('released')) releasedAt = performance.now();
    });
    await lockerExit;
    if (!lockedAt || !releasedAt) throw new Error('the locking process did not report its lock');
    // However long writes take to come back, so that the figure is measured, not cut off.
    await until(() => load.answers.find((a) => a.status < 300 && a.endedAt >= releasedAt)?.endedAt, 30_000).catch(() => undefined);
    await pause(2000);
  } finally {
    await Promise.all([load.stop(), health.stop(), counts.stop(), ready.stop()]);
    server.kill('SIGTERM');
    await server.exited;
  }
  const during = (a: Answer) => a.startedAt >= lockedAt && a.startedAt <= releasedAt;
  const signingDuring = load.answers.filter(during);
  const refusals = load.answers.filter((a) => a.status === 503);
  const withoutRetryAfter = refusals.filter((a) => !a.retryAfter).length;
  const firstWriteAfter = Math.min(...load.answers.filter((a) => a.status < 300 && a.endedAt >= releasedAt).map((a) => a.endedAt));
  const lastRefusalAfter = Math.max(releasedAt, ...refusals.filter((a) => a.endedAt >= releasedAt).map((a) => a.endedAt));
  // Readiness follows the writes: from the first refused signature until the release, /ready must fail. (Before
  // that the writer is still waiting for the lock, and what it will say is not known yet.)
  const firstRefusal = Math.min(...signingDuring.filter((a) => a.status === 503).map((a) => a.endedAt));
  const readyDuring = ready.answers.filter((a) => a.startedAt >= firstRefusal && a.endedAt <= releasedAt);
  const healthMax = health.slowest(lockedAt, releasedAt);
  const countsMax = counts.slowest(lockedAt, releasedAt);
  const verdict = await verifyDatabase(dbFile, keys, campaign, load.acknowledged.keys());
  return {
    title: `A write lock held ${seconds(LOCK_MS)} by another process`,
    checks: [
      { name: '/health slowest answer during the lock (≤ 100 ms)', ok: healthMax <= 100, figure: ms(healthMax) },
      { name: 'GET …/counts slowest answer during the lock (≤ 100 ms)', ok: countsMax <= 100, figure: ms(countsMax) },
      { name: 'signing answers 503 during the lock', ok: signingDuring.some((a) => a.status === 503), figure: statusTally(signingDuring) },
      { name: 'every 503 carries Retry-After', ok: withoutRetryAfter === 0, figure: `${fmt(withoutRetryAfter)} of ${fmt(refusals.length)} without` },
      {
        name: 'first 201 after the release (≤ 1 s)',
        ok: Number.isFinite(firstWriteAfter) && firstWriteAfter - releasedAt <= 1000,
        figure: Number.isFinite(firstWriteAfter) ? ms(firstWriteAfter - releasedAt) : 'none within 30 s',
      },
      {
        name: '/ready fails from the first refused signature until the release',
        ok: readyDuring.length > 0 && readyDuring.every((a) => a.status === 503),
        figure: readyDuring.length ? statusTally(readyDuring) : 'no answer in that time',
      },
      ...verdictChecks(verdict),
    ],
    notes: [
      `Signing answers during the whole run: ${statusTally(load.answers)}; the last 503 ended ${ms(lastRefusalAfter - releasedAt)} after the release.`,
      `Slowest /health over the run ${ms(health.slowest(0, Infinity))}, slowest counts ${ms(counts.slowest(0, Infinity))}; ` +
        `${fmt(health.errors + counts.errors)} of their requests failed outright.`,
      ...(Math.max(healthMax, countsMax) > 100
        ? [
            'Known cause of the stall (issue 15): SQLite waits for a lock held elsewhere by sleeping in its busy handler (busy_timeout 5 s), ' +
              'synchronously, on the thread that runs the writer; while that is the event-loop thread, every request waits behind it.',
          ]
        : []),
      ...(!Number.isFinite(firstWriteAfter) || firstWriteAfter - releasedAt > 1000
        ? [
            'Slow recovery: a write still failed this long after the release. The cause found before (issue 15): a statement that gave up ' +
              'waiting for the lock stayed active and kept its read transaction, so every later COMMIT failed until it was garbage-collected; ' +
              'the database thread now takes the lock in BEGIN instead (src/db/thread/worker.mjs). Look for a path that waits in a statement again.',
          ]
        : []),
    ],
  };
}

// ------------------------------------------------------------------------------------------------------
// 4. A full disk

async function diskFull(dir: string): Promise<ScenarioResult> {
  const title = 'A full disk (the data directory on a 16 MB tmpfs)';
  const skip = (why: string): ScenarioResult => ({
    title,
    checks: [],
    notes: [`Skipped: ${why}. Run the harness as root on Linux to include it.`],
  });
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return skip('mounting a small tmpfs needs root on Linux');
  const mountPoint = path.join(dir, 'mnt');
  mkdirSync(mountPoint, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m,mode=0700', 'tmpfs', mountPoint], { stdio: 'pipe' });
  } catch (error) {
    return skip(`mount -t tmpfs failed (${String((error as Error).message).split('\n')[0]})`);
  }
  const dataDir = path.join(mountPoint, 'data');
  const filler = path.join(mountPoint, 'filler');
  try {
    const keys = newKeys();
    const ids = await prepare(dataDir, [COUNTING]);
    const campaign = { id: ids[COUNTING.slug]!, contact: 'phone' as ContactKind };
    const server = await startServer(dataDir, keys);
    const source = new SignatureSource(RUN_ID, 'phone');
    const load = new SigningLoad(server.apiUrl, COUNTING.slug, source, { connections: 4 });
    const ready = new Poller(`${server.apiUrl}/ready`, 250);
    let fullAt = 0;
    let firstFailureAt = 0;
    let freedAt = 0;
    try {
      load.start();
      await pause(1000);
      fillDisk(filler);
      fullAt = performance.now();
      firstFailureAt = await until(() => load.answers.find((a) => a.status === 503 && a.startedAt >= fullAt)?.endedAt, 60_000);
      await pause(3000);
      unlinkSync(filler);
      freedAt = performance.now();
      await until(() => load.answers.find((a) => a.status < 300 && a.startedAt >= freedAt)?.endedAt, 30_000);
      await until(() => ready.answers.find((a) => a.status === 200 && a.startedAt >= freedAt)?.endedAt, 30_000);
      await pause(1000);
    } finally {
      await Promise.all([load.stop(), ready.stop()]);
      if (existsSync(filler)) unlinkSync(filler);
      server.kill('SIGTERM');
      await server.exited;
    }
    const readyWhileFull = ready.answers.filter((a) => firstFailureAt && a.startedAt >= firstFailureAt && a.endedAt <= freedAt);
    const writeBack = firstFailureAt ? load.answers.find((a) => a.status < 300 && a.startedAt >= freedAt)?.endedAt : undefined;
    const readyBack = ready.answers.find((a) => a.status === 200 && a.startedAt >= freedAt)?.endedAt;
    const refusals = load.answers.filter((a) => a.status === 503);
    const verdict = await verifyDatabase(path.join(dataDir, 'imlu.db'), keys, campaign, load.acknowledged.keys());
    return {
      title,
      checks: [
        { name: 'signing answers 503 while full', ok: firstFailureAt > 0, figure: firstFailureAt ? `first after ${ms(firstFailureAt - fullAt)}` : 'never' },
        { name: '/ready fails while full', ok: readyWhileFull.length > 0 && readyWhileFull.every((a) => a.status === 503), figure: statusTally(readyWhileFull) },
        { name: 'every 503 carries Retry-After', ok: refusals.every((a) => a.retryAfter), figure: `${fmt(refusals.filter((a) => !a.retryAfter).length)} of ${fmt(refusals.length)} without` },
        { name: 'signing works again once space is freed', ok: writeBack !== undefined, figure: writeBack ? `after ${ms(writeBack - freedAt)}` : 'never' },
        { name: '/ready passes again once space is freed', ok: readyBack !== undefined, figure: readyBack ? `after ${ms(readyBack - freedAt)}` : 'never' },
        ...verdictChecks(verdict),
      ],
      notes: [`Signing answers: ${statusTally(load.answers)}.`],
    };
  } finally {
    try {
      execFileSync('umount', [mountPoint], { stdio: 'pipe' });
    } catch {
      execFileSync('umount', ['-l', mountPoint], { stdio: 'pipe' });
    }
  }
}

/** Writes zeros into `file` until the file system has no space left. */
function fillDisk(file: string): void {
  const chunk = Buffer.alloc(64 * 1024);
  const fd = openSync(file, 'w');
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  // The last partial block, so not even a page is left.
  const small = Buffer.alloc(512);
  const tail = openSync(`${file}-tail`, 'w');
  try {
    for (;;) writeSync(tail, small);
  } catch {
    // full
  } finally {
    closeSync(tail);
  }
}

async function until<T>(read: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error('timed out waiting for the scenario to get there');
    await pause(20);
  }
}

// ------------------------------------------------------------------------------------------------------
// 5. SIGTERM under keep-alive load

async function sigtermUnderLoad(dir: string): Promise<ScenarioResult> {
  const keys = newKeys();
  const ids = await prepare(dir, [COUNTING]);
  const campaign = { id: ids[COUNTING.slug]!, contact: 'phone' as ContactKind };
  const server = await startServer(dir, keys);
  const source = new SignatureSource(RUN_ID, 'phone');
  const load = new SigningLoad(server.apiUrl, COUNTING.slug, source, { connections: 50 });
  load.start();
  await pause(2000);
  const signalAt = performance.now();
  server.kill('SIGTERM');
  const exit = await server.exited;
  await load.stop();
  const afterSignal = load.answers.filter((a) => a.endedAt > signalAt);
  const accepted = afterSignal.filter((a) => a.status < 300);
  const verdict = await verifyDatabase(path.join(dir, 'imlu.db'), keys, campaign, load.acknowledged.keys());
  const stopMs = exit.at - signalAt;
  return {
    title: 'SIGTERM under keep-alive signing load (50 connections)',
    checks: [
      { name: 'exits within 2 s of the signal', ok: stopMs <= 2000, figure: ms(stopMs) },
      { name: 'exit code', ok: exit.code === 0, figure: String(exit.code ?? exit.signal) },
      ...verdictChecks(verdict),
    ],
    notes: [
      `${fmt(accepted.length)} answers completed after the signal (requests already running), ${fmt(afterSignal.filter((a) => a.connectionClose).length)} of them with \`Connection: close\`; ` +
        `${fmt(load.networkErrors)} requests refused or reset once the server stopped listening.`,
    ],
  };
}

// ------------------------------------------------------------------------------------------------------

function writeDoc(results: ScenarioResult[]): void {
  const trial = ROUNDS < 100;
  const checks = results.flatMap((r) => r.checks);
  const failing = checks.filter((c) => !c.ok).length;
  const section = [
    START,
    '## Faults: kill -9, SMTP outage, foreign lock, full disk, SIGTERM',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} with \`pnpm bench:crash\` (\`api/bench/crash.ts\`)${trial ? ` — a TRIAL run of ${ROUNDS} kill rounds, fewer than the 100 the full run makes` : ''}.`,
    'Each scenario starts the real server (`src/main.ts`, production mode) on a temporary database with keys the',
    'harness chose, signs distinct valid signatures (each with its own Idempotency-Key) over keep-alive connections,',
    'does the fault, and then checks the database with the server down: every acknowledged (2xx) signature is there —',
    'its stored contact decrypted and compared with what was acknowledged — none twice, `PRAGMA integrity_check` is ok,',
    'and the counts table equals the rows (every bucket). Goals from issue 15 are in the check names.',
    '',
    'Machine:',
    '',
    // The harness's own keep-alive HTTP client is the load generator here, not autocannon.
    ...describeMachine().split('\n').filter((line) => !line.includes('autocannon')),
    '- Load (the harness itself) and server share the machine, over loopback; the server is one Node process.',
    '',
    ...results.flatMap((r) => [
      `### ${r.title}`,
      '',
      ...(r.checks.length ? ['| check | result | |', '|---|---|---|', ...r.checks.map((c) => `| ${c.name} | ${c.figure} | ${c.ok ? 'ok' : '**failed**'} |`), ''] : []),
      ...r.notes.map((n) => `- ${n}`),
      '',
    ]),
    failing ? `**${failing} check(s) failed in this run**; see the rows marked failed.` : 'Every check passed in this run.',
    END,
  ].join('\n');
  writeDocSection(DOC, START, END, section);
}

await main();
