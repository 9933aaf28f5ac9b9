import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
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
