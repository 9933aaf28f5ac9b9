/** Imported by the loader (../embed.ts) only: it is part of embed.js. */
/**
 * The element's language as the element resolves it (`resolveLocale` in ../i18n/locale.ts, which the loader
 * does not import, so that embed.js does not share a chunk with the elements: src/loader/locale-of.test.ts
 * compares the two): its own `lang`, else the closest
 * ancestor's that is English or Kiswahili (across shadow roots), else the browser's preferred languages.
 */
export function localeOf(element: Element): 'en' | 'sw' {
  const speaks = /^(en|sw)/i;
  for (let node: Element | null | undefined = element; node; node = node.parentElement ?? (node.parentNode as ShadowRoot | null)?.host) {
    const tag = node.getAttribute('lang');
    if (tag && (node === element || speaks.test(tag))) return /^\s*sw/i.test(tag) ? 'sw' : 'en';
  }
  return /^sw/i.test(navigator.languages.find((tag) => speaks.test(tag)) ?? '') ? 'sw' : 'en';
}

