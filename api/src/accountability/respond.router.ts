/**
 * The response page, `GET` and `POST /r/:token`: a duty bearer states its position on the demands it was
 * asked for, without an account and without JavaScript. Entries are appended as `duty_bearer` (actor
 * `response-link:<link id>`), and show on the public board at once (the cached board is dropped).
 *
 * Security: the token (256 random bits, stored hashed, expiring, revocable) is the authority; the page
 * sends `Referrer-Policy: no-referrer` and `X-Robots-Tag: noindex` so the URL leaks nowhere, the request
 * log records only the pattern `/r/:token`, and posts need a form token issued by the page for this link
 * (as on the hosted petition page) and are refused when the browser reports another site.
 */
import { z } from '@hono/zod-openapi';
import { LOCALES, type Locale } from '@imlu/contracts';
import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { hardRateLimit } from '../abuse/rate-limit.ts';
import type { CampaignRecord } from '../campaigns/store.ts';
import { campaigns, responseLinks } from '../db/schema.ts';
import { issueFormToken, isCrossSitePost, verifyFormToken } from '../hosted/form-token.ts';
import { TOKEN_PAGE_HEADERS } from '../hosted/render.ts';
import { pickLocale } from '../hosted/strings.ts';
import type { AppBindings } from '../http/context.ts';
import { readFormBody } from '../http/form-body.ts';
import { createRouter, problemResponses } from '../http/openapi.ts';
import { ProblemError } from '../http/problem.ts';
import { buildAccountability, inLocale } from './board.ts';
import { nairobiDate } from './dates.ts';
import { responseLinkActor } from './guard.ts';
import { findResponseLink } from './links.ts';
import { appendEntries } from './operations.ts';
import {
  renderRespondMessage,
  renderRespondPage,
  renderRespondThanks,
  type Choice,
  type RespondErrors,
  type RespondValues,
} from './respond.render.ts';
import { RESPOND_STRINGS } from './respond.strings.ts';
import { EvidenceUrlSchema } from './schemas.ts';

const MAX_FORM_BYTES = 16 * 1024;
const STATEMENT_MAX = 4000;
const CHOICES: readonly string[] = ['acknowledged', 'committed', 'declined', 'delivered'];

type RespondContext = Context<AppBindings>;
type Status = 200 | 403 | 404 | 410 | 413 | 422 | 429;

function html(c: RespondContext, body: string, status: Status): Response {
  return c.body(body, status, { ...TOKEN_PAGE_HEADERS, Vary: 'Accept-Language' });
}

function localeOf(c: RespondContext): Locale {
  return pickLocale(c.req.query('lang'), c.req.header('Accept-Language'));
}

interface Resolved {
  link: typeof responseLinks.$inferSelect;
  campaign: CampaignRecord;
}

/** The link and its campaign, or the refusal page to answer. */
async function resolve(c: RespondContext, locale: Locale): Promise<Resolved | Response> {
  const t = RESPOND_STRINGS[locale];
  const { db, clock, campaigns: store } = c.var.services;
  const found = await findResponseLink(db, c.req.param('token') ?? '', clock());
  if (found.state === 'expired') return html(c, renderRespondMessage(locale, t.expiredHeading, t.expiredBody), 410);
  if (found.state === 'revoked') return html(c, renderRespondMessage(locale, t.revokedHeading, t.revokedBody), 410);
  const unknown = () => html(c, renderRespondMessage(locale, t.unknownHeading, t.unknownBody), 404);
  if (found.state !== 'valid') return unknown();
  const [row] = await db.orm.select({ slug: campaigns.slug }).from(campaigns).where(eq(campaigns.id, found.link.campaignId)).limit(1);
  const campaign = row ? await store.findBySlug(row.slug) : undefined;
  if (!campaign) return unknown();
  return { link: found.link, campaign };
}

/** What the page shows: the target, its ask, and its current position on each asked demand. */
async function pageModel(c: RespondContext, locale: Locale, { link, campaign }: Resolved) {
  const { accountability, clock } = c.var.services;
  const data = await accountability.board(campaign.id);
  const target = data.targets.find((t) => t.id === link.targetId);
  if (!target) return undefined;
  const board = buildAccountability(campaign, data, { today: nairobiDate(clock()), signatures: 0, countsUpdatedAt: 0 });
  const boardTarget = board.targets.find((t) => t.id === target.id)!;
  const positions = boardTarget.positions;
  const demands = campaign.demands
    .filter((d) => target.demandIds.has(d.id))
    .map((d) => ({
      id: d.id,
      number: d.position,
      text: d.text[locale],
      position: positions.find((p) => p.demandId === d.id)!,
      committedBefore: data.entries.some((e) => e.targetId === target.id && e.demandId === d.id && e.status === 'committed'),
      latest: data.entries.filter((e) => e.targetId === target.id && e.demandId === d.id).at(-1),
    }));
  return { targetName: inLocale(locale, target.name, target.nameSw), dueOn: target.dueOn, daysOverdue: boardTarget.daysOverdue, demands };
}

