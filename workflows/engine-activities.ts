import {
  ActivityFailure,
  ApplicationFailure,
  isCancellation,
  proxyActivities,
  proxyLocalActivities,
  type RetryPolicy,
} from '@temporalio/workflow';
import type { EngineActivities } from '../api/engine-activities';
import { NON_RETRYABLE_STEP_ERRORS } from '../api/step-errors';
import type { Identity } from '../model/identity';
import type { IdentityFacts } from '../model/profile';
import type { AcceptedInput, Admission } from '../model/response';
import { LIVENESS_TIMEOUT } from './step-activities';

// A few quick attempts: a planning fault that lasts is the response's to handle (blocked, retrying), not a
// retry loop's to hide.
const retry: RetryPolicy = {
  initialInterval: '500ms',
  maximumInterval: '2s',
  maximumAttempts: 3,
  nonRetryableErrorTypes: ['InvalidConfiguration', 'InvalidInput'],
};

/**
 * Local activities: they run in the responses worker itself (which holds the configuration and the
 * validation code the workflow sandbox does without), saving a round trip through the server on the way to
 * the first change; their results are still recorded.
 */
export const { validateInput, planResponse, fallbackPlan, verifyDecision, admitWithoutGuard, guardConfiguration } =
  proxyLocalActivities<EngineActivities>({ startToCloseTimeout: '20s', retry });

/**
 * Admission stays a regular activity: in a storm, a response's request waits in its worker's batch for the
 * guard (and a busy guard is retried with backoff); that wait must not hold the response's workflow task
 * open, as a local activity would. A guard that does not answer at all fails it
 * at once (`GuardUnavailable`).
 */
const { admitContainment } = proxyActivities<EngineActivities>({
  heartbeatTimeout: LIVENESS_TIMEOUT,
  startToCloseTimeout: '20s',
  retry: {
    initialInterval: '500ms',
    maximumInterval: '10s',
    maximumAttempts: 30,
    nonRetryableErrorTypes: ['GuardUnavailable'],
  },
});

const guardUnavailable = (error: unknown) =>
  error instanceof ActivityFailure &&
  error.cause instanceof ApplicationFailure &&
  error.cause.type === 'GuardUnavailable';

/**
 * The guard's verdict; when the guard does not answer and `mayUseFallback`, the worker's own fallback
 * limit's. Undefined when neither admits nor refuses (the guard is silent and the fallback was not asked
 * or refused): the caller waits and asks again.
 */
export async function admissionVerdict(
  input: { response: string; account: string },
  mayUseFallback: boolean,
): Promise<Admission | undefined> {
  try {
    return await admitContainment(input);
  } catch (error) {
    if (isCancellation(error) || !guardUnavailable(error)) throw error;
  }
  if (!mayUseFallback) return undefined;
  const fallback = await admitWithoutGuard(input);
  return fallback.admitted ? fallback : undefined;
}

/** What the identity's provider says about it (tags, credentials held), read by its provider's worker. */
export function readIdentityFacts(identity: Identity, describe: AcceptedInput['describe']): Promise<IdentityFacts> {
  const activities = proxyActivities<Record<string, (identity: Identity) => Promise<IdentityFacts>>>({
    taskQueue: describe.taskQueue,
    heartbeatTimeout: LIVENESS_TIMEOUT,
    startToCloseTimeout: '30s',
    retry: {
      initialInterval: '500ms',
      maximumInterval: '2s',
      maximumAttempts: 3,
      nonRetryableErrorTypes: [...NON_RETRYABLE_STEP_ERRORS],
    },
  });
  const read = activities[describe.activity];
  // proxyActivities yields a function for every name; the check satisfies the type system only.
  if (!read) throw new Error(`no activity ${describe.activity}`);
  return read(identity);
}
