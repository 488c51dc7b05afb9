import type { Decision, Plan, WaitingPoint } from '../../model/response';
import type { ResponseContext } from '../response-context';
import { afterDecisionTimeout, type TimeoutStates } from '../decision-timeout';
import { undoAll } from '../undo';
import { awaitDecision, deadlineAfter } from '../waiting';
import type { KindFlow } from './kind-flow';

/**
 * `restrict_until_approved`: narrow the identity's access at once, until a reviewer approves its continued
 * use. Approve lifts the restriction, undoing it exactly (`restored`); reject keeps it for good
 * (`kept_restricted`); rollback (a false alarm) undoes it too (`rolled_back`). Without a decision in time
 * the playbook keeps it, lifts it (`reverted`) or escalates. While restricted, the watch puts back any
 * restriction someone undid.
 */
/** Without a review in time: keep the restriction, lift it, or ask the escalation group too. */
const REVIEW_TIMEOUT: TimeoutStates = {
  kept: 'kept_restricted',
  undone: 'reverted',
  escalated: 'review_escalated',
  awaited: 'review',
};

export const restrictUntilApprovedFlow: KindFlow = {
  async act(response, plan, readAhead) {
    const { record, saga } = response;
    const { decisions } = record;
    record.moveTo('restricting');
    // A decision that lifts the restriction stops it before its next stage: what was applied is undone.
    const lifts = () => decisions.pendingDecision?.kind === 'approve' || decisions.pendingDecision?.kind === 'rollback';
    const outcome = await saga.applyStages(plan.stages, lifts, readAhead);
    if (outcome === 'failed' && plan.onFailure === 'rollback') return undoAll(response);
    const early = decisions.pendingDecision ? decisions.take() : undefined;
    if (early) return actOnReview(response, early);
    record.moveTo(outcome === 'failed' ? 'restriction_failed' : 'restricted');
    return awaitReview(response, plan, deadlineAfter(plan.decision.timeout));
  },

  resume(response, plan, waiting: WaitingPoint) {
    if (waiting.at === 'restricted') return awaitReview(response, plan, waiting.deadline);
    if (waiting.at === 'restricted_escalated') return awaitEscalatedReview(response, plan);
    return false;
  },
};

async function awaitReview(response: ResponseContext, plan: Plan, deadline: number): Promise<void> {
  const decision = await awaitDecision(response, { at: 'restricted', deadline }, plan);
  if (decision) return actOnReview(response, decision);
  if ((await afterDecisionTimeout(response, plan, REVIEW_TIMEOUT)) === 'escalated')
    return awaitEscalatedReview(response, plan);
}

async function awaitEscalatedReview(response: ResponseContext, plan: Plan): Promise<void> {
  const late = await awaitDecision(response, { at: 'restricted_escalated' }, plan);
  if (late) return actOnReview(response, late);
}

/** A reviewer's decision: approve lifts the restriction exactly, rollback undoes it as a false alarm, reject keeps it. */
function actOnReview(response: ResponseContext, decision: Decision): Promise<void> | void {
  if (decision.kind === 'approve') return undoAll(response, 'restored');
  if (decision.kind === 'rollback') return undoAll(response);
  response.record.moveTo('kept_restricted');
}
