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

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The fleet's tests run on a cluster of their own, in a vitest process of their own (vitest.fleet.config.mts).
    exclude: [...configDefaults.exclude, 'test/fleet/**'],
    // The Temporal native bridge needs real processes, not worker threads.
    pool: 'forks',
    // One Temporal dev server and one moto serve the whole run; files take turns so each one's workers
    // are the only ones polling the task queues while it runs.
    fileParallelism: false,
    sequence: { sequencer: SecretScanLast },
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/setup-env.ts'],
    // Every wait in a test carries its own limit and names what it waited for; a test's own limit is only
    // a backstop above the sum of its waits (the longest: two waits of 120 s), so a slow, busy machine fails
    // at a wait that says why, never at a bare timeout.
    testTimeout: 300_000,
    hookTimeout: 180_000,
  },
});
