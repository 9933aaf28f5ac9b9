// The export reader's worker thread (see reader.ts): walks one keyset query (rows.ts, `pageQuery`) on a
// read-only connection of its own and posts each page as an array of packed rows, as many pages ahead as
// the main thread has asked for. It holds no keys and reads nothing but the query it was given.
import { parentPort, workerData } from 'node:worker_threads';
import { createClient } from '@libsql/client/sqlite3';

const { url, query, busyTimeout } = workerData;
const client = createClient({ url, concurrency: 1 });
let wanted = 0;
let reading = false;
let last;

async function read() {
  if (reading) return;
  reading = true;
  try {
    while (wanted > 0) {
      wanted -= 1;
      // As pageStatement() in rows.ts: the filter's arguments, then the last row's (created_at, id), the
      // first two fields of a packed row.
      const args = last ? [...query.args, Number(last[1]), last[0], query.pageSize] : [...query.args, query.pageSize];
      const { rows } = await client.execute({ sql: last ? query.next : query.first, args });
      const page = rows.map((row) => row[0]);
      parentPort.postMessage({ page });
      if (page.length < query.pageSize) {
        client.close();
        return;
      }
      last = page[page.length - 1].split('\x1f', 2);
    }
  } catch (error) {
    parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
  } finally {
    reading = false;
  }
}

// A reader never writes; and like every connection it waits for another process's lock.
await client.execute('PRAGMA query_only = 1');
await client.execute(`PRAGMA busy_timeout = ${Number(busyTimeout)}`);
parentPort.on('message', (pages) => {
  wanted += pages;
  void read();
});
