/**
 * Every word the console shows, in English and Kiswahili. The console follows the browser's language until
 * someone picks one (kept in this browser only).
 */
export type Locale = 'en' | 'sw';
export type Role = 'admin' | 'campaigner' | 'moderator' | 'viewer';
export const VIEW_IDS = ['campaigns', 'duty-bearers', 'numbers', 'partners', 'moderation', 'exports', 'audit', 'tokens'] as const;
export type ViewId = (typeof VIEW_IDS)[number];

export interface Strings {
  appName: string;
  language: string;
  loading: string;
  signInTitle: string;
  signInIntro: string;
  emailLabel: string;
  sendLink: string;
  sentTitle: string;
  sentBody: string;
  another: string;
  codeTitle: string;
  codeIntro: string;
  codeLabel: string;
  signIn: string;
  wrongCode: string;
  linkExpired: string;
  askNew: string;
  welcome: (name: string) => string;
  role: string;
  roles: Record<Role, string>;
  viewsTitle: string;
  views: Record<ViewId, string>;
  signOut: string;
  signOutEverywhere: string;
  signOutEverywhereHint: string;
  signedOut: string;
  sessionEnds: (time: string) => string;
  error: string;
  open: string;
  backHome: string;
  numbers: NumbersStrings;
  partners: PartnersStrings;
  audit: AuditStrings;
}

/** The "Audit log" view (audit.component.ts). */
export interface AuditStrings {
  intro: string;
  filters: string;
  allCampaigns: string;
  action: string;
  actionHint: string;
  from: string;
  to: string;
  search: string;
  when: string;
  who: string;
  what: string;
  rows: string;
  details: string;
  none: string;
  more: string;
  badFilter: string;
}

/** The "Partners" view (partners.component.ts). */
export interface PartnersStrings {
  intro: string;
  none: string;
  origin: string;
  noOrigin: string;
  source: string;
  noSource: string;
  otherSources: string;
  confirmation: string;
  topCounties: string;
  sourcesOf: (origin: string) => string;
  floorNote: string;
}

/** The "Numbers" view (numbers.component.ts). */
export interface NumbersStrings {
  campaign: string;
  noCampaigns: string;
  progress: string;
  counted: string;
  pending: string;
  suspect: string;
  goal: string;
  ofGoal: (counted: string, goal: string, percent: string) => string;
  nextMilestone: string;
  milestone: (label: string, remaining: string) => string;
  perDay: string;
  perDayHint: string;
  day: string;
  bar: string;
  dayBar: (day: string) => string;
  counties: string;
  county: string;
  share: string;
  countyBar: (county: string) => string;
  noCounty: string;
  noCountiesYet: string;
}

