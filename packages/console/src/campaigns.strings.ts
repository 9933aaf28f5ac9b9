/** The words of the "Campaigns" view (campaigns.component.ts), in English and Kiswahili. */
import type { Locale } from './strings.ts';

export type CampaignKind = 'petition' | 'pledge';
export type CampaignStatus = 'draft' | 'open' | 'closed';
export type Verification = 'either' | 'email' | 'sms' | 'none';
export type ChallengeMode = 'none' | 'altcha';
export type UpdateEvent = 'position' | 'milestone' | 'closed';
export type RateLimitKey = 'ipBurst' | 'ipWindow' | 'domainBurst' | 'domainWindow';

/** Labels of the document's fields, by their top-level key (used in the error summary too). */
export interface FieldLabels {
  slug: string;
  kind: string;
  status: string;
  title: string;
  summary: string;
  body: string;
  demands: string;
  goal: string;
  opensAt: string;
  closesAt: string;
  verification: string;
  challenge: string;
  rateLimits: string;
  phoneHousehold: string;
  retentionDays: string;
  updates: string;
  consentVersion: string;
  actions: string;
  senderOrganisation: string;
  senderContact: string;
}

export interface CampaignsStrings {
  listTitle: string;
  none: string;
  newCampaign: string;
  edit: string;
  view: string;
  readOnly: string;
  kind: string;
  status: string;
  counted: string;
  kinds: Record<CampaignKind, string>;
  statuses: Record<CampaignStatus, string>;
  newTitle: string;
  editTitle: (title: string) => string;
  viewTitle: (title: string) => string;
  backToList: string;
  create: string;
  save: string;
  saving: string;
  created: (title: string) => string;
  saved: (title: string) => string;
  unchanged: string;
  forbidden: string;
  languages: Record<Locale, string>;
  fields: FieldLabels;
  about: string;
  texts: string;
  textsHint: string;
  timing: string;
  signing: string;
  dataAndUpdates: string;
  delivery: string;
  slugHint: string;
  slugFixed: string;
  demand: (n: number) => string;
  addDemand: string;
  removeDemand: (n: number) => string;
  noDemands: string;
  goalHint: string;
  timesHint: string;
  verifications: Record<Verification, string>;
  unverifiedWarning: string;
  challenges: Record<ChallengeMode, string>;
  rateLimitsHint: string;
  rateLimitLabels: Record<RateLimitKey, string>;
  phoneHouseholdHint: string;
  retentionDaysHint: string;
  updateEvents: Record<UpdateEvent, string>;
  updatesLink: string;
  updatesLinkHint: string;
  consentVersionHint: string;
  senderContactHint: string;
  pledgeActions: (n: number) => string;
  errorsTitle: string;
  codes: Record<'required' | 'too_short' | 'too_long' | 'invalid' | 'invalid_type' | 'unknown_field' | 'invalid_county', string>;
  textInvalid: (max: number) => string;
  invalidAt: Partial<Record<string, string>>;
  previewTitle: string;
  previewHint: string;
  draftNote: string;
  frameTitle: (language: string) => string;
  hostedLink: string;
  newTab: string;
  embedTitle: string;
  embedHint: string;
  copy: string;
  copied: string;
  copySelected: string;
}

