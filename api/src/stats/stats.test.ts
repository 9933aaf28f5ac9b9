/**
 * The console's figures over HTTP, on a real database, with signatures made through the signing route and
 * confirmed by the links of real e-mails (a test SMTP server): days in Nairobi time, counted / pending /
 * suspect / invalid, totals, progress and milestones; the county table; partners with their floor; and a
 * partner's own read-only view. Their query plans are checked in test/query-plans.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { listAudit } from '../audit/audit.ts';
import { cliActor } from '../auth/actor.ts';
import { createAdminToken } from '../auth/admin-tokens.ts';
import { createLogger } from '../logging/logger.ts';
import { smtpTransport } from '../messages/email.ts';
import { createTestApi, PARTNER_ORIGIN, validSignature, type TestApi } from '../../test/helpers.ts';
import { linkIn, startTestSmtp, type TestSmtp } from '../../test/smtp.ts';
import { createPartnerView, revokePartnerView } from './partner-views.ts';
import type { DailyStats, PartnerStats } from './stats.ts';

const ADMIN = 'stats-admin-token';
const BASE = 'https://sign.imlu.example';
const OTHER_ORIGIN = 'https://other.example';

let t: TestApi;
let smtp: TestSmtp;
let now: number;
const lines: string[] = [];
let ip = 0;

afterEach(async () => {
  await t?.close();
  await smtp?.stop();
});

async function setup(campaign: Record<string, unknown> = {}) {
  now = Date.parse('2026-12-05T20:30:00Z'); // 23:30 in Nairobi, 5 December
  lines.length = 0;
  ip = 0;
  smtp = await startTestSmtp();
  t = await createTestApi({
    campaign: { verification: 'email', goal: 10, ...campaign },
    adminToken: ADMIN,
    clock: () => now,
    allowedOrigins: [PARTNER_ORIGIN, OTHER_ORIGIN],
    rateLimits: { trustProxy: true },
    publicBaseUrl: BASE,
    mail: smtpTransport({ url: smtp.url, from: 'IMLU <no-reply@example.org>' }),
    logger: createLogger('debug', (_level, line) => lines.push(line)),
  });
}

function admin(path: string, token = ADMIN, init: RequestInit = {}) {
  return t.request(path, { ...init, headers: { Authorization: `Bearer ${token}`, ...(init.body ? { 'Content-Type': 'application/json' } : {}) } });
}

/** Signs from a fresh address (so no rate limit applies) unless `from` names one. */
async function sign(n: number, extra: { origin?: string; source?: string; county?: string; from?: string } = {}) {
  for (let i = 0; i < n; i++) {
    ip++;
    const body = validSignature({ name: `Signer ${ip}`, phone: undefined, email: `signer${ip}@example.org`, county: extra.county ?? 'KE-30', ...(extra.source ? { source: extra.source } : {}) });
    const headers: Record<string, string> = { 'X-Forwarded-For': extra.from ?? `198.51.100.${ip % 250}` };
    if (extra.origin) Object.assign(headers, { Origin: extra.origin, 'Idempotency-Key': `k-${ip}` });
    expect((await t.sign(body, headers)).status).toBeLessThan(300);
  }
}

/** Sends the queued confirmation e-mails and confirms those whose address matches. */
async function confirmWhere(match: (address: string) => boolean) {
  const before = smtp.received.length;
  const queued = Number((await t.db.client.execute("SELECT count(*) FROM outbox WHERE kind = 'confirm-email' AND status = 'pending'")).rows[0]![0]);
  await t.api.outbox.runOnce();
  const mails = (await smtp.waitFor(before + queued)).slice(before);
  for (const mail of mails) {
    const to = (Array.isArray(mail.to) ? mail.to[0] : mail.to)!.value[0]!.address!;
    if (!match(to)) continue;
    const link = linkIn(mail);
    const response = await t.request(link.slice(BASE.length), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin' },
      body: '',
    });
    expect(response.status).toBe(200);
  }
  await t.api.services.counts.refresh();
}

