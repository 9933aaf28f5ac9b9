/**
 * The app stays on Hono's RegExpRouter. SmartRouter tries it first and falls back for good to the
 * TrieRouter when one route cannot be compiled into its single regular expression (a literal segment
 * beside a parameter, such as `/me/code` next to `/me/:token`); the fallback cost ~60 µs on every request
 * in the request-path profile (docs/performance.md). A new route that reintroduces such a pair fails here.
 */
import type { SmartRouter } from 'hono/router/smart-router';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApi, type TestApi } from './helpers.ts';

let t: TestApi;
beforeAll(async () => {
  t = await createTestApi();
});
afterAll(() => t.close());

it('routes every request through the RegExpRouter', async () => {
  expect((await t.request(`/v1/campaigns/${t.slug}/counts`)).status).toBe(200);
  const router = t.api.app.router as unknown as SmartRouter<unknown>;
  expect(router.activeRouter.name).toBe('RegExpRouter');
});
