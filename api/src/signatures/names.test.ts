/**
 * Names that are names (issue 10, finding 5), through the real JSON route and the hosted page on a real
 * database: a name hiding line breaks, controls, bidi overrides or no letter is refused with
 * `invalid_name` and nothing is stored; names, comments and sources are stored NFC; a comment keeps its
 * line breaks as `\n`; a partner's `?source=` holding a control character does not stop a signer.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Problem } from '@imlu/contracts';
import { createTestApi, tableCounts, validSignature, type TestApi } from '../../test/helpers.ts';

let t: TestApi;
let now: number;

beforeEach(async () => {
  now = Date.UTC(2026, 10, 27, 12, 0, 0);
  t = await createTestApi({ clock: () => now });
});
afterEach(async () => {
  await t.close();
});

const HOSTILE_NAMES = [
  'Juma Baraka\r=1+1',
  'X\n=HYPERLINK("http://evil")',
  'Juma\tBaraka',
  '\u0000',
  'Juma\u0000',
  '\u001b[31mJuma',
  '\u202Eakarab amuJ',
  'Juma \u2066x\u2069',
  '\u200B\u200C\u200D',
  '\u0301\u0303',
  '\u200B=SUM(A1)',
  '\u00A0=1+1',
  '@SUM(1)',
];

async function storedSignature() {
  const rows = await t.db.client.execute('SELECT name_enc, comment_enc, source_ref FROM signatures');
  expect(rows.rows).toHaveLength(1);
  const row = rows.rows[0]!;
  const { crypto } = t.api.services;
  return {
    name: crypto.decrypt(String(row.name_enc), t.campaignId, 'name'),
    comment: row.comment_enc === null ? null : crypto.decrypt(String(row.comment_enc), t.campaignId, 'comment'),
    source: row.source_ref,
  };
}

describe('POST /v1/campaigns/:slug/signatures', () => {
  it('refuses every hostile name with one invalid_name error and stores nothing', async () => {
    const empty = await tableCounts(t.db);
    for (const name of HOSTILE_NAMES) {
      const response = await t.sign(validSignature({ name }));
      expect(response.status, JSON.stringify(name)).toBe(422);
      const problem = (await response.json()) as Problem;
      expect(problem.type).toBe('urn:imlu:problem:validation');
      expect(problem.errors, JSON.stringify(name)).toEqual([expect.objectContaining({ path: 'name', code: 'invalid_name' })]);
    }
    expect(await tableCounts(t.db)).toEqual(empty);
  });

  it('stores the name, comment and source NFC, with the comment line breaks as \\n', async () => {
    const response = await t.sign(
      validSignature({ name: 'Wanjiru\u0303 Kamau', comment: 'Haki kwa Ngu\u0303gi\u0303\r\nsasa\rleo', source: 'redio-Mu\u0303thoni' }),
    );
    expect(response.status).toBe(201);
    expect(await storedSignature()).toEqual({ name: 'Wanjirũ Kamau', comment: 'Haki kwa Ngũgĩ\nsasa\nleo', source: 'redio-Mũthoni' });
  });

  it('refuses other controls in a comment and any in a source with `invalid`', async () => {
    const comment = await t.sign(validSignature({ comment: 'Haki\u001b[2J' }));
    expect(comment.status).toBe(422);
    expect(((await comment.json()) as Problem).errors).toEqual([expect.objectContaining({ path: 'comment', code: 'invalid' })]);
    const source = await t.sign(validSignature({ source: 'radio\ncitizen' }));
    expect(source.status).toBe(422);
    expect(((await source.json()) as Problem).errors).toEqual([expect.objectContaining({ path: 'source', code: 'invalid' })]);
    expect((await tableCounts(t.db)).signatures).toBe(0);
  });
});

describe('the hosted page', () => {
  const SAME_ORIGIN = { 'Sec-Fetch-Site': 'same-origin', Origin: 'http://localhost' };

  async function freshToken(query = ''): Promise<string> {
    const html = await (await t.request(`/c/${t.slug}${query}`)).text();
    const match = /name="token" value="([^"]+)"/.exec(html);
    if (!match) throw new Error('no form token in the page');
    now += 5000; // a person's few seconds to fill the form in
    return match[1]!;
  }

  async function post(fields: Record<string, string>) {
    const response = await t.request(`/c/${t.slug}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...SAME_ORIGIN },
      body: new URLSearchParams(fields).toString(),
    });
    return { response, html: await response.text() };
  }

  const valid = { name: 'Wanjirũ Kamau', phone: '0712 345 678', county: 'KE-30', terms: 'yes' };

  it('shows invalid_name next to the name in the signer language and stores nothing', async () => {
    for (const [lang, text] of [
      ['en', 'Write your name in letters'],
      ['sw', 'Andika jina lako kwa herufi'],
    ] as const) {
      const { response, html } = await post({ ...valid, name: 'Juma Baraka\r=1+1', lang, token: await freshToken() });
      expect(response.status).toBe(422);
      expect(html).toMatch(new RegExp(`<span class="e" id="e-name">${text}[^<]*</span>`));
    }
    expect((await tableCounts(t.db)).signatures).toBe(0);
  });

  it('keeps a textarea comment (posted with CRLF) as lines, and signs despite a ?source= holding a control character', async () => {
    const page = await (await t.request(`/c/${t.slug}?source=radio%0Acitizen`)).text();
    expect(page).not.toContain('name="source"');
    const { response } = await post({ ...valid, comment: 'Haki sasa\r\nkwa wote', source: 'radio\ncitizen', token: await freshToken() });
    expect(response.status).toBe(200);
    expect(await storedSignature()).toEqual({ name: 'Wanjirũ Kamau', comment: 'Haki sasa\nkwa wote', source: null });
  });
});
