/**
 * `pnpm --filter @imlu/api bench:request-path`: what the HTTP layer costs per request (issue 15, "a lean
 * request path"), against bare Hono on the same machine in the same run.
 *
 * 1. Bare Hono (`@hono/node-server`, no middleware) in a child process: a hello-world GET, a GET answering a
 *    counts-sized JSON, and a POST that parses a signature-sized JSON body — the floor of this stack.
 * 2. The real server (`src/main.ts`, production mode, temporary database, the demo campaign counted at
 *    once), one phase after the other: `GET …/counts` (200), the same with `If-None-Match` (304), signing
 *    alone (50 connections, as `pnpm bench`), and signing with 10 counts pollers.
 *
 * Each phase reports req/s, latency and the server's CPU time per request (from /proc, Linux only). With
 * `BENCH_CPU_PROF=DIR` the server runs under `--cpu-prof` and each phase's share of the profile is printed
 * by group (HTTP layer, signing, database …). A phase with an unexpected answer fails the run and nothing
 * is written; otherwise the results replace this benchmark's section of `docs/performance.md`
 * (`BENCH_WRITE_DOC=0` to leave it alone). `BENCH_SECONDS` (default 10) is the length of each phase.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { COUNTY_CODES } from '@imlu/contracts';
import { createCampaign } from '../src/campaigns/create.ts';
import { DEMO_CAMPAIGN } from '../src/campaigns/demo-seed.ts';
import { REPO_ROOT } from '../src/config/env.ts';
import { createDb, migrateDb } from '../src/db/client.ts';
import { ORIGIN, startChild } from './child.ts';
import { processCpuSeconds } from './cpu.ts';
import { renderSummary, summariseProfile } from './cpu-profile.ts';
import { describeMachine } from './machine.ts';
import { writeDocSection } from './doc-section.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PROFILE_DIR = process.env.BENCH_CPU_PROF ? path.resolve(process.env.BENCH_CPU_PROF) : undefined;
const WRITE_DOC = process.env.BENCH_WRITE_DOC !== '0';
const POLLERS = 10;
const SIGNERS = 50;
const SLUG = DEMO_CAMPAIGN.slug;
const API_DIR = fileURLToPath(new URL('..', import.meta.url));
const DOC = path.join(REPO_ROOT, 'docs', 'performance.md');
const START = '<!-- request-path:start -->';
const END = '<!-- request-path:end -->';

/** A valid, distinct Kenyan mobile number per index (as `run.ts`). */
const phoneFor = (i: number) => `07${String(10_000_000 + i)}`;

interface Phase {
  name: string;
  /** Answers of the expected status per second. */
  perSecond: number;
  p50: number;
  p99: number;
  requests: number;
  unexpected: number;
  errors: number;
  /** Server CPU (user + system) per answered request, µs; undefined off Linux or for a shared phase. */
  cpuUs: number | undefined;
  window: { fromUs: number; toUs: number };
}

/** Bare Hono, nothing else: the same answers' shapes as the API's counts route and signing route. */
const BARE_HONO = `
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
const app = new Hono();
app.get('/', (c) => c.text('Hello Hono!'));
const counts = { signatures: 123456, goal: 200000, byCounty: { '001': 2626, '047': 2627 }, updatedAt: new Date(0).toISOString() };
app.get('/v1/campaigns/:slug/counts', (c) => c.json(counts, 200, { 'Cache-Control': 'public, max-age=5' }));
app.post('/sign', async (c) => { const b = await c.req.json(); return c.json({ status: b.name ? 'counted' : 'x' }, 201, { 'Cache-Control': 'no-store' }); });
serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => console.log('listening ' + info.port));
`;

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

/** CPU time (user + system) of a process so far, µs; undefined where /proc is missing. */
function cpuTimeUs(pid: number): number | undefined {
  const seconds = processCpuSeconds(pid);
  return Number.isNaN(seconds) ? undefined : seconds * 1e6;
}

