import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Tests use real libSQL files with synchronous=FULL; fsync on a busy 2-core CI box can be slow.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
