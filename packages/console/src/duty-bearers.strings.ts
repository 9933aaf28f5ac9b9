/** The Duty bearers view's words. The stance names are the public board's own (packages/widget, accountability). */
import type { Stance } from './duty-bearers.api.ts';
import type { Locale } from './strings.ts';

export interface DutyBearersStrings {
  intro: string;
  campaign: string;
  noCampaigns: string;
  targetsTitle: string;
  noTargets: string;
  add: string;
  edit: string;
  ask: string;
  record: string;
  cancel: string;
  save: string;
  national: string;
  countyOf: (county: string) => string;
  ocd: string;
  notAsked: string;
  askedOn: (date: string) => string;
  dueOn: (date: string) => string;
  answered: string;
  waiting: string;
  overdueBy: (days: number) => string;
  addTitle: string;
  editTitle: (name: string) => string;
  name: string;
  nameSw: string;
  office: string;
  officeSw: string;
  institution: string;
  institutionSw: string;
  swHint: string;
  level: string;
  county: string;
  chooseCounty: string;
  ocdHint: string;
  publicContact: string;
  publicContactHint: string;
  added: (name: string) => string;
  edited: (name: string) => string;
  askTitle: (name: string) => string;
  demands: string;
  askedOnLabel: string;
  dueOnLabel: string;
  dueHint: string;
  asked: (name: string) => string;
  positionTitle: (name: string) => string;
  stance: string;
  stances: Record<Stance, string>;
  demandsOfPosition: string;
  statement: string;
  statementSw: string;
  evidence: string;
  evidenceHint: string;
  recorded: (name: string) => string;
  fieldErrors: Record<string, string>;
  fixFields: string;
  overdueTitle: string;
  overdueIntro: string;
  noneOverdue: string;
  overdueBadge: string;
  linksTitle: string;
  linksIntro: string;
  noLinks: string;
  target: string;
  created: string;
  expires: string;
  state: string;
  active: string;
  used: (date: string) => string;
  revokedOn: (date: string) => string;
  expired: string;
  issue: string;
  newLink: (name: string) => string;
  newLinkHint: string;
  copyNow: string;
  copy: string;
  copied: string;
  copyFailed: string;
  done: string;
  revoke: string;
  revokeTitle: string;
  revokeBody: (name: string) => string;
  revokeConfirm: string;
  revoked: string;
  boardTitle: string;
  boardIntro: string;
  boardDraft: string;
  showBoard: string;
  forbidden: string;
  gone: string;
}

