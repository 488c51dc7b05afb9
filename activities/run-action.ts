import { stepFailure } from './step-failure';
import { setTimeout } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import type { Receipt, StepCheck, StepInput } from '../model/response';
import { describeIssues } from '../model/validation';
import type { AnyAction } from './action';
import { activityContext } from './activity-context';
import { maySilentlyHaveBeenGivenUp } from './liveness';

export type StepActivity = (input: StepInput) => Promise<unknown>;

/** Steps in flight on a record that must change one step at a time (Action.exclusiveKey), by key. */
const exclusive = new Map<string, Promise<unknown>>();

/** Runs `work` after every earlier step on the same key has finished (at once when the action needs no key). */
function oneAtATime<T>(key: string | undefined, work: () => Promise<T>): Promise<T> {
  if (key === undefined) return work();
  const turn = (exclusive.get(key) ?? Promise.resolve()).then(work, work);
  const settled = turn.catch(() => undefined);
  exclusive.set(key, settled);
  void settled.then(() => exclusive.get(key) === settled && exclusive.delete(key));
  return turn;
}

function parseParams(action: AnyAction, input: StepInput): unknown {
  const result = action.spec.params.safeParse(input.step.params);
  if (!result.success) {
    throw stepFailure(
      'InvalidParams',
      `invalid parameters for ${action.spec.name}: ${describeIssues(result.error.issues).join('; ')}`,
    );
  }
  return result.data;
}

function requireSnapshot(input: StepInput): unknown {
  if (input.before === undefined) {
    throw stepFailure('InvalidParams', `step ${input.step.index} has no snapshot to work from`);
  }
  return input.before;
}

/**
 * Turns one action into its four activities. Each reads the target first and writes only when the
 * target is not already where it should be, so a retried activity never applies a change twice.
 */
export function stepActivities(action: AnyAction, actor: string): Record<string, StepActivity> {
  const receipt = (
    input: StepInput,
    fields: Pick<Receipt, 'operation' | 'before' | 'after' | 'changed' | 'drift' | 'reference'>,
  ): Receipt => ({
    incident: input.incident,
    step: input.step.index,
    action: action.spec.name,
    target: input.step.target,
    ...fields,
    at: new Date().toISOString(),
    actor,
  });

  // Writes, then waits until the provider shows the change (one activity, one round trip less than a
  // separate verify). The receipt's time is when the provider acknowledged the write.
  async function apply(input: StepInput, params: unknown): Promise<Receipt> {
    const found = await action.read(params, input.before);
    // A first attempt finds the target as it is right before the change: that is what the undo restores,
    // even when the snapshot was read a while ago (while the guard decided) and someone changed it since.
    // A retry (or a step a failed batch left: `retried`) may find its own earlier write: it keeps the snapshot.
    const before = currentAttempt() === 1 && !input.retried ? found : requireSnapshot(input);
    const wanted = action.desired(params, before);
    // `changed` is the step's effect on the target (before vs result), the same whichever attempt wrote.
    const changed = !isDeepStrictEqual(before, wanted);
    if (!isDeepStrictEqual(found, wanted)) await writeWhileCurrent(action, params, wanted);
    const at = new Date().toISOString();
    await untilObserved(action, params, wanted, before, input.step.target);
    const reference = await action.reference?.(params);
    return { ...receipt(input, { operation: 'apply', before, after: wanted, changed, reference }), at };
  }

  // The watch: is the target still as the step left it? Never throws on a difference: it reports it.
  async function check(input: StepInput): Promise<StepCheck> {
    const params = parseParams(action, input);
    const before = requireSnapshot(input);
    const expected = action.desired(params, before);
    const observed = await action.read(params, before);
    const holds = isDeepStrictEqual(observed, expected);
    return { action: action.spec.name, target: input.step.target, holds, expected, observed };
  }

  async function compensate(input: StepInput, params: unknown): Promise<Receipt> {
    const before = requireSnapshot(input);
    const applied = action.desired(params, before);
    const current = await action.read(params, before);
    const undo = (fields: Pick<Receipt, 'before' | 'after' | 'changed' | 'drift' | 'reference'>) =>
      receipt(input, { operation: 'compensate', ...fields });
    if (isDeepStrictEqual(current, applied) && !isDeepStrictEqual(applied, before)) {
      const inUse = await action.undoWouldBreak?.(params);
      if (inUse)
        return undo({ before: current, after: current, changed: false, drift: { expected: applied, ...inUse } });
      await writeWhileCurrent(action, params, before);
      const reference = await action.restoredAs?.(params, before);
      return undo({ before: current, after: before, changed: true, reference });
    }
    // Back at the snapshot: the step never changed it (it was already so, or its apply failed first), or an
    // earlier attempt of this undo wrote it — or, after a confirmed change, someone else restored it.
    if (isDeepStrictEqual(current, before)) {
      if (!input.applied || isDeepStrictEqual(applied, before))
        return undo({ before: current, after: before, changed: false });
      if (currentAttempt() > 1) {
        // An earlier attempt of this undo wrote it, perhaps only in part (a rotation's new key deleted,
        // its secret not yet): writing the snapshot again finishes it, as writes are idempotent.
        await writeWhileCurrent(action, params, before);
        return undo({ before: applied, after: before, changed: true });
      }
      const drift = { expected: applied, observed: current, note: 'already restored by someone else' };
      return undo({ before: current, after: current, changed: false, drift });
    }
    // Someone else changed the target after us: restoring our snapshot would clobber their change.
    const drift = { expected: applied, observed: current, note: 'changed by someone else since: left as found' };
    return undo({ before: current, after: current, changed: false, drift });
  }

  return {
    [`${action.spec.name}.snapshot`]: async (input) => action.read(parseParams(action, input)),
    [`${action.spec.name}.apply`]: async (input) => {
      const params = parseParams(action, input);
      return oneAtATime(action.exclusiveKey?.(params), () => apply(input, params));
    },
    [`${action.spec.name}.check`]: check,
    [`${action.spec.name}.compensate`]: async (input) => {
      if (!action.spec.reversible) throw stepFailure('Irreversible', `${action.spec.name} cannot be undone`);
      const params = parseParams(action, input);
      return oneAtATime(action.exclusiveKey?.(params), () => compensate(input, params));
    },
  };
}

