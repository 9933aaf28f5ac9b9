/**
 * Encryption-key rotation: re-encrypts every stored envelope (`crypto.ts`) that is not under the current
 * `ENCRYPTION_KEY`, reading it with whichever key it names (`ENCRYPTION_KEY_PREVIOUS` for the old one).
 *
 * - Batches: each table is read in keyset pages by rowid, and each page is rewritten in ONE write
 *   transaction (`client.batch`), so the server's signature writer waits milliseconds, never minutes.
 * - Resumable: a page selects only rows with an envelope not yet under the current key, so an interrupted
 *   run (Ctrl-C, a crash, a thrown progress callback) is finished by running it again; rows already under
 *   the new key cost one read and no write.
 * - Safe beside a running server: every UPDATE is conditional on the envelope it read, so a value the
 *   server rewrote meanwhile (a replaced signature, a sent message whose payload was emptied) is left as
 *   the server wrote it. A server started with both keys writes under the new one.
 * - Leaves no old ciphertext behind in an embedded database file: the connection runs with
 *   `secure_delete` (space freed by the rewrite is zeroed), and a finished run ends with `VACUUM` and a
 *   truncating WAL checkpoint. The VACUUM is needed because SQLite leaves stale copies of cells in the
 *   unused space of pages it split long before (a table's root page keeps its old leaf content), which no
 *   rewrite of the rows reaches; it blocks writers while it runs (`vacuum: false` skips it).
 * - Audited: one `keys.rotated` entry per run with counts per location, key ids and whether it finished.
 *
 * At the end it counts the values per key id again and records the keys still in use as retired
 * (`db/key-check.ts`): a server refuses to start without `ENCRYPTION_KEY_PREVIOUS` while any remain.
 */
import type { InStatement } from '@libsql/client';
import type { Actor } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.ts';
import type { Db } from '../db/client.ts';
import { recordRetiredKeyIds, verifyKeyFingerprint } from '../db/key-check.ts';
import { KEY_ID_LENGTH, UnknownKeyError, envelopeKeyId, type EncryptedColumn, type FieldCrypto } from './crypto.ts';

type Table = 'signatures' | 'targets' | 'webhooks' | 'outbox' | 'idempotency_keys' | 'signing_keys' | 'staff';

export interface EncryptedField {
  /** Where, for reports: `table.column` or `table.column.json.path`. */
  location: string;
  table: Table;
  /** SQL reading the envelope (text or NULL) from a row. */
  envelope: string;
  /** SQL reading the id bound into the associated data (campaign or target id). */
  aadId: string;
  /** The columns it may have been encrypted for; the associated data decides which one it was. */
  columns: readonly EncryptedColumn[];
  /** SQL assignment that writes the new envelope, given as the one `?`. */
  assign: string;
}

/** A JSON text member, or NULL when the column is not JSON (never an error in the middle of a batch). */
const jsonMember = (column: string, path: string) => `CASE WHEN json_valid(${column}) THEN json_extract(${column}, '${path}') END`;

/**
 * Every place an envelope is stored. A new encrypted column must be added here (the type check below
 * fails when an `EncryptedColumn` is missing), or rotation would leave it under the old key.
 */
