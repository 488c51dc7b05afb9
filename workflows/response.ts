import { allHandlersFinished, ApplicationFailure, CancellationScope, condition, log, setHandler, workflowInfo } from '@temporalio/workflow';
import { decisionRequestSchema } from '../model/decision';
import type { Decision, DecisionKind, DecisionRequest, Plan, PlannedStep, ResponseInput, ResponseView, StepInput } from '../model/response';
import { responseInputSchema } from '../model/response-input';
import type { RecordedSignal } from '../model/signal';
import { identityAccount } from '../model/identity';
import { describeIssues } from '../model/validation';
import { detectionSignal, DECISION_MESSAGES, statusQuery } from '../api/response-messages';
import { admitContainment, describeIdentity, planResponse, verifyDecision } from './engine-activities';
import { ResponseRecord } from './response-record';
import { stepOperations } from './step-activities';

/**
 * One response to risk on one identity, as a saga: resolve the playbook, (wait for approval when the
 * identity is protected or the blast-radius guard says so), snapshot and change each target in the plan's
 * order (registering the undo before each change), then wait for an analyst. Approve or confirm keeps the
 * containment; rollback undoes every change in reverse; the playbook decides what a timeout or TTL does.
 */
export async function respondToIdentityRisk(input: ResponseInput): Promise<ResponseView> {
  const signal = parseInput(input);
  const incident = workflowInfo().workflowId;
  const record = new ResponseRecord(incident, signal);
  installHandlers(record);
  await respond(record, signal, incident);
  await condition(allHandlersFinished);
  return record.view;
}

async function respond(record: ResponseRecord, signal: RecordedSignal, incident: string): Promise<void> {
  // The plan is computed once and recorded: rollback undoes exactly what was planned and applied, whatever
  // the action catalog or the playbooks say by then.
  const plan = await planResponse({ signal, incident, tags: await describeIdentity(signal.identity), now: new Date().toISOString() });
  if (!plan) {
    log.warn('no playbook matches the signal: nothing is changed', { incident });
    record.moveTo('no_playbook');
    return;
  }
  record.setPlan(plan);

  const guardedBecause = plan.approval.beforeContainment.length
    ? plan.approval.beforeContainment
    : await admissionProblems(incident, identityAccount(signal.identity));
  if (guardedBecause.length) {
    record.guard(guardedBecause);
    record.moveTo('awaiting_approval');
    const decision = await awaitDecision(record, plan.decision.timeout);
    if (!decision) {
      if (plan.decision.onTimeout !== 'escalate') return record.moveTo('expired');
      record.escalate(plan.decision.escalateTo ?? plan.approval.group);
      if ((await awaitDecision(record))?.kind !== 'approve') return record.moveTo('rejected');
    } else if (decision.kind === 'reject') {
      return record.moveTo('rejected');
    }
  }

  record.moveTo('containing');
  const undo: StepInput[] = [];
  const failed = await contain(record, plan, incident, undo);
  if (failed && plan.onFailure === 'rollback') return rollBack(record, undo);
  if (record.pendingDecision?.kind === 'rollback') {
    record.takeDecision();
    return rollBack(record, undo);
  }
  record.moveTo(failed ? 'containment_failed' : 'awaiting_decision');

  // A TTL, when set, is shorter than the decision timeout (checked at load): it fires first.
  const decision = await awaitDecision(record, plan.ttl ?? plan.decision.timeout);
  if (decision) return decide(record, plan, incident, undo, decision);
  if (plan.ttl) {
    log.info('containment TTL passed without confirmation: reverting', { incident, ttl: plan.ttl });
    await compensate(record, undo);
    return record.moveTo('reverted');
  }
  log.warn('no decision before the timeout', { incident, timeout: plan.decision.timeout, onTimeout: plan.decision.onTimeout });
  if (plan.decision.onTimeout === 'stay_contained') return record.moveTo('timed_out_contained');
  if (plan.decision.onTimeout === 'rollback') return rollBack(record, undo);
  record.escalate(plan.decision.escalateTo ?? plan.approval.group);
  const late = await awaitDecision(record);
  if (late) return decide(record, plan, incident, undo, late);
}

/** Acts on an analyst's decision after containment. */
async function decide(record: ResponseRecord, plan: Plan, incident: string, undo: StepInput[], decision: Decision): Promise<void> {
  if (decision.kind === 'rollback') return rollBack(record, undo);
  if (decision.kind === 'approve' && plan.afterApproval.length) {
    record.moveTo('finishing');
    await runSteps(record, [plan.afterApproval], incident, []);
  }
  record.moveTo('confirmed');
}

/** Waits for a decision (forever without a timeout) and takes it; undefined when the timeout passes first. */
async function awaitDecision(record: ResponseRecord, timeout?: Plan['decision']['timeout']): Promise<Decision | undefined> {
  const decided = () => record.pendingDecision !== undefined;
  if (timeout) await condition(decided, timeout);
  else await condition(decided);
  return record.takeDecision();
}

