import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { compactMessageIdsPlugin } from './build/compact-message-ids.ts';
import { minifyTemplatesPlugin } from './build/minify-templates.ts';
import { sizeBudgetPlugin } from './build/size-budget.ts';

/** 15 KB gzip for every element and Lit: a signer on a slow, metered link pays for each byte. */
export const EMBED_BUDGET_BYTES = 15_360;

/**
 * Builds dist/embed.js: one minified ES module with Lit inside, for a partner's single script tag.
 * The build fails when embed.js is over its gzip budget (build/size-budget.ts).
 */
export default defineConfig({
  plugins: [
    minifyTemplatesPlugin(/[\\/]widget[\\/]src[\\/].*\.ts$/),
    compactMessageIdsPlugin(/[\\/]widget[\\/]src[\\/](i18n[\\/]messages|accountability[\\/]accountability\.messages)\.ts$/),
    sizeBudgetPlugin({ fileName: 'embed.js', maxGzipBytes: EMBED_BUDGET_BYTES }),
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
        minify: {
          compress: true,
          mangle: true,
          codegen: true,
          // Shorten the widget's own private member names. Only names that exist nowhere but inside the
          // widget: never an API field, event detail, DOM or Lit property (so not status, errors, county,
          // pending, data, host…). A new private member is simply left long until added here.
          mangleProps: {
            include:
              /^(generalError|signedStatus|commentLength|loadToken|retryTimer|retries|renderView|renderProgress|renderClosed|renderThanks|renderForm|readForm|onSubmit|showErrors|showGeneralError|moveFocus|copyLink|emitError|errorIds|described|internals|unobserve|unsubscribe|lastFetch|inflight|listeners|latest|sync|schedule|publish|offer|refresh|subscribe|subject|i18n|feed|view)$/,
          },
        },
        comments: { annotation: false },
      },
      // We use only @lit/localize's `str` tag (see src/i18n/index.ts); the package declares no
      // `sideEffects`, so without this its unused runtime's module-level setup would ship too.
      treeshake: { moduleSideEffects: (id: string) => !/[\\/]@lit[\\/]localize[\\/]/.test(id) },
    },
  },
});
