/**
 * Refuses to run with keys other than the ones that wrote the database. With the wrong blind-index key
 * every returning signer would look new (double counting) and with the wrong encryption key nothing
 * could be read back; both are far worse than not starting.
 *
 * `instance_meta` holds two facts:
 * - `key_fingerprint`: `<enc>.<index>` fingerprints of the encryption key that writes new values and of
 *   the blind-index key (`FieldCrypto.fingerprint`);
 * - `retired_encryption_key_ids`: ids (comma-separated) of earlier encryption keys under which rows may
 *   still be stored. A key joins it when the database switches to a new `ENCRYPTION_KEY` and leaves it when
 *   `imlu keys rotate` has counted no row under it.
 *
 * A process may start when its blind-index key is the recorded one, and its `ENCRYPTION_KEY` is either
 * the recorded one or a new key given together with the recorded one as `ENCRYPTION_KEY_PREVIOUS` (the
 * first such start switches the database over: from then on new values are written under the new key,
 * and the old key is retired), and every retired key is one of the two it was given. So a server with only
 * the new key refuses while rows under the old key remain, and a server with only the old key refuses once
 * anything may have been written under the new one.
 */
import { ConfigError } from '../config/env.ts';
import { keyIdOfFingerprint, type FieldCrypto } from '../signing/crypto.ts';
import type { Db } from './client.ts';

const FINGERPRINT_KEY = 'key_fingerprint';
const RETIRED_KEY = 'retired_encryption_key_ids';

export interface KeyCheck {
  /** Id of the encryption key the database recorded before this check (undefined for a new database). */
  recordedKeyId: string | undefined;
  /** True when `ENCRYPTION_KEY` is new to the database: this check switched to it (or, with `record: false`, would). */
  switching: boolean;
  /** Earlier encryption keys under which rows may remain, after this check (`imlu keys status` counts them). */
  retiredKeyIds: string[];
}

/**
 * Checks the configured keys against the database's record and, unless `record` is false, records a new
 * database's keys or a switch to a new `ENCRYPTION_KEY`. Throws `ConfigError` naming the variable to fix.
 */
export async function verifyKeyFingerprint(db: Db, crypto: FieldCrypto, options: { record?: boolean } = {}): Promise<KeyCheck> {
  const record = options.record ?? true;
  const fingerprint = crypto.fingerprint();
  // A second process may switch the same database at the same moment: the write below is conditional
  // on what was read, and a lost race reads again.
  for (let attempt = 0; attempt < 3; attempt++) {
    const stored = await readRecord(db, record ? fingerprint : undefined);
    if (!stored) return { recordedKeyId: undefined, switching: false, retiredKeyIds: [] };
    const check = evaluate(stored, crypto);
    if (!check.switching || !record) return check;
    const [switched] = await db.client.batch(
      [
        { sql: 'UPDATE instance_meta SET value = ? WHERE key = ? AND value = ?', args: [fingerprint, FINGERPRINT_KEY, stored.fingerprint] },
        {
          sql: 'INSERT INTO instance_meta (key, value) SELECT ?, ? WHERE changes() = 1 ON CONFLICT (key) DO UPDATE SET value = excluded.value',
          args: [RETIRED_KEY, check.retiredKeyIds.join(',')],
        },
      ],
      'write',
    );
    if (switched?.rowsAffected === 1) return check;
  }
  throw new Error('the key record in instance_meta keeps changing: is another process switching keys?');
}

/**
 * After `imlu keys rotate` counted which keys rows are still under: records those other than the current
 * key as retired, unless another process switched keys in the meantime (then nothing is written).
 */
export async function recordRetiredKeyIds(db: Db, crypto: FieldCrypto, keyIds: readonly string[]): Promise<boolean> {
  const [written] = await db.client.batch(
    [
      {
        sql:
          'INSERT INTO instance_meta (key, value) SELECT ?, ? WHERE (SELECT value FROM instance_meta WHERE key = ?) = ? ' +
          'ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        args: [RETIRED_KEY, keyIds.filter((id) => id !== crypto.keyId).join(','), FINGERPRINT_KEY, crypto.fingerprint()],
      },
    ],
    'write',
  );
  return written?.rowsAffected === 1;
}

