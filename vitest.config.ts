import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Service-backed suites use their own subjects/queues/schemas, so files may run in parallel.
    pool: 'forks',
    // The skip reporter comes last: the run ends with one line naming what was skipped and why.
    reporters: ['default', 'json', './test/helpers/skip-reporter.ts'],
    outputFile: { json: '.vitest-results.json' },
  },
});
