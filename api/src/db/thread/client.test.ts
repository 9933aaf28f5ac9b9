/**
 * The database thread behaves like @libsql/client's file client (rows, types, errors, transactions) and
 * keeps SQLite's waits off the event loop: while another process holds the write lock, timers still fire.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LibsqlError } from '@libsql/client';
import Database from 'libsql';
import { afterEach, describe, expect, it } from 'vitest';
import { createDb, deleteInChunks, readPragmas, THREAD_BUSY_TIMEOUT_MS, type Db } from '../client.ts';
import { ThreadClient } from './client.ts';

/** Where the other processes run, so that they resolve `libsql` as this package does. */
const HERE = path.dirname(new URL(import.meta.url).pathname);
let dir: string;
let db: Db | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function open(): Promise<Db> {
  dir = mkdtempSync(path.join(tmpdir(), 'imlu-thread-'));
  db = await createDb(`file:${path.join(dir, 'x.db')}`);
  expect(db.client).toBeInstanceOf(ThreadClient);
  await db.client.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, data BLOB, n INTEGER)');
  return db;
}

describe('the database thread', () => {
  it('answers like @libsql/client: rows by index and name, numbers, blobs as ArrayBuffer, rowsAffected', async () => {
    const { client } = await open();
    const inserted = await client.execute({ sql: 'INSERT INTO t (name, data, n) VALUES (?, ?, ?)', args: ['Wanjirũ', new Uint8Array([1, 2, 3]), 2 ** 40] });
    expect(inserted.rowsAffected).toBe(1);
    expect(inserted.lastInsertRowid).toBe(1n);
    const { rows, columns } = await client.execute('SELECT id, name, data, n FROM t');
    expect(columns).toEqual(['id', 'name', 'data', 'n']);
    const row = rows[0]!;
    expect([row[0], row[1], row[3]]).toEqual([1, 'Wanjirũ', 2 ** 40]);
    expect(row.name).toBe('Wanjirũ');
    expect(row[2]).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(row[2] as ArrayBuffer)]).toEqual([1, 2, 3]);
    expect(Object.keys(row)).toEqual(['id', 'name', 'data', 'n']);
    // Named arguments and booleans, as drizzle sends them.
    await client.execute({ sql: 'INSERT INTO t (name, n) VALUES (:name, :n)', args: { ':name': 'Otieno', ':n': true } });
    expect((await client.execute("SELECT n FROM t WHERE name = 'Otieno'")).rows[0]![0]).toBe(1);
  });

  it("reads every row as @libsql/client's own rows read: indexes, names, length, duplicate and numeric column names, JSON", async () => {
    const { client } = await open();
    await client.execute({ sql: 'INSERT INTO t (name, data, n) VALUES (?, ?, ?), (?, NULL, NULL)', args: ['Achieng', new Uint8Array([9]), 7, 'Kamau'] });
    const { createClient } = await import('@libsql/client');
    const direct = createClient({ url: `file:${path.join(dir, 'x.db')}` });
    try {
      for (const sql of [
        'SELECT id, name, data, n FROM t ORDER BY id',
        'SELECT name, n, name, id AS name FROM t ORDER BY id', // the first column of a name wins
        'SELECT 1, name, 2 FROM t ORDER BY id', // names that are indexes
        'SELECT n AS length, id FROM t ORDER BY id',
        'SELECT id FROM t WHERE id < 0', // no rows
      ]) {
        const ours = (await client.execute(sql)).rows;
        const theirs = (await direct.execute(sql)).rows;
        expect(ours.length, sql).toBe(theirs.length);
        for (let r = 0; r < theirs.length; r++) {
          const [a, b] = [ours[r]!, theirs[r]!];
          expect(a.length, sql).toBe(b.length);
          const values = (row: typeof a) => Array.from(row as ArrayLike<unknown>, (v) => (v instanceof ArrayBuffer ? [...new Uint8Array(v)] : v));
          expect(values(a), sql).toEqual(values(b));
          expect(Object.keys(a), sql).toEqual(Object.keys(b));
          for (const name of Object.keys(b)) expect(a[name], `${sql}: ${name}`).toEqual(b[name]);
          expect(JSON.stringify(a), sql).toBe(JSON.stringify(b));
          expect({ ...a }, sql).toEqual({ ...b });
        }
      }
    } finally {
      direct.close();
    }
  });

  it('reports errors with the codes @libsql/client uses, and a failed batch leaves nothing behind', async () => {
    const { client } = await open();
    await client.execute("INSERT INTO t (id, name) VALUES (1, 'a')");
    const error = await client
      .batch([{ sql: "INSERT INTO t (id, name) VALUES (2, 'b')", args: [] }, { sql: "INSERT INTO t (id, name) VALUES (1, 'dup')", args: [] }], 'write')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LibsqlError);
    expect((error as LibsqlError).code).toBe('SQLITE_CONSTRAINT');
    expect((error as LibsqlError).extendedCode).toBe('SQLITE_CONSTRAINT_PRIMARYKEY');
    expect((await client.execute('SELECT COUNT(*) FROM t')).rows[0]![0]).toBe(1);
    await expect(client.execute('SELECT nope FROM t')).rejects.toThrow(/no such column/);
  });

  it('sets every PRAGMA on its one connection', async () => {
    const opened = await open();
    expect(await readPragmas(opened)).toEqual({ journal_mode: 'wal', synchronous: 2, busy_timeout: THREAD_BUSY_TIMEOUT_MS, foreign_keys: 1, secure_delete: 1, temp_store: 1 });
  });

  it('runs an interactive transaction alone: others wait for it, and a rollback undoes it', async () => {
    const { client } = await open();
    const tx = await client.transaction('write');
    await tx.execute({ sql: "INSERT INTO t (name) VALUES ('inside')", args: [] });
    const outside = client.execute('SELECT COUNT(*) FROM t');
    let answered = false;
    void outside.then(() => (answered = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(answered).toBe(false);
    await tx.rollback();
    expect((await outside).rows[0]![0]).toBe(0);
  });

  it('deletes in chunks until nothing matches', async () => {
    const { client } = await open();
    await client.execute('INSERT INTO t (n) SELECT value FROM generate_series(1, 2500)').catch(async () => {
      for (let i = 1; i <= 2500; i++) await client.execute({ sql: 'INSERT INTO t (n) VALUES (?)', args: [i] });
    });
    expect(await deleteInChunks(client, 't', 'n <= ?', [2000], 300)).toBe(2000);
    expect((await client.execute('SELECT COUNT(*), MIN(n) FROM t')).rows[0]).toMatchObject({ 0: 500, 1: 2001 });
  });

  it('keeps the event loop free while another process holds the write lock', async () => {
    const opened = await open();
    const file = path.join(dir, 'x.db');
    // Another process takes the write lock for 0.6 s (as `sqlite3` with BEGIN IMMEDIATE would), less than the
    // thread's busy timeout, so the write waits for it and gets through.
    const { exited } = await holdInAnotherProcess(
      file,
      `db.exec('BEGIN IMMEDIATE'); db.exec("INSERT INTO t (name) VALUES ('foreign')"); console.log('locked');
       setTimeout(() => { db.exec('COMMIT'); db.close(); }, 600);`,
    );
    let written = false;
    const write = opened.client.batch([{ sql: "INSERT INTO t (name) VALUES ('ours')", args: [] }], 'write').then(() => (written = true));
    // While the thread waits for the lock, this thread's timers keep firing: ten of them run and finish
    // before the write gets through (in-line, the wait would block them until after it).
    for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 10));
    expect(written).toBe(false);
    await write;
    await exited;
    expect((await opened.client.execute('SELECT name FROM t ORDER BY id')).rows.map((r) => r[0])).toEqual(['foreign', 'ours']);
  });

  it('writes again at once after another process lets go of a lock it gave up waiting for', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'imlu-thread-'));
    const file = path.join(dir, 'x.db');
    // A short busy timeout, so that every way of writing gives up while the lock is held.
    const client = new ThreadClient({ path: file, pragmas: { journal_mode: 'WAL', busy_timeout: 50 } });
    try {
      await client.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)');
      const foreign = new Database(file);
      foreign.exec('BEGIN IMMEDIATE');
      const insert = (name: string) => ({ sql: 'INSERT INTO t (name) VALUES (?) RETURNING id', args: [name] });
      const refused = [
        client.execute(insert('lone')),
        client.execute({ sql: "UPDATE t SET name = 'x'", args: [] }),
        client.batch([insert('deferred')], 'deferred'),
        client.batch([insert('write')], 'write', { busyTimeoutMs: 20 }),
        client.transaction('deferred').then(async (tx) => {
          try {
            await tx.execute(insert('interactive'));
          } finally {
            tx.close();
          }
        }),
      ];
      for (const attempt of refused) await expect(attempt).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
      foreign.exec('ROLLBACK');
      foreign.close();
      // SQLite leaves a statement that gave up waiting active, and with it its read transaction; had any of
      // the attempts above been such a statement, these would fail with "SQL statements in progress".
      await client.batch([insert('after')], 'write');
      await client.execute(insert('after, alone'));
      expect((await client.execute('SELECT name FROM t ORDER BY id')).rows.map((r) => r[0])).toEqual(['after', 'after, alone']);
    } finally {
      client.close();
    }
  });

  it('reads the plan of a write and still commits after it', async () => {
    const { client } = await open();
    // The binding leaves EXPLAIN of a write active, which failed the next COMMIT; plans come from elsewhere.
    const plan = await client.execute({ sql: "EXPLAIN QUERY PLAN UPDATE t SET name = 'x' WHERE id = ?", args: [1] });
    expect(plan.rows.map((r) => String(r['detail'])).join('\n')).toMatch(/SEARCH t USING INTEGER PRIMARY KEY/);
    await client.batch([{ sql: "INSERT INTO t (name) VALUES ('after')", args: [] }], 'write');
    await client.execute("UPDATE t SET n = 1 WHERE name = 'after'");
    expect((await client.execute('SELECT n FROM t')).rows.map((r) => r[0])).toEqual([1]);
  });

  it.each([
    ['on its thread', true],
    ['in-line (the CLI)', false],
  ])('opens %s by waiting for a lock another process holds on the file for a moment, not failing at once', async (_label, thread) => {
    dir = mkdtempSync(path.join(tmpdir(), 'imlu-thread-'));
    const file = path.join(dir, 'x.db');
    // A database still in rollback-journal mode, held exclusively for 0.4 s: switching it to WAL, the first
    // thing an opening connection does, needs that lock. (A server connection closing and checkpointing
    // its WAL holds it the same way; the CLI then failed with SQLITE_BUSY in a busy test run.)
    const { exited } = await holdInAnotherProcess(
      file,
      `db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY)'); db.exec('BEGIN EXCLUSIVE'); db.exec('INSERT INTO t DEFAULT VALUES');
       console.log('locked'); setTimeout(() => { db.exec('COMMIT'); db.close(); }, 400);`,
    );
    db = await createDb(`file:${file}`, undefined, { thread });
    await exited;
    expect(String((await db.client.execute('PRAGMA journal_mode')).rows[0]![0])).toBe('wal');
    expect((await db.client.execute('SELECT COUNT(*) AS n FROM t')).rows[0]!['n']).toBe(1);
  });

  it("keeps its connection's locks when the same process opens the database again (no descriptor of the file is closed)", async () => {
    const opened = await open();
    await opened.client.execute("INSERT INTO t (name) VALUES ('ours')");
    // A second connection in this process, as a test or an in-process command makes beside the server's.
    const second = await createDb(`file:${path.join(dir, 'x.db')}`, undefined, { thread: false });
    try {
      // Another process may not switch the file out of WAL while this process has it open: that needs the
      // lock our connections hold. Had opening the second one closed a descriptor of the file, POSIX would
      // have dropped this process's locks, the switch would succeed, and both connections would go on
      // writing a WAL no longer read: a corrupted database.
      expect(leaveWalFromAnotherProcess(path.join(dir, 'x.db'))).toBe('SQLITE_BUSY');
      expect((await second.client.execute('SELECT name FROM t')).rows.map((r) => r[0])).toEqual(['ours']);
    } finally {
      second.close();
    }
  });

  it('says when its thread has closed the connection: the file is then free for another process', async () => {
    const opened = await open();
    await opened.client.execute("INSERT INTO t (name) VALUES ('ours')");
    opened.close();
    await (opened.client as ThreadClient).whenClosed();
    db = undefined;
    expect(leaveWalFromAnotherProcess(path.join(dir, 'x.db'))).toBe('delete');
  });
});

/** Runs `script` (with `db`, a libsql connection to `file`) in another process; resolves once it printed, with its exit. */
async function holdInAnotherProcess(file: string, script: string): Promise<{ exited: Promise<unknown> }> {
  const holder = spawn(process.execPath, ['--input-type=module', '-e', `import Database from 'libsql'; const db = new Database(${JSON.stringify(file)}); ${script}`], {
    cwd: HERE,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => holder.once('exit', resolve));
  await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
  // In an object: an async function returning the promise itself would wait for it.
  return { exited };
}

/**
 * Another process tries to switch the file out of WAL, which needs every lock on it: answers the journal mode
 * it got (`delete`), or the error code when a connection still holds the file (`SQLITE_BUSY`).
 */
function leaveWalFromAnotherProcess(file: string): string {
  const child = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import Database from 'libsql'; const db = new Database(${JSON.stringify(file)});
       try { console.log(db.prepare('PRAGMA journal_mode = DELETE').get().journal_mode); } catch (e) { console.log(e.code); }`,
    ],
    { cwd: HERE, encoding: 'utf8' },
  );
  return child.stdout.trim();
}
