import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { minifyTemplatesPlugin } from './build/minify-templates.ts';

/**
 * Builds dist/embed.js: one minified ES module with Lit inside, for a partner's single script tag.
 * The size budget (15 KB gzip) is checked by test/size.test.ts.
 */
export default defineConfig({
  plugins: [minifyTemplatesPlugin(/[\\/]widget[\\/]src[\\/].*\.ts$/)],
  build: {
    lib: {
      entry: fileURLToPath(new URL('src/embed.ts', import.meta.url)),
      formats: ['es'],
      fileName: () => 'embed.js',
    },
    outDir: fileURLToPath(new URL('dist', import.meta.url)),
    emptyOutDir: true,
    // Lib mode leaves ES output unminified unless asked (see TOOLCHAIN.md).
    rolldownOptions: { output: { minify: true } },
  },
});
