// The export reader's worker thread (see reader.ts): walks one keyset query (rows.ts, `pageQuery`) on a
// read-only connection of its own and posts each page as its packed text (null: no row left), as many
// pages ahead as the main thread has asked for. It holds no keys and reads nothing but the query it was given.
import { parentPort, workerData } from 'node:worker_threads';
import { createClient } from '@libsql/client/sqlite3';

const { url, query, busyTimeout } = workerData;
const client = createClient({ url, concurrency: 1 });
let wanted = 0;
let reading = false;
let stopping = false;
let last;

/** Rows in a packed page: one more than its row separators (U+001D). */
function countRows(page) {
  let rows = 1;
  for (let i = page.indexOf('\x1d'); i !== -1; i = page.indexOf('\x1d', i + 1)) rows += 1;
  return rows;
}

async function read() {
  if (reading) return;
  reading = true;
  try {
    while (wanted > 0 && !stopping) {
      wanted -= 1;
      // As pageStatement() in rows.ts: the filter's arguments, then the last row's (created_at, id), the
      // first two fields of a packed row.
      const args = last ? [...query.args, Number(last[1]), last[0], query.pageSize] : [...query.args, query.pageSize];
      const { rows } = await client.execute({ sql: last ? query.next : query.first, args });
      const page = rows[0]?.[0] ?? null;
      parentPort.postMessage({ page });
      const lastRow = page === null ? -1 : page.lastIndexOf('\x1d');
      if (page === null || countRows(page) < query.pageSize) {
        client.close();
        return;
      }
      last = page.slice(lastRow + 1).split('\x1f', 2);
    }
  } catch (error) {
    parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
  } finally {
    reading = false;
    if (stopping) stop();
  }
}

// Ends the thread by letting it run out of work. Never terminated from outside: a worker stopped inside
// libsql's native code aborts the whole process (a Rust panic in neon, reproduced with an early break).
function stop() {
  client.close();
  parentPort.close();
}

// A reader never writes; and like every connection it waits for another process's lock.
await client.execute('PRAGMA query_only = 1');
await client.execute(`PRAGMA busy_timeout = ${Number(busyTimeout)}`);
// As every connection (EMBEDDED_PRAGMAS): large sorts spill to a file, not to memory.
await client.execute('PRAGMA temp_store = FILE');
parentPort.on('message', (message) => {
  if (message === 'stop') {
    stopping = true;
    if (!reading) stop();
    return;
  }
  wanted += message;
  void read();
});