function signingRequest(): autocannon.Request {
  let next = 0;
  return {
    setupRequest: (request) => {
      const i = next++;
      return {
        ...request,
        headers: { ...request.headers, 'idempotency-key': `path-${process.pid}-${i}` },
        body: JSON.stringify({
          name: `Bench Signer ${i}`,
          phone: phoneFor(i),
          county: COUNTY_CODES[i % COUNTY_CODES.length],
          consent: { terms: true, shareWithTargets: i % 2 === 0 },
          locale: i % 3 === 0 ? 'sw' : 'en',
        }),
      };
    },
  };
}

async function load(options: autocannon.Options, expected: number): Promise<Omit<Phase, 'name' | 'cpuUs' | 'window'>> {
  const result = await autocannon({ duration: SECONDS, ...options });
  const answered = result.statusCodeStats?.[String(expected) as '200']?.count ?? 0;
  return {
    perSecond: answered / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: answered,
    unexpected: result.requests.total - answered - result.errors,
    errors: result.errors + result.timeouts,
  };
}

/** Runs one phase (or several loads at once, the first one being measured) with the server's CPU time around it. */
async function phase(name: string, pid: number, measured: () => Promise<Omit<Phase, 'name' | 'cpuUs' | 'window'>>, shared = false): Promise<Phase> {
  const cpuBefore = cpuTimeUs(pid);
  const fromUs = nowUs();
  const result = await measured();
  const toUs = nowUs();
  const cpuAfter = cpuTimeUs(pid);
  const cpuUs = cpuBefore === undefined || cpuAfter === undefined || shared ? undefined : (cpuAfter - cpuBefore) / Math.max(1, result.requests);
  const done = { name, ...result, cpuUs, window: { fromUs, toUs } };
  console.info(`  ${name}: ${fmt(done.perSecond)}/s, p99 ${done.p99} ms${cpuUs === undefined ? '' : `, server CPU ${fmt(cpuUs, 1)} µs per request`}`);
  return done;
}

