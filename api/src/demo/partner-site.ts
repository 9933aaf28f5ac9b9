/**
 * The demo's partner site: a tiny static server for the example pages and the widget bundle, on a
 * different port (so a different origin) from the API, as a real partner site would be.
 *
 * - `/` is `examples/partner-site/` (its `site.css`, `site.js` at the root too);
 * - `/<name>/…` is `examples/<name>/` for every example directory — or its `dist/` when it has a built
 *   `dist/index.html` (the React example);
 * - `/embed.js` is the widget bundle, `/chunks/<name>.js` the parts it imports once a signer touches a form.
 *
 * The API origin written in the example files (`http://localhost:8787`) is replaced by the real one, so
 * that PORT is honoured. An example may list extra response headers (e.g. a Content-Security-Policy) in an
 * `_headers` file of `Name: value` lines, applied to every file it serves.
 *
 * Text is sent compressed as the API sends it (http/compression.ts), and the widget's files from their
 * precompressed forms, so that what the demo measures on a slow link is what a real partner would serve.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Hono, type Context } from 'hono';
import { REPO_ROOT } from '../config/env.ts';
import { compression } from '../http/compression.ts';
import { bundleFileResponse } from '../widget/widget.handlers.ts';
import { WidgetBundle, WIDGET_BUNDLE } from '../widget/widget-bundle.ts';

export const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');
export const PARTNER_SITE_DIR = path.join(EXAMPLES_DIR, 'partner-site');

/** The API origin written in the example pages, replaced by the real one so that PORT is honoured. */
const PLACEHOLDER_API_ORIGIN = 'http://localhost:8787';

export interface PartnerSiteOptions {
  siteDir?: string;
  /** Directory whose sub-directories are served at `/<name>/`. Default `examples/`. */
  examplesDir?: string;
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

/** What the example server hands out; anything else (TypeScript, PHP, tests, `_headers`) is a 404. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};
const TEXT_TYPES = new Set(['.html', '.css', '.js', '.mjs', '.json', '.svg']);
/** Directories under examples/ that are not examples. */
const NOT_EXAMPLES = new Set(['test', 'node_modules']);

export function partnerSiteApp(options: PartnerSiteOptions): Hono {
  const siteDir = options.siteDir ?? PARTNER_SITE_DIR;
  const examplesDir = options.examplesDir ?? EXAMPLES_DIR;
  const widgetBundle = options.widgetBundle ?? WIDGET_BUNDLE;
  const app = new Hono();
  app.use(compression());
  // Files are read on every request: this is a development server, and edits should show on reload.
  app.use(async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-cache');
  });

  // Point the pages at the API on the host name the browser used (localhost, 127.0.0.1 or a LAN
  // address), so that the page and the API agree on what "this machine" is called.
  const apiOrigin = (c: Context) => {
    const requestHost = new URL(c.req.url).hostname;
    const host = /^[a-z0-9.-]+$/i.test(requestHost) || /^\[[0-9a-f:.]+\]$/i.test(requestHost) ? requestHost : options.fallbackHost;
    return `http://${host}:${options.apiPort()}`;
  };

  const indexPage = async (c: Context) => {
    const html = await readFile(path.join(siteDir, 'index.html'), 'utf8');
    return c.html(html.replaceAll(PLACEHOLDER_API_ORIGIN, apiOrigin(c)));
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
    return bundleFileResponse(c, file, 'no-cache');
  });
  // Only names the widget build writes (WidgetBundle.readChunk refuses any other, so no path gets through).
  app.get('/chunks/:name', async (c) => {
    const file = await bundle.readChunk(c.req.param('name'));
    if (!file) return c.notFound();
    return bundleFileResponse(c, file, 'no-cache');
  });

  const exampleDir = (name: string): string | undefined => {
    if (NOT_EXAMPLES.has(name)) return undefined;
    const dir = path.join(examplesDir, name);
    return existsSync(dir) && statSync(dir).isDirectory() ? dir : undefined;
  };

  app.get('/:name{[a-z0-9-]+}', (c) => (exampleDir(c.req.param('name')) ? c.redirect(`/${c.req.param('name')}/`) : c.notFound()));

  app.get('/:name{[a-z0-9-]+}/*', async (c) => {
    const name = c.req.param('name');
    const dir = exampleDir(name);
    if (!dir) return c.notFound();
    // A built example (React) is served from its dist/; one that needs a build and has none says so.
    const built = existsSync(path.join(dir, 'dist', 'index.html'));
    if (!built && existsSync(path.join(dir, 'vite.config.ts'))) {
      return c.text(`This example is built with Vite.\nRun \`pnpm --filter @imlu/examples build\`, then reload this page.\n`, 503);
    }
    const root = built ? path.join(dir, 'dist') : dir;
    let rest: string;
    try {
      rest = decodeURIComponent(c.req.path.slice(name.length + 2)) || 'index.html';
    } catch {
      return c.notFound();
    }
    if (rest.endsWith('/')) rest += 'index.html';
    const segments = rest.split('/');
    if (segments.some((s) => s === '' || s.startsWith('.') || s === 'node_modules' || s === 'src' || s === 'test')) return c.notFound();
    const file = path.join(root, ...segments);
    const ext = path.extname(file);
    const type = CONTENT_TYPES[ext];
    if (!type || !file.startsWith(root + path.sep) || !existsSync(file) || !statSync(file).isFile()) return c.notFound();

    const origin = apiOrigin(c);
    const headers: Record<string, string> = { 'Content-Type': type, ...(await exampleHeaders(dir, origin)) };
    if (TEXT_TYPES.has(ext)) {
      const text = await readFile(file, 'utf8');
      return c.body(text.replaceAll(PLACEHOLDER_API_ORIGIN, origin), 200, headers);
    }
    return c.body(await readFile(file), 200, headers);
  });
  return app;
}

/** `Name: value` lines of an example's `_headers` file (blank lines and `#` comments ignored). */
async function exampleHeaders(dir: string, apiOrigin: string): Promise<Record<string, string>> {
  const file = path.join(dir, '_headers');
  if (!existsSync(file)) return {};
  const headers: Record<string, string> = {};
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    const colon = trimmed.indexOf(':');
    if (colon <= 0) continue;
    headers[trimmed.slice(0, colon).trim()] = trimmed.slice(colon + 1).trim().replaceAll(PLACEHOLDER_API_ORIGIN, apiOrigin);
  }
  return headers;
}