interface StoredRecord {
  fingerprint: string;
  retiredKeyIds: string[];
}

/** Reads the record; with `initial`, first records it for a database that has none. */
async function readRecord(db: Db, initial: string | undefined): Promise<StoredRecord | undefined> {
  const select = { sql: 'SELECT key, value FROM instance_meta WHERE key IN (?, ?)', args: [FINGERPRINT_KEY, RETIRED_KEY] };
  const results = initial
    ? await db.client.batch(
        [{ sql: 'INSERT INTO instance_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', args: [FINGERPRINT_KEY, initial] }, select],
        'write',
      )
    : [await db.client.execute(select)];
  const values = new Map(results.at(-1)!.rows.map((row) => [String(row[0]), String(row[1])]));
  const fingerprint = values.get(FINGERPRINT_KEY);
  if (fingerprint === undefined) return undefined;
  return { fingerprint, retiredKeyIds: (values.get(RETIRED_KEY) ?? '').split(',').filter(Boolean) };
}

function evaluate(stored: StoredRecord, crypto: FieldCrypto): KeyCheck {
  const [recordedEnc = '', recordedIndex] = stored.fingerprint.split('.');
  const [currentEnc, currentIndex] = crypto.fingerprint().split('.');
  const recordedKeyId = keyIdOfFingerprint(recordedEnc);
  const mismatch = (detail: string) =>
    new ConfigError([{ variable: 'ENCRYPTION_KEY/BLIND_INDEX_KEY', message: `do not match the keys this database was written with: ${detail}` }]);
  if (recordedIndex !== currentIndex) {
    throw mismatch(
      'BLIND_INDEX_KEY is another key. Start with the original keys (or the original DATA_DIR/keys.json), or point ' +
        'DATABASE_URL at a new database; docs/data-protection.md says what changing the blind-index key takes.',
    );
  }
  let retired = stored.retiredKeyIds;
  let switching = false;
  if (recordedEnc !== currentEnc) {
    if (crypto.previousFingerprint() !== recordedEnc) {
      const given = crypto.previousKeyId ? ` and ENCRYPTION_KEY_PREVIOUS has key id ${crypto.previousKeyId}` : '';
      throw mismatch(
        `the database's encryption key has key id ${recordedKeyId}; ENCRYPTION_KEY has key id ${crypto.keyId}${given}. ` +
          `Start with the original keys, or, to move to a new ENCRYPTION_KEY, give the key with id ${recordedKeyId} as ` +
          'ENCRYPTION_KEY_PREVIOUS (see `imlu keys rotate`).',
      );
    }
    switching = true;
    retired = [...new Set([...retired, recordedKeyId])];
  }
  retired = retired.filter((id) => id !== crypto.keyId);
  const missing = retired.filter((id) => id !== crypto.previousKeyId);
  if (missing.length && switching) {
    throw new ConfigError([
      {
        variable: 'ENCRYPTION_KEY',
        message:
          `cannot replace the key with id ${recordedKeyId} yet: rows may still be encrypted under key id ${missing.join(', ')} from ` +
          `an earlier rotation. Finish that one first (ENCRYPTION_KEY = the key with id ${recordedKeyId}, ENCRYPTION_KEY_PREVIOUS = ` +
          `the key with id ${missing[0]}, then \`imlu keys rotate\`).`,
      },
    ]);
  }
  if (missing.length) {
    const given = crypto.previousKeyId ? `ENCRYPTION_KEY_PREVIOUS has key id ${crypto.previousKeyId}` : 'ENCRYPTION_KEY_PREVIOUS is not set';
    throw new ConfigError([
      {
        variable: 'ENCRYPTION_KEY_PREVIOUS',
        message:
          `must be the key with id ${missing.join(' or ')}: rows may still be encrypted under it (${given}; ENCRYPTION_KEY has key id ` +
          `${crypto.keyId}). Set it and finish \`imlu keys rotate\`.`,
      },
    ]);
  }
  return { recordedKeyId, switching, retiredKeyIds: retired };
}
