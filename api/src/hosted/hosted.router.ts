/**
 * The hosted petition page, `GET /c/:slug` and `POST /c/:slug`: the same petition for browsers without
 * JavaScript (feature phones, Opera Mini, script blockers) and the widget's `<noscript>` link.
 *
 * It is a channel of the one signing path, `sign()` (`src/signing/sign.ts`), in HTML clothes: this file
 * only reads the form, checks the page's own anti-forgery token, and shows `sign()`'s result. The answer
 * is the same for a new signature and a duplicate. A refused post stores nothing. Errors re-render the
 * form with the signer's values and a message next to each field, in the signer's language.
 *
 * The form token is single-use: it is the submission's Idempotency-Key, so the same form sent twice (a
 * double tap on a slow link) gets the same thank-you page and stores one signature, and the same token
 * with other details is refused — one fetched form cannot carry a flood.
 */
import { z } from '@hono/zod-openapi';
import { isPlainLine, LOCALES, SlugSchema, type FieldErrorCode, type Locale } from '@imlu/contracts';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { hardRateLimit, perSourceLimit, requestSource } from '../abuse/rate-limit.ts';
import { signingWindow } from '@imlu/contracts/accepting';
import { isAcceptingSignatures, type CampaignRecord } from '../campaigns/store.ts';
import type { AppBindings, Services } from '../http/context.ts';
import { requestNewCode, tryConfirmationCode } from '../confirm/confirmations.handlers.ts';
import { message } from '../i18n/index.ts';
import { createRouter, problemResponses } from '../http/openapi.ts';
import { ProblemError } from '../http/problem.ts';
import { sign } from '../signing/sign.ts';
import { readFormBody } from '../http/form-body.ts';
import { FORM_TOKEN_TTL_MS, formTokenIssuedAt, issueFormToken, isCrossSitePost, verifyFormToken } from './form-token.ts';
import { limitsFor } from '../abuse/friction.ts';
import {
  EMPTY_VALUES,
  HOSTED_CSP,
  renderCodePage,
  renderHeldPage,
  renderMessagePage,
  renderPetitionPage,
  renderThanksPage,
  type FormErrors,
  type FormValues,
} from './render.ts';
import { HOSTED_STRINGS, hostedStrings, pickLocale } from './strings.ts';

/** Same bound as the JSON signing route. */
const MAX_FORM_BYTES = 16 * 1024;
const SOURCE_MAX = 200;

type HostedContext = Context<AppBindings>;

function html(c: HostedContext, body: string, status: 200 | 403 | 404 | 409 | 413 | 422 | 429 | 503): Response {
  return c.body(body, status, {
    'Content-Type': 'text/html; charset=utf-8',
    // A form carries a fresh token and the current count; a re-rendered one carries what the signer typed.
    'Cache-Control': 'no-store',
    'Content-Security-Policy': HOSTED_CSP,
    // Not `no-referrer`: with it, browsers send `Origin: null` on the page's own form post. `same-origin`
    // still sends nothing to other sites (the page links to none).
    'Referrer-Policy': 'same-origin',
    Vary: 'Accept-Language',
    // Storage unavailable (a lock, a full disk): say when to try again, as every other 503 does.
    ...(status === 503 ? { 'Retry-After': '5' } : {}),
  });
}

async function publishedCampaign(c: HostedContext): Promise<CampaignRecord | undefined> {
  const slug = SlugSchema.safeParse(c.req.param('slug') ?? '');
  if (!slug.success) return undefined;
  const campaign = await c.var.services.campaigns.findBySlug(slug.data);
  return campaign && campaign.status !== 'draft' ? campaign : undefined;
}

function notFound(c: HostedContext, locale: Locale): Response {
  const t = HOSTED_STRINGS[locale];
  return html(c, renderMessagePage(locale, t.notFoundHeading, t.notFoundBody), 404);
}

function countsOf(c: HostedContext, campaign: CampaignRecord) {
  return c.var.services.counts.view(campaign.id, campaign.goal, campaign.createdAt).counts;
}

/** The partner's `?source=`; one holding a control character is dropped, as the signer could not fix it. */
function cleanSource(value: unknown): string {
  const source = typeof value === 'string' ? value.trim().slice(0, SOURCE_MAX) : '';
  return isPlainLine(source) ? source : '';
}

