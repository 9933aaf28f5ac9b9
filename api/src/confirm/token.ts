/**
 * Confirmation link tokens: `<payload>.<mac>`, both base64url. The payload is the signature id (16 random
 * bytes, no personal data) and an expiry in seconds; the MAC is HMAC-SHA256 under a key derived from the
 * blind-index key, truncated to 128 bits. A token cannot be forged or extended without the key, and it
 * is single-use by the database, not by itself: confirming changes `pending` to `counted` once.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const MAC_BYTES = 16;

export type TokenCheck = { ok: true; signatureId: string } | { ok: false; reason: 'invalid' | 'expired' };

/** A key for confirmation tokens only, derived so that no MAC of another purpose can be replayed here. */
export function deriveConfirmationKey(blindIndexKey: Buffer): Buffer {
  return createHmac('sha256', blindIndexKey).update('imlu:confirmation-token-key:v1').digest();
}

export class ConfirmationTokens {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    this.#key = key;
  }

  issue(signatureId: string, expiresAt: number): string {
    const id = Buffer.from(signatureId.replace(/-/g, ''), 'hex');
    if (id.length !== 16) throw new Error('a signature id is a UUID');
    const payload = Buffer.alloc(20);
    id.copy(payload, 0);
    payload.writeUInt32BE(Math.ceil(expiresAt / 1000), 16);
    return `${payload.toString('base64url')}.${this.#mac(payload).toString('base64url')}`;
  }

  verify(token: string, now: number): TokenCheck {
    const [payloadText, macText, ...rest] = token.split('.');
    if (!payloadText || !macText || rest.length || !/^[\w-]+$/.test(payloadText) || !/^[\w-]+$/.test(macText)) {
      return { ok: false, reason: 'invalid' };
    }
    const payload = Buffer.from(payloadText, 'base64url');
    const mac = Buffer.from(macText, 'base64url');
    if (payload.length !== 20 || mac.length !== MAC_BYTES || !timingSafeEqual(mac, this.#mac(payload))) {
      return { ok: false, reason: 'invalid' };
    }
    if (payload.readUInt32BE(16) * 1000 <= now) return { ok: false, reason: 'expired' };
    const hex = payload.subarray(0, 16).toString('hex');
    return {
      ok: true,
      signatureId: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
    };
  }

  /**
   * The 6-digit SMS code of a signature: derived from its id under the secret key, so re-sends carry the
   * same code and nothing needs storing. Guessing is bounded by the attempt limit, not by the code.
   */
  smsCode(signatureId: string): string {
    const mac = createHmac('sha256', this.#key).update(`sms-code:${signatureId}`).digest();
    return String(mac.readUInt32BE(0) % 1_000_000).padStart(6, '0');
  }

  #mac(payload: Buffer): Buffer {
    return createHmac('sha256', this.#key).update('confirm:').update(payload).digest().subarray(0, MAC_BYTES);
  }
}
