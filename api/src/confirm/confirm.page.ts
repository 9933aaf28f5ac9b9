/**
 * The confirmation page behind the link in a confirmation e-mail or SMS, in English and Kiswahili, in the
 * hosted page's plain, script-free shell. It shows the holder of the link exactly what they would confirm
 * — the name, the county and each choice, as submitted — and a button; only that button's POST confirms.
 * A mail scanner or link preview that fetches the link changes nothing.
 */
import { countyByCode, type Locale } from '@imlu/contracts';
import { esc, page } from '../hosted/render.ts';
import { HOSTED_STRINGS } from '../hosted/strings.ts';
import type { SignatureVersion } from './state.ts';

export type PageOutcome = 'confirmed' | 'held' | 'already' | 'superseded' | 'invalid' | 'expired' | 'closed';

interface ConfirmStrings {
  heading: string;
  intro: (title: string) => string;
  nameLabel: string;
  countyLabel: string;
  noCounty: string;
  yes: string;
  no: string;
  notYours: string;
  button: string;
  /** Link to the manage-my-signature page (`/me`). */
  manage: string;
  outcomes: Record<PageOutcome, { title: string; text: string }>;
}

const STRINGS: Record<Locale, ConfirmStrings> = {
  en: {
    heading: 'Confirm your signature',
    intro: (title) => `You are about to confirm this signature on "${title}":`,
    nameLabel: 'Name',
    countyLabel: 'County',
    noCounty: 'Not given',
    yes: 'Yes',
    no: 'No',
    notYours:
      'If these are not the details you gave, do not confirm: nothing counts until you do. To sign with your own details, sign the petition again.',
    button: 'Confirm my signature',
    manage: 'See, withdraw or erase your signature',
    outcomes: {
      confirmed: { title: 'Thank you: your signature is confirmed', text: 'Your signature on "{title}" now counts.' },
      held: {
        title: 'Thank you: your confirmation is recorded',
        text:
          'This phone number has already confirmed as many signatures as one phone may. Your signature on "{title}" is kept, ' +
          'and a campaigner will review it.',
      },
      already: { title: 'Your signature is already confirmed', text: 'Your signature on "{title}" counts. There is nothing more to do.' },
      superseded: {
        title: 'These details were replaced',
        text:
          'A later signature with the same phone number or e-mail address replaced these details, so this link confirms nothing. ' +
          'Use the newest message you received, or sign again.',
      },
      invalid: { title: 'This link is not valid', text: 'Check that you opened the whole link from the message.' },
      expired: { title: 'This link has expired', text: 'Sign the petition again to receive a new link.' },
      closed: { title: 'This campaign has closed', text: '"{title}" no longer accepts signatures.' },
    },
  },
  sw: {
    heading: 'Thibitisha sahihi yako',
    intro: (title) => `Unakaribia kuthibitisha sahihi hii kwenye "${title}":`,
    nameLabel: 'Jina',
    countyLabel: 'Kaunti',
    noCounty: 'Haikutolewa',
    yes: 'Ndiyo',
    no: 'Hapana',
    notYours:
      'Kama hizi si taarifa ulizotoa, usithibitishe: hakuna kinachohesabiwa hadi uthibitishe. Ili kutia sahihi kwa taarifa zako mwenyewe, tia sahihi ombi tena.',
    button: 'Thibitisha sahihi yangu',
    manage: 'Ona, ondoa au futa sahihi yako',
    outcomes: {
      confirmed: { title: 'Asante: sahihi yako imethibitishwa', text: 'Sahihi yako kwenye "{title}" sasa inahesabiwa.' },
      held: {
        title: 'Asante: uthibitisho wako umehifadhiwa',
        text:
          'Nambari hii ya simu imekwisha thibitisha sahihi nyingi kadiri simu moja inavyoruhusiwa. Sahihi yako kwenye "{title}" ' +
          'imehifadhiwa, na mwanakampeni ataikagua.',
      },
      already: { title: 'Sahihi yako ilikwisha thibitishwa', text: 'Sahihi yako kwenye "{title}" inahesabiwa. Hakuna zaidi la kufanya.' },
      superseded: {
        title: 'Taarifa hizi zimebadilishwa',
        text:
          'Sahihi ya baadaye yenye nambari hiyo ya simu au anwani hiyo ya barua pepe imebadilisha taarifa hizi, kwa hiyo kiungo hiki ' +
          'hakithibitishi chochote. Tumia ujumbe mpya zaidi uliopokea, au tia sahihi tena.',
      },
      invalid: { title: 'Kiungo hiki si sahihi', text: 'Hakikisha umefungua kiungo chote kutoka kwenye ujumbe.' },
      expired: { title: 'Muda wa kiungo hiki umekwisha', text: 'Tia sahihi ombi tena ili upate kiungo kipya.' },
      closed: { title: 'Kampeni hii imefungwa', text: '"{title}" haipokei sahihi tena.' },
    },
  },
};

/** The form: what would be confirmed, and the one button that confirms it. */
export function renderConfirmForm(version: SignatureVersion, locale: Locale, action: string): string {
  const t = STRINGS[locale];
  const h = HOSTED_STRINGS[locale];
  const details = version.details();
  const county = details.county ? (countyByCode(details.county)?.name[locale] ?? details.county) : t.noCounty;
  const row = (label: string, value: string) => `<dt>${esc(label)}</dt><dd>${esc(value)}</dd>`;
  const choice = (value: boolean) => (value ? t.yes : t.no);
  return page(
    locale,
    t.heading,
    `<h1>${esc(t.heading)}</h1><p>${esc(t.intro(version.title[locale]))}</p>` +
      '<dl>' +
      row(t.nameLabel, details.name) +
      row(t.countyLabel, county) +
      row(h.consentPublicName, choice(details.publicName)) +
      row(h.consentShareWithTargets, choice(details.shareWithTargets)) +
      row(h.consentUpdates, choice(details.updates)) +
      '</dl>' +
      `<p>${esc(t.notYours)}</p>` +
      `<form method="post" action="${esc(action)}"><input type="hidden" name="lang" value="${locale}">` +
      `<button type="submit">${esc(t.button)}</button></form>`,
    '?',
    'no-referrer',
  );
}

/**
 * An outcome page. `manageUrl`: the private manage link (`/me/<token>`) where the holder of the confirmation
 * link proved the contact (a confirmed signature); otherwise the page that asks for the proof (`/me`).
 */
export function renderOutcome(outcome: PageOutcome, locale: Locale, title?: { en: string; sw: string }, manageUrl?: string): string {
  const copy = STRINGS[locale].outcomes[outcome];
  const text = copy.text.replace('{title}', title ? title[locale] : '');
  const manage = `<p><a href="${esc(manageUrl ?? `/me?lang=${locale}`)}">${esc(STRINGS[locale].manage)}</a></p>`;
  return page(locale, copy.title, `<h1>${esc(copy.title)}</h1><p>${esc(text)}</p>${manage}`, '?', 'no-referrer');
}
