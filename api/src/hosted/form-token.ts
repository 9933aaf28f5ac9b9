/**
 * Anti-forgery for the hosted form, without cookies or server state.
 *
 * Each rendered form carries `v1.<issued-at>.<mac>`, an HMAC over the campaign slug and the time the form
 * was issued, under a key derived (HKDF) from the blind-index key, so no new secret has to be configured
 * and the token key is useless for anything else. A POST is accepted only with a token this server issued
 * for this campaign within the last two hours, and each token signs once.
 *
 * Why no cookie: there is no session and no login, so a forged post carries no ambient authority — what a
 * cross-site form could do, any script could do by posting directly. What we must stop is other sites
 * making their visitors' browsers sign (or sign unknowingly). Browsers tell us that themselves:
 * `Sec-Fetch-Site` and `Origin` (see `isCrossSitePost`), refused outright. The token covers browsers that
 * send neither (old feature-phone browsers) by requiring a form that came from our page, and it keeps a
 * cookie — something stored on a shared phone that says "this person visited a petition about torture" —
 * out of the picture.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * A form left open longer than this must be sent again (the page re-renders it with the values kept). Two
 * hours is ample for reading and filling the form on a slow phone, and short enough that a token fetched
 * once is not a long-lived licence to post (it is also single-use: see `hosted.router.ts`).
 */
export const FORM_TOKEN_TTL_MS = 2 * 60 * 60 * 1000;
/** Clock skew tolerated between API nodes for a token issued "in the future". */
const MAX_SKEW_MS = 5 * 60 * 1000;
const MAC_CHARS = 22; // 132 bits of base64url

export function deriveFormTokenKey(blindIndexKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', blindIndexKey, Buffer.alloc(0), 'imlu:hosted-form-token:v1', 32));
}

function mac(key: Buffer, slug: string, issuedAt: string): string {
  return createHmac('sha256', key).update(`${slug}:${issuedAt}`).digest('base64url').slice(0, MAC_CHARS);
}

export function issueFormToken(key: Buffer, slug: string, now: number): string {
  const issuedAt = Math.floor(now).toString(36);
  return `v1.${issuedAt}.${mac(key, slug, issuedAt)}`;
}

/** When a token (already verified) was issued, in ms since the epoch. */
export function formTokenIssuedAt(token: string): number {
  return parseInt(token.split('.')[1] ?? '', 36);
}

export function verifyFormToken(key: Buffer, slug: string, token: string | undefined, now: number): boolean {
  if (typeof token !== 'string' || token.length > 64) return false;
  const [version, issuedAt, given, ...rest] = token.split('.');
  if (version !== 'v1' || !issuedAt || !given || rest.length || !/^[0-9a-z]{1,12}$/.test(issuedAt)) return false;
  const expected = Buffer.from(mac(key, slug, issuedAt));
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return false;
  const issued = parseInt(issuedAt, 36);
  return issued <= now + MAX_SKEW_MS && now - issued <= FORM_TOKEN_TTL_MS;
}

/**
 * True when the browser says this POST comes from another site. `Sec-Fetch-Site` decides when present
 * (browsers set it and pages cannot): only `same-origin` and `none` (a typed URL, a bookmark) pass.
 * Without it, an `Origin` that is not this host refuses, `null` included (sandboxed frames, data:
 * pages). Browsers that send neither header pass here and rely on the token.
 */
export function isCrossSitePost(
  headers: { get(name: string): string | null | undefined },
  requestUrl: string,
  options: { allowNullOrigin?: boolean } = {},
): boolean {
  const site = headers.get('Sec-Fetch-Site');
  if (site) return site !== 'same-origin' && site !== 'none';
  const origin = headers.get('Origin');
  if (origin === null || origin === undefined) return false;
  // A page sent with `Referrer-Policy: no-referrer` makes some browsers post `Origin: null` from itself.
  if (origin === 'null' && options.allowNullOrigin) return false;
  try {
    // Host only: behind a TLS-terminating proxy the scheme the server sees differs from the browser's.
    return new URL(origin).host !== new URL(requestUrl).host;
  } catch {
    return true;
  }
}
