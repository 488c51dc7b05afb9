import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import os from 'node:os';
import { createAwsContext } from '../activities/aws/aws-context';
import { awsActions } from '../activities/aws';
import { actionActivities } from '../activities/registry';
import { WORKFLOWS_DIR } from '../infra/paths';
import { providerTaskQueue, RESPONSE_TASK_QUEUE } from '../model/task-queues';
import type { WorkerConfig } from './config';

/**
 * The workers one process runs: the response workflows (no provider credentials) and/or the AWS actions
 * (the only place AWS credentials are used). Each role has its own task queue, so they scale apart.
 */
export async function createWorkers(config: WorkerConfig, connection: NativeConnection): Promise<Worker[]> {
  const common: Pick<WorkerOptions, 'connection' | 'namespace' | 'shutdownGraceTime'> = {
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    shutdownGraceTime: '10s',
  };
  const workers: Promise<Worker>[] = [];
  if (config.IDRA_WORKER_ROLES.includes('responses')) {
    workers.push(
      Worker.create({
        ...common,
        taskQueue: RESPONSE_TASK_QUEUE,
        ...(config.IDRA_WORKFLOW_BUNDLE
          ? { workflowBundle: { codePath: config.IDRA_WORKFLOW_BUNDLE } }
          : { workflowsPath: WORKFLOWS_DIR }),
      }),
    );
  }
  if (config.IDRA_WORKER_ROLES.includes('aws')) {
    const queue = providerTaskQueue('aws');
    workers.push(
      Worker.create({
        ...common,
        taskQueue: queue,
        activities: actionActivities(awsActions(createAwsContext()), `${queue}@${os.hostname()}`),
      }),
    );
  }
  return Promise.all(workers);
}

export async function connectWorkers(config: WorkerConfig): Promise<NativeConnection> {
  return NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
}
