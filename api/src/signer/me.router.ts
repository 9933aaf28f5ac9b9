/**
 * "Manage my signature" (`/me`): hosted HTML, no script, English and Kiswahili. Kenya's Data Protection Act
 * gives a signer the right to see what is held about them (s.26) and to have it erased (s.40); this is where
 * they do it, by proving the phone number or e-mail address they signed with (`access.ts`).
 *
 * - `GET /me` — one field: phone number or e-mail address (`?campaign=` only adds a link back).
 * - `POST /me` — always the same page ("if this signed here, a message is on its way") with a code form;
 *   when the contact holds a signature, a message with a 6-digit code and a private link is queued.
 * - `POST /me/code` — a right code leads (303) to the manage page; tries are limited per request and per source.
 * - `GET /me/<token>` — everything stored with the contact, per campaign, with what its holder can do.
 * - `POST /me/<token>` — `action` = `withdraw` | `stop-updates` (with `signature`), `erase` (asks first),
 *   `erase-confirm`.
 *
 * Every POST refuses a cross-site post before reading its body (`isCrossSitePost`). Pages with a token in
 * the URL send `Referrer-Policy: no-referrer`; then some browsers post `Origin: null` from the page itself,
 * which is accepted there — those posts need the token, which another site does not have.
 */
import { z } from '@hono/zod-openapi';
import { LOCALES, SlugSchema, type Locale } from '@imlu/contracts';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { every } from 'hono/combine';
import { HardLimiter, perSourceLimit } from '../abuse/rate-limit.ts';
import { SOURCE_WINDOW_MS, CODE_TRIES_PER_SOURCE, MAX_CODE_ATTEMPTS } from '../confirm/confirmations.handlers.ts';
import { isCrossSitePost } from '../hosted/form-token.ts';
import { TOKEN_PAGE_HEADERS } from '../hosted/render.ts';
import { pickLocale } from '../hosted/strings.ts';
import type { AppBindings } from '../http/context.ts';
import { readFormBody } from '../http/form-body.ts';
import { createRouter, problemResponses } from '../http/openapi.ts';
import { ProblemError } from '../http/problem.ts';
import { MANAGE_TTL_MS, type SessionClaim, type SignerAccess } from './access.ts';
import { parseContact } from './contact.ts';
import { renderCodeForm, renderEraseConfirm, renderManage, renderNotice, renderStart, type FromCampaign } from './me.page.ts';
import { ME_STRINGS } from './me.strings.ts';
import { attemptsKey, queueManageMessage } from './messages.ts';
import { eraseContact, findByContact, isWithdrawable, stopUpdates, withdrawSignature } from './records.ts';

/** Requests for a code per source and node, in `SOURCE_WINDOW_MS` (10 minutes). */
export const MANAGE_REQUESTS_PER_SOURCE = 10;
/**
 * Manage pages (`/me/<token>`, shown or posted) per source and node in 10 minutes. Each reads the contact's
 * signatures in every campaign (see `records.ts` for what a phone lookup costs), so even a holder of a
 * valid link may not turn it into a load on the one database connection.
 */
export const MANAGE_PAGES_PER_SOURCE = 60;
/** A form holds a sealed request (~100 characters), a code or an e-mail address: 4 KB is ample. */
const MAX_FORM_BYTES = 4096;

type MeContext = Context<AppBindings>;
type Status = 200 | 400 | 403 | 404 | 409 | 410 | 413 | 422 | 429;

function html(c: MeContext, body: string, status: Status, secretInUrl: boolean): Response {
  return c.body(body, status, {
    ...TOKEN_PAGE_HEADERS,
    // `same-origin` where the URL holds nothing: with `no-referrer`, browsers post `Origin: null` from the
    // page's own form, which the cross-site check then has to refuse.
    'Referrer-Policy': secretInUrl ? 'no-referrer' : 'same-origin',
    Vary: 'Accept-Language',
  });
}

function localeOf(c: MeContext, body?: Record<string, unknown>, fallback?: Locale): Locale {
  const asked = body?.['lang'] ?? c.req.query('lang');
  if ((LOCALES as readonly unknown[]).includes(asked)) return asked as Locale;
  return fallback ?? pickLocale(undefined, c.req.header('Accept-Language'));
}

