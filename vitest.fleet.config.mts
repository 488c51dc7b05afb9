import { defineConfig } from 'vitest/config';

/**
 * The fleet's tests: a Temporal cluster on PostgreSQL, their own moto and worker processes, nothing shared with
 * the suite (vitest.config.mts). `npm test` runs the two in two vitest processes at once (scripts/test.ts).
 */
export default defineConfig({
  test: {
    include: ['test/fleet/**/*.test.ts'],
    // The Temporal native bridge needs real processes, not worker threads.
    pool: 'forks',
    fileParallelism: false,
    globalSetup: ['test/fleet/global-setup.ts'],
    setupFiles: ['test/fleet/setup-env.ts'],
    // Each wait carries its own limit and names what it waited for; these are backstops above their sums.
    testTimeout: 600_000,
    hookTimeout: 300_000,
  },
});
