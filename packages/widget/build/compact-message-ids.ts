/**
 * A Vite plugin for `src/i18n/messages.ts`: turns each `msg(…, { id: 'loading' })` options object into
 * the bare id string `'loading'`, which `msgFor()` also accepts. The object form is what
 * `lit-localize extract` requires; shipping it costs ~60 bytes gzip of repeated `{id:…}` in the budget.
 */
import type { Plugin } from 'vite';

const ID_OPTIONS = /\{\s*id:\s*('[\w-]+'),?\s*\}/g;

export function compactMessageIds(source: string): string {
  return source.replace(ID_OPTIONS, '$1');
}

export function compactMessageIdsPlugin(include: RegExp): Plugin {
  return {
    name: 'imlu:compact-message-ids',
    apply: 'build',
    enforce: 'pre',
    transform(code, id) {
      return include.test(id) ? { code: compactMessageIds(code), map: null } : undefined;
    },
  };
}
