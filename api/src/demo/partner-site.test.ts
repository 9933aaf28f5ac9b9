import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partnerSiteApp } from './partner-site.ts';

let dir: string;
let app: ReturnType<typeof partnerSiteApp>;

function write(file: string, text: string) {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), text);
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'imlu-examples-'));
  write('partner-site/index.html', '<p>partner http://localhost:8787</p>');
  write('hostile/index.html', '<script src="http://localhost:8787/embed.js"></script>');
  write('hostile/page.css', 'body{}');
  write('hostile/_headers', "# comment\nContent-Security-Policy: script-src 'self' http://localhost:8787\n");
  write('hostile/secret.ts', 'export {}');
  write('built/vite.config.ts', 'export default {}');
  write('built/dist/index.html', '<p>built</p>');
  write('built/src/App.tsx', 'x');
  write('unbuilt/vite.config.ts', 'export default {}');
  write('unbuilt/index.html', '<script src="/src/main.tsx"></script>');
  write('test/server.ts', 'x');
  write('widget/embed.js', 'import("./chunks/signing-Ab1.js");');
  write('widget/chunks/signing-Ab1.js', 'export const lazy = 1;');
  write('widget/notes.txt', 'private');
  app = partnerSiteApp({
    siteDir: path.join(dir, 'partner-site'),
    examplesDir: dir,
    widgetBundle: path.join(dir, 'widget/embed.js'),
    apiPort: () => 9999,
    fallbackHost: '127.0.0.1',
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const get = (url: string) => app.request(`http://127.0.0.1:8788${url}`);

describe('the demo example server', () => {
  it('serves the partner site at / and each example at /<name>/, with the real API origin', async () => {
    expect(await (await get('/')).text()).toBe('<p>partner http://127.0.0.1:9999</p>');
    const page = await get('/hostile/');
    expect(page.status).toBe(200);
    expect(page.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toBe('<script src="http://127.0.0.1:9999/embed.js"></script>');
    expect(page.headers.get('Content-Security-Policy')).toBe("script-src 'self' http://127.0.0.1:9999");
    expect((await get('/hostile/page.css')).headers.get('Content-Type')).toBe('text/css; charset=utf-8');
    expect((await get('/hostile')).headers.get('Location')).toBe('/hostile/');
  });

  it('serves a built example from dist/, and says how to build one that is not built', async () => {
    expect(await (await get('/built/')).text()).toBe('<p>built</p>');
    const unbuilt = await get('/unbuilt/');
    expect(unbuilt.status).toBe(503);
    expect(await unbuilt.text()).toContain('pnpm --filter @imlu/examples build');
  });

  it('hands out nothing else: sources, _headers, tests, dot-segments, unknown examples', async () => {
    for (const url of [
      '/hostile/secret.ts',
      '/hostile/_headers',
      '/built/src/App.tsx',
      '/test/server.ts',
      // (Plain and %2e dot-segments are resolved by URL parsing before routing; encoded slashes are not.)
      '/hostile/..%2f..%2fpackage.json',
      '/hostile/..%2fpartner-site%2findex.html',
      '/hostile/%2e%2e%2fhostile%2f_headers',
      '/nope/',
    ]) {
      expect((await get(url)).status, url).toBe(404);
    }
  });

  it('serves embed.js and the chunks it imports, and nothing else beside them', async () => {
    expect(await (await get('/embed.js')).text()).toContain('./chunks/signing-Ab1.js');
    const chunk = await get('/chunks/signing-Ab1.js');
    expect(chunk.status).toBe(200);
    expect(chunk.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8');
    expect(await chunk.text()).toBe('export const lazy = 1;');
    for (const url of ['/chunks/missing.js', '/chunks/..%2Fnotes.txt', '/chunks/..%2Fembed.js', '/chunks/notes.txt']) {
      expect((await get(url)).status, url).toBe(404);
    }
  });
});

describe('compression, as a real partner site would serve it', () => {
  it('sends the example pages in brotli or gzip, and the widget from its precompressed files', async () => {
    const page = `<p>${'Simama na manusura wa ukatili wa kingono. '.repeat(60)} http://localhost:8787</p>`;
    write('long/index.html', page);
    const response = await app.request('/long/', { headers: { 'Accept-Encoding': 'gzip, br' } });
    expect(response.headers.get('Content-Encoding')).toBe('br');
    expect(response.headers.get('Vary')).toMatch(/Accept-Encoding/);
    expect(brotliDecompressSync(Buffer.from(await response.arrayBuffer())).toString()).toBe(page.replace('http://localhost:8787', 'http://localhost:9999'));

    const script = `export const text = ${JSON.stringify('x y z '.repeat(400))};`;
    write('widget/chunks/imlu-petition-Zz9.js', script);
    writeFileSync(path.join(dir, 'widget/chunks/imlu-petition-Zz9.js.gz'), gzipSync(script, { level: 9 }));
    const chunk = await app.request('/chunks/imlu-petition-Zz9.js', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(chunk.headers.get('Content-Encoding')).toBe('gzip');
    const body = Buffer.from(await chunk.arrayBuffer());
    expect(body.equals(readFileSync(path.join(dir, 'widget/chunks/imlu-petition-Zz9.js.gz')))).toBe(true);
    expect(gunzipSync(body).toString()).toBe(script);
  });
});
