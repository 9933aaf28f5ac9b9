/**
 * The text of updates to supporters, in English and Kiswahili: an SMS that fits one 160-character GSM-7
 * segment wherever it can, and an e-mail.
 *
 * Like the confirmation messages, the e-mail subject is neutral (a lock screen or a shared inbox shows it)
 * and the SMS carries no campaign title. The SMS names the official and what they did, since that is the
 * news. When the whole sentence does not fit one segment (a long name, a name with a letter outside GSM-7
 * such as "ũ", a long link), the SMS drops detail in a fixed order — the link, then the name — rather than
 * costing the campaign two or three segments per signer; the e-mail always carries everything.
 */
import type { Locale, LocalizedText } from '@imlu/contracts';
import { RESPOND_STRINGS } from '../accountability/respond.strings.ts';
import type { RecordableStatus } from '../accountability/schemas.ts';
import { escapeHtml } from '../confirm/messages.ts';
import { fitsOneGsm7Segment } from '../messages/sms.ts';
import { message, translator } from '../i18n/index.ts';


export type UpdateContent =
  | {
      kind: 'position';
      /** The duty bearer's name as the board shows it. */
      target: string;
      /** One per demand whose status changed; `demand` is null for a demand since removed. */
      changes: { demand: LocalizedText | null; status: RecordableStatus }[];
      statement: string | null;
    }
  | { kind: 'milestone'; threshold: number; label: LocalizedText }
  | { kind: 'closed'; signatures: number };

export interface UpdateMessageInput {
  locale: Locale;
  content: UpdateContent;
  campaignKind: 'petition' | 'pledge';
  campaignTitle: LocalizedText;
  /** Where the message points: the campaign's page. */
  link: string;
}

const NUMBERS: Record<Locale, Intl.NumberFormat> = { en: new Intl.NumberFormat('en-KE'), sw: new Intl.NumberFormat('sw-KE') };

interface Copy {
  prefix: string;
  position: (target: string, status: RecordableStatus | 'mixed', demands: number) => string;
  positionGeneric: string;
  milestone: (count: string, n: number, kind: 'petition' | 'pledge') => string;
  closed: (count: string, n: number, kind: 'petition' | 'pledge') => string;
  closedGeneric: string;
  see: (link: string) => string;
  stop: string;
  subject: string;
  heading: (title: string) => string;
  emailPosition: (target: string, status: RecordableStatus | 'mixed', demands: number) => string;
  statement: string;
  emailMilestone: (title: string, count: string, n: number, label: string, kind: 'petition' | 'pledge') => string;
  emailClosed: (title: string, count: string, n: number, kind: 'petition' | 'pledge') => string;
  emailLink: string;
  why: string;
  unsubscribe: string;
  unsubscribeLink: string;
}

/** The copy in one language, read from the catalog (`src/i18n/`, ids `updates.*`). */
function copyFor(locale: Locale): Copy {
  const m = translator(locale);
  return {
    prefix: m('updates.prefix'),
    position: (target, status, n) => message(locale, `updates.sms.${status}`, { target, n }),
    positionGeneric: m('updates.positionGeneric'),
    milestone: (count, n, kind) => message(locale, `updates.milestone.${kind}`, { count, n }),
    closed: (count, n, kind) => message(locale, `updates.closed.${kind}`, { count, n }),
    closedGeneric: m('updates.closedGeneric'),
    see: (link) => m('updates.see', { link }),
    stop: m('updates.stop'),
    subject: m('updates.subject'),
    heading: (title) => m('updates.heading', { title }),
    emailPosition: (target, status, n) => message(locale, `updates.email.${status}`, { target, n }),
    statement: m('updates.statement'),
    emailMilestone: (title, count, n, label, kind) => message(locale, `updates.email.milestone.${kind}`, { title, count, n, label }),
    emailClosed: (title, count, n, kind) => message(locale, `updates.email.closed.${kind}`, { title, count, n }),
    emailLink: m('updates.emailLink'),
    why: m('updates.why'),
    unsubscribe: m('updates.unsubscribe'),
    unsubscribeLink: m('updates.unsubscribeLink'),
  };
}

export const UPDATE_COPY: Record<Locale, Copy> = { en: copyFor('en'), sw: copyFor('sw') };

/** Typographic punctuation that has a GSM-7 twin: a name written with ’ or – should not cost a segment. */
const GSM_FRIENDLY: Record<string, string> = { '‘': "'", '’': "'", '“': '"', '”': '"', '–': '-', '—': '-', '…': '...', '\u00a0': ' ' };

