import { randomBytes } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../config/env.ts';
import { FieldCrypto } from '../signing/crypto.ts';
import { createTestDb, TEST_KEYS, type TestDb } from '../../test/helpers.ts';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { checkReadiness, createDb, migrateDb, MIGRATIONS_FOLDER, pruneIdempotencyKeys, readPragmas, THREAD_BUSY_TIMEOUT_MS } from './client.ts';
import { createCampaign } from '../campaigns/create.ts';
import { OPEN_CAMPAIGN } from '../../test/helpers.ts';
import { verifyKeyFingerprint } from './key-check.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function freshDb(): Promise<TestDb> {
  const testDb = await createTestDb();
  cleanups.push(testDb.cleanup);
  return testDb;
}

describe('database', () => {
  it('runs with the PRAGMAs the durability story depends on (read back from SQLite)', async () => {
    const { db } = await freshDb();
    expect(await readPragmas(db)).toEqual({ journal_mode: 'wal', synchronous: 2, busy_timeout: THREAD_BUSY_TIMEOUT_MS, foreign_keys: 1, secure_delete: 1, temp_store: 1 });
    // A command run in-line (the CLI) gets the same, bar the thread's shorter busy wait.
    const inline = await createDb(db.url, undefined, { thread: false });
    try {
      expect(await readPragmas(inline)).toEqual({ journal_mode: 'wal', synchronous: 2, busy_timeout: 5000, foreign_keys: 1, secure_delete: 1, temp_store: 1 });
    } finally {
      inline.close();
    }
    // …and foreign keys are really enforced.
    await expect(
      db.client.execute({
        sql: "INSERT INTO demands (id, campaign_id, position, text_en, text_sw) VALUES ('d', 'no-such-campaign', 1, 'a', 'b')",
      }),
    ).rejects.toThrow(/FOREIGN KEY/);
  });

  it('applies the committed migrations once, and readiness knows it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'imlu-db-test-'));
    const db = await createDb(`file:${path.join(dir, 'nested', 'x.db')}`);
    cleanups.push(() => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    });
    expect(await checkReadiness(db)).toEqual({ database: true, migrations: false });
    await migrateDb(db);
    await migrateDb(db); // idempotent
    expect(await checkReadiness(db)).toEqual({ database: true, migrations: true });
    const tables = await db.client.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
    expect(tables.rows.map((r) => r[0])).toEqual(
      expect.arrayContaining(['campaigns', 'demands', 'signatures', 'signature_dedupe', 'campaign_counts', 'idempotency_keys']),
    );
  });

  it('migrates requires_verification to verification (true → either, false → none), keeping the data', async () => {
    // A database as migration 0002 left it, with two campaigns and a pending signature.
    const dir = mkdtempSync(path.join(tmpdir(), 'imlu-migrate-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const oldFolder = path.join(dir, 'drizzle');
    cpSync(MIGRATIONS_FOLDER, oldFolder, { recursive: true });
    const journalFile = path.join(oldFolder, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { idx: number }[] };
    journal.entries = journal.entries.filter((e) => e.idx <= 2);
    writeFileSync(journalFile, JSON.stringify(journal));
    const db = await createDb(`file:${path.join(dir, 'old.db')}`);
    cleanups.push(() => db.close());
    await migrate(db.orm, { migrationsFolder: oldFolder, migrationsTable: '__drizzle_migrations' });
    const campaign = (id: string, slug: string, verify: number) =>
      db.client.execute({
        sql:
          "INSERT INTO campaigns (id, slug, kind, title_en, title_sw, summary_en, summary_sw, body_en, body_sw, status, requires_verification, consent_version, created_at, updated_at) VALUES (?, ?, 'petition', 't', 't', 's', 's', 'b', 'b', 'open', ?, 'v1', 1, 1)",
        args: [id, slug, verify],
      });
    await campaign('c-verify', 'verify', 1);
    await campaign('c-open', 'open', 0);
    await db.client.execute(
      "INSERT INTO signatures (id, campaign_id, status, name_enc, phone_enc, consent_terms, consent_public_name, consent_share_with_targets, consent_updates, consent_version, consent_at, created_at) VALUES ('s1', 'c-verify', 'pending', 'x', 'y', 1, 0, 0, 0, 'v1', 1, 1)",
    );

    await migrateDb(db);
    const rows = await db.client.execute('SELECT slug, verification FROM campaigns ORDER BY slug');
    expect(rows.rows.map((r) => [r[0], r[1]])).toEqual([
      ['open', 'none'],
      ['verify', 'either'],
    ]);
    const columns = await db.client.execute("SELECT name FROM pragma_table_info('campaigns')");
    expect(columns.rows.map((r) => r[0])).not.toContain('requires_verification');
    const signature = await db.client.execute("SELECT status, confirm_channel, confirmation_sends FROM signatures WHERE id = 's1'");
    const row = signature.rows[0]!;
    expect([row[0], row[1], row[2]]).toEqual(['pending', null, 0]);
    expect(await checkReadiness(db)).toEqual({ database: true, migrations: true });
  });

  it('keeps the database, its WAL and its shared-memory file owner-only (0600), new or existing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'imlu-db-mode-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const modes = (file: string) =>
      Object.fromEntries(['', '-wal', '-shm'].filter((s) => existsSync(`${file}${s}`)).map((s) => [`db${s}`, statSync(`${file}${s}`).mode & 0o777]));

    // New: the file and every file SQLite makes beside it while writing.
    const fresh = path.join(dir, 'fresh', 'imlu.db');
    const db = await createDb(`file:${fresh}`);
    await migrateDb(db);
    await createCampaign(db, OPEN_CAMPAIGN);
    expect(statSync(path.dirname(fresh)).mode & 0o777).toBe(0o700);
    expect(modes(fresh)).toEqual({ db: 0o600, 'db-wal': 0o600, 'db-shm': 0o600 });
    db.close();

    // Existing and world-readable (as every database was before this check, or made so by hand): tightened
    // when opened, a WAL left behind included.
    if (!existsSync(`${fresh}-wal`)) writeFileSync(`${fresh}-wal`, '');
    for (const file of [fresh, `${fresh}-wal`]) chmodSync(file, 0o644);
    const reopened = await createDb(`file:${fresh}`);
    cleanups.push(() => reopened.close());
    await createCampaign(reopened, { ...OPEN_CAMPAIGN, slug: 'second' });
    expect(modes(fresh)).toEqual({ db: 0o600, 'db-wal': 0o600, 'db-shm': 0o600 });
  });

  it('reports an unreachable database as not ready', async () => {
    const { db } = await freshDb();
    db.client.close();
    expect(await checkReadiness(db)).toEqual({ database: false, migrations: false });
  });

  it('refuses keys other than the ones that wrote the database', async () => {
    const { db } = await freshDb();
    await verifyKeyFingerprint(db, new FieldCrypto(TEST_KEYS));
    await verifyKeyFingerprint(db, new FieldCrypto(TEST_KEYS)); // same keys: fine, again
    const other = new FieldCrypto({ encryptionKey: randomBytes(32), blindIndexKey: TEST_KEYS.blindIndexKey });
    await expect(verifyKeyFingerprint(db, other)).rejects.toBeInstanceOf(ConfigError);
    await expect(verifyKeyFingerprint(db, other)).rejects.toThrow(/ENCRYPTION_KEY\/BLIND_INDEX_KEY do not match/);
  });

  it('prunes idempotency records older than the retention, and only those', async () => {
    const { db } = await freshDb();
    const campaignId = await createCampaign(db, OPEN_CAMPAIGN);
    const day = 24 * 60 * 60 * 1000;
    const now = Date.UTC(2026, 10, 27);
    for (const [key, age] of [['old', 2 * day], ['edge', day + 1], ['recent', day - 1], ['new', 0]] as const) {
      await db.client.execute({
        sql: "INSERT INTO idempotency_keys (campaign_id, key_hmac, body_hmac, status, response, created_at) VALUES (?, ?, x'00', 201, '{}', ?)",
        args: [campaignId, Buffer.from(key), now - age],
      });
    }
    expect(await pruneIdempotencyKeys(db, day, now)).toBe(2);
    const left = await db.client.execute('SELECT key_hmac FROM idempotency_keys ORDER BY created_at');
    expect(left.rows.map((r) => Buffer.from(r[0] as ArrayBuffer).toString())).toEqual(['recent', 'new']);
  });
});
