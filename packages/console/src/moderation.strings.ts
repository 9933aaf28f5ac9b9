/** Every word of the "Moderation" view (moderation.component.ts), in English and Kiswahili. */
import type { Locale } from './strings.ts';

export interface ModerationStrings {
  intro: string;
  // Trending
  trendingTitle: string;
  trendingHint: string;
  windowMinutes: string;
  minCount: string;
  minShare: string;
  refresh: string;
  noTrending: string;
  kind: string;
  kinds: { source: string; domain: string };
  hash: string;
  signatures: string;
  share: string;
  action: string;
  previewThis: (kind: string, hash: string) => string;
  // Invalidation
  invalidateTitle: string;
  invalidateHint: string;
  selector: string;
  selectors: { sourceHashPrefix: string; domainHashPrefix: string; emailDomain: string; window: string };
  hashLabel: string;
  hashHint: string;
  emailDomainLabel: string;
  emailDomainHint: string;
  from: string;
  to: string;
  windowHint: string;
  preview: string;
  previewTitle: string;
  previewNone: string;
  previewSummary: (affected: string) => string;
  affected: string;
  counted: string;
  pending: string;
  suspect: string;
  byCounty: string;
  county: string;
  apply: (affected: string) => string;
  confirmTitle: string;
  confirmBody: (affected: string) => string;
  confirmApply: string;
  cancel: string;
  resultTitle: string;
  resultDone: (affected: string) => string;
  resultDiffers: (previewed: string, affected: string) => string;
  countsNow: string;
  badSelector: string;
  // Held
  heldTitle: string;
  heldHint: string;
  heldNone: string;
  heldTotal: (total: string) => string;
  heldPage: (from: string, to: string, total: string) => string;
  signatureId: string;
  signedAt: string;
  confirmedAt: string;
  notConfirmed: string;
  countedOnPhone: string;
  noCounty: string;
  release: string;
  reject: string;
  releaseOf: (id: string) => string;
  rejectOf: (id: string) => string;
  next: string;
  previous: string;
  decideTitle: { count: string; invalidate: string };
  decideBody: { count: string; invalidate: string };
  reason: string;
  reasonHint: string;
  reasonMissing: string;
  decided: { count: string; invalidate: string };
  heldGone: string;
  // Strike
  strikeTitle: string;
  strikeHint: string;
  undo: string;
  strike: string;
  strikeConfirmTitle: string;
  strikeConfirm: string;
  unstrikeConfirm: string;
  strikeConfirmBody: (id: string) => string;
  unstrikeConfirmBody: (id: string) => string;
  struck: (id: string) => string;
  unstruck: (id: string) => string;
  unchanged: (id: string) => string;
  idMissing: string;
  noSuchSignature: string;
  // Reconciliation
  reconcileTitle: string;
  reconcileHint: string;
  reconcile: string;
  noDrift: string;
  drifts: (n: string) => string;
  campaign: string;
  bucket: string;
  total: string;
  stored: string;
  actual: string;
  fix: string;
  fixConfirmTitle: string;
  fixConfirm: string;
  fixConfirmBody: string;
  fixed: (n: string) => string;
  lastRunTitle: string;
  lastRun: (at: string) => string;
  noLastRun: string;
  // Problems
  forbidden: string;
  notFound: string;
}

