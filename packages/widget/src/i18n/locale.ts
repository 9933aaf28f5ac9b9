import { localeFromTag, type Locale } from './index.ts';

/**
 * The element's language: its own `lang`, else the closest ancestor's (crossing shadow roots, so that
 * the widget follows a partner component that wraps it), else `<html lang>`, else English.
 */
export function resolveLocale(element: Element): Locale {
  let node: Element | null = element;
  while (node) {
    // lang="" means "unknown" in HTML; we look past it rather than default to English there.
    const holder: Element | null = node.closest('[lang]:not([lang=""])');
    if (holder) return localeFromTag(holder.getAttribute('lang'));
    const root = node.getRootNode();
    node = root instanceof ShadowRoot ? root.host : null;
  }
  return 'en';
}

type LangListener = () => void;
const listeners = new Set<LangListener>();
let observer: MutationObserver | undefined;

/**
 * Calls `listener` whenever a `lang` attribute changes anywhere in the document (the partner's language
 * switch usually sets `<html lang>`). One observer serves every element on the page and is disconnected
 * when the last one unsubscribes. Returns the unsubscribe function.
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
