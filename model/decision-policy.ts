import type { Decision, Plan } from './response';
import { type ResponseState, stateFacts } from './response-states';

/** Where a response stands, as far as judging a decision goes. */
export interface DecisionStanding {
  state: ResponseState;
  plan?: Plan;
  /** The group an approval was escalated to, if it was. */
  escalatedTo?: string;
  /** Everyone who raised a signal by hand (verified): under four-eyes none of them may decide. */
  raisedBy: readonly string[];
  /** Who approved so far in the current round (an approval may need several approvers). */
  roundApprovers: readonly string[];
  /** A decision already taken and not yet acted on (or an accepted cancel): nothing else counts meanwhile. */
  taken?: Decision;
}

/**
 * Why a decision does not count, or undefined when it does: the state must take it, the analyst must be
 * an approver (of the escalation group too once escalated), not a raiser under four-eyes, and approve only
 * once per round. The same rule for every kind of response and for signals and updates alike. Pure.
 */
export function decisionProblem(decision: Decision, standing: DecisionStanding): string | undefined {
  const { state, plan, taken } = standing;
  if (taken) return `already decided: ${taken.kind} by ${taken.analyst} at ${taken.at}`;
  const { accepts } = stateFacts(state);
  if (!accepts.includes(decision.kind)) {
    return accepts.length
      ? `the response is ${state}: it takes ${accepts.join(', ')}, not ${decision.kind}`
      : `the response is ${state} and takes no decisions`;
  }
  if (!plan) return 'the response has no plan yet';
  const allowed = [...plan.approval.approvers, ...(standing.escalatedTo ? plan.decision.escalationApprovers : [])];
  if (!allowed.includes(decision.analyst)) {
    const groups = [plan.approval.group, ...(standing.escalatedTo ? [standing.escalatedTo] : [])].join(' or ');
    return `${decision.analyst} is not in the approver group ${groups}`;
  }
  if (plan.approval.fourEyes && standing.raisedBy.includes(decision.analyst)) {
    return `four-eyes: ${decision.analyst} raised this response and cannot decide on it`;
  }
  if (decision.kind === 'approve' && standing.roundApprovers.includes(decision.analyst)) {
    return `${decision.analyst} has already approved; ${plan.approval.required} different approvers are needed`;
  }
  return undefined;
}

/** Whether the approvals of a round meet the plan's rule (N distinct approvers). */
export function approvalMet(approvers: readonly string[], plan: Plan | undefined): boolean {
  return approvers.length >= (plan?.approval.required ?? 1);
}
