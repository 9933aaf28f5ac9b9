/**
 * An embedded replica of a remote libSQL database (sqld or Turso), for the counts snapshot only
 * (`COUNTS_REPLICA_SYNC_MS`). Without it every API node reads the counts table from the primary every
 * second; with it a node reads a local copy that libSQL keeps pulling the primary's new frames into, so the
 * counts keep refreshing from this disk, and the primary answers one sync per node instead of one query.
 *
 * The syncs run on libSQL's own background thread (`syncInterval`). Not `client.sync()` on a timer: that
 * call is synchronous in libSQL 0.5 and held this process's event loop for the length of each sync (up to
 * a quarter of a second under write load, measured) and for the ~3 s handshake timeout of every attempt
 * while the primary is unreachable. The price: no callback per sync, and libSQL reports a failed sync
 * itself, on stderr (`replicator sync error`, Rust tracing; `RUST_LOG` sets its level). While syncs fail
 * the copy keeps its last state and the snapshot keeps serving it, as it does when a refresh from the
 * primary fails. Nor does `close()` stop that thread: it ends when the client is garbage-collected
 * (measured), which for the server is at exit, after `close()`.
 *
 * The replica is a copy of the WHOLE database (libSQL replicates frames, not tables): signatures with their
 * encrypted contacts and blind indexes included. So it lives in DATA_DIR (0700) and its files are made
 * 0600, like the embedded database; and every node that keeps one receives the full write stream. Nothing
 * writes through it: the signature writer and everything else use `DATABASE_URL`.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { createClient, type Client } from '@libsql/client';
import { ConfigError } from '../config/env.ts';

/** The replica's file in DATA_DIR; libSQL keeps its `-wal`, `-shm` and `-client_wal_index` files beside it. */
export const COUNTS_REPLICA_FILE = 'counts-replica.db';

export interface CountsReplicaOptions {
  /** Directory of the replica (DATA_DIR): created 0700 if missing. */
  dir: string;
  /** The primary: `DATABASE_URL`. */
  databaseUrl: string;
  authToken?: string | undefined;
  /** Milliseconds between syncs. */
  intervalMs: number;
}

/**
 * The URL the replica pulls frames from: the replication protocol runs over HTTP(S), so a WebSocket URL
 * is given as its HTTP twin and `libsql:` as HTTPS (HTTP with `?tls=0`, as `@libsql/client` reads it).
 * The query is left off: the token travels as `DATABASE_AUTH_TOKEN`.
 */
export function replicaSyncUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  const tls = url.searchParams.get('tls') !== '0';
  const scheme = ({ 'ws:': 'http:', 'wss:': 'https:', 'libsql:': tls ? 'https:' : 'http:' } as Record<string, string>)[url.protocol] ?? url.protocol;
  return `${scheme}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
}

/**
 * Opens (or resumes) the replica, syncs it once so that the first counts read from it are the primary's,
 * and leaves libSQL syncing it every `intervalMs`. The caller reads the counts table from the client it
 * returns (and nothing else), and closes it. Refuses to start when the first sync fails: a replica that
 * never synced holds no tables.
 */
export async function openCountsReplica(options: CountsReplicaOptions): Promise<Client> {
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  const file = path.join(options.dir, COUNTS_REPLICA_FILE);
  const existed = existsSync(file);
  let client: Client | undefined;
  try {
    // `@libsql/client` also takes the token from the URL's query, which the sync URL leaves off.
    const authToken = options.authToken ?? new URL(options.databaseUrl).searchParams.get('authToken') ?? undefined;
    client = createClient({
      url: `file:${file}`,
      syncUrl: replicaSyncUrl(options.databaseUrl),
      authToken,
      syncInterval: options.intervalMs / 1000,
    });
    // Synchronous in libSQL (see above): acceptable once, at start-up, before anything is served.
    await client.sync();
    ownerOnly(file);
    return client;
  } catch (error) {
    client?.close();
    // libSQL's sync errors say what failed to connect ("sync error: error trying to connect: …"); the URL
    // they might quote carries no token (replicaSyncUrl drops the query).
    const reason = String((error as Error).message ?? error).slice(0, 200);
    throw new ConfigError([
      {
        variable: 'COUNTS_REPLICA_SYNC_MS',
        message:
          `the counts replica ${file} could not be ${existed ? 'synced' : 'created'} from DATABASE_URL (${reason}). ` +
          'It is a copy that can be rebuilt: if the primary is reachable, stop the server, delete that file and the files beside it named after it, and start again.',
      },
    ]);
  }
}

/** libSQL creates the replica's files with the process umask; they hold what the database holds. */
function ownerOnly(file: string): void {
  const dir = path.dirname(file);
  const base = path.basename(file);
  for (const name of readdirSync(dir)) {
    if (name === base || name.startsWith(`${base}-`)) chmodSync(path.join(dir, name), 0o600);
  }
}
