// The database thread: owns the embedded libSQL connection of the API process, so that SQLite's work —
// compiling, stepping, the fsync of every commit, and the busy wait on another process's write lock — runs
// here and never on the event-loop thread that answers HTTP (issue 15: under load SQLite took 52 % of the
// main thread, and a foreign lock froze `/health` for 5 s).
//
// Plain JavaScript on purpose: a worker thread does not inherit the TypeScript loader of vitest or tsx, and
// this file is small. The main-thread side is `client.ts` beside it, which speaks @libsql/client's `Client`.
//
// Requests are handled strictly in order, one at a time; an interactive transaction holds the connection
// and requests from outside it wait until it ends (as with @libsql/client's single connection).
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'libsql';

/** @type {{ path: string; pragmas: Record<string, string | number>; maxStatements: number; transactionTimeoutMs: number; timeStatements?: boolean }} */
const config = workerData;
const db = new Database(config.path);
// Every connection this process opens gets the same settings: this is the only one for the file.
// The busy timeout first: journal_mode takes a lock on the file, and without a timeout a lock held for a
// moment by another connection (a CLI command, a closing connection checkpointing the WAL) fails at once.
const pragmas = Object.entries(config.pragmas).sort(([a], [b]) => Number(b === 'busy_timeout') - Number(a === 'busy_timeout'));
for (const [name, value] of pragmas) db.exec(`PRAGMA ${name} = ${value}`);

/** Statements compiled once and reused: the signing path runs the same few SQL texts all day. */
const statements = new Map();
function prepared(sql) {
  let statement = statements.get(sql);
  if (statement) {
    // Most recently used last, so the oldest is evicted first.
    statements.delete(sql);
    statements.set(sql, statement);
    return statement;
  }
  statement = db.prepare(sql);
  let reader = true;
  try {
    statement.raw(true);
  } catch {
    reader = false; // raw() throws for a statement that returns no rows
  }
  statement.safeIntegers(true);
  const columns = reader ? statement.columns().map((c) => c.name) : [];
  const columnTypes = reader ? statement.columns().map((c) => c.type ?? '') : [];
  const entry = { statement, reader, columns, columnTypes, writes: WRITES.test(sql) };
  statements.set(sql, entry);
  if (statements.size > config.maxStatements) statements.delete(statements.keys().next().value);
  return entry;
}

/** Statements that may write; run alone, each takes the write lock first (see `execute`). */
const WRITES = /^\s*(INSERT|UPDATE|DELETE|REPLACE|WITH)\b/i;
const EXPLAIN = /^\s*EXPLAIN\b/i;

/** Blobs cross the thread boundary as plain Uint8Arrays; libsql binds Buffers. */
function bindable(value) {
  return value instanceof Uint8Array && !Buffer.isBuffer(value) ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : value;
}

function argsOf(stmt) {
  return Array.isArray(stmt.args)
    ? stmt.args.map(bindable)
    : Object.fromEntries(Object.entries(stmt.args ?? {}).map(([name, value]) => [name, bindable(value)]));
}

/**
 * `EXPLAIN` of a statement that writes stays active after its rows are read (the libsql binding does not
 * reset it), and an active statement makes every later COMMIT on the connection fail. Plans (read by the
 * tests, never by the API) come from a connection of their own, closed at once.
 */
function explain(stmt) {
  const other = new Database(config.path);
  try {
    const statement = other.prepare(stmt.sql);
    statement.raw(true);
    statement.safeIntegers(true);
    const columns = statement.columns();
    const args = argsOf(stmt);
    const rows = Array.isArray(args) ? statement.all(args) : statement.all(args ?? []);
    return { columns: columns.map((c) => c.name), columnTypes: columns.map((c) => c.type ?? ''), rows, rowsAffected: 0, lastInsertRowid: undefined };
  } finally {
    other.close();
  }
}

/** `entry`: the statement's cache entry when the caller already looked it up. */
function run(stmt, entry) {
  if (!entry) {
    if (EXPLAIN.test(stmt.sql)) return explain(stmt);
    entry = prepared(stmt.sql);
  }
  const args = argsOf(stmt);
  if (entry.reader) {
    const rows = Array.isArray(args) ? entry.statement.all(args) : entry.statement.all(args ?? []);
    return { columns: entry.columns, columnTypes: entry.columnTypes, rows, rowsAffected: 0, lastInsertRowid: undefined };
  }
  const info = Array.isArray(args) ? entry.statement.run(args) : entry.statement.run(args ?? []);
  return { columns: [], columnTypes: [], rows: [], rowsAffected: info.changes, lastInsertRowid: BigInt(info.lastInsertRowid) };
}

function errorOf(e, index) {
  return {
    message: String(e?.message ?? e),
    name: e?.name,
    code: e?.code,
    rawCode: e?.rawCode,
    index,
  };
}

// No statement of ours ever waits for the write lock itself: a transaction that may write takes the lock in
// its BEGIN ('deferred' too), and a lone write statement is wrapped in one (`execute`). The reason is how
// SQLite ends a step that gave up waiting: a statement that returned SQLITE_BUSY stays active, holding its
// read transaction, until it is reset or finalized — and the libsql binding resets a statement only when
// it runs again, finalizes it only when garbage-collected, and this cache keeps it alive. Until then every
// COMMIT on the connection failed ("cannot commit transaction - SQL statements in progress"): after another
// process's lock, signing kept answering 503 for a second or more after the lock was gone (issue 15,
// `pnpm bench:crash`). A BEGIN that gives up leaves nothing behind (db.exec finalizes its statement), so
// the next batch starts clean. client.test.ts beside this file holds the behaviour.
const BEGIN = { deferred: 'BEGIN IMMEDIATE', read: 'BEGIN TRANSACTION READONLY', write: 'BEGIN IMMEDIATE' };

