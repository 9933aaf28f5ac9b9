/**
 * `pnpm --filter @imlu/api bench:concurrency` (root: `pnpm bench:concurrency`): signing alone at 50, 100 and
 * 200 connections, on one server and an empty database each, with the CPU each used (`cpu.ts`). It says
 * whether the rate at 50 connections (`pnpm bench`'s load) is limited by the machine's cores or by how the
 * signatures of that many callers group into transactions: when more callers are answered per second for
 * the same CPU, each transaction's fixed cost (its COMMIT: the WAL pages and the fsync of synchronous=FULL)
 * is shared by more signatures.
 *
 * `BENCH_SECONDS` (default 20) per step; `BENCH_CONNECTIONS` (default `50,100,200`). Writes its section of
 * `docs/performance.md` unless `BENCH_WRITE_DOC=0` or a request failed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCampaign } from '../src/campaigns/create.ts';
import { DEMO_CAMPAIGN } from '../src/campaigns/demo-seed.ts';
import { REPO_ROOT } from '../src/config/env.ts';
import { createDb, migrateDb } from '../src/db/client.ts';
import { benchSignerBody } from '../src/signing/throughput.ts';
import { ORIGIN, startChild } from './child.ts';
import { cores, cpuMeter, type CpuUse } from './cpu.ts';
import { writeDocSection } from './doc-section.ts';
import { failed, runLoad, type LoadStats } from './load.ts';
import { describeMachine } from './machine.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '50,100,200').split(',').map(Number);
const WRITE_DOC = process.env.BENCH_WRITE_DOC !== '0';
const DOC = path.join(REPO_ROOT, 'docs', 'performance.md');
const START = '<!-- concurrency-bench:start -->';
const END = '<!-- concurrency-bench:end -->';
const SLUG = 'bench-concurrency';

interface Step {
  connections: number;
  sign: LoadStats;
  cpu: CpuUse;
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function step(connections: number): Promise<Step> {
  const dir = mkdtempSync(path.join(tmpdir(), 'imlu-bench-concurrency-'));
  try {
    const db = await createDb(`file:${path.join(dir, 'imlu.db')}`);
    try {
      await migrateDb(db);
      await createCampaign(db, { ...DEMO_CAMPAIGN, slug: SLUG, verification: 'none' });
    } finally {
      db.close();
    }
    const server = await startChild(dir);
    try {
      const stop = cpuMeter(server.pid);
      const [sign] = await runLoad(
        [
          {
            url: `${server.apiUrl}/v1/campaigns/${SLUG}/signatures`,
            connections,
            method: 'POST',
            headers: { 'content-type': 'application/json', origin: ORIGIN },
            request: (i) => ({ body: JSON.stringify(benchSignerBody(i, 'none')), headers: { 'idempotency-key': `concurrency-${process.pid}-${connections}-${i}` } }),
          },
        ],
        SECONDS,
        SECONDS,
      );
      return { connections, sign: sign!, cpu: stop() };
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What the steps say, from their figures: the rate's and the CPU's change from the fewest connections to the most. */
function conclusion(steps: Step[]): string[] {
  if (steps.length < 2) return [];
  const [first, last] = [steps[0]!, steps.at(-1)!];
  const change = (a: number, b: number) => `${b >= a ? '+' : '−'}${fmt((Math.abs(b - a) / a) * 100)} %`;
  const rate = last.sign.perSecond / first.sign.perSecond;
  const cpu = cores(last.cpu.server, last.cpu) / cores(first.cpu.server, first.cpu);
  return [
    `From ${fmt(first.connections)} to ${fmt(last.connections)} connections the rate changed ${change(first.sign.perSecond, last.sign.perSecond)} and the server's CPU ` +
      `${change(cores(first.cpu.server, first.cpu), cores(last.cpu.server, last.cpu))}, with the machine ${fmt(first.cpu.machineBusy * 100)} → ${fmt(last.cpu.machineBusy * 100)} % busy. ` +
      (rate > cpu * 1.1
        ? `More callers were answered for about the same CPU: at ${fmt(first.connections)} connections part of the rate is lost to waiting, not to the cores — ` +
          'concurrent signatures share a transaction, and a transaction has a cost of its own whatever its size (its COMMIT: the pages it ' +
          "changed written to the WAL, and the fsync of `synchronous=FULL`; the raw writer's breakdown above), shared by fewer signatures when fewer wait."
        : `The rate follows the CPU: what limits it is the server's CPU per signature, on cores it shares with the load generator.`),
  ];
}

function render(steps: Step[]): string {
  const rows = steps.map(({ connections, sign, cpu }) => [
    fmt(connections),
    fmt(sign.perSecond),
    `${fmt(sign.p50, 1)} / ${fmt(sign.p99, 1)}`,
    `${fmt(cores(cpu.server, cpu), 2)} (${fmt(cores(cpu.serverMain, cpu), 2)})`,
    fmt(cores(cpu.generator, cpu), 2),
    `${fmt(cpu.machineBusy * 100)} %`,
    `${fmt((cpu.server / sign.ok) * 1e6)} µs`,
  ]);
  const head = ['signing connections', 'accepted/s', 'p50 / p99 ms', 'server (cores): all threads (main thread)', 'load generator (cores)', 'machine busy', 'server CPU a signature'];
  return [
    START,
    '## API: signing alone at more connections',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} with \`pnpm bench:concurrency\` (\`api/bench/concurrency.ts\`): the real server (production mode, an empty`,
    `database and a campaign that counts at once for each step) signing distinct valid signatures for ${SECONDS} s from each number of`,
    'connections, no pollers; CPU from `/proc` as in `pnpm bench` (`api/bench/cpu.ts`).',
    '',
    'Machine:',
    '',
    describeMachine(),
    '',
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
    '',
    ...conclusion(steps),
    END,
  ].join('\n');
}

const steps: Step[] = [];
for (const connections of CONNECTIONS) {
  console.info(`signing from ${connections} connections for ${SECONDS} s …`);
  const result = await step(connections);
  console.info(`  ${fmt(result.sign.perSecond)}/s, p99 ${fmt(result.sign.p99, 1)} ms, server ${fmt(cores(result.cpu.server, result.cpu), 2)} cores`);
  steps.push(result);
}
const text = render(steps);
console.info(`\n${text}\n`);
const broken = steps.filter((s) => failed(s.sign));
if (broken.length) {
  console.error(`failed requests at ${broken.map((s) => s.connections).join(', ')} connections: docs/performance.md left unchanged`);
  process.exitCode = 1;
} else if (WRITE_DOC) {
  writeDocSection(DOC, START, END, text);
  console.info(`wrote ${path.relative(REPO_ROOT, DOC)}`);
}
