import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import os from 'node:os';
import { createEngineActivities } from '../activities/engine';
import { authConfigFromEnv } from '../auth/auth-config';
import { idraDataConverter } from '../codec/data-converter';
import { loadInventory } from '../config/load-inventory';
import { loadPlaybooks } from '../config/load-playbooks';
import { WORKFLOWS_DIR } from '../config/paths';
import { type TemporalTarget, temporalTarget } from '../config/temporal-connection';
import { RESPONSE_TASK_QUEUE } from '../model/task-queues';
import { PROVIDER_IDS, providerTaskQueue } from '../providers/catalog';
import { guardLimits, type WorkerConfig } from './config';
import { providerActivities } from './provider-workers';

export interface IdraWorkers {
  workers: Worker[];
  /** Closes the connections; call after the workers have stopped. */
  close: () => Promise<void>;
}

/**
 * The workers one process runs: the response workflows with the engine's activities (playbooks, inventory,
 * guard; no provider credentials) and/or each provider's actions (the only place its credentials are used).
 * Playbooks and inventory are loaded first: an invalid set stops the worker before it polls anything.
 */
export async function createWorkers(config: WorkerConfig, target: TemporalTarget = temporalTarget()): Promise<IdraWorkers> {
  const responses = config.IDRA_WORKER_ROLES.includes('responses');
  const engineConfig = responses
    ? { playbooks: loadPlaybooks(config.IDRA_PLAYBOOKS_DIR), inventory: loadInventory(config.IDRA_INVENTORY_FILE), guardLimits: guardLimits(config), auth: authConfigFromEnv() }
    : undefined;

  const connection = await NativeConnection.connect(target.connectionOptions);
  const clientConnection = engineConfig ? await Connection.connect(target.connectionOptions) : undefined;
  const close = async () => {
    await connection.close();
    await clientConnection?.close();
  };
  const dataConverter = idraDataConverter();
  const common: Pick<WorkerOptions, 'connection' | 'namespace' | 'shutdownGraceTime' | 'dataConverter'> = {
    connection,
    namespace: target.namespace,
    shutdownGraceTime: '10s',
    dataConverter,
  };
  try {
    const workers: Promise<Worker>[] = [];
    if (engineConfig && clientConnection) {
      workers.push(
        Worker.create({
          ...common,
          taskQueue: RESPONSE_TASK_QUEUE,
          activities: createEngineActivities(engineConfig, new Client({ connection: clientConnection, namespace: target.namespace, dataConverter })),
          ...(config.IDRA_WORKFLOW_BUNDLE ? { workflowBundle: { codePath: config.IDRA_WORKFLOW_BUNDLE } } : { workflowsPath: WORKFLOWS_DIR }),
        }),
      );
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
