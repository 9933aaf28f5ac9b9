import { createRouter } from '../http/openapi.ts';
import { getEmbedScriptHandler } from './widget.handlers.ts';
import { getEmbedScript } from './widget.routes.ts';
import type { WidgetBundle } from './widget-bundle.ts';

/** The widget bundle, mounted at `/`. */
export function widgetRouter(bundle: WidgetBundle) {
  return createRouter().openapi(getEmbedScript, getEmbedScriptHandler(bundle));
}