export const STRINGS: Record<Locale, Strings> = {
  en: {
    appName: 'IMLU campaign console',
    language: 'Language',
    loading: 'Loading…',
    signInTitle: 'Sign in',
    signInIntro: 'IMLU staff sign in with a link sent to their work e-mail and a code from their authenticator app.',
    emailLabel: 'Work e-mail',
    sendLink: 'Send me a sign-in link',
    sentTitle: 'Check your e-mail',
    sentBody: 'If this address belongs to a staff account, a sign-in link is on its way. It works once, for 15 minutes.',
    another: 'Use another address',
    codeTitle: 'Enter your code',
    codeIntro: 'Open your authenticator app and type the 6-digit code for the IMLU console.',
    codeLabel: '6-digit code',
    signIn: 'Sign in',
    wrongCode: 'That code is not right, or it was already used. Wait for the next code and try again.',
    linkExpired: 'This sign-in link has expired or was already used.',
    askNew: 'Ask for a new link',
    welcome: (name) => `Welcome, ${name}`,
    role: 'Role',
    roles: { admin: 'Administrator', campaigner: 'Campaigner', moderator: 'Moderator', viewer: 'Viewer' },
    viewsTitle: 'Your views',
    views: {
      campaigns: 'Campaigns',
      'duty-bearers': 'Duty bearers',
      numbers: 'Numbers',
      partners: 'Partners',
      moderation: 'Moderation',
      exports: 'Exports',
      audit: 'Audit log',
      tokens: 'API tokens and webhooks',
    },
    signOut: 'Sign out',
    signOutEverywhere: 'Sign out everywhere',
    signOutEverywhereHint: 'Ends your sessions on every device, for example on a phone you lost.',
    signedOut: 'You are signed out.',
    sessionEnds: (time) => `This session ends at ${time} at the latest.`,
    error: 'Something went wrong. Try again in a moment.',
    open: 'Open',
    backHome: 'Back to your views',
    numbers: {
      campaign: 'Campaign',
      noCampaigns: 'There are no campaigns yet.',
      progress: 'Progress',
      counted: 'Counted',
      pending: 'Waiting for confirmation',
      suspect: 'Suspect (not counted)',
      goal: 'Goal',
      ofGoal: (counted, goal, percent) => `${counted} of ${goal} (${percent})`,
      nextMilestone: 'Next milestone',
      milestone: (label, remaining) => `${label} — ${remaining} to go`,
      perDay: 'Signatures per day, last 30 days',
      perDayHint: 'Days in Nairobi time, newest first. Each signature is shown on the day it was signed, as it stands now.',
      day: 'Day',
      bar: 'All that day',
      dayBar: (day) => `All signatures on ${day}`,
      counties: 'Counties',
      county: 'County',
      share: 'Share of counted',
      countyBar: (county) => `Counted in ${county}`,
      noCounty: 'No county given',
      noCountiesYet: 'No signature names a county yet.',
    },
    partners: {
      intro: 'Whom each partner site brought in: signatures per page origin and per source reference, over the whole campaign.',
      none: 'No signatures yet.',
      origin: 'Partner site',
      noOrigin: 'No site (hosted page, SMS, or an app)',
      source: 'Source',
      noSource: 'No source given',
      otherSources: 'All other sources',
      confirmation: 'Confirmed',
      topCounties: 'Top counties',
      sourcesOf: (origin) => `Sources on ${origin}`,
      floorNote: '"<5" stands for 1 to 4: a smaller figure could point at a person.',
    },
    audit: {
      intro: 'Every campaigner action, newest first: who did it, when, and what it touched. No personal data is kept in it.',
      filters: 'Search',
      allCampaigns: 'All campaigns',
      action: 'Action',
      actionHint: 'For example export.created or staff.signed-in',
      from: 'From (day)',
      to: 'To (day, included)',
      search: 'Search',
      when: 'When (Nairobi)',
      who: 'Who',
      what: 'Action',
      rows: 'Rows',
      details: 'Details',
      none: 'No entries match.',
      more: 'Older entries',
      badFilter: 'Check the search: a day is written YYYY-MM-DD, and "from" comes before "to".',
    },
  },
  sw: {
    appName: 'Dashibodi ya kampeni za IMLU',
    language: 'Lugha',
    loading: 'Inapakia…',
    signInTitle: 'Ingia',
    signInIntro: 'Wafanyakazi wa IMLU huingia kwa kiungo kinachotumwa kwenye barua pepe yao ya kazi na msimbo kutoka kwenye programu yao ya uthibitishaji.',
    emailLabel: 'Barua pepe ya kazi',
    sendLink: 'Nitumie kiungo cha kuingia',
    sentTitle: 'Angalia barua pepe yako',
    sentBody: 'Ikiwa anwani hii ni ya akaunti ya mfanyakazi, kiungo cha kuingia kinakuja. Kinafanya kazi mara moja tu, kwa dakika 15.',
    another: 'Tumia anwani nyingine',
    codeTitle: 'Weka msimbo wako',
    codeIntro: 'Fungua programu yako ya uthibitishaji na uandike msimbo wa tarakimu 6 wa dashibodi ya IMLU.',
    codeLabel: 'Msimbo wa tarakimu 6',
    signIn: 'Ingia',
    wrongCode: 'Msimbo huo si sahihi, au tayari umetumika. Subiri msimbo unaofuata kisha ujaribu tena.',
    linkExpired: 'Kiungo hiki cha kuingia kimeisha muda wake au tayari kimetumika.',
    askNew: 'Omba kiungo kipya',
    welcome: (name) => `Karibu, ${name}`,
    role: 'Jukumu',
    roles: { admin: 'Msimamizi', campaigner: 'Mwanakampeni', moderator: 'Mdhibiti', viewer: 'Mtazamaji' },
    viewsTitle: 'Sehemu zako',
    views: {
      campaigns: 'Kampeni',
      'duty-bearers': 'Wenye wajibu',
      numbers: 'Takwimu',
      partners: 'Washirika',
      moderation: 'Udhibiti',
      exports: 'Nakala za data',
      audit: 'Kumbukumbu za ukaguzi',
      tokens: 'Tokeni za API na webhooks',
    },
    signOut: 'Toka',
    signOutEverywhere: 'Toka kwenye vifaa vyote',
    signOutEverywhereHint: 'Hufunga vipindi vyako kwenye kila kifaa, kwa mfano simu uliyopoteza.',
    signedOut: 'Umetoka.',
    sessionEnds: (time) => `Kipindi hiki kitaisha kabla ya saa ${time}.`,
    error: 'Kuna tatizo. Jaribu tena baada ya muda mfupi.',
    open: 'Fungua',
    backHome: 'Rudi kwenye sehemu zako',
    numbers: {
      campaign: 'Kampeni',
      noCampaigns: 'Bado hakuna kampeni.',
      progress: 'Maendeleo',
      counted: 'Zimehesabiwa',
      pending: 'Zinasubiri kuthibitishwa',
      suspect: 'Zinatiliwa shaka (hazihesabiwi)',
      goal: 'Lengo',
      ofGoal: (counted, goal, percent) => `${counted} kati ya ${goal} (${percent})`,
      nextMilestone: 'Hatua inayofuata',
      milestone: (label, remaining) => `${label} — zimebaki ${remaining}`,
      perDay: 'Sahihi kwa siku, siku 30 zilizopita',
      perDayHint: 'Siku kwa saa za Nairobi, za karibuni kwanza. Kila sahihi inaonyeshwa siku ilipowekwa, kama ilivyo sasa.',
      day: 'Siku',
      bar: 'Zote za siku hiyo',
      dayBar: (day) => `Sahihi zote za ${day}`,
      counties: 'Kaunti',
      county: 'Kaunti',
      share: 'Sehemu ya zilizohesabiwa',
      countyBar: (county) => `Zilizohesabiwa ${county}`,
      noCounty: 'Hakuna kaunti iliyotajwa',
      noCountiesYet: 'Bado hakuna sahihi inayotaja kaunti.',
    },
    partners: {
      intro: 'Kila tovuti ya mshirika imeleta nani: sahihi kwa kila tovuti na kwa kila chanzo, katika kampeni nzima.',
      none: 'Bado hakuna sahihi.',
      origin: 'Tovuti ya mshirika',
      noOrigin: 'Hakuna tovuti (ukurasa wetu, SMS au programu)',
      source: 'Chanzo',
      noSource: 'Hakuna chanzo kilichotajwa',
      otherSources: 'Vyanzo vingine vyote',
      confirmation: 'Zimethibitishwa',
      topCounties: 'Kaunti zinazoongoza',
      sourcesOf: (origin) => `Vyanzo kwenye ${origin}`,
      floorNote: '"<5" ina maana 1 hadi 4: idadi ndogo zaidi ingeweza kumtambulisha mtu.',
    },
    audit: {
      intro: 'Kila kitendo cha wanakampeni, vya karibuni kwanza: nani alifanya, lini, na kiligusa nini. Hakuna data binafsi inayohifadhiwa humo.',
      filters: 'Tafuta',
      allCampaigns: 'Kampeni zote',
      action: 'Kitendo',
      actionHint: 'Kwa mfano export.created au staff.signed-in',
      from: 'Kuanzia (siku)',
      to: 'Hadi (siku, ikijumuishwa)',
      search: 'Tafuta',
      when: 'Lini (saa za Nairobi)',
      who: 'Nani',
      what: 'Kitendo',
      rows: 'Safu',
      details: 'Maelezo',
      none: 'Hakuna kumbukumbu zinazolingana.',
      more: 'Kumbukumbu za zamani zaidi',
      badFilter: 'Angalia utafutaji: siku huandikwa YYYY-MM-DD, na "kuanzia" huja kabla ya "hadi".',
    },
  },
};

/** The browser's first language we have, else English. */
export function browserLocale(languages: readonly string[]): Locale {
  for (const language of languages) {
    const primary = language.toLowerCase().split('-')[0];
    if (primary === 'sw' || primary === 'en') return primary;
  }
  return 'en';
}
