/**
 * What `pnpm bench` (`run.ts`) checks after each signing phase, and the report it prints and writes into the
 * API section of `docs/performance.md`: the goals of issue 15 beside each figure, and whether each is met.
 */
import type { ThroughputResult } from '../src/signing/throughput.ts';
import { cores, type CpuUse } from './cpu.ts';
import { failed, type LoadStats } from './load.ts';
import type { BenchVerification, CampaignFigures } from './prefill.ts';
import { writeDocSection } from './doc-section.ts';

export interface Config {
  seconds: number;
  windowSeconds: number;
  idleSeconds: number;
  prefillRows: number;
  writerRows: number;
  signConnections: number;
  pollConnections: number;
  writerSubmitters: number;
  /** `sink`: the e-mail campaign's server sends to a local SMTP sink; `queue`: no SMTP_URL, messages wait. */
  mail: 'sink' | 'queue';
}

export interface SigningPhase {
  label: string;
  verification: BenchVerification;
  /** Signatures in the database before the phase (0: the empty database). */
  prefilled: number;
  /** Seconds from spawning the server to its first answer. */
  startSeconds: number;
  sign: LoadStats;
  /** The pollers during the signing load. */
  counts: LoadStats;
  /** The pollers alone, after the signing load (first phase only). */
  idle?: LoadStats | undefined;
  /** CPU during the signing load, and during the pollers alone. */
  cpu?: CpuUse | undefined;
  idleCpu?: CpuUse | undefined;
  before: CampaignFigures;
  after: CampaignFigures;
  mail?: { mode: Config['mail']; received: number | undefined } | undefined;
  /** Disagreements between the answers and the database, and failed requests; empty when all is well. */
  problems: string[];
}

export interface WriterPhase {
  label: string;
  verification: BenchVerification;
  prefilled: number;
  result: ThroughputResult;
}

export interface ReferenceStats {
  sign: LoadStats;
  counts: LoadStats;
  cpu?: CpuUse | undefined;
}

export type HelloStats = LoadStats & { cpu?: CpuUse | undefined };

export interface Report {
  config: Config;
  trial: boolean;
  date: string;
  machine: string;
  /** The whole run, prefill included. */
  seconds: number;
  prefill: { rows: number; seconds: number; built: { verification: BenchVerification; seconds: number }[] };
  baselines: { skipped: string } | { versions: string; reference: ReferenceStats; hello: HelloStats };
  signing: SigningPhase[];
  writer: WriterPhase[];
}

/** Issue 15's goals. "No decline": the last window keeps at least `keep` of the best window's rate. */
export const GOALS = {
  signing: { perSecond: 5000, p99: 50, keep: 0.9 },
  counts: { perSecond: 15_000, p99: 20 },
  idleShareOfHello: 0.5,
} as const;

/**
 * The database after the server stopped against what the load generator was answered. autocannon stops
 * counting at the deadline while the last requests are in flight, and the server commits those before it
 * exits: so every acknowledged signature must be stored, nothing stored that was not sent, and every
 * stored one counted once, keyed, and (by e-mail) given its confirmation message.
 */
