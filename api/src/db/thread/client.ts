/**
 * A `@libsql/client` `Client` whose embedded connection lives on a worker thread (`worker.mjs`).
 *
 * @libsql/client runs an embedded database synchronously on the calling thread: every statement, every
 * commit's fsync, and — worst — the busy wait on another process's write lock block the event loop. Under
 * signing load SQLite took half the main thread, and a lock held by a CLI or `sqlite3` froze `/health` and
 * `/counts` for seconds (issue 15). Here the same work runs on a thread of its own: HTTP keeps answering
 * while a transaction commits, and the main thread's share of a commit is one message each way.
 *
 * It behaves like @libsql/client's file client with one connection — rows with index and column access,
 * `intMode: 'number'`, blobs as `ArrayBuffer`, `LibsqlError`s with the same codes — so drizzle and every
 * caller use it unchanged. Beyond that: statements are compiled once and cached on the thread, and the
 * connection is the only one, opened once with every PRAGMA (a pool that reopens connections loses them).
 */
import { Worker } from 'node:worker_threads';
import {
  LibsqlBatchError,
  LibsqlError,
  type Client,
  type InArgs,
  type InStatement,
  type InValue,
  type Replicated,
  type ResultSet,
  type Row,
  type Transaction,
  type TransactionMode,
} from '@libsql/client';

export interface ThreadClientOptions {
  /** Path of the database file. */
  path: string;
  /** Set on the connection when it opens, in this order. */
  pragmas: Record<string, string | number>;
  /** Compiled statements kept on the thread (least recently used dropped first). Default 1,000. */
  maxStatements?: number;
  /** An interactive transaction left open longer is rolled back. Default 30 s. */
  transactionTimeoutMs?: number;
  /** Time each batch's statements on the thread (benchmarks: `statementTimings()`). Default false. */
  timeStatements?: boolean;
}

/** Where the batches' time went on the database thread since the last reading (`timeStatements`). */
export interface StatementTimings {
  transactions: number;
  /** `BEGIN`, each statement by what it does (`INSERT INTO signature_intake`), `COMMIT`: milliseconds in all. */
  statements: { label: string; ms: number; runs: number }[];
}

export interface BatchOptions {
  busyTimeoutMs?: number;
}

interface WireStatement {
  sql: string;
  args: unknown[] | Record<string, unknown>;
}

interface WireResult {
  columns: string[];
  columnTypes: string[];
  rows: unknown[][];
  rowsAffected: number;
  lastInsertRowid: bigint | undefined;
}

interface WireError {
  message: string;
  name?: string;
  code?: string;
  rawCode?: number;
  index?: number;
}

type Reply = { id: number; ok: true; results: WireResult[] } | { id: number; ok: false; error: WireError };

interface Waiter {
  resolve: (results: WireResult[]) => void;
  reject: (error: Error) => void;
  batch: boolean;
}

const WORKER_URL = new URL('./worker.mjs', import.meta.url);

export class ThreadClient implements Client {
  readonly protocol = 'file';
  closed = false;
  readonly #options: ThreadClientOptions;
  #worker: Worker | undefined;
  readonly #waiting = new Map<number, Waiter>();
  #nextId = 1;
  #nextTx = 1;

  constructor(options: ThreadClientOptions) {
    this.#options = options;
    this.#start();
  }

  #start(): Worker {
    const worker = new Worker(WORKER_URL, {
      workerData: {
        path: this.#options.path,
        pragmas: this.#options.pragmas,
        maxStatements: this.#options.maxStatements ?? 1000,
        transactionTimeoutMs: this.#options.transactionTimeoutMs ?? 30_000,
        timeStatements: this.#options.timeStatements ?? false,
      },
      // The thread needs no TypeScript loader (plain JavaScript) and must not inherit a test runner's.
      execArgv: [],
    });
    worker.unref();
    worker.on('message', (reply: Reply) => this.#settle(reply));
    const fail = (error: Error) => {
      if (this.#worker === worker) this.#worker = undefined;
      const pending = [...this.#waiting.values()];
      this.#waiting.clear();
      for (const waiter of pending) waiter.reject(new LibsqlError(`the database thread stopped: ${error.message}`, 'SQLITE_IOERR'));
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (this.#waiting.size) fail(new Error(`exit code ${code}`));
      else if (this.#worker === worker) this.#worker = undefined;
    });
    this.#worker = worker;
    return worker;
  }

  #settle(reply: Reply): void {
    const waiter = this.#waiting.get(reply.id);
    if (!waiter) return;
    this.#waiting.delete(reply.id);
    // Only in-flight requests keep the process alive: an idle database thread must not hold it open.
    if (!this.#waiting.size) this.#worker?.unref();
    if (reply.ok) waiter.resolve(reply.results);
    else waiter.reject(toLibsqlError(reply.error, waiter.batch));
  }

  #request(message: Record<string, unknown>, batch = false): Promise<WireResult[]> {
    if (this.closed) return Promise.reject(new LibsqlError('The client is closed', 'CLIENT_CLOSED'));
    const worker = this.#worker ?? this.#start();
    const id = this.#nextId++;
    return new Promise<WireResult[]>((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject, batch });
      if (this.#waiting.size === 1) worker.ref();
      worker.postMessage({ ...message, id });
    });
  }

  execute(stmt: InStatement): Promise<ResultSet>;
  execute(sql: string, args?: InArgs): Promise<ResultSet>;
  async execute(stmtOrSql: InStatement | string, args?: InArgs): Promise<ResultSet> {
    return this.#execute(stmtOrSql, args, undefined);
  }

  async #execute(stmtOrSql: InStatement | string, args: InArgs | undefined, tx: number | undefined): Promise<ResultSet> {
    const stmt = typeof stmtOrSql === 'string' ? { sql: stmtOrSql, args: args ?? [] } : stmtOrSql;
    const [result] = await this.#request({ op: 'execute', stmt: toWire(stmt), tx });
    return toResultSet(result!);
  }

