/**
 * Every string of the manage-my-signature pages (`/me`), in English and Kiswahili. Wording follows the
 * hosted page and the confirmation pages: "sahihi" for signature, "tia sahihi" for sign, "msimbo" for the
 * code (as in the widget), "ondoa" for withdraw, "futa" for erase.
 */
import type { Locale } from '@imlu/contracts';
import type { SignatureState } from './records.ts';

export interface MeStrings {
  heading: string;
  intro: string;
  contactLabel: string;
  contactHint: string;
  send: string;
  backTo: (title: string) => string;
  errorEmpty: string;
  errorInvalid: string;
  sentHeading: string;
  sentBody: string;
  codeLabel: string;
  codeSubmit: string;
  wrongCode: string;
  noMessage: string;
  askAgain: string;
  tooManyHeading: string;
  tooManyBody: string;
  expiredHeading: string;
  expiredBody: string;
  invalidHeading: string;
  invalidBody: string;
  crossSiteHeading: string;
  crossSiteBody: string;
  rateLimitedHeading: string;
  rateLimitedBody: string;
  tooLargeHeading: string;
  tooLargeBody: string;
  manageHeading: string;
  manageIntro: (contact: string) => string;
  sessionUntil: (time: string) => string;
  nothing: string;
  nameLabel: string;
  phoneLabel: string;
  emailLabel: string;
  countyLabel: string;
  commentLabel: string;
  signedLabel: string;
  confirmedLabel: string;
  statusLabel: string;
  languageLabel: string;
  languages: Record<Locale, string>;
  throughLabel: string;
  struckLabel: string;
  notConfirmed: string;
  notGiven: string;
  choicesLabel: string;
  termsLabel: string;
  consentGiven: (version: string, at: string) => string;
  yes: string;
  no: string;
  states: Record<SignatureState, string>;
  earlier: string;
  listed: (n: number) => string;
  withdraw: string;
  withdrawHint: string;
  stopUpdates: string;
  withdrawn: (title: string) => string;
  updatesStopped: (title: string) => string;
  nothingChanged: string;
  unknownAction: string;
  eraseHeading: string;
  eraseIntro: string;
  eraseButton: string;
  eraseConfirmHeading: string;
  eraseConfirmBody: (signatures: number, listed: number) => string;
  eraseConfirmButton: string;
  cancel: string;
  erasedHeading: string;
  erasedBody: string;
}

const en: MeStrings = {
  heading: 'Manage my signature',
  intro:
    'See what we store about you, withdraw a signature, stop updates or erase your details. Give the phone number or e-mail ' +
    'address you signed with: if it signed here, we send it a code and a link.',
  contactLabel: 'Phone number or e-mail address',
  contactHint: 'The one you signed with, for example 0712 345 678 or name@example.com',
  send: 'Send me a code',
  backTo: (title) => `Back to "${title}"`,
  errorEmpty: 'Give a phone number or an e-mail address.',
  errorInvalid: 'Enter a valid phone number, like 0712 345 678, or a valid e-mail address, like name@example.com.',
  sentHeading: 'Check your messages',
  sentBody:
    'If this phone number or e-mail address signed here, a message with a 6-digit code and a link is on its way to it. It can ' +
    'take a minute. Nothing is sent to a number or address that has not signed, and this page looks the same either way.',
  codeLabel: 'The 6-digit code',
  codeSubmit: 'Continue',
  wrongCode: 'This code is not right. Check the message and try again.',
  noMessage: 'No message after a few minutes?',
  askAgain: 'Ask for a new code',
  tooManyHeading: 'Too many tries',
  tooManyBody: 'This code can no longer be used. Ask for a new one, or open the link in the message.',
  expiredHeading: 'This code or link has expired',
  expiredBody: 'Codes and links work for one hour. Ask for a new one.',
  invalidHeading: 'This link is not valid',
  invalidBody: 'Check that you opened the whole link from the message, or ask for a new one.',
  crossSiteHeading: 'Use this page',
  crossSiteBody: 'For your safety, this form can only be sent from its own page. Nothing was changed.',
  rateLimitedHeading: 'Too many attempts',
  rateLimitedBody: 'Please wait a few minutes, then try again.',
  tooLargeHeading: 'This form is too long',
  tooLargeBody: 'Nothing was changed. Please go back and try again.',
  manageHeading: 'Your signatures',
  manageIntro: (contact) => `This is everything we store with ${contact}, campaign by campaign.`,
  sessionUntil: (time) => `This page works until ${time}.`,
  nothing: 'We store nothing with this phone number or e-mail address.',
  nameLabel: 'Name',
  phoneLabel: 'Phone number',
  emailLabel: 'E-mail address',
  countyLabel: 'County',
  commentLabel: 'Comment',
  signedLabel: 'Signed',
  confirmedLabel: 'Confirmed',
  statusLabel: 'Status',
  languageLabel: 'Language',
  languages: { en: 'English', sw: 'Kiswahili' },
  throughLabel: 'Signed through',
  struckLabel: 'Left out of what is sent to officials, by the campaign',
  notConfirmed: 'Not confirmed',
  notGiven: 'Not given',
  choicesLabel: 'Your choices',
  termsLabel: 'I agree to the terms',
  consentGiven: (version, at) => `Consent wording version ${version}, given ${at}`,
  yes: 'Yes',
  no: 'No',
  states: {
    counted: 'Counted',
    pending: 'Waiting for confirmation: not counted',
    withdrawn: 'Withdrawn: not counted',
    held: 'Held for review: not counted',
    invalid: 'Set aside by the campaign: not counted',
    replaced: 'Replaced by a later signature: not counted',
  },
  earlier: 'Earlier details, replaced by a later signature and kept for review:',
  listed: (n) =>
    `This phone number or e-mail address also appears on ${n === 1 ? 'a signature' : `${n} signatures`} here that another ` +
    'contact confirms. Their other details are not shown to you. Erasing your data removes your contact from them.',
  withdraw: 'Withdraw this signature',
  withdrawHint: 'It stops counting at once and is left out of everything sent to officials. You can sign again later.',
  stopUpdates: 'Stop updates',
  withdrawn: (title) => `Your signature on "${title}" is withdrawn. It no longer counts.`,
  updatesStopped: (title) => `You will get no more updates about "${title}".`,
  nothingChanged: 'Nothing changed: this signature was already withdrawn, replaced or changed.',
  unknownAction: 'Nothing changed. Please use the buttons on this page.',
  eraseHeading: 'Erase my personal data',
  eraseIntro:
    'Delete your name, contact details, county, comment and choices from every campaign above. Your signatures are withdrawn: they no longer count.',
  eraseButton: 'Erase my personal data',
  eraseConfirmHeading: 'Erase everything we store about you?',
  eraseConfirmBody: (signatures, listed) =>
    `This deletes ${signatures === 1 ? '1 signature' : `${signatures} signatures`} and everything stored with them, in every campaign` +
    (listed ? `, and removes your contact from ${listed === 1 ? '1 other signature' : `${listed} other signatures`}` : '') +
    '. It cannot be undone. A record that an erasure happened remains, without any of your details.',
  eraseConfirmButton: 'Yes, erase my personal data',
  cancel: 'Cancel',
  erasedHeading: 'Your personal data is erased',
  erasedBody: 'Nothing of it remains in our database. Backups made before today are deleted as they are replaced.',
};

