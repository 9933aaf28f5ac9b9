/**
 * The strings of a pledge campaign's actions (`./pledge.ts`): the fieldset, its errors and what the thanks
 * say was pledged. In the pledge chunk, which only a pledge campaign with actions loads, so that neither
 * their English nor their Kiswahili weighs on embed.js (build/split-translations.ts gives this file only
 * its own compiled templates). Same conventions as `../i18n/messages.ts`.
 */
import { str } from '@lit/localize';
import type { Locale, msgFor as MsgFor } from '../i18n/index.ts';
import type { Msg } from '../i18n/messages.ts';
import { templates as sw } from '../i18n/generated/sw.ts';

export const pledgeMessages = (msg: Msg) => ({
  legend: msg('What will you do?', { id: 'pledgeLegend' }),
  hint: msg('Choose one or more.', { id: 'pledgeHint' }),
  /** Places still free on an action with a capacity, e.g. "12 places left". */
  placesLeft: (places: string, n: number) =>
    n === 1 ? msg(str`${places} place left`, { id: 'pledgePlacesLeftOne' }) : msg(str`${places} places left`, { id: 'pledgePlacesLeftOther' }),
  /** An action with no places left: its checkbox is disabled, and this says why. */
  full: msg('Full: no places left', { id: 'pledgeFull' }),
  /** An action that has begun: shown, but no longer offered. */
  past: msg('Already taken place', { id: 'pledgePast' }),
  remind: msg('Remind me the day before and on the day', { id: 'pledgeRemind' }),
  /** Above the list of what was pledged, in the thanks. */
  pledged: msg('You pledged to:', { id: 'pledgeThanks' }),
  // The API's field errors on the actions (contracts FIELD_ERROR_CODES), as the signer reads them.
  err_actions_required: msg('Choose at least one action to pledge.', { id: 'err_actions_required' }),
  err_invalid_action: msg('One of these actions is no longer part of this campaign. Reload the page and choose again.', {
    id: 'err_invalid_action',
  }),
  err_action_full: msg('An action you chose has no places left. Choose another.', { id: 'err_action_full' }),
  err_action_past: msg('An action you chose has already taken place. Choose another.', { id: 'err_action_past' }),
  // The petition's own words that speak of signatures, said of pledges: they replace the petition's
  // (`Pledge.words`), as the hosted page does for a pledge (hosted.pledge.*).
  progress: (count: string, goal: string) => msg(str`${count} of ${goal} pledges`, { id: 'progressPledge' }),
  signatures: (count: string, n: number) =>
    n === 1 ? msg(str`${count} pledge`, { id: 'signaturesPledgeOne' }) : msg(str`${count} pledges`, { id: 'signaturesPledgeOther' }),
  commentLabel: msg('Why are you taking this pledge?', { id: 'commentLabelPledge' }),
});

export type PledgeCatalog = ReturnType<typeof pledgeMessages>;

const catalogs: Partial<Record<Locale, PledgeCatalog>> = {};

/** The pledge messages in `locale`; `msgFor` comes from embed.js at run time (see `./pledge.ts`). */
export function pledgeCatalog(locale: Locale, msgFor: typeof MsgFor): PledgeCatalog {
  return (catalogs[locale] ??= pledgeMessages(msgFor(locale === 'sw' ? sw : undefined)));
}
