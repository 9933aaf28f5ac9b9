/**
 * `/p/<token>`: the supporter's pledge link (issue 16), carried by reminders. `GET` (and `HEAD`) shows
 * the page and changes nothing (link scanners and previews fetch links); the page's buttons are plain
 * form POSTs to the same URL (`action=<action id>`, `say=done|cant|pledged`), answered with a redirect to
 * the page, which then says what happened (`?status=`): no JavaScript needed.
 *
 * The token is the authority, as for `/u/<token>`: a forged post from elsewhere needs the link, and can
 * only say for its holder what the buttons say. The page works while the signature counts; a withdrawn,
 * erased, invalidated or never-confirmed signature's link answers "this link no longer works" (404).
 * The token is a bearer secret in the path: `Referrer-Policy: no-referrer`, no caching, and nothing logs it.
 */
import { z } from '@hono/zod-openapi';
import { LOCALES, type Locale } from '@imlu/contracts';
import type { Context } from 'hono';
import type { ConfirmationTokens } from '../confirm/token.ts';
import { TOKEN_PAGE_HEADERS } from '../hosted/render.ts';
import { limitBody } from '../http/body-limit.ts';
import type { AppBindings } from '../http/context.ts';
import { readFormBody } from '../http/form-body.ts';
import { createRouter } from '../http/openapi.ts';
import { sayOfPledge, type PledgeSay } from './commitments.ts';
import { readActionCounts } from './figures.ts';
import { PAGE_STATUSES, renderBadFormPage, renderDeadLinkPage, renderPledgePage, type PagePledge, type PageStatus } from './page.ts';

type PageContext = Context<AppBindings>;

const SAYS: readonly PledgeSay[] = ['done', 'cant', 'pledged'];

function html(c: PageContext, body: string, status: 200 | 404 | 422): Response {
  return c.body(body, status, TOKEN_PAGE_HEADERS);
}

const isLocale = (value: unknown): value is Locale => (LOCALES as readonly unknown[]).includes(value);

interface Supporter {
  signatureId: string;
  campaignId: string;
  locale: Locale;
  title: { en: string; sw: string };
}

/** The live signature a token names; undefined for a forged token or a signature gone or not counting. */
async function supporterOf(c: PageContext, tokens: ConfirmationTokens): Promise<Supporter | undefined> {
  const check = tokens.verify(c.req.param('token') ?? '');
  if (!check.ok) return undefined;
  const result = await c.var.services.db.client.execute({
    sql:
      'SELECT s.campaign_id, s.locale, c.title_en, c.title_sw FROM signatures s JOIN campaigns c ON c.id = s.campaign_id ' +
      "WHERE s.id = ? AND s.status = 'counted' AND s.flag IS NULL",
    args: [check.signatureId],
  });
  const row = result.rows[0];
  if (!row) return undefined;
  return { signatureId: check.signatureId, campaignId: String(row[0]), locale: row[1] === 'sw' ? 'sw' : 'en', title: { en: String(row[2]), sw: String(row[3]) } };
}

async function pledgesOf(c: PageContext, signatureId: string): Promise<PagePledge[]> {
  const result = await c.var.services.db.client.execute({
    sql:
      'SELECT a.id, a.position, a.title_en, a.title_sw, a.place_en, a.place_sw, a.starts_at, a.capacity, COALESCE(n.pledged, 0), p.state, p.kept_at ' +
      'FROM pledge_commitments p JOIN pledge_actions a ON a.id = p.action_id LEFT JOIN pledge_action_counts n ON n.action_id = a.id ' +
      'WHERE p.signature_id = ? ORDER BY a.position',
    args: [signatureId],
  });
  return result.rows.map((r) => ({
    actionId: String(r[0]),
    position: Number(r[1]),
    title: { en: String(r[2]), sw: String(r[3]) },
    place: r[4] === null ? null : { en: String(r[4]), sw: String(r[5] ?? r[4]) },
    startsAt: r[6] === null ? null : Number(r[6]),
    capacity: r[7] === null ? null : Number(r[7]),
    pledgedNow: Number(r[8]),
    state: String(r[9]) as PledgeSay,
    keptAt: r[10] === null ? null : Number(r[10]),
  }));
}

