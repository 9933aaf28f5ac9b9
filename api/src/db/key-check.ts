/**
 * Refuses to run with keys other than the ones that wrote the database. With the wrong blind-index key
 * every returning signer would look new (double counting) and with the wrong encryption key nothing
 * could be read back; both are far worse than not starting.
 */
import { ConfigError } from '../config/env.ts';
import type { FieldCrypto } from '../signing/crypto.ts';
import type { Db } from './client.ts';

const FINGERPRINT_KEY = 'key_fingerprint';

export async function verifyKeyFingerprint(db: Db, crypto: FieldCrypto): Promise<void> {
  const fingerprint = crypto.fingerprint();
  const [, stored] = await db.client.batch(
    [
      { sql: 'INSERT INTO instance_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', args: [FINGERPRINT_KEY, fingerprint] },
      { sql: 'SELECT value FROM instance_meta WHERE key = ?', args: [FINGERPRINT_KEY] },
    ],
    'write',
  );
  const recorded = stored?.rows[0]?.[0];
  if (recorded !== fingerprint) {
    throw new ConfigError([
      {
        variable: 'ENCRYPTION_KEY/BLIND_INDEX_KEY',
        message:
          'do not match the keys this database was written with. Start with the original keys (or the original ' +
          'DATA_DIR/keys.json), or point DATABASE_URL at a new database.',
      },
    ]);
  }
}