export function checkPhase(phase: SigningPhase): string[] {
  const problems: string[] = [];
  const { sign, counts, idle, before, after } = phase;
  for (const [what, stats] of [['signing', sign], ['counts during signing', counts], ['counts idle', idle]] as const) {
    if (!stats || !failed(stats)) continue;
    problems.push(
      stats.ok + stats.non2xx + stats.errors === 0
        ? `${what}: not one answer in ${stats.seconds} s (${stats.sent} requests sent)`
        : `${what}: ${stats.non2xx} non-2xx answers (${codes(stats)}), ${stats.errors} errors, ${stats.timeouts} timeouts, ${stats.ok} answered 2xx`,
    );
  }
  const stored = after.signatures - before.signatures;
  if (stored < sign.ok) problems.push(`${sign.ok} signatures acknowledged but ${stored} stored`);
  if (stored > sign.sent) problems.push(`${stored} signatures stored but ${sign.sent} sent`);
  const counted = after.counted - before.counted;
  const pending = after.pending - before.pending;
  const expected = phase.verification === 'email' ? { counted: 0, pending: stored } : { counted: stored, pending: 0 };
  if (counted !== expected.counted || pending !== expected.pending) {
    problems.push(`the counts moved by ${counted} counted and ${pending} pending for ${stored} new signatures`);
  }
  if (after.suspect !== before.suspect) problems.push(`${after.suspect - before.suspect} signatures counted as suspect`);
  if (after.idempotencyKeys - before.idempotencyKeys !== stored) {
    problems.push(`${after.idempotencyKeys - before.idempotencyKeys} idempotency records for ${stored} new signatures`);
  }
  if (phase.verification === 'email') {
    const queued = after.confirmations - before.confirmations;
    if (queued !== stored) problems.push(`${queued} confirmation messages for ${stored} new signatures`);
    const sent = after.confirmationsSent - before.confirmationsSent;
    if (phase.mail?.received !== undefined && sent > phase.mail.received) problems.push(`${sent} messages marked sent but the SMTP sink received ${phase.mail.received}`);
  }
  return problems;
}

