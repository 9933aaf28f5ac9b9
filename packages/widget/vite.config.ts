import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { compactMessageIdsPlugin, shortMessageIds } from './build/compact-message-ids.ts';
import { minifyTemplatesPlugin } from './build/minify-templates.ts';
import { elementPreloadPlugin } from './build/element-preload.ts';
import { lazyRetryPlugin } from './build/lazy-retry.ts';
import { precompressPlugin } from './build/precompress.ts';
import { firstInteractionBudgetPlugin, sizeBudgetPlugin } from './build/size-budget.ts';
import { splitTranslationsPlugin, TEMPLATE_IMPORTERS } from './build/split-translations.ts';

/**
 * Script a page with one `<imlu-petition>` loads before the first interaction, gzip. Issue 14 asks for at most
 * 12 KB. Since the petition's first paint comes from the API as HTML (src/server/first-paint.ts, put in place
 * by the loader), that is the loader alone: `LOADER_BUDGET_BYTES`, well within the target.
 */
export const FIRST_INTERACTION_TARGET_BYTES = 12_288;
/** embed.js, the loader a partner's script tag names. */
export const LOADER_BUDGET_BYTES = 1_536;
/**
 * The petition's code, gzip: the loader, the petition's chunk and the common chunk it imports (Lit, both
 * languages' strings, styles, the API client). A painted petition loads it on the first touch of its form,
 * as the signing chunk; a petition without a paint (a campaign not open, a pledge with actions, a paint that
 * failed) at once. It was the script before the first interaction until the first paint (budget 14,896 B);
 * taking the paint over (keeping what the signer typed and the focus; a pledge's too) added ~700 B to the petition's chunk, and
 * painting (the request, the styles, watching for a change of language or campaign) ~690 B to the loader.
 */
export const PETITION_CODE_BUDGET_BYTES = 16_384;
/** Each chunk loaded on the first interaction (the petition's signing, the board's history). */
export const CHUNK_BUDGET_BYTES = 8_192;

/**
 * Builds dist/embed.js, the loader a partner's single script tag names (src/embed.ts), and dist/chunks/*.js:
 * one chunk per element, the common chunks they share (Lit, the translations), and what an element
 * imports only once the signer touches it (signing, ALTCHA, SMS code, thanks; the board's history). Every
 * file gets its .br and .gz beside it (build/precompress.ts). The build fails when the loader, the petition's
 * code or a chunk of the first interaction is over its budget (build/size-budget.ts).
 */
/** The bundle's short message ids, one map for every messages file (build/compact-message-ids.ts). */
const shortIds = shortMessageIds(
  Object.values(TEMPLATE_IMPORTERS).map((file) => readFileSync(fileURLToPath(new URL(`src/${file}`, import.meta.url)), 'utf8')),
);

export default defineConfig({
  // What ships must not depend on the NODE_ENV of whoever builds it. Vite's default conditions end in
  // `development|production`, chosen by process.env.NODE_ENV, so `NODE_ENV=development pnpm start` (or
  // vitest's NODE_ENV=test) resolved Lit's development build (dev-mode warnings, ~3.7 KB gzip more) and
  // failed the budget. embed.js is always the production build.
  resolve: { conditions: ['module', 'browser', 'production'] },
  plugins: [
    minifyTemplatesPlugin(/[\\/]widget[\\/]src[\\/].*\.ts$/),
    compactMessageIdsPlugin(/[\\/]widget[\\/]src[\\/](i18n[\\/](signing-)?messages|accountability[\\/](accountability|history)\.messages|petition[\\/]pledge\.messages|counter[\\/]counter\.messages)\.ts$/, shortIds),
    splitTranslationsPlugin(fileURLToPath(new URL('src/i18n', import.meta.url)), shortIds),
    elementPreloadPlugin('embed.js'),
    lazyRetryPlugin('embed.js'),
    firstInteractionBudgetPlugin({ entry: 'embed.js', element: '/src/imlu-petition.ts', maxGzipBytes: PETITION_CODE_BUDGET_BYTES }),
    sizeBudgetPlugin({ fileName: 'embed.js', maxGzipBytes: LOADER_BUDGET_BYTES }, { fileName: /^chunks\/(signing|history)-/, maxGzipBytes: CHUNK_BUDGET_BYTES }),
    precompressPlugin(),
  ],
  build: {
    lib: {
      entry: fileURLToPath(new URL('src/embed.ts', import.meta.url)),
      formats: ['es'],
      fileName: () => 'embed.js',
    },
    outDir: fileURLToPath(new URL('dist', import.meta.url)),
    emptyOutDir: true,
    // Lib mode leaves ES output unminified unless asked (see TOOLCHAIN.md).
    // embed.js is a final bundle, so no later bundler will read its /* @__PURE__ */ annotations: ~75 B gzip.
    rolldownOptions: {
      output: {
        // No mangleProps: chunks share the petition's members across files, and a per-chunk renaming
        // would have to agree on every name. The split left room enough to keep names as written.
        minify: { compress: true, mangle: true, codegen: true },
        chunkFileNames: 'chunks/[name]-[hash].js',
        // Everything two elements share (Lit, the translations, styles, the API client) in one common
        // chunk: one request and one gzip stream rather than four small files, each with its own overhead.
        codeSplitting: { groups: [{ name: 'core', minShareCount: 2 }] },
        comments: { annotation: false },
      },
      // We use only @lit/localize's `str` tag (see src/i18n/index.ts); the package declares no
      // `sideEffects`, so without this its unused runtime's module-level setup would ship too.
      treeshake: { moduleSideEffects: (id: string) => !/[\\/]@lit[\\/]localize[\\/]/.test(id) },
    },
  },
});