async function startBareHono(): Promise<{ url: string; pid: number; stop(): void }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', BARE_HONO], { cwd: API_DIR, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const match = /listening (\d+)/.exec(chunk.toString());
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`bare Hono exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => child.kill('SIGTERM') };
}

async function main(): Promise<void> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'imlu-request-path-'));
  const phases: Phase[] = [];
  try {
    console.info(`Bare Hono, ${SECONDS} s per phase …`);
    const bare = await startBareHono();
    try {
      phases.push(await phase('bare Hono: GET hello-world', bare.pid, () => load({ url: `${bare.url}/`, connections: POLLERS }, 200)));
      phases.push(await phase('bare Hono: GET counts-sized JSON', bare.pid, () => load({ url: `${bare.url}/v1/campaigns/x/counts`, connections: POLLERS }, 200)));
      phases.push(
        await phase('bare Hono: POST parsing JSON', bare.pid, () =>
          load({ url: `${bare.url}/sign`, connections: SIGNERS, method: 'POST', headers: { 'content-type': 'application/json' }, requests: [signingRequest()] }, 201),
        ),
      );
    } finally {
      bare.stop();
    }

    const dataDir = path.join(workDir, 'api');
    const setup = await createDb(`file:${path.join(dataDir, 'imlu.db')}`);
    try {
      await migrateDb(setup);
      await createCampaign(setup, DEMO_CAMPAIGN);
    } finally {
      setup.close();
    }
    if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
    const profilesBefore = new Set(PROFILE_DIR ? readdirSync(PROFILE_DIR) : []);
    const server = await startChild(dataDir, {}, PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []);
    console.info(`The API (${SLUG}), ${SECONDS} s per phase …`);
    try {
      const countsUrl = `${server.apiUrl}/v1/campaigns/${SLUG}/counts`;
      const etag = (await fetch(countsUrl)).headers.get('etag') ?? '';
      phases.push(await phase('API: GET counts (200)', server.pid, () => load({ url: countsUrl, connections: POLLERS }, 200)));
      phases.push(await phase('API: GET counts, If-None-Match (304)', server.pid, () => load({ url: countsUrl, connections: POLLERS, headers: { 'if-none-match': etag } }, 304)));
      const signing = () =>
        load(
          {
            url: `${server.apiUrl}/v1/campaigns/${SLUG}/signatures`,
            connections: SIGNERS,
            method: 'POST',
            headers: { 'content-type': 'application/json', origin: ORIGIN },
            requests: [signingRequest()],
          },
          201,
        );
      phases.push(await phase('API: POST signatures', server.pid, signing));
      let during: Awaited<ReturnType<typeof load>> | undefined;
      phases.push(
        await phase(
          'API: POST signatures, with counts pollers',
          server.pid,
          async () => {
            const [signed, polled] = await Promise.all([signing(), load({ url: countsUrl, connections: POLLERS }, 200)]);
            during = polled;
            return signed;
          },
          true,
        ),
      );
      phases.push({ name: 'API: GET counts during signing', ...during!, cpuUs: undefined, window: phases.at(-1)!.window });
    } finally {
      await server.stop();
    }

    const table = renderTable(phases);
    const machine = describeMachine();
    console.info(`\n${machine}\n\n${table}\n`);
    if (PROFILE_DIR) {
      const file = readdirSync(PROFILE_DIR).find((f) => f.endsWith('.cpuprofile') && !profilesBefore.has(f));
      if (file) {
        for (const p of phases.filter((p) => p.name.startsWith('API:') && p.cpuUs !== undefined)) {
          console.info(`\n${p.name} — ${path.join(PROFILE_DIR, file)}\n${renderSummary(summariseProfile(path.join(PROFILE_DIR, file), p.window), p.requests)}`);
        }
      }
    }
    if (phases.some((p) => p.unexpected > 0 || p.errors > 0 || p.requests === 0)) {
      console.error('A phase had unexpected answers or failed requests: docs/performance.md left unchanged.');
      process.exitCode = 1;
      return;
    }
    if (WRITE_DOC) {
      writeDoc(machine, table);
      console.info(`Wrote the results into ${path.relative(REPO_ROOT, DOC)}`);
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function renderTable(phases: Phase[]): string {
  const rows = phases.map(
    (p) =>
      `| ${p.name} | ${fmt(p.perSecond)} | ${fmt(p.p50, 1)} / ${fmt(p.p99, 1)} ms | ${p.cpuUs === undefined ? '–' : fmt(p.cpuUs, 1)} | ${fmt(p.unexpected)} / ${fmt(p.errors)} |`,
  );
  const hello = phases.find((p) => p.name === 'bare Hono: GET hello-world');
  const counts = phases.find((p) => p.name === 'API: GET counts (200)');
  const ratio = hello && counts ? `\n\n\`GET …/counts\` idle / bare Hono hello-world: ${(counts.perSecond / hello.perSecond).toFixed(2)} (goal ≥ 0.5).` : '';
  return [
    '| phase | answers/s | latency p50 / p99 | server CPU µs per answer | unexpected / errors |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n') + ratio;
}

function writeDoc(machine: string, table: string): void {
  const section = [
    START,
    '## API: the request path against bare Hono',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} with \`pnpm --filter @imlu/api bench:request-path\` (\`api/bench/request-path.ts\`),`,
    `${SECONDS} s per phase. Bare Hono (no middleware, on \`@hono/node-server\`) answers a hello-world, a`,
    'counts-sized JSON and a POST that parses a signature-sized body; then the real server (production mode,',
    `fresh database) answers \`GET …/counts\` (${POLLERS} connections; then with \`If-None-Match\`, 304), signing`,
    `(${SIGNERS} connections, distinct signers, partner Origin and \`Idempotency-Key\`), and signing with ${POLLERS} counts`,
    "pollers. CPU per answer is the server process's user + system time over the phase divided by the answers.",
    '',
    'Machine:',
    '',
    machine,
    '',
    table,
    '',
    'What the API adds to bare Hono on every answer: the request log line, security headers, CORS, problem+json',
    'errors and the route\'s own work. The counts body, its ETag and its headers are built once per change of',
    'the figures; a 304 builds nothing. Signing is bounded by the database; `BENCH_CPU_PROF=DIR` shows the split.',
    END,
  ].join('\n');
  writeDocSection(DOC, START, END, section);
}

await main();