describe('signatures per day', () => {
  it('puts each signature on its Nairobi day, in the column of its state now, with totals, progress and milestones', async () => {
    await setup();
    expect((await admin(`/admin/campaigns/${t.slug}/milestones`, ADMIN, { method: 'POST', body: JSON.stringify({ threshold: 3, label: { en: 'Three', sw: 'Tatu' } }) })).status).toBe(201);
    expect((await admin(`/admin/campaigns/${t.slug}/milestones`, ADMIN, { method: 'POST', body: JSON.stringify({ threshold: 8, label: { en: 'Eight', sw: 'Nane' } }) })).status).toBe(201);
    // 23:30 and 23:41 in Nairobi on the 5th (20:30 UTC): 3 signatures, 2 of them confirmed. Different
    // moments of one day are one row (a real division once made each moment a day of its own).
    await sign(1);
    now += 11 * 60_000;
    await sign(2);
    await confirmWhere((to) => to !== `signer${ip}@example.org`);
    // 00:30 in Nairobi on the 6th, still the 5th in UTC: 4 signatures, one more from the same address within
    // a minute (over the rate limit: suspect), 2 in Baringo that a moderator then invalidates.
    now = Date.parse('2026-12-05T21:30:00Z');
    await sign(1, { from: '203.0.113.7' });
    await sign(1, { from: '203.0.113.7' });
    await sign(2);
    await sign(2, { county: 'KE-01' });
    await confirmWhere(() => true);
    now += 60_000;
    const invalidated = await admin(`/admin/campaigns/${t.slug}/invalidations`, ADMIN, { method: 'POST', body: JSON.stringify({ county: 'KE-01', dryRun: false }) });
    expect(await invalidated.json()).toMatchObject({ affected: 2, counted: 2 });
    await t.api.services.counts.refresh();

    const response = await admin(`/admin/campaigns/${t.slug}/stats/daily?from=2026-12-04&to=2026-12-06`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const stats = (await response.json()) as DailyStats;
    expect(stats.timeZone).toBe('Africa/Nairobi');
    expect(stats.days).toEqual([
      { date: '2026-12-04', counted: 0, pending: 0, suspect: 0, held: 0, invalid: 0 },
      { date: '2026-12-05', counted: 2, pending: 1, suspect: 0, held: 0, invalid: 0 },
      { date: '2026-12-06', counted: 3, pending: 0, suspect: 1, held: 0, invalid: 2 },
    ]);
    expect(stats.range).toEqual({ counted: 5, pending: 1, suspect: 1, held: 0, invalid: 2 });
    expect(stats.totals).toEqual({ counted: 5, pending: 1, suspect: 1 });
    expect(stats.progress).toEqual({ goal: 10, counted: 5, share: 0.5, remaining: 5 });
    expect(stats.milestones.reached.map((m) => m.threshold)).toEqual([3]);
    expect(stats.milestones.next).toMatchObject({ threshold: 8, label: { en: 'Eight', sw: 'Nane' }, reachedAt: null, remaining: 3 });
    expect(stats.anonymisedAt).toBeNull();

    // The default range: the 30 days up to today in Nairobi (the 6th).
    const fallback = (await (await admin(`/admin/campaigns/${t.slug}/stats/daily`)).json()) as DailyStats;
    expect(fallback.days).toHaveLength(30);
    expect([fallback.from, fallback.to]).toEqual(['2026-11-07', '2026-12-06']);
    expect(fallback.range).toEqual(stats.range);
  });

  it('refuses bad ranges with 422 and the field, an unknown campaign with 404, and a token without campaigns:read with 403', async () => {
    await setup();
    const problem = async (query: string) => {
      const response = await admin(`/admin/campaigns/${t.slug}/stats/daily?${query}`);
      expect(response.status).toBe(422);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const body = (await response.json()) as { type: string; errors: { path: string }[] };
      expect(body.type).toBe('urn:imlu:problem:validation');
      return body.errors.map((e) => e.path);
    };
    expect(await problem('from=2026-02-30')).toEqual(['from']);
    expect(await problem('to=yesterday')).toEqual(['to']);
    expect(await problem('from=2026-12-06&to=2026-12-01')).toEqual(['to']);
    expect(await problem('from=2024-01-01&to=2026-12-01')).toEqual(['from']);
    expect((await admin(`/admin/campaigns/${t.slug}/stats/partners?from=2026-12-01`)).status).toBe(422);
    expect((await admin('/admin/campaigns/no-such-campaign/stats/daily')).status).toBe(404);
    expect((await t.request(`/admin/campaigns/${t.slug}/stats/daily`)).status).toBe(404);
    const { token } = await createAdminToken(t.db, { name: 'moderator', scopes: ['moderation'], actor: cliActor() });
    for (const view of ['daily', 'counties', 'partners']) {
      const response = await admin(`/admin/campaigns/${t.slug}/stats/${view}`, token);
      expect(response.status).toBe(403);
    }
    const { token: reader } = await createAdminToken(t.db, { name: 'reader', scopes: ['campaigns:read'], actor: cliActor() });
    expect((await admin(`/admin/campaigns/${t.slug}/stats/counties`, reader)).status).toBe(200);
  });
});

describe('the county table', () => {
  it('lists all 47 counties with counted, pending and their share of the counted total, and those without a county', async () => {
    await setup({ verification: 'none' });
    await sign(3, { county: 'KE-30' });
    await sign(1, { county: 'KE-01' });
    const noCounty = validSignature({ name: 'No County', county: undefined, phone: '0722000999' });
    expect((await t.sign(noCounty, { 'X-Forwarded-For': '192.0.2.200' })).status).toBeLessThan(300);
    await t.api.services.counts.refresh();
    const table = (await (await admin(`/admin/campaigns/${t.slug}/stats/counties`)).json()) as {
      counties: { code: string; name: { en: string; sw: string }; counted: number; share: number }[];
      unknown: { counted: number; share: number };
      totals: { counted: number };
    };
    expect(table.counties).toHaveLength(47);
    expect(table.counties.find((c) => c.code === 'KE-30')).toMatchObject({ name: { en: 'Nairobi' }, counted: 3, pending: 0, share: 0.6 });
    expect(table.counties.find((c) => c.code === 'KE-01')).toMatchObject({ name: { en: 'Baringo' }, counted: 1, share: 0.2 });
    expect(table.counties.find((c) => c.code === 'KE-47')).toMatchObject({ name: { en: 'West Pokot', sw: 'Pokot Magharibi' }, counted: 0, share: 0 });
    expect(table.unknown).toEqual({ counted: 1, pending: 0, share: 0.2 });
    expect(table.totals.counted).toBe(5);
  });
});

describe('partners', () => {
  it('gives signatures, confirmation rate and top counties per origin and source; counties under 5 show as <5', async () => {
    await setup();
    await sign(6, { origin: PARTNER_ORIGIN, source: 'newsletter', county: 'KE-30' });
    await sign(2, { origin: PARTNER_ORIGIN, source: 'newsletter', county: 'KE-28' });
    await sign(2, { origin: PARTNER_ORIGIN, source: 'whatsapp', county: 'KE-30' });
    await sign(1, { origin: OTHER_ORIGIN, county: 'KE-01' });
    // Confirmed: all six Nairobi newsletter signers and one of the others (signers 1-6 and 9).
    await confirmWhere((to) => /^signer(?:[1-6]|9)@/.test(to));

    const response = await admin(`/admin/campaigns/${t.slug}/stats/partners`);
    expect(response.status).toBe(200);
    const stats = (await response.json()) as PartnerStats;
    expect(JSON.stringify(stats)).not.toMatch(/signer\d|example\.org|Signer/);
    expect(stats.floor).toBe(5);
    expect(stats.origins.map((o) => o.origin)).toEqual([PARTNER_ORIGIN, OTHER_ORIGIN]);
    const partner = stats.origins[0]!;
    expect(partner).toMatchObject({ counted: 7, pending: 3, confirmationRate: 0.7 });
    expect(partner.topCounties).toEqual([{ code: 'KE-30', counted: 7 }]);
    expect(partner.sources).toEqual([
      { source: 'newsletter', counted: 6, pending: 2, confirmationRate: 0.75, topCounties: [{ code: 'KE-30', counted: 6 }] },
      { source: 'whatsapp', counted: 1, pending: 1, confirmationRate: 0.5, topCounties: [{ code: 'KE-30', counted: '<5' }] },
    ]);
    expect(stats.origins[1]).toMatchObject({ counted: 0, pending: 1, confirmationRate: 0, topCounties: [] });

    const only = (await (await admin(`/admin/campaigns/${t.slug}/stats/partners?origin=${encodeURIComponent(OTHER_ORIGIN)}`)).json()) as PartnerStats;
    expect(only.origins.map((o) => o.origin)).toEqual([OTHER_ORIGIN]);
    const range = (await (await admin(`/admin/campaigns/${t.slug}/stats/partners?from=2026-12-07&to=2026-12-08`)).json()) as PartnerStats;
    expect(range.origins).toEqual([]);
  });
});

describe("a partner's own view", () => {
  it('answers its own origin only, floored, at a token URL the log never shows; revoked or expired it is 404, and both are audited', async () => {
    await setup({ verification: 'none' });
    await sign(6, { origin: PARTNER_ORIGIN, source: 'newsletter' });
    await sign(2, { origin: PARTNER_ORIGIN, source: 'sms-blast', county: 'KE-28' });
    await sign(3, { origin: OTHER_ORIGIN, source: 'secret-tag' });
    const { info, token } = await createPartnerView(t.db, { campaignId: t.campaignId, origin: PARTNER_ORIGIN, actor: cliActor(), now, days: 30 });
    expect(token).toMatch(/^imlu_pv_[\w-]{43}$/);
    const stored = await t.db.client.execute('SELECT token_hash FROM partner_views');
    expect(JSON.stringify(stored.rows)).not.toContain(token);

    const response = await t.request(`/v1/partner-stats/${token}`);
    expect(response.status).toBe(200);
    const view = (await response.json()) as { origin: string; campaign: { slug: string }; stats: PartnerStats };
    expect(view.origin).toBe(PARTNER_ORIGIN);
    expect(view.campaign.slug).toBe(t.slug);
    expect(JSON.stringify(view)).not.toMatch(/other\.example|secret-tag/);
    expect(view.stats.origins).toHaveLength(1);
    expect(view.stats.origins[0]!.sources).toEqual([
      { source: 'newsletter', counted: 6, pending: 0, confirmationRate: null, topCounties: [{ code: 'KE-30', counted: 6 }] },
      { source: 'sms-blast', counted: '<5', pending: 0, confirmationRate: null, topCounties: [{ code: 'KE-28', counted: '<5' }] },
    ]);
    const logged = lines.filter((l) => l.includes('partner-stats'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('/v1/partner-stats/:token');
    expect(lines.join('\n')).not.toContain(token);

    // Opened in a browser: the same figures as a page, in Kiswahili on request, sending no referrer anywhere.
    const asPage = await t.request(`/v1/partner-stats/${token}`, { headers: { Accept: 'text/html,application/xhtml+xml,*/*;q=0.8', 'Accept-Language': 'sw-KE,sw;q=0.9' } });
    expect(asPage.status).toBe(200);
    expect(asPage.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(asPage.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(asPage.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    const pageHtml = await asPage.text();
    expect(pageHtml).toContain('<html lang="sw">');
    expect(pageHtml).toContain(`takwimu za ${PARTNER_ORIGIN}`);
    expect(pageHtml).toMatch(/<dt>Zilizohesabiwa<\/dt><dd data-figure="counted">8<\/dd>/);
    expect(pageHtml).toContain('Chanzo: sms-blast</h3><dl><dt>Zilizohesabiwa</dt><dd data-figure="counted">&lt;5</dd>');
    expect(pageHtml).not.toMatch(/other\.example|secret-tag|Signer/);
    const english = await (await t.request(`/v1/partner-stats/${token}?lang=en`, { headers: { Accept: 'text/html', 'Accept-Language': 'sw' } })).text();
    expect(english).toContain(`figures for ${PARTNER_ORIGIN}`);
    expect(lines.join('\n')).not.toContain(token);

    // An admin token is not a partner token, and a guessed one is not either.
    expect((await t.request(`/v1/partner-stats/${ADMIN}`)).status).toBe(404);
    expect((await t.request(`/v1/partner-stats/imlu_pv_${'A'.repeat(43)}`)).status).toBe(404);
    expect(await revokePartnerView(t.db, info.id, cliActor(), now)).toMatchObject({ revokedAt: now });
    expect((await t.request(`/v1/partner-stats/${token}`)).status).toBe(404);
    const gone = await t.request(`/v1/partner-stats/${token}`, { headers: { Accept: 'text/html' } });
    expect(gone.status).toBe(404);
    expect(await gone.text()).toContain('This link does not work');
    const second = await createPartnerView(t.db, { campaignId: t.campaignId, origin: PARTNER_ORIGIN, actor: cliActor(), now, days: 1 });
    expect((await t.request(`/v1/partner-stats/${second.token}`)).status).toBe(200);
    now += 24 * 60 * 60 * 1000;
    expect((await t.request(`/v1/partner-stats/${second.token}`)).status).toBe(404);
    const audit = await listAudit(t.db, { campaignId: t.campaignId });
    expect(audit.map((a) => a.action).filter((a) => a.startsWith('partner-view'))).toEqual(expect.arrayContaining(['partner-view.created', 'partner-view.revoked']));
    expect(JSON.stringify(audit)).not.toContain(token);
  });
});

describe('partner views over the admin API', () => {
  it('are created with campaigns:write (the link once), listed without links, revoked; bad input is 422 and stores nothing', async () => {
    await setup({ verification: 'none' });
    await sign(5, { origin: PARTNER_ORIGIN, source: 'newsletter' });
    const post = (body: unknown, token = ADMIN) => admin(`/admin/campaigns/${t.slug}/partner-views`, token, { method: 'POST', body: JSON.stringify(body) });
    for (const [body, field] of [
      [{ origin: 'https://partner.example/page' }, 'origin'],
      [{ origin: 'partner.example' }, 'origin'],
      [{ origin: PARTNER_ORIGIN, days: 0 }, 'days'],
      [{ origin: PARTNER_ORIGIN, label: 'line\nbreak' }, 'label'],
      [{ origin: PARTNER_ORIGIN, token: 'mine' }, 'token'],
    ] as const) {
      const response = await post(body);
      expect(response.status).toBe(422);
      expect(((await response.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual([field]);
    }
    const { token: reader } = await createAdminToken(t.db, { name: 'reader', scopes: ['campaigns:read'], actor: cliActor() });
    expect((await post({ origin: PARTNER_ORIGIN }, reader)).status).toBe(403);
    expect(Number((await t.db.client.execute('SELECT count(*) FROM partner_views')).rows[0]![0])).toBe(0);

    const created = await post({ origin: PARTNER_ORIGIN, label: 'Partner newsletter', days: 30 });
    expect(created.status).toBe(201);
    const view = (await created.json()) as { id: string; url: string; expiresAt: string; createdBy: string };
    expect(view.url).toMatch(/^https:\/\/sign\.imlu\.example\/v1\/partner-stats\/imlu_pv_[\w-]{43}$/);
    expect(view.expiresAt).toBe(new Date(now + 30 * 24 * 60 * 60 * 1000).toISOString());
    expect(view.createdBy).toBe('bootstrap');
    const path = view.url.slice(BASE.length);
    const seen = (await (await t.request(path)).json()) as { stats: PartnerStats };
    expect(seen.stats.origins[0]).toMatchObject({ origin: PARTNER_ORIGIN, counted: 5 });

    const listed = await admin(`/admin/campaigns/${t.slug}/partner-views`, reader);
    expect(listed.status).toBe(200);
    const text = await listed.text();
    expect(text).not.toContain(view.url.slice(view.url.lastIndexOf('/') + 1));
    expect(JSON.parse(text)).toMatchObject({ views: [{ id: view.id, origin: PARTNER_ORIGIN, label: 'Partner newsletter', revokedAt: null }] });

    expect((await admin(`/admin/partner-views/${view.id}`, reader, { method: 'DELETE' })).status).toBe(403);
    const revoked = await admin(`/admin/partner-views/${view.id}`, ADMIN, { method: 'DELETE' });
    expect(revoked.status).toBe(200);
    expect(((await revoked.json()) as { revokedAt: string }).revokedAt).toBe(new Date(now).toISOString());
    expect((await t.request(path)).status).toBe(404);
    expect((await admin(`/admin/partner-views/${view.id}`, ADMIN, { method: 'DELETE' })).status).toBe(404);
  });
});
