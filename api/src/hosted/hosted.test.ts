import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCampaign } from '../campaigns/create.ts';
import { createTestApi, OPEN_CAMPAIGN, tableCounts, TEST_KEYS, type TestApi } from '../../test/helpers.ts';
import { deriveFormTokenKey, issueFormToken, isCrossSitePost, verifyFormToken, FORM_TOKEN_TTL_MS } from './form-token.ts';
import { pickLocale } from './strings.ts';

let t: TestApi;
let now: number;

beforeEach(async () => {
  now = Date.UTC(2026, 10, 27, 12, 0, 0);
  t = await createTestApi({ clock: () => now });
});
afterEach(async () => {
  await t.close();
});

const EMPTY = { signatures: 0, signature_dedupe: 0, campaign_counts: 0, idempotency_keys: 0 };
/** What a browser sends with a form posted from the page itself. */
const SAME_ORIGIN = { 'Sec-Fetch-Site': 'same-origin', Origin: 'http://localhost' };

async function getPage(query = '', headers: Record<string, string> = {}, slug = t.slug) {
  const response = await t.request(`/c/${slug}${query}`, { headers });
  return { response, html: await response.text() };
}

function tokenIn(html: string): string {
  const match = /name="token" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no form token in the page');
  return match[1]!;
}

