import type { Context } from 'hono';
import type { AppRouteHandler } from '../http/context.ts';
import { negotiateEncoding, variantEtag } from '../http/compression.ts';
import { notModified } from '../http/etag.ts';
import { ProblemError } from '../http/problem.ts';
import type { getEmbedScript, getWidgetChunk } from './widget.routes.ts';
import type { BundleFile, WidgetBundle } from './widget-bundle.ts';

/**
 * embed.js is not a content-hashed URL (partners link to it by name), so no `immutable`: a release must
 * reach partner pages within minutes, and a returning visitor revalidates with a 304.
 */
export const EMBED_CACHE_CONTROL = 'public, max-age=300, stale-while-revalidate=86400, stale-if-error=604800';
/** Chunks have content-hashed names: a new release is a new URL, so this one can be kept forever. */
export const CHUNK_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/**
 * A widget file in the encoding the request accepts, from the bytes the build precompressed
 * (widget-bundle.ts): brotli, gzip or as it is, with the variant's own ETag and `Vary: Accept-Encoding`.
 * The compression middleware leaves an answer with a Content-Encoding alone.
 */
export function bundleFileResponse(c: Context, file: BundleFile, cacheControl: string): Response {
  const encoding = negotiateEncoding(c.req.header('Accept-Encoding'));
  const etag = encoding ? variantEtag(file.etag, encoding) : file.etag;
  const headers: Record<string, string> = { ETag: etag, 'Cache-Control': cacheControl, Vary: 'Accept-Encoding' };
  if (notModified(c.req.header('If-None-Match'), file.etag)) return c.body(null, 304, headers);
  if (encoding) headers['Content-Encoding'] = encoding;
  headers['Content-Type'] = 'text/javascript; charset=utf-8';
  return c.body(encoding ? file.encoded[encoding] : file.body, 200, headers);
}

export function getEmbedScriptHandler(bundle: WidgetBundle): AppRouteHandler<typeof getEmbedScript> {
  return async (c) => {
    const file = await bundle.read();
    if (!file) throw new ProblemError('unavailable', { detail: 'The widget bundle has not been built.' });
    return bundleFileResponse(c, file, EMBED_CACHE_CONTROL) as never;
  };
}

export function getWidgetChunkHandler(bundle: WidgetBundle): AppRouteHandler<typeof getWidgetChunk> {
  return async (c) => {
    const file = await bundle.readChunk(c.req.valid('param').name);
    if (!file) throw new ProblemError('not-found');
    return bundleFileResponse(c, file, CHUNK_CACHE_CONTROL) as never;
  };
}
