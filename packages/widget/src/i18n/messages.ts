/**
 * Every string the widget shows, written once in English as `msg()` calls so that `lit-localize extract`
 * can put them into `xliff/sw.xlf` for translators, and `lit-localize build` can turn the translations
 * into `./generated/sw.ts`.
 *
 * Why `msg` is a parameter: @lit/localize's own runtime has ONE locale per page, but two widgets on one
 * page may speak different languages (`<imlu-petition lang="sw">` beside an English one). So the widget
 * never configures that runtime: `./index.ts` builds this catalog once per locale with a `msg` that looks
 * the id up in that locale's generated template map and falls back to the English text string by string.
 * The extractor still finds these calls, because it recognises any function typed `typeof msg`.
 *
 * Strings that take numbers receive them already formatted for the locale (`1,234`) plus, where English
 * needs a plural, the raw value to choose with. Ids are explicit and stable: translators' work is keyed
 * on them.
 */
import { str, type msg as litMsg } from '@lit/localize';

export type Msg = typeof litMsg;

export const messages = (msg: Msg) => ({
  loading: msg('Loading the petition…', { id: 'loading' }),
  loadFailed: msg('The petition could not be loaded. Check your connection and try again.', { id: 'loadFailed' }),
  notFound: msg('This petition could not be found. It may have been moved or removed.', { id: 'notFound' }),
  closedHeading: msg('This petition is closed', { id: 'closedHeading' }),
  closedBody: msg('It no longer collects signatures. Thank you for your support.', { id: 'closedBody' }),
  /** Instead of the form before the campaign opens, e.g. "Signing opens on 3 March 2025". */
  opensOn: (date: string) => msg(str`Signing opens on ${date}`, { id: 'opensOn' }),
  demandsHeading: msg('Our demands', { id: 'demandsHeading' }),
  /** On a narrow screen the summary shows its first lines; this button shows the rest, and hides it again. */
  summaryMore: msg('Read more', { id: 'summaryMore' }),
  summaryLess: msg('Show less', { id: 'summaryLess' }),
  /** Progress toward the goal, e.g. "1,234 of 10,000 signatures". */
  progress: (count: string, goal: string) => msg(str`${count} of ${goal} signatures`, { id: 'progress' }),
  /** The count on its own, e.g. "1,234 signatures". */
  signatures: (count: string, n: number) =>
    n === 1
      ? msg(str`${count} signature`, { id: 'signaturesOne' })
      : msg(str`${count} signatures`, { id: 'signaturesOther' }),
  formHeading: msg('Add your name', { id: 'formHeading' }),
  optional: msg('(optional)', { id: 'optional' }),
  nameLabel: msg('Your name', { id: 'nameLabel' }),
  contactLegend: msg('How can we reach you?', { id: 'contactLegend' }),
  contactHint: msg(
    'Give a phone number, an e-mail address or both. We use them only for this campaign and never publish them.',
    { id: 'contactHint' },
  ),
  phoneLabel: msg('Phone number', { id: 'phoneLabel' }),
  phoneHint: msg('For example 0712 345 678', { id: 'phoneHint' }),
  emailLabel: msg('E-mail address', { id: 'emailLabel' }),
  countyLabel: msg('County', { id: 'countyLabel' }),
  countyPlaceholder: msg('Choose your county', { id: 'countyPlaceholder' }),
  commentLabel: msg('Why are you signing?', { id: 'commentLabel' }),
  /** Characters used in the comment, e.g. "12 of 500 characters". */
  characters: (used: string, max: string) => msg(str`${used} of ${max} characters`, { id: 'characters' }),
  consentLegend: msg('Your choices', { id: 'consentLegend' }),
  consentTerms: msg('I agree to the terms: IMLU keeps my details private and uses them only for this campaign.', {
    id: 'consentTerms',
  }),
  consentPublicName: msg('Show my name publicly', { id: 'consentPublicName' }),
  consentShareWithTargets: msg('Share my name with the officials this petition is addressed to', {
    id: 'consentShareWithTargets',
  }),
  consentUpdates: msg('Send me updates about this campaign', { id: 'consentUpdates' }),
  submitPetition: msg('Sign the petition', { id: 'submitPetition' }),
  submitPledge: msg('Take the pledge', { id: 'submitPledge' }),
  submitting: msg('Sending…', { id: 'submitting' }),
  /** Shown when the part of the widget that sends signatures could not be downloaded (flaky link). */
  chunkFailed: msg('The form could not finish loading. Check your connection and press the button again: what you typed is kept.', {
    id: 'chunkFailed',
  }),
  retry: msg('Try again', { id: 'retry' }),
  /** Under a failed load: the same petition on a plain page that works without JavaScript. */
  hostedLink: msg('Open the petition on its own page', { id: 'hostedLink' }),
  /** The hidden anti-spam field's label; no person should ever see or fill it. */
  honeypot: msg('Leave this field empty', { id: 'honeypot' }),
  /**
   * The next milestone on the count, e.g. "Next milestone: 10,000 signatures: delivered to the DPP". The
   * milestone is its label, which usually names the count already; where it does not, the petition puts
   * "10,000 signatures: " (`signatures`) before it, so that the count is said once either way.
   */
  milestoneNext: (milestone: string) => msg(str`Next milestone: ${milestone}`, { id: 'milestoneNext' }),
  /** A milestone already reached and its date, e.g. "5,000 signatures: delivered to the DPP (3 March 2025)". */
  milestoneReached: (milestone: string, date: string) => msg(str`${milestone} (${date})`, { id: 'milestoneReached' }),
  milestonesHeading: msg('Milestones reached', { id: 'milestonesHeading' }),
});

export type Catalog = ReturnType<typeof messages>;
