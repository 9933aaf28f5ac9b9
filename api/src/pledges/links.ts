/**
 * The supporter's pledge link (`/p/<token>`, issue 16): what a reminder carries so the supporter can say
 * "I can't make it" or "I did it" without an account. The token is one signature's id, sealed and MACed
 * exactly like a confirmation token (src/confirm/token.ts: opaque, unforgeable), under a key of its own, so
 * a confirmation link cannot be turned into a pledge link or the other way round. It holds no expiry: it
 * works while its signature counts, and stops when the signature is withdrawn, erased or deleted at retention.
 * It is a bearer secret: the page sends `Referrer-Policy: no-referrer` and nothing logs its path.
 */
import { createHmac } from 'node:crypto';
import type { Locale } from '@imlu/contracts';
import { ConfirmationTokens } from '../confirm/token.ts';

/** The pledge-link key, derived from the blind-index key for this purpose only. */
export function derivePledgeLinkKey(blindIndexKey: Buffer): Buffer {
  return createHmac('sha256', blindIndexKey).update('imlu:pledge-link:v1').digest();
}

/** Issues and checks pledge-link tokens (`issue(signatureId)`, `verify(token)`). */
export function pledgeLinkTokens(blindIndexKey: Buffer): ConfirmationTokens {
  return new ConfirmationTokens(derivePledgeLinkKey(blindIndexKey));
}

/** The token of one signature's pledge page. */
export function pledgeLinkToken(tokens: ConfirmationTokens, signatureId: string): string {
  return tokens.issue(signatureId);
}

/** `<base>/p/<token>?lang=<locale>`: the page in the supporter's language. */
export function pledgeLinkUrl(publicBaseUrl: string, token: string, locale: Locale): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/p/${token}?lang=${locale}`;
}
