/**
 * `GET /console/preview/{slug}?lang=`: the campaign's petition widget as a partner page embeds it — the
 * same `<script type="module" src="…/embed.js">` and `<imlu-petition>` — for the console's preview frames.
 *
 * A page of its own rather than the element inside the console: the widget's loader (embed.js) finds its
 * elements in the document, not inside other components' shadow roots, where the console's views live.
 * Nothing in it is private: it shows what any visitor of a partner site sees (a draft is not public, so
 * the widget says the campaign is not found). Only this origin may frame it.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { LOCALES, SlugSchema } from '@imlu/contracts';
import { respond } from '../http/headers.ts';
import { createRouter, problemResponses } from '../http/openapi.ts';
import { esc } from '../hosted/render.ts';

export const PREVIEW_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
].join('; ');

export function widgetPreviewRouter() {
  const preview = createRoute({
    method: 'get',
    path: '/console/preview/{slug}',
    tags: ['console'],
    summary: "The campaign's petition widget as a partner page embeds it, for the console's preview (framed by this origin only)",
    request: {
      params: z.object({ slug: SlugSchema }),
      query: z.object({ lang: z.enum(LOCALES).default('en').meta({ description: 'The widget’s language' }) }),
    },
    responses: {
      200: { description: 'An HTML page with embed.js and `<imlu-petition>`', content: { 'text/html': { schema: z.string() } } },
      ...problemResponses(404, 422),
    },
  });
  return createRouter().openapi(preview, (c) => {
    const { slug } = c.req.valid('param');
    const { lang } = c.req.valid('query');
    const api = apiOrigin(new URL(c.req.url), c.var.services.publicBaseUrl());
    const page =
      `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">` +
      '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">' +
      `<title>${esc(slug)}</title><script type="module" src="/embed.js"></script></head>` +
      `<body><imlu-petition campaign="${esc(slug)}" api="${esc(api)}" lang="${lang}"></imlu-petition></body></html>`;
    return respond(c, page, 200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': PREVIEW_CSP,
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
    }) as never;
  });
}

/**
 * The API's origin as the browser addressed it. Behind a TLS proxy the request arrives as plain http, so
 * PUBLIC_BASE_URL's origin wins when it names the same host: an http:// widget API in an https page
 * would be blocked as mixed content.
 */
function apiOrigin(requested: URL, publicBaseUrl: string): string {
  try {
    const configured = new URL(publicBaseUrl);
    if (configured.host === requested.host) return configured.origin;
  } catch {
    // An unparseable base URL: the request's own origin.
  }
  return requested.origin;
}
