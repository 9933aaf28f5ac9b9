/** The words of the "API tokens and webhooks" view (tokens.component.ts), in English and Kiswahili. */
import type { Locale } from './strings.ts';
import type { Scope, WebhookEvent } from './tokens.api.ts';

export interface TokensStrings {
  tokensTitle: string;
  tokensIntro: string;
  noTokens: string;
  name: string;
  nameHint: string;
  scopes: string;
  scopesHint: string;
  scopeNames: Record<Scope, string>;
  created: string;
  createdBy: string;
  lastUsed: string;
  never: string;
  state: string;
  active: string;
  revoked: (when: string) => string;
  newToken: string;
  create: string;
  shownOnce: string;
  tokenLabel: string;
  secretLabel: string;
  revoke: string;
  revokeConfirm: (name: string) => string;
  revokeYes: string;
  revokedNotice: (name: string) => string;
  createdNotice: (name: string) => string;
  webhooksTitle: string;
  webhooksIntro: string;
  campaign: string;
  noCampaigns: string;
  noWebhooks: string;
  url: string;
  urlHint: string;
  events: string;
  eventNames: Record<WebhookEvent, string>;
  newWebhook: string;
  add: string;
  remove: string;
  removeConfirm: (url: string) => string;
  removeYes: string;
  removedNotice: string;
  addedNotice: string;
  fieldErrors: Record<'required' | 'invalid' | 'too_long' | 'scopes' | 'url' | 'events', string>;
}