async function fromCampaign(c: MeContext, slug: unknown): Promise<FromCampaign | undefined> {
  const parsed = SlugSchema.safeParse(slug);
  if (!parsed.success) return undefined;
  const campaign = await c.var.services.campaigns.findBySlug(parsed.data);
  return campaign && campaign.status !== 'draft' ? { slug: campaign.slug, title: campaign.title } : undefined;
}

/** A per-source limit answered as a page (429 with `Retry-After`) before the body is read. */
function limitAsPage(scope: string, limiter: (c: MeContext) => HardLimiter | undefined, secretInUrl: boolean): MiddlewareHandler<AppBindings> {
  return async (c, next) => {
    try {
      await perSourceLimit(scope, () => limiter(c))(c, async () => {});
    } catch (error) {
      if (!(error instanceof ProblemError) || error.problem !== 'rate-limited') throw error;
      const locale = localeOf(c);
      const t = ME_STRINGS[locale];
      const response = html(c, renderNotice(locale, t.rateLimitedHeading, t.rateLimitedBody, undefined, secretInUrl ? 'no-referrer' : 'same-origin'), 429, secretInUrl);
      response.headers.set('Retry-After', error.headers['Retry-After'] ?? '60');
      return response;
    }
    await next();
  };
}

function limitBody(secretInUrl: boolean): MiddlewareHandler<AppBindings> {
  return (c, next) => {
    const locale = localeOf(c);
    const t = ME_STRINGS[locale];
    return bodyLimit({
      maxSize: MAX_FORM_BYTES,
      onError: (ctx) => html(ctx as MeContext, renderNotice(locale, t.tooLargeHeading, t.tooLargeBody), 413, secretInUrl),
    })(c, next);
  };
}

function crossSite(c: MeContext, locale: Locale, secretInUrl: boolean): Response {
  const t = ME_STRINGS[locale];
  return html(c, renderNotice(locale, t.crossSiteHeading, t.crossSiteBody, { href: `/me?lang=${locale}`, text: t.askAgain }), 403, secretInUrl);
}

/** The session a `/me/<token>` URL holds, or the page to answer instead. */
function sessionOf(c: MeContext, access: SignerAccess, locale?: Locale): SessionClaim | Response {
  const claim = access.openSession(c.req.param('token'), c.var.services.clock());
  if (typeof claim === 'object') return claim;
  const lang = locale ?? localeOf(c);
  const t = ME_STRINGS[lang];
  const again = { href: `/me?lang=${lang}`, text: t.askAgain };
  return claim === 'expired'
    ? html(c, renderNotice(lang, t.expiredHeading, t.expiredBody, again, 'no-referrer'), 410, true)
    : html(c, renderNotice(lang, t.invalidHeading, t.invalidBody, again, 'no-referrer'), 404, true);
}

