import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import os from 'node:os';
import { awsActions } from '../activities/aws';
import { createAwsContext } from '../activities/aws/aws-context';
import { awsDescribeActivities } from '../activities/aws/describe-identity';
import { createEngineActivities } from '../activities/engine';
import { actionActivities } from '../activities/registry';
import { authConfigFromEnv } from '../auth/auth-config';
import { idraDataConverter } from '../codec/data-converter';
import { loadInventory } from '../config/load-inventory';
import { loadPlaybooks } from '../config/load-playbooks';
import { WORKFLOWS_DIR } from '../infra/paths';
import { type TemporalTarget, temporalTarget } from '../infra/temporal-connection';
import { providerTaskQueue, RESPONSE_TASK_QUEUE } from '../model/task-queues';
import { guardLimits, type WorkerConfig } from './config';

export interface IdraWorkers {
  workers: Worker[];
  /** Closes the connections; call after the workers have stopped. */
  close: () => Promise<void>;
}

/**
 * The workers one process runs: the response workflows with the engine's activities (playbooks, inventory,
 * guard; no provider credentials) and/or the AWS actions (the only place AWS credentials are used).
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
    if (config.IDRA_WORKER_ROLES.includes('aws')) {
      const queue = providerTaskQueue('aws');
      const aws = createAwsContext();
      workers.push(
        Worker.create({
          ...common,
          taskQueue: queue,
          activities: { ...actionActivities(awsActions(aws), `${queue}@${os.hostname()}`), ...awsDescribeActivities(aws) },
        }),
      );
    }
    return { workers: await Promise.all(workers), close };
  } catch (error) {
    await close();
    throw error;
  }
}
