/**
 * `GET /v1/confirm/:token`: the link in a confirmation message. One write transaction moves the signature
 * from `pending` to `counted` — only if it is still pending and its campaign still open — and a trigger
 * (migration 0004) moves the count deltas with it, so a second click, a mail scanner that prefetches the
 * link, or two nodes at once change the counts exactly once.
 */
import type { Locale } from '@imlu/contracts';
import type { AppRouteHandler } from '../http/context.ts';
import { readCountRows } from '../signing/writer.ts';
import type { getConfirmation } from './confirm.routes.ts';
import { escapeHtml } from './messages.ts';

type Outcome = 'confirmed' | 'already' | 'invalid' | 'expired' | 'closed';

const STATUS: Record<Outcome, 200 | 404 | 409 | 410> = { confirmed: 200, already: 200, invalid: 404, expired: 410, closed: 409 };

const PAGE: Record<Outcome, Record<Locale, { title: string; text: string }>> = {
  confirmed: {
    en: { title: 'Thank you: your signature is confirmed', text: 'Your signature on "{title}" now counts.' },
    sw: { title: 'Asante: sahihi yako imethibitishwa', text: 'Sahihi yako kwenye "{title}" sasa inahesabiwa.' },
  },
  already: {
    en: { title: 'Your signature is already confirmed', text: 'Your signature on "{title}" counts. There is nothing more to do.' },
    sw: { title: 'Sahihi yako ilikwisha thibitishwa', text: 'Sahihi yako kwenye "{title}" inahesabiwa. Hakuna zaidi la kufanya.' },
  },
  invalid: {
    en: { title: 'This link is not valid', text: 'Check that you opened the whole link from the message.' },
    sw: { title: 'Kiungo hiki si sahihi', text: 'Hakikisha umefungua kiungo chote kutoka kwenye ujumbe.' },
  },
  expired: {
    en: { title: 'This link has expired', text: 'Sign the petition again to receive a new link.' },
    sw: { title: 'Muda wa kiungo hiki umekwisha', text: 'Saini ombi tena ili upate kiungo kipya.' },
  },
  closed: {
    en: { title: 'This campaign has closed', text: '"{title}" no longer accepts signatures.' },
    sw: { title: 'Kampeni hii imefungwa', text: '"{title}" haipokei sahihi tena.' },
  },
};

export const getConfirmationHandler: AppRouteHandler<typeof getConfirmation> = async (c) => {
  const { db, tokens, clock, counts } = c.var.services;
  const now = clock();
  const check = tokens.verify(c.req.valid('param').token, now);
  if (!check.ok) return page(c, check.reason, 'en', undefined);

  const [update, read, countRows] = await db.client.batch(
    [
      {
        sql:
          "UPDATE signatures SET status = 'counted', confirmed_at = ? WHERE id = ? AND status = 'pending' AND flag IS NULL " +
          'AND EXISTS (SELECT 1 FROM campaigns c WHERE c.id = signatures.campaign_id AND c.status = ? ' +
          'AND (c.opens_at IS NULL OR c.opens_at <= ?) AND (c.closes_at IS NULL OR c.closes_at > ?))',
        args: [now, check.signatureId, 'open', now, now],
      },
      {
        sql: 'SELECT s.status, s.locale, c.title_en, c.title_sw FROM signatures s JOIN campaigns c ON c.id = s.campaign_id WHERE s.id = ?',
        args: [check.signatureId],
      },
      {
        sql:
          'SELECT campaign_id, bucket, counted, pending, version, updated_at FROM campaign_counts ' +
          'WHERE campaign_id = (SELECT campaign_id FROM signatures WHERE id = ?)',
        args: [check.signatureId],
      },
    ],
    'write',
  );
  const row = read!.rows[0];
  // A valid token for a signature that is gone (erased on request, or its campaign deleted).
  if (!row) return page(c, 'invalid', 'en', undefined);
  const locale: Locale = row[1] === 'sw' ? 'sw' : 'en';
  const title = { en: String(row[2]), sw: String(row[3]) };
  if (update!.rowsAffected === 1) {
    counts.apply(readCountRows(countRows!));
    return page(c, 'confirmed', locale, title);
  }
  return page(c, row[0] === 'counted' ? 'already' : 'closed', locale, title);
};

function page(
  c: Parameters<AppRouteHandler<typeof getConfirmation>>[0],
  outcome: Outcome,
  locale: Locale,
  title: { en: string; sw: string } | undefined,
) {
  // The signer's language first, then the other one: the page is bilingual either way.
  const order: Locale[] = locale === 'sw' ? ['sw', 'en'] : ['en', 'sw'];
  const sections = order.map((lang) => {
    const copy = PAGE[outcome][lang];
    const text = copy.text.replace('{title}', title ? title[lang] : '');
    return `<section lang="${lang}"><h1>${escapeHtml(copy.title)}</h1><p>${escapeHtml(text)}</p></section>`;
  });
  const html =
    `<!doctype html><html lang="${locale}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<meta name="robots" content="noindex"><title>${escapeHtml(PAGE[outcome][locale].title)}</title></head>` +
    `<body>${sections.join('<hr>')}</body></html>`;
  return c.html(html, STATUS[outcome], { 'Cache-Control': 'no-store' });
}
