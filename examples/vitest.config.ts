import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One browser and one server per file; the files don't share ports but keep the machine calm.
    fileParallelism: false,
  },
});
