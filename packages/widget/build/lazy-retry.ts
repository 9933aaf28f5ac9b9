/**
 * A Vite plugin that lets an element ask again for a lazy chunk whose download failed (the petition's
 * signing and pledge chunks, the board's history), on every browser.
 *
 * The petition fetches its signing chunk on the signer's first touch of the form, and again when they press
 * the button if that failed: on a flaky 2G link it often does. But a browser's module map has long kept a
 * failed `import()` as failed for the whole page: Firefox and Safari still do, and so did Chromium until
 * whatwg/html#10327 (our e2e test of the retry failed on Chromium 150, passes on 156). There the signer could
 * never sign without reloading the page and typing everything again.
 *
 * So in each element chunk, `import("./<lazy chunk>.js")` becomes a call that, after a failed attempt, asks
 * for the same file at a new URL (`?retry=1`, `?retry=2`…): a module the browser has not tried yet. The
 * first attempt keeps the plain URL (and the HTTP cache). A lazy chunk imports nothing itself (the element
 * hands it what it shares, see src/petition/kit.ts), so a second URL of it can only be loaded after the
 * first failed, never beside it. The loader's own imports of the element chunks (embed.js) are left alone:
 * those import the common chunk statically, which a new URL of theirs would not ask for again.
 */
import type { Plugin } from 'vite';

/** The helper each chunk with a lazy import gets: the plain URL first, a new one after each failure. */
// Short names (the minifier has already run): `__iF` counts each URL's failures, `__iI` imports.
export const RETRY_HELPER = 'const __iF={},__iI=u=>import(__iF[u]?u+"?retry="+__iF[u]:u).catch(e=>{__iF[u]=-~__iF[u];throw e});';

/** `import("./x.js")` (any quotes): a chunk importing a sibling chunk (its name may still be a hash placeholder, `x-!~{006}~.js`). */
const SIBLING_IMPORT = /import\((["'`])(\.\/[\w.!~{}-]+\.js)\1\)/g;

/**
 * `code` with its imports of chunks that import nothing (`isLeaf`) made retryable, and the helper added
 * once; unchanged if it has none.
 */
export function makeLazyImportsRetryable(code: string, isLeaf: (specifier: string) => boolean): string {
  let found = false;
  const rewritten = code.replace(SIBLING_IMPORT, (call, _quote: string, specifier: string) => {
    if (!isLeaf(specifier)) return call;
    found = true;
    return `__iI(${JSON.stringify(specifier)})`;
  });
  return found ? `${RETRY_HELPER}${rewritten}` : code;
}

export function lazyRetryPlugin(entry = 'embed.js'): Plugin {
  return {
    name: 'imlu:lazy-retry',
    apply: 'build',
    // Before the chunks' hashes are taken (names still hold placeholders), so that a chunk's name changes
    // with what this adds to it, as immutable caching needs.
    renderChunk(code, chunk, _options, meta) {
      if (chunk.fileName === entry) return null;
      const dir = chunk.fileName.includes('/') ? chunk.fileName.slice(0, chunk.fileName.lastIndexOf('/') + 1) : '';
      const isLeaf = (specifier: string) => meta.chunks[dir + specifier.slice(2)]?.imports.length === 0;
      const rewritten = makeLazyImportsRetryable(code, isLeaf);
      return rewritten === code ? null : { code: rewritten, map: null };
    },
  };
}
