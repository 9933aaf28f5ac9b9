/**
 * The `Idempotency-Key` of a request that writes. Its own module: only the lazily loaded signing chunk
 * sends writes, and a module shared with embed.js would be split into a third file (see petition/signing.ts).
 */
/**
 * A v4 UUID for the `Idempotency-Key` header. `crypto.randomUUID` exists only in secure contexts, and a
 * partner page may still be served over plain http, so fall back to `getRandomValues`, which is everywhere:
 * 16 random bytes as hex, with the version (4) and variant (10xx) bits set, grouped 8-4-4-4-12.
 */
export function newIdempotencyKey(): string {
  return (
    crypto.randomUUID?.() ??
    Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte, i) =>
      ((i === 6 ? (byte & 15) | 64 : i === 8 ? (byte & 63) | 128 : byte) + 256).toString(16).slice(1),
    )
      .join('')
      .replace(/(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-')
  );
}
