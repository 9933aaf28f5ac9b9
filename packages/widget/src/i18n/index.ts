/**
 * A deliberately small message catalog: typed keys, one module per locale, per-string fallback to
 * English. `@lit/localize` would add a runtime and a build step we do not need for two locales yet; the
 * keys here are meant to become its message ids when we move to XLIFF.
 */
import type { Locale } from '@imlu/contracts';
import type { FieldErrorCode } from '@imlu/contracts/problems';
import { en } from './en.ts';
import { sw } from './sw.ts';

export type { Locale };
export type Catalog = typeof en;
export type MessageKey = keyof Catalog;

const catalogs: Record<Locale, Partial<Catalog>> = { en, sw };

/** The message `key` in `locale`, or the English one when that locale lacks it. */
export function msg<K extends MessageKey>(locale: Locale, key: K): Catalog[K] {
  return (catalogs[locale][key] ?? en[key]) as Catalog[K];
}

/** The signer-facing message for an API field error code; unknown and unreachable codes get the generic one. */
export function fieldErrorMessage(locale: Locale, code: FieldErrorCode): string {
  const key = `err_${code}`;
  return msg(locale, (key in en ? key : 'err_invalid') as MessageKey) as string;
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
