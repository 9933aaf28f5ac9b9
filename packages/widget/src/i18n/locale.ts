import { localeFromTag, type Locale } from './index.ts';

/**
 * The element's language: its own `lang` (any value: set on the element, it is the partner's choice),
 * else the closest ancestor's `lang` that names a language we speak, `en*` or `sw*` (crossing shadow
 * roots, so that the widget follows a partner component that wraps it; `<html lang>` is the last one),
 * else the first of the browser's preferred languages that we speak, else English. So a page in French
 * (`<html lang="fr">`), or one that says nothing, shows Kiswahili to a browser that prefers it, as the
 * hosted page does with Accept-Language. `lang=""` means "unknown" in HTML and is looked past.
 */
export function resolveLocale(element: Element): Locale {
  for (let node: Element | null | undefined = element; node; node = node.parentElement ?? (node.parentNode as ShadowRoot | null)?.host) {
    const tag = node.getAttribute('lang');
    if (tag && (node === element || /^(en|sw)/i.test(tag))) return localeFromTag(tag);
  }
  return localeFromTag(navigator.languages.find((tag) => /^(en|sw)/i.test(tag)));
}
type LangListener = () => void;
const listeners = new Set<LangListener>();
let observer: MutationObserver | undefined;

/**
 * Calls `listener` whenever a `lang` attribute changes anywhere in the document (the partner's language
 * switch usually sets `<html lang>`). One observer serves every element on the page and is disconnected when the last one
 * unsubscribes. Returns the unsubscribe function.
 */
export function observeLang(listener: LangListener): () => void {
  listeners.add(listener);
  if (!observer) {
    observer = new MutationObserver(() => listeners.forEach((notify) => notify()));
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'], subtree: true });
  }
  return () => {
    listeners.delete(listener);
    if (!listeners.size) {
      observer?.disconnect();
      observer = undefined;
    }
  };
}

