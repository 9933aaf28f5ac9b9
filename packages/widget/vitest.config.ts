import { defineConfig } from 'vitest/config';

// Node-side tests only (bundle size, catalog and contract checks). The component tests in src/ run in
// Chromium under @web/test-runner; see web-test-runner.config.mjs.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
