import { ActivityCancellationType, proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import { type BatchOperation, type BatchOutcome, stepBatchActivityName } from '../api/step-batches';
import { NON_RETRYABLE_STEP_ERRORS } from '../api/step-errors';
import type { PlannedStep, Receipt, StepCheck, StepInput } from '../model/response';

type Operation = 'snapshot' | 'apply' | 'check' | 'compensate';

const BATCH_ATTEMPTS = 3;

/**
 * How soon an activity whose worker died is retried. Running activities heartbeat to the server every
 * 0.5 s (workers/create-workers.ts), so a live but busy worker has 2.5 s of slack before a retry would
 * run beside it.
 */
export const LIVENESS_TIMEOUT = '3s';

const nonRetryableErrorTypes = [...NON_RETRYABLE_STEP_ERRORS];

// A provider failing many calls (throttling, 5xx, lost answers) is outlasted for about 90 seconds: a
// multi-call step such as a rotation needs every one of its calls to go through in one attempt.
const STEP_RETRY: ActivityOptions['retry'] = {
  initialInterval: '500ms',
  backoffCoefficient: 2,
  maximumInterval: '10s',
  maximumAttempts: 12,
  nonRetryableErrorTypes,
};

const RETRY: Record<Operation, ActivityOptions['retry']> = {
  snapshot: STEP_RETRY,
  check: STEP_RETRY,
  apply: STEP_RETRY,
  // An undo outlasts a provider that throttles for minutes: retried for up to 30 minutes (bounded below).
  compensate: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', nonRetryableErrorTypes },
};

/** Where and how a step's activity runs: on its provider's task queue (the plan names it). */
function options(step: PlannedStep, operation: Operation): ActivityOptions {
  return {
    taskQueue: step.taskQueue,
    // A worker that dies mid-call stops heartbeating (activities/liveness.ts) and the call is
    // retried within seconds; a slow but healthy provider call keeps heartbeating, up to the time limit.
    heartbeatTimeout: LIVENESS_TIMEOUT,
    startToCloseTimeout: '60s',
    ...(operation === 'compensate' ? { scheduleToCloseTimeout: '30m' } : {}),
    retry: RETRY[operation],
    // A cancelled response waits for a step in flight to finish before it undoes: no undo races a change.
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  };
}

function call<Result>(input: StepInput, operation: Operation): Promise<Result> {
  const activities = proxyActivities<Record<string, (input: StepInput) => Promise<unknown>>>(
    options(input.step, operation),
  );
  const activity = activities[`${input.step.action}.${operation}`];
  // proxyActivities yields a function for every name; the check satisfies the type system only.
  if (!activity) throw new Error(`no activity for ${input.step.action}.${operation}`);
  return activity(input) as Promise<Result>;
}

/**
 * Several steps of one provider in one activity (api/step-batches.ts); each step's outcome in order. A step
 * that fails inside is answered and then runs on its own with its full retries, so the batch itself is
 * retried only a few times (its worker died, its time ran out) before its steps go on their own.
 */
function batch<Result>(
  first: PlannedStep,
  inputs: StepInput[],
  operation: BatchOperation,
): Promise<BatchOutcome<Result>[]> {
  const once = options(first, operation);
  const activities = proxyActivities<Record<string, (inputs: StepInput[]) => Promise<BatchOutcome<Result>[]>>>({
    ...once,
    retry: { ...once.retry, maximumAttempts: BATCH_ATTEMPTS },
  });
  const name = stepBatchActivityName(first.provider, operation);
  const activity = activities[name];
  if (!activity) throw new Error(`no activity for ${name}`);
  return activity(inputs);
}

/** The operations of a step, each an activity named `<action>.<operation>` on its provider's queue. */
export const stepOperations = {
  snapshot: (input: StepInput) => call<unknown>(input, 'snapshot'),
  apply: (input: StepInput) => call<Receipt>(input, 'apply'),
  check: (input: StepInput) => call<StepCheck>(input, 'check'),
  compensate: (input: StepInput) => call<Receipt>(input, 'compensate'),
};

/** The same, for several steps of one provider at once (`first`: any of them, for its provider's queue). */
export const stepBatches = {
  snapshot: (first: PlannedStep, inputs: StepInput[]) => batch<unknown>(first, inputs, 'snapshot'),
  apply: (first: PlannedStep, inputs: StepInput[]) => batch<Receipt>(first, inputs, 'apply'),
};
