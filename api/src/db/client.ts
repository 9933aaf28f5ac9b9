/**
 * Opening, migrating and checking the database.
 *
 * The embedded default is a libSQL file opened with ONE connection (`concurrency: 1`): SQLite has a single
 * write lock, and with a pool the connections fight over it (TOOLCHAIN.md measured 0.8–2.2k/s pooled vs
 * 6.7k/s with one connection). All signature writes go through `client.batch(…, 'write')` from the
 * signature writer; there are no interactive transactions on the signing path, because one lock timeout
 * inside an interactive `@libsql/client` transaction can leave the write lock held until the process exits.
 */
import { fileURLToPath } from 'node:url';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import path from 'node:path';
import { createClient, type Client, type InValue } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { ConfigError } from '../config/env.ts';
import { schema } from './schema.ts';
import { ThreadClient } from './thread/client.ts';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));
const MIGRATIONS_TABLE = '__drizzle_migrations';

/**
 * Per-connection settings for an embedded file database. `journal_mode=WAL` persists in the file; the
 * others must be set on every connection, which is one more reason to keep exactly one.
 * - `synchronous=FULL`: an acknowledged signature survives a power cut, not only a process crash.
 * - `busy_timeout=5000`: wait for another process's write lock (a CLI export, a second node on the same
 *   file) instead of failing at once.
 * - `foreign_keys=ON`: SQLite leaves them off by default.
 */
export const EMBEDDED_PRAGMAS = {
  journal_mode: 'wal',
  synchronous: 2, // FULL
  busy_timeout: 5000,
  foreign_keys: 1,
  // Deleted rows (an erased signer, a campaign past its retention) are overwritten in the file, not just
  // unlinked: free pages keep no personal data (issue 11).
  secure_delete: 1,
  // Sorts and GROUP BYs too large for the page cache spill to a temporary file, not to memory: this build
  // of SQLite keeps temporary tables in memory by default (TEMP_STORE=2), so an export's per-county totals
  // over 3M signatures held ~180 MB before its first row (docs/performance.md, exports).
  temp_store: 1, // FILE
} as const;

/**
 * The database thread's wait for another process's write lock. There, one statement waiting holds up every
 * request behind it, reads included, so none waits longer than this; the caller answers 503 with
 * `Retry-After` (a request) or tries again on its next round (the outbox, the sweeps). The signing writer
 * passes its own, equal limit per batch (`SignatureWriter`'s `busyTimeoutMs`).
 */
export const THREAD_BUSY_TIMEOUT_MS = 1000;

export type Orm = LibSQLDatabase<typeof schema>;

export interface Db {
  readonly client: Client;
  readonly orm: Orm;
  readonly url: string;
  /** True for a `file:` database in this process, false for sqld / Turso over the network. */
  readonly embedded: boolean;
  close(): void;
}

export interface DbOptions {
  /**
   * Run an embedded file database on a thread of its own (`./thread/client.ts`), so SQLite's work and its
   * busy waits never block the event loop. Default true; a one-shot CLI command, which answers no one while
   * it waits, may run it in-line. In-line, `close()` does not close: @libsql/client's connection (its
   * descriptors and POSIX locks on the file) lives on until its statements are garbage-collected.
   */
  thread?: boolean;
  /**
   * The database thread's `busy_timeout` (default `THREAD_BUSY_TIMEOUT_MS`). A CLI command, which answers no
   * one while it waits, gives the server's commits longer.
   */
  busyTimeoutMs?: number;
  /** The database thread times each batch's statements (benchmarks: `ThreadClient.statementTimings`). */
  timeStatements?: boolean;
}

export async function createDb(url: string, authToken?: string, options: DbOptions = {}): Promise<Db> {
  const embedded = url.startsWith('file:');
  if (embedded) prepareDatabaseFile(url);
  const file = embedded ? embeddedDatabaseFile(url) : undefined;
  const threaded = embedded && file !== undefined && (options.thread ?? true);
  const client: Client = threaded
    ? new ThreadClient({
        path: file,
        pragmas: { ...EMBEDDED_PRAGMAS, busy_timeout: options.busyTimeoutMs ?? THREAD_BUSY_TIMEOUT_MS },
        timeStatements: options.timeStatements ?? false,
      })
    : createClient(embedded ? { url, concurrency: 1 } : { url, authToken, concurrency: 1 });
  if (embedded && !threaded) {
    // The busy timeout first: setting journal_mode takes a lock on the file, and without a timeout a lock
    // held for a moment by another connection (a server thread closing, which checkpoints the WAL) fails
    // the command at once with SQLITE_BUSY. journal_mode must be set outside a transaction; it answers with
    // a row.
    await client.execute(`PRAGMA busy_timeout = ${EMBEDDED_PRAGMAS.busy_timeout}`);
    await client.execute(`PRAGMA journal_mode = ${EMBEDDED_PRAGMAS.journal_mode}`);
    await client.execute(`PRAGMA synchronous = ${EMBEDDED_PRAGMAS.synchronous}`);
    await client.execute(`PRAGMA foreign_keys = ${EMBEDDED_PRAGMAS.foreign_keys}`);
    await client.execute(`PRAGMA secure_delete = ${EMBEDDED_PRAGMAS.secure_delete}`);
    await client.execute(`PRAGMA temp_store = ${EMBEDDED_PRAGMAS.temp_store}`);
  }
  const orm = drizzle(client, { schema });
  let closed = false;
  return {
    client,
    orm,
    url,
    embedded,
    close() {
      if (closed) return;
      closed = true;
      client.close();
    },
  };
}

