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
  demandsHeading: msg('Our demands', { id: 'demandsHeading' }),
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
  submittingStatus: msg('Sending your signature…', { id: 'submittingStatus' }),
  /** Summary announced when the form has problems. */
  errorSummary: (n: number) =>
    n === 1
      ? msg('Please fix 1 problem in the form.', { id: 'errorSummaryOne' })
      : msg(str`Please fix ${n} problems in the form.`, { id: 'errorSummaryOther' }),
  networkError: msg('We could not reach the server. Check your connection and try again.', { id: 'networkError' }),
  /** Live-region text while a signature that failed on the network waits to be sent again. */
  retryingStatus: (seconds: string) =>
    msg(str`No connection. Your signature is saved; we will resend it in ${seconds} s.`, { id: 'retryingStatus' }),
  retryNow: msg('Send now', { id: 'retryNow' }),
  serverError: msg('Something went wrong on our side. Please try again.', { id: 'serverError' }),
  rateLimited: msg('Too many attempts. Please wait a minute and try again.', { id: 'rateLimited' }),
  forbiddenOrigin: msg('This petition cannot be signed from this website.', { id: 'forbiddenOrigin' }),
  tooLarge: msg('Your message is too long. Please shorten it and try again.', { id: 'tooLarge' }),
  retry: msg('Try again', { id: 'retry' }),
  thanksHeading: msg('Thank you for signing', { id: 'thanksHeading' }),
  thanksCounted: msg('Your signature has been counted.', { id: 'thanksCounted' }),
  thanksPending: msg(
    'We have sent you a message. Follow it to confirm your signature: it counts once it is confirmed.',
    { id: 'thanksPending' },
  ),
  shareHeading: msg('Ask others to sign', { id: 'shareHeading' }),
  shareLinkLabel: msg('Link to this petition', { id: 'shareLinkLabel' }),
  copyLink: msg('Copy link', { id: 'copyLink' }),
  /** The button that opens the device's own share sheet (Web Share API), where there is one. */
  shareNative: msg('Share…', { id: 'shareNative' }),
  copied: msg('Link copied.', { id: 'copied' }),
  copyFailed: msg('Could not copy. Select the link and copy it yourself.', { id: 'copyFailed' }),
  // Field errors by API code. Codes our form cannot cause (invalid_type, unknown_field, invalid_locale)
  // and any code a newer API adds use `err_invalid`; see `fieldErrorMessage()`.
  err_required: msg('This field is required.', { id: 'err_required' }),
  err_too_short: msg('This is too short.', { id: 'err_too_short' }),
  err_too_long: msg('This is too long.', { id: 'err_too_long' }),
  err_invalid_name: msg('Write your name as plain text, without web addresses, and not starting with = + - or @.', {
    id: 'err_invalid_name',
  }),
  err_invalid_email: msg('Enter a valid e-mail address, like name@example.com.', { id: 'err_invalid_email' }),
  err_invalid_phone: msg('Enter a valid phone number, like 0712 345 678.', { id: 'err_invalid_phone' }),
  err_invalid_county: msg('Choose one of the 47 counties.', { id: 'err_invalid_county' }),
  err_contact_required: msg('Give a phone number or an e-mail address.', { id: 'err_contact_required' }),
  err_consent_required: msg('You need to agree to the terms to sign.', { id: 'err_consent_required' }),
  err_invalid: msg('This value is not valid.', { id: 'err_invalid' }),
});

export type Catalog = ReturnType<typeof messages>;
