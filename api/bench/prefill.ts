/**
 * A database pre-filled with a campaign of `rows` signatures, as the signature writer would have left it
 * after a surge: every signature with its blind-index rows (`signature_dedupe`), its idempotency record
 * (the widget sends a key with every submission), the campaign's running totals (`campaign_counts`, total
 * and per county) and, for a campaign that confirms by e-mail, one sent confirmation message per signature
 * (`outbox`, which also bumps `confirmation_sends` through its trigger). `signing_attempts` stays empty: the
 * benchmark's server runs with the soft limits off, and then the intake writes none.
 *
 * A fixture, not the signing path (the benchmark measures that): direct SQL, one transaction per
 * `CHUNK` rows, every row generated inside SQLite from a recursive series. Two shortcuts keep a million
 * rows to seconds, and neither is visible to any statement the signing path runs:
 * - the HMACs (blind indexes, idempotency key and body, phone hash) are random 32-byte values. An HMAC is
 *   indistinguishable from one, and the indexes see the same uniformly spread keys; computing five million
 *   real ones took most of the time.
 * - the encrypted columns are real envelopes under the stored keys, taken from a pool of `POOL` signers
 *   (real sizes, and they decrypt), not one encryption per row.
 * Keys are inserted in key order within each chunk, so the random-key indexes fill page by page.
 *
 * The file is built once and cached in the temp directory, keyed by the migration set and this file's own
 * source: a second run, or the next phase, copies it (`copyPrefilled`). Timestamps end at the moment of the
 * prefill, one signature every `STEP_MS`; a copy made more than `SHIFT_AFTER_MS` later moves the
 * idempotency records forward, or the server's start-up pruning (records older than 24 h) would delete them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { COUNTY_CODES } from '@imlu/contracts';
import { createCampaign } from '../src/campaigns/create.ts';
import { DEMO_CAMPAIGN } from '../src/campaigns/demo-seed.ts';
import { createDb, EMBEDDED_PRAGMAS, migrateDb, MIGRATIONS_FOLDER, type Db } from '../src/db/client.ts';
import { verifyKeyFingerprint } from '../src/db/key-check.ts';
import { FieldCrypto } from '../src/signing/crypto.ts';
import { ORIGIN } from './child.ts';

export type BenchVerification = 'none' | 'email';

/** The benchmark's campaign for each way of confirming. */
export const BENCH_SLUGS: Record<BenchVerification, string> = { none: DEMO_CAMPAIGN.slug, email: 'bench-confirm-by-email' };

/** The answer the server stores with each idempotency key (`prepare.ts`, `signResponseFor`). */
const STORED_ANSWER: Record<BenchVerification, { status: number; body: string }> = {
  none: { status: 201, body: JSON.stringify({ status: 'counted' }) },
  email: { status: 202, body: JSON.stringify({ status: 'pending_verification', confirmation: { channel: 'email' } }) },
};

const CHUNK = 100_000;
const POOL = 1024;
const STEP_MS = 3;
const SHIFT_AFTER_MS = 6 * 60 * 60 * 1000;
const STALE_MS = 24 * 60 * 60 * 1000;
/** Prefilled signers' numbers: +254790…, apart from the benchmark's signers (071…) so nobody collides. */
const PHONE_BASE = 790_000_000;
const SENDS_TRIGGER = 'outbox_counts_confirmation_sends';

export interface PrefillKeys {
  encryptionKey: Buffer;
  blindIndexKey: Buffer;
}

export interface PrefillResult {
  campaignId: string;
  slug: string;
  rows: number;
  /** Timestamp of the newest prefilled signature. */
  endsAt: number;
  seconds: number;
}

export interface CampaignFigures {
  signatures: number;
  counted: number;
  pending: number;
  suspect: number;
  idempotencyKeys: number;
  /** Confirmation messages of the campaign, and how many of them were sent. */
  confirmations: number;
  confirmationsSent: number;
}

