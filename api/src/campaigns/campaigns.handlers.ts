import { SlugSchema, type Campaign, type CampaignForm, type Locale } from '@imlu/contracts';
import type { Context } from 'hono';
import { campaignTargets, type BoardData } from '../accountability/board.ts';
import type { CountsView } from '../counts/snapshot.ts';
import type { AppBindings } from '../http/context.ts';
import { notModified, strongEtag } from '../http/etag.ts';
import { respond, respondPrepared, type HeaderRecord, type PreparedHeaders } from '../http/headers.ts';
import { fieldError, ProblemError, validationProblem } from '../http/problem.ts';
import { firstPaintRenderer } from '../widget/first-paint.ts';
import type { CampaignRecord } from './store.ts';

/**
 * The slug in the path, as the routes document it (`SlugSchema`). These routes are plain Hono routes (the
 * documentation is registered from `campaigns.routes.ts`): zod-openapi's validators would also parse every
 * request header into an object for an `If-None-Match` that any string satisfies.
 */
function slugParam(c: Context<AppBindings>): string {
  const slug = c.req.param('slug') ?? '';
  // A path parameter that cannot be a slug cannot name a campaign either: a 404, as validation.ts says.
  if (!SlugSchema.safeParse(slug).success) throw new ProblemError('not-found');
  return slug;
}

/** A published campaign, or a 404. Drafts do not exist as far as the public API is concerned. */
async function publishedCampaign(c: Context<AppBindings>, slug: string): Promise<CampaignRecord> {
  const campaign = await c.get('services').campaigns.findBySlug(slug);
  if (!campaign || campaign.status === 'draft') throw new ProblemError('not-found');
  return campaign;
}

function cacheControl(maxAge: number): string {
  // A counter a few seconds old is fine; a counter that is down is not: serve stale on errors for a day.
  return `public, max-age=${maxAge}, stale-while-revalidate=60, stale-if-error=86400`;
}

/** The complete header records of a cacheable JSON answer (200) and of its 304, for one ETag. */
interface CacheableHeaders {
  prepared: PreparedHeaders;
  maxAge: number;
  ok: HeaderRecord;
  notModified: HeaderRecord;
}

function cacheableHeaders(prepared: PreparedHeaders, maxAge: number, etag: string): CacheableHeaders {
  const caching = { etag, 'cache-control': cacheControl(maxAge) };
  return {
    prepared,
    maxAge,
    ok: Object.freeze({ ...prepared.all, ...caching, 'content-type': 'application/json' }),
    notModified: Object.freeze({ ...prepared.all, ...caching }),
  };
}

/** Headers per counts view: built when the figures change, not per request. */
const countsHeaders = new WeakMap<CountsView, CacheableHeaders>();

/** A campaign's body per campaign record: rebuilt when the record, its board or its counts change. */
const campaignBodies = new WeakMap<CampaignRecord, { board: BoardData; counts: CountsView; json: string; etag: string }>();

/** The same for the widget's form view (`/form`): the campaign without `body` and `targets`. */
const formBodies = new WeakMap<CampaignRecord, { board: BoardData; counts: CountsView; json: string; etag: string }>();

type CampaignJson = { board: BoardData; counts: CountsView; json: string; etag: string };

async function campaignJson(c: Context<AppBindings>, form: boolean): Promise<CampaignJson> {
  const campaign = await publishedCampaign(c, slugParam(c));
  const services = c.get('services');
  const view = services.counts.view(campaign.id, campaign.goal, campaign.createdAt, campaign.actions);
  const board = await services.accountability.board(campaign.id);
  const bodies = form ? formBodies : campaignBodies;
  let cached = bodies.get(campaign);
  if (!cached || cached.board !== board || cached.counts !== view) {
    const full = campaignBody(campaign, board, view);
    const json = JSON.stringify(form ? formView(full) : full);
    cached = { board, counts: view, json, etag: strongEtag(json) };
    bodies.set(campaign, cached);
  }
  return cached;
}

async function campaignAnswer(c: Context<AppBindings>, form: boolean): Promise<Response> {
  const { json, etag } = await campaignJson(c, form);
  return respondCacheable(c, json, etag);
}

export const getCampaignHandler = (c: Context<AppBindings>): Promise<Response> => campaignAnswer(c, false);

export const getCampaignFormHandler = (c: Context<AppBindings>): Promise<Response> => campaignAnswer(c, true);

/**
 * Rendered first paints per form body and language: one render per change of the campaign, its board or its
 * counts (as the form body itself), not per request. An entry holds `undefined` when there is nothing to
 * paint (a campaign not open now): the widget then renders itself, as before. A pledge's actions are in
 * its paint (the element waits for their chunk when it takes the paint over).
 */
const firstPaints = new WeakMap<CampaignJson, Map<Locale, Promise<{ html: string | undefined; etag: string }>>>();

