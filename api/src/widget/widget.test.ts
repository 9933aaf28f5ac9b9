import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../../test/helpers.ts';

let dir: string;
let bundle: string;
let t: TestApi;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'imlu-bundle-'));
  bundle = path.join(dir, 'embed.js');
  t = await createTestApi({ widgetBundle: bundle });
});
afterEach(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('GET /embed.js', () => {
  it('serves the built bundle to any partner origin as a cacheable module script', async () => {
    writeFileSync(bundle, 'customElements.define("imlu-x", class extends HTMLElement {});');
    const response = await t.request('/embed.js', { headers: { Origin: 'https://any-partner.example' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8');
    // A module script from another origin is fetched in CORS mode: without this header it would not run.
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(response.headers.get('Cache-Control')).toMatch(/^public, max-age=300/);
    expect(await response.text()).toContain('imlu-x');
  });

  it('answers 304 to a matching ETag and picks up a rebuilt bundle', async () => {
    writeFileSync(bundle, 'export const v = 1;');
    const first = await t.request('/embed.js');
    const etag = first.headers.get('ETag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect((await t.request('/embed.js', { headers: { 'If-None-Match': etag } })).status).toBe(304);

    writeFileSync(bundle, 'export const v = 2;');
    utimesSync(bundle, new Date(), new Date(Date.now() + 5_000));
    const rebuilt = await t.request('/embed.js', { headers: { 'If-None-Match': etag } });
    expect(rebuilt.status).toBe(200);
    expect(await rebuilt.text()).toBe('export const v = 2;');
    expect(rebuilt.headers.get('ETag')).not.toBe(etag);
  });

  it('is a 503 problem, not a broken script, before the widget is built', async () => {
    const response = await t.request('/embed.js');
    expect(response.status).toBe(503);
    expect(response.headers.get('Content-Type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ type: 'urn:imlu:problem:unavailable', status: 503 });
  });
});

describe('GET /chunks/:name', () => {
  const chunk = 'signing-Ab12_-x.js';
  beforeEach(() => {
    mkdirSync(path.join(dir, 'chunks'));
    writeFileSync(bundle, 'import("./chunks/signing-Ab12_-x.js");');
    writeFileSync(path.join(dir, 'chunks', chunk), 'export const signing = 1;');
    writeFileSync(path.join(dir, 'secret.txt'), 'not a chunk');
  });

  it('serves a built chunk to any origin, cached for good because its name changes with its content', async () => {
    const response = await t.request(`/chunks/${chunk}`, { headers: { Origin: 'https://any-partner.example' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(response.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
    expect(await response.text()).toBe('export const signing = 1;');
    const etag = response.headers.get('ETag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect((await t.request(`/chunks/${chunk}`, { headers: { 'If-None-Match': etag } })).status).toBe(304);
  });

  it('serves the same chunk to a retry after a failed download (`?retry=N`, packages/widget/build/lazy-retry.ts)', async () => {
    const response = await t.request(`/chunks/${chunk}?retry=2`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('export const signing = 1;');
  });

  it('refuses anything but a built chunk name: unknown files, other extensions, paths and traversal', async () => {
    for (const name of [
      'missing-abc.js',
      'secret.txt',
      '..%2Fembed.js',
      '..%2Fsecret.txt',
      '%2E%2E%2Fsecret.txt',
      '..%5Csecret.txt',
      'chunks%2Fsigning-Ab12_-x.js',
      '%2Fetc%2Fpasswd',
      '.js',
    ]) {
      const response = await t.request(`/chunks/${name}`);
      expect(response.status, name).toBe(404);
      expect(response.headers.get('Content-Type'), name).toMatch(/^application\/problem\+json/);
      expect(await response.text(), name).not.toMatch(/not a chunk|import\(/);
    }
    // The URL parser resolves dot segments before routing: this is /embed.js, not a chunk.
    expect((await t.request('/chunks/../embed.js')).status).toBe(200);
    expect((await t.request('/chunks/../secret.txt')).status).toBe(404);
  });

  it('is documented in the OpenAPI document beside /embed.js', async () => {
    const doc = (await (await t.request('/openapi.json')).json()) as { paths: Record<string, { get?: { tags?: string[] } }> };
    expect(doc.paths['/chunks/{name}']?.get?.tags).toEqual(['widget']);
  });
});

describe('precompressed widget files', () => {
  const source = `export const text = ${JSON.stringify('Tia sahihi kwenye ombi hili. '.repeat(200))};\n`;
  const chunk = 'imlu-petition-Ab12.js';
  beforeEach(() => {
    mkdirSync(path.join(dir, 'chunks'));
    for (const file of [bundle, path.join(dir, 'chunks', chunk)]) {
      writeFileSync(file, source);
      writeFileSync(`${file}.br`, brotliCompressSync(source));
      writeFileSync(`${file}.gz`, gzipSync(source, { level: 9 }));
    }
  });

  it('sends the .br and .gz files the build wrote, byte for byte, each decompressing to the file', async () => {
    for (const [url, file, cacheControl] of [
      ['/embed.js', bundle, /^public, max-age=300, stale-while-revalidate/],
      [`/chunks/${chunk}`, path.join(dir, 'chunks', chunk), /^public, max-age=31536000, immutable$/],
    ] as const) {
      const plain = await t.request(url);
      expect(plain.headers.get('Content-Encoding')).toBeNull();
      expect(await plain.text()).toBe(source);
      const etag = plain.headers.get('ETag')!;
      for (const [accept, encoding, extension, decompress] of [
        ['gzip, deflate, br', 'br', '.br', brotliDecompressSync],
        ['gzip', 'gzip', '.gz', gunzipSync],
      ] as const) {
        const response = await t.request(url, { headers: { 'Accept-Encoding': accept } });
        expect(response.status).toBe(200);
        expect(response.headers.get('Content-Encoding')).toBe(encoding);
        expect(response.headers.get('Vary')).toMatch(/\bAccept-Encoding\b/);
        expect(response.headers.get('Cache-Control')).toMatch(cacheControl);
        const body = Buffer.from(await response.arrayBuffer());
        expect(body.equals(readFileSync(file + extension)), `${url} ${encoding}`).toBe(true);
        expect(decompress(body).toString()).toBe(source);
        const variant = response.headers.get('ETag')!;
        expect(variant).toBe(etag.replace(/"$/, encoding === 'br' ? '-br"' : '-gz"'));
        const revalidated = await t.request(url, { headers: { 'Accept-Encoding': accept, 'If-None-Match': variant } });
        expect(revalidated.status).toBe(304);
        expect(revalidated.headers.get('ETag')).toBe(variant);
      }
      const head = await t.request(url, { method: 'HEAD', headers: { 'Accept-Encoding': 'br' } });
      expect(head.headers.get('Content-Encoding')).toBe('br');
      expect((await head.arrayBuffer()).byteLength).toBe(0);
    }
  });

  it('ignores a stale precompressed file from an older build and compresses the current one itself', async () => {
    writeFileSync(`${bundle}.br`, brotliCompressSync('export const old = 1;'));
    writeFileSync(`${bundle}.gz`, 'not gzip at all');
    for (const [accept, decompress] of [['br', brotliDecompressSync], ['gzip', gunzipSync]] as const) {
      const response = await t.request('/embed.js', { headers: { 'Accept-Encoding': accept } });
      expect(response.headers.get('Content-Encoding')).toBe(accept);
      expect(decompress(Buffer.from(await response.arrayBuffer())).toString()).toBe(source);
    }
  });
});