export const DUTY_BEARERS_STRINGS: Record<Locale, DutyBearersStrings> = {
  en: {
    intro: 'Who the campaign asks, what they said, and who has not answered in time. Everything here is public on the board, except what says otherwise.',
    campaign: 'Campaign',
    noCampaigns: 'There are no campaigns yet.',
    targetsTitle: 'Duty bearers',
    noTargets: 'No duty bearers yet. Add the first one.',
    add: 'Add a duty bearer',
    edit: 'Edit',
    ask: 'Ask',
    record: 'Record a position',
    cancel: 'Cancel',
    save: 'Save',
    national: 'National',
    countyOf: (county) => `${county} County`,
    ocd: 'Open Civic Data id',
    notAsked: 'Not asked in this campaign',
    askedOn: (date) => `Asked on ${date}`,
    dueOn: (date) => `answer due ${date}`,
    answered: 'Answered',
    waiting: 'Waiting for an answer',
    overdueBy: (days) => (days === 1 ? 'Overdue by 1 day' : `Overdue by ${days} days`),
    addTitle: 'Add a duty bearer',
    editTitle: (name) => `Edit ${name}`,
    name: 'Name',
    nameSw: 'Name in Kiswahili (if it differs)',
    office: 'Office or role',
    officeSw: 'Office or role in Kiswahili',
    institution: 'Institution',
    institutionSw: 'Institution in Kiswahili',
    swHint: 'Leave a Kiswahili field empty and the board shows the English one in both languages.',
    level: 'Jurisdiction',
    county: 'County',
    chooseCounty: 'Choose a county',
    ocdHint: 'The board gives the county’s Open Civic Data division id (ocd-division/country:ke/county:…), or Kenya’s for a national office.',
    publicContact: 'Public office contact (shown on the board)',
    publicContactHint: 'Only a contact the office publishes itself. Never a person’s private number.',
    added: (name) => `${name} was added.`,
    edited: (name) => `${name} was saved.`,
    askTitle: (name) => `Ask ${name}`,
    demands: 'Demands asked',
    askedOnLabel: 'Asked on',
    dueOnLabel: 'Answer due by (optional)',
    dueHint: 'After this day, Nairobi time, with no answer, the board shows them as overdue.',
    asked: (name) => `${name} is asked. The board shows them as waiting for an answer.`,
    positionTitle: (name) => `Record a position of ${name}`,
    stance: 'Position',
    stances: {
      acknowledged: 'Acknowledged',
      committed: 'Committed',
      declined: 'Declined',
      delivered: 'Delivered',
      broken: 'Broke the commitment',
    },
    demandsOfPosition: 'On which demands',
    statement: 'What they said (English)',
    statementSw: 'What they said (Kiswahili)',
    evidence: 'Evidence link',
    evidenceHint: 'A web address starting with https://, e.g. the letter or the public statement. It is shown on the board.',
    recorded: (name) => `The position of ${name} is recorded. It shows on the public board within a few seconds.`,
    fieldErrors: {
      name: 'Enter the name, 2 to 200 characters.',
      nameSw: 'Enter the Kiswahili name with 2 to 200 characters, or leave it empty.',
      office: 'At most 200 characters.',
      officeSw: 'At most 200 characters.',
      institution: 'At most 200 characters.',
      institutionSw: 'At most 200 characters.',
      'jurisdiction.county': 'Choose the county.',
      publicContact: 'At most 300 characters.',
      demandIds: 'Choose at least one demand.',
      askedOn: 'Enter the day they were asked.',
      dueOn: 'The due day cannot be before the day they were asked.',
      targetId: 'Ask them first: a position is recorded for a duty bearer the campaign asked.',
      status: 'This position needs an earlier commitment on that demand (“Committed”).',
      statement: 'At most 4,000 characters.',
      statementSw: 'At most 4,000 characters.',
      evidenceUrl: 'Enter a web address starting with https:// (http:// links are not accepted).',
    },
    fixFields: 'Check the fields marked below.',
    overdueTitle: 'Overdue',
    overdueIntro: 'Asked, past the day their answer was due (Nairobi time), and no answer on any demand they were asked.',
    noneOverdue: 'Nobody is overdue.',
    overdueBadge: 'Overdue',
    linksTitle: 'Response links',
    linksIntro: 'A duty bearer answers on the board through their own link. The link is shown once, when it is made: copy it then.',
    noLinks: 'No response links yet.',
    target: 'Duty bearer',
    created: 'Made',
    expires: 'Expires',
    state: 'State',
    active: 'Works',
    used: (date) => `Works, last used ${date}`,
    revokedOn: (date) => `Revoked ${date}`,
    expired: 'Expired',
    issue: 'Make a response link',
    newLink: (name) => `Response link for ${name}`,
    copyNow: 'Copy the link now',
    newLinkHint: 'Shown only now. Copy it and send it to the duty bearer; only its fingerprint is kept.',
    copy: 'Copy',
    copied: 'Copied',
    copyFailed: 'Could not copy. Select the link and copy it yourself.',
    done: 'Done, I have copied it',
    revoke: 'Revoke',
    revokeTitle: 'Revoke this response link?',
    revokeBody: (name) => `The link of ${name} stops working at once. Their answers so far stay on the board.`,
    revokeConfirm: 'Revoke the link',
    revoked: 'The link is revoked.',
    boardTitle: 'The public board',
    boardIntro: 'As readers see it on partner sites, from the same data.',
    boardDraft: 'This campaign is a draft: its board becomes public when the campaign opens.',
    showBoard: 'Show the public board',
    forbidden: 'Your role cannot change duty bearers.',
    gone: 'That is no longer there. The list is reloaded.',
  },
  sw: {
    intro: 'Kampeni inamwomba nani, walisema nini, na nani hajajibu kwa wakati. Yote haya yanaonekana hadharani kwenye ubao, isipokuwa pale inaposemwa vinginevyo.',
    campaign: 'Kampeni',
    noCampaigns: 'Bado hakuna kampeni.',
    targetsTitle: 'Wenye wajibu',
    noTargets: 'Bado hakuna wenye wajibu. Ongeza wa kwanza.',
    add: 'Ongeza mwenye wajibu',
    edit: 'Hariri',
    ask: 'Wasilisha madai',
    record: 'Rekodi msimamo',
    cancel: 'Ghairi',
    save: 'Hifadhi',
    national: 'Kitaifa',
    countyOf: (county) => `Kaunti ya ${county}`,
    ocd: 'Kitambulisho cha Open Civic Data',
    notAsked: 'Hajawasilishiwa madai katika kampeni hii',
    askedOn: (date) => `Aliwasilishiwa madai ${date}`,
    dueOn: (date) => `jibu linatakiwa kufikia ${date}`,
    answered: 'Amejibu',
    waiting: 'Linasubiri jibu',
    overdueBy: (days) => `Muda umepita kwa siku ${days}`,
    addTitle: 'Ongeza mwenye wajibu',
    editTitle: (name) => `Hariri ${name}`,
    name: 'Jina',
    nameSw: 'Jina kwa Kiswahili (kama ni tofauti)',
    office: 'Ofisi au wadhifa',
    officeSw: 'Ofisi au wadhifa kwa Kiswahili',
    institution: 'Taasisi',
    institutionSw: 'Taasisi kwa Kiswahili',
    swHint: 'Ukiacha sehemu ya Kiswahili wazi, ubao utaonyesha ya Kiingereza katika lugha zote mbili.',
    level: 'Mamlaka',
    county: 'Kaunti',
    chooseCounty: 'Chagua kaunti',
    ocdHint: 'Ubao unaonyesha kitambulisho cha Open Civic Data cha kaunti (ocd-division/country:ke/county:…), au cha Kenya kwa ofisi ya kitaifa.',
    publicContact: 'Mawasiliano ya umma ya ofisi (yanaonyeshwa kwenye ubao)',
    publicContactHint: 'Mawasiliano ambayo ofisi yenyewe huchapisha tu. Kamwe si namba binafsi ya mtu.',
    added: (name) => `${name} ameongezwa.`,
    edited: (name) => `Mabadiliko ya ${name} yamehifadhiwa.`,
    askTitle: (name) => `Wasilisha madai kwa ${name}`,
    demands: 'Madai yaliyowasilishwa',
    askedOnLabel: 'Tarehe ya kuwasilisha',
    dueOnLabel: 'Jibu linatakiwa kufikia (si lazima)',
    dueHint: 'Siku hii ikipita, kwa saa za Nairobi, bila jibu, ubao utaonyesha kwamba muda umepita.',
    asked: (name) => `Madai yamewasilishwa kwa ${name}. Ubao unaonyesha kwamba linasubiri jibu.`,
    positionTitle: (name) => `Rekodi msimamo wa ${name}`,
    stance: 'Msimamo',
    stances: {
      acknowledged: 'Limepokelewa',
      committed: 'Limeahidiwa',
      declined: 'Limekataliwa',
      delivered: 'Limetekelezwa',
      broken: 'Ahadi imevunjwa',
    },
    demandsOfPosition: 'Kuhusu madai yapi',
    statement: 'Walichosema (Kiingereza)',
    statementSw: 'Walichosema (Kiswahili)',
    evidence: 'Kiungo cha ushahidi',
    evidenceHint: 'Anwani ya tovuti inayoanza na https://, kwa mfano barua au taarifa kwa umma. Inaonyeshwa kwenye ubao.',
    recorded: (name) => `Msimamo wa ${name} umerekodiwa. Utaonekana kwenye ubao wa umma baada ya sekunde chache.`,
    fieldErrors: {
      name: 'Andika jina, herufi 2 hadi 200.',
      nameSw: 'Andika jina la Kiswahili lenye herufi 2 hadi 200, au uache wazi.',
      office: 'Herufi 200 au chache zaidi.',
      officeSw: 'Herufi 200 au chache zaidi.',
      institution: 'Herufi 200 au chache zaidi.',
      institutionSw: 'Herufi 200 au chache zaidi.',
      'jurisdiction.county': 'Chagua kaunti.',
      publicContact: 'Herufi 300 au chache zaidi.',
      demandIds: 'Chagua angalau dai moja.',
      askedOn: 'Weka tarehe madai yalipowasilishwa.',
      dueOn: 'Tarehe ya jibu haiwezi kuwa kabla ya tarehe ya kuwasilisha.',
      targetId: 'Wasilisha madai kwanza: msimamo hurekodiwa kwa mwenye wajibu ambaye kampeni imemwomba.',
      status: 'Msimamo huu unahitaji ahadi ya awali kuhusu dai hilo (“Limeahidiwa”).',
      statement: 'Herufi 4,000 au chache zaidi.',
      statementSw: 'Herufi 4,000 au chache zaidi.',
      evidenceUrl: 'Weka anwani ya tovuti inayoanza na https:// (viungo vya http:// havikubaliwi).',
    },
    fixFields: 'Angalia sehemu zilizowekwa alama hapa chini.',
    overdueTitle: 'Muda umepita',
    overdueIntro: 'Waliowasilishiwa madai, siku ya jibu imepita (saa za Nairobi), na hawajajibu dai lolote waliloombwa.',
    noneOverdue: 'Hakuna ambaye muda wake umepita.',
    overdueBadge: 'Muda umepita',
    linksTitle: 'Viungo vya majibu',
    linksIntro: 'Mwenye wajibu hujibu kwenye ubao kupitia kiungo chake. Kiungo kinaonyeshwa mara moja tu, kinapotengenezwa: kinakili wakati huo.',
    noLinks: 'Bado hakuna viungo vya majibu.',
    target: 'Mwenye wajibu',
    created: 'Kilitengenezwa',
    expires: 'Kinaisha',
    state: 'Hali',
    active: 'Kinafanya kazi',
    used: (date) => `Kinafanya kazi, kilitumika mara ya mwisho ${date}`,
    revokedOn: (date) => `Kilifutwa ${date}`,
    expired: 'Muda wake umeisha',
    issue: 'Tengeneza kiungo cha majibu',
    newLink: (name) => `Kiungo cha majibu cha ${name}`,
    copyNow: 'Nakili kiungo sasa',
    newLinkHint: 'Kinaonyeshwa sasa tu. Kinakili na umtumie mwenye wajibu; ni alama yake tu inayohifadhiwa.',
    copy: 'Nakili',
    copied: 'Kimenakiliwa',
    copyFailed: 'Imeshindikana kunakili. Chagua kiungo na ukinakili mwenyewe.',
    done: 'Sawa, nimekinakili',
    revoke: 'Futa',
    revokeTitle: 'Ufute kiungo hiki cha majibu?',
    revokeBody: (name) => `Kiungo cha ${name} kitaacha kufanya kazi mara moja. Majibu yao ya awali yatabaki kwenye ubao.`,
    revokeConfirm: 'Futa kiungo',
    revoked: 'Kiungo kimefutwa.',
    boardTitle: 'Ubao wa umma',
    boardIntro: 'Jinsi wasomaji wanavyouona kwenye tovuti za washirika, kutoka kwenye data ile ile.',
    boardDraft: 'Kampeni hii bado ni rasimu: ubao wake utakuwa wa umma kampeni itakapofunguliwa.',
    showBoard: 'Onyesha ubao wa umma',
    forbidden: 'Jukumu lako haliruhusu kubadilisha wenye wajibu.',
    gone: 'Hicho hakipo tena. Orodha imepakiwa upya.',
  },
};