function codes(stats: LoadStats): string {
  return (
    Object.entries(stats.statusCodes)
      .map(([code, count]) => `${code}×${count}`)
      .join(', ') || 'none'
  );
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ms = (n: number) => (n >= 100 ? fmt(n) : fmt(n, 1));
const met = (ok: boolean) => (ok ? 'met' : '**not met**');

/** The last full window's rate against the best window's. */
export function kept(stats: LoadStats, windowSeconds: number): number {
  const full = stats.windows.filter((w) => w.to - w.from === windowSeconds);
  const windows = full.length ? full : stats.windows;
  const best = Math.max(...windows.map((w) => w.perSecond));
  return best > 0 ? windows.at(-1)!.perSecond / best : 0;
}

const signingMet = (s: LoadStats, windowSeconds: number) =>
  s.perSecond >= GOALS.signing.perSecond && s.p99 <= GOALS.signing.p99 && kept(s, windowSeconds) >= GOALS.signing.keep;
const countsMet = (c: LoadStats) => c.perSecond >= GOALS.counts.perSecond && c.p99 <= GOALS.counts.p99;

export function renderReport(report: Report): string {
  const { config } = report;
  const w = config.windowSeconds;
  const reference = 'skipped' in report.baselines ? undefined : report.baselines.reference;
  const hello = 'skipped' in report.baselines ? undefined : report.baselines.hello;
  const idle = report.signing.find((phase) => phase.idle)?.idle;
  const lines: string[] = [];
  const table = (head: string[], rows: string[][]) => {
    lines.push(`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`), '');
  };

  const prefill = report.prefill.built.length
    ? `pre-filled in this run: ${report.prefill.built.map((b) => `${b.verification === 'email' ? 'e-mail' : 'counted'} campaign ${fmt(b.seconds)} s`).join(', ')}`
    : 'pre-filled databases reused from an earlier run';
  lines.push(
    '## API: signing under load',
    '',
    `Measured ${report.date} with \`pnpm bench\` (\`api/bench/run.ts\`), ${fmt(report.seconds / 60, 1)} minutes in all (${prefill}).` +
      (report.trial ? ` **A shortened trial run** (\`BENCH_SECONDS=${config.seconds}\`, \`BENCH_PREFILL_ROWS=${config.prefillRows}\`, \`BENCH_WRITER_ROWS=${config.writerRows}\`): not figures to quote.` : ''),
    '',
    `The real server (\`src/main.ts\`, production mode, embedded libSQL file with WAL and \`synchronous=FULL\`; rate limits`,
    'off, since one load generator is one source) on four databases: an empty one, and one pre-filled with',
    `${fmt(report.prefill.rows)} signatures of the campaign under test, with as many idempotency records, their blind-index rows,`,
    'counts and, by e-mail, sent confirmation messages (`api/bench/prefill.ts`), each for a campaign that counts at once and for',
    `one that confirms by e-mail (${
      config.mail === 'sink'
        ? 'its outbox worker sending the confirmations, while signatures keep coming, to an SMTP sink on this machine that keeps nothing, as a deployment with `SMTP_URL` does'
        : 'without `SMTP_URL`, as production runs without a mail provider: the messages wait in the outbox'
    }).`,
    `For ${config.seconds} s, ${config.signConnections} connections POST distinct valid signatures (a new name and phone; by e-mail, an address`,
    `and, every other one, a phone; with the partner Origin and an \`Idempotency-Key\`, as the widget sends them) while ${config.pollConnections} connections poll`,
    '`GET …/counts`. Then the server stops (SIGTERM) and the database is checked against the answers: every acknowledged',
    'signature stored, counted once (pending while it waits for its e-mail), with its idempotency record and, by e-mail,',
    'its confirmation message; a run with a failed request or a disagreement is not published.',
    reference
      ? `The reference server (\`../shared/reference-bench\`, ${report.baselines && 'versions' in report.baselines ? report.baselines.versions : ''}: Hono + libSQL, group commit, \`synchronous=FULL\`, no encryption, triggers or idempotency) took the same load, and a bare Hono hello-world the pollers alone, in the same run.`
      : `Yardsticks: ${(report.baselines as { skipped: string }).skipped}; no ratios in this run.`,
    '',
    'Machine:',
    '',
    report.machine,
    '',
    '### Goals (issue 15)',
    '',
  );

  const signingGoal = `signing ≥ ${fmt(GOALS.signing.perSecond)} accepted/s, p99 ≤ ${GOALS.signing.p99} ms, no decline over ${config.seconds} s`;
  const countsGoal = `counts ≥ ${fmt(GOALS.counts.perSecond)} req/s, p99 ≤ ${GOALS.counts.p99} ms during the signing load`;
  const goalRows: string[][] = [
    ...report.signing.map((phase) => {
      const s = phase.sign;
      return [signingGoal, phase.label, `${fmt(s.perSecond)}/s, p99 ${ms(s.p99)} ms, last ${w} s at ${fmt(kept(s, w) * 100)} % of the best`, met(signingMet(s, w))];
    }),
    ...report.signing.map((phase) => [countsGoal, phase.label, `${fmt(phase.counts.perSecond)} req/s, p99 ${ms(phase.counts.p99)} ms`, met(countsMet(phase.counts))]),
  ];
  const idleGoal = `counts idle ≥ ${GOALS.idleShareOfHello} × Hono hello-world`;
  if (idle && hello) {
    const share = idle.perSecond / hello.perSecond;
    goalRows.push([idleGoal, report.signing[0]!.label, `${fmt(idle.perSecond)} against ${fmt(hello.perSecond)} req/s: ${fmt(share, 2)} ×`, met(share >= GOALS.idleShareOfHello)]);
  } else if (idle) {
    goalRows.push([idleGoal, report.signing[0]!.label, `${fmt(idle.perSecond)} req/s; no hello-world in this run`, 'not measured']);
  }
  table(['goal', 'database, campaign', 'measured', 'met?'], goalRows);

  lines.push('### Signing phases', '');
  table(
    ['database, campaign', 'accepted/s', 'p50 / p99 / max ms', reference ? '× reference' : '', 'counts during load: req/s, p99', 'server start', 'checked after SIGTERM'],
    report.signing.map((phase) => {
      const s = phase.sign;
      const stored = phase.after.signatures - phase.before.signatures;
      const mail = phase.mail
        ? phase.mail.mode === 'sink'
          ? `; ${fmt(phase.after.confirmations - phase.before.confirmations)} messages queued, ${fmt(phase.after.confirmationsSent - phase.before.confirmationsSent)} sent (sink: ${fmt(phase.mail.received ?? 0)})`
          : `; ${fmt(phase.after.confirmations - phase.before.confirmations)} messages queued`
        : '';
      return [
        phase.label,
        fmt(s.perSecond),
        `${ms(s.p50)} / ${ms(s.p99)} / ${ms(s.max)}`,
        reference ? `${fmt(s.perSecond / reference.sign.perSecond, 2)} ×` : '',
        `${fmt(phase.counts.perSecond)}, ${ms(phase.counts.p99)} ms`,
        `${fmt(phase.startSeconds, 1)} s`,
        phase.problems.length
          ? `**${phase.problems.join('; ')}**`
          : `${fmt(s.ok)} acknowledged, ${fmt(stored)} stored, counted and keyed${mail}`,
      ];
    }),
  );

  lines.push(`### Per ${w}-second window: accepted signatures/s (p99 ms)`, '');
  const windows = report.signing[0]?.sign.windows ?? [];
  const perWindow = (name: string, stats: LoadStats) => [name, ...stats.windows.map((x) => `${fmt(x.perSecond)} (${ms(x.p99)})`), `${fmt(kept(stats, w) * 100)} %`];
  table(
    ['database, campaign', ...windows.map((x) => `${fmt(x.from)}–${fmt(x.to)} s`), 'last ÷ best'],
    [...report.signing.map((phase) => perWindow(phase.label, phase.sign)), ...(reference ? [perWindow('reference server', reference.sign)] : [])],
  );

  lines.push(
    `### Raw writer (no HTTP): ${fmt(config.writerRows)} signatures, or ${config.seconds} s if that comes first, from ${config.writerSubmitters} concurrent submitters`,
    '',
  );
  table(
    ['database, campaign', 'rows/s', 'rows in s', 'transactions (rows each)', 'messages queued'],
    report.writer.map((phase) => [
      phase.label,
      fmt(phase.result.rowsPerSecond),
      `${fmt(phase.result.rows)} in ${fmt(phase.result.seconds, 1)}`,
      `${fmt(phase.result.transactions)} (${fmt(phase.result.rows / phase.result.transactions, 1)})`,
      fmt(phase.result.queued),
    ]),
  );

  writerTimings(report, lines, table);

  lines.push('### Yardsticks in the same run', '');
  if (reference && hello && idle) {
    table(
      ['', 'figure', 'the project'],
      [
        [
          `reference server, ${config.signConnections} connections signing`,
          `${fmt(reference.sign.perSecond)}/s, p50 / p99 ${ms(reference.sign.p50)} / ${ms(reference.sign.p99)} ms`,
          report.signing.map((p) => `${fmt(p.sign.perSecond / reference.sign.perSecond, 2)} ×`).join(' · '),
        ],
        [`reference server, ${config.pollConnections} pollers during its signing`, `${fmt(reference.counts.perSecond)} req/s, p99 ${ms(reference.counts.p99)} ms`, ''],
        [
          `Hono hello-world, ${config.pollConnections} pollers, idle (${config.idleSeconds} s)`,
          `${fmt(hello.perSecond)} req/s, p99 ${ms(hello.p99)} ms`,
          `counts idle: ${fmt(idle.perSecond)} req/s, p99 ${ms(idle.p99)} ms (${fmt(idle.perSecond / hello.perSecond, 2)} ×)`,
        ],
      ],
    );
  } else {
    lines.push(`Not measured: ${'skipped' in report.baselines ? report.baselines.skipped : 'no idle counts'}.`, '');
  }

  cpuSection(report, lines, table);

  lines.push(
    'Notes: the load generator runs on the same cores as the server, so every figure is a floor for the server',
    'itself, and the ratios to the yardsticks (same generator, same run) are the figures to compare across machines.',
    'Each signature is validated, normalised, its personal fields encrypted (AES-256-GCM), blind-indexed (HMAC-SHA256)',
    'and committed with its dedupe rows, idempotency record and count deltas (and, by e-mail, its confirmation message)',
    'before the answer is sent; concurrent signatures share a transaction (at most 100 or ~2 ms). The raw writer gets',
    'the same submissions prepared beforehand, so it measures the writer and the database alone; each of its',
    `${config.writerSubmitters} submitters waits for its commit before the next. The pre-filled HMACs are random values (an HMAC`,
    'is indistinguishable from one) and their encrypted columns come from a pool of real envelopes; see `prefill.ts`.',
    `"No decline": the last ${w}-second window keeps at least ${fmt(GOALS.signing.keep * 100)} % of the best window's rate. A benchmark measures;`,
    'no test asserts a timing.',
  );
  return lines.join('\n');
}