export const CAMPAIGNS_STRINGS: Record<Locale, CampaignsStrings> = {
  en: {
    listTitle: 'All campaigns',
    none: 'There are no campaigns yet.',
    newCampaign: 'New campaign',
    edit: 'Edit',
    view: 'Open',
    readOnly: 'Your role may look at campaigns but not change them.',
    kind: 'Kind',
    status: 'Status',
    counted: 'Counted',
    kinds: { petition: 'Petition', pledge: 'Pledge' },
    statuses: { draft: 'Draft (not public)', open: 'Open (taking signatures)', closed: 'Closed' },
    newTitle: 'New campaign',
    editTitle: (title) => `Edit: ${title}`,
    viewTitle: (title) => `Campaign: ${title}`,
    backToList: 'Back to the list',
    create: 'Create campaign',
    save: 'Save changes',
    saving: 'Saving…',
    created: (title) => `Campaign created: ${title}.`,
    saved: (title) => `Changes saved: ${title}.`,
    unchanged: 'Nothing had changed: nothing was saved.',
    forbidden: 'Your role may not change campaigns.',
    languages: { en: 'English', sw: 'Kiswahili' },
    fields: {
      slug: 'Short name in the address (slug)',
      kind: 'Kind',
      status: 'Status',
      title: 'Title',
      summary: 'Summary',
      body: 'Full text',
      demands: 'Demands',
      goal: 'Goal (signatures)',
      opensAt: 'Opens (Nairobi time)',
      closesAt: 'Closes (Nairobi time)',
      verification: 'How signers confirm',
      challenge: 'Browser check against automated signing',
      rateLimits: 'Rate limits for this campaign',
      phoneHousehold: 'Names per phone number',
      retentionDays: "Days to keep signers' personal data after the end",
      updates: 'Updates to signers who asked for them',
      consentVersion: 'Version of the consent wording',
      actions: 'Pledge actions',
      senderOrganisation: 'Sender named on the delivery pack (organisation)',
      senderContact: "Sender's contact on the delivery pack (public)",
    },
    about: 'About the campaign',
    texts: 'Texts',
    textsHint: 'Every text in English and in Kiswahili: signers see the one in their language.',
    timing: 'Opening and closing',
    signing: 'Signing',
    dataAndUpdates: 'Personal data and updates',
    delivery: 'Delivery',
    slugHint: 'Lower-case letters, digits and single hyphens, for example police-reform-2027. It is part of every address and cannot be changed later.',
    slugFixed: 'The slug cannot be changed.',
    demand: (n) => `Demand ${n}`,
    addDemand: 'Add a demand',
    removeDemand: (n) => `Remove demand ${n}`,
    noDemands: 'No demands yet.',
    goalHint: 'Leave empty for no goal.',
    timesHint: 'Optional. An open campaign takes signatures between these times.',
    verifications: {
      either: 'By e-mail when given, otherwise by an SMS code (recommended)',
      email: 'By a link sent by e-mail',
      sms: 'By a code sent by SMS',
      none: 'No confirmation: counted at once',
    },
    unverifiedWarning:
      "Without confirmation anyone can sign in another person's name, and anyone can find out whether a phone number or e-mail address has signed by watching the counter. Use it only where signers are at no risk.",
    challenges: { none: 'None', altcha: 'The browser solves a short puzzle first (ALTCHA)' },
    rateLimitsHint: "Signatures allowed from one source. Leave a field empty to use the server's limit.",
    rateLimitLabels: {
      ipBurst: 'Per IP address, per minute',
      ipWindow: 'Per IP address, per 5 minutes',
      domainBurst: 'Per e-mail domain, per minute',
      domainWindow: 'Per e-mail domain, per 5 minutes',
    },
    phoneHouseholdHint: 'How many people may sign from one phone number, 1 to 10: in Kenya one phone often serves a family.',
    retentionDaysHint: '1 to 3650. Then it is deleted; the totals and county counts remain.',
    updateEvents: { position: "A duty bearer's position changes", milestone: 'A milestone is reached', closed: 'The campaign closes' },
    updatesLink: 'Link in the updates (https)',
    updatesLinkHint: "Leave empty for the campaign's page on this server.",
    consentVersionHint: 'Change it whenever the consent wording changes: each signature records the version it agreed to.',
    senderContactHint: "An office address, e-mail or phone, printed on the pack: not a person's private number.",
    pledgeActions: (n) => `This pledge has ${n} action(s). Actions are changed with the command line (imlu campaign apply); saving here keeps them as they are.`,
    errorsTitle: 'Check these fields: nothing was saved',
    codes: {
      required: 'Fill this in.',
      too_short: 'This is too short.',
      too_long: 'This is too long.',
      invalid: 'This value is not valid.',
      invalid_type: 'This value has the wrong type.',
      unknown_field: 'This field is not allowed.',
      invalid_county: 'Choose one of the 47 counties.',
    },
    textInvalid: (max) => `Write this text: 1 to ${max.toLocaleString('en-KE')} characters.`,
    invalidAt: {
      slug: 'Use lower-case letters, digits and single hyphens, and a slug no other campaign uses.',
      closesAt: 'The closing must come after the opening.',
      opensAt: 'Enter a date and time.',
      goal: 'A whole number, 0 or more, or leave it empty.',
      phoneHousehold: 'A whole number from 1 to 10.',
      retentionDays: 'A whole number from 1 to 3650.',
      rateLimits: 'A whole number, 1 or more, or leave it empty.',
      'updates.link': 'An https:// address, or leave it empty.',
      consentVersion: 'Fill this in: up to 100 characters.',
      senderOrganisation: 'Up to 200 characters, or leave it empty.',
      senderContact: 'Up to 300 characters, or leave it empty.',
      status: "This campaign's signers' personal data was deleted: it cannot take signatures again. Create a new campaign.",
      actions: 'Only a pledge has actions: keep the kind Pledge, or remove its actions with the command line.',
    },
    previewTitle: 'Preview',
    previewHint: 'The widget as a partner site shows the saved campaign, in English and in Kiswahili. After a change it may take a minute to show.',
    draftNote: 'A draft is not public: the widget and the hosted page show the campaign once its status is Open.',
    frameTitle: (language) => `Widget preview in ${language}`,
    hostedLink: 'Open the hosted page',
    newTab: '(opens in a new tab)',
    embedTitle: 'Embed on a partner site',
    embedHint: "A partner pastes this into their page. Add the partner's site to the server's ALLOWED_ORIGINS so its visitors can sign.",
    copy: 'Copy',
    copied: 'Copied',
    copySelected: 'The code is selected: press Ctrl+C to copy it.',
  },
  sw: {
    listTitle: 'Kampeni zote',
    none: 'Bado hakuna kampeni.',
    newCampaign: 'Kampeni mpya',
    edit: 'Hariri',
    view: 'Fungua',
    readOnly: 'Jukumu lako linaruhusu kuangalia kampeni lakini si kuzibadilisha.',
    kind: 'Aina',
    status: 'Hali',
    counted: 'Zimehesabiwa',
    kinds: { petition: 'Ombi', pledge: 'Ahadi' },
    statuses: { draft: 'Rasimu (si ya umma)', open: 'Wazi (inapokea sahihi)', closed: 'Imefungwa' },
    newTitle: 'Kampeni mpya',
    editTitle: (title) => `Hariri: ${title}`,
    viewTitle: (title) => `Kampeni: ${title}`,
    backToList: 'Rudi kwenye orodha',
    create: 'Unda kampeni',
    save: 'Hifadhi mabadiliko',
    saving: 'Inahifadhi…',
    created: (title) => `Kampeni imeundwa: ${title}.`,
    saved: (title) => `Mabadiliko yamehifadhiwa: ${title}.`,
    unchanged: 'Hakuna kilichobadilika: hakuna kilichohifadhiwa.',
    forbidden: 'Jukumu lako haliruhusu kubadilisha kampeni.',
    languages: { en: 'Kiingereza', sw: 'Kiswahili' },
    fields: {
      slug: 'Jina fupi kwenye anwani (slug)',
      kind: 'Aina',
      status: 'Hali',
      title: 'Kichwa',
      summary: 'Muhtasari',
      body: 'Maelezo kamili',
      demands: 'Madai',
      goal: 'Lengo (sahihi)',
      opensAt: 'Inafunguliwa (saa za Nairobi)',
      closesAt: 'Inafungwa (saa za Nairobi)',
      verification: 'Jinsi watia sahihi wanavyothibitisha',
      challenge: 'Ukaguzi wa kivinjari dhidi ya sahihi za kiotomatiki',
      rateLimits: 'Viwango vya kasi vya kampeni hii',
      phoneHousehold: 'Majina kwa kila nambari ya simu',
      retentionDays: 'Siku za kuhifadhi data binafsi ya watia sahihi baada ya mwisho',
      updates: 'Taarifa mpya kwa watia sahihi walioziomba',
      consentVersion: 'Toleo la maneno ya idhini',
      actions: 'Vitendo vya ahadi',
      senderOrganisation: 'Mtumaji anayetajwa kwenye kifurushi cha uwasilishaji (shirika)',
      senderContact: 'Mawasiliano ya mtumaji kwenye kifurushi cha uwasilishaji (ya umma)',
    },
    about: 'Kuhusu kampeni',
    texts: 'Maandishi',
    textsHint: 'Kila maandishi kwa Kiingereza na kwa Kiswahili: watia sahihi huona yale ya lugha yao.',
    timing: 'Kufungua na kufunga',
    signing: 'Kutia sahihi',
    dataAndUpdates: 'Data binafsi na taarifa mpya',
    delivery: 'Uwasilishaji',
    slugHint: 'Herufi ndogo, tarakimu na vistari kimoja kimoja, kwa mfano police-reform-2027. Ni sehemu ya kila anwani na haiwezi kubadilishwa baadaye.',
    slugFixed: 'Slug haiwezi kubadilishwa.',
    demand: (n) => `Dai la ${n}`,
    addDemand: 'Ongeza dai',
    removeDemand: (n) => `Ondoa dai la ${n}`,
    noDemands: 'Bado hakuna madai.',
    goalHint: 'Acha wazi ikiwa hakuna lengo.',
    timesHint: 'Si lazima. Kampeni iliyo wazi hupokea sahihi kati ya nyakati hizi.',
    verifications: {
      either: 'Kwa barua pepe ikitolewa, la sivyo kwa msimbo wa SMS (inapendekezwa)',
      email: 'Kwa kiungo kinachotumwa kwa barua pepe',
      sms: 'Kwa msimbo unaotumwa kwa SMS',
      none: 'Bila uthibitisho: zinahesabiwa mara moja',
    },
    unverifiedWarning:
      'Bila uthibitisho mtu yeyote anaweza kutia sahihi kwa jina la mtu mwingine, na yeyote anaweza kujua kama nambari ya simu au anwani ya barua pepe imetia sahihi kwa kutazama kihesabu. Itumie tu pale ambapo watia sahihi hawako hatarini.',
    challenges: { none: 'Hakuna', altcha: 'Kivinjari kitatue fumbo fupi kwanza (ALTCHA)' },
    rateLimitsHint: 'Sahihi zinazoruhusiwa kutoka chanzo kimoja. Acha sehemu wazi kutumia kiwango cha seva.',
    rateLimitLabels: {
      ipBurst: 'Kwa anwani ya IP, kwa dakika',
      ipWindow: 'Kwa anwani ya IP, kwa dakika 5',
      domainBurst: 'Kwa kikoa cha barua pepe, kwa dakika',
      domainWindow: 'Kwa kikoa cha barua pepe, kwa dakika 5',
    },
    phoneHouseholdHint: 'Watu wangapi wanaweza kutia sahihi kwa nambari moja ya simu, 1 hadi 10: nchini Kenya simu moja mara nyingi hutumiwa na familia.',
    retentionDaysHint: '1 hadi 3650. Kisha inafutwa; jumla na idadi kwa kila kaunti hubaki.',
    updateEvents: { position: 'Msimamo wa mwenye wajibu unabadilika', milestone: 'Hatua muhimu inafikiwa', closed: 'Kampeni inafungwa' },
    updatesLink: 'Kiungo kwenye taarifa mpya (https)',
    updatesLinkHint: 'Acha wazi kutumia ukurasa wa kampeni kwenye seva hii.',
    consentVersionHint: 'Libadilishe kila maneno ya idhini yanapobadilika: kila sahihi huhifadhi toleo ililokubali.',
    senderContactHint: 'Anwani ya ofisi, barua pepe au simu, inayochapishwa kwenye kifurushi: si nambari binafsi ya mtu.',
    pledgeActions: (n) => `Ahadi hii ina vitendo ${n}. Vitendo hubadilishwa kwa amri (imlu campaign apply); kuhifadhi hapa kunaviacha kama vilivyo.`,
    errorsTitle: 'Angalia sehemu hizi: hakuna kilichohifadhiwa',
    codes: {
      required: 'Jaza sehemu hii.',
      too_short: 'Hii ni fupi mno.',
      too_long: 'Hii ni ndefu mno.',
      invalid: 'Thamani hii si halali.',
      invalid_type: 'Aina ya thamani hii si halali.',
      unknown_field: 'Sehemu hii hairuhusiwi.',
      invalid_county: 'Chagua mojawapo ya kaunti 47.',
    },
    textInvalid: (max) => `Andika maandishi haya: herufi 1 hadi ${max.toLocaleString('sw-KE')}.`,
    invalidAt: {
      slug: 'Tumia herufi ndogo, tarakimu na vistari kimoja kimoja, na slug ambayo kampeni nyingine haitumii.',
      closesAt: 'Kufungwa lazima kuje baada ya kufunguliwa.',
      opensAt: 'Weka tarehe na saa.',
      goal: 'Namba kamili, 0 au zaidi, au acha wazi.',
      phoneHousehold: 'Namba kamili kuanzia 1 hadi 10.',
      retentionDays: 'Namba kamili kuanzia 1 hadi 3650.',
      rateLimits: 'Namba kamili, 1 au zaidi, au acha wazi.',
      'updates.link': 'Anwani ya https://, au acha wazi.',
      consentVersion: 'Jaza sehemu hii: hadi herufi 100.',
      senderOrganisation: 'Hadi herufi 200, au acha wazi.',
      senderContact: 'Hadi herufi 300, au acha wazi.',
      status: 'Data binafsi ya watia sahihi wa kampeni hii ilifutwa: haiwezi kupokea sahihi tena. Unda kampeni mpya.',
      actions: 'Ahadi pekee ndiyo ina vitendo: acha aina iwe Ahadi, au ondoa vitendo vyake kwa amri.',
    },
    previewTitle: 'Onyesho la awali',
    previewHint: 'Wijeti kama tovuti ya mshirika inavyoonyesha kampeni iliyohifadhiwa, kwa Kiingereza na kwa Kiswahili. Baada ya mabadiliko inaweza kuchukua dakika moja kuonekana.',
    draftNote: 'Rasimu si ya umma: wijeti na ukurasa wa kampeni huonyesha kampeni hali yake ikiwa Wazi.',
    frameTitle: (language) => `Onyesho la wijeti kwa ${language}`,
    hostedLink: 'Fungua ukurasa wa kampeni',
    newTab: '(hufunguka kwenye kichupo kipya)',
    embedTitle: 'Weka kwenye tovuti ya mshirika',
    embedHint: 'Mshirika huweka msimbo huu kwenye ukurasa wake. Ongeza tovuti ya mshirika kwenye ALLOWED_ORIGINS ya seva ili wageni wake waweze kutia sahihi.',
    copy: 'Nakili',
    copied: 'Imenakiliwa',
    copySelected: 'Msimbo umechaguliwa: bonyeza Ctrl+C kuunakili.',
  },
};
