/** Every word of the "Exports" view (exports.component.ts), in English and Kiswahili. */
import type { Locale } from './strings.ts';
import type { ExportFormat, SignatureStatus } from './exports.api.ts';

export interface ExportsStrings {
  exportTitle: string;
  intro: string;
  campaign: string;
  noCampaigns: string;
  format: string;
  formats: Record<ExportFormat, string>;
  fileLanguage: string;
  fileLanguageHint: string;
  languages: Record<Locale, string>;
  include: string;
  namesNote: string;
  verifiedOnly: string;
  verifiedOnlyHint: string;
  contacts: string;
  contactsHint: string;
  contactsNotInPdf: string;
  from: string;
  to: string;
  pack: string;
  packHint: string;
  start: string;
  startPack: string;
  cancel: string;
  progressLabel: string;
  preparing: string;
  rowsOf: (done: string, total: string) => string;
  bytesOf: (done: string, total: string, rows: string) => string;
  bytesReceived: (done: string, rows: string) => string;
  saved: (file: string, rows: string) => string;
  saveAgain: string;
  cancelled: string;
  badFilter: string;
  noSigningKey: string;
  forbidden: string;
  verifyTitle: string;
  verifyIntro: string;
  packFile: string;
  verify: string;
  verifying: string;
  chooseFile: string;
  tooLarge: string;
  valid: string;
  invalid: string;
  unreadable: string;
  checkFiles: (ok: boolean, files: string) => string;
  checkSums: (ok: boolean) => string;
  signature: Record<SignatureStatus, string>;
  retiredBefore: string;
  madeBy: (name: string, when: string, rows: string) => string;
  noRecord: string;
  claims: (campaign: string, format: string, rows: string, when: string) => string;
  technical: string;
  historyTitle: string;
  historyIntro: string;
  when: string;
  who: string;
  what: string;
  rows: string;
  destinations: Record<string, string>;
  withContacts: string;
  noExports: string;
  more: string;
  noAuditScope: string;
}