async function post(fields: Record<string, string>, headers: Record<string, string> = SAME_ORIGIN, slug = t.slug, query = '') {
  const response = await t.request(`/c/${slug}${query}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
  return { response, html: await response.text() };
}

/** A token from a freshly served form, and a person's few seconds to fill it in (the minimum fill time is 2 s). */
async function freshToken(slug = t.slug) {
  const token = tokenIn((await getPage('', {}, slug)).html);
  now += 5000;
  return token;
}

async function counts() {
  return (await (await t.request(`/v1/campaigns/${t.slug}/counts`)).json()) as { signatures: number; byCounty: Record<string, number> };
}

const valid = { name: 'Wanjirũ Kamau', phone: '0712 345 678', county: 'KE-30', terms: 'yes' };

describe('GET /c/:slug', () => {
  it('renders the petition and a plain form in English by default, with no script and a CSP that allows only its own style', async () => {
    const { response, html } = await getPage();
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(response.headers.get('Vary')).toContain('Accept-Language');
    expect(html).toMatch(/^<!doctype html><html lang="en">/);
    expect(html).toContain('<h1>Test campaign</h1>');
    expect(html).toContain('<li>First demand</li>');
    expect(html).toContain('<form method="post"');
    expect(html).toContain('Sign the petition');
    expect(html).toContain('<option value="KE-30">Nairobi</option>');
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\son\w+=/i);
    // What is signed (summary, demands) before the form; the longer text after it, fewer bytes before it.
    expect(html.indexOf('<li>First demand</li>')).toBeLessThan(html.indexOf('<form method="post"'));
    expect(html.indexOf('<h2>More about this campaign</h2><p>Body</p>')).toBeGreaterThan(html.indexOf('</form>'));

    const csp = response.headers.get('Content-Security-Policy') ?? '';
    const style = /<style>([^<]*)<\/style>/.exec(html)![1]!;
    const hash = createHash('sha256').update(style).digest('base64');
    expect(csp).toContain(`style-src 'sha256-${hash}'`);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|script-src/);
  });

  it('renders in Kiswahili with ?lang=sw and with a Kiswahili Accept-Language', async () => {
    for (const [query, headers] of [
      ['?lang=sw', {}],
      ['', { 'Accept-Language': 'sw-KE,sw;q=0.9,en;q=0.5' }],
      ['', { 'Accept-Language': 'en;q=0.3, sw;q=0.8' }],
    ] as const) {
      const { html } = await getPage(query, headers);
      expect(html).toMatch(/^<!doctype html><html lang="sw">/);
      expect(html).toContain('<h1>Kampeni ya majaribio</h1>');
      expect(html).toContain('<li>Dai la kwanza</li>');
      expect(html).toContain('Tia sahihi');
      expect(html).toContain('Jina lako');
      expect(html).not.toContain('Sign the petition');
    }
    // ?lang wins over the header, and an unknown language falls back to English.
    expect((await getPage('?lang=en', { 'Accept-Language': 'sw' })).html).toContain('<html lang="en">');
    expect((await getPage('', { 'Accept-Language': 'fr-FR,de;q=0.9' })).html).toContain('<html lang="en">');
  });

  it('stays under 30 KB in both languages, errors included', async () => {
    const longCampaign = {
      ...OPEN_CAMPAIGN,
      slug: 'long',
      body: { en: 'A paragraph of the campaign.\n\n'.repeat(40), sw: 'Aya ya kampeni.\n\n'.repeat(40) },
    };
    await createCampaign(t.db, longCampaign, now);
    for (const lang of ['en', 'sw']) {
      const { html } = await getPage(`?lang=${lang}`, {}, 'long');
      expect(Buffer.byteLength(html)).toBeLessThan(30 * 1024);
      const invalid = await post({ token: tokenIn(html), lang, name: '', phone: '12', comment: 'x'.repeat(500) }, SAME_ORIGIN, 'long');
      expect(invalid.response.status).toBe(422);
      expect(Buffer.byteLength(invalid.html)).toBeLessThan(30 * 1024);
    }
  });

  it('answers an HTML 404 for an unknown or draft campaign', async () => {
    await createCampaign(t.db, { ...OPEN_CAMPAIGN, slug: 'draft', status: 'draft' }, now);
    for (const slug of ['nope', 'draft', 'Not_A_Slug']) {
      const { response, html } = await getPage('?lang=sw', {}, slug);
      expect(response.status).toBe(404);
      expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
      expect(html).toContain('Ombi halikupatikana');
    }
  });

  it('shows a closed campaign without a form, and a post to it stores nothing', async () => {
    await createCampaign(t.db, { ...OPEN_CAMPAIGN, slug: 'closed', status: 'closed' }, now);
    const { response, html } = await getPage('', {}, 'closed');
    expect(response.status).toBe(200);
    expect(html).toContain('This petition is closed');
    expect(html).not.toContain('<form');
    const token = issueFormToken(deriveFormTokenKey(TEST_KEYS.blindIndexKey), 'closed', now);
    const refused = await post({ ...valid, token }, SAME_ORIGIN, 'closed');
    expect(refused.response.status).toBe(409);
    expect(await tableCounts(t.db)).toEqual(EMPTY);
  });

  it('says when a campaign not yet open opens (the contracts\' signing window), in the signer\'s language, without a form', async () => {
    await createCampaign(t.db, { ...OPEN_CAMPAIGN, slug: 'soon', opensAt: Date.UTC(2030, 2, 3, 6, 0) }, now);
    const en = await getPage('?lang=en', {}, 'soon');
    expect(en.html).toContain('<h2>Not open yet</h2><p>Signing opens on 3 March 2030. Come back then.</p>');
    expect(en.html).not.toContain('<form');
    expect(en.html).not.toContain('is closed');
    const sw = await getPage('?lang=sw', {}, 'soon');
    expect(sw.html).toContain('Kutia sahihi kutaanza tarehe 3 Machi 2030.');
  });
});

describe('POST /c/:slug', () => {
  it('signs through the same path as the API: counted, encrypted, with locale and source, and a thank-you page', async () => {
    const { html: page } = await getPage('?lang=sw&source=radio-citizen');
    expect(page).toContain('name="source" value="radio-citizen"');
    now += 5000; // a person's few seconds to fill the form in
    const { response, html } = await post({ ...valid, token: tokenIn(page), lang: 'sw', source: 'radio-citizen' });
    expect(response.status).toBe(200);
    expect(html).toContain('<h1>Asante kwa kutia sahihi</h1>');
    expect(html).toContain('Sahihi yako imehesabiwa.');
    expect(await counts()).toMatchObject({ signatures: 1, byCounty: { 'KE-30': 1 } });

    const rows = await t.db.client.execute('SELECT name_enc, phone_enc, locale, source_ref, origin, status FROM signatures');
    expect(rows.rows).toHaveLength(1);
    const row = rows.rows[0]!;
    expect(row.locale).toBe('sw');
    expect(row.source_ref).toBe('radio-citizen');
    expect(row.origin).toBe('http://localhost');
    expect(row.status).toBe('counted');
    expect(String(row.name_enc)).not.toContain('Wanjir');
    expect(t.api.services.crypto.decrypt(String(row.phone_enc), t.campaignId, 'phone')).toBe('+254712345678');
    // The page after signing shows the new count.
    expect((await getPage()).html).toContain('1 of 1,000 signatures');
  });

  it('answers a duplicate (same phone in another format) with the identical page and counts it once', async () => {
    const first = await post({ ...valid, token: await freshToken() });
    // The same name written differently is the same signer (a family phone keeps other names apart).
    const second = await post({ ...valid, name: 'wanjiru  KAMAU', phone: '+254712345678', token: await freshToken() });
    expect(second.response.status).toBe(first.response.status);
    expect(second.html).toBe(first.html);
    expect((await counts()).signatures).toBe(1);
    expect((await tableCounts(t.db)).signatures).toBe(1);
  });

  it('re-renders invalid input with errors next to the fields, the values kept, in the signer language, and stores nothing', async () => {
    const token = await freshToken();
    const { response, html } = await post({ token, lang: 'sw', name: '=cmd', phone: '12', county: 'KE-99', email: 'not-an-email', comment: 'Haki sasa' });
    expect(response.status).toBe(422);
    expect(html).toContain('<html lang="sw">');
    expect(html).toContain('Tafadhali rekebisha makosa 5 kwenye fomu.');
    expect(html).toMatch(/<span class="e" id="e-name">Andika jina lako[^<]*<\/span>/);
    expect(html).toMatch(/<span class="e" id="e-phone">Weka nambari halali ya simu[^<]*<\/span>/);
    expect(html).toMatch(/<span class="e" id="e-email">Weka anwani halali ya barua pepe[^<]*<\/span>/);
    expect(html).toMatch(/<span class="e" id="e-county">Chagua mojawapo ya kaunti 47.<\/span>/);
    expect(html).toMatch(/<span class="e" id="e-terms">Unahitaji kukubali masharti[^<]*<\/span>/);
    expect(html).toContain('id="f-name" name="name" value="=cmd" maxlength="120" autocomplete="name" aria-invalid="true" aria-describedby="e-name"');
    expect(html).toContain('name="phone" value="12"');
    expect(html).toContain('name="email" value="not-an-email"');
    expect(html).toContain('>Haki sasa</textarea>');
    expect(await tableCounts(t.db)).toEqual(EMPTY);

    // Neither contact: one message at the contact fieldset; a number that is the right length but not real.
    const noContact = await post({ token, name: 'Otieno', terms: 'yes' });
    expect(noContact.html).toContain('<span class="e" id="e-contact">Give a phone number or an e-mail address.</span>');
    const fake = await post({ token, name: 'Otieno', phone: '0000 000', terms: 'yes' });
    expect(fake.response.status).toBe(422);
    expect(fake.html).toContain('id="e-phone">Enter a valid phone number');
    expect(await tableCounts(t.db)).toEqual(EMPTY);
  });

  it('puts the error summary first, focused, naming each field, with every error in one round (Kiswahili)', async () => {
    const token = await freshToken();
    // No name, no contact, terms not accepted: before, the contact error came only in a second round.
    const { response, html } = await post({ token, lang: 'sw', name: '', phone: '', email: '', comment: 'Haki' });
    expect(response.status).toBe(422);
    expect(html).toContain('<title>Kosa: Kampeni ya majaribio</title>');
    // The summary is the first thing in <main> after the language link, and the browser focuses it.
    expect(html).toMatch(/<main><nav[^>]*>.*?<\/nav><div class="s" id="errors" role="alert" tabindex="-1" autofocus>/);
    expect(html).toContain('<p>Tafadhali rekebisha makosa 3 kwenye fomu.</p>');
    const links = [...html.matchAll(/<li><a href="(#[^"]+)">([^<]+)<\/a><\/li>/g)].map((match) => [match[1], match[2]]);
    expect(links).toEqual([
      ['#f-name', 'Jina lako: Sehemu hii ni lazima ijazwe.'],
      ['#f-phone', 'Nambari ya simu au anwani ya barua pepe: Weka nambari ya simu au anwani ya barua pepe.'],
      ['#f-terms', 'Masharti: Unahitaji kukubali masharti ili kutia sahihi.'],
    ]);
    // Every link leads to a field that exists.
    for (const [anchor] of links) expect(html).toContain(`id="${anchor!.slice(1)}"`);
    expect(html).toMatch(/<input type="checkbox" id="f-terms" name="terms" value="yes" aria-invalid="true" aria-describedby="e-terms">/);

    // Corrected in one go: signed.
    const fixed = await post({ token, lang: 'sw', name: 'Akinyi', phone: '0712 345 678', terms: 'yes' });
    expect(fixed.response.status).toBe(200);
    expect(fixed.html).toContain('Asante kwa kutia sahihi');
  });

  it('says the phone-or-e-mail rule plainly next to the two fields, and marks neither optional', async () => {
    const { html } = await getPage('?lang=sw');
    expect(html).toContain('<p class="r" id="r-contact"><strong>Weka angalau kimoja kati ya hivi viwili: nambari ya simu au anwani ya barua pepe.</strong></p>');
    expect(html).toContain('<label for="f-phone">Nambari ya simu</label>');
    expect(html).toContain('<label for="f-email">Anwani ya barua pepe</label>');
    expect(html).toMatch(/id="f-phone"[^>]*aria-describedby="r-contact h-phone"/);
    const english = (await getPage('?lang=en')).html;
    expect(english).toContain('Give at least one of the two: a phone number or an e-mail address.');
    expect(english).not.toMatch(/<label for="f-(phone|email)">[^<]*\(optional\)/);
    // Checkboxes are sized to 24 px by the page's one stylesheet.
    expect(html).toMatch(/<style>[^<]*\.c input\{flex:none;width:24px;height:24px/);
  });

  it('asks for the contact a campaign confirms by (e-mail only) instead of failing, and stores nothing', async () => {
    await t.close();
    t = await createTestApi({ clock: () => now, campaign: { verification: 'email' } });
    const token = await freshToken();
    const { response, html } = await post({ token, ...valid });
    expect(response.status).toBe(422);
    expect(html).toContain('<span class="e" id="e-email">This field is required.</span>');
    expect(html).toContain('name="phone" value="0712 345 678"');
    expect(await tableCounts(t.db)).toEqual(EMPTY);
  });

  it('escapes what the signer typed when it comes back', async () => {
    const { html } = await post({ token: await freshToken(), name: '"><script>alert(1)</script>', comment: '</textarea><b>x' });
    expect(html).not.toContain('<script>');
    expect(html).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(html).toContain('&lt;/textarea&gt;&lt;b&gt;x</textarea>');
  });

  it('refuses a cross-site post (Sec-Fetch-Site or Origin) before reading it, and stores nothing', async () => {
    const token = await freshToken();
    const crossSite: Record<string, string>[] = [
      { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.example' },
      { 'Sec-Fetch-Site': 'same-site', Origin: 'http://sub.localhost' },
      { Origin: 'https://evil.example' },
      { Origin: 'null' },
    ];
    for (const headers of crossSite) {
      const { response, html } = await post({ ...valid, token }, headers);
      expect(response.status).toBe(403);
      expect(html).toContain('can only be signed from its own page');
      expect(html).not.toContain('Wanjir');
    }
    expect(await tableCounts(t.db)).toEqual(EMPTY);
  });

  it('refuses a post without a valid token from this server (missing, forged, other campaign, expired) and keeps the values', async () => {
    await createCampaign(t.db, { ...OPEN_CAMPAIGN, slug: 'other' }, now);
    const otherToken = await freshToken('other');
    const stale = await freshToken();
    const forged = issueFormToken(deriveFormTokenKey(Buffer.alloc(32, 7)), t.slug, now);
    // A browser that sends neither Sec-Fetch-Site nor Origin (an old feature-phone browser) relies on the token.
    for (const token of [undefined, 'v1.zzz.abc', forged, otherToken]) {
      const fields: Record<string, string> = token === undefined ? valid : { ...valid, token };
      const { response, html } = await post(fields, {});
      expect(response.status).toBe(403);
      expect(html).toContain('Check your details and send it again');
      expect(html).toContain('value="Wanjirũ Kamau"');
    }
    now += FORM_TOKEN_TTL_MS + 1000;
    expect((await post({ ...valid, token: stale }, {})).response.status).toBe(403);
    expect(await tableCounts(t.db)).toEqual(EMPTY);

    // The re-rendered form carries a fresh token, and sending it again works.
    const retry = await post({ ...valid, token: stale }, {});
    const signed = await post({ ...valid, token: tokenIn(retry.html) }, {});
    expect(signed.response.status).toBe(200);
    expect((await counts()).signatures).toBe(1);
  });

  it('answers an HTML 413 for a body over 16 KB and stores nothing', async () => {
    const { response, html } = await post({ ...valid, token: await freshToken(), comment: 'x'.repeat(17 * 1024) });
    expect(response.status).toBe(413);
    expect(html).toContain('Your message is too long');
    expect(await tableCounts(t.db)).toEqual(EMPTY);
  });
});

describe('rate limits on the hosted form (as on the JSON route)', () => {
  const from = (ip: string) => ({ ...SAME_ORIGIN, 'X-Forwarded-For': `10.0.0.1, ${ip}` });

  it('stores a second signature from one source within a minute as suspect: same page, not counted', async () => {
    await t.close();
    t = await createTestApi({ clock: () => now, rateLimits: { trustProxy: true } });
    const first = await post({ ...valid, token: await freshToken() }, from('203.0.113.9'));
    const second = await post({ ...valid, phone: '0733 222 111', token: await freshToken() }, from('203.0.113.9'));
    expect(second.response.status).toBe(first.response.status);
    expect(second.html).toBe(first.html);
    expect((await counts()).signatures).toBe(1);
    const flags = await t.db.client.execute('SELECT flag FROM signatures ORDER BY created_at');
    expect(flags.rows.map((row) => row.flag)).toEqual([null, 'suspect']);
  });

  it("answers the API's hard limit with an HTML 429 and Retry-After, storing nothing", async () => {
    await t.close();
    t = await createTestApi({ clock: () => now, rateLimits: { trustProxy: true, hardPerMinute: 2 } });
    const token = await freshToken();
    await post({ token, name: '' }, from('198.51.100.4'));
    await post({ token, name: '' }, from('198.51.100.4'));
    const { response, html } = await post({ ...valid, token }, from('198.51.100.4'));
    expect(response.status).toBe(429);
    expect(response.headers.get('Retry-After')).toMatch(/^\d+$/);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(html).toContain('Too many attempts');
    expect(await tableCounts(t.db)).toMatchObject({ signatures: 0 });
  });
});

describe('bot friction on the hosted form', () => {
  async function flags() {
    return (await t.db.client.execute('SELECT flag FROM signatures ORDER BY created_at')).rows.map((row) => row.flag);
  }

  it('has a honeypot field out of sight and out of the tab order, labelled for browsers without CSS', async () => {
    const { html } = await getPage('?lang=sw');
    expect(html).toMatch(/<p class="hp"><label for="f-website">Acha sehemu hii wazi<\/label><br><input type="text" id="f-website" name="website" value="" tabindex="-1" autocomplete="off"><\/p>/);
    expect(html).toMatch(/\.hp\{position:absolute;left:-9999px/);
  });

  it('stores a post with the honeypot filled as suspect: the same thank-you page, not counted', async () => {
    const person = await post({ ...valid, token: await freshToken() });
    const bot = await post({ ...valid, phone: '0733 222 111', website: 'cheap-pills', token: await freshToken() });
    expect(bot.response.status).toBe(person.response.status);
    expect(bot.html).toBe(person.html);
    expect((await counts()).signatures).toBe(1);
    expect(await flags()).toEqual([null, 'suspect']);
  });

  it('stores a post sent within 2 s of the form being served as suspect', async () => {
    const token = tokenIn((await getPage()).html);
    now += 800;
    const { response } = await post({ ...valid, token });
    expect(response.status).toBe(200);
    expect((await counts()).signatures).toBe(0);
    expect(await flags()).toEqual(['suspect']);
  });

  it('does not take a person who resends a returned form at once for a bot', async () => {
    const token = await freshToken();
    const invalid = await post({ ...valid, terms: '', token });
    expect(invalid.response.status).toBe(422);
    // The form comes back with the values kept; ticking the box and sending takes a moment only.
    now += 300;
    const { response } = await post({ ...valid, token: tokenIn(invalid.html) });
    expect(response.status).toBe(200);
    expect((await counts()).signatures).toBe(1);
    expect(await flags()).toEqual([null]);
  });
});

describe('form tokens and language choice', () => {
  it('accepts a token only for its campaign, within its lifetime', () => {
    const key = deriveFormTokenKey(Buffer.alloc(32, 1));
    const token = issueFormToken(key, 'a', now);
    expect(verifyFormToken(key, 'a', token, now)).toBe(true);
    expect(verifyFormToken(key, 'a', token, now + FORM_TOKEN_TTL_MS)).toBe(true);
    expect(verifyFormToken(key, 'a', token, now + FORM_TOKEN_TTL_MS + 1)).toBe(false);
    expect(verifyFormToken(key, 'b', token, now)).toBe(false);
    expect(verifyFormToken(deriveFormTokenKey(Buffer.alloc(32, 2)), 'a', token, now)).toBe(false);
    expect(verifyFormToken(key, 'a', issueFormToken(key, 'a', now + 60 * 60 * 1000), now)).toBe(false);
    expect(verifyFormToken(key, 'a', `${token}x`, now)).toBe(false);
    // The token key is not the blind-index key itself.
    expect(deriveFormTokenKey(Buffer.alloc(32, 1)).equals(Buffer.alloc(32, 1))).toBe(false);
  });

  it('trusts Sec-Fetch-Site when the browser sends it, else compares Origin with this host', () => {
    const url = 'http://api.example:8787/c/x';
    const check = (headers: Record<string, string>) => isCrossSitePost(new Headers(headers), url);
    expect(check({ 'Sec-Fetch-Site': 'same-origin', Origin: 'http://api.example:8787' })).toBe(false);
    // A page with a no-referrer policy posts `Origin: null` to itself; Sec-Fetch-Site still says same-origin.
    expect(check({ 'Sec-Fetch-Site': 'same-origin', Origin: 'null' })).toBe(false);
    expect(check({ 'Sec-Fetch-Site': 'none' })).toBe(false);
    expect(check({ 'Sec-Fetch-Site': 'cross-site', Origin: 'http://api.example:8787' })).toBe(true);
    expect(check({ 'Sec-Fetch-Site': 'same-site' })).toBe(true);
    expect(check({ Origin: 'http://api.example:8787' })).toBe(false);
    expect(check({ Origin: 'http://evil.example' })).toBe(true);
    expect(check({ Origin: 'null' })).toBe(true);
    expect(check({})).toBe(false);
  });

  it('picks the language from ?lang, then Accept-Language by weight, then English', () => {
    expect(pickLocale('sw', 'en')).toBe('sw');
    expect(pickLocale(undefined, 'sw-TZ')).toBe('sw');
    expect(pickLocale(undefined, 'en-GB,en;q=0.9,sw;q=0.8')).toBe('en');
    expect(pickLocale(undefined, 'fr,sw;q=0.2')).toBe('sw');
    expect(pickLocale(undefined, 'sw;q=0,en;q=0.1')).toBe('en');
    expect(pickLocale('de', undefined)).toBe('en');
  });
});
