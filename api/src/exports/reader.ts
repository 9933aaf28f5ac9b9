/**
 * Reading an export's pages: on the database's own connection (`pageSignatures`, the default), or with
 * `reader: 'worker'` in a worker thread with a read-only connection of its own (an embedded database file
 * only), so that SQLite reads the next page on the second core while this thread decrypts and writes the
 * last one. The keys never leave this thread: the worker only reads ciphertext.
 *
 * Why not the default: on this project's 2-core machine the worker cut the main thread's CPU time per row
 * by about a quarter, but its isolate and second connection added 15–20 MB of RSS (about 130 MB peak
 * against 115 MB for 100,000 rows, where the goal is 120 MB), and with the machine busy it was no faster;
 * `pnpm bench:export` measures both (docs/performance.md).
 *
 * The worker (`reader.worker.mjs`, plain JavaScript so that it runs the same from the source, the compiled
 * CLI and the tests) reads at most `READ_AHEAD` pages ahead of what was taken, so a slow disk or a slow
 * HTTP client still holds the reader back. A page crosses as its one packed text value (`rows.ts`).
 */
import { Worker } from 'node:worker_threads';
import type { Db } from '../db/client.ts';
import { EMBEDDED_PRAGMAS, embeddedDatabaseFile } from '../db/client.ts';
import { pageQuery, pageStatement, unpackPage, type ExportFilter, type PageQuery, type RawExportRow } from './rows.ts';

export interface PageOptions {
  /** Rows per query. Default 1000. */
  pageSize?: number | undefined;
  /** Observer of each query (tests count pages and their sizes). */
  onPage?: ((rows: number) => void) | undefined;
  /** Read the contact columns too (of signers who consented to sharing only). */
  includeContacts?: boolean | undefined;
  /** Read the partner `source` tag and the request's `Origin` too (OSDI `referrer_data`). */
  includeReferrer?: boolean | undefined;
  /** Read each signature's pledged actions too, as the row's last field (a pledge campaign's export). */
  includePledges?: boolean | undefined;
  /** `worker`: read in a worker thread where the database is a local file (see above). Default `thread`. */
  reader?: 'worker' | 'thread' | undefined;
}

/** Pages read ahead by the worker: one in the pipe while one is being read. */
const READ_AHEAD = 2;
const WORKER_URL = new URL('./reader.worker.mjs', import.meta.url);

function queryOf(db: Db, filter: ExportFilter, options: PageOptions): PageQuery {
  // One value per page needs ORDER BY inside an aggregate, which a libSQL server's parser refuses.
  return pageQuery(filter, {
    includeContacts: Boolean(options.includeContacts),
    includeReferrer: Boolean(options.includeReferrer),
    includePledges: Boolean(options.includePledges),
    pageSize: options.pageSize ?? 1000,
    onePerPage: db.embedded,
  });
}

/** Yields pages of rows in `(created_at, id)` order, one query per page, on the database's connection. */
export async function* pageSignatures(db: Db, filter: ExportFilter, options: PageOptions = {}): AsyncGenerator<RawExportRow[]> {
  const query = queryOf(db, filter, options);
  let last: RawExportRow | undefined;
  for (;;) {
    const rows = unpackPage(query, (await db.client.execute(pageStatement(query, last))).rows);
    options.onPage?.(rows.length);
    if (!rows.length) return;
    yield rows;
    if (rows.length < query.pageSize) return;
    last = rows[rows.length - 1];
  }
}

/** The same pages, read where `options.reader` says. */
export function readPages(db: Db, filter: ExportFilter, options: PageOptions = {}): AsyncGenerator<RawExportRow[]> {
  const file = db.embedded ? embeddedDatabaseFile(db.url) : undefined;
  if (!file || options.reader !== 'worker') return pageSignatures(db, filter, options);
  return pagesFromWorker(db.url, queryOf(db, filter, options), options);
}

type FromWorker = { page: string | null } | { error: string };

async function* pagesFromWorker(url: string, query: PageQuery, options: PageOptions): AsyncGenerator<RawExportRow[]> {
  // No inherited flags: the worker is plain JavaScript, and a parent's `--import tsx` or `-e` would only
  // load a loader into it (or stop it).
  const worker = new Worker(WORKER_URL, { execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: 4 }, workerData: { url, query, busyTimeout: EMBEDDED_PRAGMAS.busy_timeout } });
  const inbox: (string | null | Error)[] = [];
  let wake: (() => void) | undefined;
  const deliver = (item: string | null | Error) => {
    inbox.push(item);
    wake?.();
  };
  const gone = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const onMessage = (message: FromWorker) => deliver('page' in message ? message.page : new Error(`export reader: ${message.error}`));
  const onError = (error: Error) => deliver(new Error(`export reader: ${error.message}`));
  const onExit = (code: number) => deliver(new Error(`export reader stopped early (exit code ${code})`));
  worker.on('message', onMessage);
  worker.on('error', onError);
  worker.on('exit', onExit);
  try {
    worker.postMessage(READ_AHEAD);
    for (;;) {
      while (!inbox.length) await new Promise<void>((resolve) => (wake = resolve));
      const item = inbox.shift()!;
      if (item instanceof Error) throw item;
      const page = unpackPage(query, [[item]]);
      options.onPage?.(page.length);
      if (page.length < query.pageSize) {
        if (page.length) yield page;
        return;
      }
      worker.postMessage(1);
      yield page;
    }
  } finally {
    worker.off('message', onMessage).off('error', onError).off('exit', onExit);
    worker.on('error', () => {}); // after its end nothing it says matters, but an unheard 'error' would throw
    // Asked to stop, not terminated: see stop() in reader.worker.mjs.
    worker.postMessage('stop');
    await gone;
  }
}