function readValues(body: Record<string, unknown>, demandIds: string[]): RespondValues {
  const positions: Record<string, Choice> = {};
  for (const id of demandIds) {
    const value = body[`position.${id}`];
    if (typeof value === 'string' && CHOICES.includes(value)) positions[id] = value as Choice;
  }
  const text = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : '');
  return { positions, statement: text('statement').trim(), evidenceUrl: text('evidenceUrl').trim() };
}

export function respondRouter(formTokenKey: Buffer) {
  const router = createRouter();
  const formScope = (linkId: string) => `response-link:${linkId}`;

  router.get('/:token', async (c) => {
    const locale = localeOf(c);
    const resolved = await resolve(c, locale);
    if (resolved instanceof Response) return resolved;
    const model = await pageModel(c, locale, resolved);
    if (!model) return html(c, renderRespondMessage(locale, RESPOND_STRINGS[locale].unknownHeading, RESPOND_STRINGS[locale].unknownBody), 404);
    const token = issueFormToken(formTokenKey, formScope(resolved.link.id), c.var.services.clock());
    return html(c, renderRespondPage({ locale, campaign: resolved.campaign, ...model, token }), 200);
  });

  router.post(
    '/:token',
    // The API's hard limit per source (a problem+json 429), before the body is read.
    hardRateLimit,
    async (c, next) => {
      const locale = localeOf(c);
      const t = RESPOND_STRINGS[locale];
      return bodyLimit({
        maxSize: MAX_FORM_BYTES,
        onError: (ctx) => html(ctx as RespondContext, renderRespondMessage(locale, t.tooLargeHeading, t.tooLargeBody), 413),
      })(c, next);
    },
    async (c) => {
      const queryLocale = localeOf(c);
      const resolved = await resolve(c, queryLocale);
      if (resolved instanceof Response) return resolved;
      // As on the hosted page, except that `Origin: null` goes on to the form-token check: this page's
      // `Referrer-Policy: no-referrer` makes some browsers send it on the page's own post when they send
      // no `Sec-Fetch-Site` (every current browser does, and then it decides).
      if (isCrossSitePost(c.req.raw.headers, c.req.url, { allowNullOrigin: true })) {
        const t = RESPOND_STRINGS[queryLocale];
        return html(c, renderRespondMessage(queryLocale, t.crossSiteHeading, t.crossSiteBody), 403);
      }
      const body = await readFormBody(c);
      const locale: Locale = (LOCALES as readonly unknown[]).includes(body.lang) ? (body.lang as Locale) : queryLocale;
      const t = RESPOND_STRINGS[locale];
      const model = await pageModel(c, locale, resolved);
      if (!model) return html(c, renderRespondMessage(locale, t.unknownHeading, t.unknownBody), 404);
      const { services } = c.var;
      const now = services.clock();
      const { link, campaign } = resolved;
      const values = readValues(body, model.demands.map((d) => d.id));
      const again = (status: 403 | 422, extra: { errors?: RespondErrors; notice?: string }) =>
        html(c, renderRespondPage({ locale, campaign, ...model, token: issueFormToken(formTokenKey, formScope(link.id), now), values, ...extra }), status);

      if (!verifyFormToken(formTokenKey, formScope(link.id), typeof body.token === 'string' ? body.token : undefined, now)) {
        return again(403, { notice: t.expiredForm });
      }
      const errors: RespondErrors = {};
      const chosen = model.demands.filter((d) => values.positions[d.id]);
      if (!chosen.length) errors.position = 'position';
      for (const d of chosen) if (values.positions[d.id] === 'delivered' && !d.committedBefore) errors[`d-${d.id}`] = 'delivered';
      if (values.statement.length > STATEMENT_MAX) errors.statement = 'statement';
      if (values.evidenceUrl && !EvidenceUrlSchema.safeParse(values.evidenceUrl).success) errors.evidence = 'evidence';
      if (Object.keys(errors).length) return again(422, { errors });

      const actor = responseLinkActor(link.id).id;
      // The statement is stored as written, in the field of the page's language; the other stays null.
      const statement = { en: locale === 'en' ? values.statement || null : null, sw: locale === 'sw' ? values.statement || null : null };
      // The same answer sent twice (a reload, a double tap on a slow link) is recorded once.
      const repeated = (d: (typeof chosen)[number]) =>
        d.latest?.recordedBy === 'duty_bearer' &&
        d.latest.status === values.positions[d.id] &&
        d.latest.statement === statement.en &&
        d.latest.statementSw === statement.sw &&
        d.latest.evidenceUrl === (values.evidenceUrl || null);
      const fresh = chosen.filter((d) => !repeated(d));
      try {
        await appendEntries(services.db, {
          campaignId: campaign.id,
          targetId: link.targetId,
          entries: fresh.map((d) => ({
            demandId: d.id,
            status: values.positions[d.id]!,
            statement: statement.en,
            statementSw: statement.sw,
            evidenceUrl: values.evidenceUrl || null,
          })),
          recordedBy: 'duty_bearer',
          actor,
          now,
          errorPath: (demandId) => `d-${demandId}`,
          // Audited in the same transaction: statuses and ids, never the statement.
          audit: (entries) => ({
            actor: responseLinkActor(link.id),
            at: now,
            action: 'position.responded',
            campaignId: campaign.id,
            subject: link.targetId,
            rowCount: entries.length,
            details: { link: link.id, statuses: fresh.map((d) => values.positions[d.id]!), entries },
          }),
        });
      } catch (error) {
        if (error instanceof ProblemError && error.problem === 'validation') {
          for (const e of error.errors ?? []) errors[e.path] = 'delivered';
          return again(422, { errors });
        }
        throw error;
      }
      await services.db.orm.update(responseLinks).set({ lastUsedAt: now }).where(eq(responseLinks.id, link.id));
      services.accountability.invalidate(campaign.id);
      const recorded = chosen.map((d) => ({ number: d.number, text: d.text, choice: values.positions[d.id]! }));
      return html(c, renderRespondThanks(locale, campaign, recorded, link.expiresAt), 200);
    },
  );

  documentRespondRoutes(router);
  return router;
}