/** The file of an embedded `file:` URL; undefined for an in-memory database. */
export function embeddedDatabaseFile(url: string): string | undefined {
  const filePath = url.slice('file:'.length).split('?')[0] ?? '';
  if (!filePath || filePath.startsWith(':memory:')) return undefined;
  return path.resolve(filePath.replace(/^\/\/(?=\/)/, ''));
}

/** The database and SQLite's files beside it; all must be readable by their owner only. */
export const DATABASE_FILE_SUFFIXES = ['', '-wal', '-shm', '-journal'] as const;

/**
 * Creates the database file owner-only (0600) before SQLite opens it, and tightens an existing one and its
 * WAL, shared-memory and journal files. SQLite creates those with the mode of the database file, so a 0600
 * database keeps every later one 0600 too, whatever the process umask.
 */
function prepareDatabaseFile(url: string): void {
  const file = embeddedDatabaseFile(url);
  if (!file) return;
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Only a file that does not exist yet is opened here. Closing any descriptor of a database file drops
  // every POSIX lock this process holds on it, those of SQLite's own connections included (another
  // connection of this process — the server's thread while a test or a command opens a second one — then
  // writes as if unlocked, and the file is corrupted: sqlite.org/howtocorrupt.html §2.2).
  if (!existsSync(file)) {
    try {
      closeSync(openSync(file, 'wx', 0o600));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  for (const suffix of DATABASE_FILE_SUFFIXES) {
    const each = `${file}${suffix}`;
    if (!existsSync(each) || (statSync(each).mode & 0o077) === 0) continue;
    try {
      chmodSync(each, 0o600);
    } catch (error) {
      throw new ConfigError([
        {
          variable: 'DATABASE_URL',
          message: `${each} is readable by others and could not be made owner-only (0600): ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
        },
      ]);
    }
  }
}

/** Applies the committed SQL migrations in `api/drizzle/` that this database has not seen yet. */
export async function migrateDb(db: Db): Promise<void> {
  await migrate(db.orm, { migrationsFolder: MIGRATIONS_FOLDER, migrationsTable: MIGRATIONS_TABLE });
}

/** Reads the per-connection settings back, as the database reports them. */
export async function readPragmas(db: Db): Promise<Record<keyof typeof EMBEDDED_PRAGMAS, string | number>> {
  const read = async (name: keyof typeof EMBEDDED_PRAGMAS) => {
    const result = await db.client.execute(`PRAGMA ${name}`);
    const value = result.rows[0]?.[0];
    return typeof value === 'string' || typeof value === 'number' ? value : String(value);
  };
  return {
    journal_mode: await read('journal_mode'),
    synchronous: await read('synchronous'),
    busy_timeout: await read('busy_timeout'),
    foreign_keys: await read('foreign_keys'),
    secure_delete: await read('secure_delete'),
    temp_store: await read('temp_store'),
  };
}

export interface Readiness {
  database: boolean;
  migrations: boolean;
}

/** Readiness: the database answers, and every committed migration is recorded as applied. */
export async function checkReadiness(db: Db): Promise<Readiness> {
  let applied: number[];
  try {
    const result = await db.client.execute(`SELECT created_at FROM ${MIGRATIONS_TABLE}`);
    applied = result.rows.map((row) => Number(row[0]));
  } catch (error) {
    // "no such table" means reachable but never migrated; anything else means unreachable.
    const reachable = await db.client.execute('SELECT 1').then(
      () => true,
      () => false,
    );
    if (reachable && /no such table/i.test(String((error as Error).message))) return { database: true, migrations: false };
    return { database: reachable, migrations: false };
  }
  const appliedSet = new Set(applied);
  return { database: true, migrations: expectedMigrations().every((millis) => appliedSet.has(millis)) };
}

let expected: number[] | undefined;
/** Timestamps of the committed migrations (read once: they do not change while the process runs). */
function expectedMigrations(): number[] {
  expected ??= readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER }).map((m) => m.folderMillis);
  return expected;
}

/** Rows deleted per statement by the sweeps: each holds the write lock for milliseconds, never minutes. */
export const SWEEP_CHUNK = 2000;

/**
 * Deletes the rows of `table` that match `where`, a chunk at a time, letting other work (the signature
 * writer's commits) in between. At thousands of signatures a second an hour of idempotency keys or signing
 * attempts is millions of rows; one DELETE of them all would hold the write lock for minutes. Returns how
 * many were deleted. The condition must be served by an index (the tables' `created_at` / `expires_at`).
 */
export async function deleteInChunks(client: Client, table: string, where: string, args: InValue[], chunk = SWEEP_CHUNK): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await client.execute({
      sql: `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${where} LIMIT ?)`,
      args: [...args, chunk],
    });
    total += result.rowsAffected;
    if (result.rowsAffected < chunk) return total;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Deletes signing attempts older than an hour: the soft limits look back five minutes at most. Returns how
 * many were deleted.
 */
export async function pruneSigningAttempts(db: Db, now: number = Date.now()): Promise<number> {
  return deleteInChunks(db.client, 'signing_attempts', 'created_at < ?', [now - 60 * 60 * 1000]);
}

/**
 * Deletes idempotency records older than `maxAgeMs`. A retry comes within minutes; keeping records
 * longer only keeps data (HMACs and stored answers) that serves nobody. Returns how many were deleted.
 */
export async function pruneIdempotencyKeys(db: Db, maxAgeMs: number, now: number = Date.now()): Promise<number> {
  return deleteInChunks(db.client, 'idempotency_keys', 'created_at < ?', [now - maxAgeMs]);
}
