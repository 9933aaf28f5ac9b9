/**
 * Strings of the response page (`/r/<token>`) in English and Kiswahili. Addressed to an official, so
 * formal: "Tunaahidi" (we commit), "msimamo" (position), "uwajibikaji" (accountability).
 */
import type { Locale, PositionStatus } from '@imlu/contracts';

export interface RespondStrings {
  heading: string;
  intro: (campaign: string, target: string) => string;
  due: (date: string) => string;
  /** Past the due date with no response, as the board counts it (`daysOverdue`); replaces `due`. */
  overdue: (date: string, days: number) => string;
  publicNote: string;
  current: string;
  since: (date: string) => string;
  status: Record<PositionStatus, string>;
  choice: Record<'acknowledged' | 'committed' | 'declined' | 'delivered', string>;
  noChange: string;
  statementLabel: string;
  statementHint: string;
  evidenceLabel: string;
  evidenceHint: string;
  submit: string;
  errorSummary: (n: number) => string;
  errors: { position: string; delivered: string; evidence: string; statement: string };
  expiredForm: string;
  thanksHeading: string;
  thanksBody: (until: string) => string;
  updateLink: string;
  unknownHeading: string;
  unknownBody: string;
  expiredHeading: string;
  expiredBody: string;
  revokedHeading: string;
  revokedBody: string;
  crossSiteHeading: string;
  crossSiteBody: string;
  tooLargeHeading: string;
  tooLargeBody: string;
}

const en: RespondStrings = {
  heading: 'Your response',
  intro: (campaign, target) =>
    `The campaign “${campaign}” asked ${target} to respond to the demands below. Your answer is published on the campaign's public accountability page with today's date.`,
  due: (date) => `Response requested by ${date}.`,
  overdue: (date, days) => `This response is overdue by ${days === 1 ? '1 day' : `${days} days`}: it was requested by ${date}.`,
  publicNote: 'Everything you submit here is public. Earlier answers stay in the public history; a new answer is added after them.',
  current: 'Current position:',
  since: (date) => `since ${date}`,
  status: {
    not_asked: 'Not asked',
    asked: 'Awaiting response',
    acknowledged: 'Acknowledged',
    committed: 'Committed',
    declined: 'Declined',
    delivered: 'Delivered',
    broken: 'Commitment not kept',
  },
  choice: {
    acknowledged: 'We acknowledge this demand',
    committed: 'We commit to this demand',
    declined: 'We decline this demand',
    delivered: 'We have delivered on our commitment',
  },
  noChange: 'No change',
  statementLabel: 'Statement (published)',
  statementHint: 'Explain your position, your plans or a timeline. It is published as you write it.',
  evidenceLabel: 'Link to evidence (optional)',
  evidenceHint: 'A web address starting with https://, for example a published letter or report.',
  submit: 'Publish our response',
  errorSummary: (n) => (n === 1 ? 'Please fix 1 problem in the form.' : `Please fix ${n} problems in the form.`),
  errors: {
    position: 'Choose a position on at least one demand.',
    delivered: '“Delivered” can only follow a commitment.',
    evidence: 'Enter a web address starting with https:// (http:// links are not accepted).',
    statement: 'The statement is too long (at most 4,000 characters).',
  },
  expiredForm: 'This form was open for a long time or came from elsewhere. Check your answer and send it again.',
  thanksHeading: 'Thank you: your response is recorded',
  thanksBody: (until) =>
    `It now shows on the campaign's public accountability page, dated today. You can update it with the same link until ${until}.`,
  updateLink: 'Update our response',
  unknownHeading: 'This link is not valid',
  unknownBody: 'Check that you opened the whole link, or ask the campaign for a new one. Nothing was saved.',
  expiredHeading: 'This link has expired',
  expiredBody: 'Ask the campaign for a new link. Nothing was saved.',
  revokedHeading: 'This link was withdrawn',
  revokedBody: 'The campaign withdrew this link. Ask it for a new one if you wish to respond. Nothing was saved.',
  crossSiteHeading: 'Respond on this page',
  crossSiteBody: 'For your security, a response can only be sent from its own page. Nothing was saved.',
  tooLargeHeading: 'Your response is too long',
  tooLargeBody: 'Nothing was saved. Please go back, shorten the statement and try again.',
};

