import type { AppRouteHandler } from '../http/context.ts';
import { notModified } from '../http/etag.ts';
import { ProblemError } from '../http/problem.ts';
import type { getEmbedScript, getWidgetChunk } from './widget.routes.ts';
import type { WidgetBundle } from './widget-bundle.ts';

export function getEmbedScriptHandler(bundle: WidgetBundle): AppRouteHandler<typeof getEmbedScript> {
  return async (c) => {
    const file = await bundle.read();
    if (!file) throw new ProblemError('unavailable', { detail: 'The widget bundle has not been built.' });
    const headers = {
      ETag: file.etag,
      // Not a content-hashed URL, so no `immutable`: a release must reach partner pages within minutes.
      'Cache-Control': 'public, max-age=300, stale-while-revalidate=86400, stale-if-error=604800',
    };
    if (notModified(c.req.header('If-None-Match'), file.etag)) return c.body(null, 304, headers);
    return c.body(file.body, 200, { ...headers, 'Content-Type': 'text/javascript; charset=utf-8' });
  };
}

export function getWidgetChunkHandler(bundle: WidgetBundle): AppRouteHandler<typeof getWidgetChunk> {
  return async (c) => {
    const file = await bundle.readChunk(c.req.valid('param').name);
    if (!file) throw new ProblemError('not-found');
    // Content-hashed names: a new release is a new URL, so this one can be kept forever.
    const headers = { ETag: file.etag, 'Cache-Control': 'public, max-age=31536000, immutable' };
    if (notModified(c.req.header('If-None-Match'), file.etag)) return c.body(null, 304, headers);
    return c.body(file.body, 200, { ...headers, 'Content-Type': 'text/javascript; charset=utf-8' });
  };
}