/** The blast-radius guard's verdict: empty when the response may contain at once. */
async function admissionProblems(incident: string, account: string): Promise<string[]> {
  const admission = await admitContainment({ response: `${incident}@${workflowInfo().runId}`, account });
  return admission.admitted ? [] : [admission.reason];
}

/** Applies the containment stages in order; returns true when a step failed (what was applied is held). */
async function contain(record: ResponseRecord, plan: Plan, incident: string, undo: StepInput[]): Promise<boolean> {
  for (const stage of plan.stages) {
    if (record.pendingDecision?.kind === 'rollback') return false;
    if (!(await runSteps(record, [stage], incident, undo))) return true;
  }
  return false;
}

/** Runs stages of steps (the steps of one stage in parallel); false when any step failed. */
async function runSteps(record: ResponseRecord, stages: PlannedStep[][], incident: string, undo: StepInput[]): Promise<boolean> {
  for (const stage of stages) {
    const outcomes = await Promise.all(stage.map((step) => runStep(record, step, incident, undo)));
    if (outcomes.includes(false)) return false;
  }
  return true;
}

async function runStep(record: ResponseRecord, step: PlannedStep, incident: string, undo: StepInput[]): Promise<boolean> {
  try {
    const before = await stepOperations.snapshot({ incident, step });
    // Registered before the change: if apply fails after changing the target, rollback still restores it.
    if (step.reversible) undo.push({ incident, step, before });
    record.addReceipt(await stepOperations.apply({ incident, step, before }));
    await stepOperations.verify({ incident, step, before });
    return true;
  } catch (error) {
    record.addFailure(`step ${step.index} ${step.action} on ${step.target}: ${failureMessage(error)}`);
    return false;
  }
}

async function rollBack(record: ResponseRecord, undo: StepInput[]): Promise<void> {
  record.moveTo('rolling_back');
  const drifted = await compensate(record, undo);
  if (drifted) {
    // Someone else changed a target since: idra left it as they set it, and an analyst must look.
    record.moveTo('needs_review');
    await condition(() => record.pendingDecision !== undefined);
    record.takeDecision();
  }
  record.moveTo('rolled_back');
}

/** Undoes the applied steps in reverse, even if the workflow is being cancelled; returns whether any drifted. */
async function compensate(record: ResponseRecord, undo: StepInput[]): Promise<boolean> {
  let drifted = false;
  await CancellationScope.nonCancellable(async () => {
    for (const input of [...undo].reverse()) {
      try {
        const receipt = await stepOperations.compensate(input);
        record.addReceipt(receipt);
        drifted ||= receipt.drift !== undefined;
      } catch (error) {
        record.addFailure(`undo of step ${input.step.index} ${input.step.action} on ${input.step.target}: ${failureMessage(error)}`);
      }
    }
  });
  return drifted;
}

function installHandlers(record: ResponseRecord): void {
  // The client's identity is self-declared: the analyst is whoever the verified assertion says.
  const problemWith = async (request: DecisionRequest): Promise<string | undefined> =>
    problemWithRequest(request) ?? (await verifyDecision({ assertion: request.assertion, analyst: request.analyst, incident: record.view.incident })) ?? undefined;

  setHandler(detectionSignal, (signal) => record.addSignal(signal));
  setHandler(statusQuery, () => record.view);
  for (const [kind, { signal, update }] of Object.entries(DECISION_MESSAGES) as [DecisionKind, (typeof DECISION_MESSAGES)[DecisionKind]][]) {
    setHandler(signal, async (request) => {
      record.decide(kind, request, await problemWith(request), new Date().toISOString());
    });
    // Accepted, then failed when denied: a denied attempt stays in history (a validator's rejection would not).
    setHandler(update, async (request) => {
      const problem = record.decide(kind, request, await problemWith(request), new Date().toISOString());
      if (problem) throw ApplicationFailure.nonRetryable(problem, 'DecisionDenied');
      // The caller gets the response as it stands once this decision has played out.
      await condition(() => record.pendingDecision === undefined && record.state !== 'containing' && record.state !== 'rolling_back' && record.state !== 'finishing');
      return record.view;
    });
  }
}

function problemWithRequest(request: DecisionRequest): string | undefined {
  const parsed = decisionRequestSchema.safeParse(request);
  return parsed.success ? undefined : describeIssues(parsed.error.issues).join('; ');
}

function parseInput(input: ResponseInput): RecordedSignal {
  const parsed = responseInputSchema.safeParse(input);
  if (!parsed.success) {
    throw ApplicationFailure.nonRetryable(`invalid response input: ${describeIssues(parsed.error.issues).join('; ')}`, 'InvalidInput');
  }
  return parsed.data.signal;
}

/** The innermost cause says what actually went wrong (an ActivityFailure wraps the activity's error). */
function failureMessage(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}
