/**
 * Activities that run several steps of one provider in one call: `<provider>.steps.snapshot` reads their
 * targets, `<provider>.steps.apply` applies them side by side. One round trip and three history events
 * instead of one each per step. Each step inside runs its own activity's code, sharing the batch's attempt
 * and time limit; a failure is answered by its message (the saga runs that step again on its own).
 */
export type BatchOperation = 'snapshot' | 'apply';

export function stepBatchActivityName(provider: string, operation: BatchOperation): string {
  return `${provider}.steps.${operation}`;
}

/** Whether an activity type is a batch of steps (of any provider) for the operation. */
export function isStepBatchActivity(type: string, operation: BatchOperation): boolean {
  return type.endsWith(`.steps.${operation}`);
}

/**
 * A batch's answer for each of its steps, in order: the step's result, or why it failed. The saga runs a
 * failed step again on its own, with that activity's retries.
 */
export type BatchOutcome<Result> = { ok: Result } | { failed: string };
