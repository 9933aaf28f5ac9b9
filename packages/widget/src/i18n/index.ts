/**
 * Translation, per element. The strings live in `./messages.ts` (English, as `msg()` calls) and
 * `xliff/sw.xlf` (Kiswahili, for translators), compiled by `lit-localize build` into
 * `./generated/sw.ts`. @lit/localize's runtime is deliberately NOT configured: its locale is global to
 * the page, and two widgets on one page may speak different languages. Instead each locale gets its own
 * catalog, built once from the same `messages()` with a `msg` that reads that locale's template map,
 * string by string, falling back to English for any id a translation lacks.
 */
import type { Locale } from '@imlu/contracts';
import type { StrResult } from '@lit/localize';
import { templates as sw } from './generated/sw.ts';
import { messages, type Catalog, type Msg } from './messages.ts';

export type { Catalog, Locale };
export type MessageKey = keyof Catalog;

/** A compiled translation: plain text, or a `str` template whose values are indices into the English one's. */
type Translation = string | StrResult;
export type Templates = Readonly<Record<string, Translation | undefined>>;

const join = (strings: readonly string[], values: readonly unknown[]) =>
  strings.reduce((text, part, i) => text + String(values[i - 1]) + part);

/**
 * A `msg()` for one locale. English (no templates) renders the source; another locale renders its
 * translation of the id, reordering the source's values as the translator did, or the source when the
 * translation is missing.
 */
export function msgFor(templates?: Templates): Msg {
  // `options` is `{ id }` in the source and just the id in the bundle (build/compact-message-ids.ts).
  return ((source: string | StrResult, options?: { id?: string } | string) => {
    const id = typeof options === 'string' ? options : options?.id;
    const translation = id ? templates?.[id] : undefined;
    const template = translation ?? source;
    if (typeof template === 'string') return template;
    const values = translation ? (template.values as number[]).map((i) => (source as StrResult).values[i]) : template.values;
    return join(template.strings, values);
  }) as Msg;
}

const templatesByLocale: Record<Locale, Templates | undefined> = { en: undefined, sw };
const catalogs = new Map<Locale, Catalog>();

/** Every message in `locale`. */
export function catalog(locale: Locale): Catalog {
  let result = catalogs.get(locale);
  if (!result) catalogs.set(locale, (result = messages(msgFor(templatesByLocale[locale]))));
  return result;
}

/** The message `key` in `locale` (per-string fallback to English). */
export function msg<K extends MessageKey>(locale: Locale, key: K): Catalog[K] {
  return catalog(locale)[key];
}

/** Any `sw*` language tag (sw, sw-KE, sw-TZ, swh…) means Kiswahili; everything else English. */
export function localeFromTag(tag: string | null | undefined): Locale {
  return tag?.trim().toLowerCase().startsWith('sw') ? 'sw' : 'en';
}

/**
 * `1234` → `1,234`: integers grouped by threes with commas, which is what `Intl.NumberFormat` gives for
 * both `en-KE` and `sw-KE` (test/i18n.test.ts checks that). Not Intl itself: constructing the first
 * NumberFormat loads ICU's locale data, a 50–100 ms task on a slow phone, right in the petition's first
 * render. Every number the widget shows (counts, goals, seconds, characters) is a whole number.
 */
export function formatNumber(_locale: Locale, value: number): string {
  return String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const dateFormats = new Map<Locale, Intl.DateTimeFormat>();

/** An ISO date-time as a date in Kenya, e.g. `3 March 2025` / `3 Machi 2025`: milestones, and the date a campaign opens. */
export function formatDate(locale: Locale, iso: string): string {
  let format = dateFormats.get(locale);
  if (!format) dateFormats.set(locale, (format = new Intl.DateTimeFormat(`${locale}-KE`, { dateStyle: 'long', timeZone: 'Africa/Nairobi' })));
  return format.format(new Date(iso));
}
