/**
 * The strings only `<imlu-counter show="kept">` needs, in the counter's own chunk rather than the petition's
 * catalog (which embed.js loads before a petition's first interaction). Same conventions as
 * `../i18n/messages.ts`; build/split-translations.ts gives this file only its own Kiswahili templates.
 */
import { str } from '@lit/localize';
import { msgFor, type Locale } from '../i18n/index.ts';
import type { Msg } from '../i18n/messages.ts';
import { templates as sw } from '../i18n/generated/sw.ts';

export const counterMessages = (msg: Msg) => ({
  /** A pledge's kept promises, e.g. "830 of 1,200 kept their pledge"; `n` is the kept count, for the plural. */
  kept: (kept: string, n: number, pledged: string) =>
    n === 1
      ? msg(str`${kept} of ${pledged} kept their pledge`, { id: 'counterKeptOne' })
      : msg(str`${kept} of ${pledged} kept their pledge`, { id: 'counterKeptOther' }),
});

export type CounterCatalog = ReturnType<typeof counterMessages>;

const catalogs: Partial<Record<Locale, CounterCatalog>> = {};

export function counterCatalog(locale: Locale): CounterCatalog {
  return (catalogs[locale] ??= counterMessages(msgFor(locale === 'sw' ? sw : undefined)));
}
