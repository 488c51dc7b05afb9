import { CancellationScope, isCancellation, patched } from '@temporalio/workflow';
import type { AppliedStep, PlannedStep } from '../model/response';
import type { ResponseRecord } from './response-record';
import { stepOperations } from './step-activities';

/** The innermost cause says what actually went wrong (an ActivityFailure wraps the activity's error). */
export function failureMessage(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}

/** A read-ahead's value, or its failure thrown as if the read had just failed. */
function settledValue(outcome: PromiseSettledResult<unknown>): unknown {
  if (outcome.status === 'rejected') throw outcome.reason;
  return outcome.value;
}

/**
 * Apply now waits until the provider shows its change; responses that began before it did verify in a
 * separate activity, and must keep doing so when they replay.
 */
async function verifyUnlessApplyDid(entry: AppliedStep): Promise<void> {
  if (!patched('apply-verifies')) await stepOperations.verify(entry);
}

const sameStep = (a: PlannedStep, b: PlannedStep) => a.action === b.action && JSON.stringify(a.params) === JSON.stringify(b.params);

/**
 * The saga's ledger of what is applied: each step snapshots its target and registers its undo before it
 * changes anything, and an undo leaves the ledger only once it is done, so a failed undo can be retried
 * and a cancellation never undoes a step twice.
 */
export class Saga {
  private undo: AppliedStep[];

  /** `applied`: the ledger a previous run of the response handed over, if it continued as new. */
  constructor(
    readonly record: ResponseRecord,
    readonly incident: string,
    applied: AppliedStep[] = [],
  ) {
    this.undo = [...applied];
  }

  /** The reversible steps still applied, in the order they were applied. */
  get applied(): AppliedStep[] {
    return [...this.undo];
  }

  /**
   * Reads a stage's targets ahead of its steps (while the guard decides): settled outcomes, in the stage's
   * order; a failed read fails its step when the step runs. Reads change nothing.
   */
  snapshotStage(stage: PlannedStep[]): Promise<PromiseSettledResult<unknown>[]> {
    return Promise.allSettled(stage.map((step) => stepOperations.snapshot({ incident: this.incident, step })));
  }

  /**
   * Snapshot (unless read ahead), register the undo, apply (which waits until the provider shows the change);
   * false when the step failed (the failure is recorded).
   */
  async runStep(step: PlannedStep, readAhead?: PromiseSettledResult<unknown>): Promise<boolean> {
    // A step the containment without a plan already applied (same action on the same target) stays as it is.
    if (this.undo.some((entry) => sameStep(entry.step, step))) return true;
    const { record, incident } = this;
    try {
      const before = readAhead ? settledValue(readAhead) : await stepOperations.snapshot({ incident, step });
      const entry: AppliedStep = { incident, step, before };
      // Registered before the change: if apply fails after changing the target, rollback still restores it.
      if (step.reversible) this.undo.push(entry);
      const receipt = await stepOperations.apply(entry);
      // The undo restores what apply found right before its change (see activities/run-action.ts).
      entry.before = receipt.before;
      entry.applied = receipt.changed;
      record.addReceipt(receipt);
      await verifyUnlessApplyDid(entry);
      return true;
    } catch (error) {
      if (isCancellation(error)) throw error;
      record.addFailure(`step ${step.index} ${step.action} on ${step.target}: ${failureMessage(error)}`);
      return false;
    }
  }

  /**
   * The watch: re-checks every applied step; a target someone changed back is tampering, recorded with what
   * was seen and, unless the plan only alerts, applied again and verified.
   */
  async watch(onTamper: 'reapply' | 'alert'): Promise<void> {
    const { record } = this;
    for (const entry of this.applied) {
      try {
        const check = await stepOperations.check(entry);
        if (check.holds) continue;
        record.addTampering({ step: entry.step.index, action: check.action, target: check.target, expected: check.expected, observed: check.observed, at: new Date().toISOString(), response: onTamper === 'reapply' ? 'reapplied' : 'alerted' });
        if (onTamper === 'alert') continue;
        record.addReceipt(await stepOperations.apply(entry));
        await verifyUnlessApplyDid(entry);
      } catch (error) {
        if (isCancellation(error)) throw error;
        record.addFailure(`watch of step ${entry.step.index} ${entry.step.action} on ${entry.step.target}: ${failureMessage(error)}`);
      }
    }
  }

  /**
   * Undoes every applied step in reverse, even while the workflow is being cancelled. Returns whether a
   * target had drifted (left as someone else set it) and which undos failed after their retries.
   */
  async undoAll(): Promise<{ drifted: boolean; failed: AppliedStep[] }> {
    const { record } = this;
    let drifted = false;
    const failed: AppliedStep[] = [];
    await CancellationScope.nonCancellable(async () => {
      for (const entry of [...this.undo].reverse()) {
        try {
          const receipt = await stepOperations.compensate(entry);
          record.addReceipt(receipt);
          drifted ||= receipt.drift !== undefined;
        } catch (error) {
          record.addFailure(`undo of step ${entry.step.index} ${entry.step.action} on ${entry.step.target}: ${failureMessage(error)}`);
          failed.push(entry);
        }
      }
    });
    this.undo = this.undo.filter((entry) => failed.includes(entry));
    record.view.leftInPlace = this.undo.map((entry) => `step ${entry.step.index} ${entry.step.action} on ${entry.step.target}`);
    return { drifted, failed };
  }
}
