import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  log,
  workflowInfo,
} from '@temporalio/workflow';
import { unmeetableApproval } from '../model/approval';
import type { AcceptedInput, Plan, ResponseInput, ResponseView, WaitingPoint } from '../model/response';
import type { RecordedSignal } from '../model/signal';
import { DecisionDesk, verifyRaiser } from './decision-desk';
import { validateInput } from './engine-activities';
import { KIND_FLOWS } from './kinds';
import { admissionProblems, planUntilDone } from './planning';
import { ResponseContext } from './response-context';
import { ResponseRecord } from './response-record';
import { failureMessage, readableAhead, Saga } from './saga';
import { endCancelled, undoAll } from './undo';
import { awaitDecision, deadlineAfter } from './waiting';

/**
 * One response to risk on one identity, as a saga, for every kind of response: check the input, plan (the
 * plan is recorded), wait for approval when the identity is protected or the blast-radius guard says so,
 * then the plan's kind acts (workflows/kinds/): contain and wait for an analyst, or restrict until a
 * reviewer approves. Cancelled (an analyst's `cancel`, or through Temporal), it undoes or holds, as the
 * plan says. A response that waits long continues as new from where it waits.
 */
export async function respondToIdentityRisk(input: ResponseInput): Promise<ResponseView> {
  const main = new CancellationScope();
  // Registered first: a decision or detection that arrives before the input is checked waits for it.
  const desk = new DecisionDesk(() => main.cancel());
  const accepted = await accept(input);
  const incident = workflowInfo().workflowId;
  const { carried } = input;
  const record = new ResponseRecord(incident, accepted, carried);
  const response = new ResponseContext(incident, accepted, record, new Saga(record, incident, carried?.applied));
  desk.open(response);
  try {
    await main.run(() => (carried ? resume(response, carried.waiting) : respond(response, accepted.signal)));
  } catch (error) {
    if (!isCancellation(error)) throw error;
    await CancellationScope.nonCancellable(() => endCancelled(response));
    // Cancelled through Temporal: the run ends as cancelled. An analyst's cancel ends it as completed.
    if (!record.decisions.cancellation) {
      await CancellationScope.nonCancellable(() => condition(allHandlersFinished));
      throw error;
    }
  }
  await condition(allHandlersFinished);
  return response.view();
}

/** The input checked by the responses worker (the workflow loads no validation code); bad input fails the response. */
async function accept(input: ResponseInput): Promise<AcceptedInput> {
  try {
    return await validateInput({ input, continued: workflowInfo().continuedFromExecutionRunId !== undefined });
  } catch (error) {
    const invalid =
      error instanceof ActivityFailure &&
      error.cause instanceof ApplicationFailure &&
      error.cause.type === 'InvalidInput';
    if (invalid) throw ApplicationFailure.nonRetryable(failureMessage(error), 'InvalidInput');
    throw error;
  }
}

async function respond(response: ResponseContext, signal: RecordedSignal): Promise<void> {
  const { record, saga, incident } = response;
  await verifyRaiser(response, signal);
  // Planning sees the raiser only if they count (four-eyes in the plan's notes).
  const plan = await planUntilDone(
    response,
    record.view.raisedBy.length ? signal : { ...signal, requestedBy: undefined },
  );
  if (!plan) {
    // What was contained while planning failed answered no playbook after all: it is undone.
    if (saga.applied.length) return undoAll(response);
    log.warn('no playbook matches the signal: nothing is changed', { incident });
    return record.moveTo('no_playbook');
  }
  record.setPlan(plan);
  if (plan.approval.beforeContainment.length)
    return awaitApprovalFirst(response, plan, plan.approval.beforeContainment);
  // While the guard decides, targets are read: its verdict is still in history before any change, and the
  // access comes off one round trip sooner. Reads made while the guard was silent are stale.
  const readAhead = saga.readAhead(readableAhead(plan.stages));
  const admission = await admissionProblems(response);
  if (admission.problems.length) return awaitApprovalFirst(response, plan, admission.problems);
  return KIND_FLOWS[plan.kind].act(response, plan, admission.waited ? undefined : readAhead);
}

function awaitApprovalFirst(response: ResponseContext, plan: Plan, guardedBecause: string[]): Promise<void> {
  const { record } = response;
  record.guard(guardedBecause);
  record.moveTo('awaiting_approval');
  return awaitApproval(response, plan, deadlineAfter(plan.decision.timeout));
}

/** Guarded: nothing changes until approved; the playbook says what a timeout does. */
async function awaitApproval(response: ResponseContext, plan: Plan, deadline: number): Promise<void> {
  const { record } = response;
  // Nobody could ever approve (e.g. four-eyes and the raiser is one of only two approvers): escalate now.
  const unmeetable = unmeetableApproval(plan.approval, record.view.raisedBy);
  if (unmeetable) {
    record.escalate(plan.decision.escalateTo ?? plan.approval.group, unmeetable, 'escalated');
    return awaitEscalatedApproval(response, plan);
  }
  const decision = await awaitDecision(response, { at: 'approval', deadline });
  if (!decision) {
    if (plan.decision.onTimeout !== 'escalate') return record.moveTo('expired');
    record.escalate(
      plan.decision.escalateTo ?? plan.approval.group,
      `no decision within ${plan.decision.timeout}`,
      'escalated',
    );
    return awaitEscalatedApproval(response, plan);
  }
  if (decision.kind === 'reject') return record.moveTo('rejected');
  return KIND_FLOWS[plan.kind].act(response, plan);
}

async function awaitEscalatedApproval(response: ResponseContext, plan: Plan): Promise<void> {
  if ((await awaitDecision(response, { at: 'approval_escalated' }))?.kind !== 'approve')
    return response.record.moveTo('rejected');
  return KIND_FLOWS[plan.kind].act(response, plan);
}

/** A run that continued as new goes on from the wait the previous run was in. */
async function resume(response: ResponseContext, waiting: WaitingPoint): Promise<void> {
  const { plan } = response.record.view;
  if (waiting.at === 'needs_review' || waiting.at === 'rollback_failed')
    return undoAll(response, waiting.done, waiting.at);
  // Every other wait comes after planning.
  if (!plan)
    throw ApplicationFailure.nonRetryable(`carried state waits at ${waiting.at} without a plan`, 'InvalidInput');
  if (waiting.at === 'approval') return awaitApproval(response, plan, waiting.deadline);
  if (waiting.at === 'approval_escalated') return awaitEscalatedApproval(response, plan);
  const resumed = KIND_FLOWS[plan.kind].resume(response, plan, waiting);
  if (resumed === false)
    throw ApplicationFailure.nonRetryable(`a ${plan.kind} response does not wait at ${waiting.at}`, 'InvalidInput');
  return resumed;
}
