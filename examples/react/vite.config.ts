import { defineConfig } from 'vite';

// Built into dist/, which the demo server serves at /react/ (api/src/demo/partner-site.ts).
export default defineConfig({
  root: import.meta.dirname,
  base: '/react/',
  build: { outDir: 'dist', emptyOutDir: true },
});
