import { allHandlersFinished, ApplicationFailure, CancellationScope, condition, continueAsNew, isCancellation, log, patched, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import { DECISION_MESSAGES, detectionSignal, statusQuery } from '../api/response-messages';
import { unmeetableApproval } from '../model/approval';
import { decisionRequestSchema } from '../model/decision';
import { durationMs } from '../model/duration';
import { identityAccount } from '../model/identity';
import type { AppliedStep, Decision, DecisionKind, DecisionRequest, Plan, PlannedStep, ResponseInput, ResponseView, WaitingPoint } from '../model/response';
import { responseInputSchema } from '../model/response-input';
import type { RecordedSignal } from '../model/signal';
import { describeIssues } from '../model/validation';
import { admissionVerdict, describeIdentity, fallbackPlan, planResponse, verifyDecision } from './engine-activities';
import { historyNearLimits } from './history-limits';
import { ResponseRecord } from './response-record';
import { PATCHES } from './patches';
import { failureMessage, type ReadAhead, readableAhead, Saga } from './saga';

/**
 * One response to risk on one identity, as a saga: plan (the plan is recorded), (wait for approval when
 * the identity is protected or the blast-radius guard says so), snapshot and change each target in the
 * plan's order (registering the undo before each change), then wait for an analyst. Approve or confirm
 * keeps the containment; rollback undoes every change in reverse; the playbook decides what a timeout or
 * TTL does. Cancelled (by an analyst's `cancel`, or through Temporal), it undoes or holds, as the plan says.
 * A response that waits long (signals and decisions piling up) continues as new from where it waits.
 */
export async function respondToIdentityRisk(input: ResponseInput): Promise<ResponseView> {
  const { signal, carried } = parseInput(input);
  const incident = workflowInfo().workflowId;
  const record = new ResponseRecord(incident, signal, carried);
  const saga = new Saga(record, incident, carried?.applied);
  const main = new CancellationScope();
  installHandlers(record, () => main.cancel());
  try {
    await main.run(() => (carried ? resume(saga, carried.waiting) : respond(saga, signal)));
  } catch (error) {
    if (!isCancellation(error)) throw error;
    await CancellationScope.nonCancellable(() => endCancelled(saga));
    // Cancelled through Temporal: the run ends as cancelled. An analyst's cancel ends it as completed.
    if (!record.cancellation) {
      await CancellationScope.nonCancellable(() => condition(allHandlersFinished));
      throw error;
    }
  }
  await condition(allHandlersFinished);
  return record.view;
}

async function respond(saga: Saga, signal: RecordedSignal): Promise<void> {
  const { record, incident } = saga;
  await verifyRaiser(record, signal);
  // Planning sees the raiser only if they count (four-eyes in the plan's notes).
  const plan = await planUntilDone(saga, record.view.raisedBy.length ? signal : { ...signal, requestedBy: undefined });
  if (!plan) {
    // What was contained while planning failed answered no playbook after all: it is undone.
    if (saga.applied.length) return rollBack(saga);
    log.warn('no playbook matches the signal: nothing is changed', { incident });
    record.moveTo('no_playbook');
    return;
  }
  const batched = patched(PATCHES.stepBatches);
  record.setPlan(plan, batched ? 'with-next-state' : 'now');

  if (plan.approval.beforeContainment.length) return awaitApprovalFirst(saga, plan, plan.approval.beforeContainment);
  // While the guard decides, targets are read: its verdict is still in history before any change, and the
  // key comes off one round trip sooner. Reads made while the guard was silent are stale.
  const readAhead = batched ? saga.readAhead(readableAhead(plan.stages)) : patched(PATCHES.readWhileAdmitting) ? saga.snapshotStage(plan.stages[0] ?? []) : undefined;
  const admission = await admissionProblems(saga, identityAccount(signal.identity));
  if (admission.problems.length) return awaitApprovalFirst(saga, plan, admission.problems);
  return containAndAwait(saga, plan, admission.waited ? undefined : readAhead);
}

function awaitApprovalFirst(saga: Saga, plan: Plan, guardedBecause: string[]): Promise<void> {
  const { record } = saga;
  record.guard(guardedBecause);
  record.moveTo('awaiting_approval');
  return awaitApproval(saga, plan, deadlineAfter(plan.decision.timeout));
}

/** A run that continued as new goes on from the wait the previous run was in. */
async function resume(saga: Saga, waiting: WaitingPoint): Promise<void> {
  const { plan } = saga.record.view;
  if (waiting.at === 'review' || waiting.at === 'rollback_failed') return rollBack(saga, waiting.done, waiting.at);
  // Every other wait comes after planning.
  if (!plan) throw ApplicationFailure.nonRetryable(`carried state waits at ${waiting.at} without a plan`, 'InvalidInput');
  if (waiting.at === 'approval') return awaitApproval(saga, plan, waiting.deadline);
  if (waiting.at === 'approval_escalated') return awaitEscalatedApproval(saga, plan);
  if (waiting.at === 'decision') return awaitOutcome(saga, plan, waiting.deadline);
  return awaitLateOutcome(saga, plan);
}

function deadlineAfter(duration: Plan['decision']['timeout']): number {
  return Date.now() + durationMs(duration);
}

/** Guarded: nothing changes until approved; the playbook says what a timeout does. */
async function awaitApproval(saga: Saga, plan: Plan, deadline: number): Promise<void> {
  const { record } = saga;
  // Nobody could ever approve (e.g. four-eyes and the raiser is one of only two approvers): escalate now.
  const unmeetable = patched(PATCHES.escalateUnmeetableApproval) ? unmeetableApproval(plan.approval, record.view.raisedBy) : undefined;
  if (unmeetable) {
    record.escalate(plan.decision.escalateTo ?? plan.approval.group, unmeetable);
    return awaitEscalatedApproval(saga, plan);
  }
  const decision = await awaitDecision(saga, { at: 'approval', deadline });
  if (!decision) {
    if (plan.decision.onTimeout !== 'escalate') return record.moveTo('expired');
    record.escalate(plan.decision.escalateTo ?? plan.approval.group, `no decision within ${plan.decision.timeout}`);
    return awaitEscalatedApproval(saga, plan);
  }
  if (decision.kind === 'reject') return record.moveTo('rejected');
  return containAndAwait(saga, plan);
}

async function awaitEscalatedApproval(saga: Saga, plan: Plan): Promise<void> {
  if ((await awaitDecision(saga, { at: 'approval_escalated' }))?.kind !== 'approve') return saga.record.moveTo('rejected');
  return containAndAwait(saga, plan);
}

/** Contains, then waits for a decision (or the TTL, or the timeout). `readAhead`: targets read while admitting. */
async function containAndAwait(saga: Saga, plan: Plan, readAhead?: Promise<StageReads>): Promise<void> {
  const { record } = saga;
  record.moveTo('containing');
  const failed = !(await contain(saga, plan.stages, readAhead));
  if (failed && plan.onFailure === 'rollback') return rollBack(saga);
  if (record.pendingDecision?.kind === 'rollback') {
    record.takeDecision();
    return rollBack(saga);
  }
  record.moveTo(failed ? 'containment_failed' : 'awaiting_decision');
  // A TTL, when set, is shorter than the decision timeout (checked at load): it fires first.
  return awaitOutcome(saga, plan, deadlineAfter(plan.ttl ?? plan.decision.timeout));
}

async function awaitOutcome(saga: Saga, plan: Plan, deadline: number): Promise<void> {
  const { record, incident } = saga;
  const decision = await awaitDecision(saga, { at: 'decision', deadline }, plan);
  if (decision) return decide(saga, plan, decision);
  if (plan.ttl) {
    log.info('containment TTL passed without confirmation: reverting', { incident, ttl: plan.ttl });
    return rollBack(saga, 'reverted');
  }
  log.warn('no decision before the timeout', { incident, timeout: plan.decision.timeout, onTimeout: plan.decision.onTimeout });
  if (plan.decision.onTimeout === 'stay_contained') return record.moveTo('timed_out_contained');
  if (plan.decision.onTimeout === 'rollback') return rollBack(saga);
  record.escalate(plan.decision.escalateTo ?? plan.approval.group, `no decision within ${plan.decision.timeout}`);
  return awaitLateOutcome(saga, plan);
}

async function awaitLateOutcome(saga: Saga, plan: Plan): Promise<void> {
  const late = await awaitDecision(saga, { at: 'decision_escalated' }, plan);
  if (late) return decide(saga, plan, late);
}

/** How long a blocked response waits before it tries again: 5 s, doubling to at most 2 minutes. */
function retryDelayMs(round: number): number {
  return Math.min(5_000 * 2 ** round, 120_000);
}

/**
 * Describes the identity and plans, until that works. While it fails the response is `blocked` (with the
 * reason), and where the signal alone calls for a containment (a leaked access key of an identity the
 * inventory says is not protected) it applies that at once, within the blast-radius limits.
 */
async function planUntilDone(saga: Saga, signal: RecordedSignal): Promise<Plan | null> {
  const { record, incident } = saga;
  for (let round = 0; ; round++) {
    try {
      const plan = await planResponse({ signal, incident, facts: await describeIdentity(signal.identity), now: new Date().toISOString() });
      record.unblock();
      return plan;
    } catch (error) {
      if (isCancellation(error)) throw error;
      record.block(`cannot plan the response: ${failureMessage(error)}`);
      if (round === 0) await containWithoutPlan(saga, signal);
      await sleep(retryDelayMs(round));
    }
  }
}

/** The containment the signal alone calls for, while planning fails; a failure here only leaves it blocked. */
async function containWithoutPlan(saga: Saga, signal: RecordedSignal): Promise<void> {
  const { record, incident } = saga;
  let plan: Plan | null;
  try {
    plan = await fallbackPlan({ signal, incident, now: new Date().toISOString() });
  } catch (error) {
    if (isCancellation(error)) throw error;
    record.addFailure(`no containment without a plan: ${failureMessage(error)}`);
    return;
  }
  if (!plan) return;
  // The provisional plan names who may decide (e.g. cancel) until the real one is recorded.
  record.setPlan(plan);
  const { problems } = await admissionProblems(saga, identityAccount(signal.identity));
  if (problems.length) return record.guard(problems);
  await contain(saga, plan.stages);
  record.moveTo('blocked');
}

/** Acts on an analyst's decision after containment. */
async function decide(saga: Saga, plan: Plan, decision: Decision): Promise<void> {
  if (decision.kind === 'rollback') return rollBack(saga);
  if (decision.kind === 'approve' && plan.afterApproval.length) {
    saga.record.moveTo('finishing');
    // In order, one at a time: a rotation deferred for lack of room runs only once the delete made room.
    await contain(saga, plan.afterApproval.map((step) => [step]));
  }
  saga.record.moveTo('confirmed');
}

/**
 * Waits for a decision and takes it: until the waiting point's deadline (undefined when it passes first), or
 * forever. Given a plan that watches (only while contained), re-checks every applied step each `plan.watch`
 * (tampering is recorded and, as the plan says, undone by applying again). When the history nears
 * Temporal's limits (signals and decisions piling up on a long wait), continues as new from this point.
 */
async function awaitDecision(saga: Saga, waiting: WaitingPoint, watching?: Plan): Promise<Decision | undefined> {
  const { record } = saga;
  const every = watching?.watch ? durationMs(watching.watch) : undefined;
  const deadline = 'deadline' in waiting ? waiting.deadline : undefined;
  const historyFull = () => historyNearLimits(record.updatesReceived) && allHandlersFinished();
  for (;;) {
    const left = deadline === undefined ? undefined : deadline - Date.now();
    if (left !== undefined && left <= 0) return record.takeDecision();
    const wait = every === undefined ? left : Math.min(every, left ?? every);
    const woken = () => record.pendingDecision !== undefined || historyFull();
    let wokenBeforeTimer = true;
    if (wait === undefined) await condition(woken);
    else wokenBeforeTimer = await condition(woken, wait);
    if (record.pendingDecision) return record.takeDecision();
    if (wokenBeforeTimer) return continueFrom(saga, waiting);
    // The timeout (or TTL) is up: what happens now is the playbook's to say, not the watch's.
    if (deadline !== undefined && Date.now() >= deadline) return record.takeDecision();
    if (watching) await saga.watch(watching.onTamper);
  }
}

/** Hands the record, the saga's ledger and the waiting point to a new run of this response. */
function continueFrom(saga: Saga, waiting: WaitingPoint): Promise<never> {
  const { record } = saga;
  log.info('history nears its limits: continuing as new', { incident: saga.incident, waiting: waiting.at, events: workflowInfo().historyLength });
  const first = record.view.signals[0];
  if (!first) throw ApplicationFailure.nonRetryable('a response without its first signal cannot continue', 'InvalidState');
  return continueAsNew<typeof respondToIdentityRisk>({ signal: first, carried: { ...record.carry(), applied: saga.applied, waiting } });
}

/**
 * The blast-radius verdict: no problems when the response may contain at once. When the guard does not
 * answer, the worker's own conservative limit decides; what that refuses stays blocked and asks the guard
 * again (`waited`: the verdict came after such a wait).
 */
async function admissionProblems(saga: Saga, account: string): Promise<{ problems: string[]; waited: boolean }> {
  const response = `${saga.incident}@${workflowInfo().runId}`;
  for (let round = 0; ; round++) {
    const admission = await admissionVerdict({ response, account }, round === 0);
    if (admission) {
      if (round > 0) saga.record.unblock();
      return { problems: admission.admitted ? [] : [admission.reason], waited: round > 0 };
    }
    saga.record.block('the blast-radius guard does not answer and this worker\'s fallback limit is reached: asking the guard again');
    await sleep(retryDelayMs(round));
  }
}

/**
 * Targets read ahead of a containment: by step index, for any stage (since step batches); or, in responses
 * before it, the first stage's settled snapshots in its order.
 */
type StageReads = ReadAhead | PromiseSettledResult<unknown>[];

/** Applies the containment stages in order; false when a step failed (what was applied is held). */
async function contain(saga: Saga, stages: PlannedStep[][], readAhead?: Promise<StageReads>): Promise<boolean> {
  for (const [index, stage] of stages.entries()) {
    if (saga.record.pendingDecision?.kind === 'rollback') return true;
    if (patched(PATCHES.stepBatches)) {
      const reads = await readAhead;
      if (!(await saga.runStageInBatches(stage, reads instanceof Map ? reads : undefined))) return false;
      continue;
    }
    const reads = index === 0 ? await readAhead : undefined;
    if (!(await saga.runStageStepByStep(stage, Array.isArray(reads) ? reads : undefined))) return false;
  }
  return true;
}

/**
 * Undoes what is applied, in reverse. A target changed by someone else since is left as they set it and an
 * analyst must look (`needs_review`); an undo that failed after its retries leaves its step named
 * (`rollback_failed`), and `rollback` again retries exactly those.
 */
async function rollBack(saga: Saga, done: 'rolled_back' | 'reverted' = 'rolled_back', resumeAt?: 'review' | 'rollback_failed'): Promise<void> {
  const { record } = saga;
  if (resumeAt === 'review') {
    await awaitDecision(saga, { at: 'review', done });
    return record.moveTo(done);
  }
  if (resumeAt === 'rollback_failed') await awaitDecision(saga, { at: 'rollback_failed', done });
  for (;;) {
    record.moveTo('rolling_back');
    const { drifted, failed } = await saga.undoAll();
    if (failed.length === 0) {
      if (drifted) {
        record.moveTo('needs_review');
        await awaitDecision(saga, { at: 'review', done });
      }
      return record.moveTo(done);
    }
    record.moveTo('rollback_failed');
    // The only decision this state takes besides cancel is rollback: try the failed undos again.
    await awaitDecision(saga, { at: 'rollback_failed', done });
  }
}

/** The end of a cancelled response: undo (or hold, as the plan says) and say which. */
async function endCancelled(saga: Saga): Promise<void> {
  const { record } = saga;
  const hold = record.view.plan?.onCancel === 'hold';
  log.warn('response cancelled', { incident: saga.incident, by: record.cancellation?.analyst ?? 'a Temporal cancellation request', hold });
  const left: AppliedStep[] = hold ? saga.applied : (await saga.undoAll()).failed;
  record.moveTo(left.length ? 'cancelled_with_changes' : 'cancelled');
}

function installHandlers(record: ResponseRecord, cancel: () => void): void {
  // The client's identity is self-declared: the analyst is whoever the verified assertion says.
  const problemWith = async (request: DecisionRequest): Promise<string | undefined> => {
    const malformed = problemWithRequest(request);
    if (malformed) return malformed;
    const verdict = await verifyDecision({ assertion: request.assertion, analyst: request.analyst, incident: record.view.incident });
    return 'refused' in verdict ? verdict.refused : record.spendToken(verdict, Date.now());
  };
  // Decisions are judged one at a time, in the order they arrived: each waits for its token check, and a
  // later one must never overtake an earlier one (a rollback sent first is the one that counts).
  let judged: Promise<unknown> = Promise.resolve();
  const take = (kind: DecisionKind, request: DecisionRequest): Promise<string | undefined> => {
    const verdict = judged.then(async () => {
      const problem = record.decide(kind, request, await problemWith(request), new Date().toISOString());
      if (!problem && kind === 'cancel') cancel();
      return problem;
    });
    judged = verdict.catch(() => undefined);
    return verdict;
  };

  // A hand-raised signal counts its raiser only once their token is verified; in the same order as the
  // decisions, so a raiser's own approval sent right after can never be judged before they count.
  setHandler(detectionSignal, async (signal) => {
    record.addSignal(signal);
    if (!signal.requestedBy) return;
    const verified = judged.then(() => verifyRaiser(record, signal));
    judged = verified.catch(() => undefined);
    await verified;
  });
  setHandler(statusQuery, () => record.view);
  for (const [kind, { signal, update }] of Object.entries(DECISION_MESSAGES) as [DecisionKind, (typeof DECISION_MESSAGES)[DecisionKind]][]) {
    setHandler(signal, async (request) => {
      await take(kind, request);
    });
    // Accepted, then failed when denied: a denied attempt stays in history (a validator's rejection would not).
    setHandler(update, async (request) => {
      record.updatesReceived++;
      const problem = await take(kind, request);
      if (problem) throw ApplicationFailure.nonRetryable(problem, 'DecisionDenied');
      // The caller gets the response as it stands once this decision has played out.
      await condition(() => record.pendingDecision === undefined && !['containing', 'rolling_back', 'finishing'].includes(record.state) && (kind !== 'cancel' || record.isFinal()));
      return record.view;
    });
  }
}

/** Records a signal's raiser when their token holds (and spends it); otherwise says why they do not count. */
async function verifyRaiser(record: ResponseRecord, signal: RecordedSignal): Promise<void> {
  if (!signal.requestedBy) return;
  const verdict = await verifyDecision({ assertion: signal.requestedByAssertion, analyst: signal.requestedBy, incident: record.view.incident });
  const problem = 'refused' in verdict ? verdict.refused : record.spendToken(verdict, Date.now());
  if (problem) record.addFailure(`signal ${signal.id} names ${signal.requestedBy} as its raiser without their valid token (${problem}): not counted as raiser`);
  else record.addRaiser(signal.requestedBy);
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
  if (parsed.data.carried && !workflowInfo().continuedFromExecutionRunId) {
    throw ApplicationFailure.nonRetryable('invalid response input: carried: only a response continuing as new hands over its state', 'InvalidInput');
  }
  return parsed.data;
}
