/**
 * The manage-my-signature pages' (`/me`) strings as the pages use them. The copy lives in the API's one
 * catalog (`src/i18n/`, ids `me.*`).
 */
import type { Locale } from '@imlu/contracts';
import { translator } from '../i18n/index.ts';
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

/** The strings in one language, read from the catalog (`src/i18n/`). */
function stringsFor(locale: Locale): MeStrings {
  const m = translator(locale);
  return {
    heading: m('me.heading'),
    intro: m('me.intro'),
    contactLabel: m('me.contactLabel'),
    contactHint: m('me.contactHint'),
    send: m('me.send'),
    backTo: (title) => m('me.backTo', { title }),
    errorEmpty: m('me.errorEmpty'),
    errorInvalid: m('me.errorInvalid'),
    sentHeading: m('me.sentHeading'),
    sentBody: m('me.sentBody'),
    codeLabel: m('me.codeLabel'),
    codeSubmit: m('me.codeSubmit'),
    wrongCode: m('me.wrongCode'),
    noMessage: m('me.noMessage'),
    askAgain: m('me.askAgain'),
    tooManyHeading: m('me.tooManyHeading'),
    tooManyBody: m('me.tooManyBody'),
    expiredHeading: m('me.expiredHeading'),
    expiredBody: m('me.expiredBody'),
    invalidHeading: m('me.invalidHeading'),
    invalidBody: m('me.invalidBody'),
    crossSiteHeading: m('me.crossSiteHeading'),
    crossSiteBody: m('me.crossSiteBody'),
    rateLimitedHeading: m('me.rateLimitedHeading'),
    rateLimitedBody: m('me.rateLimitedBody'),
    tooLargeHeading: m('me.tooLargeHeading'),
    tooLargeBody: m('me.tooLargeBody'),
    manageHeading: m('me.manageHeading'),
    manageIntro: (contact) => m('me.manageIntro', { contact }),
    sessionUntil: (time) => m('me.sessionUntil', { time }),
    nothing: m('me.nothing'),
    nameLabel: m('me.nameLabel'),
    phoneLabel: m('me.phoneLabel'),
    emailLabel: m('me.emailLabel'),
    countyLabel: m('me.countyLabel'),
    commentLabel: m('me.commentLabel'),
    signedLabel: m('me.signedLabel'),
    confirmedLabel: m('me.confirmedLabel'),
    statusLabel: m('me.statusLabel'),
    languageLabel: m('me.languageLabel'),
    languages: {
      en: m('me.languages.en'),
      sw: m('me.languages.sw'),
    },
    throughLabel: m('me.throughLabel'),
    struckLabel: m('me.struckLabel'),
    notConfirmed: m('me.notConfirmed'),
    notGiven: m('me.notGiven'),
    choicesLabel: m('me.choicesLabel'),
    termsLabel: m('me.termsLabel'),
    consentGiven: (version, at) => m('me.consentGiven', { version, at }),
    yes: m('me.yes'),
    no: m('me.no'),
    states: {
      counted: m('me.states.counted'),
      pending: m('me.states.pending'),
      withdrawn: m('me.states.withdrawn'),
      held: m('me.states.held'),
      invalid: m('me.states.invalid'),
      replaced: m('me.states.replaced'),
    },
    earlier: m('me.earlier'),
    listed: (n) => m('me.listed', { n }),
    withdraw: m('me.withdraw'),
    withdrawHint: m('me.withdrawHint'),
    stopUpdates: m('me.stopUpdates'),
    withdrawn: (title) => m('me.withdrawn', { title }),
    updatesStopped: (title) => m('me.updatesStopped', { title }),
    nothingChanged: m('me.nothingChanged'),
    unknownAction: m('me.unknownAction'),
    eraseHeading: m('me.eraseHeading'),
    eraseIntro: m('me.eraseIntro'),
    eraseButton: m('me.eraseButton'),
    eraseConfirmHeading: m('me.eraseConfirmHeading'),
    eraseConfirmBody: (signatures, listed) => {
      const counted = m('me.eraseConfirmSignatures', { n: signatures });
      return listed
        ? m('me.eraseConfirmBodyListed', { signatures: counted, listed: m('me.eraseConfirmListed', { n: listed }) })
        : m('me.eraseConfirmBody', { signatures: counted });
    },
    eraseConfirmButton: m('me.eraseConfirmButton'),
    cancel: m('me.cancel'),
    erasedHeading: m('me.erasedHeading'),
    erasedBody: m('me.erasedBody'),
  };
}

export const ME_STRINGS: Record<Locale, MeStrings> = { en: stringsFor('en'), sw: stringsFor('sw') };
