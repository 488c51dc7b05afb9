import { WORKERS_READY_LINE } from '../infra/worker-process';
import { workerConfigFromEnv } from './config';
import { connectWorkers, createWorkers } from './create-workers';

/** Runs idra's workers until SIGINT/SIGTERM (the SDK's default shutdown signals), then drains them. */
async function main(): Promise<void> {
  const config = workerConfigFromEnv();
  const connection = await connectWorkers(config);
  try {
    const workers = await createWorkers(config, connection);
    console.log(`${WORKERS_READY_LINE} ${workers.map((worker) => worker.options.taskQueue).join(', ')} on ${config.TEMPORAL_ADDRESS}`);
    await Promise.all(workers.map((worker) => worker.run()));
  } finally {
    await connection.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