export const EXPORTS_STRINGS: Record<Locale, ExportsStrings> = {
  en: {
    exportTitle: 'Export signatures',
    intro:
      'Invalid, suspect and struck-out signatures are never exported. The file is made as you download it and saved on this device: keep it safe, it is a list of people.',
    campaign: 'Campaign',
    noCampaigns: 'There are no campaigns yet.',
    format: 'File format',
    formats: { csv: 'CSV (spreadsheet text)', xlsx: 'Excel workbook (xlsx)', json: 'OSDI JSON (for other tools)', pdf: 'PDF for an official (cover, counts, names)' },
    fileLanguage: 'Language of the file',
    fileLanguageHint: 'For the PDF’s words and the county names.',
    languages: { en: 'English', sw: 'Kiswahili' },
    include: 'What to include',
    namesNote: 'Names appear only for signers who agreed to share their name with the targets; everyone else appears as "Signatory, <county>".',
    verifiedOnly: 'Only confirmed signatures',
    verifiedOnlyHint: 'Otherwise signatures still waiting for confirmation are listed and marked. A PDF always leaves them out.',
    contacts: 'E-mail and phone of signers who agreed to share them with the targets',
    contactsHint: 'Only for those who agreed; never in a PDF.',
    contactsNotInPdf: 'A PDF never carries contact details.',
    from: 'Signed from (day, optional)',
    to: 'Signed up to (day, included, optional)',
    pack: 'As a signed delivery pack',
    packHint:
      'A zip with the file, manifest.json (each file’s SHA-256), the organisation’s signature and SHA256SUMS, so an official can check nothing was changed. The pack is made whole before it downloads.',
    start: 'Download the export',
    startPack: 'Download the delivery pack',
    cancel: 'Cancel',
    progressLabel: 'Download progress',
    preparing: 'Preparing the file…',
    rowsOf: (done, total) => `${done} of ${total} rows`,
    bytesOf: (done, total, rows) => `${done} of ${total} (${rows} rows)`,
    bytesReceived: (done, rows) => `${done} received (${rows} rows in all)`,
    saved: (file, rows) => `Saved ${file}: ${rows} rows.`,
    saveAgain: 'Save it again',
    cancelled: 'The download was cancelled. Nothing was saved.',
    badFilter: 'Check the choices: a day is written YYYY-MM-DD, "from" comes before "to", and a PDF has no contact details.',
    noSigningKey: 'There is no signing key yet, so a pack cannot be signed. An administrator creates one with "imlu keys signing create".',
    forbidden: 'Your role may not export signatures.',
    verifyTitle: 'Check a delivery pack',
    verifyIntro: 'Pick a pack’s zip file: every file is checked against its manifest, the signature against our keys, and the audit log for our record of making it. Nothing is stored.',
    packFile: 'Delivery pack (zip file)',
    verify: 'Check the pack',
    verifying: 'Checking…',
    chooseFile: 'Choose a zip file first.',
    tooLarge: 'This file is larger than 64 MB: check it with "imlu export verify" on the server.',
    valid: 'Genuine: this pack is exactly as we made it.',
    invalid: 'Not genuine: this pack was changed, or we did not make it.',
    unreadable: 'This file is not a delivery pack, or it is damaged.',
    checkFiles: (ok, files) => (ok ? `Files: all ${files} match the manifest.` : 'Files: a file does not match the manifest, or one is missing or added.'),
    checkSums: (ok) => (ok ? 'SHA256SUMS: every checksum matches.' : 'SHA256SUMS: a checksum does not match.'),
    signature: {
      valid: 'Signature: made with our key.',
      invalid: 'Signature: does not match (the manifest or the signature was changed).',
      'unknown-key': 'Signature: made with a key that is not ours.',
      'not-signed': 'Signature: none. Nothing proves who made this pack.',
    },
    retiredBefore: 'The key was retired before this pack was made.',
    madeBy: (name, when, rows) => `Our record: exported by ${name} on ${when}, ${rows} rows.`,
    noRecord: 'Our record: the audit log has no export of this manifest.',
    claims: (campaign, format, rows, when) => `The manifest says: campaign ${campaign}, ${format}, ${rows} rows, made ${when}.`,
    technical: 'Technical details (in English)',
    historyTitle: 'Who exported what, and when',
    historyIntro: 'Every export and delivery pack, from the console, the API or the command line, newest first. 20 a page.',
    when: 'When (Nairobi)',
    who: 'Who',
    what: 'What',
    rows: 'Rows',
    destinations: { http: 'download', 'http-pack': 'delivery pack', directory: 'folder on the server' },
    withContacts: 'with contacts',
    noExports: 'No exports yet.',
    more: 'Older exports',
    noAuditScope: 'Your role cannot read the audit log, so the history is not shown.',
  },
  sw: {
    exportTitle: 'Pakua sahihi',
    intro:
      'Sahihi batili, zinazotiliwa shaka na zilizofutwa hazipakuliwi kamwe. Faili hutengenezwa unapopakua na huhifadhiwa kwenye kifaa hiki: ilinde, ni orodha ya watu.',
    campaign: 'Kampeni',
    noCampaigns: 'Bado hakuna kampeni.',
    format: 'Aina ya faili',
    formats: {
      csv: 'CSV (maandishi ya jedwali)',
      xlsx: 'Kitabu cha Excel (xlsx)',
      json: 'OSDI JSON (kwa programu nyingine)',
      pdf: 'PDF kwa afisa (jalada, idadi, majina)',
    },
    fileLanguage: 'Lugha ya faili',
    fileLanguageHint: 'Kwa maneno ya PDF na majina ya kaunti.',
    languages: { en: 'Kiingereza', sw: 'Kiswahili' },
    include: 'Kinachojumuishwa',
    namesNote: 'Majina yanaonekana tu kwa waliokubali majina yao yapewe wanaolengwa; wengine wote wanaonekana kama "Mtia sahihi, <kaunti>".',
    verifiedOnly: 'Sahihi zilizothibitishwa pekee',
    verifiedOnlyHint: 'La sivyo sahihi zinazosubiri kuthibitishwa huorodheshwa na kutiwa alama. PDF huziacha kila mara.',
    contacts: 'Barua pepe na simu za waliokubali zipewe wanaolengwa',
    contactsHint: 'Kwa waliokubali pekee; kamwe si kwenye PDF.',
    contactsNotInPdf: 'PDF haibebi kamwe mawasiliano ya watu.',
    from: 'Zilizowekwa kuanzia (siku, si lazima)',
    to: 'Zilizowekwa hadi (siku, ikijumuishwa, si lazima)',
    pack: 'Kama kifurushi cha kuwasilisha kilichotiwa sahihi',
    packHint:
      'Zip yenye faili, manifest.json (SHA-256 ya kila faili), sahihi ya shirika na SHA256SUMS, ili afisa aweze kuhakikisha hakuna kilichobadilishwa. Kifurushi hutengenezwa chote kabla ya kupakuliwa.',
    start: 'Pakua faili',
    startPack: 'Pakua kifurushi',
    cancel: 'Ghairi',
    progressLabel: 'Maendeleo ya upakuaji',
    preparing: 'Faili inatayarishwa…',
    rowsOf: (done, total) => `Safu ${done} kati ya ${total}`,
    bytesOf: (done, total, rows) => `${done} kati ya ${total} (safu ${rows})`,
    bytesReceived: (done, rows) => `${done} zimepokelewa (safu ${rows} kwa jumla)`,
    saved: (file, rows) => `Imehifadhiwa ${file}: safu ${rows}.`,
    saveAgain: 'Ihifadhi tena',
    cancelled: 'Upakuaji umeghairiwa. Hakuna kilichohifadhiwa.',
    badFilter: 'Angalia chaguo: siku huandikwa YYYY-MM-DD, "kuanzia" huja kabla ya "hadi", na PDF haina mawasiliano ya watu.',
    noSigningKey: 'Bado hakuna ufunguo wa kutia sahihi, kwa hivyo kifurushi hakiwezi kutiwa sahihi. Msimamizi huunda ufunguo kwa "imlu keys signing create".',
    forbidden: 'Jukumu lako haliruhusiwi kupakua sahihi.',
    verifyTitle: 'Hakiki kifurushi',
    verifyIntro:
      'Chagua faili ya zip ya kifurushi: kila faili hulinganishwa na manifest yake, sahihi na funguo zetu, na kumbukumbu za ukaguzi hutafutwa rekodi yetu ya kukitengeneza. Hakuna kinachohifadhiwa.',
    packFile: 'Kifurushi (faili ya zip)',
    verify: 'Hakiki kifurushi',
    verifying: 'Kinahakikiwa…',
    chooseFile: 'Chagua faili ya zip kwanza.',
    tooLarge: 'Faili hii ni kubwa kuliko MB 64: ihakiki kwa "imlu export verify" kwenye seva.',
    valid: 'Halali: kifurushi hiki ni kama tulivyokitengeneza.',
    invalid: 'Si halali: kifurushi hiki kimebadilishwa, au hatukukitengeneza sisi.',
    unreadable: 'Faili hii si kifurushi, au imeharibika.',
    checkFiles: (ok, files) =>
      ok ? `Faili: zote ${files} zinalingana na manifest.` : 'Faili: faili moja hailingani na manifest, au moja haipo au imeongezwa.',
    checkSums: (ok) => (ok ? 'SHA256SUMS: kila checksum inalingana.' : 'SHA256SUMS: checksum moja hailingani.'),
    signature: {
      valid: 'Sahihi: imetengenezwa kwa ufunguo wetu.',
      invalid: 'Sahihi: hailingani (manifest au sahihi imebadilishwa).',
      'unknown-key': 'Sahihi: imetengenezwa kwa ufunguo usio wetu.',
      'not-signed': 'Sahihi: hakuna. Hakuna kinachothibitisha nani alitengeneza kifurushi hiki.',
    },
    retiredBefore: 'Ufunguo ulistaafishwa kabla kifurushi hiki hakijatengenezwa.',
    madeBy: (name, when, rows) => `Rekodi yetu: kilipakuliwa na ${name} tarehe ${when}, safu ${rows}.`,
    noRecord: 'Rekodi yetu: kumbukumbu za ukaguzi hazina upakuaji wa manifest hii.',
    claims: (campaign, format, rows, when) => `Manifest inasema: kampeni ${campaign}, ${format}, safu ${rows}, kilitengenezwa ${when}.`,
    technical: 'Maelezo ya kiufundi (kwa Kiingereza)',
    historyTitle: 'Nani alipakua nini, na lini',
    historyIntro: 'Kila upakuaji na kifurushi, kutoka dashibodi, API au mstari wa amri, vya karibuni kwanza. 20 kwa ukurasa.',
    when: 'Lini (saa za Nairobi)',
    who: 'Nani',
    what: 'Nini',
    rows: 'Safu',
    destinations: { http: 'upakuaji', 'http-pack': 'kifurushi', directory: 'folda kwenye seva' },
    withContacts: 'pamoja na mawasiliano',
    noExports: 'Bado hakuna upakuaji.',
    more: 'Upakuaji wa zamani zaidi',
    noAuditScope: 'Jukumu lako haliwezi kusoma kumbukumbu za ukaguzi, kwa hivyo historia haionyeshwi.',
  },
};