export const ENCRYPTED_FIELDS = [
  { location: 'signatures.name_enc', table: 'signatures', envelope: 'name_enc', aadId: 'campaign_id', columns: ['name'], assign: 'name_enc = ?' },
  { location: 'signatures.email_enc', table: 'signatures', envelope: 'email_enc', aadId: 'campaign_id', columns: ['email'], assign: 'email_enc = ?' },
  { location: 'signatures.phone_enc', table: 'signatures', envelope: 'phone_enc', aadId: 'campaign_id', columns: ['phone'], assign: 'phone_enc = ?' },
  { location: 'signatures.comment_enc', table: 'signatures', envelope: 'comment_enc', aadId: 'campaign_id', columns: ['comment'], assign: 'comment_enc = ?' },
  {
    location: 'targets.delivery_contact_enc',
    table: 'targets',
    envelope: 'delivery_contact_enc',
    aadId: 'id',
    columns: ['target-delivery-contact'],
    assign: 'delivery_contact_enc = ?',
  },
  { location: 'webhooks.secret_enc', table: 'webhooks', envelope: 'secret_enc', aadId: 'campaign_id', columns: ['webhook-secret'], assign: 'secret_enc = ?' },
  { location: 'signing_keys.private_key_enc', table: 'signing_keys', envelope: 'private_key_enc', aadId: 'id', columns: ['signing-key'], assign: 'private_key_enc = ?' },
  { location: 'staff.email_enc', table: 'staff', envelope: 'email_enc', aadId: 'id', columns: ['staff-email'], assign: 'email_enc = ?' },
  { location: 'staff.totp_secret_enc', table: 'staff', envelope: 'totp_secret_enc', aadId: 'id', columns: ['staff-totp'], assign: 'totp_secret_enc = ?' },
  // A queued message's recipient: a copy of its signature's e-mail or phone envelope (emptied once sent).
  {
    location: 'outbox.payload.to',
    table: 'outbox',
    envelope: jsonMember('payload', '$.to'),
    aadId: 'campaign_id',
    columns: ['email', 'phone'],
    assign: "payload = json_set(payload, '$.to', ?)",
  },
  // A stored answer to an `Idempotency-Key` (kept a day) repeats the SMS handle, so a retry gets a working one.
  {
    location: 'idempotency_keys.response.confirmation.handle',
    table: 'idempotency_keys',
    envelope: jsonMember('response', '$.confirmation.handle'),
    aadId: 'campaign_id',
    columns: ['confirmation-handle'],
    assign: "response = json_set(response, '$.confirmation.handle', ?)",
  },
] as const satisfies readonly EncryptedField[];

type CoveredColumn = (typeof ENCRYPTED_FIELDS)[number]['columns'][number];
// Compile-time: every EncryptedColumn is stored somewhere listed above.
const everyColumnCovered: Exclude<EncryptedColumn, CoveredColumn> extends never ? true : never = true;
void everyColumnCovered;

/** How a row is named in reports: its id (never personal data), or the rowid where the key is an HMAC. */
const ROW_REF: Record<Table, string> = { signatures: 'id', targets: 'id', webhooks: 'id', outbox: 'id', idempotency_keys: 'rowid', signing_keys: 'id', staff: 'id' };

const TABLES = [...new Set(ENCRYPTED_FIELDS.map((f) => f.table))];
const fieldsOf = (table: Table): readonly EncryptedField[] => ENCRYPTED_FIELDS.filter((f) => f.table === table);

/** How many values of one location are under one key id; `keyId` null: a `v1` envelope, written before key ids. */
export interface KeyCount {
  location: string;
  keyId: string | null;
  values: number;
}

/** Counts the stored envelopes per location and key id (one aggregate query per location). */
export async function countByKeyId(db: Db): Promise<KeyCount[]> {
  const counts: KeyCount[] = [];
  for (const field of ENCRYPTED_FIELDS) {
    const e = field.envelope;
    const result = await db.client.execute(
      `SELECT CASE WHEN substr(${e}, 1, 3) = 'v2.' THEN substr(${e}, 4, ${KEY_ID_LENGTH}) END AS key_id, COUNT(*) ` +
        `FROM ${field.table} WHERE substr(${e}, 1, 3) IN ('v1.', 'v2.') GROUP BY 1 ORDER BY 1`,
    );
    for (const row of result.rows) counts.push({ location: field.location, keyId: row[0] === null ? null : String(row[0]), values: Number(row[1]) });
  }
  return counts;
}

export interface RotationProgress {
  /** Rows rewritten or skipped so far, of `total` rows that had something to rotate when the run began. */
  done: number;
  total: number;
  table: string;
}

export interface RotationOptions {
  /** Recorded in the audit log. */
  actor: Actor;
  /** Rows per write transaction. Default 500. */
  batchSize?: number;
  /** Called after each committed batch. A throw stops the run there (what is committed stays). */
  onBatch?: (progress: RotationProgress) => void | Promise<void>;
  /** Aborting stops the run after the batch in progress. */
  signal?: AbortSignal;
  /** Rebuild an embedded database file (`VACUUM`) after a finished run. Default true. */
  vacuum?: boolean;
}

