/**
 * The demo's partner site: a tiny static server for `examples/partner-site/` and the widget bundle, on a
 * different port (so a different origin) from the API, as a real partner site would be.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Hono, type Context } from 'hono';
import { REPO_ROOT } from '../config/env.ts';
import { WidgetBundle, WIDGET_BUNDLE } from '../widget/widget-bundle.ts';

export const PARTNER_SITE_DIR = path.join(REPO_ROOT, 'examples', 'partner-site');

/** The API origin written in the example page, replaced by the real one so that PORT is honoured. */
const PLACEHOLDER_API_ORIGIN = 'http://localhost:8787';

export interface PartnerSiteOptions {
  siteDir?: string;
  widgetBundle?: string;
  /** API port, known only once the API listens (PORT=0). */
  apiPort: () => number;
  /** Host for the API URL when the request's Host header is unusable. */
  fallbackHost: string;
}

const STATIC_FILES: Record<string, string> = {
  '/site.css': 'text/css; charset=utf-8',
  '/site.js': 'text/javascript; charset=utf-8',
};

export function partnerSiteApp(options: PartnerSiteOptions): Hono {
  const siteDir = options.siteDir ?? PARTNER_SITE_DIR;
  const widgetBundle = options.widgetBundle ?? WIDGET_BUNDLE;
  const app = new Hono();
  // Files are read on every request: this is a development server, and edits should show on reload.
  app.use(async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-cache');
  });

  const indexPage = async (c: Context) => {
    // Point the page at the API on the host name the browser used (localhost, 127.0.0.1 or a LAN
    // address), so that the page and the API agree on what "this machine" is called.
    const requestHost = new URL(c.req.url).hostname;
    const host = /^[a-z0-9.-]+$/i.test(requestHost) || /^\[[0-9a-f:.]+\]$/i.test(requestHost) ? requestHost : options.fallbackHost;
    const html = await readFile(path.join(siteDir, 'index.html'), 'utf8');
    return c.html(html.replaceAll(PLACEHOLDER_API_ORIGIN, `http://${host}:${options.apiPort()}`));
  };
  app.get('/', indexPage);
  app.get('/index.html', indexPage);

  for (const [route, type] of Object.entries(STATIC_FILES)) {
    app.get(route, async (c) => c.body(await readFile(path.join(siteDir, route.slice(1))), 200, { 'Content-Type': type }));
  }

  const bundle = new WidgetBundle(widgetBundle);
  app.get('/embed.js', async (c) => {
    const file = await bundle.read();
    if (!file) {
      return c.text(
        'The widget bundle has not been built yet.\nRun `pnpm --filter @imlu/widget build`, then reload this page.\n',
        503,
      );
    }
    return c.body(file.body, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  });
  return app;
}
