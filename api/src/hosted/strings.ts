/**
 * Every string of the hosted petition page, in English and Kiswahili. Wording follows the widget's
 * catalog (`packages/widget/src/i18n/`) so a signer meets the same sentences on either path: "ombi" for
 * petition, "tia sahihi" for sign, "halali" for valid.
 */
import type { FieldErrorCode, Locale } from '@imlu/contracts';

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

const en: HostedStrings = {
  languageNav: 'Language',
  demandsHeading: 'Our demands',
  progress: (count, goal) => `${count} of ${goal} signatures`,
  signatures: (count, n) => (n === 1 ? `${count} signature` : `${count} signatures`),
  formHeading: 'Add your name',
  optional: '(optional)',
  nameLabel: 'Your name',
  honeypotLabel: 'Leave this field empty',
  contactLegend: 'How can we reach you?',
  contactHint: 'Give a phone number, an e-mail address or both. We use them only for this campaign and never publish them.',
  phoneLabel: 'Phone number',
  phoneHint: 'For example 0712 345 678',
  emailLabel: 'E-mail address',
  countyLabel: 'County',
  countyPlaceholder: 'Choose your county',
  commentLabel: 'Why are you signing?',
  consentLegend: 'Your choices',
  consentTerms: 'I agree to the terms: IMLU keeps my details private and uses them only for this campaign.',
  consentPublicName: 'Show my name publicly',
  consentShareWithTargets: 'Share my name with the officials this petition is addressed to',
  consentUpdates: 'Send me updates about this campaign',
  submitPetition: 'Sign the petition',
  submitPledge: 'Take the pledge',
  errorSummary: (n) => (n === 1 ? 'Please fix 1 problem in the form.' : `Please fix ${n} problems in the form.`),
  expired: 'This form was open for a long time or came from elsewhere. Check your details and send it again.',
  used: 'This form was already sent with other details. Check your details and send this new form.',
  unavailable: 'Something went wrong on our side. Your signature was not saved. Please send it again.',
  thanksHeading: 'Thank you for signing',
  thanksCounted: 'Your signature has been counted.',
  thanksPending: 'We have sent you a message. Follow it to confirm your signature: it counts once it is confirmed.',
  backToPetition: 'Back to the petition',
  manageSignature: 'See, withdraw or erase your signature later',
  closedHeading: 'This petition is closed',
  closedBody: 'It no longer collects signatures. Thank you for your support.',
  notYetOpenHeading: 'Not open yet',
  notYetOpenBody: (date) => `Signing opens on ${date}. Come back then.`,
  notFoundHeading: 'Petition not found',
  notFoundBody: 'This petition could not be found. It may have been moved or removed.',
  crossSiteHeading: 'Sign on this page',
  crossSiteBody: 'For your safety, this petition can only be signed from its own page. Nothing was saved.',
  tooLargeHeading: 'Your message is too long',
  tooLargeBody: 'Nothing was saved. Please go back, shorten your message and try again.',
  rateLimitedHeading: 'Too many attempts',
  rateLimitedBody: 'Nothing was saved. Please wait a minute, then go back and try again.',
  errors: {
    required: 'This field is required.',
    too_short: 'This is too short.',
    too_long: 'This is too long.',
    invalid_type: 'This value is not valid.',
    invalid_name: 'Write your name in letters, as plain text, without web addresses, and not starting with = + - or @.',
    invalid_email: 'Enter a valid e-mail address, like name@example.com.',
    invalid_phone: 'Enter a valid phone number, like 0712 345 678.',
    invalid_county: 'Choose one of the 47 counties.',
    contact_required: 'Give a phone number or an e-mail address.',
    consent_required: 'You need to agree to the terms to sign.',
    invalid_locale: 'This value is not valid.',
    unknown_field: 'This value is not valid.',
    invalid: 'This value is not valid.',
    // The hosted page asks for no proof of work; these only exist for completeness of the codes.
    challenge_required: 'Please reload the page and try again.',
    challenge_failed: 'Please reload the page and try again.',
  },
};

