/**
 * The strings of a duty bearer's dated history (`./history.ts`), which the reader sees only after opening
 * it: kept apart from `./accountability.messages.ts` so that neither their English nor their Kiswahili
 * weighs on embed.js (build/split-translations.ts gives this file only its own compiled templates).
 * Same conventions as `../i18n/messages.ts`.
 */
import type { Locale, msgFor as MsgFor } from '../i18n/index.ts';
import type { Msg } from '../i18n/messages.ts';
import { templates as sw } from '../i18n/generated/sw.ts';

export const historyMessages = (msg: Msg) => ({
  selfReported: msg('Self-reported', { id: 'accSelfReported' }),
  byCampaign: msg('Recorded by the campaign', { id: 'accByCampaign' }),
  evidence: msg('Evidence', { id: 'accEvidence' }),
  packDelivered: msg('Asked · pack delivered', { id: 'accPackDelivered' }),
});

export type HistoryCatalog = ReturnType<typeof historyMessages>;

const catalogs: Partial<Record<Locale, HistoryCatalog>> = {};

/** The history's messages in `locale`; `msgFor` comes from embed.js at run time (see `./history.ts`). */
export function historyCatalog(locale: Locale, msgFor: typeof MsgFor): HistoryCatalog {
  return (catalogs[locale] ??= historyMessages(msgFor(locale === 'sw' ? sw : undefined)));
}