function petitionPage(
  c: HostedContext,
  formTokenKey: Buffer,
  campaign: CampaignRecord,
  locale: Locale,
  status: 200 | 403 | 409 | 422 | 503,
  extra: { values?: FormValues; errors?: FormErrors; notice?: string; focus?: 'phone' } = {},
): Response {
  const { clock, rateLimits } = c.var.services;
  const now = clock();
  // A form sent back with the signer's values (an error, an expired token) was already filled in: its
  // token counts the minimum fill time as spent, so resending at once is not taken for a bot.
  const issuedAt = c.req.method === 'POST' ? now - limitsFor(campaign, rateLimits).minFillMs : now;
  const counts = countsOf(c, campaign);
  const body = renderPetitionPage({
    campaign,
    locale,
    count: counts.signatures,
    figures: counts.actions,
    now,
    window: signingWindow(campaign, now),
    token: issueFormToken(formTokenKey, campaign.slug, issuedAt),
    ...extra,
  });
  return html(c, body, status);
}

/** Maps a contracts field path to the form field its message is shown next to. */
function formKeyFor(path: string, code: FieldErrorCode): string {
  if (code === 'contact_required') return 'contact';
  if (path === 'consent' || path === 'consent.terms') return 'terms';
  // A pledge's actions (`actions.1`: one of them) have one message, on their fieldset.
  if (path === 'actions' || path.startsWith('actions.')) return 'actions';
  if (['name', 'phone', 'email', 'county', 'comment'].includes(path)) return path;
  return 'other';
}

function readValues(body: Record<string, unknown>): FormValues {
  const text = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : '');
  const checked = (key: string) => typeof body[key] === 'string' && body[key] !== '';
  return {
    ...EMPTY_VALUES,
    name: text('name'),
    phone: text('phone'),
    email: text('email'),
    county: text('county'),
    comment: text('comment'),
    terms: checked('terms'),
    publicName: checked('publicName'),
    shareWithTargets: checked('shareWithTargets'),
    updates: checked('updates'),
    source: text('source'),
    // A group of checkboxes: the form body reads a name sent more than once as a list (see `openPost`).
    actions: [body.actions].flat().filter((id): id is string => typeof id === 'string' && id !== ''),
    remind: checked('remind'),
  };
}

/**
 * The form as a JSON sign request: empty optional fields are absent, as the widget sends them. A pledge with
 * actions always sends its `actions` (none chosen is the signing path's `actions_required`), and asks for
 * reminders only with a dated action chosen, as the widget does; other campaigns send none.
 */
function toSignRequest(values: FormValues, locale: Locale, campaign: CampaignRecord): Record<string, unknown> {
  const request: Record<string, unknown> = {
    name: values.name,
    consent: {
      // An unticked box is simply absent from a form post; the schema then answers `consent_required`.
      ...(values.terms ? { terms: true } : {}),
      publicName: values.publicName,
      shareWithTargets: values.shareWithTargets,
      updates: values.updates,
    },
    locale,
  };
  for (const key of ['phone', 'email', 'county', 'comment', 'source'] as const) {
    if (values[key].trim() !== '') request[key] = values[key];
  }
  if (campaign.actions.length) {
    request.actions = values.actions;
    request.remind = values.remind && campaign.actions.some((action) => action.startsAt && values.actions.includes(action.id));
  }
  return request;
}

/** The API's hard limit per source, answered in HTML before the body is read. */
const hardLimit: MiddlewareHandler<AppBindings> = async (c, next) => {
  try {
    await hardRateLimit(c, async () => {});
  } catch (error) {
    if (!(error instanceof ProblemError) || error.problem !== 'rate-limited') throw error;
    const locale = pickLocale(c.req.query('lang'), c.req.header('Accept-Language'));
    const t = HOSTED_STRINGS[locale];
    const response = html(c, renderMessagePage(locale, t.rateLimitedHeading, t.rateLimitedBody), 429);
    response.headers.set('Retry-After', error.headers['Retry-After'] ?? '60');
    return response;
  }
  await next();
};

const formBodyLimit: MiddlewareHandler<AppBindings> = async (c, next) => {
  const locale = pickLocale(c.req.query('lang'), c.req.header('Accept-Language'));
  const t = HOSTED_STRINGS[locale];
  return bodyLimit({
    maxSize: MAX_FORM_BYTES,
    onError: (ctx) => html(ctx as HostedContext, renderMessagePage(locale, t.tooLargeHeading, t.tooLargeBody), 413),
  })(c, next);
};

