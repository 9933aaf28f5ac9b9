/**
 * `/u/<token>`: the unsubscribe link of every update e-mail (and its `List-Unsubscribe` header).
 *
 * - `POST /u/<token>` ends the updates of that signature at once, with no page to confirm: RFC 8058
 *   one-click, which a mail client sends as `List-Unsubscribe=One-Click` from its own servers. Our page's
 *   button posts here too. Posts from other sites are NOT refused, unlike the confirmation button: the
 *   token is the authority (a mail provider posting has no Origin of ours), and the worst a forged post
 *   can do is stop the updates of the person whose link it holds.
 * - `GET` (and `HEAD`) shows a page with a button and changes nothing: link scanners and previews fetch
 *   links, and must not unsubscribe anyone.
 *
 * Unsubscribing sets `consent_updates = 0` on that signature (one campaign: the list the e-mail came
 * from), and ends its pledge reminders (`remind = 0`, src/pledges/reminders.ts); the signature still counts. Messages already queued for it are skipped when their turn comes.
 * It is audited (`updates.unsubscribed`) with the campaign and the channel, never the signature or address.
 */
import type { Context } from 'hono';
import { LOCALES, type Locale } from '@imlu/contracts';
import { z } from '@hono/zod-openapi';
import type { ConfirmationTokens } from '../confirm/token.ts';
import { esc, page, TOKEN_PAGE_HEADERS } from '../hosted/render.ts';
import { limitBody } from '../http/body-limit.ts';
import type { AppBindings } from '../http/context.ts';
import { readFormBody } from '../http/form-body.ts';
import { createRouter } from '../http/openapi.ts';
import { translator } from '../i18n/index.ts';
import { uuidv7 } from '../signing/ids.ts';

type Outcome = 'form' | 'done' | 'invalid';

type UnsubscribeStrings = { heading: string; intro: (title: string) => string; counts: string; button: string; done: string; doneText: (title: string | undefined) => string; invalid: string; invalidText: string };

/** The page's strings in one language, read from the catalog (`src/i18n/`, ids `unsubscribe.*`). */
function stringsFor(locale: Locale): UnsubscribeStrings {
  const m = translator(locale);
  return {
    heading: m('unsubscribe.heading'),
    intro: (title) => m('unsubscribe.intro', { title }),
    counts: m('unsubscribe.counts'),
    button: m('unsubscribe.button'),
    done: m('unsubscribe.done'),
    doneText: (title) => (title ? m('unsubscribe.doneText', { title }) : m('unsubscribe.doneTextUnknown')),
    invalid: m('unsubscribe.invalid'),
    invalidText: m('unsubscribe.invalidText'),
  };
}

const STRINGS: Record<Locale, UnsubscribeStrings> = { en: stringsFor('en'), sw: stringsFor('sw') };

/** Who unsubscribed, for the audit log: the holder of the link (the signer, or their mail client). */
export const UNSUBSCRIBE_ACTOR = { id: 'signer:unsubscribe-link', name: 'unsubscribe link' } as const;

type UnsubscribeContext = Context<AppBindings>;

function respond(c: UnsubscribeContext, outcome: Outcome, body: string): Response {
  return c.body(body, outcome === 'invalid' ? 404 : 200, TOKEN_PAGE_HEADERS);
}

function localeFor(asked: unknown, signed: Locale | undefined): Locale {
  return (LOCALES as readonly unknown[]).includes(asked) ? (asked as Locale) : (signed ?? 'en');
}

interface Subscription {
  id: string;
  locale: Locale;
  title: { en: string; sw: string };
  subscribed: boolean;
}

/** The signature a token names, if the token is ours; `null` when it is ours but the signature is gone. */
async function resolve(c: UnsubscribeContext, tokens: ConfirmationTokens): Promise<Subscription | null | undefined> {
  const check = tokens.verify(c.req.param('token') ?? '');
  if (!check.ok) return undefined;
  const result = await c.var.services.db.client.execute({
    sql: 'SELECT s.locale, c.title_en, c.title_sw, s.consent_updates FROM signatures s JOIN campaigns c ON c.id = s.campaign_id WHERE s.id = ?',
    args: [check.signatureId],
  });
  const row = result.rows[0];
  if (!row) return null;
  return { id: check.signatureId, locale: row[0] === 'sw' ? 'sw' : 'en', title: { en: String(row[1]), sw: String(row[2]) }, subscribed: Number(row[3]) === 1 };
}

