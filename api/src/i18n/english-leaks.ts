/**
 * For tests of pages in Kiswahili: which English copy of the catalog shows in a text. It looks for every
 * English message (or the part of one between parameters) that differs from its Kiswahili and is long
 * enough to mean something — three words or more — so "SMS", names and numbers never count as leaks.
 */
import { CATALOGS, type Message, type MessageId } from './index.ts';

const texts = (entry: Message) => (typeof entry === 'string' ? [entry] : [entry.one, entry.other]);

function fragments(): string[] {
  const found = new Set<string>();
  for (const id of Object.keys(CATALOGS.en) as MessageId[]) {
    const swahili = new Set(texts(CATALOGS.sw[id]));
    for (const text of texts(CATALOGS.en[id])) {
      if (swahili.has(text)) continue;
      for (const part of text.split(/\{\w+\}/)) {
        const fragment = part.trim().replace(/^[\s"“.,:;()]+|[\s"”.,:;()]+$/g, '');
        if (fragment.split(/\s+/).length >= 3) found.add(fragment);
      }
    }
  }
  return [...found];
}

/** The English fragments of the catalog that appear in `visibleText` (whitespace-normalised). */
export function englishLeaks(visibleText: string): string[] {
  const text = visibleText.replace(/\s+/g, ' ');
  return fragments().filter((fragment) => text.includes(fragment));
}