/** True when this source is over the widget's own per-source limit for codes (or new codes): the same counters. */
async function overSourceLimit(c: HostedContext, scope: 'sms-code' | 'sms-code-resend'): Promise<boolean> {
  const pick = scope === 'sms-code' ? (services: Services) => services.codeLimiter : (services: Services) => services.resendLimiter;
  try {
    await perSourceLimit(scope, pick)(c, async () => {});
    return false;
  } catch (error) {
    if (error instanceof ProblemError && error.problem === 'rate-limited') return true;
    throw error;
  }
}

/**
 * What every form post to a campaign's page starts with: the campaign (or a 404 page), another site's post
 * refused before a byte of its body is read, then the form, its language (the form's, else the address's)
 * and the values it carries.
 */
async function openPost(c: HostedContext) {
  const queryLocale = pickLocale(c.req.query('lang'), c.req.header('Accept-Language'));
  const campaign = await publishedCampaign(c);
  if (!campaign) return notFound(c, queryLocale);
  if (isCrossSitePost(c.req.raw.headers, c.req.url)) {
    const t = hostedStrings(queryLocale, campaign.kind);
    const link = { href: `/c/${campaign.slug}?lang=${queryLocale}`, text: t.backToPetition };
    return html(c, renderMessagePage(queryLocale, t.crossSiteHeading, t.crossSiteBody, link), 403);
  }
  const body = await readFormBody(c, { all: true });
  const locale: Locale = (LOCALES as readonly unknown[]).includes(body.lang) ? (body.lang as Locale) : queryLocale;
  const values = readValues(body);
  values.source = cleanSource(values.source);
  return { campaign, body, locale, values };
}

