/**
 * The text of pledge reminders (issue 16), in English and Kiswahili: an SMS of at most two segments and an
 * e-mail, the day before a pledged action and on the day.
 *
 * The SMS names the action, its date and time (Nairobi) and its place, how to answer by SMS (only where
 * replies reach us: a two-way short code) and the supporter's pledge link. When all of it does not fit two
 * segments (a long title, a place with a letter outside GSM-7, which makes the whole SMS UCS-2 at 67
 * characters a part), it drops detail in a fixed order — the place, then the link if a reply can do its
 * job, then the title — rather than cost three or four segments per supporter; the e-mail carries
 * everything. Like update e-mails, the subject is neutral (a lock screen or a shared inbox shows it).
 */
import type { Locale, LocalizedText } from '@imlu/contracts';
import { escapeHtml } from '../confirm/messages.ts';
import { message, translator } from '../i18n/index.ts';
import { smsSegments } from '../messages/sms.ts';
import { gsmFriendly } from '../updates/messages.ts';

export type ReminderWhen = 'before' | 'day';

/** At most this many SMS segments per reminder. */
export const MAX_REMINDER_SEGMENTS = 2;

export interface ReminderInput {
  locale: Locale;
  when: ReminderWhen;
  campaignTitle: LocalizedText;
  action: { position: number; title: LocalizedText; place: LocalizedText | null; startsAt: number };
  /** The supporter's pledge page (`pledgeLinkUrl`). */
  link: string;
}

const DATES: Record<Locale, { short: Intl.DateTimeFormat; long: Intl.DateTimeFormat; time: Intl.DateTimeFormat }> = {
  en: {
    short: new Intl.DateTimeFormat('en-KE', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'Africa/Nairobi' }),
    long: new Intl.DateTimeFormat('en-KE', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Africa/Nairobi' }),
    time: new Intl.DateTimeFormat('en-KE', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Africa/Nairobi' }),
  },
  sw: {
    short: new Intl.DateTimeFormat('sw-KE', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'Africa/Nairobi' }),
    long: new Intl.DateTimeFormat('sw-KE', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Africa/Nairobi' }),
    time: new Intl.DateTimeFormat('sw-KE', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Africa/Nairobi' }),
  },
};

/** ICU output may carry narrow or no-break spaces, which are not GSM-7: one SMS part less for a plain space. */
const plainSpaces = (text: string) => text.replace(/[\u00a0\u202f\u2009]/g, ' ');

/**
 * The SMS: the first of these that fits `MAX_REMINDER_SEGMENTS` — everything; without the place; (when a
 * reply can say it) without the link; then with "action N of your pledge" instead of the title. The last
 * always fits GSM-7 in two segments with a link of any usual length.
 */
export function reminderSms(input: ReminderInput, options: { replies: boolean }): string {
  const { locale, when, action } = input;
  const m = translator(locale);
  const date = plainSpaces(DATES[locale].short.format(action.startsAt));
  const time = plainSpaces(DATES[locale].time.format(action.startsAt));
  const title = gsmFriendly(action.title[locale].trim());
  const place = action.place?.[locale]?.trim() ? ` ${m('pledges.reminder.smsPlace', { place: gsmFriendly(action.place[locale].trim()) })}` : '';
  const head = when === 'before' ? m('pledges.reminder.smsBefore', { date, time, title }) : m('pledges.reminder.smsDay', { time, title });
  const generic =
    when === 'before'
      ? m('pledges.reminder.smsBeforeGeneric', { date, time, position: action.position })
      : m('pledges.reminder.smsDayGeneric', { time, position: action.position });
  const reply = options.replies ? ` ${m(when === 'before' ? 'pledges.reminder.replyCant' : 'pledges.reminder.replyDone', { position: action.position })}` : '';
  const link = ` ${m(when === 'before' ? 'pledges.reminder.linkCant' : 'pledges.reminder.linkDone', { link: input.link })}`;
  const stop = options.replies ? ` ${m('pledges.reminder.stop')}` : '';
  const candidates = [
    `${head}${place}${reply}${link}${stop}`,
    `${head}${reply}${link}${stop}`,
    ...(options.replies ? [`${head}${place}${reply}${stop}`, `${head}${reply}${stop}`] : []),
    `${generic}${reply}${link}${stop}`,
    `${generic}${reply}${stop}`,
  ];
  return candidates.find((text) => smsSegments(text).segments <= MAX_REMINDER_SEGMENTS) ?? candidates.at(-1)!;
}

/** The e-mail: neutral subject; what, when, where; the pledge link; why it came and how to stop (`unsubscribeUrl`). */
export function reminderEmail(input: ReminderInput, unsubscribeUrl: string): { subject: string; text: string; html: string } {
  const { locale, when, action } = input;
  const m = translator(locale);
  const title = input.campaignTitle[locale];
  const whenValue = message(locale, 'pledges.reminder.whenValue', {
    date: DATES[locale].long.format(action.startsAt),
    time: DATES[locale].time.format(action.startsAt),
  });
  const rows: [string, string][] = [
    [m('pledges.reminder.what'), action.title[locale]],
    [m('pledges.reminder.when'), whenValue],
    ...(action.place?.[locale] ? [[m('pledges.reminder.where'), action.place[locale]] as [string, string]] : []),
  ];
  const intro = m(when === 'before' ? 'pledges.reminder.emailBefore' : 'pledges.reminder.emailDay');
  const answer = m(when === 'before' ? 'pledges.reminder.emailCant' : 'pledges.reminder.emailDone');
  const heading = m('pledges.reminder.heading', { title });
  const text = [
    heading,
    '',
    intro,
    ...rows.map(([label, value]) => `${label}: ${value}`),
    '',
    answer,
    input.link,
    '',
    '--',
    m('pledges.reminder.why'),
    `${m('pledges.reminder.unsubscribe')} ${unsubscribeUrl}`,
    '',
  ].join('\n');
  const html =
    `<!doctype html><html lang="${locale}"><body>` +
    `<h1 style="font-size:1.2em">${escapeHtml(heading)}</h1>` +
    `<p>${escapeHtml(intro)}</p>` +
    `<ul>${rows.map(([label, value]) => `<li><strong>${escapeHtml(label)}:</strong> ${escapeHtml(value)}</li>`).join('')}</ul>` +
    `<p>${escapeHtml(answer)}<br><a href="${escapeHtml(input.link)}">${escapeHtml(m('pledges.reminder.open'))}</a></p>` +
    `<p style="font-size:.9em;color:#555">${escapeHtml(m('pledges.reminder.why'))} <a href="${escapeHtml(unsubscribeUrl)}">${escapeHtml(m('pledges.reminder.unsubscribeLink'))}</a></p>` +
    '</body></html>';
  return { subject: m('pledges.reminder.subject'), text, html };
}
