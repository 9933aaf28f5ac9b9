/**
 * What every CLI command shares: the same configuration as the server (env.ts, keys.ts), the database,
 * field crypto, the actor (`cli:<os user>`), typed errors that map to exit codes, and argument parsers.
 *
 * Exit codes: 0 success, 1 runtime error (database, file system, a failed check), 2 usage or validation
 * error (unknown option, bad value, invalid campaign file).
 */
import { ConfigError, parseEnv, type EnvConfig } from '../config/env.ts';
import { secureDataDir } from '../config/data-dir.ts';
import { resolveKeys } from '../config/keys.ts';
import { checkReadiness, createDb, EMBEDDED_PRAGMAS, type Db } from '../db/client.ts';
import { ThreadClient } from '../db/thread/client.ts';
import { verifyKeyFingerprint, type KeyCheck } from '../db/key-check.ts';
import { cliActor, type Actor } from '../auth/actor.ts';
import { FieldCrypto } from '../signing/crypto.ts';
import { DATE_BOUND_HINT, parseDateBound } from '../http/dates.ts';
import { CampaignStore, type CampaignRecord } from '../campaigns/store.ts';
import { isCountyCode, type CountyCode } from '@imlu/contracts';

export const EXIT = { ok: 0, runtime: 1, usage: 2 } as const;

/** A mistake in how the command was called or in the input it was given: exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A failure that is not the caller's input (a check that failed, a missing campaign): exit code 1. */
export class RuntimeError extends Error {
  override name = 'RuntimeError';
}

export interface Runtime {
  config: EnvConfig;
  db: Db;
  crypto: FieldCrypto;
  /** For keys derived from it (the SMS delivery-report secret); checked against the database like `crypto`. */
  blindIndexKey: Buffer;
  actor: Actor;
  campaigns: CampaignStore;
  /** The keys compared with the database's record (undefined for `migrating`, which checks after migrating). */
  keyCheck: KeyCheck | undefined;
  /** Resolves once the connection is closed: no descriptor of the database file, and no lock, is left. */
  close(): Promise<void>;
}

/**
 * Opens the database the server uses. Unless `migrating`, refuses a database whose migrations are not all
 * applied (run `imlu migrate`) and checks the keys' fingerprint, as the server does. `keyCheck: 'inspect'`
 * checks without recording anything (a read-only command must not switch the database to a new key).
 */
export async function openRuntime(
  options: {
    migrating?: boolean;
    keyCheck?: 'record' | 'inspect';
    env?: Record<string, string | undefined>;
    stderr?: { write(text: string): unknown };
    /** The process ends with the command (`bin/imlu.mjs`): the connection may stay in-line (see below). */
    processExits?: boolean;
  } = {},
): Promise<Runtime> {
  let config: EnvConfig;
  try {
    config = parseEnv(options.env ?? process.env);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  try {
    secureDataDir(config.dataDir);
  } catch (error) {
    if (error instanceof ConfigError) throw new RuntimeError(error.message);
    throw error;
  }
  const keys = resolveKeys(config);
  if (keys.generatedFile) (options.stderr ?? process.stderr).write(`note: generated new development keys in ${keys.generatedFile}\n`);
  // On the database thread when the process goes on after the command (a test, anything calling `runCli`):
  // closing in-line leaves @libsql/client's connection open until it is garbage-collected, and such a
  // process must leave nothing open on the file. A connection left open keeps POSIX locks that any other
  // descriptor of the file closed in this process silently drops; a foreign `imlu` then took the file as
  // unused on exit, checkpointed and deleted its WAL under that connection (SQLITE_CORRUPT in cli.test.ts
  // under load). In the `imlu` process itself, which exits when the command is done and so leaves nothing
  // open, the connection stays in-line: the thread's second JavaScript heap, and every result copied across
  // to this one, cost an export of a million signatures some 30 MB of memory and 8 % of its time
  // (docs/performance.md, "Exports").
  const db = await createDb(config.databaseUrl, config.databaseAuthToken, {
    busyTimeoutMs: EMBEDDED_PRAGMAS.busy_timeout,
    thread: !options.processExits,
  });
  const close = async (): Promise<void> => {
    db.close();
    if (db.client instanceof ThreadClient) await db.client.whenClosed();
  };
  try {
    if (!options.migrating) {
      const ready = await checkReadiness(db);
      if (!ready.database) throw new RuntimeError('the database cannot be reached (check DATABASE_URL)');
      if (!ready.migrations) throw new RuntimeError('the database is not migrated: run `imlu migrate` first');
    }
    const crypto = new FieldCrypto(keys);
    const keyCheck = options.migrating ? undefined : await verifyKeyFingerprint(db, crypto, { record: options.keyCheck !== 'inspect' });
    return {
      config,
      db,
      crypto,
      blindIndexKey: keys.blindIndexKey,
      actor: cliActor(),
      campaigns: new CampaignStore(db.orm, { ttlMs: 0 }),
      keyCheck,
      close,
    };
  } catch (error) {
    await close();
    if (error instanceof ConfigError) throw new RuntimeError(error.message);
    throw error;
  }
}

export async function requireCampaign(runtime: Runtime, slug: string): Promise<CampaignRecord> {
  const campaign = await runtime.campaigns.findBySlug(slug);
  if (!campaign) throw new RuntimeError(`no campaign with the slug "${slug}" (see \`imlu campaign list\`)`);
  return campaign;
}

/**
 * A date or date-time. `YYYY-MM-DD` is midnight UTC; as an upper bound (`end`) it means the END of that
 * day, so `--from 2026-11-01 --to 2026-11-30` covers all of November.
 */
export function parseDate(value: string, option: string, end = false): number {
  const ms = parseDateBound(value, end);
  if (ms === undefined) throw new UsageError(`${option}: "${value}" is not ${DATE_BOUND_HINT}`);
  return ms;
}

export function parseCounty(value: string, option = '--county'): CountyCode {
  const code = value.toUpperCase();
  if (!isCountyCode(code)) throw new UsageError(`${option}: "${value}" is not a county code (KE-01 … KE-47)`);
  return code;
}

export function parsePositiveInt(value: string, option: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${option}: "${value}" must be a whole number ≥ 1`);
  return n;
}

export function printTable(out: { write(text: string): unknown }, rows: Record<string, string | number | null>[]): void {
  if (!rows.length) return;
  const keys = Object.keys(rows[0]!);
  const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => String(r[k] ?? '—').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  out.write(`${line(keys)}\n`);
  for (const row of rows) out.write(`${line(keys.map((k) => String(row[k] ?? '—')))}\n`);
}

export const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().replace('.000Z', 'Z'));
