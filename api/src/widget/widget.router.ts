import { createRouter } from '../http/openapi.ts';
import { getEmbedScriptHandler, getWidgetChunkHandler } from './widget.handlers.ts';
import { getEmbedScript, getWidgetChunk } from './widget.routes.ts';
import type { WidgetBundle } from './widget-bundle.ts';

/** The widget bundle and its lazily loaded chunks, mounted at `/`. */
export function widgetRouter(bundle: WidgetBundle) {
  return createRouter()
    .openapi(getEmbedScript, getEmbedScriptHandler(bundle))
    .openapi(getWidgetChunk, getWidgetChunkHandler(bundle));
}