export const MODERATION_STRINGS: Record<Locale, ModerationStrings> = {
  en: {
    intro: 'Find floods of signatures, review held ones, invalidate or strike out, and check that the counts agree with the signatures. Nothing here shows a name or a contact.',
    trendingTitle: 'Trending sources and domains',
    trendingHint:
      'Sources (a network address) and e-mail domains with an unusual share of this campaign\'s recent signatures. Each is shown only by the start of its keyed hash: enough to invalidate by, useless for finding a person.',
    windowMinutes: 'Last minutes',
    minCount: 'At least this many signatures',
    minShare: 'At least this share (%)',
    refresh: 'Refresh',
    noTrending: 'Nothing is trending in this window.',
    kind: 'Kind',
    kinds: { source: 'Source', domain: 'E-mail domain' },
    hash: 'Hash',
    signatures: 'Signatures',
    share: 'Share',
    action: 'Action',
    previewThis: (kind, hash) => `Preview invalidating ${kind} ${hash}`,
    invalidateTitle: 'Invalidate signatures',
    invalidateHint: 'Choose what to invalidate. You see a preview first; nothing changes until you confirm.',
    selector: 'Invalidate by',
    selectors: { sourceHashPrefix: 'A source (hash)', domainHashPrefix: 'An e-mail domain (hash)', emailDomain: 'An e-mail domain (typed)', window: 'A time window' },
    hashLabel: 'Hash (its first hex digits)',
    hashHint: 'From the trending table: 8 to 64 of the digits 0–9 and a–f.',
    emailDomainLabel: 'E-mail domain',
    emailDomainHint: 'For example flood.example',
    from: 'From (Nairobi time)',
    to: 'To (Nairobi time)',
    windowHint: 'Signatures made from the first time up to, not including, the second.',
    preview: 'Preview',
    previewTitle: 'Preview',
    previewNone: 'No signature that still counts, waits or is suspect matches.',
    previewSummary: (affected) => `${affected} signatures would be invalidated:`,
    affected: 'In all',
    counted: 'Counted',
    pending: 'Waiting for confirmation',
    suspect: 'Suspect (not counted)',
    byCounty: 'Counted ones by county',
    county: 'County',
    apply: (affected) => `Invalidate ${affected} signatures…`,
    confirmTitle: 'Invalidate these signatures?',
    confirmBody: (affected) => `${affected} signatures will stop counting and leave every export. The console cannot undo this.`,
    confirmApply: 'Yes, invalidate',
    cancel: 'Cancel',
    resultTitle: 'Done',
    resultDone: (affected) => `${affected} signatures were invalidated and the counts recounted.`,
    resultDiffers: (previewed, affected) => `The preview showed ${previewed}; ${affected} matched when it was applied (signatures arrived or changed in between).`,
    countsNow: 'The campaign\'s counts now',
    badSelector: 'Check what you chose: a hash is 8 to 64 of 0–9 and a–f, a domain looks like example.org, and a time window needs a start or an end.',
    heldTitle: 'Held for review',
    heldHint:
      'A family phone confirmed one name more than the campaign allows: the name is kept but not counted until you decide. Call the number from the server (imlu signer show) if you need to; this list shows no names or numbers.',
    heldNone: 'No signature is held for review.',
    heldTotal: (total) => `${total} held in all`,
    heldPage: (from, to, total) => `${from}–${to} of ${total}`,
    signatureId: 'Signature',
    signedAt: 'Signed (Nairobi)',
    confirmedAt: 'Confirmed (Nairobi)',
    notConfirmed: 'No confirmation asked',
    countedOnPhone: 'Already counted on that phone',
    noCounty: 'No county',
    release: 'Count it',
    reject: 'Invalidate',
    releaseOf: (id) => `Count it: signature ${id}`,
    rejectOf: (id) => `Invalidate: signature ${id}`,
    next: 'Next page',
    previous: 'Previous page',
    decideTitle: { count: 'Count this signature?', invalidate: 'Invalidate this signature?' },
    decideBody: { count: 'It will count at once, and the public total moves.', invalidate: 'It will never count and leaves every export.' },
    reason: 'Reason',
    reasonHint: 'Kept in the audit log. Write no name or number.',
    reasonMissing: 'Write a reason.',
    decided: { count: 'Counted. The list is read again.', invalidate: 'Invalidated. The list is read again.' },
    heldGone: 'That signature is no longer held (someone decided it already). The list is read again.',
    strikeTitle: 'Strike a signature out of exports',
    strikeHint: 'The signature still counts, but no export (CSV, JSON, PDF) carries it: for a signer who asked to be left out of the pack sent to officials.',
    undo: 'Put it back in exports instead',
    strike: 'Strike out…',
    strikeConfirmTitle: 'Strike out this signature?',
    strikeConfirm: 'Strike out',
    unstrikeConfirm: 'Put it back',
    strikeConfirmBody: (id) => `Signature ${id} will be left out of every export. It still counts.`,
    unstrikeConfirmBody: (id) => `Signature ${id} will be in exports again.`,
    struck: (id) => `Signature ${id} is struck out of exports.`,
    unstruck: (id) => `Signature ${id} is back in exports.`,
    unchanged: (id) => `Signature ${id} already was in that state: nothing changed.`,
    idMissing: 'Write the signature\'s id.',
    noSuchSignature: 'No signature has this id.',
    reconcileTitle: 'Do the counts agree?',
    reconcileHint: 'Compares the running totals with the signatures of every campaign. Drift means a bug or a hand edit; a recount fixes it.',
    reconcile: 'Check the counts now',
    noDrift: 'No drift: every total agrees with its signatures.',
    drifts: (n) => `${n} totals drift from their signatures:`,
    campaign: 'Campaign',
    bucket: 'Total or county',
    total: 'Total',
    stored: 'Shown (counted / waiting / suspect)',
    actual: 'Signatures say',
    fix: 'Recount these campaigns…',
    fixConfirmTitle: 'Recount?',
    fixConfirm: 'Recount',
    fixConfirmBody: 'The public figures of these campaigns will change to what their signatures say.',
    fixed: (n) => `${n} totals were recounted.`,
    lastRunTitle: 'Last scheduled check',
    lastRun: (at) => `At ${at} (Nairobi)`,
    noLastRun: 'No scheduled check has run yet.',
    forbidden: 'Your role does not allow this.',
    notFound: 'Not found: it may have been removed.',
  },
  sw: {
    intro: 'Tafuta mafuriko ya sahihi, kagua zilizozuiliwa, batilisha au ondoa kwenye nakala, na hakikisha hesabu zinalingana na sahihi. Hakuna jina wala mawasiliano yanayoonyeshwa hapa.',
    trendingTitle: 'Vyanzo na vikoa vinavyovuma',
    trendingHint:
      'Vyanzo (anwani ya mtandao) na vikoa vya barua pepe vyenye sehemu isiyo ya kawaida ya sahihi za hivi karibuni za kampeni hii. Kila kimoja kinaonyeshwa kwa mwanzo wa alama yake fiche tu: inatosha kubatilisha, haisaidii kumtambua mtu.',
    windowMinutes: 'Dakika za mwisho',
    minCount: 'Sahihi zisizopungua',
    minShare: 'Sehemu isiyopungua (%)',
    refresh: 'Onyesha upya',
    noTrending: 'Hakuna kinachovuma katika muda huu.',
    kind: 'Aina',
    kinds: { source: 'Chanzo', domain: 'Kikoa cha barua pepe' },
    hash: 'Alama fiche',
    signatures: 'Sahihi',
    share: 'Sehemu',
    action: 'Kitendo',
    previewThis: (kind, hash) => `Hakiki kubatilisha ${kind} ${hash}`,
    invalidateTitle: 'Batilisha sahihi',
    invalidateHint: 'Chagua cha kubatilisha. Utaona hakiki kwanza; hakuna kinachobadilika hadi uthibitishe.',
    selector: 'Batilisha kwa',
    selectors: { sourceHashPrefix: 'Chanzo (alama fiche)', domainHashPrefix: 'Kikoa cha barua pepe (alama fiche)', emailDomain: 'Kikoa cha barua pepe (kiandike)', window: 'Kipindi cha muda' },
    hashLabel: 'Alama fiche (tarakimu zake za kwanza)',
    hashHint: 'Kutoka kwenye jedwali la vinavyovuma: herufi 8 hadi 64 kati ya 0–9 na a–f.',
    emailDomainLabel: 'Kikoa cha barua pepe',
    emailDomainHint: 'Kwa mfano flood.example',
    from: 'Kuanzia (saa za Nairobi)',
    to: 'Hadi (saa za Nairobi)',
    windowHint: 'Sahihi zilizowekwa kuanzia muda wa kwanza hadi kabla ya muda wa pili.',
    preview: 'Hakiki',
    previewTitle: 'Hakiki',
    previewNone: 'Hakuna sahihi inayohesabiwa, inayosubiri au inayotiliwa shaka inayolingana.',
    previewSummary: (affected) => `Sahihi ${affected} zingebatilishwa:`,
    affected: 'Jumla',
    counted: 'Zimehesabiwa',
    pending: 'Zinasubiri kuthibitishwa',
    suspect: 'Zinatiliwa shaka (hazihesabiwi)',
    byCounty: 'Zilizohesabiwa kwa kaunti',
    county: 'Kaunti',
    apply: (affected) => `Batilisha sahihi ${affected}…`,
    confirmTitle: 'Ubatilishe sahihi hizi?',
    confirmBody: (affected) => `Sahihi ${affected} zitaacha kuhesabiwa na kuondolewa kwenye kila nakala ya data. Dashibodi haiwezi kurudisha hili.`,
    confirmApply: 'Ndiyo, batilisha',
    cancel: 'Ghairi',
    resultTitle: 'Imekamilika',
    resultDone: (affected) => `Sahihi ${affected} zimebatilishwa na hesabu zimehesabiwa upya.`,
    resultDiffers: (previewed, affected) => `Hakiki ilionyesha ${previewed}; ${affected} zililingana ilipotekelezwa (sahihi ziliingia au kubadilika katikati).`,
    countsNow: 'Hesabu za kampeni sasa',
    badSelector: 'Angalia ulichochagua: alama fiche ni herufi 8 hadi 64 za 0–9 na a–f, kikoa ni kama example.org, na kipindi cha muda kinahitaji mwanzo au mwisho.',
    heldTitle: 'Zimezuiliwa zikaguliwe',
    heldHint:
      'Simu ya familia ilithibitisha jina moja zaidi ya kampeni inavyoruhusu: jina linahifadhiwa lakini halihesabiwi hadi uamue. Piga nambari hiyo kutoka kwenye seva (imlu signer show) ukihitaji; orodha hii haionyeshi majina wala nambari.',
    heldNone: 'Hakuna sahihi iliyozuiliwa ikaguliwe.',
    heldTotal: (total) => `${total} zimezuiliwa kwa jumla`,
    heldPage: (from, to, total) => `${from}–${to} kati ya ${total}`,
    signatureId: 'Sahihi',
    signedAt: 'Iliwekwa (saa za Nairobi)',
    confirmedAt: 'Ilithibitishwa (saa za Nairobi)',
    notConfirmed: 'Haikuombwa kuthibitishwa',
    countedOnPhone: 'Zilizohesabiwa tayari kwenye simu hiyo',
    noCounty: 'Hakuna kaunti',
    release: 'Ihesabiwe',
    reject: 'Ibatilishe',
    releaseOf: (id) => `Ihesabiwe: sahihi ${id}`,
    rejectOf: (id) => `Ibatilishe: sahihi ${id}`,
    next: 'Ukurasa unaofuata',
    previous: 'Ukurasa uliotangulia',
    decideTitle: { count: 'Ihesabiwe sahihi hii?', invalidate: 'Ubatilishe sahihi hii?' },
    decideBody: { count: 'Itahesabiwa mara moja, na jumla ya hadharani itabadilika.', invalidate: 'Haitahesabiwa kamwe na itaondolewa kwenye kila nakala ya data.' },
    reason: 'Sababu',
    reasonHint: 'Huhifadhiwa kwenye kumbukumbu za ukaguzi. Usiandike jina wala nambari.',
    reasonMissing: 'Andika sababu.',
    decided: { count: 'Imehesabiwa. Orodha inasomwa upya.', invalidate: 'Imebatilishwa. Orodha inasomwa upya.' },
    heldGone: 'Sahihi hiyo haijazuiliwa tena (mtu ameshaiamua). Orodha inasomwa upya.',
    strikeTitle: 'Ondoa sahihi kwenye nakala za data',
    strikeHint: 'Sahihi bado inahesabiwa, lakini hakuna nakala (CSV, JSON, PDF) itakayoibeba: kwa aliyetia sahihi aliyeomba asiwe kwenye kifurushi kinachopelekwa kwa maafisa.',
    undo: 'Badala yake irudishe kwenye nakala',
    strike: 'Ondoa…',
    strikeConfirmTitle: 'Uondoe sahihi hii?',
    strikeConfirm: 'Ondoa',
    unstrikeConfirm: 'Irudishe',
    strikeConfirmBody: (id) => `Sahihi ${id} haitakuwa kwenye nakala yoyote ya data. Bado inahesabiwa.`,
    unstrikeConfirmBody: (id) => `Sahihi ${id} itarudi kwenye nakala za data.`,
    struck: (id) => `Sahihi ${id} imeondolewa kwenye nakala za data.`,
    unstruck: (id) => `Sahihi ${id} imerudi kwenye nakala za data.`,
    unchanged: (id) => `Sahihi ${id} tayari ilikuwa hivyo: hakuna kilichobadilika.`,
    idMissing: 'Andika kitambulisho cha sahihi.',
    noSuchSignature: 'Hakuna sahihi yenye kitambulisho hiki.',
    reconcileTitle: 'Je, hesabu zinalingana?',
    reconcileHint: 'Hulinganisha jumla zinazoendelea na sahihi za kila kampeni. Tofauti ina maana hitilafu au mabadiliko ya mkono; kuhesabu upya kunairekebisha.',
    reconcile: 'Kagua hesabu sasa',
    noDrift: 'Hakuna tofauti: kila jumla inalingana na sahihi zake.',
    drifts: (n) => `Jumla ${n} hazilingani na sahihi zake:`,
    campaign: 'Kampeni',
    bucket: 'Jumla au kaunti',
    total: 'Jumla',
    stored: 'Inayoonyeshwa (zimehesabiwa / zinasubiri / shaka)',
    actual: 'Sahihi zinasema',
    fix: 'Hesabu upya kampeni hizi…',
    fixConfirmTitle: 'Uhesabu upya?',
    fixConfirm: 'Hesabu upya',
    fixConfirmBody: 'Takwimu za hadharani za kampeni hizi zitabadilika kuwa kile sahihi zake zinasema.',
    fixed: (n) => `Jumla ${n} zimehesabiwa upya.`,
    lastRunTitle: 'Ukaguzi wa mwisho uliopangwa',
    lastRun: (at) => `Saa ${at} (saa za Nairobi)`,
    noLastRun: 'Bado hakuna ukaguzi uliopangwa uliofanyika.',
    forbidden: 'Jukumu lako haliruhusu hili.',
    notFound: 'Haipatikani: huenda imeondolewa.',
  },
};