export function gsmFriendly(text: string): string {
  return text.replace(/[‘’“”–—…\u00a0]/g, (ch) => GSM_FRIENDLY[ch]!);
}

function overall(changes: { status: RecordableStatus }[]): RecordableStatus | 'mixed' {
  const statuses = new Set(changes.map((c) => c.status));
  return statuses.size === 1 ? [...statuses][0]! : 'mixed';
}

/**
 * The SMS: the first of these that fits one GSM-7 segment — the full sentence with the link, without the
 * link, the general sentence with the link, without it. The general sentence without a link always fits
 * (it has no name and no URL), so every update is one segment; `replyStop` adds how to stop them (only
 * where replies reach us: a two-way short code).
 */
export function updateSms(input: UpdateMessageInput, options: { replyStop: boolean }): string {
  const copy = UPDATE_COPY[input.locale];
  const { content } = input;
  const count = (n: number) => NUMBERS[input.locale].format(n);
  let specific: string;
  let generic: string;
  switch (content.kind) {
    case 'position':
      specific = `${copy.prefix} ${gsmFriendly(copy.position(content.target.trim(), overall(content.changes), content.changes.length))}`;
      generic = `${copy.prefix} ${copy.positionGeneric}`;
      break;
    case 'milestone':
      specific = generic = `${copy.prefix} ${copy.milestone(count(content.threshold), content.threshold, input.campaignKind)}`;
      break;
    case 'closed':
      specific = `${copy.prefix} ${copy.closed(count(content.signatures), content.signatures, input.campaignKind)}`;
      generic = `${copy.prefix} ${copy.closedGeneric}`;
      break;
  }
  const stop = options.replyStop ? ` ${copy.stop}` : '';
  const see = ` ${copy.see(input.link)}`;
  const candidates = [`${specific}${see}${stop}`, `${specific}${stop}`, `${generic}${see}${stop}`, `${generic}${stop}`];
  return candidates.find(fitsOneGsm7Segment) ?? candidates[0]!;
}

/** The e-mail: neutral subject; the campaign, what happened, the link, and how to stop (`unsubscribeUrl`). */
export function updateEmail(input: UpdateMessageInput, unsubscribeUrl: string): { subject: string; text: string; html: string } {
  const { locale, content } = input;
  const copy = UPDATE_COPY[locale];
  const title = input.campaignTitle[locale];
  const count = (n: number) => NUMBERS[locale].format(n);
  const lines: string[] = [];
  let list: string[] = [];
  let quote: string | undefined;
  switch (content.kind) {
    case 'position': {
      lines.push(copy.emailPosition(content.target.trim(), overall(content.changes), content.changes.length));
      const labels = RESPOND_STRINGS[locale].status;
      list = content.changes.filter((c) => c.demand).map((c) => `${c.demand![locale]}: ${labels[c.status]}`);
      if (content.statement?.trim()) quote = content.statement.trim();
      break;
    }
    case 'milestone':
      lines.push(copy.emailMilestone(title, count(content.threshold), content.threshold, content.label[locale], input.campaignKind));
      break;
    case 'closed':
      lines.push(copy.emailClosed(title, count(content.signatures), content.signatures, input.campaignKind));
      break;
  }
  const text = [
    copy.heading(title),
    '',
    ...lines,
    ...list.map((item) => `- ${item}`),
    ...(quote ? ['', copy.statement, `"${quote}"`] : []),
    '',
    copy.emailLink,
    input.link,
    '',
    '--',
    copy.why,
    `${copy.unsubscribe} ${unsubscribeUrl}`,
    '',
  ].join('\n');
  const html =
    `<!doctype html><html lang="${locale}"><body>` +
    `<h1 style="font-size:1.2em">${escapeHtml(copy.heading(title))}</h1>` +
    lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('') +
    (list.length ? `<ul>${list.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>` : '') +
    (quote ? `<p>${escapeHtml(copy.statement)}</p><blockquote>${escapeHtml(quote)}</blockquote>` : '') +
    `<p>${escapeHtml(copy.emailLink)}<br><a href="${escapeHtml(input.link)}">${escapeHtml(input.link)}</a></p>` +
    `<p style="font-size:.9em;color:#555">${escapeHtml(copy.why)} <a href="${escapeHtml(unsubscribeUrl)}">${escapeHtml(copy.unsubscribeLink)}</a></p>` +
    '</body></html>';
  return { subject: copy.subject, text, html };
}