const sw: HostedStrings = {
  languageNav: 'Lugha',
  demandsHeading: 'Madai yetu',
  progress: (count, goal) => `Sahihi ${count} kati ya ${goal}`,
  signatures: (count) => `Sahihi ${count}`,
  formHeading: 'Ongeza jina lako',
  optional: '(si lazima)',
  nameLabel: 'Jina lako',
  honeypotLabel: 'Acha sehemu hii wazi',
  contactLegend: 'Tunawezaje kuwasiliana nawe?',
  contactHint:
    'Weka nambari ya simu, anwani ya barua pepe au zote mbili. Tunazitumia kwa kampeni hii tu na hatutazichapisha kamwe.',
  phoneLabel: 'Nambari ya simu',
  phoneHint: 'Kwa mfano 0712 345 678',
  emailLabel: 'Anwani ya barua pepe',
  countyLabel: 'Kaunti',
  countyPlaceholder: 'Chagua kaunti yako',
  commentLabel: 'Kwa nini unatia sahihi?',
  consentLegend: 'Chaguo zako',
  consentTerms: 'Ninakubali masharti: IMLU itahifadhi taarifa zangu kwa siri na kuzitumia kwa kampeni hii tu.',
  consentPublicName: 'Onyesha jina langu hadharani',
  consentShareWithTargets: 'Shiriki jina langu na maafisa ambao ombi hili linawalenga',
  consentUpdates: 'Nitumie taarifa mpya kuhusu kampeni hii',
  submitPetition: 'Tia sahihi',
  submitPledge: 'Weka ahadi',
  errorSummary: (n) => (n === 1 ? 'Tafadhali rekebisha kosa 1 kwenye fomu.' : `Tafadhali rekebisha makosa ${n} kwenye fomu.`),
  expired: 'Fomu hii ilikaa wazi kwa muda mrefu au ilitoka mahali pengine. Angalia taarifa zako kisha uitume tena.',
  used: 'Fomu hii ilikwisha tumwa na taarifa nyingine. Angalia taarifa zako kisha utume fomu hii mpya.',
  unavailable: 'Hitilafu imetokea upande wetu. Sahihi yako haikuhifadhiwa. Tafadhali ituma tena.',
  thanksHeading: 'Asante kwa kutia sahihi',
  thanksCounted: 'Sahihi yako imehesabiwa.',
  thanksPending:
    'Tumekutumia ujumbe. Fuata maelekezo yake ili kuthibitisha sahihi yako: itahesabiwa baada ya kuthibitishwa.',
  backToPetition: 'Rudi kwenye ombi',
  manageSignature: 'Ona, ondoa au futa sahihi yako baadaye',
  closedHeading: 'Ombi hili limefungwa',
  closedBody: 'Halipokei sahihi tena. Asante kwa kuunga mkono.',
  notYetOpenHeading: 'Bado halijafunguliwa',
  notYetOpenBody: (date) => `Kutia sahihi kutaanza tarehe ${date}. Rudi wakati huo.`,
  notFoundHeading: 'Ombi halikupatikana',
  notFoundBody: 'Ombi hili halikupatikana. Huenda limehamishwa au limeondolewa.',
  crossSiteHeading: 'Tia sahihi kwenye ukurasa huu',
  crossSiteBody: 'Kwa usalama wako, ombi hili linaweza kutiwa sahihi kutoka ukurasa wake tu. Hakuna kilichohifadhiwa.',
  tooLargeHeading: 'Ujumbe wako ni mrefu mno',
  tooLargeBody: 'Hakuna kilichohifadhiwa. Tafadhali rudi nyuma, fupisha ujumbe wako kisha ujaribu tena.',
  rateLimitedHeading: 'Majaribio yamekuwa mengi mno',
  rateLimitedBody: 'Hakuna kilichohifadhiwa. Tafadhali subiri dakika moja, kisha urudi nyuma ujaribu tena.',
  errors: {
    required: 'Sehemu hii ni lazima ijazwe.',
    too_short: 'Maandishi haya ni mafupi mno.',
    too_long: 'Maandishi haya ni marefu mno.',
    invalid_type: 'Thamani hii si halali.',
    invalid_name: 'Andika jina lako kwa herufi, kama maandishi ya kawaida, bila anwani za tovuti, na lisianze kwa = + - au @.',
    invalid_email: 'Weka anwani halali ya barua pepe, kama jina@mfano.com.',
    invalid_phone: 'Weka nambari halali ya simu, kama 0712 345 678.',
    invalid_county: 'Chagua mojawapo ya kaunti 47.',
    contact_required: 'Weka nambari ya simu au anwani ya barua pepe.',
    consent_required: 'Unahitaji kukubali masharti ili kutia sahihi.',
    invalid_locale: 'Thamani hii si halali.',
    unknown_field: 'Thamani hii si halali.',
    invalid: 'Thamani hii si halali.',
    challenge_required: 'Tafadhali pakia ukurasa upya kisha ujaribu tena.',
    challenge_failed: 'Tafadhali pakia ukurasa upya kisha ujaribu tena.',
  },
};

