import { type Client, WithStartWorkflowOperation, WorkflowNotFoundError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { GUARD_TASK_QUEUE, GUARD_WORKFLOW_TYPE } from '../api/guard-messages';
import { GUARD_WORKFLOW_ID, type GuardStart } from '../model/guard';
import { WORKFLOW_TASK_TIMEOUT } from '../model/task-queues';

/**
 * The state a new guard run starts with. The guard only ever continues as new, carrying its state; a run
 * that ended otherwise (terminated, failed, timed out) took the kill switch and the counts with it, so the
 * next one starts paused until an analyst resumes: terminating the guard never silently lifts a pause.
 * The limits are not the caller's to give: the new guard reads its own worker's configuration.
 */
async function startingState(client: Client): Promise<GuardStart> {
  const fresh: GuardStart = {};
  try {
    const { status } = await client.workflow.getHandle(GUARD_WORKFLOW_ID).describe();
    if (status.name === 'RUNNING' || status.name === 'CONTINUED_AS_NEW') return fresh;
    const reason = `the previous guard run ended ${status.name.toLowerCase()} without handing over its state (kill switch, counts): resume once they are checked`;
    return { ...fresh, pause: { analyst: 'idra', reason, at: new Date().toISOString() } };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return fresh;
    throw error;
  }
}

/** Sends an update to the guard, starting it first if no run is open (paused, if its last run was cut off). */
export async function updateGuard<Ret, Arg>(
  client: Client,
  update: UpdateDefinition<Ret, [Arg]>,
  arg: Arg,
): Promise<Ret> {
  try {
    return await client.workflow.getHandle(GUARD_WORKFLOW_ID).executeUpdate(update, { args: [arg] });
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
  return client.workflow.executeUpdateWithStart(update, {
    args: [arg],
    startWorkflowOperation: new WithStartWorkflowOperation(GUARD_WORKFLOW_TYPE, {
      workflowId: GUARD_WORKFLOW_ID,
      taskQueue: GUARD_TASK_QUEUE,
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowTaskTimeout: WORKFLOW_TASK_TIMEOUT,
      args: [await startingState(client)],
    }),
  });
}
