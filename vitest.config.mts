import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { configDefaults, defineConfig } from 'vitest/config';

/** The secret scan reads what every other file produced, so it runs last. */
class SecretScanLast extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isScan = (file: TestSpecification) => file.moduleId.endsWith('secret-scan.test.ts');
    return [...sorted.filter((file) => !isScan(file)), ...sorted.filter(isScan)];
  }
}

const FLEET_TESTS = 'test/fleet/**/*.test.ts';

export default defineConfig({
  test: {
    // The Temporal native bridge needs real processes, not worker threads.
    pool: 'forks',
    // Every wait in a test carries its own limit and names what it waited for; a test's own limit is only
    // a backstop above the sum of its waits (the longest: two waits of 120 s), so a slow, busy machine fails
    // at a wait that says why, never at a bare timeout.
    testTimeout: 300_000,
    hookTimeout: 180_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'suite',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, FLEET_TESTS],
          // One Temporal dev server and one moto serve the whole suite; files take turns so each one's
          // workers are the only ones polling the task queues while it runs.
          fileParallelism: false,
          sequence: { sequencer: SecretScanLast },
          globalSetup: ['test/support/global-setup.ts'],
          setupFiles: ['test/support/setup-env.ts'],
        },
      },
      {
        extends: true,
        // A Temporal cluster on PostgreSQL and worker processes of its own, beside the suite's dev server
        // (`npm test` runs the two projects in two vitest processes at once: scripts/test.ts).
        test: {
          name: 'fleet',
          include: [FLEET_TESTS],
          fileParallelism: false,
          globalSetup: ['test/fleet/global-setup.ts'],
          setupFiles: ['test/fleet/setup-env.ts'],
        },
      },
    ],
  },
});
