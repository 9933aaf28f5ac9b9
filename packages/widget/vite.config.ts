import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { compactMessageIdsPlugin, shortMessageIds } from './build/compact-message-ids.ts';
import { minifyTemplatesPlugin } from './build/minify-templates.ts';
import { sizeBudgetPlugin } from './build/size-budget.ts';
import { splitTranslationsPlugin, TEMPLATE_IMPORTERS } from './build/split-translations.ts';

/**
 * 15 KB gzip for embed.js: every element, Lit, and everything a signer needs before touching the form.
 * A signer on a slow, metered link pays for each byte before the petition appears.
 */
export const EMBED_BUDGET_BYTES = 15_360;
/** Each lazily loaded chunk (dist/chunks/*.js), fetched on the signer's first touch of the form. */
export const CHUNK_BUDGET_BYTES = 8_192;

/**
 * Builds dist/embed.js, one minified ES module with Lit inside for a partner's single script tag, and
 * dist/chunks/*.js, the code embed.js imports only once the signer touches the form (signing, ALTCHA,
 * SMS code, thanks). Chunks import embed.js back by relative URL (`../embed.js`), so they must sit next to
 * it, under chunks/. The build fails when embed.js or a chunk is over its gzip budget (build/size-budget.ts).
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
    compactMessageIdsPlugin(/[\\/]widget[\\/]src[\\/](i18n[\\/](signing-)?messages|accountability[\\/](accountability|history)\.messages)\.ts$/, shortIds),
    splitTranslationsPlugin(fileURLToPath(new URL('src/i18n', import.meta.url)), shortIds),
    sizeBudgetPlugin({ fileName: 'embed.js', maxGzipBytes: EMBED_BUDGET_BYTES }, { fileName: /^chunks\//, maxGzipBytes: CHUNK_BUDGET_BYTES }),
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
        comments: { annotation: false },
      },
      // We use only @lit/localize's `str` tag (see src/i18n/index.ts); the package declares no
      // `sideEffects`, so without this its unused runtime's module-level setup would ship too.
      treeshake: { moduleSideEffects: (id: string) => !/[\\/]@lit[\\/]localize[\\/]/.test(id) },
    },
  },
});