/** `GET` and `POST /c/:slug`, mounted at `/c`. */
export function hostedRouter(formTokenKey: Buffer) {
  const router = createRouter();

  router.get('/:slug', async (c) => {
    const locale = pickLocale(c.req.query('lang'), c.req.header('Accept-Language'));
    const campaign = await publishedCampaign(c);
    if (!campaign) return notFound(c, locale);
    const values = { ...EMPTY_VALUES, source: cleanSource(c.req.query('source')) };
    return petitionPage(c, formTokenKey, campaign, locale, 200, { values });
  });

  router.post(
    '/:slug',
    hardLimit,
    formBodyLimit,
    async (c) => {
      const post = await openPost(c);
      if (post instanceof Response) return post;
      const { campaign, body, locale, values } = post;
      const { services } = c.var;
      const now = services.clock();

      if (!isAcceptingSignatures(campaign, now)) return petitionPage(c, formTokenKey, campaign, locale, 409);

      const token = typeof body.token === 'string' ? body.token : undefined;
      if (!verifyFormToken(formTokenKey, campaign.slug, token, now)) {
        return petitionPage(c, formTokenKey, campaign, locale, 403, { values, notice: HOSTED_STRINGS[locale].expired });
      }

      const result = await sign(services, campaign, toSignRequest(values, locale, campaign), {
        origin: c.req.header('Origin') ?? null,
        idempotencyKey: token,
        source: requestSource(c, limitsFor(campaign, services.rateLimits)),
        // The honeypot, and the time since this form was served (its token says when).
        friction: { website: typeof body.website === 'string' ? body.website : undefined, elapsedMs: now - formTokenIssuedAt(token!) },
        proofOfWork: false,
      }).catch((error: unknown) => {
        if (error instanceof Error && error.name === 'WriterUnavailableError') return undefined;
        throw error;
      });
      if (!result) return petitionPage(c, formTokenKey, campaign, locale, 503, { values, notice: HOSTED_STRINGS[locale].unavailable });
      switch (result.outcome) {
        case 'invalid': {
          const errors: FormErrors = {};
          for (const error of result.errors) errors[formKeyFor(error.path, error.code)] ??= error.code;
          return petitionPage(c, formTokenKey, campaign, locale, 422, { values, errors });
        }
        case 'closed':
          return petitionPage(c, formTokenKey, campaign, locale, 409);
        case 'idempotency-conflict':
          // This form was already sent with other details: a fresh form, the values kept, nothing stored.
          return petitionPage(c, formTokenKey, campaign, locale, 403, { values, notice: HOSTED_STRINGS[locale].used });
        case 'accepted': {
          // Stored, duplicate and replayed answer the same page: it never reveals whether someone signed.
          // On a campaign that confirms by SMS that page asks for the code (a duplicate's handle names a
          // version never stored: its codes are wrong, exactly like wrong codes on a stored one).
          const handle = result.body.confirmation?.channel === 'sms' ? result.body.confirmation.handle : undefined;
          if (handle) return html(c, renderCodePage({ campaign, locale, handle, values }), 200);
          return html(c, renderThanksPage(campaign, locale, result.status === 202, values.source, values.actions), 200);
        }
      }
    },
  );

  // The SMS-code step: a code, a new code, the form again with another number, or this step in the other
  // language. Same checks as the sign post (hard limit, size, cross-site); the code's own limits are the
  // widget's (`tryConfirmationCode`, `requestNewCode` and the per-source counters).
  router.post('/:slug/code', hardLimit, formBodyLimit, async (c) => {
    const post = await openPost(c);
    if (post instanceof Response) return post;
    const { campaign, body, locale, values } = post;
    const { services } = c.var;
    if (!isAcceptingSignatures(campaign, services.clock())) return petitionPage(c, formTokenKey, campaign, locale, 409);

    const action = body.do;
    if (action === 'change') {
      const notice = message(locale, 'hosted.code.changeNotice');
      return petitionPage(c, formTokenKey, campaign, locale, 200, { values, notice, focus: 'phone' });
    }
    const handle = typeof body.handle === 'string' && body.handle.length <= 400 ? body.handle : '';
    const codePage = (status: 200 | 409 | 422 | 429, extra: { error?: 'wrong' | 'format' | 'tooMany'; notice?: string } = {}) =>
      html(c, renderCodePage({ campaign, locale, handle, values, ...extra }), status);
    if (action === 'show') return codePage(200);
    if (action === 'resend') {
      if ((await overSourceLimit(c, 'sms-code-resend')) || (await requestNewCode(services, campaign.id, handle)) === 'too-many') {
        return codePage(429, { notice: message(locale, 'hosted.code.tooManyResends') });
      }
      return codePage(200, { notice: message(locale, 'hosted.code.resent') });
    }

    // What a person types: "123 456", "123-456". Anything else is not a try.
    const code = typeof body.code === 'string' ? body.code.replace(/[\s-]/g, '') : '';
    if (!/^\d{6}$/.test(code)) return codePage(422, { error: 'format' });
    if (await overSourceLimit(c, 'sms-code')) return codePage(429, { error: 'tooMany' });
    switch (await tryConfirmationCode(services, campaign.id, handle, code)) {
      case 'counted':
        return html(c, renderThanksPage(campaign, locale, false, values.source, values.actions), 200);
      case 'held':
        return html(c, renderHeldPage(campaign, locale, values.source), 200);
      case 'closed':
        return petitionPage(c, formTokenKey, campaign, locale, 409);
      case 'too-many':
        return codePage(429, { error: 'tooMany' });
      case 'wrong':
        return codePage(422, { error: 'wrong' });
    }
  });

  documentHostedRoutes(router);
  return router;
}

const HTML_CONTENT = { 'text/html': { schema: z.string() } };

