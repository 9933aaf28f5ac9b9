/** Strong ETags and conditional GETs, shared by every cacheable response of the API. */
import { createHash } from 'node:crypto';

/** A strong ETag derived from the representation's bytes. */
export function strongEtag(body: string | Uint8Array): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
}

/** A compressed variant's ETag is the identity one with this suffix inside the quotes (./compression.ts). */
const VARIANT_SUFFIX = /-(?:br|gz)"$/;

/**
 * Whether `If-None-Match` names this ETag (weak comparison, as RFC 9110 prescribes for this header), or
 * the ETag of one of its compressed variants: the client holds the same content, in whichever encoding
 * the compression middleware gave it, and that middleware names the right variant in the 304.
 */
export function notModified(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  // What a browser or CDN sends back: the one ETag it was given.
  if (ifNoneMatch === etag) return true;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((tag) => {
    const opaque = tag.trim().replace(/^W\//, '');
    return opaque === etag || opaque.replace(VARIANT_SUFFIX, '"') === etag;
  });
}
