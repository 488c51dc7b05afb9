import { CancellationScope, isCancellation } from '@temporalio/workflow';
import type { BatchOutcome } from '../api/step-batches';
import type { AppliedStep, PlannedStep, Receipt, Tampering } from '../model/response';
import { stepBatches, stepOperations } from './step-activities';

/** Targets read ahead of their steps, by step index. */
export type ReadAhead = Map<number, unknown>;

/** What the saga tells its owner (the response's record): each change, each failure, each tampering seen. */
export interface SagaJournal {
  addReceipt(receipt: Receipt): void;
  addFailure(failure: string): void;
  addTampering(tampering: Tampering): void;
}

/** How a run of stages ended: all applied, a step failed (what was applied is held), or stopped for a decision. */
export type StagesOutcome = 'applied' | 'failed' | 'interrupted';

/** The innermost cause says what actually went wrong (an ActivityFailure wraps the activity's error). */
export function failureMessage(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
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
function byProvider<Item>(items: Item[], stepOf: (item: Item) => PlannedStep): [PlannedStep, Item[]][] {
  const groups = new Map<string, [PlannedStep, Item[]]>();
  for (const item of items) {
    const step = stepOf(item);
    const group = groups.get(step.provider);
    if (group) group[1].push(item);
    else groups.set(step.provider, [step, [item]]);
  }
  return [...groups.values()];
}

/** Waits for all; if one was cancelled, goes on with the cancellation once every other has finished. */
async function allOrCancelled<Value>(work: Promise<Value>[]): Promise<Value[]> {
  const outcomes = await Promise.allSettled(work);
  const cancelled = outcomes.find(
    (outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected' && isCancellation(outcome.reason),
  );
  if (cancelled) throw cancelled.reason;
  return outcomes.map((outcome) => {
    if (outcome.status === 'rejected') throw outcome.reason;
    return outcome.value;
  });
}

const sameStep = (a: PlannedStep, b: PlannedStep) =>
  a.action === b.action && JSON.stringify(a.params) === JSON.stringify(b.params);

const stepName = (step: PlannedStep) => `step ${step.index} ${step.action} on ${step.target}`;

/**
 * The saga's ledger of what is applied, for any kind of response: each step snapshots its target and
 * registers its undo before it changes anything, and an undo leaves the ledger only once it is done, so a
 * failed undo can be retried and a cancellation never undoes a step twice. While a response waits, the
 * ledger is also its watch list.
 */
export class Saga {
  private undo: AppliedStep[];

  /** `applied`: the ledger a previous run of the response handed over, if it continued as new. */
  constructor(
    private readonly journal: SagaJournal,
    readonly incident: string,
    applied: AppliedStep[] = [],
  ) {
    this.undo = [...applied];
  }

  /** The reversible steps still applied, in the order they were applied. */
  get applied(): AppliedStep[] {
    return [...this.undo];
  }

  /** The applied steps, named for people (what an undo left in place, or a cancel held). */
  get appliedNames(): string[] {
    return this.undo.map((entry) => stepName(entry.step));
  }

  /**
   * Applies stages in order, each in batches (below). Stops early, before the next stage, when `interrupt`
   * says so (an analyst's rollback arrived); `readAhead`: targets read while the guard decided.
   */
  async applyStages(
    stages: PlannedStep[][],
    interrupt: () => boolean,
    readAhead?: Promise<ReadAhead>,
  ): Promise<StagesOutcome> {
    for (const stage of stages) {
      if (interrupt()) return 'interrupted';
      if (!(await this.applyStage(stage, await readAhead))) return 'failed';
    }
    return 'applied';
  }

  /**
   * Reads `steps`' targets, one batch per provider. Never fails: a read that failed (or a batch that did, or
   * was cancelled) is simply missing, and its step reads the target itself when it runs.
   */
  async readAhead(steps: PlannedStep[]): Promise<ReadAhead> {
    const reads: ReadAhead = new Map();
    await Promise.all(
      byProvider(steps, (step) => step).map(async ([first, group]) => {
        try {
          const outcomes = await stepBatches.snapshot(
            first,
            group.map((step) => ({ incident: this.incident, step })),
          );
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
   * One stage: the targets not read ahead are read (one batch per provider), every undo is registered, then
   * one apply per provider runs the stage's steps side by side. A step whose read or apply failed in its
   * batch runs again on its own, with its activity's retries. False when a step failed for good (recorded).
   */
  private async applyStage(stage: PlannedStep[], readAhead: ReadAhead = new Map()): Promise<boolean> {
    const { incident } = this;
    const steps = stage.filter((step) => !this.alreadyApplied(step));
    const unread = steps.filter((step) => !readAhead.has(step.index));
    const reads = unread.length ? new Map([...readAhead, ...(await this.readAhead(unread))]) : readAhead;
    const snapshots = await allOrCancelled(
      steps.map((step) =>
        this.orFailure(step, async () =>
          reads.has(step.index) ? reads.get(step.index) : await stepOperations.snapshot({ incident, step }),
        ),
      ),
    );
    const entries = steps.flatMap((step, index): AppliedStep[] => {
      const snapshot = snapshots[index];
      return snapshot ? [{ incident, step, before: snapshot.value }] : [];
    });
    // Registered before the change: if apply fails after changing the target, rollback still restores it.
    for (const entry of entries) if (entry.step.reversible) this.undo.push(entry);
    const applied = await allOrCancelled(
      byProvider(entries, (entry) => entry.step).map(([first, group]) => this.applyBatch(first, group)),
    );
    return entries.length === steps.length && applied.every((ok) => ok);
  }

  /** One provider's share of a stage, in one batch; a step that failed in it is applied again on its own. */
  private async applyBatch(first: PlannedStep, entries: AppliedStep[]): Promise<boolean> {
    let outcomes: BatchOutcome<Receipt>[] = [];
    try {
      outcomes = await stepBatches.apply(first, entries);
    } catch (error) {
      if (isCancellation(error)) throw error;
    }
    const done = await allOrCancelled(
      entries.map((entry, index) =>
        this.orFailure(entry.step, async () => {
          const outcome = outcomes[index];
          // The batch may have written before its step failed: on its own, the step keeps the snapshot as
          // the undo's base, as any retry does.
          this.settle(
            entry,
            outcome && 'ok' in outcome ? outcome.ok : await stepOperations.apply({ ...entry, retried: true }),
          );
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
    this.journal.addReceipt(receipt);
  }

  /** A step's work; when it fails, the failure is recorded and undefined returned. A cancellation goes on. */
  private async orFailure<Value>(step: PlannedStep, work: () => Promise<Value>): Promise<{ value: Value } | undefined> {
    try {
      return { value: await work() };
    } catch (error) {
      if (isCancellation(error)) throw error;
      this.journal.addFailure(`${stepName(step)}: ${failureMessage(error)}`);
      return undefined;
    }
  }

  /**
   * The watch: re-checks every applied step; a target someone changed back is tampering, recorded with what
   * was seen and, unless the plan only alerts, applied again (apply waits until the change shows).
   */
  async watch(onTamper: 'reapply' | 'alert'): Promise<void> {
    const { journal } = this;
    for (const entry of this.applied) {
      try {
        const check = await stepOperations.check(entry);
        if (check.holds) continue;
        journal.addTampering({
          step: entry.step.index,
          action: check.action,
          target: check.target,
          expected: check.expected,
          observed: check.observed,
          at: new Date().toISOString(),
          response: onTamper === 'reapply' ? 'reapplied' : 'alerted',
        });
        if (onTamper === 'reapply') journal.addReceipt(await stepOperations.apply(entry));
      } catch (error) {
        if (isCancellation(error)) throw error;
        journal.addFailure(`watch of ${stepName(entry.step)}: ${failureMessage(error)}`);
      }
    }
  }

  /**
   * Undoes every applied step in reverse, even while the workflow is being cancelled. Returns whether a
   * target had drifted (left as someone else set it) and which undos failed after their retries (they stay
   * in the ledger).
   */
  async undoAll(): Promise<{ drifted: boolean; failed: AppliedStep[] }> {
    const { journal } = this;
    let drifted = false;
    const failed: AppliedStep[] = [];
    await CancellationScope.nonCancellable(async () => {
      for (const entry of [...this.undo].reverse()) {
        try {
          const receipt = await stepOperations.compensate(entry);
          journal.addReceipt(receipt);
          drifted ||= receipt.drift !== undefined;
        } catch (error) {
          journal.addFailure(`undo of ${stepName(entry.step)}: ${failureMessage(error)}`);
          failed.push(entry);
        }
      }
    });
    this.undo = this.undo.filter((entry) => failed.includes(entry));
    return { drifted, failed };
  }
}
