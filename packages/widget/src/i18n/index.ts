/**
 * Translation, per element. The strings live in `./messages.ts` (English, as `msg()` calls) and
 * `xliff/sw.xlf` (Kiswahili, for translators), compiled by `lit-localize build` into
 * `./generated/sw.ts`. @lit/localize's runtime is deliberately NOT configured: its locale is global to
 * the page, and two widgets on one page may speak different languages. Instead each locale gets its own
 * catalog, built once from the same `messages()` with a `msg` that reads that locale's template map,
 * string by string, falling back to English for any id a translation lacks.
 */
import type { Locale } from '@imlu/contracts';
import type { FieldErrorCode } from '@imlu/contracts/problems';
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

/** The signer-facing message for an API field error code; unknown and unreachable codes get the generic one. */
export function fieldErrorMessage(locale: Locale, code: FieldErrorCode | string): string {
  const messages = catalog(locale);
  return (messages[`err_${code}` as MessageKey] as string | undefined) ?? messages.err_invalid;
}

/** Any `sw*` language tag (sw, sw-KE, sw-TZ, swh…) means Kiswahili; everything else English. */
export function localeFromTag(tag: string | null | undefined): Locale {
  return tag?.trim().toLowerCase().startsWith('sw') ? 'sw' : 'en';
}

const formatters = new Map<Locale, Intl.NumberFormat>();

/** `1234` → `1,234`, with Kenyan conventions for both languages. */
export function formatNumber(locale: Locale, value: number): string {
  let formatter = formatters.get(locale);
  if (!formatter) formatters.set(locale, (formatter = new Intl.NumberFormat(`${locale}-KE`)));
  return formatter.format(value);
}
