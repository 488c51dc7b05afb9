import { log } from '@temporalio/activity';
import { type Client, WithStartWorkflowOperation } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { AuthConfig } from '../auth/auth-config';
import { AssertionRefused, createAssertionVerifier } from '../auth/verify-assertion';
import { GUARD_WORKFLOW_ID, type GuardLimits } from '../model/guard';
import { RESPONSE_TASK_QUEUE } from '../model/task-queues';
import type { EngineActivities } from '../api/engine-activities';
import { admitUpdate, GUARD_WORKFLOW_TYPE } from '../api/guard-messages';
import type { Inventory } from '../policy/inventory';
import type { Playbook } from '../policy/playbook';
import { ConfigurationProblem, planFor } from '../policy/resolve';

export interface EngineConfig {
  playbooks: Playbook[];
  inventory: Inventory;
  guardLimits: GuardLimits;
  auth: AuthConfig;
}

/** Activities of the responses worker: configuration and the guard, never cloud credentials. */
export function createEngineActivities(config: EngineConfig, client: Client): EngineActivities {
  const verify = createAssertionVerifier(config.auth);
  return {
    async verifyDecision(input) {
      try {
        await verify(input);
        return null;
      } catch (error) {
        if (error instanceof AssertionRefused) return error.message;
        throw error;
      }
    },

    planResponse: (input) => {
      try {
        return Promise.resolve(planFor(config, input));
      } catch (error) {
        if (error instanceof ConfigurationProblem) throw ApplicationFailure.nonRetryable(error.message, 'InvalidConfiguration');
        throw error;
      }
    },

    async admitContainment({ response, account }) {
      const admission = await client.workflow.executeUpdateWithStart(admitUpdate, {
        args: [{ response, account, limits: config.guardLimits }],
        startWorkflowOperation: new WithStartWorkflowOperation(GUARD_WORKFLOW_TYPE, {
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