export const HOSTED_STRINGS: Record<Locale, HostedStrings> = { en, sw };

/** What changes on a pledge: the supporter promises ("I pledge to …", "Naahidi …") rather than asks. */
const PLEDGE_STRINGS: Record<Locale, Partial<HostedStrings>> = {
  en: {
    demandsHeading: 'I pledge to:',
    progress: (count, goal) => `${count} of ${goal} pledges`,
    signatures: (count, n) => (n === 1 ? `${count} pledge` : `${count} pledges`),
    formHeading: 'Take the pledge',
    commentLabel: 'Why are you taking this pledge?',
    thanksHeading: 'Thank you for taking the pledge',
    thanksCounted: 'Your pledge has been counted.',
    thanksPending: 'We have sent you a message. Follow it to confirm your pledge: it counts once it is confirmed.',
    backToPetition: 'Back to the pledge',
    closedHeading: 'This pledge is closed',
    closedBody: 'It no longer collects pledges. Thank you for your support.',
  },
  sw: {
    demandsHeading: 'Naahidi:',
    progress: (count, goal) => `Ahadi ${count} kati ya ${goal}`,
    signatures: (count) => `Ahadi ${count}`,
    formHeading: 'Weka ahadi',
    commentLabel: 'Kwa nini unaweka ahadi hii?',
    thanksHeading: 'Asante kwa kuweka ahadi',
    thanksCounted: 'Ahadi yako imehesabiwa.',
    thanksPending: 'Tumekutumia ujumbe. Fuata maelekezo yake ili kuthibitisha ahadi yako: itahesabiwa baada ya kuthibitishwa.',
    backToPetition: 'Rudi kwenye ahadi',
    closedHeading: 'Ahadi hii imefungwa',
    closedBody: 'Haipokei ahadi tena. Asante kwa kuunga mkono.',
  },
};

const PLEDGE_MERGED: Record<Locale, HostedStrings> = {
  en: { ...en, ...PLEDGE_STRINGS.en },
  sw: { ...sw, ...PLEDGE_STRINGS.sw },
};

/** The strings for a campaign of this kind: a pledge speaks in the first person. */
export function hostedStrings(locale: Locale, kind: 'petition' | 'pledge' = 'petition'): HostedStrings {
  return kind === 'pledge' ? PLEDGE_MERGED[locale] : HOSTED_STRINGS[locale];
}

/**
 * The page language: `?lang=` first (the language links), then the best of `Accept-Language` by q-value,
 * then English. `sw-KE`, `sw-TZ` and plain `sw` all mean Kiswahili.
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
