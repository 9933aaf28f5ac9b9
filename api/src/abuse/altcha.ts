/**
 * Optional proof of work for a campaign's signers: self-hosted ALTCHA (`altcha-lib`, its v1 SHA-256
 * protocol, which the widget solves with the same library in a chunk loaded on first interaction).
 *
 * A challenge is HMAC-signed and expires (`expires=` inside its salt, covered by the signature), so the
 * server keeps no state until a solution arrives. Each campaign signs its challenges with a key of its own
 * (derived from the campaign id), so a challenge fetched from one campaign does not verify for another: a
 * solution is work done for the campaign it is spent on, not for any campaign this server hosts.
 *
 * Each solved challenge is accepted once: its signature is spent in `altcha_spent` together with the keyed
 * hash of the Idempotency-Key that spent it, so a retry of the same submission after a dropped connection
 * goes through while a replay under another key does not.
 *
 * The hosted no-JavaScript page (`/c/:slug`) cannot run proof of work; feature phones rely on its form
 * token, the honeypot, the minimum fill time and the rate limits instead.
 */
import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { createChallenge, verifySolution } from 'altcha-lib/v1';
import type { AltchaChallenge } from '@imlu/contracts';
import type { Client } from '@libsql/client';
import { deleteInChunks } from '../db/client.ts';

export interface AltchaOptions {
  /** Upper bound of the secret number: the expected work is half of it (SHA-256 rounds). Default 50,000. */
  maxNumber?: number;
  /** How long a challenge may be solved and submitted. Default 10 minutes. */
  ttlMs?: number;
}

export const ALTCHA_DEFAULTS = { maxNumber: 50_000, ttlMs: 10 * 60_000 } as const;

export type AltchaVerdict = 'ok' | 'invalid' | 'replayed';

export class Altcha {
  readonly #masterKey: Buffer;
  readonly #maxNumber: number;
  readonly #ttlMs: number;

  constructor(
    blindIndexKey: Buffer,
    private readonly client: Client,
    private readonly now: () => number,
    options: AltchaOptions = {},
  ) {
    // A key of its own, derived from the blind-index key: nothing new to configure, useless for anything else.
    this.#masterKey = Buffer.from(hkdfSync('sha256', blindIndexKey, Buffer.alloc(0), 'imlu:altcha:v1', 32));
    this.#maxNumber = options.maxNumber ?? ALTCHA_DEFAULTS.maxNumber;
    this.#ttlMs = options.ttlMs ?? ALTCHA_DEFAULTS.ttlMs;
  }

  async challenge(campaignId: string): Promise<AltchaChallenge> {
    const { algorithm, challenge, maxnumber, salt, signature } = await createChallenge({
      hmacKey: this.#campaignKey(campaignId),
      maxnumber: this.#maxNumber,
      expires: new Date(this.now() + this.#ttlMs),
    });
    return { algorithm, challenge, salt, signature, ...(maxnumber === undefined ? {} : { maxnumber }) };
  }

  /**
   * Checks a base64 payload against the campaign it is submitted to and spends its challenge. `keyHmac` is
   * the keyed hash of the request's Idempotency-Key (null without one): the same key may present the same
   * solution again.
   */
  async verify(payload: string, campaignId: string, keyHmac: Uint8Array | null): Promise<AltchaVerdict> {
    let decoded: { signature?: unknown };
    try {
      decoded = JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as { signature?: unknown };
    } catch {
      return 'invalid';
    }
    if (typeof decoded.signature !== 'string' || !(await this.#verifySolution(payload, campaignId))) return 'invalid';
    // Expiry against our clock (injected in tests). `expires=` sits in the salt, which the signed
    // challenge covers, so it cannot be moved; a challenge without one was not made here.
    const expires = /[?&]expires=(\d+)/.exec(String((decoded as { salt?: unknown }).salt ?? ''))?.[1];
    if (!expires || Number(expires) * 1000 < this.now()) return 'invalid';
    const challengeHash = createHash('sha256').update(decoded.signature).digest();
    const key = keyHmac ? Buffer.from(keyHmac) : null;
    // Inserted, or already spent by this same idempotency key: a row comes back. Spent by another: none.
    const result = await this.client.execute({
      sql:
        'INSERT INTO altcha_spent (challenge_hash, key_hmac, expires_at) VALUES (?, ?, ?) ' +
        'ON CONFLICT (challenge_hash) DO UPDATE SET expires_at = altcha_spent.expires_at ' +
        'WHERE altcha_spent.key_hmac IS NOT NULL AND altcha_spent.key_hmac = excluded.key_hmac RETURNING 1',
      args: [challengeHash, key, this.now() + this.#ttlMs],
    });
    return result.rows.length === 1 ? 'ok' : 'replayed';
  }

  /** Deletes spent challenges that have expired; returns how many. */
  async prune(): Promise<number> {
    return deleteInChunks(this.client, 'altcha_spent', 'expires_at < ?', [this.now()]);
  }

  /** The campaign's own signing key: an HMAC of the campaign id, so no state and nothing to configure. */
  #campaignKey(campaignId: string): string {
    return createHmac('sha256', this.#masterKey).update(campaignId).digest('base64');
  }

  async #verifySolution(payload: string, campaignId: string): Promise<boolean> {
    try {
      return await verifySolution(payload, this.#campaignKey(campaignId), false);
    } catch {
      return false;
    }
  }
}
