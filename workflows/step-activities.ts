import { proxyActivities } from '@temporalio/workflow';
import type { Receipt, StepInput } from '../model/response';
import { providerTaskQueue } from '../providers/catalog';

// Errors that no retry can fix: the step fails at once and the response holds and escalates.
const NON_RETRYABLE = ['InvalidParams', 'NoSuchEntity', 'WrongAccount', 'Irreversible', 'AccessDenied', 'ProviderRejected'];

type StepActivity<Result> = (input: StepInput) => Promise<Result>;

function activitiesOn(provider: string, verifying: boolean): Record<string, StepActivity<unknown>> {
  return proxyActivities({
    taskQueue: providerTaskQueue(provider),
    // Provider calls take well under a second; a worker that died mid-call is noticed after this long.
    startToCloseTimeout: '10s',
    // Verification re-reads until an eventually consistent provider shows the change (IAM: seconds).
    retry: verifying
      ? { initialInterval: '500ms', backoffCoefficient: 1.5, maximumInterval: '5s', maximumAttempts: 12, nonRetryableErrorTypes: NON_RETRYABLE }
      : { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 8, nonRetryableErrorTypes: NON_RETRYABLE },
  });
}

function call<Result>(input: StepInput, operation: 'snapshot' | 'apply' | 'verify' | 'compensate'): Promise<Result> {
  const activity = activitiesOn(input.step.provider, operation === 'verify')[`${input.step.action}.${operation}`];
  // proxyActivities yields a function for every name; the check satisfies the type system only.
  if (!activity) throw new Error(`no activity for ${input.step.action}.${operation}`);
  return activity(input) as Promise<Result>;
}

/** The four operations of a step, each an activity named `<action>.<operation>` on its provider's queue. */
export const stepOperations = {
  snapshot: (input: StepInput) => call<unknown>(input, 'snapshot'),
  apply: (input: StepInput) => call<Receipt>(input, 'apply'),
  verify: (input: StepInput) => call<unknown>(input, 'verify'),
  compensate: (input: StepInput) => call<Receipt>(input, 'compensate'),
};