const serverCores = (cpu: CpuUse) => `${fmt(cores(cpu.server, cpu), 2)} (${fmt(cores(cpu.serverMain, cpu), 2)})`;
const µs = (n: number) => `${fmt(n)} µs`;
const pct = (n: number) => `${fmt(n * 100)} %`;

/**
 * Where the CPU went: the server's CPU per answer, the load generator's share of the cores, and what the goals
 * would take at that cost. A counts answer's cost is taken from the pollers alone (the first phase's idle
 * run); a signature's is the server's CPU during the signing load less the counts answers it gave meanwhile.
 */
export function cpuSection(report: Report, lines: string[], table: (head: string[], rows: string[][]) => void): void {
  const withIdle = report.signing.find((phase) => phase.idle && phase.idleCpu);
  if (!report.signing.some((phase) => phase.cpu) || !withIdle) return;
  const machineCores = withIdle.idleCpu!.cores;
  if (!machineCores || !Number.isFinite(withIdle.idleCpu!.server)) return;
  const perCount = withIdle.idleCpu!.server / withIdle.idle!.ok;
  const hello = 'skipped' in report.baselines ? undefined : report.baselines.hello;
  const reference = 'skipped' in report.baselines ? undefined : report.baselines.reference;
  const perSignature = (phase: SigningPhase) => (phase.cpu!.server - phase.counts.ok * perCount) / phase.sign.ok;

  lines.push(
    `### Where the CPU went (${machineCores} cores)`,
    '',
    'CPU seconds over the load\'s wall time, from `/proc` (`api/bench/cpu.ts`): the server process with all its threads',
    '(the database thread too), the load generator (the benchmark\'s own process: autocannon, and the SMTP sink), and',
    'the whole machine. A counts answer\'s cost is the server\'s CPU with the pollers alone; a signature\'s is the',
    'server\'s CPU during the signing load less the counts answers it gave meanwhile at that cost.',
    '',
  );
  const rows: string[][] = report.signing
    .filter((phase) => phase.cpu)
    .map((phase) => {
      const cpu = phase.cpu!;
      return [
        `signing: ${phase.label}`,
        serverCores(cpu),
        fmt(cores(cpu.generator, cpu), 2),
        pct(cpu.machineBusy),
        `≈ ${µs(perSignature(phase) * 1e6)} a signature`,
      ];
    });
  const idleCpu = withIdle.idleCpu!;
  rows.push([`counts alone: ${withIdle.label}`, serverCores(idleCpu), fmt(cores(idleCpu.generator, idleCpu), 2), pct(idleCpu.machineBusy), `${µs(perCount * 1e6)} a counts answer`]);
  if (reference?.cpu) {
    const cpu = reference.cpu;
    rows.push([
      'reference server, signing and pollers',
      serverCores(cpu),
      fmt(cores(cpu.generator, cpu), 2),
      pct(cpu.machineBusy),
      `${µs((cpu.server / (reference.sign.ok + reference.counts.ok)) * 1e6)} an answer (both kinds)`,
    ]);
  }
  if (hello?.cpu) {
    const cpu = hello.cpu;
    rows.push(['Hono hello-world, pollers', serverCores(cpu), fmt(cores(cpu.generator, cpu), 2), pct(cpu.machineBusy), `${µs((cpu.server / hello.ok) * 1e6)} an answer`]);
  }
  table(['load', 'server (cores): all threads (main thread)', 'load generator (cores)', 'machine busy', 'server CPU'], rows);

  const first = report.signing.find((phase) => phase.cpu)!;
  const signCost = perSignature(first);
  const needed = GOALS.signing.perSecond * signCost + GOALS.counts.perSecond * perCount;
  const generator = cores(first.cpu!.generator, first.cpu!) / ((first.sign.ok + first.counts.ok) / first.cpu!.wall);
  lines.push(
    `At these costs (${first.label}), ${fmt(GOALS.signing.perSecond)} signatures/s and ${fmt(GOALS.counts.perSecond)} counts answers/s together would take ` +
      `**${fmt(needed, 1)} cores of server CPU** (${fmt(GOALS.signing.perSecond * signCost, 1)} for the signatures, ${fmt(GOALS.counts.perSecond * perCount, 1)} for the counts), ` +
      `and the load generator, at its measured ${µs(generator * 1e6)} of CPU a request, ${fmt((GOALS.signing.perSecond + GOALS.counts.perSecond) * generator, 1)} more, ` +
      `on a machine of ${machineCores}.`,
    '',
  );
}