function documentHostedRoutes(router: ReturnType<typeof createRouter>) {
  const params = z.object({ slug: z.string().meta({ example: 'justice-for-survivors' }) });
  const query = z.object({
    lang: z.enum(LOCALES).optional().meta({ description: 'Page language; without it, `Accept-Language` decides (default English)' }),
    source: z.string().max(SOURCE_MAX).optional().meta({ description: "Partner's source ref, stored with the signature" }),
  });
  router.openAPIRegistry.registerPath({
    method: 'get',
    path: '/{slug}',
    tags: ['hosted page'],
    summary: 'Hosted petition page: server-rendered HTML with a plain form, no script (feature phones, <noscript>)',
    request: { params, query },
    responses: {
      200: { description: 'The petition and its form (or a closed notice), in English or Kiswahili', content: HTML_CONTENT },
      404: { description: 'Unknown or unpublished campaign (HTML page)', content: HTML_CONTENT },
      ...problemResponses(500),
    },
  });
  router.openAPIRegistry.registerPath({
    method: 'post',
    path: '/{slug}',
    tags: ['hosted page'],
    summary: 'Sign from the hosted page (form post)',
    description:
      'Same validation, normalisation and duplicate handling as `POST /v1/campaigns/{slug}/signatures`. ' +
      'Refused when the browser reports a cross-site post (`Sec-Fetch-Site`, `Origin`) or without a valid form `token` ' +
      `(issued by \`GET /c/{slug}\`, valid ${FORM_TOKEN_TTL_MS / 3_600_000} h, single-use: the same form sent again gets the same page and stores one signature; ` +
      'sent again with other details, it is refused with a fresh form). Invalid fields re-render the form with messages and the values kept.',
    request: {
      params,
      query,
      body: {
        content: {
          'application/x-www-form-urlencoded': {
            schema: z.object({
              token: z.string(),
              lang: z.enum(LOCALES).optional(),
              name: z.string(),
              phone: z.string().optional(),
              email: z.string().optional(),
              county: z.string().optional().meta({ description: 'ISO 3166-2:KE code' }),
              comment: z.string().optional(),
              terms: z.string().optional().meta({ description: 'Any non-empty value: consent to the terms (required)' }),
              publicName: z.string().optional(),
              shareWithTargets: z.string().optional(),
              updates: z.string().optional(),
              source: z.string().optional(),
              actions: z
                .array(z.string())
                .optional()
                .meta({ description: 'A pledge with actions: the id of each action pledged, one `actions` field per checkbox ticked' }),
              remind: z.string().optional().meta({ description: 'A pledge: any non-empty value asks for reminders of the dated actions chosen' }),
            }),
          },
        },
      },
    },
    responses: {
      200: { description: 'Thank-you page (identical for a new signature and a duplicate)', content: HTML_CONTENT },
      403: { description: 'Cross-site post refused, or the form token is missing, expired or already used with other details (form re-rendered)', content: HTML_CONTENT },
      404: { description: 'Unknown or unpublished campaign', content: HTML_CONTENT },
      409: { description: 'Campaign not accepting signatures', content: HTML_CONTENT },
      413: { description: 'Form over 16 KB', content: HTML_CONTENT },
      429: { description: "Over the API's hard limit per source (`Retry-After`); nothing stored", content: HTML_CONTENT },
      422: { description: 'Invalid fields: the form re-rendered with a message next to each', content: HTML_CONTENT },
      503: { description: 'Storage unavailable: the form re-rendered, nothing saved', content: HTML_CONTENT },
      ...problemResponses(500),
    },
  });
  router.openAPIRegistry.registerPath({
    method: 'post',
    path: '/{slug}/code',
    tags: ['hosted page'],
    summary: "The hosted page's SMS-code step (form post): a code, a new code, the form again with another number",
    description:
      'Shown after a signature on a campaign that confirms by SMS. `do=confirm` tries `code` through the same path as ' +
      '`POST /v1/campaigns/{slug}/confirmations` (same tries per code and per source); `do=resend` asks for a new code like ' +
      '`…/confirmations/resend`; `do=change` answers the petition form filled in from the hidden fields, the phone field focused; ' +
      '`do=show` shows the step again (the language link). Refused when the browser reports a cross-site post.',
    request: {
      params,
      query,
      body: {
        content: {
          'application/x-www-form-urlencoded': {
            schema: z.object({
              do: z.enum(['confirm', 'resend', 'change', 'show']),
              handle: z.string().meta({ description: 'The confirmation handle the sign answer carried' }),
              code: z.string().optional().meta({ description: '6 digits; spaces and dashes are ignored' }),
              lang: z.enum(LOCALES).optional(),
            }),
          },
        },
      },
    },
    responses: {
      200: { description: 'Confirmed (thank-you page, or held for review), a new code on its way, or the form again', content: HTML_CONTENT },
      403: { description: 'Cross-site post refused', content: HTML_CONTENT },
      404: { description: 'Unknown or unpublished campaign', content: HTML_CONTENT },
      409: { description: 'Campaign not accepting signatures', content: HTML_CONTENT },
      413: { description: 'Form over 16 KB', content: HTML_CONTENT },
      422: { description: 'Wrong code, or not 6 digits (no try taken): the step again with the message', content: HTML_CONTENT },
      429: { description: "This code's tries, the new codes or the source's tries are spent: the step again with the message", content: HTML_CONTENT },
      ...problemResponses(500),
    },
  });
}
