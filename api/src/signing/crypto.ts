/**
 * Field encryption and blind indexes.
 *
 * Encryption: AES-256-GCM, a fresh random 12-byte IV per value, and the campaign id and column name as
 * additional authenticated data, so a ciphertext copied into another column or campaign fails to decrypt.
 * The envelope is text in base64url, `v2.<key id>.<iv>.<tag>.<ciphertext>`: the key id (a short,
 * non-secret fingerprint of the key) says which `ENCRYPTION_KEY` wrote it, so after a new key is
 * introduced the server reads rows under either key and `imlu keys rotate` (`key-rotation.ts`) knows which
 * rows still need re-encrypting. Envelopes written before key ids (`v1.<iv>.<tag>.<ciphertext>`) are still
 * read: by the current key, or else the previous one (GCM's tag tells a wrong key apart with certainty).
 *
 * Blind index: HMAC-SHA256 under a second key, with a domain prefix per purpose (`email:`, `phone:`,
 * `idempotency-key:`, …) and the campaign id, so equal inputs match within a campaign but cannot be
 * compared across purposes or campaigns, and nobody without the key can test a guessed phone number.
 */
import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import type { Keys } from '../config/keys.ts';
import { randomBytesPooled } from './random.ts';

const IV_BYTES = 12;
const TAG_BYTES = 16;
/** 48 bits of the key's fingerprint: enough to tell keys apart, nothing to learn about them. */
export const KEY_ID_LENGTH = 8;

/**
 * `confirmation-handle`: the opaque SMS confirmation handle given to the widget (see `prepare.ts`).
 * `target-delivery-contact`: a duty bearer's private delivery contact; its "campaign id" is the target id
 * (targets are not tied to one campaign), and the column name keeps it apart from signers' data.
 * `webhook-secret`: a campaign webhook's signing secret.
 * `signing-key`: the private half of an export-signing key; its "campaign id" is the key's id.
 * `staff-email`, `staff-totp`: a console staff member's e-mail and TOTP secret; the "campaign id" is the staff id.
 * Every column stored in the database must be listed in `ENCRYPTED_FIELDS` (key-rotation.ts) too.
 */
export type EncryptedColumn = 'name' | 'email' | 'phone' | 'comment' | 'confirmation-handle' | 'target-delivery-contact' | 'webhook-secret' | 'signing-key' | 'staff-email' | 'staff-totp';
export type BlindIndexPurpose = 'email' | 'phone' | 'phone-name' | 'idempotency-key' | 'idempotency-body' | 'source-ip' | 'email-domain' | 'phone-block' | 'staff-email';

/** An envelope names a key this process was not given. The message holds the key id only. */
export class UnknownKeyError extends Error {
  override name = 'UnknownKeyError';
  constructor(readonly keyId: string) {
    super(`encrypted under key id ${keyId}, which is neither ENCRYPTION_KEY nor ENCRYPTION_KEY_PREVIOUS`);
  }
}

/** A non-secret fingerprint of a key (16 base64url characters). HMAC outputs reveal nothing usable about the key. */
export function keyFingerprint(key: Buffer): string {
  return createHmac('sha256', key).update('imlu:key-fingerprint').digest('base64url').slice(0, 16);
}

/** The key id that envelopes carry: the first characters of the encryption key's fingerprint. */
export function keyIdOfFingerprint(fingerprint: string): string {
  return fingerprint.slice(0, KEY_ID_LENGTH);
}

/** The key id an envelope names; `null` for a `v1` envelope (written before key ids); undefined if it is none. */
export function envelopeKeyId(envelope: string): string | null | undefined {
  if (envelope.startsWith('v1.')) return null;
  if (envelope.startsWith('v2.') && envelope.charAt(3 + KEY_ID_LENGTH) === '.') return envelope.slice(3, 3 + KEY_ID_LENGTH);
  return undefined;
}

export class FieldCrypto {
  readonly #encryptionKey: Buffer;
  readonly #previousKey: Buffer | undefined;
  readonly #blindIndexKey: Buffer;
  /** Id of `ENCRYPTION_KEY`, which encrypts every new value. */
  readonly keyId: string;
  /** Id of `ENCRYPTION_KEY_PREVIOUS`, which only decrypts; undefined without one. */
  readonly previousKeyId: string | undefined;
  readonly #prefix: string;