/** What the benchmark checks after a phase, read straight from the tables. */
export async function campaignFigures(db: Db, campaignId: string): Promise<CampaignFigures> {
  const one = async (sql: string) => Number((await db.client.execute({ sql, args: [campaignId] })).rows[0]?.[0] ?? 0);
  const totals = (await db.client.execute({ sql: "SELECT counted, pending, suspect FROM campaign_counts WHERE campaign_id = ? AND bucket = 'total'", args: [campaignId] })).rows[0];
  return {
    signatures: await one('SELECT COUNT(*) FROM signatures WHERE campaign_id = ?'),
    counted: Number(totals?.[0] ?? 0),
    pending: Number(totals?.[1] ?? 0),
    suspect: Number(totals?.[2] ?? 0),
    idempotencyKeys: await one('SELECT COUNT(*) FROM idempotency_keys WHERE campaign_id = ?'),
    confirmations: await one("SELECT COUNT(*) FROM outbox WHERE campaign_id = ? AND kind = 'confirm-email'"),
    confirmationsSent: await one("SELECT COUNT(*) FROM outbox WHERE campaign_id = ? AND kind = 'confirm-email' AND status = 'sent'"),
  };
}

/**
 * Creates the benchmark's campaign in a migrated database and fills it with `rows` signatures. Returns when
 * everything is committed; `onProgress` hears after each chunk.
 */
