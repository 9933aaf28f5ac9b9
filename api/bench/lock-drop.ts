/**
 * How cli.test.ts once ended in SQLITE_CORRUPT under load, shown deterministically (not run by `pnpm test`):
 *
 *   node --import tsx bench/lock-drop.ts
 *
 * 1. A connection of this process is open on a WAL database (before the fix: the in-process CLI's, which
 *    `close()` left open until it was garbage-collected). In WAL mode it holds a POSIX read lock on the file.
 * 2. This process opens and closes another descriptor of the file (the test read the file's bytes with
 *    `readFileSync`). POSIX drops every lock the process holds on a file when any descriptor of it closes;
 *    SQLite's connections do not know (sqlite.org/howtocorrupt.html §2.2).
 * 3. Another process (a spawned `imlu`) opens the database and closes it. Seeing no other lock, it takes
 *    the file as unused: it checkpoints, then deletes the WAL and the shared-memory index.
 * 4. The old connection still writes into the deleted WAL; a new connection of this process writes into a
 *    new one, indexed by the same (deleted) shared memory. The two no longer see each other's commits; a
 *    checkpoint from the old one (the last connection to close checkpoints) copies its WAL's pages where the
 *    index points into the new one. Here the old connection's next write fails at once with SQLITE_CORRUPT
 *    "database disk image is malformed", as `imlu campaign apply` did in cli.test.ts.
 *
 * Run once without the stray read and once with it; only the second goes wrong. The fix (src/cli/runtime.ts)
 * makes every command return with its connection closed, so no lock of this process is there to drop;
 * src/cli/runtime.test.ts holds it, and cli.test.ts reads the file's bytes in a child process.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'libsql';

const LIBSQL = new URL('../node_modules/libsql/index.js', import.meta.url).pathname;

/** A separate process on the file: `code` runs with `D` (libsql's Database) and `file`. */
function otherProcess(file: string, code: string): string {
  return execFileSync(process.execPath, ['-e', `const D = require(process.argv[1]); const file = process.argv[2]; ${code}`, LIBSQL, file], { encoding: 'utf8' }).trim();
}

function scenario(strayRead: boolean): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'imlu-lock-drop-'));
  const file = path.join(dir, 'imlu.db');
  try {
    const old = new Database(file);
    old.exec('PRAGMA journal_mode = WAL');
    old.exec('CREATE TABLE t (x TEXT)');
    old.exec("INSERT INTO t VALUES ('committed by the old connection')");
    if (strayRead) readFileSync(file);
    otherProcess(file, "const d = new D(file); d.exec('SELECT count(*) FROM t'); d.close();");
    const walLeft = existsSync(`${file}-wal`);
    const fresh = new Database(file);
    fresh.exec('BEGIN');
    for (let i = 0; i < 100; i++) fresh.exec(`INSERT INTO t VALUES ('committed by the new connection ${i}')`);
    fresh.exec('COMMIT');
    let oldError = '';
    try {
      old.exec("INSERT INTO t VALUES ('committed by the old connection, later')");
      old.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    } catch (error) {
      oldError = `; the old connection's next write failed: ${(error as { code?: string }).code ?? ''} ${(error as Error).message}`;
    }
    const seen = otherProcess(file, "const d = new D(file); console.log(d.prepare('PRAGMA integrity_check').raw(true).all().flat().join('; ') + ', ' + d.prepare('SELECT count(*) FROM t').raw(true).all()[0][0]);");
    const [integrity, rows] = seen.split(', ');
    console.log(
      `${strayRead ? 'with' : 'without'} a stray read in this process: the other process ${walLeft ? 'left the WAL alone' : 'deleted the WAL'}; ` +
        `integrity_check ${integrity}; ${rows} rows in the file${oldError}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

scenario(false);
scenario(true);
