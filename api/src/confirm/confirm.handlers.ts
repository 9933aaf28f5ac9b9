/**
 * `GET /v1/confirm/:token` shows the holder of a confirmation link what they would confirm and a button;
 * `POST /v1/confirm/:token` (that button) confirms exactly that version. GET and HEAD change nothing, so a
 * mail scanner, a link preview or a prefetch cannot confirm for anyone. One write transaction moves the
 * signature from `pending` to `counted` (or holds it, see `state.ts`) only if it is still the contact's
 * current word and its campaign still open; a second click, or two nodes at once, change the counts once.
 */
import type { Context } from 'hono';
import { LOCALES, type Locale } from '@imlu/contracts';
import { isCrossSitePost } from '../hosted/form-token.ts';
import { TOKEN_PAGE_HEADERS } from '../hosted/render.ts';
import { pickLocale } from '../hosted/strings.ts';
import type { AppBindings } from '../http/context.ts';
import { readFormBody } from '../http/form-body.ts';
import { readActionCountRows, readCountRows } from '../signing/writer.ts';
import { renderConfirmForm, renderOutcome, type PageOutcome } from './confirm.page.ts';
import { MANAGE_TTL_MS } from '../signer/access.ts';
import { confirmVersion, loadVersion, type SignatureVersion, type VersionState } from './state.ts';

type ConfirmContext = Context<AppBindings>;

const STATUS: Record<PageOutcome | 'form', 200 | 403 | 404 | 409 | 410> = {
  form: 200,
  confirmed: 200,
  held: 200,
  already: 200,
  superseded: 410,
  invalid: 404,
  expired: 410,
  closed: 409,
};

function respond(c: ConfirmContext, outcome: PageOutcome | 'form', body: string): Response {
  return c.body(body, STATUS[outcome], { ...TOKEN_PAGE_HEADERS, Vary: 'Accept-Language' });
}

/**
 * The page language, one only: asked for (`?lang=` from the language link, the form's `lang`), else the
 * language the signer signed in, else (a link that names nothing) the browser's.
 */
function localeFor(c: ConfirmContext, version: SignatureVersion | undefined, asked?: unknown): Locale {
  const wanted = asked ?? c.req.query('lang');
  if ((LOCALES as readonly unknown[]).includes(wanted)) return wanted as Locale;
  return version?.locale ?? pickLocale(undefined, c.req.header('Accept-Language'));
}

const OUTCOME_OF: Record<Exclude<VersionState, 'confirmable'>, PageOutcome> = {
  confirmed: 'already',
  held: 'held',
  superseded: 'superseded',
  expired: 'expired',
  closed: 'closed',
  unavailable: 'invalid',
};

async function resolve(c: ConfirmContext): Promise<SignatureVersion | undefined> {
  const { tokens, db, crypto, clock } = c.var.services;
  const check = tokens.verify(c.req.param('token') ?? '');
  if (!check.ok) return undefined;
  // A valid token for a signature that is gone (erased on request, or its campaign deleted) is invalid too.
  const version = await loadVersion(db.client, crypto, check.signatureId, clock());
  return version?.confirmChannel ? version : undefined;
}

export async function showConfirmation(c: ConfirmContext): Promise<Response> {
  const version = await resolve(c);
  const locale = localeFor(c, version);
  if (!version) return respond(c, 'invalid', renderOutcome('invalid', locale));
  if (version.state !== 'confirmable') {
    const outcome = OUTCOME_OF[version.state];
    return respond(c, outcome, renderOutcome(outcome, locale, version.title, manageUrl(c, version, outcome, locale)));
  }
  return respond(c, 'form', renderConfirmForm(version, locale, new URL(c.req.url).pathname));
}

/**
 * The private manage-my-signature link shown once a signature is confirmed (or held): whoever holds the
 * confirmation link received it at the signature's contact, which is the proof the manage page asks for.
 * It works for an hour, like the manage page's own links.
 */
function manageUrl(c: ConfirmContext, version: SignatureVersion, outcome: PageOutcome, locale: Locale): string | undefined {
  if (outcome !== 'confirmed' && outcome !== 'already' && outcome !== 'held') return undefined;
  const contact = version.contact();
  if (!contact) return undefined;
  const { signerAccess, clock } = c.var.services;
  return `/me/${signerAccess.session(contact, locale, clock() + MANAGE_TTL_MS)}`;
}

export async function postConfirmation(c: ConfirmContext): Promise<Response> {
  // The button is on our own page; a post from another site is not the signer's action.
  if (isCrossSitePost(c.req.raw.headers, c.req.url, { allowNullOrigin: true })) {
    return respond(c, 'invalid', renderOutcome('invalid', localeFor(c, undefined)));
  }
  const form = await readFormBody(c);
  const version = await resolve(c);
  const locale = localeFor(c, version, form['lang']);
  if (!version) return respond(c, 'invalid', renderOutcome('invalid', locale));
  if (version.state !== 'confirmable') {
    const outcome = OUTCOME_OF[version.state];
    return respond(c, outcome, renderOutcome(outcome, locale, version.title, manageUrl(c, version, outcome, locale)));
  }
  const { db, clock, counts } = c.var.services;
  const result = await confirmVersion(db.client, version.id, version.confirmChannel!, clock());
  if (result.outcome === 'not-confirmable') {
    // Changed between the read and the write (superseded, confirmed by a second click, closed): say what it is now.
    const now = await loadVersion(db.client, c.var.services.crypto, version.id, clock());
    const outcome = now && now.state !== 'confirmable' ? OUTCOME_OF[now.state] : 'invalid';
    return respond(c, outcome, renderOutcome(outcome, locale, version.title, manageUrl(c, version, outcome, locale)));
  }
  counts.apply(readCountRows(result.countRows));
  counts.applyActions(readActionCountRows(result.actionCountRows));
  return respond(c, result.outcome, renderOutcome(result.outcome, locale, version.title, manageUrl(c, version, result.outcome, locale)));
}
