import { ApplicationFailure } from '@temporalio/common';
import { isDeepStrictEqual } from 'node:util';
import type { Receipt, StepInput } from '../model/response';
import { describeIssues } from '../model/validation';
import type { AnyAction } from './action';

export type StepActivity = (input: StepInput) => Promise<unknown>;

function parseParams(action: AnyAction, input: StepInput): unknown {
  const result = action.spec.params.safeParse(input.step.params);
  if (!result.success) {
    throw ApplicationFailure.nonRetryable(
      `invalid parameters for ${action.spec.name}: ${describeIssues(result.error.issues).join('; ')}`,
      'InvalidParams',
    );
  }
  return result.data;
}

function requireSnapshot(input: StepInput): unknown {
  if (input.before === undefined) {
    throw ApplicationFailure.nonRetryable(`step ${input.step.index} has no snapshot to work from`, 'InvalidParams');
  }
  return input.before;
}

/**
 * Turns one action into its four activities. Each reads the target first and writes only when the
 * target is not already where it should be, so a retried activity never applies a change twice.
 */
export function stepActivities(action: AnyAction, actor: string): Record<string, StepActivity> {
  const receipt = (input: StepInput, fields: Pick<Receipt, 'operation' | 'before' | 'after' | 'changed' | 'drift' | 'reference'>): Receipt => ({
    incident: input.incident,
    step: input.step.index,
    action: action.spec.name,
    target: input.step.target,
    ...fields,
    at: new Date().toISOString(),
    actor,
  });

  return {
    [`${action.spec.name}.snapshot`]: async (input) => action.read(parseParams(action, input)),

    [`${action.spec.name}.apply`]: async (input) => {
      const params = parseParams(action, input);
      const before = requireSnapshot(input);
      const wanted = action.desired(params, before);
      // `changed` is the step's effect on the target (snapshot vs result), the same whichever attempt wrote.
      const changed = !isDeepStrictEqual(before, wanted);
      if (!isDeepStrictEqual(await action.read(params), wanted)) await action.write(params, wanted);
      return receipt(input, { operation: 'apply', before, after: wanted, changed, reference: await action.reference?.(params) });
    },

    // Throws until the applied state is observed: providers are eventually consistent (IAM takes seconds),
    // and the activity's retry policy paces the re-reads.
    [`${action.spec.name}.verify`]: async (input) => {
      const params = parseParams(action, input);
      const wanted = action.desired(params, requireSnapshot(input));
      const observed = await action.read(params);
      if (!isDeepStrictEqual(observed, wanted)) {
        throw ApplicationFailure.retryable(
          `${action.spec.name} on ${input.step.target} not yet observed: wanted ${JSON.stringify(wanted)}, saw ${JSON.stringify(observed)}`,
          'NotYetObserved',
        );
      }
      return observed;
    },

    [`${action.spec.name}.compensate`]: async (input) => {
      if (!action.spec.reversible) {
        throw ApplicationFailure.nonRetryable(`${action.spec.name} cannot be undone`, 'Irreversible');
      }
      const params = parseParams(action, input);
      const before = requireSnapshot(input);
      const applied = action.desired(params, before);
      const current = await action.read(params);
      if (isDeepStrictEqual(current, before)) return receipt(input, { operation: 'compensate', before: current, after: before, changed: false });
      // Someone else changed the target after us: restoring our snapshot would clobber their change.
      if (!isDeepStrictEqual(current, applied)) {
        return receipt(input, { operation: 'compensate', before: current, after: current, changed: false, drift: { expected: applied, observed: current } });
      }
      await action.write(params, before);
      return receipt(input, { operation: 'compensate', before: current, after: before, changed: true });
    },
  };
}
