import { workerConfigFromEnv } from './config';
import { createWorkers } from './create-workers';
import { WORKERS_READY_LINE } from './ready-line';

/** Runs idra's workers until SIGINT/SIGTERM (the SDK's default shutdown signals), then drains them. */
async function main(): Promise<void> {
  const { workers, close } = await createWorkers(workerConfigFromEnv());
  try {
    console.log(
      `${WORKERS_READY_LINE} ${workers.map((worker) => worker.options.taskQueue).join(', ')} on Node.js ${process.version}`,
    );
    await Promise.all(workers.map((worker) => worker.run()));
  } finally {
    await close();
  }
}

main().catch((error: unknown) => {
  console.error(`idra worker: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
