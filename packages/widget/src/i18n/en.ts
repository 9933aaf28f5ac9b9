import type { FieldErrorCode } from '@imlu/contracts/problems';

/** Codes the widget's own form cannot trigger: they share the generic `err_invalid` message. */
type UnreachableCode = 'invalid_type' | 'unknown_field' | 'invalid_locale';

/**
 * English strings: the reference catalog. Its keys are the message ids; every other locale may leave a
 * key out and falls back to the English text (see `msg()` in `./index.ts`).
 *
 * Strings that take numbers receive them already formatted for the locale (`1,234`) plus the raw value
 * for plural choice. Keys stay stable so that a later move to `@lit/localize` + XLIFF can reuse them.
 */
export const en = {
  loading: 'Loading the petition…',
  loadFailed: 'The petition could not be loaded. Check your connection and try again.',
  notFound: 'This petition could not be found. It may have been moved or removed.',
  closedHeading: 'This petition is closed',
  closedBody: 'It no longer collects signatures. Thank you for your support.',
  demandsHeading: 'Our demands',
  /** Progress toward the goal, e.g. "1,234 of 10,000 signatures". */
  progress: (count: string, goal: string) => `${count} of ${goal} signatures`,
  /** The count on its own, e.g. "1,234 signatures". */
  signatures: (count: string, n: number) => (n === 1 ? `${count} signature` : `${count} signatures`),
  formHeading: 'Add your name',
  optional: '(optional)',
  nameLabel: 'Your name',
  contactLegend: 'How can we reach you?',
  contactHint:
    'Give a phone number, an e-mail address or both. We use them only for this campaign and never publish them.',
  phoneLabel: 'Phone number',
  phoneHint: 'For example 0712 345 678',
  emailLabel: 'E-mail address',
  countyLabel: 'County',
  countyPlaceholder: 'Choose your county',
  commentLabel: 'Why are you signing?',
  /** Characters used in the comment, e.g. "12 of 500 characters". */
  characters: (used: string, max: string) => `${used} of ${max} characters`,
  consentLegend: 'Your choices',
  consentTerms: 'I agree to the terms: IMLU keeps my details private and uses them only for this campaign.',
  consentPublicName: 'Show my name publicly',
  consentShareWithTargets: 'Share my name with the officials this petition is addressed to',
  consentUpdates: 'Send me updates about this campaign',
  submitPetition: 'Sign the petition',
  submitPledge: 'Take the pledge',
  submitting: 'Sending…',
  submittingStatus: 'Sending your signature…',
  /** Summary announced when the form has problems. */
  errorSummary: (n: number) => (n === 1 ? 'Please fix 1 problem in the form.' : `Please fix ${n} problems in the form.`),
  networkError: 'We could not reach the server. Check your connection and try again.',
  serverError: 'Something went wrong on our side. Please try again.',
  rateLimited: 'Too many attempts. Please wait a minute and try again.',
  forbiddenOrigin: 'This petition cannot be signed from this website.',
  tooLarge: 'Your message is too long. Please shorten it and try again.',
  retry: 'Try again',
  thanksHeading: 'Thank you for signing',
  thanksCounted: 'Your signature has been counted.',
  thanksPending:
    'We have sent you a message. Follow it to confirm your signature: it counts once it is confirmed.',
  shareHeading: 'Ask others to sign',
  shareLinkLabel: 'Link to this petition',
  copyLink: 'Copy link',
  copied: 'Link copied.',
  copyFailed: 'Could not copy. Select the link and copy it yourself.',
  // Field errors by API code. Codes our form cannot cause (invalid_type, unknown_field, invalid_locale)
  // and any code a newer API adds use `err_invalid`; see `fieldErrorMessage()`.
  err_required: 'This field is required.',
  err_too_short: 'This is too short.',
  err_too_long: 'This is too long.',
  err_invalid_name: 'Write your name as plain text, without web addresses, and not starting with = + - or @.',
  err_invalid_email: 'Enter a valid e-mail address, like name@example.com.',
  err_invalid_phone: 'Enter a valid phone number, like 0712 345 678.',
  err_invalid_county: 'Choose one of the 47 counties.',
  err_contact_required: 'Give a phone number or an e-mail address.',
  err_consent_required: 'You need to agree to the terms to sign.',
  err_invalid: 'This value is not valid.',
} satisfies Record<`err_${Exclude<FieldErrorCode, UnreachableCode>}`, string> &
  Record<string, string | ((...args: never[]) => string)>;
