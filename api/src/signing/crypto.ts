/**
 * Field encryption and blind indexes.
 *
 * Encryption: AES-256-GCM, a fresh random 12-byte IV per value, and the campaign id and column name as
 * additional authenticated data, so a ciphertext copied into another column or campaign fails to decrypt.
 * The envelope is text, `v1.<iv>.<tag>.<ciphertext>` in base64url; the `v1` prefix leaves room for a key
 * rotation or a different algorithm later without guessing what old rows hold.
 *
 * Blind index: HMAC-SHA256 under a second key, with a domain prefix per purpose (`email:`, `phone:`,
 * `idempotency-key:`, …) and the campaign id, so equal inputs match within a campaign but cannot be
 * compared across purposes or campaigns, and nobody without the key can test a guessed phone number.
 */
import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import type { Keys } from '../config/keys.ts';
import { randomBytesPooled } from './random.ts';

const ENVELOPE_VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * `confirmation-handle`: the opaque SMS confirmation handle given to the widget (see `prepare.ts`).
 * `target-delivery-contact`: a duty bearer's private delivery contact; its "campaign id" is the target id
 * (targets are not tied to one campaign), and the column name keeps it apart from signers' data.
 * `webhook-secret`: a campaign webhook's signing secret.
 */
export type EncryptedColumn = 'name' | 'email' | 'phone' | 'comment' | 'confirmation-handle' | 'target-delivery-contact' | 'webhook-secret';
export type BlindIndexPurpose = 'email' | 'phone' | 'phone-name' | 'idempotency-key' | 'idempotency-body' | 'source-ip' | 'email-domain' | 'phone-block';

export class FieldCrypto {
  readonly #encryptionKey: Buffer;
  readonly #blindIndexKey: Buffer;

  constructor(keys: Keys) {
    if (keys.encryptionKey.length !== 32 || keys.blindIndexKey.length !== 32) {
      throw new Error('encryption and blind-index keys must be 32 bytes');
    }
    this.#encryptionKey = keys.encryptionKey;
    this.#blindIndexKey = keys.blindIndexKey;
  }

  encrypt(plaintext: string, campaignId: string, column: EncryptedColumn): string {
    const iv = randomBytesPooled(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#encryptionKey, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad(campaignId, column));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [ENVELOPE_VERSION, iv.toString('base64url'), tag.toString('base64url'), ciphertext.toString('base64url')].join('.');
  }

  /** Throws if the envelope is malformed, was made with another key, or belongs to another campaign/column. */
  decrypt(envelope: string, campaignId: string, column: EncryptedColumn): string {
    const [version, ivText, tagText, ciphertextText, ...rest] = envelope.split('.');
    if (version !== ENVELOPE_VERSION || ivText === undefined || tagText === undefined || ciphertextText === undefined || rest.length) {
      throw new Error('not a v1 encrypted envelope');
    }
    const iv = Buffer.from(ivText, 'base64url');
    const tag = Buffer.from(tagText, 'base64url');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error('not a v1 encrypted envelope');
    const decipher = createDecipheriv('aes-256-gcm', this.#encryptionKey, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(campaignId, column));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(ciphertextText, 'base64url')), decipher.final()]).toString('utf8');
  }

  blindIndex(purpose: BlindIndexPurpose, campaignId: string, value: string): Buffer {
    // The campaign id is a UUID (no colon), so "<purpose>:<campaign>:<value>" cannot be read two ways.
    return createHmac('sha256', this.#blindIndexKey).update(`${purpose}:${campaignId}:${value}`, 'utf8').digest();
  }

  /**
   * A non-secret fingerprint of both keys, stored in the database to detect a server started with keys
   * other than the ones that wrote the data. HMAC outputs reveal nothing usable about the keys.
   */
  fingerprint(): string {
    const enc = createHmac('sha256', this.#encryptionKey).update('imlu:key-fingerprint').digest('base64url').slice(0, 16);
    const idx = createHmac('sha256', this.#blindIndexKey).update('imlu:key-fingerprint').digest('base64url').slice(0, 16);
    return `${enc}.${idx}`;
  }
}

function aad(campaignId: string, column: EncryptedColumn): Buffer {
  return Buffer.from(`imlu:signature:${campaignId}:${column}`, 'utf8');
}
