import { VERSION } from './version.ts';

type VersionedElement = CustomElementConstructor & { readonly version?: string };

const warned = new Set<string>();

/**
 * Registers `tag` unless it is already registered. A partner page may load embed.js twice, or an npm
 * build and the CDN script side by side: that must not throw. When the tag belongs to another version of
 * the widget, the first one wins and we say so once.
 */
export function define(tag: string, element: VersionedElement): void {
  const existing = customElements.get(tag) as VersionedElement | undefined;
  if (!existing) {
    customElements.define(tag, element);
    return;
  }
  if (existing !== element && existing.version !== VERSION && !warned.has(tag)) {
    warned.add(tag);
    console.warn(
      `<${tag}> is already defined (version ${existing.version ?? 'unknown'}); this copy (${VERSION}) is not used.`,
    );
  }
}
