import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration and differential tests each start their own servers on port 0,
    // so files can run in parallel; two workers match the 2-core CI machines.
    maxWorkers: 2,
    // Vitest's usual output, then one plain 'N passed, N failed' line.
    reporters: ['default', './test/reporters/summary.ts'],
    // Every command in the table must be executed by some test (npm test turns the check on).
    globalSetup: ['./test/setup/command-coverage.ts'],
    setupFiles: ['./test/setup/command-log.ts'],
  },
});