export function meRouter(access: SignerAccess) {
  const router = createRouter();
  // Per node, in memory, like the SMS code limits; created with the app's clock on first use.
  let limiters: { requests: HardLimiter; codes: HardLimiter; pages: HardLimiter } | undefined;
  const limiter = (c: MeContext, which: 'requests' | 'codes' | 'pages') => {
    limiters ??= {
      requests: new HardLimiter(MANAGE_REQUESTS_PER_SOURCE, c.var.services.clock, SOURCE_WINDOW_MS),
      codes: new HardLimiter(CODE_TRIES_PER_SOURCE, c.var.services.clock, SOURCE_WINDOW_MS),
      pages: new HardLimiter(MANAGE_PAGES_PER_SOURCE, c.var.services.clock, SOURCE_WINDOW_MS),
    };
    return limiters[which];
  };

  router.get('/me', async (c) => {
    const locale = localeOf(c);
    return html(c, renderStart(locale, { from: await fromCampaign(c, c.req.query('campaign')) }), 200, false);
  });

  router.post('/me', limitAsPage('manage-request', (c) => limiter(c, 'requests'), false), limitBody(false), async (c) => {
    if (isCrossSitePost(c.req.raw.headers, c.req.url)) return crossSite(c, localeOf(c), false);
    const body = await readFormBody(c);
    const locale = localeOf(c, body);
    const from = await fromCampaign(c, body['campaign']);
    const contact = parseContact(body['contact']);
    if (contact === 'empty' || contact === 'invalid') {
      const value = typeof body['contact'] === 'string' ? body['contact'].slice(0, 254) : '';
      return html(c, renderStart(locale, { from, value, error: contact }), 422, false);
    }
    const { db, crypto, clock, outbox } = c.var.services;
    const now = clock();
    const records = await findByContact(db.client, crypto, contact);
    const request = access.request(contact, now + MANAGE_TTL_MS);
    // Queued or not, the answer is the same page: it never says whether a contact signed.
    if (await queueManageMessage(db.client, access, contact, records, request.nonce, now)) setImmediate(() => outbox.notify());
    return html(c, renderCodeForm(locale, request.token, { from }), 200, false);
  });

  const postCode = every(limitAsPage('manage-code', (c) => limiter(c, 'codes'), false), limitBody(false), async (c: MeContext) => {
    if (isCrossSitePost(c.req.raw.headers, c.req.url)) return crossSite(c, localeOf(c), false);
    const body = await readFormBody(c);
    const locale = localeOf(c, body);
    const t = ME_STRINGS[locale];
    const from = await fromCampaign(c, body['campaign']);
    const again = { href: `/me?lang=${locale}${from ? `&campaign=${from.slug}` : ''}`, text: t.askAgain };
    const { db, clock } = c.var.services;
    const now = clock();
    const claim = access.openRequest(body['request'], now);
    if (claim === undefined) return html(c, renderNotice(locale, t.invalidHeading, t.invalidBody, again), 400, false);
    if (claim === 'expired') return html(c, renderNotice(locale, t.expiredHeading, t.expiredBody, again), 410, false);
    const request = String(body['request']);
    const code = typeof body['code'] === 'string' ? body['code'].replace(/\s+/g, '') : '';
    // Something that is not a code is not a guess: it takes no try.
    if (!/^\d{6}$/.test(code)) return html(c, renderCodeForm(locale, request, { from, wrong: true }), 422, false);
    // One try taken in ONE atomic statement (parallel guesses cannot all pass a read-then-write check).
    const reserved = await db.client.execute({
      sql:
        'INSERT INTO code_attempts (signature_id, attempts, resends, updated_at) VALUES (?, 1, 0, ?) ' +
        'ON CONFLICT (signature_id) DO UPDATE SET attempts = attempts + 1, updated_at = excluded.updated_at ' +
        'WHERE code_attempts.attempts < ? RETURNING attempts',
      args: [attemptsKey(claim.nonce), now, MAX_CODE_ATTEMPTS],
    });
    if (!reserved.rows.length) return html(c, renderNotice(locale, t.tooManyHeading, t.tooManyBody, again), 429, false);
    if (!access.codeMatches(code, claim.nonce, claim.contact)) return html(c, renderCodeForm(locale, request, { from, wrong: true }), 422, false);
    // A right code is spent: the session it opens is the way in from here.
    await db.client.execute({ sql: 'UPDATE code_attempts SET attempts = ? WHERE signature_id = ?', args: [MAX_CODE_ATTEMPTS, attemptsKey(claim.nonce)] });
    const session = access.session(claim.contact, locale, now + MANAGE_TTL_MS);
    return c.body(null, 303, { Location: `/me/${session}`, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
  });

  router.get('/me/:token', limitAsPage('manage-page', (c) => limiter(c, 'pages'), true), async (c) => {
    const session = sessionOf(c, access);
    if (session instanceof Response) return session;
    const { db, crypto } = c.var.services;
    const records = await findByContact(db.client, crypto, session.contact);
    const page = renderManage({ locale: localeOf(c, undefined, session.locale), token: c.req.param('token'), contact: session.contact, expiresAt: session.expiresAt, records });
    return html(c, page, 200, true);
  });

  const postSession = every(limitAsPage('manage-page', (c) => limiter(c, 'pages'), true), limitBody(true), async (c: MeContext) => {
    if (isCrossSitePost(c.req.raw.headers, c.req.url, { allowNullOrigin: true })) return crossSite(c, localeOf(c), true);
    const body = await readFormBody(c);
    const session = sessionOf(c, access, (LOCALES as readonly unknown[]).includes(body['lang']) ? (body['lang'] as Locale) : undefined);
    if (session instanceof Response) return session;
    const locale = localeOf(c, body, session.locale);
    const t = ME_STRINGS[locale];
    const token = c.req.param('token') ?? '';
    const { db, crypto, clock, counts, logger } = c.var.services;
    const now = clock();
    const records = await findByContact(db.client, crypto, session.contact);
    const manage = async (notice: string, status: Status) =>
      html(c, renderManage({ locale, token, contact: session.contact, expiresAt: session.expiresAt, records: await findByContact(db.client, crypto, session.contact), notice }), status, true);

    const action = body['action'];
    const record = records.find((r) => r.id === body['signature']);
    switch (action) {
      case 'withdraw': {
        if (!record || !isWithdrawable(record)) return manage(t.nothingChanged, 409);
        const result = await withdrawSignature(db, record, { by: 'signer' }, now);
        counts.apply(result.counts);
        return manage(result.changed ? t.withdrawn(record.campaign.title[locale]) : t.nothingChanged, result.changed ? 200 : 409);
      }
      case 'stop-updates': {
        if (!record || record.role !== 'owner' || !record.current || !record.consent.updates) return manage(t.nothingChanged, 409);
        const result = await stopUpdates(db, record, { by: 'signer' }, now);
        return manage(result.changed ? t.updatesStopped(record.campaign.title[locale]) : t.nothingChanged, result.changed ? 200 : 409);
      }
      case 'erase':
        return html(c, renderEraseConfirm(locale, token, records), 200, true);
      case 'erase-confirm': {
        const report = await eraseContact(db, session.contact, records, { by: 'signer' }, now);
        counts.apply(report.counts);
        logger.info('signer erased their personal data', { signatures: report.deleted, contactRemoved: report.contactRemoved, walTruncated: report.walTruncated });
        return html(c, renderNotice(locale, t.erasedHeading, t.erasedBody, undefined, 'no-referrer'), 200, true);
      }
      default:
        return manage(t.unknownAction, 400);
    }
  });

  // `POST /me/code` and `POST /me/<token>` share one route: Hono's RegExpRouter cannot hold a literal
  // segment beside a parameter (`/me/code` next to `/me/:token`), and one such pair made the whole app fall
  // back to the TrieRouter, ~60 µs more on every request (signing and counts included). A session token
  // is sealed and long, never `code`. api/test/router.test.ts keeps the app on the RegExpRouter.
  router.post('/me/:token', (c, next) => (c.req.param('token') === 'code' ? postCode(c, next) : postSession(c, next)));

  documentMeRoutes(router);
  return router;
}

const HTML = { 'text/html': { schema: z.string() } };

function documentMeRoutes(router: ReturnType<typeof createRouter>) {
  const lang = z.enum(LOCALES).optional().meta({ description: 'Page language; without it, `Accept-Language` (or the session\'s language) decides' });
  const token = z.object({ token: z.string().max(600).meta({ description: 'A session: sealed contact and expiry (1 hour), opaque' }) });
  const tags = ['signer rights'];
  router.openAPIRegistry.registerPath({
    method: 'get',
    path: '/me',
    tags,
    summary: 'Manage my signature: a form asking for the phone number or e-mail address the signer signed with',
    request: { query: z.object({ lang, campaign: SlugSchema.optional().meta({ description: 'Only adds a link back to this campaign' }) }) },
    responses: { 200: { description: 'The form, in English or Kiswahili', content: HTML }, ...problemResponses(500) },
  });
  router.openAPIRegistry.registerPath({
    method: 'post',
    path: '/me',
    tags,
    summary: 'Ask for a code and a link (by SMS or e-mail) to manage the signatures given with a contact',
    description:
      'Answers the same page, with a code form, whether or not the contact signed; when it holds a signature, a message with a ' +
      '6-digit code and a private link goes to it in the language it signed in (at most 5 a day per contact). ' +
      `At most ${MANAGE_REQUESTS_PER_SOURCE} requests per source in 10 minutes. A cross-site post is refused.`,
    request: {
      body: {
        content: {
          'application/x-www-form-urlencoded': {
            schema: z.object({ contact: z.string().meta({ description: 'A phone number or an e-mail address' }), lang, campaign: z.string().optional() }),
          },
        },
      },
    },
    responses: {
      200: { description: 'The code form (identical whether or not the contact signed)', content: HTML },
      403: { description: 'Cross-site post refused', content: HTML },
      413: { description: 'Form over 4 KB', content: HTML },
      422: { description: 'Not a phone number or e-mail address: the form again, with a message', content: HTML },
      429: { description: 'Too many requests from this source (`Retry-After`)', content: HTML },
      ...problemResponses(500),
    },
  });
  router.openAPIRegistry.registerPath({
    method: 'post',
    path: '/me/code',
    tags,
    summary: 'Send the 6-digit code: a right one leads to the manage page',
    description: `Each code allows ${MAX_CODE_ATTEMPTS} tries, each source ${CODE_TRIES_PER_SOURCE} in 10 minutes; a right code is spent. Codes work for one hour.`,
    request: {
      body: {
        content: {
          'application/x-www-form-urlencoded': {
            schema: z.object({ request: z.string().meta({ description: 'The sealed request from the code form' }), code: z.string(), lang, campaign: z.string().optional() }),
          },
        },
      },
    },
    responses: {
      303: { description: 'Right code: `Location: /me/<token>`' },
      400: { description: 'The sealed request is not ours', content: HTML },
      403: { description: 'Cross-site post refused', content: HTML },
      410: { description: 'The code has expired', content: HTML },
      413: { description: 'Form over 4 KB', content: HTML },
      422: { description: 'Wrong or malformed code: the form again', content: HTML },
      429: { description: 'Too many tries of this code, or from this source', content: HTML },
      ...problemResponses(500),
    },
  });
  router.openAPIRegistry.registerPath({
    method: 'get',
    path: '/me/{token}',
    tags,
    summary: 'Everything stored with the proven contact, per campaign, with withdraw, stop-updates and erase buttons',
    request: { params: token, query: z.object({ lang }) },
    responses: {
      200: { description: 'The manage page (`Referrer-Policy: no-referrer`)', content: HTML },
      404: { description: 'Not a valid link', content: HTML },
      410: { description: 'The link has expired (after one hour)', content: HTML },
      429: { description: `Over ${MANAGE_PAGES_PER_SOURCE} manage pages per source in 10 minutes (\`Retry-After\`)`, content: HTML },
      ...problemResponses(500),
    },
  });
  router.openAPIRegistry.registerPath({
    method: 'post',
    path: '/me/{token}',
    tags,
    summary: 'Withdraw a signature, stop updates, or erase the contact\'s personal data (after a confirmation step)',
    request: {
      params: token,
      body: {
        content: {
          'application/x-www-form-urlencoded': {
            schema: z.object({
              action: z.enum(['withdraw', 'stop-updates', 'erase', 'erase-confirm']),
              signature: z.string().optional().meta({ description: 'For `withdraw` and `stop-updates`: a signature id from the page' }),
              lang,
            }),
          },
        },
      },
    },
    responses: {
      200: { description: 'Done: the manage page with a notice, the erase confirmation step, or "erased"', content: HTML },
      400: { description: 'Unknown action: nothing changed', content: HTML },
      403: { description: 'Cross-site post refused', content: HTML },
      404: { description: 'Not a valid link', content: HTML },
      409: { description: 'Nothing to change (already withdrawn, replaced, not this contact\'s own)', content: HTML },
      410: { description: 'The link has expired', content: HTML },
      413: { description: 'Form over 4 KB', content: HTML },
      429: { description: `Over ${MANAGE_PAGES_PER_SOURCE} manage pages per source in 10 minutes (\`Retry-After\`)`, content: HTML },
      ...problemResponses(500),
    },
  });
}