  constructor(keys: Keys) {
    const previous = keys.previousEncryptionKey ?? undefined;
    if (keys.encryptionKey.length !== 32 || keys.blindIndexKey.length !== 32 || (previous && previous.length !== 32)) {
      throw new Error('encryption and blind-index keys must be 32 bytes');
    }
    this.#encryptionKey = keys.encryptionKey;
    this.#previousKey = previous;
    this.#blindIndexKey = keys.blindIndexKey;
    this.keyId = keyIdOfFingerprint(keyFingerprint(keys.encryptionKey));
    this.previousKeyId = previous ? keyIdOfFingerprint(keyFingerprint(previous)) : undefined;
    // Two different random keys share a 48-bit id about once in 2^48 pairs; refuse rather than misread.
    if (previous && this.previousKeyId === this.keyId) {
      throw new Error(previous.equals(keys.encryptionKey) ? 'the previous encryption key is the current one' : 'two encryption keys share a key id: generate another');
    }
    this.#prefix = `v2.${this.keyId}.`;
  }

  encrypt(plaintext: string, campaignId: string, column: EncryptedColumn): string {
    const iv = randomBytesPooled(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#encryptionKey, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad(campaignId, column));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return `${this.#prefix}${iv.toString('base64url')}.${tag.toString('base64url')}.${ciphertext.toString('base64url')}`;
  }

  /**
   * Throws if the envelope is malformed, belongs to another campaign/column or was made with another key
   * (`UnknownKeyError` when it names a key id this process was not given).
   */
  decrypt(envelope: string, campaignId: string, column: EncryptedColumn): string {
    const parts = envelope.split('.');
    if (parts[0] === 'v2' && parts.length === 5) {
      const [, keyId, iv, tag, ciphertext] = parts as [string, string, string, string, string];
      const key = keyId === this.keyId ? this.#encryptionKey : keyId === this.previousKeyId ? this.#previousKey : undefined;
      if (!key) throw new UnknownKeyError(keyId);
      return open(key, iv, tag, ciphertext, aad(campaignId, column));
    }
    if (parts[0] === 'v1' && parts.length === 4) {
      const [, iv, tag, ciphertext] = parts as [string, string, string, string];
      try {
        return open(this.#encryptionKey, iv, tag, ciphertext, aad(campaignId, column));
      } catch (error) {
        if (!this.#previousKey) throw error;
        return open(this.#previousKey, iv, tag, ciphertext, aad(campaignId, column));
      }
    }
    throw new Error('not an encrypted envelope');
  }

  /** True when the envelope is already under `ENCRYPTION_KEY` (what `imlu keys rotate` skips). */
  isCurrent(envelope: string): boolean {
    return envelope.startsWith(this.#prefix);
  }

  blindIndex(purpose: BlindIndexPurpose, campaignId: string, value: string): Buffer {
    // The campaign id is a UUID (no colon), so "<purpose>:<campaign>:<value>" cannot be read two ways.
    return createHmac('sha256', this.#blindIndexKey).update(`${purpose}:${campaignId}:${value}`, 'utf8').digest();
  }

  /**
   * A non-secret fingerprint of the current encryption key and the blind-index key, `<enc>.<index>`, stored
   * in the database to detect a server started with keys other than the ones that wrote the data
   * (`db/key-check.ts`). The first `KEY_ID_LENGTH` characters of `<enc>` are the key id.
   */
  fingerprint(): string {
    return `${keyFingerprint(this.#encryptionKey)}.${keyFingerprint(this.#blindIndexKey)}`;
  }

  /** The fingerprint of `ENCRYPTION_KEY_PREVIOUS` (the `<enc>` part only), if one was given. */
  previousFingerprint(): string | undefined {
    return this.#previousKey ? keyFingerprint(this.#previousKey) : undefined;
  }
}

function open(key: Buffer, ivText: string, tagText: string, ciphertextText: string, additionalData: Buffer): string {
  const iv = Buffer.from(ivText, 'base64url');
  const tag = Buffer.from(tagText, 'base64url');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error('not an encrypted envelope');
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(additionalData);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(Buffer.from(ciphertextText, 'base64url')), decipher.final()]).toString('utf8');
}

function aad(campaignId: string, column: EncryptedColumn): Buffer {
  return Buffer.from(`imlu:signature:${campaignId}:${column}`, 'utf8');
}
