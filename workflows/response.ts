import {
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  log,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { decisionRequestSchema } from '../model/decision';
import type { DecisionKind, DecisionRequest, ResponseInput, ResponseView, StepInput } from '../model/response';
import { responseInputSchema } from '../model/response-input';
import { describeIssues } from '../model/validation';
import { planResponse } from '../policy/plan';
import { approveSignal, approveUpdate, detectionSignal, rollbackSignal, rollbackUpdate, statusQuery } from './messages';
import { ResponseRecord } from './response-record';
import { stepOperations } from './step-activities';

/**
 * One response to risk on one identity, as a saga: snapshot and change each target in the plan's order
 * (registering the undo before each change), then wait for an analyst. Approve keeps the containment;
 * rollback undoes every change in reverse; no decision in time leaves the identity contained.
 */
export async function respondToIdentityRisk(input: ResponseInput): Promise<ResponseView> {
  const { signal, playbook } = parseInput(input);
  const incident = workflowInfo().workflowId;
  const record = new ResponseRecord(incident, signal, planOrFail(() => planResponse(signal, playbook, incident)));
  installHandlers(record);

  const undo = await contain(record, incident);
  const decided = await condition(() => record.decision !== undefined, playbook.decisionTimeout);

  if (!decided) {
    log.warn('no decision before the timeout: the identity stays contained', { incident, timeout: playbook.decisionTimeout });
    record.moveTo('timed_out_contained');
  } else if (record.decision?.kind === 'rollback') {
    record.moveTo('rolling_back');
    await compensate(record, undo);
    record.moveTo('rolled_back');
  } else {
    record.moveTo('confirmed');
  }

  await condition(allHandlersFinished);
  return record.view;
}

/** Applies each step in order; stops early on failure (holding what was applied) or on a rollback decision. */
async function contain(record: ResponseRecord, incident: string): Promise<StepInput[]> {
  const undo: StepInput[] = [];
  for (const step of record.view.plan.steps) {
    if (record.decision?.kind === 'rollback') break;
    try {
      const before = await stepOperations.snapshot({ incident, step });
      // Registered before the change: if apply fails after changing the target, rollback still restores it.
      undo.push({ incident, step, before });
      record.addReceipt(await stepOperations.apply({ incident, step, before }));
      await stepOperations.verify({ incident, step, before });
    } catch (error) {
      // Fail safe: keep what was applied, stop changing things, and wait for an analyst.
      record.addFailure(`step ${step.index} ${step.action} on ${step.target}: ${failureMessage(error)}`);
      record.moveTo('containment_failed');
      return undo;
    }
  }
  if (record.state === 'containing') record.moveTo('awaiting_decision');
  return undo;
}

/** Undoes the applied steps in reverse, even if the workflow is being cancelled; every failure is recorded. */
async function compensate(record: ResponseRecord, undo: StepInput[]): Promise<void> {
  await CancellationScope.nonCancellable(async () => {
    for (const input of [...undo].reverse()) {
      try {
        record.addReceipt(await stepOperations.compensate(input));
      } catch (error) {
        record.addFailure(`undo of step ${input.step.index} ${input.step.action} on ${input.step.target}: ${failureMessage(error)}`);
      }
    }
  });
}

function installHandlers(record: ResponseRecord): void {
  setHandler(detectionSignal, (signal) => record.addSignal(signal));
  setHandler(statusQuery, () => record.view);
  const decisions: [DecisionKind, typeof approveSignal, typeof approveUpdate][] = [
    ['approve', approveSignal, approveUpdate],
    ['rollback', rollbackSignal, rollbackUpdate],
  ];
  for (const [kind, signal, update] of decisions) {
    setHandler(signal, (request) => {
      record.decide(kind, request, problemWithRequest(request), new Date().toISOString());
    });
    // Accepted, then failed when denied: a denied attempt stays in history (a validator's rejection would not).
    setHandler(update, async (request) => {
      const problem = record.decide(kind, request, problemWithRequest(request), new Date().toISOString());
      if (problem) throw ApplicationFailure.nonRetryable(problem, 'DecisionDenied');
      await condition(() => record.isFinal());
      return record.view;
    });
  }
}

function problemWithRequest(request: DecisionRequest): string | undefined {
  const parsed = decisionRequestSchema.safeParse(request);
  return parsed.success ? undefined : describeIssues(parsed.error.issues).join('; ');
}

function parseInput(input: ResponseInput): ResponseInput {
  const parsed = responseInputSchema.safeParse(input);
  if (!parsed.success) {
    throw ApplicationFailure.nonRetryable(`invalid response input: ${describeIssues(parsed.error.issues).join('; ')}`, 'InvalidInput');
  }
  return parsed.data;
}

function planOrFail<T>(plan: () => T): T {
  try {
    return plan();
  } catch (error) {
    throw ApplicationFailure.nonRetryable(`cannot plan the response: ${failureMessage(error)}`, 'InvalidPlan');
  }
}

/** The innermost cause says what actually went wrong (an ActivityFailure wraps the activity's error). */
function failureMessage(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}