function invalidPage(locale: Locale): string {
  const t = STRINGS[locale];
  return page(locale, t.invalid, `<h1>${esc(t.invalid)}</h1><p>${esc(t.invalidText)}</p>`, '?', 'no-referrer');
}

function donePage(locale: Locale, title: string | undefined): string {
  const t = STRINGS[locale];
  return page(locale, t.done, `<h1>${esc(t.done)}</h1><p>${esc(t.doneText(title))}</p>`, '?', 'no-referrer');
}

export function unsubscribeRouter(tokens: ConfirmationTokens) {
  const router = createRouter();
  router.get('/u/:token', async (c) => {
    const found = await resolve(c, tokens);
    const locale = localeFor(c.req.query('lang'), found?.locale);
    if (found === undefined) return respond(c, 'invalid', invalidPage(locale));
    if (found === null || !found.subscribed) return respond(c, 'done', donePage(locale, found?.title[locale]));
    const t = STRINGS[locale];
    const title = found.title[locale];
    return respond(
      c,
      'form',
      page(
        locale,
        t.heading,
        `<h1>${esc(t.heading)}</h1><p>${esc(t.intro(title))}</p><p>${esc(t.counts)}</p>` +
          `<form method="post" action="${esc(new URL(c.req.url).pathname)}"><input type="hidden" name="lang" value="${locale}">` +
          `<button type="submit">${esc(t.button)}</button></form>`,
        '?',
        'no-referrer',
      ),
    );
  });
  // A one-click post is `List-Unsubscribe=One-Click`; our form holds one field. Nothing bigger is ours.
  router.post('/u/:token', limitBody(4 * 1024), async (c) => {
    const form = await readFormBody(c);
    const found = await resolve(c, tokens);
    const locale = localeFor(form['lang'], found?.locale ?? undefined);
    if (found === undefined) return respond(c, 'invalid', invalidPage(locale));
    if (found) {
      const { db, clock } = c.var.services;
      const now = clock();
      await db.client.batch(
        [
          { sql: 'UPDATE signatures SET consent_updates = 0 WHERE id = ? AND consent_updates = 1', args: [found.id] },
          {
            sql:
              'INSERT INTO audit_log (id, at, actor, actor_name, action, campaign_id, subject, row_count, details) ' +
              "SELECT ?, ?, ?, ?, 'updates.unsubscribed', campaign_id, NULL, 1, ? FROM signatures WHERE id = ? AND changes() = 1",
            args: [uuidv7(now), now, UNSUBSCRIBE_ACTOR.id, UNSUBSCRIBE_ACTOR.name, JSON.stringify({ channel: 'email' }), found.id],
          },
          // A pledge reminder e-mail carries this link too: it ends that signature's reminders as well.
          { sql: 'UPDATE pledge_commitments SET remind = 0 WHERE signature_id = ? AND remind = 1', args: [found.id] },
        ],
        'write',
      );
    }
    return respond(c, 'done', donePage(locale, found?.title[locale]));
  });

  const params = z.object({ token: z.string().max(200) });
  const HTML = { 'text/html': { schema: z.string() } };
  router.openAPIRegistry.registerPath({
    method: 'get',
    path: '/u/{token}',
    tags: ['signatures'],
    summary: 'The unsubscribe link of an update e-mail: a page with a button (changes nothing)',
    description:
      'The token names one signature (enciphered, with a MAC: no time, no contact). GET and HEAD change nothing; the page\'s button POSTs to the same URL.',
    request: { params, query: z.object({ lang: z.enum(LOCALES).optional() }) },
    responses: {
      200: { description: 'The page with the button, or "no more updates" when already unsubscribed', content: HTML },
      404: { description: 'Unknown or forged link', content: HTML },
    },
  });
  router.openAPIRegistry.registerPath({
    method: 'post',
    path: '/u/{token}',
    tags: ['signatures'],
    summary: 'Stop the updates of this signature (RFC 8058 one-click, or the page\'s button)',
    description:
      'Sets the signature\'s `updates` consent to false, at once and without a confirmation page. Accepts the one-click body ' +
      '`List-Unsubscribe=One-Click` (urlencoded or multipart) or any small form. The signature still counts. Audited without personal data.',
    request: { params },
    responses: {
      200: { description: 'No more updates (also when there were none to stop)', content: HTML },
      404: { description: 'Unknown or forged link', content: HTML },
    },
  });
  return router;
}
