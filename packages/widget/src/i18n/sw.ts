import type { Catalog } from './index.ts';

/**
 * Kiswahili strings. A key left out falls back to English; keep this catalog complete so that no signer
 * meets an English sentence in the middle of a Kiswahili form.
 *
 * Word choices: "ombi" for petition, "tia sahihi" for sign, "halali" for valid (not "sahihi", which
 * would read as "signature" here).
 */
export const sw: Partial<Catalog> = {
  loading: 'Ombi linapakiwa…',
  loadFailed: 'Imeshindikana kupakia ombi. Angalia muunganisho wako kisha ujaribu tena.',
  notFound: 'Ombi hili halikupatikana. Huenda limehamishwa au limeondolewa.',
  closedHeading: 'Ombi hili limefungwa',
  closedBody: 'Halipokei sahihi tena. Asante kwa kuunga mkono.',
  demandsHeading: 'Madai yetu',
  progress: (count, goal) => `Sahihi ${count} kati ya ${goal}`,
  signatures: (count) => `Sahihi ${count}`,
  formHeading: 'Ongeza jina lako',
  optional: '(si lazima)',
  nameLabel: 'Jina lako',
  contactLegend: 'Tunawezaje kuwasiliana nawe?',
  contactHint:
    'Weka nambari ya simu, anwani ya barua pepe au zote mbili. Tunazitumia kwa kampeni hii tu na hatutazichapisha kamwe.',
  phoneLabel: 'Nambari ya simu',
  phoneHint: 'Kwa mfano 0712 345 678',
  emailLabel: 'Anwani ya barua pepe',
  countyLabel: 'Kaunti',
  countyPlaceholder: 'Chagua kaunti yako',
  commentLabel: 'Kwa nini unatia sahihi?',
  characters: (used, max) => `Herufi ${used} kati ya ${max}`,
  consentLegend: 'Chaguo zako',
  consentTerms: 'Ninakubali masharti: IMLU itahifadhi taarifa zangu kwa siri na kuzitumia kwa kampeni hii tu.',
  consentPublicName: 'Onyesha jina langu hadharani',
  consentShareWithTargets: 'Shiriki jina langu na maafisa ambao ombi hili linawalenga',
  consentUpdates: 'Nitumie taarifa mpya kuhusu kampeni hii',
  submitPetition: 'Tia sahihi',
  submitPledge: 'Weka ahadi',
  submitting: 'Inatuma…',
  submittingStatus: 'Sahihi yako inatumwa…',
  errorSummary: (n) => (n === 1 ? 'Tafadhali rekebisha kosa 1 kwenye fomu.' : `Tafadhali rekebisha makosa ${n} kwenye fomu.`),
  networkError: 'Hatukuweza kufikia seva. Angalia muunganisho wako kisha ujaribu tena.',
  serverError: 'Hitilafu imetokea upande wetu. Tafadhali jaribu tena.',
  rateLimited: 'Majaribio yamekuwa mengi mno. Tafadhali subiri dakika moja kisha ujaribu tena.',
  forbiddenOrigin: 'Ombi hili haliwezi kutiwa sahihi kupitia tovuti hii.',
  tooLarge: 'Ujumbe wako ni mrefu mno. Tafadhali ufupishe kisha ujaribu tena.',
  retry: 'Jaribu tena',
  thanksHeading: 'Asante kwa kutia sahihi',
  thanksCounted: 'Sahihi yako imehesabiwa.',
  thanksPending:
    'Tumekutumia ujumbe. Fuata maelekezo yake ili kuthibitisha sahihi yako: itahesabiwa baada ya kuthibitishwa.',
  shareHeading: 'Waombe wengine watie sahihi',
  shareLinkLabel: 'Kiungo cha ombi hili',
  copyLink: 'Nakili kiungo',
  copied: 'Kiungo kimenakiliwa.',
  copyFailed: 'Imeshindikana kunakili. Chagua kiungo kisha ukinakili mwenyewe.',
  err_required: 'Sehemu hii ni lazima ijazwe.',
  err_too_short: 'Maandishi haya ni mafupi mno.',
  err_too_long: 'Maandishi haya ni marefu mno.',
  err_invalid_name: 'Andika jina lako kwa maandishi ya kawaida, bila anwani za tovuti, na lisianze kwa = + - au @.',
  err_invalid_email: 'Weka anwani halali ya barua pepe, kama jina@mfano.com.',
  err_invalid_phone: 'Weka nambari halali ya simu, kama 0712 345 678.',
  err_invalid_county: 'Chagua mojawapo ya kaunti 47.',
  err_contact_required: 'Weka nambari ya simu au anwani ya barua pepe.',
  err_consent_required: 'Unahitaji kukubali masharti ili kutia sahihi.',
  err_invalid: 'Thamani hii si halali.',
};
