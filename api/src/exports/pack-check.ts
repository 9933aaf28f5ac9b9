/**
 * A pack checked against this organisation's database: `verifyPack` (files, SHA256SUMS, signature) with the
 * public keys from the database, then what only the database knows — that the key was not retired before
 * the pack was made, and that an `export.created` audit entry names this exact manifest. `imlu export verify`
 * and `POST /admin/exports/verify` both run this, so the console and the CLI say the same thing.
 */
import type { Db } from '../db/client.ts';
import { verifyPack, type PackSource, type PackVerification } from './pack.ts';
import { findSigningKey, keyLabel, publicKeyObject } from './signing-key.ts';

export interface PackAuditCheck {
  /** The first `export.created` entry naming this manifest, or null (then the pack does not verify). */
  entry: { at: number; actor: string; actorName: string; rowCount: number } | null;
  /** Why a valid signature still fails: its key was retired before the pack was made. */
  retired: string | null;
}

export async function verifyPackWithDatabase(
  db: Db,
  source: PackSource,
  options: { allowUnsigned?: boolean | undefined } = {},
): Promise<{ result: PackVerification; audit: PackAuditCheck }> {
  const iso = (ms: number) => new Date(ms).toISOString();
  const result = await verifyPack(
    source,
    async (keyId) => {
      const key = await findSigningKey(db.orm, keyId);
      if (!key) return null;
      const note = key.retiredAt === null ? `current key, created ${iso(key.createdAt)}` : `created ${iso(key.createdAt)}, retired ${iso(key.retiredAt)}`;
      return { key: publicKeyObject(key), note };
    },
    { allowUnsigned: options.allowUnsigned },
  );
  let retired: string | null = null;
  // A retired key signs nothing more: a pack it signed after (a leaked key?) does not pass.
  if (result.signature.status === 'valid' && result.signature.keyId && result.manifest) {
    const key = await findSigningKey(db.orm, result.signature.keyId);
    const generatedAt = Date.parse(String(result.manifest.generatedAt));
    if (key?.retiredAt != null && !(generatedAt < key.retiredAt)) {
      retired = `key ${keyLabel(key.keyId)} was retired on ${iso(key.retiredAt)}, before this pack was made (${String(result.manifest.generatedAt)})`;
      result.ok = false;
    }
  }
  const found = result.manifestSha256
    ? await db.client.execute({
        sql: "SELECT at, actor, row_count, actor_name FROM audit_log WHERE action = 'export.created' AND subject = ? ORDER BY at LIMIT 1",
        args: [`manifest:${result.manifestSha256}`],
      })
    : undefined;
  const row = found?.rows[0];
  if (!row) result.ok = false;
  return { result, audit: { entry: row ? { at: Number(row[0]), actor: String(row[1]), actorName: String(row[3]), rowCount: Number(row[2]) } : null, retired } };
}
