/**
 * Data migrations that need the keys, which SQL migrations never see.
 *
 * Migration 0012 made a phone's dedupe key per phone AND name (a family phone may carry several signers).
 * Rows stored before it still hold the old per-phone key, which equals their `phone_hash`; this rewrites
 * each such key from the row's decrypted phone and name, a page at a time, and is a no-op once done. It
 * runs after `migrateDb` wherever keys are at hand (server start-up, `imlu migrate`), before any signature
 * is taken, so a signer who signed before the upgrade is still recognised when they sign again.
 */
import type { InStatement } from '@libsql/client';
import type { FieldCrypto } from '../signing/crypto.ts';
import { householdNameKey } from '../signing/normalise.ts';
import type { Db } from './client.ts';

const PAGE = 500;

/** Rewrites legacy per-phone dedupe keys; returns how many. */
export async function backfillPhoneNameKeys(db: Db, crypto: FieldCrypto): Promise<number> {
  let done = 0;
  for (;;) {
    const page = await db.client.execute({
      sql:
        'SELECT d.campaign_id, d.key_hmac, s.name_enc, s.phone_enc FROM signature_dedupe d JOIN signatures s ON s.id = d.signature_id ' +
        "WHERE d.kind = 'phone' AND d.key_hmac = s.phone_hash LIMIT ?",
      args: [PAGE],
    });
    if (!page.rows.length) return done;
    const statements: InStatement[] = page.rows.map((row) => {
      const campaignId = String(row[0]);
      const name = crypto.decrypt(String(row[2]), campaignId, 'name');
      const phone = crypto.decrypt(String(row[3]), campaignId, 'phone');
      return {
        sql: 'UPDATE signature_dedupe SET key_hmac = ? WHERE campaign_id = ? AND key_hmac = ?',
        args: [crypto.blindIndex('phone-name', campaignId, `${phone}\n${householdNameKey(name)}`), campaignId, row[1] as ArrayBuffer],
      };
    });
    await db.client.batch(statements, 'write');
    done += statements.length;
  }
}
