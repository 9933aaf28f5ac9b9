/**
 * `pnpm --filter @imlu/api bench:http-layer`: CPU time per request of everything on the Node side of an
 * answer — @hono/node-server's listener, Hono, the app — with Node's own IncomingMessage and
 * ServerResponse but no socket, next to bare Hono through the same listener.
 *
 * A diagnostic, not a published benchmark (it writes nothing to docs/performance.md; `request-path.ts`
 * measures over loopback against the real server). It counts this process's CPU time over a tight loop,
 * so it still says something on a machine busy with other work, where loopback figures say little. The
 * app is `createApp` on a temporary migrated database with the demo campaign (counted at once), rate
 * limits off except in the 429 phase. `BENCH_ROUNDS` (default 3) repeats every phase.
 */
import { randomBytes } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { COUNTY_CODES } from '@imlu/contracts';
import { createApp, type Api } from '../src/app.ts';
import { createCampaign } from '../src/campaigns/create.ts';
import { DEMO_CAMPAIGN } from '../src/campaigns/demo-seed.ts';
import { createDb, migrateDb } from '../src/db/client.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ORIGIN = 'http://partner.bench.localhost';
const SLUG = DEMO_CAMPAIGN.slug;
type Listener = ReturnType<typeof getRequestListener>;
type Call = [method: string, url: string, headers: Record<string, string>, body?: string];

/** One request through `listener`, as Node's HTTP server would hand it over (minus the socket). */
async function call(listener: Listener, [method, url, headers, body]: Call): Promise<number> {
  const req = new IncomingMessage(new Socket());
  req.method = method;
  req.url = url;
  req.httpVersionMajor = 1;
  req.httpVersionMinor = 1;
  req.httpVersion = '1.1';
  req.headers = { host: '127.0.0.1:8787', ...headers, ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }) };
  req.rawHeaders = Object.entries(req.headers).flatMap(([name, value]) => [name, String(value)]);
  if (body !== undefined) req.push(Buffer.from(body));
  req.push(null);
  req.complete = true;
  const res = new ServerResponse(req);
  await listener(req, res);
  if (!res.writableEnded) await new Promise((resolve) => res.once('prefinish', resolve));
  return res.statusCode;
}

/** CPU µs per request over `n` requests, `concurrency` at a time, after a warm-up. */
async function measure(listener: Listener, n: number, concurrency: number, make: (i: number) => Call, expected: number[]): Promise<number> {
  let next = 0;
  let limit = Math.min(n, 2000);
  const worker = async () => {
    while (next < limit) {
      const status = await call(listener, make(next++));
      if (!expected.includes(status)) throw new Error(`expected ${expected.join(' or ')}, got ${status}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  next = 0;
  limit = n;
  const before = process.cpuUsage();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const used = process.cpuUsage(before);
  return (used.user + used.system) / n;
}

function bareHono(): Listener {
  const app = new Hono();
  app.get('/', (c) => c.text('Hello Hono!'));
  const counts = { signatures: 123456, goal: 200000, byCounty: { '001': 2626, '047': 2627 }, updatedAt: new Date(0).toISOString() };
  app.get('/v1/campaigns/:slug/counts', (c) => c.json(counts, 200, { 'Cache-Control': 'public, max-age=5' }));
  app.post('/sign', async (c) => {
    const body = (await c.req.json()) as { name?: string };
    return c.json({ status: body.name ? 'counted' : 'x' }, 201, { 'Cache-Control': 'no-store' });
  });
  return getRequestListener(app.fetch);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'imlu-http-layer-'));
  const db = await createDb(`file:${path.join(dir, 'imlu.db')}`);
  const apis: Api[] = [];
  try {
    await migrateDb(db);
    await createCampaign(db, DEMO_CAMPAIGN);
    const build = async (hardPerMinute: number | null) => {
      const api = await createApp({
        db,
        config: {
          encryptionKey: randomBytes(32),
          blindIndexKey: randomBytes(32),
          allowedOrigins: [ORIGIN],
          countsMaxAge: 5,
          // As the loopback benchmark runs the server: one load generator is one source.
          rateLimits: { hardPerMinute, trustProxy: true, soft: { ipBurst: null, ipWindow: null, domainBurst: null, domainWindow: null } },
        },
      });
      apis.push(api);
      return getRequestListener(api.app.fetch);
    };
    const api = await build(null);
    const limited = await build(1);
    const bare = bareHono();

    let signer = 0;
    const signature = (i: number) =>
      JSON.stringify({
        name: `Bench Signer ${i}`,
        phone: `07${String(10_000_000 + i)}`,
        county: COUNTY_CODES[i % COUNTY_CODES.length],
        consent: { terms: true, shareWithTargets: i % 2 === 0 },
        locale: i % 3 === 0 ? 'sw' : 'en',
      });
    const signing = (extra: Record<string, string>) => ({ 'content-type': 'application/json', origin: ORIGIN, ...extra });
    const counts = `/v1/campaigns/${SLUG}/counts`;
    const phases: [string, () => Promise<number>][] = [
      ['bare Hono: GET hello-world', () => measure(bare, 20_000, 10, () => ['GET', '/', {}], [200])],
      ['bare Hono: GET counts-sized JSON', () => measure(bare, 20_000, 10, () => ['GET', '/v1/campaigns/x/counts', {}], [200])],
      ['bare Hono: POST parsing JSON', () => measure(bare, 10_000, 10, (i) => ['POST', '/sign', { 'content-type': 'application/json' }, signature(i)], [201])],
      ['API: GET counts (200)', () => measure(api, 20_000, 10, () => ['GET', counts, {}], [200])],
      [
        'API: GET counts, If-None-Match (304)',
        async () => {
          const etag = (await apis[0]!.app.request(counts)).headers.get('ETag') ?? '';
          return measure(api, 20_000, 10, () => ['GET', counts, { 'if-none-match': etag }], [304]);
        },
      ],
      ['API: POST signatures, invalid (422, no database)', () => measure(api, 10_000, 10, (i) => ['POST', `/v1/campaigns/${SLUG}/signatures`, signing({ 'idempotency-key': `bad-${i}` }), '{"name":"x","phone":"12","consent":{"terms":true}}'], [422])],
      // The limiter's window is a minute: a phase that crosses into the next one lets one request through.
      ['API: POST signatures over the hard limit (429)', () => measure(limited, 10_000, 10, (i) => ['POST', `/v1/campaigns/${SLUG}/signatures`, signing({ 'idempotency-key': `lim-${i}`, 'x-forwarded-for': '41.90.64.7' }), signature(i)], [429, 201])],
      ['API: POST signatures (201, database)', () => measure(api, 3_000, 50, () => { const i = signer++; return ['POST', `/v1/campaigns/${SLUG}/signatures`, signing({ 'idempotency-key': `ok-${i}` }), signature(i)]; }, [201])],
    ];
    const results = new Map<string, number[]>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, run] of phases) results.set(name, [...(results.get(name) ?? []), await run()]);
    }
    console.info('| phase | CPU µs per request (each round) |\n|---|---|');
    for (const [name, values] of results) console.info(`| ${name} | ${values.map((v) => v.toFixed(1)).join(' / ')} |`);
  } finally {
    await Promise.all(apis.map((api) => api.close()));
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