const HTML_CONTENT = { 'text/html': { schema: z.string() } };

function documentRespondRoutes(router: ReturnType<typeof createRouter>) {
  const params = z.object({ token: z.string().meta({ description: 'The response link token (secret; never logged)' }) });
  const query = z.object({ lang: z.enum(LOCALES).optional().meta({ description: 'Page language; else Accept-Language, else English' }) });
  router.openAPIRegistry.registerPath({
    method: 'get',
    path: '/{token}',
    tags: ['response links'],
    summary: "A duty bearer's response page: the demands it was asked for and a form to state its position (no script)",
    request: { params, query },
    responses: {
      200: { description: 'The form, in English or Kiswahili', content: HTML_CONTENT },
      404: { description: 'Unknown or malformed link (HTML page)', content: HTML_CONTENT },
      410: { description: 'Expired or revoked link (HTML page)', content: HTML_CONTENT },
      ...problemResponses(500),
    },
  });
  router.openAPIRegistry.registerPath({
    method: 'post',
    path: '/{token}',
    tags: ['response links'],
    summary: 'Record the position (form post): appends one `duty_bearer` entry per demand with a chosen position',
    description:
      'Needs the form `token` the page issued (24 h) and a same-site post. The link stays usable until it expires or is revoked, so the target can update its answer; every answer is a new entry.',
    request: {
      params,
      query,
      body: {
        content: {
          'application/x-www-form-urlencoded': {
            schema: z.looseObject({
              token: z.string(),
              lang: z.enum(LOCALES).optional(),
              statement: z.string().optional(),
              evidenceUrl: z.string().optional(),
            }).meta({ description: 'Plus `position.<demand id>` = acknowledged | committed | declined | delivered (empty: no change)' }),
          },
        },
      },
    },
    responses: {
      200: { description: 'Confirmation page', content: HTML_CONTENT },
      403: { description: 'Cross-site post, or missing/expired form token (form re-rendered)', content: HTML_CONTENT },
      404: { description: 'Unknown link', content: HTML_CONTENT },
      410: { description: 'Expired or revoked link', content: HTML_CONTENT },
      413: { description: 'Form over 16 KB', content: HTML_CONTENT },
      422: { description: 'Invalid fields: the form re-rendered with messages and the values kept', content: HTML_CONTENT },
      ...problemResponses(429, 500),
    },
  });
}
