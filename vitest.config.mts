import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The Temporal native bridge needs real processes, not worker threads.
    pool: 'forks',
    // One Temporal dev server and one moto serve the whole run; files take turns so each one's workers
    // are the only ones polling the task queues while it runs.
    fileParallelism: false,
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/setup-env.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
