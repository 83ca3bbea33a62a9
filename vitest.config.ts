import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Engine tests start worker pools and a generator thread: on a 2-core machine,
    // running test files in parallel would only make them compete for the same cores.
    fileParallelism: false,
  },
});