/**
 * `GET /v1/campaigns/:slug/first-paint?lang=en|sw`: the petition as the widget would first draw it, as the
 * markup of its shadow root (styles, title, progress, demands, the form) followed by the form view of the
 * campaign as JSON, which the element takes over once its code has arrived. 204 when the widget should
 * render itself. Cached and validated as `/form` is.
 */
export async function getFirstPaintHandler(c: Context<AppBindings>): Promise<Response> {
  const lang = c.req.query('lang') ?? 'en';
  if (lang !== 'en' && lang !== 'sw') throw validationProblem([fieldError('lang', 'invalid_locale')]);
  const form = await campaignJson(c, true);
  let byLocale = firstPaints.get(form);
  if (!byLocale) firstPaints.set(form, (byLocale = new Map()));
  let paint = byLocale.get(lang);
  if (!paint) {
    paint = firstPaintRenderer()
      .then((render) => render(JSON.parse(form.json) as CampaignForm, lang))
      .then((markup) => {
        // The campaign rides along for the element; `<` escaped so that no text in it can close the script.
        const html = markup && `${markup}<script type="application/json">${form.json.replace(/</g, '\\u003c')}</script>`;
        return { html, etag: strongEtag(`${lang} ${html ?? ''}`) };
      });
    byLocale.set(lang, paint);
    paint.catch(() => byLocale.delete(lang));
  }
  const { html, etag } = await paint;
  const caching = { ETag: etag, 'Cache-Control': cacheControl(c.get('services').countsMaxAge), Vary: 'Accept-Encoding' };
  if (notModified(c.req.header('If-None-Match'), etag)) return respond(c, null, 304, caching);
  if (html === undefined) return respond(c, null, 204, caching);
  return respond(c, html, 200, { ...caching, 'Content-Type': 'text/html; charset=utf-8', 'Content-Language': lang });
}

function respondCacheable(c: Context<AppBindings>, body: string | Buffer<ArrayBuffer>, etag: string): Response {
  const caching = { ETag: etag, 'Cache-Control': cacheControl(c.get('services').countsMaxAge) };
  if (notModified(c.req.header('If-None-Match'), etag)) return respond(c, null, 304, caching);
  return respond(c, body, 200, { ...caching, 'Content-Type': 'application/json' });
}

function formView({ body: _body, targets: _targets, ...form }: Campaign): CampaignForm {
  return form;
}

function campaignBody(campaign: CampaignRecord, board: BoardData, view: CountsView): Campaign {
  return {
    slug: campaign.slug,
    kind: campaign.kind,
    title: campaign.title,
    summary: campaign.summary,
    body: campaign.body,
    demands: campaign.demands,
    // Only a pledge has actions: a petition's body (the widget's first download) carries no empty list.
    ...(campaign.kind === 'pledge' ? { actions: campaign.actions } : {}),
    targets: campaignTargets(board),
    goal: campaign.goal,
    status: campaign.status,
    opensAt: campaign.opensAt === null ? null : new Date(campaign.opensAt).toISOString(),
    closesAt: campaign.closesAt === null ? null : new Date(campaign.closesAt).toISOString(),
    requiresVerification: campaign.verification !== 'none',
    verification: campaign.verification,
    consentVersion: campaign.consentVersion,
    challenge: campaign.challenge,
    counts: view.counts,
    milestones: board.milestones.map((m) => ({
      threshold: m.threshold,
      label: m.label,
      reachedAt: m.reachedAt === null ? null : new Date(m.reachedAt).toISOString(),
    })),
  };
}

/**
 * The hottest read of the API (every widget polls it). The body and ETag come from the snapshot, built once
 * per change of the figures, and the header records once per view: a 200 copies nothing, a 304 builds nothing.
 */
export const getCountsHandler = async (c: Context<AppBindings>): Promise<Response> => {
  const campaign = await publishedCampaign(c, slugParam(c));
  const services = c.get('services');
  const view = services.counts.view(campaign.id, campaign.goal, campaign.createdAt, campaign.actions);
  const prepared = c.get('responseHeaders');
  if (!prepared) return respondCacheable(c, view.body, view.etag);
  let headers = countsHeaders.get(view);
  if (!headers || headers.prepared !== prepared || headers.maxAge !== services.countsMaxAge) {
    headers = cacheableHeaders(prepared, services.countsMaxAge, view.etag);
    countsHeaders.set(view, headers);
  }
  if (notModified(c.req.header('If-None-Match'), view.etag)) return respondPrepared(null, 304, headers.notModified);
  return respondPrepared(view.body, 200, headers.ok);
};

export const getChallengeHandler = async (c: Context<AppBindings>): Promise<Response> => {
  const campaign = await publishedCampaign(c, slugParam(c));
  const challenge = await c.get('services').altcha.challenge(campaign.id);
  return respond(c, JSON.stringify(challenge), 200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
};
