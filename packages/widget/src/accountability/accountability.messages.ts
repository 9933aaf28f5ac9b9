/**
 * The strings of `<imlu-accountability>`, in English as `msg()` calls (see `../i18n/messages.ts` for why
 * `msg` is a parameter). Kept apart from the petition's catalog so that each element owns its strings;
 * the Kiswahili lives in the same `xliff/sw.xlf` and generated `sw.ts`, under ids that start with `acc`.
 * The history's own strings, shown only once the reader opens it, are in `./history.messages.ts`.
 *
 * Numbers arrive formatted for the locale; where English needs a plural, the raw value comes too.
 */
import { str } from '@lit/localize';
import type { PositionStatus } from '@imlu/contracts';
import type { Locale } from '../i18n/index.ts';
import { msgFor } from '../i18n/index.ts';
import { templates as sw } from '../i18n/generated/sw.ts';
import type { Msg } from '../i18n/messages.ts';

export const accountabilityMessages = (msg: Msg) => ({
  loading: msg('Loading the duty bearers’ responses…', { id: 'accLoading' }),
  loadFailed: msg('The duty bearers’ responses could not be loaded. Check your connection and try again.', {
    id: 'accLoadFailed',
  }),
  empty: msg('No duty bearers yet.', { id: 'accEmpty' }),
  /** The summary counters, e.g. "3 of 5 committed · 1 delivered · 2 overdue". */
  summary: (committed: string, targets: string, delivered: string, overdue: string) =>
    msg(str`${committed} of ${targets} committed · ${delivered} delivered · ${overdue} overdue`, { id: 'accSummary' }),
  filter: msg('Show', { id: 'accFilter' }),
  all: msg('All duty bearers', { id: 'accAll' }),
  /** The filter's result, announced politely: "Showing 2 of 5 duty bearers". */
  showing: (shown: string, total: string) => msg(str`Showing ${shown} of ${total} duty bearers`, { id: 'accShowing' }),
  overdue: msg('Overdue', { id: 'accOverdue' }),
  overdueBy: (days: string, n: number) =>
    n === 1
      ? msg(str`Overdue by ${days} day`, { id: 'accOverdueByOne' })
      : msg(str`Overdue by ${days} days`, { id: 'accOverdueByOther' }),
  national: msg('National', { id: 'accNational' }),
  county: (name: string) => msg(str`${name} County`, { id: 'accCounty' }),
  history: msg('History', { id: 'accHistory' }),
  milestones: msg('Milestones', { id: 'accMilestones' }),
  reached: (date: string) => msg(str`Reached on ${date}`, { id: 'accReached' }),
  notReached: msg('Not reached yet', { id: 'accNotReached' }),
  /** A pack delivered: "12,345 signatures delivered to IPOA on 6 December 2026 (in person) · pack sha256 ab12…". */
  delivery: (count: string, n: number, name: string, date: string, channel: string, hash: string) =>
    n === 1
      ? msg(str`${count} signature delivered to ${name} on ${date} (${channel}) · pack sha256 ${hash}`, { id: 'accDeliveryOne' })
      : msg(str`${count} signatures delivered to ${name} on ${date} (${channel}) · pack sha256 ${hash}`, { id: 'accDeliveryOther' }),
  ch_in_person: msg('in person', { id: 'accChInPerson' }),
  ch_email: msg('by e-mail', { id: 'accChEmail' }),
  ch_post: msg('by post', { id: 'accChPost' }),
  ch_courier: msg('by courier', { id: 'accChCourier' }),
  ch_other: msg('another way', { id: 'accChOther' }),
  /** A duty bearer the campaign has no way to reach, instead of an unexplained silence. */
  noContact: msg('Not asked — no contact available', { id: 'accNoContact' }),
  /** A reached milestone's step towards a duty bearer, not yet taken. */
  stepDeliver: (name: string) => msg(str`Due: deliver the pack to ${name}`, { id: 'accStepDeliver' }),
  stepAsk: (name: string) => msg(str`Due: ask ${name} for a response`, { id: 'accStepAsk' }),
  /** Under the record: the id of the key an official checks a delivery pack's signature with. */
  signedWith: (key: string) => msg(str`Delivery packs are signed with key ${key}`, { id: 'accSignedWith' }),
  /** A pledge campaign's actions and their figures (issue 16), beside the duty bearers. */
  pledges: msg('Supporters’ pledges', { id: 'accPledges' }),
  /** An action that has started or has no date: "1,200 pledged; 830 kept their pledge" (`n`: kept, for the plural). */
  pledgeKept: (kept: string, n: number, pledged: string) =>
    n === 1
      ? msg(str`${pledged} pledged; ${kept} kept their pledge`, { id: 'accPledgeKeptOne' })
      : msg(str`${pledged} pledged; ${kept} kept their pledge`, { id: 'accPledgeKeptOther' }),
  /** An action still ahead: "1,200 pledged". */
  pledgeAhead: (pledged: string) => msg(str`${pledged} pledged`, { id: 'accPledgeAhead' }),
  /** Beside it, when the action has a capacity: "35 places left". */
  placesLeft: (places: string, n: number) =>
    n === 1 ? msg(str`${places} place left`, { id: 'accPlacesLeftOne' }) : msg(str`${places} places left`, { id: 'accPlacesLeftOther' }),
  // A duty bearer's position on one demand (PositionStatus).
  not_asked: msg('Not asked yet', { id: 'accNotAsked' }),
  asked: msg('Awaiting a response', { id: 'accAsked' }),
  acknowledged: msg('Acknowledged', { id: 'accAcknowledged' }),
  committed: msg('Committed', { id: 'accCommitted' }),
  declined: msg('Declined', { id: 'accDeclined' }),
  delivered: msg('Delivered', { id: 'accDelivered' }),
  broken: msg('Broke the commitment', { id: 'accBroken' }),
});

export type AccountabilityCatalog = ReturnType<typeof accountabilityMessages> & Record<PositionStatus, string>;

const catalogs: Partial<Record<Locale, AccountabilityCatalog>> = {};

/** Every accountability message in `locale`, built once (per-string fallback to English). */
export function accountabilityCatalog(locale: Locale): AccountabilityCatalog {
  return (catalogs[locale] ??= accountabilityMessages(msgFor(locale === 'sw' ? sw : undefined)));
}
