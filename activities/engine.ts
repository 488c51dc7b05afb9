import { log } from '@temporalio/activity';
import { type Client, isGrpcDeadlineError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { describeActivityName, type EngineActivities } from '../api/engine-activities';
import { GUARD_TASK_QUEUE } from '../api/guard-messages';
import type { AuthConfig } from '../auth/auth-config';
import { AssertionRefused, createAssertionVerifier } from '../auth/verify-assertion';
import type { ResponseConfig } from '../config/load-response-config';
import type { AdmissionRequest, GuardLimits } from '../model/guard';
import { identityAccount, kindOf } from '../model/identity';
import type { AcceptedInput, Admission } from '../model/response';
import { responseInputSchema } from '../model/response-input';
import type { RecordedSignal } from '../model/signal';
import { describeIssues } from '../model/validation';
import { providerTaskQueue } from '../providers/catalog';
import { fallbackPlanFor } from '../policy/fallback';
import { ConfigurationProblem, planFor } from '../policy/resolve';
import { createAdmissionBatcher } from './admission-batcher';
import { createFallbackAdmission } from './fallback-admission';

export interface EngineConfig {
  /** The playbooks and inventory as they are now (read at each plan). */
  responseConfig: () => ResponseConfig;
  guardLimits: GuardLimits;
  /** Automatic containments this worker allows per account within the guard's window while the guard does not answer. */
  fallbackPerAccount: number;
  auth: AuthConfig;
}

const GUARD_ANSWER_MS = 8_000;

/**
 * Whether a worker polls the guard's queue: a guard that is slow (a storm) is waited for, only a guard that
 * nobody runs is unavailable. Polling workers are what the server saw within the last minutes.
 */
async function guardIsServed(client: Client): Promise<boolean> {
  const { pollers } = await client.workflowService.describeTaskQueue({
    namespace: client.options.namespace,
    taskQueue: { name: GUARD_TASK_QUEUE },
    taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  return (pollers ?? []).length > 0;
}

/** The guard's verdicts on one batch; a guard that is silent is busy (retry) or not run at all (final). */
async function askGuard(client: Client, admit: AdmitThroughGuard, requests: AdmissionRequest[]): Promise<Admission[]> {
  try {
    // The guard answers in milliseconds; one that is silent this long is not being run.
    return await client.withDeadline(Date.now() + GUARD_ANSWER_MS, () => admit(requests));
  } catch (error) {
    if (!(error instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isGrpcDeadlineError(error))) throw error;
    if (await guardIsServed(client))
      throw ApplicationFailure.retryable(
        `the blast-radius guard is busy: no answer within ${GUARD_ANSWER_MS} ms`,
        'GuardBusy',
      );
    throw ApplicationFailure.nonRetryable(
      `the blast-radius guard did not answer within ${GUARD_ANSWER_MS} ms and no worker runs it`,
      'GuardUnavailable',
    );
  }
}

/** Configuration that cannot be read now may be mended: the response retries; one that is wrong as read is final. */
function planningFailure(error: unknown): never {
  if (error instanceof ConfigurationProblem)
    throw ApplicationFailure.nonRetryable(error.message, 'InvalidConfiguration');
  throw ApplicationFailure.retryable(
    `cannot read the playbooks and inventory: ${error instanceof Error ? error.message : String(error)}`,
    'ConfigurationUnavailable',
  );
}

/** A response's input, checked, and what follows from it; `InvalidInput` names each bad field. */
function acceptInput(input: unknown, continued: boolean): AcceptedInput {
  // Asked first: a made-up ledger is refused for what it is, whatever its shape.
  if (typeof input === 'object' && input !== null && 'carried' in input && !continued) {
    throw ApplicationFailure.nonRetryable(
      'invalid response input: carried: only a response continuing as new hands over its state',
      'InvalidInput',
    );
  }
  const parsed = responseInputSchema.safeParse(input);
  if (!parsed.success)
    throw ApplicationFailure.nonRetryable(
      `invalid response input: ${describeIssues(parsed.error.issues).join('; ')}`,
      'InvalidInput',
    );
  const signal = parsed.data.signal as RecordedSignal;
  const { provider } = signal.identity;
  return {
    signal,
    kind: kindOf(signal.type),
    account: identityAccount(signal.identity),
    describe: { taskQueue: providerTaskQueue(provider), activity: describeActivityName(provider) },
  };
}

/** Sends one batch of admission requests to the guard workflow (its update; the guard's client code owns how). */
export type AdmitThroughGuard = (requests: AdmissionRequest[]) => Promise<Admission[]>;

/**
 * Activities of the responses worker: configuration, planning and the guard, never cloud credentials.
 * `admit` reaches the guard through `client` (within the client's deadline).
 */
export function createEngineActivities(
  config: EngineConfig,
  client: Client,
  admit: AdmitThroughGuard,
): EngineActivities {
  const verify = createAssertionVerifier(config.auth);
  const admitWithoutGuard = createFallbackAdmission(config.fallbackPerAccount, config.guardLimits.windowMs);
  const admitThroughGuard = createAdmissionBatcher((requests) => askGuard(client, admit, requests));
  return {
    validateInput: ({ input, continued }) => Promise.resolve(acceptInput(input, continued)),

    async verifyDecision(input) {
      try {
        const { tokenId, expiresAt } = await verify(input);
        return { tokenId, expiresAt };
      } catch (error) {
        if (error instanceof AssertionRefused) return { refused: error.message };
        throw error;
      }
    },

    planResponse: (input) => {
      try {
        return Promise.resolve(planFor(config.responseConfig(), input));
      } catch (error) {
        return planningFailure(error);
      }
    },

    fallbackPlan: (input) => {
      try {
        return Promise.resolve(fallbackPlanFor(config.responseConfig().inventory, input));
      } catch (error) {
        return planningFailure(error);
      }
    },

    async admitContainment(request) {
      const admission = await admitThroughGuard(request);
      if (!admission.admitted)
        log.warn('automatic containment refused', { response: request.response, reason: admission.reason });
      return admission;
    },

    admitWithoutGuard: (input) => Promise.resolve(admitWithoutGuard(input)),

    guardConfiguration: () => Promise.resolve(config.guardLimits),
  };
}