export async function prefillDatabase(
  db: Db,
  options: { verification: BenchVerification; rows: number; keys: PrefillKeys; onProgress?: (done: number) => void },
): Promise<PrefillResult> {
  const { verification, rows } = options;
  const started = performance.now();
  const slug = BENCH_SLUGS[verification];
  const campaignId = await createCampaign(db, { ...DEMO_CAMPAIGN, slug, verification });
  const crypto = new FieldCrypto(options.keys);
  await verifyKeyFingerprint(db, crypto);

  // A fixture: no fsync, and a page cache that holds the indexes while they grow (put back at the end).
  const cacheSize = Number((await db.client.execute('PRAGMA cache_size')).rows[0]![0]);
  for (const pragma of ['synchronous = OFF', 'cache_size = -524288', 'foreign_keys = OFF']) await db.client.execute(`PRAGMA ${pragma}`);
  const email = verification === 'email';
  // The confirmation-sends trigger would update each signature again after its message is inserted; the
  // fixture writes the count with the row instead, and puts the trigger back unchanged at the end.
  const sendsTrigger = email
    ? String(
        (await db.client.execute({ sql: "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", args: [SENDS_TRIGGER] })).rows[0]?.[0] ??
          '',
      )
    : '';
  if (email && !sendsTrigger) throw new Error(`trigger ${SENDS_TRIGGER} not found: update bench/prefill.ts to the migrations`);
  if (email) await db.client.execute(`DROP TRIGGER ${SENDS_TRIGGER}`);
  await db.client.execute('CREATE TEMP TABLE prefill_county (i INTEGER PRIMARY KEY, code TEXT NOT NULL)');
  await db.client.batch(
    COUNTY_CODES.map((code, i) => ({ sql: 'INSERT INTO prefill_county (i, code) VALUES (?, ?)', args: [BigInt(i), code] })),
    'write',
  );
  await db.client.execute('CREATE TEMP TABLE prefill_pool (i INTEGER PRIMARY KEY, name_enc TEXT NOT NULL, phone_enc TEXT, email_enc TEXT)');
  await db.client.batch(
    Array.from({ length: POOL }, (_, i) => ({
      sql: 'INSERT INTO prefill_pool (i, name_enc, phone_enc, email_enc) VALUES (?, ?, ?, ?)',
      args: [
        BigInt(i),
        crypto.encrypt(`Prefill Signer ${i}`, campaignId, 'name'),
        crypto.encrypt(`+254${PHONE_BASE + i}`, campaignId, 'phone'),
        email ? crypto.encrypt(`prefill.signer.${i}@example.org`, campaignId, 'email') : null,
      ],
    })),
    'write',
  );

  const endsAt = Date.now();
  const firstAt = endsAt - (rows - 1) * STEP_MS;
  const answer = STORED_ANSWER[verification];
  // A campaign that confirms by e-mail: every signer gave an address, every other one a phone too (as the
  // benchmark's signers do); four in five confirmed a minute later, the rest never did.
  const hasPhone = email ? 's.i % 2 = 0' : '1';
  const counted = email ? 's.i % 5 <> 0' : '1';
  for (let from = 0; from < rows; from += CHUNK) {
    const to = Math.min(rows, from + CHUNK);
    // The statements after the first take the rows it added: rowids above the chunk's start.
    const before = Number((await db.client.execute('SELECT COALESCE(MAX(rowid), 0) FROM signatures')).rows[0]![0]);
    const statements = [
      {
        // A UUIDv7 from the row's millisecond (strictly increasing) and random bits, as `ids.ts` makes them.
        sql:
          'INSERT INTO signatures (id, campaign_id, status, name_enc, email_enc, phone_enc, county, locale, consent_terms, ' +
          'consent_public_name, consent_share_with_targets, consent_updates, consent_version, consent_at, origin, created_at, ' +
          'confirm_channel, confirmed_at, confirmation_sends, phone_hash) ' +
          'WITH RECURSIVE seq(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM seq WHERE i + 1 < ?), ' +
          "s AS (SELECT i, ? + i * ? AS ts, printf('%012x', ? + i * ?) AS t, lower(hex(randomblob(9))) AS r FROM seq) " +
          "SELECT substr(s.t, 1, 8) || '-' || substr(s.t, 9, 4) || '-7' || substr(s.r, 1, 3) || '-' || " +
          "substr('89ab', 1 + s.i % 4, 1) || substr(s.r, 4, 3) || '-' || substr(s.r, 7, 12), " +
          `?, CASE WHEN ${counted} THEN 'counted' ELSE 'pending' END, p.name_enc, p.email_enc, ` +
          `CASE WHEN ${hasPhone} THEN p.phone_enc END, c.code, ` +
          "CASE WHEN s.i % 3 = 0 THEN 'sw' ELSE 'en' END, 1, 0, s.i % 2 = 0, 0, ?, s.ts, ?, s.ts, ?, " +
          `CASE WHEN ? IS NOT NULL AND ${counted} THEN s.ts + 60000 END, ?, CASE WHEN ${hasPhone} THEN randomblob(32) END ` +
          'FROM s JOIN prefill_pool p ON p.i = s.i % ? JOIN prefill_county c ON c.i = s.i % ?',
        // Integers as bigint: @libsql/client binds a JS number as a REAL, and '%x' or a JSON path of 3.0 fail.
        args: [
          BigInt(from),
          BigInt(to),
          BigInt(firstAt),
          BigInt(STEP_MS),
          BigInt(firstAt),
          BigInt(STEP_MS),
          campaignId,
          DEMO_CAMPAIGN.consentVersion,
          ORIGIN,
          email ? 'email' : null,
          email ? 'email' : null,
          BigInt(email ? 1 : 0),
          BigInt(POOL),
          BigInt(COUNTY_CODES.length),
        ],
      },
      {
        sql:
          'INSERT INTO signature_dedupe (campaign_id, key_hmac, kind, signature_id) ' +
          'WITH k AS MATERIALIZED (' +
          "SELECT campaign_id, randomblob(32) AS key_hmac, 'phone' AS kind, id FROM signatures WHERE rowid > ? AND phone_enc IS NOT NULL " +
          "UNION ALL SELECT campaign_id, randomblob(32), 'email', id FROM signatures WHERE rowid > ? AND email_enc IS NOT NULL) " +
          'SELECT campaign_id, key_hmac, kind, id FROM k ORDER BY key_hmac',
        args: [before, before],
      },
      {
        sql:
          'INSERT INTO idempotency_keys (campaign_id, key_hmac, body_hmac, status, response, submission_id, created_at) ' +
          'WITH k AS MATERIALIZED (SELECT campaign_id, randomblob(32) AS key_hmac, id, created_at FROM signatures WHERE rowid > ?) ' +
          'SELECT campaign_id, key_hmac, randomblob(32), ?, ?, id, created_at FROM k ORDER BY key_hmac',
        args: [before, answer.status, answer.body],
      },
    ];
    if (email) {
      statements.push({
        sql:
          'INSERT INTO outbox (id, kind, campaign_id, signature_id, payload, status, attempts, next_attempt_at, created_at, sent_at, contact_hmac) ' +
          "SELECT lower(hex(randomblob(16))), 'confirm-email', s.campaign_id, s.id, '{}', 'sent', 1, s.created_at, s.created_at, s.created_at + 2000, " +
          "d.key_hmac FROM signatures s JOIN signature_dedupe d ON d.signature_id = s.id AND d.kind = 'email' WHERE s.rowid > ? ORDER BY s.rowid",
        args: [before],
      });
    }
    await db.client.batch(statements, 'write');
    options.onProgress?.(to);
  }

  // The running totals as the writer keeps them: per campaign, and per campaign and county.
  await db.client.batch(
    [
      { sql: 'DELETE FROM campaign_counts WHERE campaign_id = ?', args: [campaignId] },
      ...(['total', 'county'] as const).map((bucket) => ({
        sql:
          'INSERT INTO campaign_counts (campaign_id, bucket, counted, pending, suspect, version, updated_at) ' +
          `SELECT campaign_id, ${bucket === 'total' ? "'total'" : 'county'}, SUM(status = 'counted' AND flag IS NULL), ` +
          "SUM(status = 'pending' AND flag IS NULL AND superseded_by IS NULL), SUM(flag IS NOT NULL), 1 + COUNT(*) / 50, " +
          `MAX(COALESCE(confirmed_at, created_at)) FROM signatures WHERE campaign_id = ?${bucket === 'county' ? ' AND county IS NOT NULL GROUP BY county' : ' GROUP BY campaign_id'}`,
        args: [campaignId],
      })),
    ],
    'write',
  );
  if (email) await db.client.execute(sendsTrigger);
  await db.client.execute('DROP TABLE temp.prefill_pool');
  await db.client.execute('DROP TABLE temp.prefill_county');
  await db.client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
  for (const pragma of [`synchronous = ${EMBEDDED_PRAGMAS.synchronous}`, `cache_size = ${cacheSize}`, `foreign_keys = ${EMBEDDED_PRAGMAS.foreign_keys}`]) {
    await db.client.execute(`PRAGMA ${pragma}`);
  }
  return { campaignId, slug, rows, endsAt, seconds: (performance.now() - started) / 1000 };
}

