/**
 * Brotli and gzip for every text answer of the API (JSON, problem+json, the HTML pages, scripts, styles,
 * the OpenAPI document), chosen from the request's Accept-Encoding. A signer on 2G pays for every byte.
 *
 * - Only text types, only bodies of at least `MIN_COMPRESS_BYTES` (below that the framing costs more than
 *   it saves), never an answer that already has a Content-Encoding (the widget's files are precompressed at
 *   build time and served as they are: widget/widget.handlers.ts) or says `no-transform`.
 * - A body is read whole before it is compressed, so an answer streamed to keep its memory flat (an export)
 *   must say `no-transform` (exports/exports.router.ts does).
 * - Every answer that could be compressed says `Vary: Accept-Encoding`, whatever this client asked for, so
 *   that no shared cache hands a brotli body to a client that cannot read it.
 * - A compressed variant is another representation, so it gets its own ETag: the identity one with
 *   `-br` or `-gz` inside the quotes. `notModified()` (./etag.ts) recognises both forms, so a 304 still
 *   comes from the handler's own comparison; the 304 then names the variant the client holds.
 * - Answers with an ETag (counts, campaigns, the board, the OpenAPI document) are compressed once per
 *   ETag and encoding and kept in a small cache: the counts, polled by every open page, are compressed
 *   at most once per snapshot, never per request. Answers without one are compressed per request at a
 *   quicker setting.
 */
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Context, MiddlewareHandler } from 'hono';
import { preparedParts, respondPrepared } from './headers.ts';

export type ContentEncoding = 'br' | 'gzip';

/** Below this many bytes a body goes out as it is. */
export const MIN_COMPRESS_BYTES = 1024;

/** The ETag suffix of each encoding's variant. */
const SUFFIX: Record<ContentEncoding, string> = { br: '-br', gzip: '-gz' };

/** Text types; images, fonts, archives and anything already compressed are left alone. */
const COMPRESSIBLE = /^(?:text\/|application\/(?:[\w.+-]*\+)?(?:json|javascript|xml)\b|image\/svg\+xml)/i;

export function isCompressible(contentType: string | null | undefined): boolean {
  return !!contentType && COMPRESSIBLE.test(contentType);
}

/**
 * The encoding to answer with for an Accept-Encoding header (RFC 9110 §12.5.3): the acceptable one with
 * the highest q, brotli before gzip on a tie; `*` stands for any encoding not named; undefined means the
 * identity body (also when nothing is acceptable: a client that refuses identity still gets an answer).
 */
export function negotiateEncoding(acceptEncoding: string | null | undefined): ContentEncoding | undefined {
  if (!acceptEncoding) return undefined;
  const q = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [token, ...params] = part.trim().toLowerCase().split(';');
    if (!token) continue;
    let weight = 1;
    for (const param of params) {
      const match = /^\s*q\s*=\s*(.*?)\s*$/.exec(param);
      if (match) weight = /^[01](?:\.\d{0,3})?$/.test(match[1]!) ? Number(match[1]) : NaN;
    }
    if (!Number.isFinite(weight) || weight < 0 || weight > 1) continue;
    q.set(token === 'x-gzip' ? 'gzip' : token, weight);
  }
  const weightOf = (encoding: ContentEncoding) => q.get(encoding) ?? q.get('*') ?? 0;
  const [br, gzip] = [weightOf('br'), weightOf('gzip')];
  if (br > 0 && br >= gzip) return 'br';
  if (gzip > 0) return 'gzip';
  return undefined;
}

