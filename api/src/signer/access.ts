/**
 * Proof of a contact, without server state: what lets a signer manage their signatures (`/me`).
 *
 * A signer proves a phone number or e-mail address by receiving a message at it. The message carries a
 * 6-digit code and a private link; either one opens the manage page for one hour. Nothing about the request
 * is stored except the tries of its code (`code_attempts`, keyed by a random nonce):
 *
 * - a **request** (`POST /me`) is sealed into the code form as a hidden field: the contact, the expiry and a
 *   random nonce. The code is an HMAC of the nonce and the contact under a server key, so the message sender
 *   (the outbox, which knows the contact and the nonce) and the code form (which gets the sealed request
 *   back) compute the same code without sharing anything else;
 * - a **session** (the link in the message, and where a right code leads) is sealed into the URL
 *   `/me/<token>`: the contact, the page language and the expiry.
 *
 * Sealing is AES-256-GCM with a fresh 96-bit IV under a key derived (HKDF) from the blind-index key, with
 * the purpose (`request`, `session`) as associated data: a token is opaque (no contact, no readable time),
 * cannot be forged or altered, and a request token cannot be used as a session. Tokens are bearer secrets
 * for an hour; the pages that carry them in their URL send `Referrer-Policy: no-referrer`.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { Locale } from '@imlu/contracts';
import { randomBytesPooled } from '../signing/random.ts';

/** How long a code, a link and a session after a right code work. */
export const MANAGE_TTL_MS = 60 * 60 * 1000;

/** A contact as proved: a phone number in E.164, or an e-mail address in its canonical form (`canonicalEmail`). */
export interface Contact {
  kind: 'phone' | 'email';
  value: string;
}

export interface RequestClaim {
  contact: Contact;
  expiresAt: number;
  /** 8 random bytes, hex: the code's salt and the key of its tries in `code_attempts`. */
  nonce: string;
}

export interface SessionClaim {
  contact: Contact;
  locale: Locale;
  expiresAt: number;
}

type Purpose = 'request' | 'session';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const NONCE_BYTES = 8;

export function deriveManageKey(blindIndexKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', blindIndexKey, Buffer.alloc(0), 'imlu:manage-my-signature:v1', 32));
}

export class SignerAccess {
  readonly #sealKey: Buffer;
  readonly #codeKey: Buffer;
  readonly #contactKey: Buffer;

  constructor(key: Buffer) {
    const sub = (label: string) => createHmac('sha256', key).update(label).digest();
    this.#sealKey = sub('seal');
    this.#codeKey = sub('code');
    this.#contactKey = sub('contact');
  }

  /** A request for a code: sealed into the code form; `nonce` ties the code to this request only. */
  request(contact: Contact, expiresAt: number): { token: string; nonce: string } {
    const nonce = Buffer.from(randomBytesPooled(NONCE_BYTES));
    return { token: this.#seal('request', contact, expiresAt, nonce), nonce: nonce.toString('hex') };
  }

  openRequest(token: unknown, now: number): RequestClaim | 'expired' | undefined {
    const opened = this.#open('request', token);
    if (!opened || opened.extra.length !== NONCE_BYTES) return undefined;
    if (opened.expiresAt <= now) return 'expired';
    return { contact: opened.contact, expiresAt: opened.expiresAt, nonce: opened.extra.toString('hex') };
  }

  /** The token of a session: the private link in a message, and where a right code leads. */
  session(contact: Contact, locale: Locale, expiresAt: number): string {
    return this.#seal('session', contact, expiresAt, Buffer.from([locale === 'sw' ? 1 : 0]));
  }

  openSession(token: unknown, now: number): SessionClaim | 'expired' | undefined {
    const opened = this.#open('session', token);
    if (!opened || opened.extra.length !== 1) return undefined;
    if (opened.expiresAt <= now) return 'expired';
    return { contact: opened.contact, locale: opened.extra[0] === 1 ? 'sw' : 'en', expiresAt: opened.expiresAt };
  }

  /** The 6-digit code of a request. Guessing is bounded by the tries per request and per source, not by the code. */
  code(nonce: string, contact: Contact): string {
    const mac = createHmac('sha256', this.#codeKey).update(`manage-code:${nonce}:${contact.kind}:${contact.value}`).digest();
    return String(mac.readUInt32BE(0) % 1_000_000).padStart(6, '0');
  }

  /** Compares a typed code with the request's, in constant time. */
  codeMatches(typed: string, nonce: string, contact: Contact): boolean {
    const expected = Buffer.from(this.code(nonce, contact));
    const given = Buffer.from(typed.padEnd(6, ' ').slice(0, 6));
    return timingSafeEqual(given, expected);
  }

  /**
   * The keyed hash that caps manage messages to one contact per campaign (`outbox.contact_hmac`). It differs
   * from the confirmation messages' hash on purpose: asking for manage links must not use up the
   * confirmations a signer needs, nor the other way round.
   */
  contactHash(campaignId: string, contact: Contact): Buffer {
    return createHmac('sha256', this.#contactKey).update(`${campaignId}:${contact.kind}:${contact.value}`).digest();
  }

  #seal(purpose: Purpose, contact: Contact, expiresAt: number, extra: Buffer): string {
    // Layout: kind (1 byte) · expiry in seconds (4) · extra length (1) · extra · the contact (UTF-8).
    const head = Buffer.alloc(6);
    head[0] = contact.kind === 'phone' ? 1 : 2;
    head.writeUInt32BE(Math.min(0xffffffff, Math.ceil(expiresAt / 1000)), 1);
    head[5] = extra.length;
    const plaintext = Buffer.concat([head, extra, Buffer.from(contact.value, 'utf8')]);
    const iv = randomBytesPooled(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#sealKey, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(`imlu:manage:${purpose}`));
    const sealed = Buffer.concat([iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    return sealed.toString('base64url');
  }

  #open(purpose: Purpose, token: unknown): { contact: Contact; expiresAt: number; extra: Buffer } | undefined {
    if (typeof token !== 'string' || token.length > 600 || !/^[\w-]+$/.test(token)) return undefined;
    const sealed = Buffer.from(token, 'base64url');
    if (sealed.length < IV_BYTES + TAG_BYTES + 7) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#sealKey, sealed.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(`imlu:manage:${purpose}`));
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      const plaintext = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
      const kind = plaintext[0] === 1 ? 'phone' : plaintext[0] === 2 ? 'email' : undefined;
      const extraLength = plaintext[5]!;
      if (!kind || plaintext.length < 6 + extraLength + 1) return undefined;
      return {
        contact: { kind, value: plaintext.subarray(6 + extraLength).toString('utf8') },
        expiresAt: plaintext.readUInt32BE(1) * 1000,
        extra: plaintext.subarray(6, 6 + extraLength),
      };
    } catch {
      return undefined;
    }
  }
}
