import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * Builds dist/console.js, the one script of the console page (the API serves it at /console/app.js). One
 * file, no chunks: the page's CSP allows scripts from this origin only, and the console is small.
 */
export default defineConfig({
  // Lit's production build, whatever NODE_ENV the builder has (as the widget's build).
  resolve: { conditions: ['module', 'browser', 'production'] },
  build: {
    lib: {
      entry: fileURLToPath(new URL('src/console.ts', import.meta.url)),
      formats: ['es'],
      fileName: () => 'console.js',
    },
    outDir: fileURLToPath(new URL('dist', import.meta.url)),
    emptyOutDir: true,
    rolldownOptions: { output: { minify: true } },
  },
});
