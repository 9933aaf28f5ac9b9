/**
 * The one catalog of the API's user-facing copy (pages, e-mails, SMS), in English and Kiswahili.
 *
 * `message(locale, id, params)` is the only way code reads it: the id must exist (a type error otherwise) and
 * the parameters are the English message's `{names}`. Parameters are inserted as given — pages escape the
 * result (`esc()`), as they escape anything else.
 */
import type { Locale } from '@imlu/contracts';
import type { Catalog, MessageArgs, MessageId } from './catalog.ts';
import { en } from './en.ts';
import { sw } from './sw.ts';

export type { Catalog, Message, MessageArgs, MessageId, MessageParams } from './catalog.ts';

export const CATALOGS: Record<Locale, Catalog> = { en, sw };

/** Built once per language: constructing Intl objects costs far more than using them. */
const PLURAL_RULES: Record<Locale, Intl.PluralRules> = { en: new Intl.PluralRules('en'), sw: new Intl.PluralRules('sw') };

export function message<Id extends MessageId>(locale: Locale, id: Id, ...args: MessageArgs<Id>): string {
  const entry = CATALOGS[locale][id];
  const params = (args[0] ?? {}) as Record<string, string | number>;
  const text = typeof entry === 'string' ? entry : PLURAL_RULES[locale].select(Number(params['n'])) === 'one' ? entry.one : entry.other;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** `message` bound to one language, for a module that renders a whole page in it. */
export function translator(locale: Locale): <Id extends MessageId>(id: Id, ...args: MessageArgs<Id>) => string {
  return (id, ...args) => message(locale, id, ...args);
}

/** Each language by its own name, for the link to the other language that every page carries. */
export const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', sw: 'Kiswahili' };

/**
 * The language of a page or an answer: an explicit choice first (`?lang=`, a signature's `locale`), then the
 * best of `Accept-Language` by q-value, then English. `sw-KE`, `sw-TZ` and plain `sw` all mean Kiswahili.
 */
export function pickLocale(queryLang: string | undefined, acceptLanguage: string | undefined): Locale {
  if (queryLang === 'en' || queryLang === 'sw') return queryLang;
  let best: { locale: Locale; q: number } | undefined;
  for (const part of (acceptLanguage ?? '').slice(0, 500).split(',')) {
    const [tag = '', ...params] = part.trim().split(';');
    const primary = tag.trim().toLowerCase().split('-')[0];
    if (primary !== 'en' && primary !== 'sw') continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    if (!best || q > best.q) best = { locale: primary, q };
  }
  return best?.locale ?? 'en';
}