export function pledgePageRouter(tokens: ConfirmationTokens) {
  const router = createRouter();
  router.get('/p/:token', async (c) => {
    const supporter = await supporterOf(c, tokens);
    const asked = c.req.query('lang');
    const locale = isLocale(asked) ? asked : (supporter?.locale ?? 'en');
    if (!supporter) return html(c, renderDeadLinkPage(locale), 404);
    const status = c.req.query('status');
    return html(
      c,
      renderPledgePage({
        locale,
        path: new URL(c.req.url).pathname,
        campaignTitle: supporter.title[locale],
        pledges: await pledgesOf(c, supporter.signatureId),
        status: (PAGE_STATUSES as readonly unknown[]).includes(status) ? (status as PageStatus) : undefined,
        now: c.var.services.clock(),
      }),
      200,
    );
  });

  // The page's forms hold three short fields; nothing bigger is ours.
  router.post('/p/:token', limitBody(4 * 1024), async (c) => {
    const form = await readFormBody(c);
    const supporter = await supporterOf(c, tokens);
    const locale = isLocale(form['lang']) ? form['lang'] : (supporter?.locale ?? 'en');
    if (!supporter) return html(c, renderDeadLinkPage(locale), 404);
    const path = new URL(c.req.url).pathname;
    const say = form['say'];
    const actionId = form['action'];
    if (!SAYS.includes(say as PledgeSay) || typeof actionId !== 'string' || actionId === '' || actionId.length > 64) {
      return html(c, renderBadFormPage(locale, path), 422);
    }
    const { db, clock, counts } = c.var.services;
    const changed = await sayOfPledge(db.client, supporter.signatureId, actionId, say as PledgeSay, clock());
    // The public figures show the change at once on this node (others take it at their next refresh).
    if (changed) counts.applyActions(await readActionCounts(db.client, supporter.campaignId));
    // Redirect after POST: a reload does not post again, and the page says what happened.
    return c.redirect(`${path}?lang=${locale}&status=${changed ? say : 'unchanged'}`, 303);
  });

  const params = z.object({ token: z.string().max(200) });
  const HTML = { 'text/html': { schema: z.string() } };
  router.openAPIRegistry.registerPath({
    method: 'get',
    path: '/p/{token}',
    tags: ['signatures'],
    summary: "A supporter's pledge page (the link in pledge reminders): their actions, with \"can't make it\" and \"I did it\"",
    description:
      'The token names one signature (enciphered, with a MAC; no expiry). GET and HEAD change nothing; the buttons POST to the same URL. ' +
      'The page works while the signature counts (404 "this link no longer works" once it is withdrawn, erased, invalidated or not confirmed). `status` says what the last POST did.',
    request: { params, query: z.object({ lang: z.enum(LOCALES).optional(), status: z.enum(['done', 'cant', 'pledged', 'unchanged']).optional() }) },
    responses: {
      200: { description: 'The page', content: HTML },
      404: { description: 'Unknown, forged or dead link', content: HTML },
    },
  });
  router.openAPIRegistry.registerPath({
    method: 'post',
    path: '/p/{token}',
    tags: ['signatures'],
    summary: "Say of one pledged action: can't make it (before its start; frees the place), coming after all (while a place is free), or done (from its start)",
    description:
      'A form post (`action`: the action id, `say`: `cant`, `pledged` or `done`, `lang`). Answers 303 to the page with `status` set to what was said, or `unchanged` when it was not possible (the page offers only what is). ' +
      '"Done" keeps the pledge once: a supporter already recorded by attendance is not counted again.',
    request: {
      params,
      body: {
        content: {
          'application/x-www-form-urlencoded': {
            schema: z.object({ action: z.string().max(64), say: z.enum(['done', 'cant', 'pledged']), lang: z.enum(LOCALES).optional() }),
          },
        },
      },
    },
    responses: {
      303: { description: 'Back to the page, which says what happened' },
      404: { description: 'Unknown, forged or dead link', content: HTML },
      422: { description: 'Not one of the page’s own buttons (a field missing or unknown)', content: HTML },
    },
  });
  return router;
}