export const TOKENS_STRINGS: Record<Locale, TokensStrings> = {
  en: {
    tokensTitle: 'API tokens',
    tokensIntro:
      'A token lets a program (a partner’s CRM, a script) use the admin API. Give it only the scopes it needs. You can grant only scopes you hold yourself.',
    noTokens: 'No tokens yet.',
    name: 'Name',
    nameHint: 'Who or what will use it, for example “Coalition CRM export”.',
    scopes: 'Scopes',
    scopesHint: 'Choose at least one.',
    scopeNames: {
      'campaigns:read': 'Read campaigns and figures',
      'campaigns:write': 'Create and change campaigns',
      'signatures:export': 'Export signatures and delivery packs',
      moderation: 'Moderate: held signatures, invalidations',
      'accountability:write': 'Record duty bearers and their positions',
      'audit:read': 'Read the audit log',
      'tokens:admin': 'Manage API tokens',
      'webhooks:write': 'Manage webhooks',
    },
    created: 'Created',
    createdBy: 'Created by',
    lastUsed: 'Last used',
    never: 'never',
    state: 'State',
    active: 'active',
    revoked: (when) => `revoked ${when}`,
    newToken: 'New token',
    create: 'Create token',
    shownOnce: 'Copy it now and keep it safe: it will not be shown again. Anyone holding it can act with its scopes.',
    tokenLabel: 'The new token',
    secretLabel: 'The webhook’s signing secret',
    revoke: 'Revoke',
    revokeConfirm: (name) => `Revoke “${name}”? Programs using it stop working at once.`,
    revokeYes: 'Yes, revoke',
    revokedNotice: (name) => `“${name}” is revoked.`,
    createdNotice: (name) => `Token “${name}” created.`,
    webhooksTitle: 'Webhooks',
    webhooksIntro: 'A webhook tells another system when something happens in a campaign. Each call is signed with the webhook’s secret.',
    campaign: 'Campaign',
    noCampaigns: 'No campaigns yet.',
    noWebhooks: 'This campaign has no webhooks.',
    url: 'Address (URL)',
    urlHint: 'Must start with https://.',
    events: 'Events',
    eventNames: {
      'signature.confirmed': 'A signature is confirmed',
      'pledge.status_changed': 'A pledge changes status',
      'moderation.flood': 'A flood of signatures is detected',
    },
    newWebhook: 'New webhook',
    add: 'Add webhook',
    remove: 'Remove',
    removeConfirm: (url) => `Remove the webhook to ${url}? Calls still waiting for it are dropped.`,
    removeYes: 'Yes, remove',
    removedNotice: 'The webhook is removed.',
    addedNotice: 'The webhook is added.',
    fieldErrors: {
      required: 'This field is required.',
      invalid: 'This value is not valid.',
      too_long: 'This is too long.',
      scopes: 'Choose at least one scope, among those you hold.',
      url: 'Give an https:// address of a public server.',
      events: 'Choose at least one event.',
    },
  },
  sw: {
    tokensTitle: 'Tokeni za API',
    tokensIntro:
      'Tokeni huruhusu programu (kama CRM ya mshirika au hati) kutumia API ya usimamizi. Ipe ruhusa inazohitaji tu. Unaweza kutoa ruhusa ulizo nazo wewe mwenyewe tu.',
    noTokens: 'Bado hakuna tokeni.',
    name: 'Jina',
    nameHint: 'Nani au nini kitaitumia, kwa mfano “Nakala kwa CRM ya muungano”.',
    scopes: 'Ruhusa',
    scopesHint: 'Chagua angalau moja.',
    scopeNames: {
      'campaigns:read': 'Kusoma kampeni na takwimu',
      'campaigns:write': 'Kuunda na kubadilisha kampeni',
      'signatures:export': 'Kutoa nakala za sahihi na vifurushi vya kuwasilisha',
      moderation: 'Kudhibiti: sahihi zilizozuiliwa, kubatilisha',
      'accountability:write': 'Kurekodi wenye wajibu na misimamo yao',
      'audit:read': 'Kusoma kumbukumbu za ukaguzi',
      'tokens:admin': 'Kusimamia tokeni za API',
      'webhooks:write': 'Kusimamia webhooks',
    },
    created: 'Iliundwa',
    createdBy: 'Iliundwa na',
    lastUsed: 'Ilitumika mwisho',
    never: 'haijatumika',
    state: 'Hali',
    active: 'inatumika',
    revoked: (when) => `ilifutwa ${when}`,
    newToken: 'Tokeni mpya',
    create: 'Unda tokeni',
    shownOnce: 'Inakili sasa na uihifadhi salama: haitaonyeshwa tena. Yeyote aliye nayo anaweza kutenda kwa ruhusa zake.',
    tokenLabel: 'Tokeni mpya',
    secretLabel: 'Siri ya kutia sahihi ya webhook',
    revoke: 'Futa',
    revokeConfirm: (name) => `Ufute “${name}”? Programu zinazoitumia zitaacha kufanya kazi mara moja.`,
    revokeYes: 'Ndiyo, futa',
    revokedNotice: (name) => `“${name}” imefutwa.`,
    createdNotice: (name) => `Tokeni “${name}” imeundwa.`,
    webhooksTitle: 'Webhooks',
    webhooksIntro: 'Webhook huarifu mfumo mwingine jambo linapotokea kwenye kampeni. Kila ujumbe hutiwa sahihi kwa siri ya webhook hiyo.',
    campaign: 'Kampeni',
    noCampaigns: 'Bado hakuna kampeni.',
    noWebhooks: 'Kampeni hii haina webhooks.',
    url: 'Anwani (URL)',
    urlHint: 'Lazima ianze na https://.',
    events: 'Matukio',
    eventNames: {
      'signature.confirmed': 'Sahihi imethibitishwa',
      'pledge.status_changed': 'Hali ya ahadi imebadilika',
      'moderation.flood': 'Wimbi la sahihi limegunduliwa',
    },
    newWebhook: 'Webhook mpya',
    add: 'Ongeza webhook',
    remove: 'Ondoa',
    removeConfirm: (url) => `Uondoe webhook ya ${url}? Ujumbe unaoisubiri utaachwa.`,
    removeYes: 'Ndiyo, ondoa',
    removedNotice: 'Webhook imeondolewa.',
    addedNotice: 'Webhook imeongezwa.',
    fieldErrors: {
      required: 'Sehemu hii ni lazima ijazwe.',
      invalid: 'Thamani hii si sahihi.',
      too_long: 'Hii ni ndefu mno.',
      scopes: 'Chagua angalau ruhusa moja, kati ya zile ulizo nazo.',
      url: 'Weka anwani ya https:// ya seva ya umma.',
      events: 'Chagua angalau tukio moja.',
    },
  },
};
