import { type Client, WithStartWorkflowOperation } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { log } from '@temporalio/activity';
import { GUARD_WORKFLOW_ID, type GuardLimits } from '../model/guard';
import type { Admission } from '../model/response';
import type { RecordedSignal } from '../model/signal';
import { RESPONSE_TASK_QUEUE } from '../model/task-queues';
import { type Inventory, profileOf } from '../policy/inventory';
import type { Resolution } from '../policy/plan';
import type { Playbook } from '../policy/playbook';
import { selectPlaybook } from '../policy/select-playbook';
import type { EngineActivities } from '../workflows/engine-activities';
import { admitUpdate, containmentGuard } from '../workflows/guard';

export interface EngineConfig {
  playbooks: Playbook[];
  inventory: Inventory;
  guardLimits: GuardLimits;
}

/** The playbook and profile for a signal. Pure apart from reading the loaded configuration. */
export function resolve(config: Pick<EngineConfig, 'playbooks' | 'inventory'>, signal: RecordedSignal, tags: Record<string, string>): Resolution | null {
  const profile = profileOf(config.inventory, signal.identity, tags);
  const playbook = selectPlaybook(config.playbooks, signal, profile);
  if (!playbook) return null;
  const groups: Record<string, string[]> = {};
  for (const group of [playbook.approval.group ?? profile.approverGroup, playbook.decision.escalateTo]) {
    if (group === undefined) continue;
    const members = config.inventory.groups[group];
    // Fail safe: a response nobody may decide on must not start changing things.
    if (!members) throw ApplicationFailure.nonRetryable(`approver group "${group}" is not defined in the inventory`, 'InvalidConfiguration');
    groups[group] = members;
  }
  return { playbook, profile, groups };
}

/** Activities of the responses worker: configuration and the guard, never cloud credentials. */
export function createEngineActivities(config: EngineConfig, client: Client): EngineActivities {
  return {
    resolveResponse: ({ signal, tags }) => Promise.resolve(resolve(config, signal, tags)),

    async admitContainment({ response, account }): Promise<Admission> {
      const admission = await client.workflow.executeUpdateWithStart(admitUpdate, {
        args: [{ response, account, limits: config.guardLimits }],
        startWorkflowOperation: new WithStartWorkflowOperation(containmentGuard, {
          workflowId: GUARD_WORKFLOW_ID,
          taskQueue: RESPONSE_TASK_QUEUE,
          workflowIdConflictPolicy: 'USE_EXISTING',
        }),
      });
      if (!admission.admitted) log.warn('automatic containment refused', { response, reason: admission.reason });
      return admission;
    },
  };
}