const sw: RespondStrings = {
  heading: 'Jibu lako',
  intro: (campaign, target) =>
    `Kampeni “${campaign}” imemwomba ${target} kujibu madai yaliyo hapa chini. Jibu lako litachapishwa kwenye ukurasa wa umma wa uwajibikaji wa kampeni pamoja na tarehe ya leo.`,
  due: (date) => `Jibu linaombwa kufikia ${date}.`,
  overdue: (date, days) => `Jibu hili limechelewa kwa siku ${days}: liliombwa kufikia ${date}.`,
  publicNote: 'Kila unachowasilisha hapa ni cha umma. Majibu ya awali hubaki kwenye historia ya umma; jibu jipya huongezwa baada yake.',
  current: 'Msimamo wa sasa:',
  since: (date) => `tangu ${date}`,
  status: {
    not_asked: 'Halijaombwa',
    asked: 'Jibu linasubiriwa',
    acknowledged: 'Limepokelewa',
    committed: 'Ameahidi',
    declined: 'Amekataa',
    delivered: 'Ametekeleza',
    broken: 'Ahadi haikutimizwa',
  },
  choice: {
    acknowledged: 'Tumepokea dai hili',
    committed: 'Tunaahidi kutekeleza dai hili',
    declined: 'Tunakataa dai hili',
    delivered: 'Tumetimiza ahadi yetu',
  },
  noChange: 'Hakuna mabadiliko',
  statementLabel: 'Taarifa (itachapishwa)',
  statementHint: 'Eleza msimamo wako, mipango yako au ratiba. Itachapishwa kama ulivyoiandika.',
  evidenceLabel: 'Kiungo cha ushahidi (si lazima)',
  evidenceHint: 'Anwani ya tovuti inayoanza na https://, kwa mfano barua au ripoti iliyochapishwa.',
  submit: 'Chapisha jibu letu',
  errorSummary: (n) => (n === 1 ? 'Tafadhali rekebisha kosa 1 kwenye fomu.' : `Tafadhali rekebisha makosa ${n} kwenye fomu.`),
  errors: {
    position: 'Chagua msimamo kuhusu angalau dai moja.',
    delivered: '“Tumetimiza” kunaweza kufuata ahadi tu.',
    evidence: 'Weka anwani ya tovuti inayoanza na https:// (viungo vya http:// havikubaliwi).',
    statement: 'Taarifa ni ndefu mno (isizidi herufi 4,000).',
  },
  expiredForm: 'Fomu hii ilikaa wazi kwa muda mrefu au ilitoka mahali pengine. Angalia jibu lako kisha ulitume tena.',
  thanksHeading: 'Asante: jibu lako limerekodiwa',
  thanksBody: (until) =>
    `Sasa linaonekana kwenye ukurasa wa umma wa uwajibikaji wa kampeni, likiwa na tarehe ya leo. Unaweza kulisasisha kwa kiungo hikihiki hadi ${until}.`,
  updateLink: 'Sasisha jibu letu',
  unknownHeading: 'Kiungo hiki si halali',
  unknownBody: 'Hakikisha umefungua kiungo kizima, au uombe kampeni ikupe kingine. Hakuna kilichohifadhiwa.',
  expiredHeading: 'Muda wa kiungo hiki umekwisha',
  expiredBody: 'Omba kampeni ikupe kiungo kipya. Hakuna kilichohifadhiwa.',
  revokedHeading: 'Kiungo hiki kimeondolewa',
  revokedBody: 'Kampeni imeondoa kiungo hiki. Iombe ikupe kingine ukitaka kujibu. Hakuna kilichohifadhiwa.',
  crossSiteHeading: 'Jibu kwenye ukurasa huu',
  crossSiteBody: 'Kwa usalama wako, jibu linaweza kutumwa kutoka ukurasa wake tu. Hakuna kilichohifadhiwa.',
  tooLargeHeading: 'Jibu lako ni refu mno',
  tooLargeBody: 'Hakuna kilichohifadhiwa. Tafadhali rudi nyuma, fupisha taarifa kisha ujaribu tena.',
};

export const RESPOND_STRINGS: Record<Locale, RespondStrings> = { en, sw };

const DATE_FORMATS: Record<Locale, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat('en-KE', { dateStyle: 'long', timeZone: 'Africa/Nairobi' }),
  sw: new Intl.DateTimeFormat('sw-KE', { dateStyle: 'long', timeZone: 'Africa/Nairobi' }),
};

export function formatDate(locale: Locale, ms: number): string {
  return DATE_FORMATS[locale].format(new Date(ms));
}