const sw: MeStrings = {
  heading: 'Simamia sahihi yangu',
  intro:
    'Ona tunachohifadhi kukuhusu, ondoa sahihi, sitisha taarifa mpya au futa taarifa zako. Weka nambari ya simu au anwani ya ' +
    'barua pepe uliyotumia kutia sahihi: kama ilitumika hapa, tutaitumia msimbo na kiungo.',
  contactLabel: 'Nambari ya simu au anwani ya barua pepe',
  contactHint: 'Uliyotumia kutia sahihi, kwa mfano 0712 345 678 au jina@mfano.com',
  send: 'Nitumie msimbo',
  backTo: (title) => `Rudi kwenye "${title}"`,
  errorEmpty: 'Weka nambari ya simu au anwani ya barua pepe.',
  errorInvalid: 'Weka nambari halali ya simu, kama 0712 345 678, au anwani halali ya barua pepe, kama jina@mfano.com.',
  sentHeading: 'Angalia ujumbe wako',
  sentBody:
    'Kama nambari hii ya simu au anwani hii ya barua pepe ilitumika kutia sahihi hapa, ujumbe wenye msimbo wa tarakimu 6 na ' +
    'kiungo uko njiani. Unaweza kuchukua dakika moja. Hatutumi chochote kwa nambari au anwani ambayo haijatia sahihi, na ' +
    'ukurasa huu unaonekana vivyo hivyo kwa vyovyote vile.',
  codeLabel: 'Msimbo wa tarakimu 6',
  codeSubmit: 'Endelea',
  wrongCode: 'Msimbo huu si sahihi. Angalia ujumbe kisha ujaribu tena.',
  noMessage: 'Hujapata ujumbe baada ya dakika chache?',
  askAgain: 'Omba msimbo mpya',
  tooManyHeading: 'Majaribio yamekuwa mengi mno',
  tooManyBody: 'Msimbo huu hauwezi kutumika tena. Omba mpya, au fungua kiungo kilicho kwenye ujumbe.',
  expiredHeading: 'Muda wa msimbo au kiungo hiki umekwisha',
  expiredBody: 'Misimbo na viungo vinafanya kazi kwa saa moja. Omba kipya.',
  invalidHeading: 'Kiungo hiki si sahihi',
  invalidBody: 'Hakikisha umefungua kiungo chote kutoka kwenye ujumbe, au omba kipya.',
  crossSiteHeading: 'Tumia ukurasa huu',
  crossSiteBody: 'Kwa usalama wako, fomu hii inaweza kutumwa kutoka ukurasa wake tu. Hakuna kilichobadilika.',
  rateLimitedHeading: 'Majaribio yamekuwa mengi mno',
  rateLimitedBody: 'Tafadhali subiri dakika chache, kisha ujaribu tena.',
  tooLargeHeading: 'Fomu hii ni ndefu mno',
  tooLargeBody: 'Hakuna kilichobadilika. Tafadhali rudi nyuma ujaribu tena.',
  manageHeading: 'Sahihi zako',
  manageIntro: (contact) => `Hiki ndicho kila kitu tunachohifadhi pamoja na ${contact}, kampeni kwa kampeni.`,
  sessionUntil: (time) => `Ukurasa huu unafanya kazi hadi ${time}.`,
  nothing: 'Hatuhifadhi chochote pamoja na nambari hii ya simu au anwani hii ya barua pepe.',
  nameLabel: 'Jina',
  phoneLabel: 'Nambari ya simu',
  emailLabel: 'Anwani ya barua pepe',
  countyLabel: 'Kaunti',
  commentLabel: 'Maoni',
  signedLabel: 'Ulitia sahihi',
  confirmedLabel: 'Ulithibitisha',
  statusLabel: 'Hali',
  languageLabel: 'Lugha',
  languages: { en: 'Kiingereza', sw: 'Kiswahili' },
  throughLabel: 'Ulitia sahihi kupitia',
  struckLabel: 'Imeachwa nje ya kinachotumwa kwa maafisa, na kampeni',
  notConfirmed: 'Haijathibitishwa',
  notGiven: 'Haikutolewa',
  choicesLabel: 'Chaguo zako',
  termsLabel: 'Ninakubali masharti',
  consentGiven: (version, at) => `Maneno ya idhini toleo ${version}, ulikubali ${at}`,
  yes: 'Ndiyo',
  no: 'Hapana',
  states: {
    counted: 'Inahesabiwa',
    pending: 'Inasubiri kuthibitishwa: haihesabiwi',
    withdrawn: 'Imeondolewa: haihesabiwi',
    held: 'Imezuiliwa ikaguliwe: haihesabiwi',
    invalid: 'Imewekwa kando na kampeni: haihesabiwi',
    replaced: 'Imebadilishwa na sahihi ya baadaye: haihesabiwi',
  },
  earlier: 'Taarifa za awali, zilizobadilishwa na sahihi ya baadaye na kuhifadhiwa kwa ukaguzi:',
  listed: (n) =>
    `Nambari hii au anwani hii pia iko kwenye sahihi ${n} hapa ambazo mawasiliano mengine yanazithibitisha. Taarifa zao ` +
    'nyingine hazionyeshwi kwako. Ukifuta taarifa zako, mawasiliano yako yataondolewa kwenye sahihi hizo.',
  withdraw: 'Ondoa sahihi hii',
  withdrawHint: 'Itaacha kuhesabiwa mara moja na haitajumuishwa katika chochote kinachotumwa kwa maafisa. Unaweza kutia sahihi tena baadaye.',
  stopUpdates: 'Sitisha taarifa mpya',
  withdrawn: (title) => `Sahihi yako kwenye "${title}" imeondolewa. Haihesabiwi tena.`,
  updatesStopped: (title) => `Hutapata taarifa mpya zaidi kuhusu "${title}".`,
  nothingChanged: 'Hakuna kilichobadilika: sahihi hii ilikwisha ondolewa, kubadilishwa au kubadilika.',
  unknownAction: 'Hakuna kilichobadilika. Tafadhali tumia vitufe vilivyo kwenye ukurasa huu.',
  eraseHeading: 'Futa taarifa zangu binafsi',
  eraseIntro:
    'Futa jina lako, mawasiliano yako, kaunti, maoni na chaguo zako kutoka kila kampeni hapo juu. Sahihi zako zitaondolewa: hazitahesabiwa tena.',
  eraseButton: 'Futa taarifa zangu binafsi',
  eraseConfirmHeading: 'Ufute kila kitu tunachohifadhi kukuhusu?',
  eraseConfirmBody: (signatures, listed) =>
    `Hii inafuta sahihi ${signatures} na kila kitu kilichohifadhiwa pamoja nazo, katika kila kampeni` +
    (listed ? `, na kuondoa mawasiliano yako kwenye sahihi nyingine ${listed}` : '') +
    '. Haiwezi kutenduliwa. Kumbukumbu kwamba ufutaji ulifanyika itabaki, bila taarifa zako zozote.',
  eraseConfirmButton: 'Ndiyo, futa taarifa zangu binafsi',
  cancel: 'Ghairi',
  erasedHeading: 'Taarifa zako binafsi zimefutwa',
  erasedBody: 'Hakuna kilichobaki katika hifadhidata yetu. Nakala za akiba zilizotengenezwa kabla ya leo zinafutwa zinapobadilishwa.',
};

export const ME_STRINGS: Record<Locale, MeStrings> = { en, sw };
