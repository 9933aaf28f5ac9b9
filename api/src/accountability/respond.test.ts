import type { Accountability, Campaign } from '@imlu/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '../audit/audit.ts';
import { createLogger } from '../logging/logger.ts';
import { createTestApi, type TestApi } from '../../test/helpers.ts';

const ADMIN = 'test-admin-token';
let t: TestApi;
let now: number;
const lines: string[] = [];
let targetId: string;
let demands: string[];

function admin(method: string, path: string, body?: unknown) {
  return t.request(path, {
    method,
    headers: { Authorization: `Bearer ${ADMIN}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function issueLink(ttlDays?: number): Promise<{ id: string; path: string; url: string }> {
  const response = await admin('POST', `/admin/campaigns/${t.slug}/response-links`, { targetId, ...(ttlDays ? { ttlDays } : {}) });
  expect(response.status).toBe(201);
  const body = (await response.json()) as { id: string; url: string; expiresAt: string };
  expect(Date.parse(body.expiresAt) - now).toBe((ttlDays ?? 30) * 86_400_000);
  return { id: body.id, url: body.url, path: new URL(body.url).pathname };
}

function formToken(html: string): string {
  return /name="token" value="([^"]+)"/.exec(html)![1]!;
}

function post(path: string, fields: Record<string, string>, headers: Record<string, string> = { 'Sec-Fetch-Site': 'same-origin' }) {
  return t.request(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

async function board(): Promise<Accountability> {
  return (await (await t.request(`/v1/campaigns/${t.slug}/accountability`)).json()) as Accountability;
}

async function entryCount(): Promise<number> {
  return Number((await t.db.client.execute('SELECT COUNT(*) AS n FROM position_entries')).rows[0]!.n);
}

beforeEach(async () => {
  now = Date.parse('2026-11-10T09:00:00Z');
  lines.length = 0;
  t = await createTestApi({ adminToken: ADMIN, clock: () => now, logger: createLogger('debug', (_l, line) => lines.push(line)), publicBaseUrl: 'https://api.example' });
  demands = ((await (await t.request(`/v1/campaigns/${t.slug}`)).json()) as Campaign).demands.map((d) => d.id);
  const created = await admin('POST', '/admin/targets', { name: 'Director of Public Prosecutions', jurisdiction: { level: 'national' } });
  targetId = ((await created.json()) as { id: string }).id;
  await admin('PUT', `/admin/campaigns/${t.slug}/asks/${targetId}`, { demandIds: 'all', askedOn: '2026-11-02', dueOn: '2026-11-20' });
});
afterEach(async () => {
  await t.close();
});

describe('response links', () => {
  it('are issued once with an unguessable token, stored hashed, and listed without it', async () => {
    const link = await issueLink();
    expect(link.url).toMatch(/^https:\/\/api\.example\/r\/[A-Za-z0-9_-]{43}$/);
    const token = link.path.slice(3);
    const listed = await (await admin('GET', `/admin/campaigns/${t.slug}/response-links`)).text();
    expect(listed).toContain(link.id);
    expect(listed).not.toContain(token);
    const stored = await t.db.client.execute('SELECT token_hash FROM response_links');
    expect(JSON.stringify(stored.rows)).not.toContain(token);
    // Only asked targets get links.
    const other = ((await (await admin('POST', '/admin/targets', { name: 'IPOA', jurisdiction: { level: 'national' } })).json()) as { id: string }).id;
    expect((await admin('POST', `/admin/campaigns/${t.slug}/response-links`, { targetId: other })).status).toBe(422);
  });

  it('show the asked demands in English and Kiswahili, with no-referrer and the page CSP', async () => {
    const { path } = await issueLink();
    const en = await t.request(`${path}?lang=en`);
    expect(en.status).toBe(200);
    expect(en.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(en.headers.get('Cache-Control')).toBe('no-store');
    expect(en.headers.get('Content-Security-Policy')).toMatch(/default-src 'none'/);
    expect(en.headers.get('X-Robots-Tag')).toContain('noindex');
    const enText = await en.text();
    expect(enText).toContain('<html lang="en"');
    expect(enText).toContain('<meta name="referrer" content="no-referrer">');
    expect(enText).toContain('First demand');
    expect(enText).toContain('Second demand');
    expect(enText).toContain('We commit to this demand');
    expect(enText).not.toContain('We have delivered'); // nothing committed yet
    expect(enText).toContain('Awaiting response');
    expect(enText).not.toContain(path.slice(3)); // the token is never written into the page

    const sw = await (await t.request(path, { headers: { 'Accept-Language': 'sw-KE,sw;q=0.9,en;q=0.5' } })).text();
    expect(sw).toContain('<html lang="sw"');
    expect(sw).toContain('Dai la kwanza');
    expect(sw).toContain('Tunaahidi kutekeleza dai hili');
    expect(sw).toContain('Jibu lako');
  });

  it('POST appends duty-bearer entries that the public board shows at once, and can be updated later', async () => {
    const { path, id } = await issueLink();
    const page = await (await t.request(`${path}?lang=en`)).text();
    const [d1, d2] = demands;

    const response = await post(`${path}?lang=en`, {
      token: formToken(page),
      lang: 'en',
      [`position.${d1}`]: 'committed',
      [`position.${d2}`]: '',
      statement: 'The ODPP will issue guidelines on SGBV prosecutions by March 2027.',
      evidenceUrl: 'https://example.go.ke/odpp-letter.pdf',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('Referrer-Policy')).toBe('no-referrer');
    const thanks = await response.text();
    expect(thanks).toContain('your response is recorded');
    expect(thanks).toContain('Committed');

    // No waiting on a cache: the next read of the board shows it.
    let b = await board();
    const positions = b.targets[0]!.positions;
    expect(positions[0]).toMatchObject({ status: 'committed', since: new Date(now).toISOString() });
    expect(positions[0]!.history).toEqual([
      {
        status: 'committed',
        statement: 'The ODPP will issue guidelines on SGBV prosecutions by March 2027.',
        statementSw: null,
        evidenceUrl: 'https://example.go.ke/odpp-letter.pdf',
        recordedAt: new Date(now).toISOString(),
        recordedBy: 'duty_bearer',
      },
    ]);
    expect(positions[1]!.status).toBe('asked');
    expect(b.summary).toMatchObject({ responded: 1, committed: 1 });
    const actor = await t.db.client.execute('SELECT actor FROM position_entries');
    expect(actor.rows[0]!.actor).toBe(`response-link:${id}`);
    const audited = await listAudit(t.db, { action: 'position.responded' });
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ actor: `response-link:${id}`, campaignId: t.campaignId, subject: targetId, rowCount: 1 });
    expect(JSON.stringify(audited)).not.toContain('guidelines');

    // The same answer sent again (a reload) is not recorded twice.
    const resent = await post(`${path}?lang=en`, {
      token: formToken(page),
      lang: 'en',
      [`position.${d1}`]: 'committed',
      statement: 'The ODPP will issue guidelines on SGBV prosecutions by March 2027.',
      evidenceUrl: 'https://example.go.ke/odpp-letter.pdf',
    });
    expect(resent.status).toBe(200);
    expect(await entryCount()).toBe(1);

    // A week later the target comes back: delivered is offered now, and the answer adds to the history.
    now += 7 * 86_400_000;
    const again = await (await t.request(`${path}?lang=sw`)).text();
    expect(again).toContain('Tumetimiza ahadi yetu');
    expect(again).toContain('Ameahidi');
    const second = await post(path, { token: formToken(again), lang: 'sw', [`position.${d1}`]: 'delivered', [`position.${d2}`]: 'acknowledged' });
    expect(second.status).toBe(200);
    expect(await second.text()).toContain('Asante');
    b = await board();
    expect(b.targets[0]!.positions.map((p) => p.status)).toEqual(['delivered', 'acknowledged']);
    expect(b.targets[0]!.positions[0]!.history.map((h) => h.status)).toEqual(['committed', 'delivered']);
    const links = (await (await admin('GET', `/admin/campaigns/${t.slug}/response-links`)).json()) as { links: { lastUsedAt: string }[] };
    expect(links.links[0]!.lastUsedAt).toBe(new Date(now).toISOString());
  });

  it('POST shows clear field errors and stores nothing', async () => {
    const { path } = await issueLink();
    const [d1] = demands;
    const page = await (await t.request(`${path}?lang=en`)).text();
    const none = await post(path, { token: formToken(page), lang: 'en', statement: 'Noted.' });
    expect(none.status).toBe(422);
    const noneText = await none.text();
    expect(noneText).toContain('Choose a position on at least one demand.');
    expect(noneText).toContain('Noted.'); // what was typed is kept

    const delivered = await post(path, { token: formToken(page), lang: 'en', [`position.${d1}`]: 'delivered' });
    expect(delivered.status).toBe(422);
    expect(await delivered.text()).toContain('can only follow a commitment');

    const evidence = await post(path, { token: formToken(page), lang: 'en', [`position.${d1}`]: 'committed', evidenceUrl: 'javascript:alert(1)' });
    expect(evidence.status).toBe(422);
    expect(await evidence.text()).toContain('https://');

    const long = await post(path, { token: formToken(page), lang: 'en', [`position.${d1}`]: 'committed', statement: 'x'.repeat(4001) });
    expect(long.status).toBe(422);
    expect(await entryCount()).toBe(0);
  });

  it('number each demand as the board does, and say plainly on the thank-you page what was recorded', async () => {
    const [, d2] = demands;
    // Asked for the second demand only: it is still "2." on the page, as on the board.
    await admin('PUT', `/admin/campaigns/${t.slug}/asks/${targetId}`, { demandIds: [d2], askedOn: '2026-11-02', dueOn: '2026-11-20' });
    const { path } = await issueLink();
    const page = await (await t.request(`${path}?lang=sw`)).text();
    expect(page).toContain('<legend>2. Dai la pili</legend>');
    expect(page).not.toContain('1. Dai la pili');
    const thanks = await post(path, { token: formToken(page), lang: 'sw', [`position.${d2}`]: 'committed' });
    expect(thanks.status).toBe(200);
    const text = await thanks.text();
    expect(text).toContain('<li>2. Dai la pili<br>Msimamo wa sasa: <strong>Ameahidi</strong></li>');
    // No label run into a status ("kijamii.: Ameahidi").
    expect(text).not.toMatch(/[.!?]: </);
  });

  it('note an overdue ask with its date and the days overdue as the board counts them, in the page language', async () => {
    const { path } = await issueLink();
    // Due 20 November (Nairobi); on the 20th it is not yet overdue.
    now = Date.parse('2026-11-20T20:00:00Z'); // 23:00 in Nairobi
    let en = await (await t.request(`${path}?lang=en`)).text();
    expect(en).toContain('Response requested by 20 November 2026.');
    expect(en).not.toContain('overdue');

    now = Date.parse('2026-11-24T09:00:00Z');
    const target = (await board()).targets[0]!;
    expect(target).toMatchObject({ overdue: true, daysOverdue: 4 });
    en = await (await t.request(`${path}?lang=en`)).text();
    expect(en).toContain('This response is overdue by 4 days: it was requested by 20 November 2026.');
    expect(en).not.toContain('Response requested by');
    const sw = await (await t.request(`${path}?lang=sw`)).text();
    expect(sw).toContain('Jibu hili limechelewa kwa siku 4: liliombwa kufikia 20 Novemba 2026.');

    now = Date.parse('2026-11-21T09:00:00Z');
    expect(await (await t.request(`${path}?lang=en`)).text()).toContain('This response is overdue by 1 day:');

    // Once answered, it is no longer overdue, on the board nor on the page.
    const page = await (await t.request(`${path}?lang=en`)).text();
    expect((await post(path, { token: formToken(page), lang: 'en', [`position.${demands[0]}`]: 'acknowledged' })).status).toBe(200);
    expect((await board()).targets[0]!.overdue).toBe(false);
    expect(await (await t.request(`${path}?lang=en`)).text()).not.toContain('overdue');
  });

  it('refuse an http:// evidence link with an inline field error, in either language, and store nothing', async () => {
    const { path } = await issueLink();
    const [d1] = demands;
    for (const lang of ['en', 'sw'] as const) {
      const page = await (await t.request(`${path}?lang=${lang}`)).text();
      const response = await post(path, {
        token: formToken(page),
        lang,
        [`position.${d1}`]: 'committed',
        statement: 'Statement kept',
        evidenceUrl: 'http://example.go.ke/letter.pdf',
      });
      expect(response.status).toBe(422);
      const html = await response.text();
      const message = lang === 'en' ? 'Enter a web address starting with https:// (http:// links are not accepted).' : 'Weka anwani ya tovuti inayoanza na https:// (viungo vya http:// havikubaliwi).';
      expect(html).toContain(`<span class="e" id="e-evidence">${message}</span>`);
      expect(html).toContain(`<a href="#f-evidence">${message}</a>`);
      expect(html).toMatch(/id="i-evidence"[^>]*value="http:\/\/example\.go\.ke\/letter\.pdf" aria-invalid="true"/);
      expect(html).toContain('Statement kept');
    }
    expect(await entryCount()).toBe(0);
  });

  it('store the statement in the field of the page language', async () => {
    const { path } = await issueLink();
    const [d1, d2] = demands;
    const sw = await (await t.request(`${path}?lang=sw`)).text();
    expect((await post(path, { token: formToken(sw), lang: 'sw', [`position.${d1}`]: 'acknowledged', statement: 'Tumepokea ombi.' })).status).toBe(200);
    const en = await (await t.request(`${path}?lang=en`)).text();
    expect((await post(path, { token: formToken(en), lang: 'en', [`position.${d2}`]: 'acknowledged', statement: 'Received.' })).status).toBe(200);
    const [p1, p2] = (await board()).targets[0]!.positions;
    expect(p1!.history.map((h) => [h.statement, h.statementSw])).toEqual([[null, 'Tumepokea ombi.']]);
    expect(p2!.history.map((h) => [h.statement, h.statementSw])).toEqual([['Received.', null]]);
  });

  it('POST needs the form token of this link and a same-site post', async () => {
    const { path } = await issueLink();
    const [d1] = demands;
    const missing = await post(path, { lang: 'en', [`position.${d1}`]: 'committed' });
    expect(missing.status).toBe(403);
    expect(await missing.text()).toContain('send it again');

    // A token from another link's page does not do.
    const other = await issueLink();
    const otherToken = formToken(await (await t.request(other.path)).text());
    expect((await post(path, { token: otherToken, [`position.${d1}`]: 'committed' })).status).toBe(403);
    // Nor one from the hosted petition page.
    const hostedToken = formToken(await (await t.request(`/c/${t.slug}`)).text());
    expect((await post(path, { token: hostedToken, [`position.${d1}`]: 'committed' })).status).toBe(403);

    const token = formToken(await (await t.request(path)).text());
    const crossSite = await post(path, { token, [`position.${d1}`]: 'committed' }, { 'Sec-Fetch-Site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    const foreignOrigin = await post(path, { token, [`position.${d1}`]: 'committed' }, { Origin: 'https://evil.example' });
    expect(foreignOrigin.status).toBe(403);
    expect(await entryCount()).toBe(0);
    // A browser without Sec-Fetch-Site sends `Origin: null` under no-referrer: the form token decides.
    expect((await post(path, { token, [`position.${d1}`]: 'committed' }, { Origin: 'null' })).status).toBe(200);
    expect(await entryCount()).toBe(1);
  });

  it('refuse expired, revoked and garbage tokens with a clear page', async () => {
    const expiring = await issueLink(1);
    const revoked = await issueLink();
    const page = await (await t.request(revoked.path)).text();

    expect((await admin('DELETE', `/admin/campaigns/${t.slug}/response-links/${revoked.id}`)).status).toBe(204);
    const revokedGet = await t.request(`${revoked.path}?lang=en`);
    expect(revokedGet.status).toBe(410);
    expect(await revokedGet.text()).toContain('This link was withdrawn');
    expect((await post(revoked.path, { token: formToken(page), [`position.${demands[0]}`]: 'committed' })).status).toBe(410);

    now += 86_400_000;
    const expired = await t.request(`${expiring.path}?lang=sw`);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('Muda wa kiungo hiki umekwisha');

    for (const garbage of ['/r/abc', `/r/${'A'.repeat(43)}`, '/r/%3Cscript%3E', `${revoked.path.slice(0, -1)}x`]) {
      const response = await t.request(`${garbage}?lang=en`);
      expect(response.status, garbage).toBe(404);
      const text = await response.text();
      expect(text).toContain('This link is not valid');
      expect(text).not.toContain('<script>');
    }
    expect((await admin('DELETE', `/admin/campaigns/${t.slug}/response-links/no-such-link`)).status).toBe(404);
    expect(await entryCount()).toBe(0);
  });

  it('never writes the token into the logs', async () => {
    const { path } = await issueLink();
    const token = path.slice(3);
    const page = await (await t.request(path)).text();
    await post(path, { token: formToken(page), [`position.${demands[0]}`]: 'acknowledged' });
    await t.request(`/r/${token.slice(0, -1)}Z`);
    const requests = lines.filter((line) => / request /.test(line));
    expect(requests.some((line) => line.includes('route=/r/:token'))).toBe(true);
    expect(lines.join('\n')).not.toContain(token);
    expect(lines.join('\n')).not.toContain(token.slice(0, 20));
  });
});
