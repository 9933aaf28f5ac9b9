/**
 * A Vite plugin for the messages files (`src/i18n/messages.ts` and the others, see vite.config.ts): turns
 * each `msg(…, { id: 'loading' })` options object into a bare id string, which `msgFor()` also accepts.
 * The object form is what `lit-localize extract` requires; shipping it costs ~60 bytes gzip of repeated
 * `{id:…}` in the budget.
 *
 * Given `rename` (from `shortMessageIds()`), the bare id is also shortened (`'consentShareWithTargets'` →
 * `'_f'`), and build/split-translations.ts renames the compiled Kiswahili templates' keys with the same
 * map, so each message still finds its translation. The ids stay as written in the source, the XLIFF and
 * the generated templates; only the bundle carries the short ones (~140 B gzip of embed.js).
 */
import type { Plugin } from 'vite';
import { messageIds } from './split-translations.ts';

const ID_OPTIONS = /\{\s*id:\s*'([\w-]+)',?\s*\}/g;

/**
 * One short id per message id of `sources` (the messages files' text): numbered in base 36 behind an
 * underscore (`_0` … `_2t`), file by file in the order given and sorted within each file. The first file is
 * the one every page loads (src/i18n/messages.ts): its ids stay the same, and as short as they can be,
 * whatever a lazy chunk's messages file adds. Every plugin that reads the same files computes the same map.
 */
export function shortMessageIds(sources: readonly string[]): Map<string, string> {
  const ids = [...new Set(sources.flatMap((source) => [...messageIds(source)].sort()))];
  return new Map(ids.map((id, index) => [id, `_${index.toString(36)}`]));
}

export function compactMessageIds(source: string, rename?: ReadonlyMap<string, string>): string {
  return source.replace(ID_OPTIONS, (_options, id: string) => `'${rename?.get(id) ?? id}'`);
}

export function compactMessageIdsPlugin(include: RegExp, rename?: ReadonlyMap<string, string>): Plugin {
  return {
    name: 'imlu:compact-message-ids',
    apply: 'build',
    enforce: 'pre',
    transform(code, id) {
      return include.test(id) ? { code: compactMessageIds(code, rename), map: null } : undefined;
    },
  };
}
