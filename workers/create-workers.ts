import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import os from 'node:os';
import { createEngineActivities } from '../activities/engine';
import { admitUpdate } from '../api/guard-messages';
import { updateGuard } from '../clients/guard-handle';
import { HEARTBEAT_PASSED_ON_EVERY_MS, heartbeatWhileRunning } from '../activities/liveness';
import { authConfigFromEnv } from '../auth/auth-config';
import { idraDataConverter } from '../codec/data-converter';
import { GUARD_TASK_QUEUE } from '../api/guard-messages';
import { liveResponseConfig } from '../config/live-config';
import { type TemporalTarget, temporalTarget } from '../config/temporal-connection';
import { RESPONSE_TASK_QUEUE } from '../model/task-queues';
import { PROVIDER_IDS, providerTaskQueue } from '../providers/catalog';
import { guardLimits, type WorkerConfig } from './config';
import { providerActivities } from './provider-workers';
import { workflowCode } from './workflow-code';

/** Workflow tasks a worker runs at once (the SDK's default); never more than it may cache. */
const CONCURRENT_WORKFLOW_TASKS = 40;

export interface IdraWorkers {
  workers: Worker[];
  /** Closes the connections; call after the workers have stopped. */
  close: () => Promise<void>;
}

/**
 * The workers one process runs: the response workflows (`responses`) and the blast-radius guard (`guard`),
 * each with the engine's activities (playbooks, inventory, guard; no provider credentials), and/or each
 * provider's actions (the only place its credentials are used). Playbooks and inventory are loaded first:
 * an invalid set stops the worker before it polls anything; later they are re-read at each plan.
 */
export async function createWorkers(
  config: WorkerConfig,
  target: TemporalTarget = temporalTarget(),
): Promise<IdraWorkers> {
  const engineQueues = [
    ...(config.IDRA_WORKER_ROLES.includes('responses') ? [RESPONSE_TASK_QUEUE] : []),
    ...(config.IDRA_WORKER_ROLES.includes('guard') ? [GUARD_TASK_QUEUE] : []),
  ];
  const locations = { playbooksDir: config.IDRA_PLAYBOOKS_DIR, inventoryFile: config.IDRA_INVENTORY_FILE };
  const responseConfig = liveResponseConfig(locations);
  const engineConfig = engineQueues.length
    ? {
        responseConfig,
        guardLimits: guardLimits(config),
        fallbackPerAccount: config.IDRA_GUARD_FALLBACK_PER_ACCOUNT,
        auth: authConfigFromEnv(),
      }
    : undefined;
  // Refuse to start on configuration that cannot be used, rather than block every response later.
  if (config.IDRA_WORKER_ROLES.includes('responses')) responseConfig();

  const connection = await NativeConnection.connect(target.connectionOptions);
  const clientConnection = engineConfig ? await Connection.connect(target.connectionOptions) : undefined;
  const close = async () => {
    await connection.close();
    await clientConnection?.close();
  };
  const dataConverter = idraDataConverter();
  const common: Pick<
    WorkerOptions,
    | 'connection'
    | 'namespace'
    | 'shutdownGraceTime'
    | 'dataConverter'
    | 'interceptors'
    | 'maxHeartbeatThrottleInterval'
    | 'stickyQueueScheduleToStartTimeout'
  > = {
    connection,
    namespace: target.namespace,
    shutdownGraceTime: '10s',
    dataConverter,
    interceptors: { activity: [heartbeatWhileRunning] },
    // Heartbeats reach the server at least this often (the SDK would wait up to 80% of the timeout).
    maxHeartbeatThrottleInterval: HEARTBEAT_PASSED_ON_EVERY_MS,
    // A workflow's next task goes to this worker first (its cache); if the worker died, the server gives it
    // to any worker after this long (the SDK's default, 10 s, was most of a killed worker's recovery time;
    // a live worker takes its tasks within milliseconds, even at 20 responses at once: docs/performance.md).
    stickyQueueScheduleToStartTimeout: '500ms',
  };
  try {
    const workers: Promise<Worker>[] = [];
    if (engineConfig && clientConnection) {
      const client = new Client({ connection: clientConnection, namespace: target.namespace, dataConverter });
      const activities = createEngineActivities(engineConfig, client, (requests) =>
        updateGuard(client, admitUpdate, { requests }),
      );
      const code = await workflowCode(config.IDRA_WORKFLOW_BUNDLE);
      const cache = {
        maxCachedWorkflows: config.IDRA_WORKER_CACHED_WORKFLOWS,
        maxConcurrentWorkflowTaskExecutions: Math.min(config.IDRA_WORKER_CACHED_WORKFLOWS, CONCURRENT_WORKFLOW_TASKS),
      };
      for (const taskQueue of engineQueues)
        workers.push(Worker.create({ ...common, taskQueue, activities, ...code, ...cache }));
    }
    for (const provider of PROVIDER_IDS.filter((id) => config.IDRA_WORKER_ROLES.includes(id))) {
      const taskQueue = providerTaskQueue(provider);
      const activities = await providerActivities(provider, `${taskQueue}@${os.hostname()}`);
      workers.push(Worker.create({ ...common, taskQueue, activities }));
    }
    return { workers: await Promise.all(workers), close };
  } catch (error) {
    await close();
    throw error;
  }
}
