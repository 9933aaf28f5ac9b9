/**
 * Another process holding SQLite's write lock, for the fault harness (as `sqlite3` with `BEGIN IMMEDIATE`
 * would; that CLI is not installed everywhere): `node --import tsx bench/crash-locker.ts <db file> <ms>`.
 * Prints `locked` once it holds the lock and `released` once it let go, then exits.
 */
import { createClient } from '@libsql/client';

const [file, holdMs] = process.argv.slice(2);
if (!file || !holdMs) {
  console.error('usage: crash-locker.ts <database file> <milliseconds>');
  process.exit(2);
}
const client = createClient({ url: `file:${file}` });
// The server may be committing at this very moment: wait for it rather than fail.
await client.execute('PRAGMA busy_timeout = 5000');
const transaction = await client.transaction('write');
console.log('locked');
await new Promise((resolve) => setTimeout(resolve, Number(holdMs)));
await transaction.rollback();
console.log('released');
client.close();
