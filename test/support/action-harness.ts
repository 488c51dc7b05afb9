import { afterAll, beforeAll, expect } from 'vitest';
import type { StepActivity } from '../../activities/run-action';
import type { StepBatchActivity } from '../../activities/step-batches';
import { type BatchOperation, isStepBatchActivity, stepBatchActivityName } from '../../api/step-batches';
import type { Identity } from '../../model/identity';
import type { PlannedStep, Receipt, StepInput } from '../../model/response';
import { stepBinder } from '../../policy/plan';
import { providerDefinition, workerPermissions } from '../../providers/catalog';
import { providerActivities } from '../../workers/provider-workers';
import { uniqueName } from './aws';

const now = '2026-11-26T12:00:00.000Z';

/**
 * A provider's action activities, run directly (no workflow) against its emulator: the round trip every
 * action must survive — snapshot, apply, check, apply again (no change), compensate back to the exact
 * prior state — with `read` observing what the provider holds. With `leastPrivilege`, the emulator makes
 * the worker lack every permission it knows that the provider's printed policy does not grant.
 */
export function useActionHarness(
  provider: string,
  leastPrivilege?: { known: string[]; deny: (permissions: string[]) => Promise<void> },
) {
  let activities: Record<string, StepActivity>;
  beforeAll(async () => {
    activities = (await providerActivities(provider, 'test')) as Record<string, StepActivity>;
    // Least privilege: the worker holds exactly what `idra permissions <provider>` prints, nothing more.
    const granted = new Set(workerPermissions(provider));
    await leastPrivilege?.deny([...new Set(leastPrivilege.known)].filter((permission) => !granted.has(permission)));
  });
  afterAll(() => leastPrivilege?.deny([]));

  const run = (operation: string, input: StepInput) => activities[`${input.step.action}.${operation}`]!(input);
  const stepFor = (action: string, identity: Identity, incident: string): PlannedStep => {
    const step = stepBinder(identity, { incident, now })(action);
    if (!step) throw new Error(`${action} has nothing to act on for this identity`);
    return step;
  };

  /** The full round trip; returns what the provider held before and while applied, and the apply receipt. */
  async function roundTrip<State>(
    action: string,
    identity: Identity,
    read: () => Promise<State>,
    incident = uniqueName('idra-test'),
  ): Promise<{ before: State; applied: State; receipt: Receipt }> {
    const step = stepFor(action, identity, incident);
    const before = await read();
    const snapshot = await run('snapshot', { incident, step });
    const receipt = (await run('apply', { incident, step, before: snapshot })) as Receipt;
    expect(await run('check', { incident, step, before: snapshot })).toMatchObject({ holds: true });
    const applied = await read();
    // Applying again changes nothing (activities run at least once).
    await run('apply', { incident, step, before: snapshot });
    expect(await read()).toEqual(applied);
    const undone = (await run('compensate', { incident, step, before: snapshot, applied: receipt.changed })) as Receipt;
    expect(undone).toMatchObject({ operation: 'compensate', after: snapshot, changed: true });
    expect(await read()).toEqual(before);
    return { before, applied, receipt };
  }

  /** Every action of the provider's definition has its activities, and no other; and the batches run them. */
  const expectEveryAction = () => {
    const names = Object.keys(activities);
    expect(
      providerDefinition(provider)
        .actions.map((spec) => spec.name)
        .sort(),
    ).toEqual(
      names
        .filter((name) => name.endsWith('.apply') && !isStepBatchActivity(name, 'apply'))
        .map((name) => name.replace(/\.apply$/, ''))
        .sort(),
    );
    expect(names).toEqual(
      expect.arrayContaining([stepBatchActivityName(provider, 'snapshot'), stepBatchActivityName(provider, 'apply')]),
    );
  };

  /** Several steps in one batch activity, as the saga runs a stage. */
  const runBatch = (operation: BatchOperation, inputs: StepInput[]) =>
    (activities[stepBatchActivityName(provider, operation)] as unknown as StepBatchActivity)(inputs);

  return { run, runBatch, stepFor, roundTrip, expectEveryAction };
}