interface CacheEntry extends PrefillResult {
  keys: { encryptionKey: string; blindIndexKey: string };
}

export interface Prefilled extends PrefillResult {
  keys: PrefillKeys;
  /** The cached database file (never written to: use `copyPrefilled`). */
  file: string;
  /** True when this run built it; false when an earlier run's file was reused. */
  built: boolean;
}

const CACHE_DIR = path.join(tmpdir(), 'imlu-bench-prefill');

/** The migrations and this generator: a change to either builds a new file. */
function cacheKey(): string {
  const hash = createHash('sha256');
  const files = readdirSync(MIGRATIONS_FOLDER)
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name) => path.join(MIGRATIONS_FOLDER, name));
  for (const file of [...files, path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), fileURLToPath(import.meta.url)]) {
    hash.update(path.basename(file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** The cached prefilled database for this migration set, built first if there is none. */
export async function prefilled(verification: BenchVerification, rows: number, log: (line: string) => void = () => {}): Promise<Prefilled> {
  mkdirSync(CACHE_DIR, { recursive: true, mode: 0o700 });
  const key = cacheKey();
  const base = path.join(CACHE_DIR, `${verification}-${rows}-${key}`);
  // Files of another migration set or generator are large and will not be used by this one; another
  // worktree may still be using them, so only those untouched for a day go.
  for (const name of readdirSync(CACHE_DIR)) {
    const stale = path.join(CACHE_DIR, name);
    if (!name.includes(`-${key}`) && Date.now() - statSync(stale).mtimeMs > STALE_MS) rmSync(stale, { recursive: true, force: true });
  }
  if (existsSync(`${base}.json`) && existsSync(`${base}.db`)) {
    const entry = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as CacheEntry;
    log(`prefilled database (${verification}, ${rows.toLocaleString('en-US')} signatures) reused from ${base}.db (built in ${entry.seconds.toFixed(1)} s)`);
    return { ...entry, keys: decodeKeys(entry.keys), file: `${base}.db`, built: false };
  }
  // Built under a private name and renamed when complete, so a run stopped half-way leaves nothing that looks usable.
  const building = `${base}-${process.pid}-building`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { mode: 0o700 });
  const keys = { encryptionKey: randomBytes(32), blindIndexKey: randomBytes(32) };
  const db = await createDb(`file:${path.join(building, 'imlu.db')}`);
  let result: PrefillResult;
  try {
    await migrateDb(db);
    let last = performance.now();
    result = await prefillDatabase(db, {
      verification,
      rows,
      keys,
      onProgress: (done) => {
        if (performance.now() - last > 5000 || done === rows) {
          last = performance.now();
          log(`  prefill (${verification}): ${done.toLocaleString('en-US')} of ${rows.toLocaleString('en-US')} signatures`);
        }
      },
    });
  } finally {
    db.close();
  }
  const entry: CacheEntry = { ...result, keys: { encryptionKey: keys.encryptionKey.toString('base64'), blindIndexKey: keys.blindIndexKey.toString('base64') } };
  flush(path.join(building, 'imlu.db'));
  renameSync(path.join(building, 'imlu.db'), `${base}.db`);
  rmSync(building, { recursive: true, force: true });
  writeFileSync(`${base}.json`, JSON.stringify(entry), { mode: 0o600 });
  log(`prefilled database (${verification}, ${rows.toLocaleString('en-US')} signatures) built in ${result.seconds.toFixed(1)} s: ${base}.db`);
  return { ...result, keys, file: `${base}.db`, built: true };
}

/**
 * Copies the cached file to `<dataDir>/imlu.db` for one phase to write into. Returns how many seconds the
 * idempotency records were moved forward (0 when they were recent enough).
 */
export async function copyPrefilled(source: Prefilled, dataDir: string): Promise<number> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, 'imlu.db');
  copyFileSync(source.file, file);
  const age = Date.now() - source.endsAt;
  const shift = age < SHIFT_AFTER_MS ? 0 : age;
  if (shift) {
    const db = await createDb(`file:${file}`);
    try {
      await db.client.execute({ sql: 'UPDATE idempotency_keys SET created_at = created_at + ?', args: [BigInt(shift)] });
      await db.client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
  }
  flush(file);
  return shift / 1000;
}

/** Written pages reach the disk now, not during the next phase, where their write-back would slow its fsyncs. */
function flush(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function decodeKeys(keys: CacheEntry['keys']): PrefillKeys {
  return { encryptionKey: Buffer.from(keys.encryptionKey, 'base64'), blindIndexKey: Buffer.from(keys.blindIndexKey, 'base64') };
}

/**
 * Run alone (`pnpm --filter @imlu/api bench:prefill`): builds the cached files ahead of `pnpm bench`, say
 * before the quiet window the measurements need. `BENCH_PREFILL_ROWS` as for the benchmark.
 */
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rows = Number(process.env.BENCH_PREFILL_ROWS ?? 1_000_000);
  for (const verification of ['none', 'email'] as const) await prefilled(verification, rows, (line) => console.info(line));
}