/** Re-reads for up to OBSERVE_FOR_MS, backing off from OBSERVE_FIRST_MS (IAM is eventually consistent: seconds). */
const OBSERVE_FIRST_MS = 100;
const OBSERVE_FOR_MS = 30_000;

/**
 * Resolves with the target's state once it is `wanted`; throws `NotYetObserved` (retryable: the activity's
 * retry policy tries again) when the provider still shows otherwise after OBSERVE_FOR_MS. The activity
 * heartbeats meanwhile (activities/liveness.ts), so waiting here is not mistaken for a dead worker.
 */
async function untilObserved(
  action: AnyAction,
  params: unknown,
  wanted: unknown,
  before: unknown,
  target: string,
): Promise<unknown> {
  const giveUpAt = Date.now() + observeWindowMs();
  for (let pause = OBSERVE_FIRST_MS; ; pause = Math.min(pause * 2, 5_000)) {
    const observed = await action.read(params, before);
    if (isDeepStrictEqual(observed, wanted)) return observed;
    if (Date.now() + pause > giveUpAt) {
      throw stepFailure(
        'NotYetObserved',
        `${action.spec.name} on ${target} not yet observed: wanted ${JSON.stringify(wanted)}, saw ${JSON.stringify(observed)}`,
      );
    }
    await pauseWhileCurrent(pause);
  }
}

/**
 * Waits, but not past the moment this attempt stops counting. A cancellation the response asked for does
 * not end the wait: the step finishes and reports what it did (the saga waits for it before undoing).
 */
async function pauseWhileCurrent(ms: number): Promise<void> {
  const signal = activityContext()?.cancellationSignal;
  await setTimeout(ms, undefined, signal?.aborted === false ? { signal } : undefined).catch(() => undefined);
  stopIfSuperseded();
}

/**
 * How long to wait for the change to show: OBSERVE_FOR_MS, but within the attempt's own time limit, so the
 * activity says why rather than timing out.
 */
function observeWindowMs(): number {
  const limit = activityContext()?.info.startToCloseTimeoutMs;
  return limit === undefined ? OBSERVE_FOR_MS : Math.max(OBSERVE_FIRST_MS, Math.min(OBSERVE_FOR_MS, limit - 2_000));
}

/**
 * Writes only while this attempt still counts. The server gives up on an attempt whose heartbeats stop (a
 * stalled worker) and runs a retry beside it; the stalled one must not then write too (a rotation would
 * make a second key). It knows from its own silence, before the server's answer to its next heartbeat
 * (the SDK then cancels it) could tell it: it fails instead, and the retry decides.
 */
async function writeWhileCurrent(action: AnyAction, params: unknown, state: unknown): Promise<void> {
  stopIfSuperseded();
  const context = activityContext();
  if (context && maySilentlyHaveBeenGivenUp(context)) {
    throw stepFailure(
      'SilentAttempt',
      `${action.spec.name}: this attempt's worker was silent for as long as its heartbeat timeout; another attempt may be running, so this one writes nothing`,
    );
  }
  await action.write(params, state);
}

/** Cancellations that mean another attempt may be running: the server timed this one out, or forgot it. */
const SUPERSEDED = ['TIMED_OUT', 'NOT_FOUND'];

/** Throws the SDK's cancellation when this attempt no longer counts; not when the response asked to stop. */
function stopIfSuperseded(): void {
  const context = activityContext();
  if (!context?.cancellationSignal.aborted) return;
  const details = context.cancellationDetails;
  const reason: unknown = context.cancellationSignal.reason;
  if (details?.timedOut || details?.notFound || (reason instanceof Error && SUPERSEDED.includes(reason.message)))
    throw reason;
}

/** The activity's attempt; 1 when called directly (outside a worker, as the action tests do). */
function currentAttempt(): number {
  return activityContext()?.info.attempt ?? 1;
}
