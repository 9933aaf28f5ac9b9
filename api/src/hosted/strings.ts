/**
 * The hosted petition page's strings as the renderer uses them, in English and Kiswahili. The copy itself
 * lives in the API's one catalog (`src/i18n/`, ids `hosted.*`); its wording follows the widget's catalog
 * (`packages/widget/src/i18n/`) so a signer meets the same sentences on either path.
 */
import type { FieldErrorCode, Locale } from '@imlu/contracts';
import { translator } from '../i18n/index.ts';

export interface HostedStrings {
  languageNav: string;
  demandsHeading: string;
  progress: (count: string, goal: string) => string;
  signatures: (count: string, n: number) => string;
  formHeading: string;
  optional: string;
  nameLabel: string;
  /** Label of the honeypot field, seen only by people whose browser shows it (no CSS). */
  honeypotLabel: string;
  contactLegend: string;
  contactHint: string;
  phoneLabel: string;
  phoneHint: string;
  emailLabel: string;
  countyLabel: string;
  countyPlaceholder: string;
  commentLabel: string;
  consentLegend: string;
  consentTerms: string;
  consentPublicName: string;
  consentShareWithTargets: string;
  consentUpdates: string;
  submitPetition: string;
  submitPledge: string;
  errorSummary: (n: number) => string;
  expired: string;
  /** The form's single-use token was already spent on other details. */
  used: string;
  unavailable: string;
  thanksHeading: string;
  thanksCounted: string;
  thanksPending: string;
  backToPetition: string;
  /** Link to the manage-my-signature page (`/me`). */
  manageSignature: string;
  closedHeading: string;
  closedBody: string;
  notYetOpenHeading: string;
  notYetOpenBody: (date: string) => string;
  notFoundHeading: string;
  notFoundBody: string;
  crossSiteHeading: string;
  crossSiteBody: string;
  tooLargeHeading: string;
  tooLargeBody: string;
  rateLimitedHeading: string;
  rateLimitedBody: string;
  errors: Record<FieldErrorCode, string>;
}

/** The page's strings in one language, read from the catalog (`src/i18n/`). */
function stringsFor(locale: Locale): HostedStrings {
  const m = translator(locale);
  return {
    languageNav: m('hosted.languageNav'),
    demandsHeading: m('hosted.demandsHeading'),
    progress: (count, goal) => m('hosted.progress', { count, goal }),
    signatures: (count, n) => m('hosted.signatures', { count, n }),
    formHeading: m('hosted.formHeading'),
    optional: m('hosted.optional'),
    nameLabel: m('hosted.nameLabel'),
    honeypotLabel: m('hosted.honeypotLabel'),
    contactLegend: m('hosted.contactLegend'),
    contactHint: m('hosted.contactHint'),
    phoneLabel: m('hosted.phoneLabel'),
    phoneHint: m('hosted.phoneHint'),
    emailLabel: m('hosted.emailLabel'),
    countyLabel: m('hosted.countyLabel'),
    countyPlaceholder: m('hosted.countyPlaceholder'),
    commentLabel: m('hosted.commentLabel'),
    consentLegend: m('hosted.consentLegend'),
    consentTerms: m('hosted.consentTerms'),
    consentPublicName: m('hosted.consentPublicName'),
    consentShareWithTargets: m('hosted.consentShareWithTargets'),
    consentUpdates: m('hosted.consentUpdates'),
    submitPetition: m('hosted.submitPetition'),
    submitPledge: m('hosted.submitPledge'),
    errorSummary: (n) => m('hosted.errorSummary', { n }),
    expired: m('hosted.expired'),
    used: m('hosted.used'),
    unavailable: m('hosted.unavailable'),
    thanksHeading: m('hosted.thanksHeading'),
    thanksCounted: m('hosted.thanksCounted'),
    thanksPending: m('hosted.thanksPending'),
    backToPetition: m('hosted.backToPetition'),
    manageSignature: m('hosted.manageSignature'),
    closedHeading: m('hosted.closedHeading'),
    closedBody: m('hosted.closedBody'),
    notYetOpenHeading: m('hosted.notYetOpenHeading'),
    notYetOpenBody: (date) => m('hosted.notYetOpenBody', { date }),
    notFoundHeading: m('hosted.notFoundHeading'),
    notFoundBody: m('hosted.notFoundBody'),
    crossSiteHeading: m('hosted.crossSiteHeading'),
    crossSiteBody: m('hosted.crossSiteBody'),
    tooLargeHeading: m('hosted.tooLargeHeading'),
    tooLargeBody: m('hosted.tooLargeBody'),
    rateLimitedHeading: m('hosted.rateLimitedHeading'),
    rateLimitedBody: m('hosted.rateLimitedBody'),
    errors: {
      required: m('hosted.errors.required'),
      too_short: m('hosted.errors.too_short'),
      too_long: m('hosted.errors.too_long'),
      invalid_type: m('hosted.errors.invalid_type'),
      invalid_name: m('hosted.errors.invalid_name'),
      invalid_email: m('hosted.errors.invalid_email'),
      invalid_phone: m('hosted.errors.invalid_phone'),
      invalid_county: m('hosted.errors.invalid_county'),
      contact_required: m('hosted.errors.contact_required'),
      consent_required: m('hosted.errors.consent_required'),
      invalid_locale: m('hosted.errors.invalid_locale'),
      unknown_field: m('hosted.errors.unknown_field'),
      invalid: m('hosted.errors.invalid'),
      challenge_required: m('hosted.errors.challenge_required'),
      challenge_failed: m('hosted.errors.challenge_failed'),
      actions_required: m('hosted.errors.actions_required'),
      invalid_action: m('hosted.errors.invalid_action'),
      action_full: m('hosted.errors.action_full'),
      action_past: m('hosted.errors.action_past'),
    },
  };
}

export const HOSTED_STRINGS: Record<Locale, HostedStrings> = { en: stringsFor('en'), sw: stringsFor('sw') };

/** What changes on a pledge: the supporter promises ("I pledge to …", "Naahidi …") rather than asks. */
function pledgeStringsFor(locale: Locale): Partial<HostedStrings> {
  const m = translator(locale);
  return {
    demandsHeading: m('hosted.pledge.demandsHeading'),
    progress: (count, goal) => m('hosted.pledge.progress', { count, goal }),
    signatures: (count, n) => m('hosted.pledge.signatures', { count, n }),
    formHeading: m('hosted.pledge.formHeading'),
    commentLabel: m('hosted.pledge.commentLabel'),
    thanksHeading: m('hosted.pledge.thanksHeading'),
    thanksCounted: m('hosted.pledge.thanksCounted'),
    thanksPending: m('hosted.pledge.thanksPending'),
    backToPetition: m('hosted.pledge.backToPetition'),
    closedHeading: m('hosted.pledge.closedHeading'),
    closedBody: m('hosted.pledge.closedBody'),
  };
}

const PLEDGE_MERGED: Record<Locale, HostedStrings> = {
  en: { ...HOSTED_STRINGS.en, ...pledgeStringsFor('en') },
  sw: { ...HOSTED_STRINGS.sw, ...pledgeStringsFor('sw') },
};

/** The strings for a campaign of this kind: a pledge speaks in the first person. */
export function hostedStrings(locale: Locale, kind: 'petition' | 'pledge' = 'petition'): HostedStrings {
  return kind === 'pledge' ? PLEDGE_MERGED[locale] : HOSTED_STRINGS[locale];
}

/** The page language (`?lang=`, else Accept-Language, else English): one rule for every page and answer. */
export { pickLocale } from '../i18n/index.ts';