/** A value that could not be re-encrypted: where, and under which key id (never the value). */
export interface RotationFailure {
  location: string;
  row: string;
  keyId: string | null;
  reason: 'unknown-key' | 'undecryptable';
}

export interface RotationReport {
  /** The key everything was re-encrypted under (`ENCRYPTION_KEY`). */
  keyId: string;
  previousKeyId: string | undefined;
  /** Values rewritten, per location. */
  rotated: Record<string, number>;
  batches: number;
  /** Values the server changed between our read and our write (left as the server wrote them). */
  changedMeanwhile: number;
  /** Values that could not be decrypted (at most 100 listed; `failureCount` counts all). */
  failures: RotationFailure[];
  failureCount: number;
  /** The run stopped early (`signal`); running it again resumes. */
  interrupted: boolean;
  /** After the run: values NOT under the current key, per location and key id. Empty: the old key is no longer needed. */
  remaining: KeyCount[];
  /** Earlier key ids recorded as still in use (a server needs them as `ENCRYPTION_KEY_PREVIOUS`). */
  retiredKeyIds: string[];
  /** `done`: the file was rebuilt, without stale copies of old values; `skipped`: not asked or not finished; `not-applicable`: a remote database. */
  vacuum: 'done' | 'skipped' | 'not-applicable';
  /** `complete`: the WAL was checkpointed and truncated; `busy`: a reader held it; `not-applicable`: a remote database. */
  walCheckpoint: 'complete' | 'busy' | 'not-applicable';
}

const MAX_LISTED_FAILURES = 100;

export async function rotateEncryptionKey(db: Db, crypto: FieldCrypto, options: RotationOptions): Promise<RotationReport> {
  const batchSize = options.batchSize ?? 500;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a whole number ≥ 1');
  const prefix = `v2.${crypto.keyId}.`;
  const needs = (field: EncryptedField) => `(substr(${field.envelope}, 1, 3) IN ('v1.', 'v2.') AND substr(${field.envelope}, 1, ${prefix.length}) <> ?)`;
  const report: RotationReport = {
    keyId: crypto.keyId,
    previousKeyId: crypto.previousKeyId,
    rotated: Object.fromEntries(ENCRYPTED_FIELDS.map((f) => [f.location, 0])),
    batches: 0,
    changedMeanwhile: 0,
    failures: [],
    failureCount: 0,
    interrupted: false,
    remaining: [],
    retiredKeyIds: [],
    vacuum: db.embedded ? 'skipped' : 'not-applicable',
    walCheckpoint: 'not-applicable',
  };

  let total = 0;
  for (const table of TABLES) {
    const fields = fieldsOf(table);
    const result = await db.client.execute({ sql: `SELECT COUNT(*) FROM ${table} WHERE ${fields.map(needs).join(' OR ')}`, args: fields.map(() => prefix) });
    total += Number(result.rows[0]![0]);
  }

  // Old values must not survive in freed space of the file: zero it while this connection rewrites them.
  const secureDeleteBefore = db.embedded ? Number((await db.client.execute('PRAGMA secure_delete')).rows[0]![0]) : undefined;
  if (db.embedded) await db.client.execute('PRAGMA secure_delete = 1');
  let done = 0;
  try {
    tables: for (const table of TABLES) {
      const fields = fieldsOf(table);
      let after = 0;
      for (;;) {
        if (options.signal?.aborted) {
          report.interrupted = true;
          break tables;
        }
        const page = await db.client.execute({
          sql:
            `SELECT rowid, ${ROW_REF[table]}, ${fields.map((f) => `${f.aadId}, ${f.envelope}`).join(', ')} FROM ${table} ` +
            `WHERE rowid > ? AND (${fields.map(needs).join(' OR ')}) ORDER BY rowid LIMIT ?`,
          args: [after, ...fields.map(() => prefix), batchSize],
        });
        if (!page.rows.length) break;
        const statements: InStatement[] = [];
        const written: string[] = [];
        for (const row of page.rows) {
          const rowid = Number(row[0]);
          fields.forEach((field, i) => {
            const aadId = String(row[2 + 2 * i]);
            const envelope = row[3 + 2 * i];
            if (typeof envelope !== 'string' || crypto.isCurrent(envelope)) return;
            const plaintext = decryptAny(crypto, envelope, aadId, field.columns);
            if (!plaintext.ok) {
              report.failureCount++;
              if (report.failures.length < MAX_LISTED_FAILURES) {
                report.failures.push({ location: field.location, row: String(row[1]), keyId: envelopeKeyId(envelope) ?? null, reason: plaintext.reason });
              }
              return;
            }
            statements.push({
              sql: `UPDATE ${table} SET ${field.assign} WHERE rowid = ? AND ${field.envelope} = ?`,
              args: [crypto.encrypt(plaintext.value, aadId, plaintext.column), rowid, envelope],
            });
            written.push(field.location);
          });
        }
        after = Number(page.rows.at(-1)![0]);
        if (statements.length) {
          const results = await db.client.batch(statements, 'write');
          results.forEach((result, i) => {
            if (result.rowsAffected === 1) report.rotated[written[i]!]!++;
            else report.changedMeanwhile++;
          });
        }
        report.batches++;
        done += page.rows.length;
        await options.onBatch?.({ done: Math.min(done, total), total, table });
      }
    }
    report.remaining = (await countByKeyId(db)).filter((count) => count.keyId !== crypto.keyId);
    // A v1 envelope does not say its key: while any remains, keep every key the record already had.
    const earlier = report.remaining.some((count) => count.keyId === null) ? (await verifyKeyFingerprint(db, crypto, { record: false })).retiredKeyIds : [];
    const stillUsed = report.remaining.flatMap((count) => (count.keyId === null ? [] : [count.keyId]));
    report.retiredKeyIds = [...new Set([...earlier, ...stillUsed])].sort();
    if (!(await recordRetiredKeyIds(db, crypto, report.retiredKeyIds))) {
      throw new Error('another process switched the encryption key during the rotation: run `imlu keys status`');
    }
    if (db.embedded) {
      if (options.vacuum !== false && !report.interrupted) {
        await db.client.execute('VACUUM');
        report.vacuum = 'done';
      }
      const checkpoint = await db.client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
      report.walCheckpoint = Number(checkpoint.rows[0]?.[0]) === 0 ? 'complete' : 'busy';
    }
    await audit(db, options.actor, report, undefined);
    return report;
  } catch (error) {
    await audit(db, options.actor, report, error).catch(() => undefined);
    throw error;
  } finally {
    if (secureDeleteBefore !== undefined) await db.client.execute(`PRAGMA secure_delete = ${secureDeleteBefore}`).catch(() => undefined);
  }
}

