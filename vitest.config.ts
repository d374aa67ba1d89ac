import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The end-to-end tests run dist/: rebuild it first when src/ is newer.
    globalSetup: ['test/helpers/fresh-build.ts'],
    testTimeout: 30_000,
    expect: { requireAssertions: true },
    // End-to-end tests spawn the built CLI; keep parallelism modest on 2-core CI machines.
    maxWorkers: 2,
  },
});
