import { log } from '@temporalio/workflow';
import type { Decision, Plan, WaitingPoint } from '../../model/response';
import type { ResponseContext } from '../response-context';
import { afterDecisionTimeout, type TimeoutStates } from '../decision-timeout';
import { undoAll } from '../undo';
import { awaitDecision, deadlineAfter } from '../waiting';
import { changeAccess } from './change-access';
import type { KindFlow } from './kind-flow';

/**
 * `contain`: change the identity's access at once, then wait for an analyst. Approve keeps the containment
 * and runs the after-approval steps (e.g. delete the leaked key); confirm keeps it as is; rollback undoes
 * everything; the playbook says what a TTL or a timeout does.
 */
/** Without a decision in time: stay contained, roll back, or ask the escalation group too. */
const DECISION_TIMEOUT: TimeoutStates = {
  kept: 'timed_out_contained',
  undone: 'rolled_back',
  escalated: 'escalated',
  awaited: 'decision',
};

export const containFlow: KindFlow = {
  async act(response, plan, readAhead) {
    const states = { working: 'containing', failed: 'containment_failed', done: 'awaiting_decision' } as const;
    if (await changeAccess(response, plan, states, readAhead)) return;
    // A TTL, when set, is shorter than the decision timeout (checked at load): it fires first.
    return awaitOutcome(response, plan, deadlineAfter(plan.ttl ?? plan.decision.timeout));
  },

  resume(response, plan, waiting: WaitingPoint) {
    if (waiting.at === 'decision') return awaitOutcome(response, plan, waiting.deadline);
    if (waiting.at === 'decision_escalated') return awaitLateOutcome(response, plan);
    return false;
  },
};

async function awaitOutcome(response: ResponseContext, plan: Plan, deadline: number): Promise<void> {
  const { incident } = response;
  const decision = await awaitDecision(response, { at: 'decision', deadline }, plan);
  if (decision) return actOnDecision(response, plan, decision);
  if (plan.ttl) {
    log.info('containment TTL passed without confirmation: reverting', { incident, ttl: plan.ttl });
    return undoAll(response, 'reverted');
  }
  if ((await afterDecisionTimeout(response, plan, DECISION_TIMEOUT)) === 'escalated')
    return awaitLateOutcome(response, plan);
}

async function awaitLateOutcome(response: ResponseContext, plan: Plan): Promise<void> {
  const late = await awaitDecision(response, { at: 'decision_escalated' }, plan);
  if (late) return actOnDecision(response, plan, late);
}

/** An analyst's decision on a containment: roll it back, or keep it (running the after-approval steps on approve). */
async function actOnDecision(response: ResponseContext, plan: Plan, decision: Decision): Promise<void> {
  const { record, saga } = response;
  if (decision.kind === 'rollback') return undoAll(response);
  if (decision.kind === 'approve' && plan.afterApproval.length) {
    record.moveTo('finishing');
    // In order, one at a time: a rotation deferred for lack of room runs only once the delete made room.
    await saga.applyStages(
      plan.afterApproval.map((step) => [step]),
      () => false,
    );
  }
  record.moveTo('confirmed');
}