/** `"abc"` → `"abc-br"`, `W/"abc"` → `W/"abc-br"`. */
export function variantEtag(etag: string, encoding: ContentEncoding): string {
  return etag.replace(/"$/, `${SUFFIX[encoding]}"`);
}

export function compress(body: Uint8Array, encoding: ContentEncoding, best: boolean): Uint8Array<ArrayBuffer> {
  const out =
    encoding === 'br'
      ? brotliCompressSync(body, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: best ? 11 : 5,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
          },
        })
      : gzipSync(body, { level: best ? 9 : 6 });
  return new Uint8Array(out.buffer as ArrayBuffer, out.byteOffset, out.length);
}

/** Compressed bodies by path, ETag and encoding; oldest out first once over either bound. */
class VariantCache {
  readonly #entries = new Map<string, Uint8Array<ArrayBuffer>>();
  #bytes = 0;

  constructor(
    readonly maxEntries = 512,
    readonly maxBytes = 16 * 1024 * 1024,
  ) {}

  get(key: string): Uint8Array<ArrayBuffer> | undefined {
    return this.#entries.get(key);
  }

  set(key: string, value: Uint8Array<ArrayBuffer>): void {
    if (value.length > this.maxBytes / 8) return;
    this.#entries.set(key, value);
    this.#bytes += value.length;
    for (const [oldest, body] of this.#entries) {
      if (this.#entries.size <= this.maxEntries && this.#bytes <= this.maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= body.length;
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}

/**
 * Hono's `c.res` setter copies every header of the previous answer onto the new one (and wraps it in
 * another Response): the old ETag, Vary and Content-Length would win. Clearing it first hands ours on as is.
 */
function replaceResponse(c: Context, response: Response): void {
  c.res = undefined;
  c.res = response;
}

function addVary(vary: string | undefined | null): string {
  if (!vary) return 'Accept-Encoding';
  if (vary.split(',').some((name) => ['accept-encoding', '*'].includes(name.trim().toLowerCase()))) return vary;
  return `${vary}, Accept-Encoding`;
}

/** Whether If-None-Match names `etag`'s variant for `encoding` (the client holds that compressed body). */
function holdsVariant(ifNoneMatch: string | undefined, etag: string, encoding: ContentEncoding): boolean {
  if (!ifNoneMatch) return false;
  const variant = variantEtag(etag, encoding).replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === variant);
}

export interface CompressionOptions {
  /** Bodies below this are sent as they are. Default `MIN_COMPRESS_BYTES`. */
  minBytes?: number;
  /** Paths whose answers are never compressed (pages that hold a secret beside text a third party chose: BREACH). */
  skip?: (path: string) => boolean;
  /** Called whenever a body is compressed (tests count how often). */
  onCompress?: (path: string, encoding: ContentEncoding) => void;
}

export function compression(options: CompressionOptions = {}): MiddlewareHandler {
  const minBytes = options.minBytes ?? MIN_COMPRESS_BYTES;
  const cache = new VariantCache();
  return async (c, next) => {
    await next();
    if (options.skip?.(c.req.path)) return;
    const res = c.res;
    const method = c.req.method;
    if (method !== 'GET' && method !== 'HEAD' && method !== 'POST' && method !== 'PUT' && method !== 'PATCH' && method !== 'DELETE') return;
    // Answers built by `respond()`: their parts are at hand, so nothing is read back from a Response.
    const parts = preparedParts(res);
    const header = (name: string): string | undefined =>
      parts ? parts.headers[name] : (res.headers.get(name) ?? undefined);
    const contentType = header('content-type');
    const status = res.status;

    if (status === 304) {
      // The handler matched an ETag; if it was a compressed variant's, the 304 names that variant.
      const etag = header('etag');
      const encoding = negotiateEncoding(c.req.header('Accept-Encoding'));
      if (!etag || !encoding || !holdsVariant(c.req.header('If-None-Match'), etag, encoding)) return;
      replaceResponse(c, rebuild(null, 304, (set) => {
        set('etag', variantEtag(etag, encoding));
        set('vary', addVary(header('vary')));
      }));
      return;
    }
    if (status === 204 || status < 200 || !isCompressible(contentType)) return;
    if (header('content-encoding') || /\bno-transform\b/i.test(header('cache-control') ?? '')) return;

    let body: Uint8Array<ArrayBuffer>;
    if (parts) {
      if (parts.body === null) return;
      body = typeof parts.body === 'string' ? new Uint8Array(Buffer.from(parts.body)) : parts.body;
    } else {
      if (!res.body) return;
      body = new Uint8Array(await res.arrayBuffer());
    }
    if (body.length < minBytes) {
      // Read back from a plain Response: hand the same bytes on.
      if (!parts) replaceResponse(c, rebuild(body, status, () => {}));
      return;
    }
    const encoding = negotiateEncoding(c.req.header('Accept-Encoding'));
    const vary = addVary(header('vary'));
    if (!encoding) {
      replaceResponse(c, rebuild(parts ? parts.body : body, status, (set) => set('vary', vary)));
      return;
    }
    const etag = header('etag');
    const key = etag ? `${encoding} ${c.req.path} ${etag} ${body.length}` : undefined;
    let compressed = key ? cache.get(key) : undefined;
    if (!compressed) {
      compressed = compress(body, encoding, !!key);
      options.onCompress?.(c.req.path, encoding);
      if (key) cache.set(key, compressed);
    }
    replaceResponse(c, rebuild(compressed, status, (set) => {
      set('vary', vary);
      set('content-encoding', encoding);
      set('content-length', undefined);
      if (etag) set('etag', variantEtag(etag, encoding));
    }));

    /** The answer with `body` and its headers changed by `change`: a prepared record stays one, a plain Response keeps every header (Set-Cookie too). */
    function rebuild(
      newBody: string | Uint8Array<ArrayBuffer> | null,
      newStatus: number,
      change: (set: (name: string, value: string | undefined) => void) => void,
    ): Response {
      if (parts) {
        const headers: Record<string, string> = { ...parts.headers };
        change((name, value) => (value === undefined ? delete headers[name] : (headers[name] = value)));
        return respondPrepared(newBody, newStatus, headers);
      }
      const headers = new Headers(res.headers);
      change((name, value) => (value === undefined ? headers.delete(name) : headers.set(name, value)));
      return new Response(newBody, { status: newStatus, statusText: res.statusText, headers });
    }
  };
}
