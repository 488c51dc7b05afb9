import { stepFailure } from './step-failure';
import { type BatchOperation, type BatchOutcome, stepBatchActivityName } from '../api/step-batches';
import type { StepInput } from '../model/response';
import type { StepActivity } from './run-action';

export type StepBatchActivity = (inputs: StepInput[]) => Promise<BatchOutcome<unknown>[]>;

const BATCHED: readonly BatchOperation[] = ['snapshot', 'apply'];

/**
 * A provider's batch activities, each running its steps' own activities side by side within one attempt (a
 * retried batch is a retried attempt of every step in it, sharing its time limit). A step that fails (also
 * one whose attempt stopped counting) is answered with its failure message, not thrown, so the others'
 * results are kept: a step cancelled at the response's request finishes and reports, as one activity would.
 */
export function stepBatchActivities(
  provider: string,
  stepActivities: Record<string, StepActivity>,
): Record<string, StepBatchActivity> {
  const batch =
    (operation: BatchOperation): StepBatchActivity =>
    async (inputs) => {
      const outcomes = await Promise.allSettled(
        inputs.map(async (input) => {
          const run = stepActivities[`${input.step.action}.${operation}`];
          if (!run) throw stepFailure('InvalidParams', `${input.step.action} is not an action of ${provider}`);
          return await run(input);
        }),
      );
      return outcomes.map((outcome) =>
        outcome.status === 'fulfilled' ? { ok: outcome.value } : { failed: errorMessage(outcome.reason) },
      );
    };
  return Object.fromEntries(BATCHED.map((operation) => [stepBatchActivityName(provider, operation), batch(operation)]));
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
