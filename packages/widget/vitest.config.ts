import { defineConfig } from 'vitest/config';

// Node-side tests only (bundle size, catalog and contract checks). The component tests in src/ run in
// Chromium under @web/test-runner; see web-test-runner.config.mjs.
export default defineConfig({
  test: {
    // Scan test/ only (the orchestrator also passes --dir test); src/**/*.test.ts belong to the browser.
    dir: 'test',
    include: ['**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
