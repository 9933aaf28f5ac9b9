/**
 * The strings of the signing chunk (`../petition/signing.ts`): everything a signer meets only after
 * pressing the button — sending, resending, errors, the SMS code, thanks and sharing. They live apart
 * from `./messages.ts` so that neither their English nor their Kiswahili weighs on embed.js: the build
 * splits the compiled Kiswahili templates along the two files (build/split-translations.ts).
 * Same conventions as `./messages.ts`.
 */
import { str } from '@lit/localize';
import type { Msg } from './messages.ts';

export const signingMessages = (msg: Msg) => ({
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
  thanksHeading: msg('Thank you for signing', { id: 'thanksHeading' }),
  thanksHeadingPledge: msg('Thank you for your pledge', { id: 'thanksHeadingPledge' }),
  thanksCounted: msg('Your signature has been counted.', { id: 'thanksCounted' }),
  thanksPending: msg(
    'We have sent you a message. Follow it to confirm your signature: it counts once it is confirmed.',
    { id: 'thanksPending' },
  ),
  /** A plain link to the API's manage-my-signature page (`/me`): see, withdraw or erase it later. */
  manageLink: msg('See, withdraw or erase your signature later', { id: 'manageLink' }),
  shareHeading: msg('Ask others to sign', { id: 'shareHeading' }),
  shareHeadingPledge: msg('Ask others to pledge', { id: 'shareHeadingPledge' }),
  /** Goes before the link in a WhatsApp or X message and the share sheet: the campaign's title in the signer's language. */
  shareMessage: (title: string) => msg(str`I have signed: ${title}. Please sign too:`, { id: 'shareMessage' }),
  shareMessagePledge: (title: string) => msg(str`I have taken the pledge: ${title}. Please take it too:`, { id: 'shareMessagePledge' }),
  shareLinkLabel: msg('Link to this petition', { id: 'shareLinkLabel' }),
  copyLink: msg('Copy link', { id: 'copyLink' }),
  /** The button that opens the device's own share sheet (Web Share API), where there is one. */
  shareNative: msg('Share…', { id: 'shareNative' }),
  copied: msg('Link copied.', { id: 'copied' }),
  copyFailed: msg('Could not copy. Select the link and copy it yourself.', { id: 'copyFailed' }),
  // The SMS code form, shown when the sign response asks for a code sent by SMS.
  codeHeading: msg('Confirm with the code we sent you', { id: 'codeHeading' }),
  codeIntro: msg('We have sent a 6-digit code by SMS to the number you gave. Enter it here: your signature counts once it is confirmed.', {
    id: 'codeIntro',
  }),
  codeLabel: msg('Code from the SMS (6 digits)', { id: 'codeLabel' }),
  codeSubmit: msg('Confirm my signature', { id: 'codeSubmit' }),
  codeSending: msg('Checking the code…', { id: 'codeSending' }),
  codeFormat: msg('Enter the 6 digits from the SMS.', { id: 'codeFormat' }),
  codeWrong: msg('That code is not right. Check the SMS and try again.', { id: 'codeWrong' }),
  /** This signature's tries are used up, or too many codes came from this network: a new code is the way on. */
  codeTooMany: msg('Too many codes tried. Ask for a new code, or use the link in the SMS to confirm your signature.', {
    id: 'codeTooMany',
  }),
  // What the signer confirms, shown above the code input: the form's labels (from ./messages.ts) with the
  // values sent, each choice as yes or no.
  summaryHeading: msg('What you are confirming', { id: 'summaryHeading' }),
  yes: msg('Yes', { id: 'yes' }),
  no: msg('No', { id: 'no' }),
  /** A number whose signature is already confirmed gets no new code, by design (it would tell a stranger it signed). */
  summarySignedBefore: msg('If you have signed before with this number, your signature already counts and no new code is sent.', {
    id: 'summarySignedBefore',
  }),
  changeDetails: msg('Change my details', { id: 'changeDetails' }),
  resendCode: msg('Send a new code', { id: 'resendCode' }),
  resendSending: msg('Asking for a new code…', { id: 'resendSending' }),
  resendDone: msg('A new code is on its way. The previous code no longer works.', { id: 'resendDone' }),
  /** Asked for new codes too often (429); the wait comes from the API's Retry-After. */
  resendWaitSeconds: (seconds: string) =>
    msg(str`You have asked for new codes often. Please wait ${seconds} s, then ask again.`, { id: 'resendWaitSeconds' }),
  resendWaitMinutes: (minutes: string) =>
    msg(str`You have asked for new codes often. Please wait ${minutes} min, then ask again.`, { id: 'resendWaitMinutes' }),
  /**
   * Refused with no time to wait: the API's cap of new codes for these very details (it sends Retry-After
   * only for its per-network limit, which lifts). Waiting does not help; the link or new details do.
   */
  resendLater: msg('No more new codes for these details. Use the link in the SMS, or change your details.', { id: 'resendLater' }),
  /** The confirmation went by e-mail. */
  thanksEmail: msg('Check your e-mail: we have sent you a link to confirm your signature. It counts once it is confirmed.', {
    id: 'thanksEmail',
  }),
  /** The browser check (ALTCHA) failed twice; the signer can simply try again. */
  challengeFailed: msg('The automatic browser check did not succeed. Please try again.', { id: 'challengeFailed' }),
  // Field errors by API code. Codes our form cannot cause (invalid_type, unknown_field, invalid_locale)
  // and any code a newer API adds use `err_invalid`; see `fieldErrorMessage()`.
  err_required: msg('This field is required.', { id: 'err_required' }),
  err_too_short: msg('This is too short.', { id: 'err_too_short' }),
  err_too_long: msg('This is too long.', { id: 'err_too_long' }),
  err_invalid_name: msg('Write your name in letters, as plain text, without web addresses, and not starting with = + - or @.', {
    id: 'err_invalid_name',
  }),
  err_invalid_email: msg('Enter a valid e-mail address, like name@example.com.', { id: 'err_invalid_email' }),
  err_invalid_phone: msg('Enter a valid phone number, like 0712 345 678.', { id: 'err_invalid_phone' }),
  err_invalid_county: msg('Choose one of the 47 counties.', { id: 'err_invalid_county' }),
  err_contact_required: msg('Give a phone number or an e-mail address.', { id: 'err_contact_required' }),
  err_consent_required: msg('You need to agree to the terms to sign.', { id: 'err_consent_required' }),
  err_challenge_required: msg('The automatic browser check is missing. Please try again.', { id: 'err_challenge_required' }),
  err_challenge_failed: msg('The automatic browser check did not succeed. Please try again.', { id: 'err_challenge_failed' }),
  err_invalid: msg('This value is not valid.', { id: 'err_invalid' }),
});

export type SigningCatalog = ReturnType<typeof signingMessages>;
