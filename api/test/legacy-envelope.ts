/**
 * A `v1` envelope exactly as the code before key ids wrote it (`v1.<iv>.<tag>.<ciphertext>`, AAD
 * `imlu:signature:<id>:<column>`), for tests of databases written before key rotation existed.
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import type { EncryptedColumn } from '../src/signing/crypto.ts';

export function legacyV1Envelope(key: Buffer, plaintext: string, campaignId: string, column: EncryptedColumn): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
  cipher.setAAD(Buffer.from(`imlu:signature:${campaignId}:${column}`, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
}
