/**
 * Confirmation link tokens and SMS codes.
 *
 * A token is `<id>.<mac>`, both base64url: the signature's id enciphered with AES-256 as one block (a
 * keyed permutation of the 16 bytes, so the token carries nothing readable — signature ids are UUIDv7 and
 * would otherwise tell anyone holding the link when the person signed), and an HMAC-SHA256 of it truncated
 * to 128 bits. Neither can be forged without the key. The token holds no expiry either, for the same
 * reason: a link expires `CONFIRMATION_LINK_TTL_MS` after its signature was submitted, which the server
 * reads from the row. It confirms exactly one version of a signature: a later submission for the same
 * contact is another id.
 */
import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';

const MAC_BYTES = 16;

export type TokenCheck = { ok: true; signatureId: string } | { ok: false; reason: 'invalid' };

/** A key for confirmation tokens only, derived so that no MAC of another purpose can be replayed here. */
export function deriveConfirmationKey(blindIndexKey: Buffer): Buffer {
  return createHmac('sha256', blindIndexKey).update('imlu:confirmation-token-key:v1').digest();
}

function idBytes(signatureId: string): Buffer {
  const id = Buffer.from(signatureId.replace(/-/g, ''), 'hex');
  if (id.length !== 16) throw new Error('a signature id is a UUID');
  return id;
}

function uuid(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export class ConfirmationTokens {
  readonly #key: Buffer;
  readonly #cipherKey: Buffer;

  constructor(key: Buffer) {
    this.#key = key;
    this.#cipherKey = createHmac('sha256', key).update('imlu:confirmation-id-cipher:v1').digest();
  }

  issue(signatureId: string): string {
    const cipher = createCipheriv('aes-256-ecb', this.#cipherKey, null).setAutoPadding(false);
    const sealed = Buffer.concat([cipher.update(idBytes(signatureId)), cipher.final()]);
    return `${sealed.toString('base64url')}.${this.#mac(sealed).toString('base64url')}`;
  }

  verify(token: string): TokenCheck {
    const [sealedText, macText, ...rest] = token.split('.');
    if (!sealedText || !macText || rest.length || !/^[\w-]+$/.test(sealedText) || !/^[\w-]+$/.test(macText)) {
      return { ok: false, reason: 'invalid' };
    }
    const sealed = Buffer.from(sealedText, 'base64url');
    const mac = Buffer.from(macText, 'base64url');
    if (sealed.length !== 16 || mac.length !== MAC_BYTES || !timingSafeEqual(mac, this.#mac(sealed))) {
      return { ok: false, reason: 'invalid' };
    }
    const decipher = createDecipheriv('aes-256-ecb', this.#cipherKey, null).setAutoPadding(false);
    return { ok: true, signatureId: uuid(Buffer.concat([decipher.update(sealed), decipher.final()])) };
  }

  /**
   * The 6-digit SMS code of a signature version: derived from its id and the code's generation under the
   * secret key, so nothing needs storing and a new code (next generation) makes the old one useless.
   * Guessing is bounded by the tries per code and per source, not by the code.
   */
  smsCode(signatureId: string, generation: number): string {
    const mac = createHmac('sha256', this.#key).update(`sms-code:${signatureId}:${generation}`).digest();
    return String(mac.readUInt32BE(0) % 1_000_000).padStart(6, '0');
  }

  #mac(sealed: Buffer): Buffer {
    return createHmac('sha256', this.#key).update('confirm:v2:').update(sealed).digest().subarray(0, MAC_BYTES);
  }
}