/** One statement outside a transaction; one that may write gets the lock first and commits at once. */
function execute(stmt) {
  if (EXPLAIN.test(stmt.sql)) return explain(stmt);
  const entry = prepared(stmt.sql);
  if (!entry.writes || db.inTransaction) return run(stmt, entry);
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = run(stmt, entry);
    db.exec('COMMIT');
    return result;
  } finally {
    rollbackQuietly();
  }
}

function rollbackQuietly() {
  try {
    if (db.inTransaction) db.exec('ROLLBACK');
  } catch {
    // nothing more to do: the next BEGIN says whether the connection is usable
  }
}

// With `timeStatements` (benchmarks only: `pnpm bench`'s raw writer), where each batch's time goes: its BEGIN,
// each statement by what it does (`INSERT INTO signature_intake`, `SELECT … FROM idempotency_keys`), and its
// COMMIT (writing the WAL and, with synchronous=FULL, its fsync). Read and reset by the `timings` request.
const timings = { transactions: 0, statements: new Map() };
const labels = new Map();
function labelOf(sql) {
  let label = labels.get(sql);
  if (label === undefined) {
    const text = sql.replace(/\s+/g, ' ').trim();
    const write = /^(INSERT INTO|UPDATE|DELETE FROM) [`"]?(\w+)/i.exec(text);
    const read = /^SELECT .*? FROM [`"]?(\w+)/i.exec(text);
    label = write ? `${write[1].toUpperCase()} ${write[2]}` : read ? `SELECT … FROM ${read[1]}` : text.slice(0, 40);
    if (labels.size < 10_000) labels.set(sql, label);
  }
  return label;
}
function timed(label, started) {
  const entry = timings.statements.get(label) ?? { ms: 0, runs: 0 };
  entry.ms += performance.now() - started;
  entry.runs++;
  timings.statements.set(label, entry);
}

function batch(stmts, mode) {
  const time = config.timeStatements === true;
  let started = time ? performance.now() : 0;
  db.exec(BEGIN[mode] ?? 'BEGIN DEFERRED');
  if (time) {
    timed('BEGIN', started);
    timings.transactions++;
  }
  const results = [];
  try {
    for (let i = 0; i < stmts.length; i++) {
      try {
        if (time) started = performance.now();
        results.push(run(stmts[i]));
        if (time) timed(labelOf(stmts[i].sql), started);
      } catch (e) {
        throw Object.assign(new Error('batch'), { detail: errorOf(e, i) });
      }
    }
    if (time) started = performance.now();
    db.exec('COMMIT');
    if (time) timed('COMMIT', started);
    return results;
  } finally {
    rollbackQuietly();
  }
}

function migrate(stmts) {
  db.exec('PRAGMA foreign_keys = off');
  try {
    return batch(stmts, 'deferred');
  } finally {
    db.exec(`PRAGMA foreign_keys = ${config.pragmas.foreign_keys ?? 1}`);
  }
}

/** The interactive transaction holding the connection, if any, and what waits for it. */
let open = null;
const waiting = [];

function handle(message) {
  const { id, op } = message;
  if (open && message.tx !== open.tx && op !== 'close') {
    waiting.push(message);
    return;
  }
  let reply;
  try {
    switch (op) {
      case 'execute':
        reply = { id, ok: true, results: [execute(message.stmt)] };
        break;
      case 'batch':
        if (message.busyTimeoutMs === undefined) {
          reply = { id, ok: true, results: batch(message.stmts, message.mode) };
          break;
        }
        // A caller that would rather answer "try again" than wait long for another process's lock.
        db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(message.busyTimeoutMs))}`);
        try {
          reply = { id, ok: true, results: batch(message.stmts, message.mode) };
        } finally {
          db.exec(`PRAGMA busy_timeout = ${config.pragmas.busy_timeout ?? 5000}`);
        }
        break;
      case 'migrate':
        reply = { id, ok: true, results: migrate(message.stmts) };
        break;
      case 'timings':
        reply = { id, ok: true, results: { transactions: timings.transactions, statements: [...timings.statements].map(([label, t]) => ({ label, ms: t.ms, runs: t.runs })) } };
        timings.transactions = 0;
        timings.statements.clear();
        break;
      case 'exec':
        db.exec(message.sql);
        reply = { id, ok: true, results: [] };
        break;
      case 'begin': {
        db.exec(BEGIN[message.mode] ?? 'BEGIN DEFERRED');
        const timer = setTimeout(() => {
          // A transaction left open (its caller hung) must not hold the write lock for ever.
          rollbackQuietly();
          end();
        }, config.transactionTimeoutMs);
        open = { tx: message.tx, timer };
        reply = { id, ok: true, results: [] };
        break;
      }
      case 'commit':
      case 'rollback':
        try {
          if (db.inTransaction) db.exec(op === 'commit' ? 'COMMIT' : 'ROLLBACK');
          reply = { id, ok: true, results: [] };
        } finally {
          rollbackQuietly();
          end();
        }
        break;
      case 'close':
        rollbackQuietly();
        db.close();
        parentPort.postMessage({ id, ok: true, results: [] });
        parentPort.close();
        return;
      default:
        throw new Error(`unknown operation ${op}`);
    }
  } catch (e) {
    reply = { id, ok: false, error: e?.detail ?? errorOf(e) };
  }
  parentPort.postMessage(reply);
}

function end() {
  if (open) clearTimeout(open.timer);
  open = null;
  while (!open && waiting.length) handle(waiting.shift());
}

parentPort.on('message', handle);
