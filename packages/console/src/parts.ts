/**
 * Pieces several views share: a value shown once (a new token, a secret, a link that holds a secret) with a
 * Copy button, and a question that waits for a "yes" before a change happens.
 */
import { css, html } from 'lit';
import type { Locale } from './strings.ts';

export const PARTS_STRINGS: Record<Locale, { copy: string; copied: string; copyFailed: string; kept: string; cancel: string; fixThese: string }> = {
  en: {
    copy: 'Copy',
    copied: 'Copied.',
    copyFailed: 'Could not copy: the text is selected, copy it with your keyboard.',
    kept: 'I have kept it',
    cancel: 'Cancel',
    fixThese: 'Please correct:',
  },
  sw: {
    copy: 'Nakili',
    copied: 'Imenakiliwa.',
    copyFailed: 'Imeshindwa kunakili: maandishi yamechaguliwa, yanakili kwa kibodi yako.',
    kept: 'Nimeihifadhi',
    cancel: 'Ghairi',
    fixThese: 'Tafadhali sahihisha:',
  },
};

export const partsStyles = css`
  .once,
  .confirm {
    border: 2px solid #0b4f33;
    border-radius: 4px;
    padding: 0.75rem;
    margin: 1rem 0;
  }
  .once input {
    font-family: ui-monospace, monospace;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }
  .field-error {
    color: #a4000f;
    font-weight: 600;
    margin: 0 0 0.5rem;
  }
`;

/** A value shown once: the page forgets it at "I have kept it". `id` names its input (for `copyInput`). */
export function shownOnce(
  locale: Locale,
  part: { id: string; label: string; value: string; hint: string; onCopy: () => void; onKept: () => void },
) {
  const t = PARTS_STRINGS[locale];
  return html`<div class="once">
    <label for=${part.id}>${part.label}</label>
    <input id=${part.id} readonly .value=${part.value} aria-describedby="${part.id}-hint" />
    <p class="hint" id="${part.id}-hint">${part.hint}</p>
    <div class="row">
      <button class="primary" type="button" @click=${part.onCopy}>${t.copy}</button>
      <button class="secondary" type="button" @click=${part.onKept}>${t.kept}</button>
    </div>
  </div>`;
}

/** A question with "yes" and "Cancel"; focus it after it renders (`#confirm-question`). */
export function confirmBox(locale: Locale, part: { question: string; yes: string; busy: boolean; onYes: () => void; onCancel: () => void }) {
  return html`<div class="confirm" role="group" aria-labelledby="confirm-question">
    <p id="confirm-question" tabindex="-1"><strong>${part.question}</strong></p>
    <div class="row">
      <button class="primary" type="button" ?disabled=${part.busy} @click=${part.onYes}>${part.yes}</button>
      <button class="secondary" type="button" @click=${part.onCancel}>${PARTS_STRINGS[locale].cancel}</button>
    </div>
  </div>`;
}

/** Copies an input's value; without a clipboard (permissions, an older browser) selects it instead. The message to announce. */
export async function copyInput(input: HTMLInputElement | null, locale: Locale): Promise<string> {
  const t = PARTS_STRINGS[locale];
  if (!input) return t.copyFailed;
  try {
    await navigator.clipboard.writeText(input.value);
    return t.copied;
  } catch {
    input.focus();
    input.select();
    return t.copyFailed;
  }
}
