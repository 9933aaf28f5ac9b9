import { afterEach, beforeEach, expect, it } from 'vitest';
import { createLogger } from '../logging/logger.ts';
import { createTestApi, PARTNER_ORIGIN, type TestApi } from '../../test/helpers.ts';

let t: TestApi;
const lines: string[] = [];
beforeEach(async () => {
  lines.length = 0;
  t = await createTestApi({ logger: createLogger('debug', (_level, line) => lines.push(line)) });
});
afterEach(async () => {
  await t.close();
});

it('logs method, route pattern, status and duration — and nothing personal', async () => {
  await t.sign(
    { name: 'Chebet Jepkosgei', email: 'chebet@example.org', phone: '0712 555 123', consent: { terms: true }, comment: 'sensitive' },
    { Origin: PARTNER_ORIGIN, 'X-Forwarded-For': '41.90.64.7', 'Idempotency-Key': 'secret-key' },
  );
  await t.request(`/v1/campaigns/${t.slug}/counts?phone=0712555123&ref=newsletter`);
  await t.request('/no/such/route?email=chebet@example.org');
  await t.sign({ name: 'Chebet Jepkosgei' });

  const requests = lines.filter((line) => / info request /.test(line));
  expect(requests).toHaveLength(4);
  expect(requests[0]).toMatch(/ method=POST route=\/v1\/campaigns\/:slug\/signatures status=201 ms=[\d.]+$/);
  expect(requests[1]).toMatch(/ method=GET route=\/v1\/campaigns\/:slug\/counts status=200 ms=[\d.]+$/);
  expect(requests[2]).toMatch(/ method=GET route=unmatched status=404 ms=[\d.]+$/);
  expect(requests[3]).toMatch(/ status=422 /);

  const all = lines.join('\n');
  for (const secret of ['Chebet', 'chebet@', '0712', '555', '+254', 'sensitive', '41.90.64.7', 'secret-key', 'newsletter', t.slug, PARTNER_ORIGIN]) {
    expect(all).not.toContain(secret);
  }
});
