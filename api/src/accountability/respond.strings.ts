/**
 * The response page's (`/r/<token>`) strings as the page uses them. The copy lives in the API's one catalog
 * (`src/i18n/`, ids `respond.*`), addressed to an official, so formal.
 */
import type { Locale, PositionStatus } from '@imlu/contracts';
import { translator } from '../i18n/index.ts';

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

/** The strings in one language, read from the catalog (`src/i18n/`). */
function stringsFor(locale: Locale): RespondStrings {
  const m = translator(locale);
  return {
    heading: m('respond.heading'),
    intro: (campaign, target) => m('respond.intro', { campaign, target }),
    due: (date) => m('respond.due', { date }),
    overdue: (date, n) => m('respond.overdue', { date, n }),
    publicNote: m('respond.publicNote'),
    current: m('respond.current'),
    since: (date) => m('respond.since', { date }),
    status: {
      not_asked: m('respond.status.not_asked'),
      asked: m('respond.status.asked'),
      acknowledged: m('respond.status.acknowledged'),
      committed: m('respond.status.committed'),
      declined: m('respond.status.declined'),
      delivered: m('respond.status.delivered'),
      broken: m('respond.status.broken'),
    },
    choice: {
      acknowledged: m('respond.choice.acknowledged'),
      committed: m('respond.choice.committed'),
      declined: m('respond.choice.declined'),
      delivered: m('respond.choice.delivered'),
    },
    noChange: m('respond.noChange'),
    statementLabel: m('respond.statementLabel'),
    statementHint: m('respond.statementHint'),
    evidenceLabel: m('respond.evidenceLabel'),
    evidenceHint: m('respond.evidenceHint'),
    submit: m('respond.submit'),
    errorSummary: (n) => m('respond.errorSummary', { n }),
    errors: {
      position: m('respond.errors.position'),
      delivered: m('respond.errors.delivered'),
      evidence: m('respond.errors.evidence'),
      statement: m('respond.errors.statement'),
    },
    expiredForm: m('respond.expiredForm'),
    thanksHeading: m('respond.thanksHeading'),
    thanksBody: (until) => m('respond.thanksBody', { until }),
    updateLink: m('respond.updateLink'),
    unknownHeading: m('respond.unknownHeading'),
    unknownBody: m('respond.unknownBody'),
    expiredHeading: m('respond.expiredHeading'),
    expiredBody: m('respond.expiredBody'),
    revokedHeading: m('respond.revokedHeading'),
    revokedBody: m('respond.revokedBody'),
    crossSiteHeading: m('respond.crossSiteHeading'),
    crossSiteBody: m('respond.crossSiteBody'),
    tooLargeHeading: m('respond.tooLargeHeading'),
    tooLargeBody: m('respond.tooLargeBody'),
  };
}

export const RESPOND_STRINGS: Record<Locale, RespondStrings> = { en: stringsFor('en'), sw: stringsFor('sw') };

const DATE_FORMATS: Record<Locale, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat('en-KE', { dateStyle: 'long', timeZone: 'Africa/Nairobi' }),
  sw: new Intl.DateTimeFormat('sw-KE', { dateStyle: 'long', timeZone: 'Africa/Nairobi' }),
};

export function formatDate(locale: Locale, ms: number): string {
  return DATE_FORMATS[locale].format(new Date(ms));
}