type Decrypted = { ok: true; value: string; column: EncryptedColumn } | { ok: false; reason: RotationFailure['reason'] };

function decryptAny(crypto: FieldCrypto, envelope: string, aadId: string, columns: readonly EncryptedColumn[]): Decrypted {
  for (const column of columns) {
    try {
      return { ok: true, value: crypto.decrypt(envelope, aadId, column), column };
    } catch (error) {
      if (error instanceof UnknownKeyError) return { ok: false, reason: 'unknown-key' };
    }
  }
  return { ok: false, reason: 'undecryptable' };
}

/** One entry per run: counts and key ids only (a key id is a fingerprint, not the key). */
async function audit(db: Db, actor: Actor, report: RotationReport, error: unknown): Promise<void> {
  const rows = Object.values(report.rotated).reduce((a, b) => a + b, 0);
  await recordAudit(db.orm, {
    actor,
    action: 'keys.rotated',
    subject: report.keyId,
    rowCount: rows,
    details: {
      keyId: report.keyId,
      previousKeyId: report.previousKeyId ?? null,
      rotated: Object.fromEntries(Object.entries(report.rotated).filter(([, n]) => n > 0)),
      batches: report.batches,
      changedMeanwhile: report.changedMeanwhile,
      failures: report.failureCount,
      finished: !error && !report.interrupted,
      ...(error ? { stoppedBy: error instanceof Error ? error.name : 'error' } : {}),
      ...(report.interrupted ? { interrupted: true } : {}),
      ...(error ? {} : { remaining: report.remaining.reduce((sum, count) => sum + count.values, 0), retiredKeyIds: report.retiredKeyIds }),
    },
  });
}
