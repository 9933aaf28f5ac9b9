/**
 * Whether this process should be sent signatures (`GET /ready`), beyond "the database answers": can it
 * WRITE them, and is it still serving?
 *
 * A load balancer takes a node out of rotation when `/ready` fails and puts it back when it passes, so the
 * answer must follow the truth both ways:
 * - While signatures flow, the writer is the evidence: its last transaction committed (ready) or failed
 *   (not ready: a full disk, a lock held by another process, an I/O error).
 * - When none flow — the quiet hours, or because the load balancer already took the node out after a
 *   failure — nothing would ever prove that writes work again, and a node taken out for a 10-second lock
 *   would stay out for good. So then a cheap write probe decides: one small committed upsert of
 *   `instance_meta.write_probe` (the time of the last successful probe), at most once a second however often
 *   `/ready` is asked.
 * - A probe that passed does not outvote the writer: if a signature batch failed since the probe began,
 *   the node is not ready.
 * - Once a stop began (SIGTERM), the node is not ready, so a load balancer stops sending it requests even
 *   on connections it keeps open.
 *
 * The probe never waits for a lock on the event-loop thread: on an embedded database it uses its own
 * short-lived connection with `busy_timeout = 0` (SQLite's busy wait is synchronous, and the server's
 * connection would stall every request for up to 5 s behind another process's lock), and retries a busy
 * answer a few times asynchronously, so that this process's own writer committing at that moment is not
 * taken for a foreign lock. A fresh connection per probe also sidesteps a `@libsql/client` hazard: after
 * one SQLITE_BUSY a connection can keep failing `BEGIN IMMEDIATE` until the failed statement is collected.
 */
import { createClient } from '@libsql/client';
import type { Db } from '../db/client.ts';
import type { WriterHealth } from '../signing/writer.ts';

/** A writer commit this recent (and no failure since) proves writes work without a probe. */
export const FRESH_COMMIT_MS = 10_000;
/** A probe's answer is reused for this long. */
export const PROBE_REUSE_MS = 1_000;
/** Pauses between tries of a probe that found the write lock taken (about 0.3 s in all). */
const BUSY_RETRY_MS = [10, 20, 40, 80, 150];

const PROBE_SQL = "INSERT INTO instance_meta (key, value) VALUES ('write_probe', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value";

/** What readiness needs of the signature writer (its public `health` and `stats`). */
export interface WriterSignals {
  readonly health: Readonly<WriterHealth>;
  readonly stats: { readonly failedBatches: number };
}

export type WriteProbe = () => Promise<boolean>;

/** One committed write on a connection of its own that never waits for a lock. */
export function writeProbe(db: Pick<Db, 'url' | 'embedded' | 'client'>, clock: () => number = Date.now): WriteProbe {
  const once = async (): Promise<'ok' | 'busy' | 'failed'> => {
    // A libSQL server (sqld, Turso) runs its own locking away from this thread: the shared client is fine.
    const client = db.embedded ? createClient({ url: db.url }) : db.client;
    try {
      if (db.embedded) await client.execute('PRAGMA busy_timeout = 0');
      await client.execute({ sql: PROBE_SQL, args: [new Date(clock()).toISOString()] });
      return 'ok';
    } catch (error) {
      const code = String((error as { code?: unknown }).code ?? '');
      return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED') ? 'busy' : 'failed';
    } finally {
      if (db.embedded) client.close();
    }
  };
  return async () => {
    for (let attempt = 0; ; attempt++) {
      const outcome = await once();
      if (outcome !== 'busy') return outcome === 'ok';
      const pause = BUSY_RETRY_MS[attempt];
      if (pause === undefined) return false;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  };
}

export class WriteReadiness {
  readonly #writer: WriterSignals;
  readonly #probe: WriteProbe;
  readonly #clock: () => number;
  #last: { at: number; failedBefore: number; result: Promise<boolean> } | undefined;
  #stopping = false;

  constructor(writer: WriterSignals, probe: WriteProbe, clock: () => number = Date.now) {
    this.#writer = writer;
    this.#probe = probe;
    this.#clock = clock;
  }

  /** From now on the node is not ready: it is stopping. */
  markStopping(): void {
    this.#stopping = true;
  }

  get stopping(): boolean {
    return this.#stopping;
  }

  /** Whether a signature submitted now would be written. */
  async writes(): Promise<boolean> {
    const { health, stats } = this.#writer;
    const now = this.#clock();
    if (health.failingSince === null && health.lastCommitAt !== null && now - health.lastCommitAt <= FRESH_COMMIT_MS) return true;
    if (!this.#last || now - this.#last.at > PROBE_REUSE_MS) {
      this.#last = { at: now, failedBefore: stats.failedBatches, result: this.#probe() };
    }
    const { failedBefore, result } = this.#last;
    const probed = await result;
    // The probe got through, but a signature batch that failed after it began is newer evidence.
    return probed && !(this.#writer.health.failingSince !== null && this.#writer.stats.failedBatches > failedBefore);
  }
}

/** One readiness per app (its services), made on first use: no timer, nothing to stop. */
const readinessOf = new WeakMap<object, WriteReadiness>();

export function readinessFor(services: { db: Db; writer: WriterSignals }): WriteReadiness {
  let readiness = readinessOf.get(services);
  if (!readiness) {
    // Wall time, not the app's clock: the writer stamps its health with it, and tests move the app's clock.
    readiness = new WriteReadiness(services.writer, writeProbe(services.db));
    readinessOf.set(services, readiness);
  }
  return readiness;
}

/** Called when a stop begins (`RunningServer.close`): `/ready` fails from then on. */
export function markStopping(services: { db: Db; writer: WriterSignals }): void {
  readinessFor(services).markStopping();
}
