import { CancellationScope, isCancellation, patched } from '@temporalio/workflow';
import type { BatchOutcome } from '../api/step-batches';
import type { AppliedStep, PlannedStep, Receipt } from '../model/response';
import { PATCHES } from './patches';
import type { ResponseRecord } from './response-record';
import { stepBatches, stepOperations } from './step-activities';

/** Targets read ahead of their steps, by step index. */
export type ReadAhead = Map<number, unknown>;

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
  if (!patched(PATCHES.stepBatches) && !patched(PATCHES.applyVerifies)) await stepOperations.verify(entry);
}

/**
 * The steps whose targets can be read before anything changes: the first stage's, and a later stage's whose
 * target no earlier stage acts on (what it reads then cannot depend on this response's own earlier changes).
 */
export function readableAhead(stages: PlannedStep[][]): PlannedStep[] {
  const actedOn = new Set<string>();
  return stages.flatMap((stage) => {
    const readable = stage.filter((step) => !actedOn.has(step.target));
    for (const step of stage) actedOn.add(step.target);
    return readable;
  });
}

/** Items grouped by their step's provider, each group in the items' order. */
function byProvider<Item>(items: Item[], stepOf: (item: Item) => PlannedStep): [string, Item[]][] {
  const groups = new Map<string, Item[]>();
  for (const item of items) groups.set(stepOf(item).provider, [...(groups.get(stepOf(item).provider) ?? []), item]);
  return [...groups];
}

/** Waits for all; if one was cancelled, goes on with the cancellation once every other has finished. */
async function allOrCancelled<Value>(work: Promise<Value>[]): Promise<Value[]> {
  const outcomes = await Promise.allSettled(work);
  const cancelled = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected' && isCancellation(outcome.reason));
  if (cancelled) throw cancelled.reason;
  return outcomes.map((outcome) => {
    if (outcome.status === 'rejected') throw outcome.reason;
    return outcome.value;
  });
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
   * Reads a stage's targets ahead of its steps (while the guard decides), one activity each: settled
   * outcomes, in the stage's order; a failed read fails its step when the step runs. Only responses
   * started before step batches read so (see readAhead).
   */
  snapshotStage(stage: PlannedStep[]): Promise<PromiseSettledResult<unknown>[]> {
    return Promise.allSettled(stage.map((step) => stepOperations.snapshot({ incident: this.incident, step })));
  }

  /**
   * Snapshot (unless read ahead), register the undo, apply (which waits until the provider shows the change);
   * false when the step failed (the failure is recorded). Responses before step batches run each step so.
   */
  private async runStep(step: PlannedStep, readAhead?: PromiseSettledResult<unknown>): Promise<boolean> {
    if (this.alreadyApplied(step)) return true;
    const { incident } = this;
    const done = await this.orFailure(step, async () => {
      const before = readAhead ? settledValue(readAhead) : await stepOperations.snapshot({ incident, step });
      const entry: AppliedStep = { incident, step, before };
      // Registered before the change: if apply fails after changing the target, rollback still restores it.
      if (step.reversible) this.undo.push(entry);
      this.settle(entry, await stepOperations.apply(entry));
      await verifyUnlessApplyDid(entry);
    });
    return done !== undefined;
  }

  /** Runs one stage's steps in parallel, each on its own (responses before step batches); false when any failed. */
  async runStageStepByStep(stage: PlannedStep[], readAhead?: PromiseSettledResult<unknown>[]): Promise<boolean> {
    return (await allOrCancelled(stage.map((step, index) => this.runStep(step, readAhead?.[index])))).every((ok) => ok);
  }

  /**
   * Reads `steps`' targets, one batch per provider. Never fails: a read that failed (or a batch that did, or
   * was cancelled) is simply missing, and its step reads the target itself when it runs.
   */
  async readAhead(steps: PlannedStep[]): Promise<ReadAhead> {
    const reads: ReadAhead = new Map();
    await Promise.all(
      byProvider(steps, (step) => step).map(async ([provider, group]) => {
        try {
          const outcomes = await stepBatches.snapshot(provider, group.map((step) => ({ incident: this.incident, step })));
          group.forEach((step, index) => {
            const outcome = outcomes[index];
            if (outcome && 'ok' in outcome) reads.set(step.index, outcome.ok);
          });
        } catch {
          // Left unread. A cancellation is seen by the response at its next step (it is in the same scope).
        }
      }),
    );
    return reads;
  }

  /**
   * A stage in batches (responses since step batches): the targets not read ahead are read (one batch per
   * provider), every undo is registered, then one apply per provider runs the stage's steps side by side.
   * A step whose read or apply failed in its batch runs again on its own, with its activity's retries.
   * False when a step failed for good (the failure is recorded).
   */
  async runStageInBatches(stage: PlannedStep[], readAhead: ReadAhead = new Map()): Promise<boolean> {
    const { incident } = this;
    const steps = stage.filter((step) => !this.alreadyApplied(step));
    const unread = steps.filter((step) => !readAhead.has(step.index));
    const reads = unread.length ? new Map([...readAhead, ...(await this.readAhead(unread))]) : readAhead;
    const snapshots = await allOrCancelled(steps.map((step) => this.orFailure(step, async () => (reads.has(step.index) ? reads.get(step.index) : await stepOperations.snapshot({ incident, step })))));
    const entries = steps.flatMap((step, index): AppliedStep[] => {
      const snapshot = snapshots[index];
      return snapshot ? [{ incident, step, before: snapshot.value }] : [];
    });
    // Registered before the change: if apply fails after changing the target, rollback still restores it.
    for (const entry of entries) if (entry.step.reversible) this.undo.push(entry);
    const applied = await allOrCancelled(byProvider(entries, (entry) => entry.step).map(([provider, group]) => this.applyBatch(provider, group)));
    return entries.length === steps.length && applied.every((ok) => ok);
  }

  /** One provider's share of a stage, in one batch; a step that failed in it is applied again on its own. */
  private async applyBatch(provider: string, entries: AppliedStep[]): Promise<boolean> {
    let outcomes: BatchOutcome<Receipt>[] = [];
    try {
      outcomes = await stepBatches.apply(provider, entries);
    } catch (error) {
      if (isCancellation(error)) throw error;
    }
    const done = await allOrCancelled(
      entries.map((entry, index) =>
        this.orFailure(entry.step, async () => {
          const outcome = outcomes[index];
          // The batch may have written before its step failed: on its own, the step keeps the snapshot as
          // the undo's base, as any retry does.
          this.settle(entry, outcome && 'ok' in outcome ? outcome.ok : await stepOperations.apply({ ...entry, retried: true }));
        }),
      ),
    );
    return done.every((result) => result !== undefined);
  }

  /** A step the containment without a plan already applied (same action on the same target) stays as it is. */
  private alreadyApplied(step: PlannedStep): boolean {
    return this.undo.some((entry) => sameStep(entry.step, step));
  }

  /** The undo restores what apply found right before its change (see activities/run-action.ts). */
  private settle(entry: AppliedStep, receipt: Receipt): void {
    entry.before = receipt.before;
    entry.applied = receipt.changed;
    this.record.addReceipt(receipt);
  }

  /** A step's work; when it fails, the failure is recorded and undefined returned. A cancellation goes on. */
  private async orFailure<Value>(step: PlannedStep, work: () => Promise<Value>): Promise<{ value: Value } | undefined> {
    try {
      return { value: await work() };
    } catch (error) {
      if (isCancellation(error)) throw error;
      this.record.addFailure(`step ${step.index} ${step.action} on ${step.target}: ${failureMessage(error)}`);
      return undefined;
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