/**
 * The raw writer's transactions on the database thread: how long each part of a transaction took, per
 * transaction and per row, so the report shows what a row costs and what a transaction costs whatever its size
 * (its COMMIT: the WAL pages and the fsync of synchronous=FULL).
 */
export function writerTimings(report: Report, lines: string[], table: (head: string[], rows: string[][]) => void): void {
  const phases = report.writer.filter((phase) => phase.result.timings);
  if (!phases.length) return;
  const labels: string[] = [];
  for (const phase of phases) for (const { label } of phase.result.timings!.statements) if (!labels.includes(label)) labels.push(label);
  // BEGIN first and COMMIT last, the statements in the order the writer runs them.
  labels.sort((a, b) => Number(a === 'COMMIT') - Number(b === 'COMMIT') || Number(b === 'BEGIN') - Number(a === 'BEGIN'));
  lines.push(
    '### Raw writer: where a transaction\'s time went on the database thread',
    '',
    'Wall time of each part of the writer\'s transactions in the raw-writer runs above, per transaction (and per row of it), timed',
    'on the database thread (`timeStatements`, `src/db/thread/worker.mjs`). COMMIT writes the transaction\'s pages to the WAL',
    'and, with `synchronous=FULL`, waits for their fsync: a cost per transaction, whatever its size.',
    '',
  );
  const cell = (phase: WriterPhase, label: string) => {
    const timings = phase.result.timings!;
    const entry = timings.statements.find((s) => s.label === label);
    if (!entry) return '—';
    const perTransaction = (entry.ms * 1000) / timings.transactions;
    return `${µs(perTransaction)} (${fmt(perTransaction / (phase.result.rows / timings.transactions), 1)})`;
  };
  const total = (phase: WriterPhase) => {
    const timings = phase.result.timings!;
    const perTransaction = (timings.statements.reduce((sum, s) => sum + s.ms, 0) * 1000) / timings.transactions;
    return `**${µs(perTransaction)}** (${fmt(perTransaction / (phase.result.rows / timings.transactions), 1)})`;
  };
  table(
    ['µs a transaction (a row)', ...phases.map((phase) => phase.label)],
    [...labels.map((label) => [label, ...phases.map((phase) => cell(phase, label))]), ['all', ...phases.map(total)]],
  );
}

const START = '<!-- api-bench:start -->';
const END = '<!-- api-bench:end -->';

/** Replaces the API section of `docs/performance.md` (between its markers), or appends one. */
export function writeReport(doc: string, text: string): void {
  writeDocSection(doc, START, END, `${START}\n${text}\n${END}`);
}
