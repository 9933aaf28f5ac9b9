/**
 * An embedded replica of a remote libSQL database (sqld or Turso), for the counts snapshot only
 * (`COUNTS_REPLICA_SYNC_MS`). Without it every API node reads the counts table from the primary every
 * second; with it a node reads a local copy that pulls the primary's new frames every N ms, so the counts
 * keep refreshing from this disk, and the primary answers one sync per node instead of one query.
 *
 * The replica is a copy of the WHOLE database (libSQL replicates frames, not tables): signatures with their
 * encrypted contacts and blind indexes included. It therefore lives in DATA_DIR (0700) and its files are
 * made 0600, like the embedded database; and every node that keeps one receives the full write stream.
 * Nothing writes through it: the signature writer and everything else use `DATABASE_URL`.
 *
 * A failed sync (primary unreachable) keeps the last copy: the snapshot keeps serving the figures it has,
 * as it does when a refresh from the primary fails, and a warning says so once until syncs succeed again.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { createClient, type Client } from '@libsql/client';
import { ConfigError } from '../config/env.ts';
import type { Logger } from '../logging/logger.ts';
import { silentLogger } from '../logging/logger.ts';

/** The replica's file in DATA_DIR; libSQL keeps `-wal`, `-shm` and `-client_wal_index` beside it. */
export const COUNTS_REPLICA_FILE = 'counts-replica.db';

export interface CountsReplicaOptions {
  /** Directory of the replica (DATA_DIR): created 0700 if missing. */
  dir: string;
  /** The primary: `DATABASE_URL`. */
  databaseUrl: string;
  authToken?: string | undefined;
  /** Milliseconds from the end of one sync to the start of the next. */
  intervalMs: number;
  logger?: Logger;
  clock?: () => number;
}

export interface ReplicaStatus {
  /** When the last sync succeeded (this server's clock), null before the first. */
  lastSyncAt: number | null;
  /** The primary's frame the replica has reached. */
  frameNo: number | null;
  /** Since when syncs have been failing, null while they succeed. */
  failingSince: number | null;
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

export class CountsReplica {
  readonly client: Client;
  readonly file: string;
  readonly #intervalMs: number;
  readonly #logger: Logger;
  readonly #clock: () => number;
  #status: ReplicaStatus = { lastSyncAt: null, frameNo: null, failingSince: null };
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<boolean> | undefined;
  #stopped = false;

  private constructor(client: Client, file: string, options: CountsReplicaOptions) {
    this.client = client;
    this.file = file;
    this.#intervalMs = options.intervalMs;
    this.#logger = options.logger ?? silentLogger;
    this.#clock = options.clock ?? Date.now;
  }

  /**
   * Opens (or resumes) the replica and syncs it once, so that the first counts read from it are the
   * primary's. Refuses to start when that first sync fails: a replica that never synced holds no tables.
   */
  static async open(options: CountsReplicaOptions): Promise<CountsReplica> {
    mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    const file = path.join(options.dir, COUNTS_REPLICA_FILE);
    let client: Client;
    try {
      // `@libsql/client` also takes the token from the URL's query, which the sync URL leaves off.
      const authToken = options.authToken ?? new URL(options.databaseUrl).searchParams.get('authToken') ?? undefined;
      client = createClient({ url: `file:${file}`, syncUrl: replicaSyncUrl(options.databaseUrl), authToken });
    } catch (error) {
      throw replicaError(file, error);
    }
    const replica = new CountsReplica(client, file, options);
    try {
      await replica.#syncOnce(true);
    } catch (error) {
      client.close();
      throw replicaError(file, error);
    }
    return replica;
  }

  get status(): ReplicaStatus {
    return { ...this.#status };
  }

  /**
   * Syncs every `intervalMs` (counted from the end of the previous sync: a sync that waits for an
   * unreachable primary takes seconds, and must not pile up) until `close()`. `onSynced` runs after each
   * sync that brought new frames: the snapshot re-reads the counts then, not a second later.
   */
  start(onSynced?: () => void): void {
    const loop = () => {
      this.#timer = setTimeout(() => {
        this.#running = this.#syncOnce(false).then((changed) => {
          if (changed && !this.#stopped) onSynced?.();
          return changed;
        });
        void this.#running.finally(() => {
          this.#running = undefined;
          if (!this.#stopped) loop();
        });
      }, this.#intervalMs);
      this.#timer.unref();
    };
    loop();
  }

  /** Stops syncing, lets a sync in progress end, and closes the local file. */
  async close(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
    this.client.close();
  }

  /** One sync; true when it brought new frames. Only the first one throws. */
  async #syncOnce(first: boolean): Promise<boolean> {
    try {
      const replicated = await this.client.sync();
      const frameNo = replicated?.frame_no ?? this.#status.frameNo;
      if (this.#status.failingSince !== null) this.#logger.info('counts replica syncs again');
      this.#status = { lastSyncAt: this.#clock(), frameNo, failingSince: null };
      if (first) ownerOnly(this.file);
      return (replicated?.frames_synced ?? 0) > 0;
    } catch (error) {
      if (first) throw error;
      if (this.#status.failingSince === null) {
        this.#status = { ...this.#status, failingSince: this.#clock() };
        // The error's name only: libSQL's messages can carry the URL, and with it a token in a query string.
        this.#logger.warn('counts replica sync failed: serving the last synced counts', { error: (error as Error).name });
      }
      return false;
    }
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

function replicaError(file: string, error: unknown): ConfigError {
  // libSQL's sync errors say what failed to connect ("sync error: error trying to connect: …"); the URL they
  // might quote carries no token (replicaSyncUrl drops the query).
  const reason = String((error as Error).message ?? error).slice(0, 200);
  return new ConfigError([
    {
      variable: 'COUNTS_REPLICA_SYNC_MS',
      message:
        `the counts replica ${file} could not be ${existsSync(file) ? 'synced' : 'created'} from DATABASE_URL (${reason}). ` +
        'It is a copy that can be rebuilt: if the primary is reachable, stop the server, delete that file and the files beside it named after it, and start again.',
    },
  ]);
}