  /**
   * As @libsql/client's, plus `busyTimeoutMs`: how long this batch may wait for another process's write lock
   * (the connection's `busy_timeout` otherwise). @libsql/client ignores the third argument.
   */
  async batch(stmts: Array<InStatement | [string, InArgs?]>, mode: TransactionMode = 'deferred', options: BatchOptions = {}): Promise<ResultSet[]> {
    const wire = stmts.map((s) => toWire(Array.isArray(s) ? { sql: s[0], args: s[1] ?? [] } : s));
    return (await this.#request({ op: 'batch', stmts: wire, mode, busyTimeoutMs: options.busyTimeoutMs }, true)).map(toResultSet);
  }

  async migrate(stmts: InStatement[]): Promise<ResultSet[]> {
    return (await this.#request({ op: 'migrate', stmts: stmts.map(toWire) }, true)).map(toResultSet);
  }

  async executeMultiple(sql: string): Promise<void> {
    await this.#request({ op: 'exec', sql });
  }

  /** The batches' timings since the last call, and starts again (all zero without `timeStatements`). */
  async statementTimings(): Promise<StatementTimings> {
    return (await this.#request({ op: 'timings' })) as unknown as StatementTimings;
  }

  transaction(mode?: TransactionMode): Promise<Transaction>;
  async transaction(mode: TransactionMode = 'write'): Promise<Transaction> {
    const tx = this.#nextTx++;
    await this.#request({ op: 'begin', mode, tx });
    let closed = false;
    const guard = () => {
      if (closed) throw new LibsqlError('The transaction is closed', 'TRANSACTION_CLOSED');
    };
    const end = async (op: 'commit' | 'rollback') => {
      if (closed) return;
      closed = true;
      await this.#request({ op, tx });
    };
    const transaction: Transaction = {
      execute: (stmt: InStatement) => (guard(), this.#execute(stmt, undefined, tx)),
      batch: async (stmts: InStatement[]) => {
        guard();
        const results: ResultSet[] = [];
        for (const stmt of stmts) results.push(await this.#execute(stmt, undefined, tx));
        return results;
      },
      executeMultiple: async (sql: string) => {
        guard();
        await this.#request({ op: 'exec', sql, tx });
      },
      commit: () => end('commit'),
      rollback: () => end('rollback'),
      close: () => void end('rollback').catch(() => undefined),
      get closed() {
        return closed;
      },
    };
    return transaction;
  }

  sync(): Promise<Replicated> {
    return Promise.reject(new LibsqlError('sync is only for embedded replicas', 'SYNC_NOT_SUPPORTED'));
  }

  reconnect(): void {
    // One connection on one thread, opened once: nothing to reconnect.
  }

  /** Everything already asked is done first (the thread works in order), then the connection closes. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const worker = this.#worker;
    if (!worker) return;
    worker.ref();
    worker.postMessage({ op: 'close', id: 0 });
  }

  /**
   * Resolves once the thread has exited, its connection closed: for whoever opens the same file again in
   * this process right after (a test; the server closes its database only when it stops).
   */
  whenClosed(): Promise<void> {
    const worker = this.#worker;
    if (!worker) return Promise.resolve();
    return new Promise((resolve) => worker.once('exit', () => resolve()));
  }
}

function toWireValue(value: InValue): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (value instanceof Date) return value.valueOf();
  if (value === undefined) throw new TypeError('undefined cannot be passed as argument to the database');
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new RangeError('Only finite numbers (not Infinity or NaN) can be passed as arguments');
  }
  return value;
}

function toWire(stmt: InStatement): WireStatement {
  if (typeof stmt === 'string') return { sql: stmt, args: [] };
  const { sql, args } = stmt;
  if (!args) return { sql, args: [] };
  if (Array.isArray(args)) return { sql, args: args.map(toWireValue) };
  const named: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(args)) {
    named[name[0] === '@' || name[0] === '$' || name[0] === ':' ? name.slice(1) : name] = toWireValue(value);
  }
  return { sql, args: named };
}

function fromWireValue(value: unknown): unknown {
  if (typeof value === 'bigint') {
    if (value < BigInt(Number.MIN_SAFE_INTEGER) || value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new RangeError('Received integer which cannot be safely represented as a JavaScript number');
    }
    return Number(value);
  }
  if (value instanceof Uint8Array) return value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength);
  return value;
}

/** A row as @libsql/client builds it: values by index (not enumerable) and by column name. */
function toRow(values: unknown[], columns: string[]): Row {
  const row: Record<string | number, unknown> = {};
  Object.defineProperty(row, 'length', { value: values.length });
  for (let i = 0; i < values.length; i++) {
    const value = fromWireValue(values[i]);
    Object.defineProperty(row, i, { value });
    const column = columns[i]!;
    if (!Object.hasOwn(row, column)) Object.defineProperty(row, column, { value, enumerable: true, configurable: true, writable: true });
  }
  return row as unknown as Row;
}

const ROW_VALUES = Symbol('row values');

/**
 * The rows of one result set, built the fast way: the same things readable (`row.name`, `row[i]`, `length`,
 * `Array.from(row)`, `Object.keys`, JSON) as `toRow`'s, but the indexes and `length` live on a prototype
 * shared by the set's rows, and the names are plain properties, so every row has one shape. `toRow`'s
 * `Object.defineProperty` per value cost ~3.7 µs a row, most of the writer's read-back of a batch's counts
 * (issue 15). Column names that could collide with an index or `length` keep the slow way.
 */
function rowsOf(wire: WireResult): Row[] {
  const { columns } = wire;
  if (columns.some((name) => name === 'length' || name === '__proto__' || /^\d+$/.test(name))) return wire.rows.map((values) => toRow(values, columns));
  const shape: object = Object.create(Object.prototype);
  Object.defineProperty(shape, 'length', { value: columns.length });
  for (let i = 0; i < columns.length; i++) {
    Object.defineProperty(shape, i, {
      get(this: { [ROW_VALUES]: unknown[] }) {
        return this[ROW_VALUES][i];
      },
    });
  }
  // The first column of a name wins, as in `toRow`.
  const named = columns.flatMap((name, i) => (columns.indexOf(name) === i ? [[name, i] as const] : []));
  return wire.rows.map((wireValues) => {
    const values = wireValues.map(fromWireValue);
    const row = Object.create(shape) as Record<string | symbol, unknown>;
    Object.defineProperty(row, ROW_VALUES, { value: values });
    for (const [name, i] of named) row[name] = values[i];
    return row as unknown as Row;
  });
}

function toResultSet(wire: WireResult): ResultSet {
  const rows = rowsOf(wire);
  return {
    columns: wire.columns,
    columnTypes: wire.columnTypes,
    rows,
    rowsAffected: wire.rowsAffected,
    lastInsertRowid: wire.lastInsertRowid,
    toJSON() {
      return { columns: wire.columns, columnTypes: wire.columnTypes, rows: rows.map((r) => Array.from(r as ArrayLike<unknown>)), rowsAffected: wire.rowsAffected, lastInsertRowid: wire.lastInsertRowid?.toString() ?? null };
    },
  };
}

const BASE_CODES: Record<number, string> = {
  1: 'SQLITE_ERROR', 2: 'SQLITE_INTERNAL', 3: 'SQLITE_PERM', 4: 'SQLITE_ABORT', 5: 'SQLITE_BUSY', 6: 'SQLITE_LOCKED',
  7: 'SQLITE_NOMEM', 8: 'SQLITE_READONLY', 9: 'SQLITE_INTERRUPT', 10: 'SQLITE_IOERR', 11: 'SQLITE_CORRUPT',
  12: 'SQLITE_NOTFOUND', 13: 'SQLITE_FULL', 14: 'SQLITE_CANTOPEN', 15: 'SQLITE_PROTOCOL', 16: 'SQLITE_EMPTY',
  17: 'SQLITE_SCHEMA', 18: 'SQLITE_TOOBIG', 19: 'SQLITE_CONSTRAINT', 20: 'SQLITE_MISMATCH', 21: 'SQLITE_MISUSE',
  22: 'SQLITE_NOLFS', 23: 'SQLITE_AUTH', 24: 'SQLITE_FORMAT', 25: 'SQLITE_RANGE', 26: 'SQLITE_NOTADB',
};

/** The error @libsql/client would have thrown: base code, extended code and raw code as it maps them. */
function toLibsqlError(error: WireError, batch: boolean): Error {
  if (error.rawCode === undefined && error.code === undefined) {
    return error.name === 'RangeError' ? new RangeError(error.message) : new TypeError(error.message);
  }
  const code = error.rawCode === undefined ? (error.code ?? 'SQLITE_UNKNOWN') : (BASE_CODES[error.rawCode & 0xff] ?? `SQLITE_UNKNOWN_${error.rawCode & 0xff}`);
  const extended = error.code;
  if (batch && error.index !== undefined) return new LibsqlBatchError(error.message, error.index, code, extended, error.rawCode);
  return new LibsqlError(error.message, code, extended, error.rawCode);
}
