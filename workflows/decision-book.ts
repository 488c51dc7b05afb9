import { type SpentToken, spendToken } from '../model/decision';
import { approvalMet, decisionProblem } from '../model/decision-policy';
import type { Decision, DecisionKind, DecisionRequest, ResponseView } from '../model/response';

/** Denied decisions kept per analyst; the rest are counted (each stays in history). */
const DENIALS_KEPT_PER_ANALYST = 10;

/** What the book hands to a run that continues as new. */
export interface DecisionsCarried {
  roundApprovers: string[];
  spentTokens: SpentToken[];
}

/**
 * The decisions of one response: each judged by the decision policy (model/decision-policy.ts), counted
 * (approvals towards the required number), recorded (denials too), and held until the response acts on it.
 */
export class DecisionBook {
  /** The decision that ends the current wait, once one is taken (for approve: once enough approvers agree). */
  private pending: Decision | undefined;
  /** An analyst's cancellation, once accepted: the saga stops and undoes (or holds) what it applied. */
  cancellation: Decision | undefined;
  private roundApprovers: string[];
  private spentTokens: SpentToken[];

  constructor(
    private readonly view: ResponseView,
    carried?: DecisionsCarried,
  ) {
    this.roundApprovers = carried?.roundApprovers ?? [];
    this.spentTokens = carried?.spentTokens ?? [];
  }

  carry(): DecisionsCarried {
    return { roundApprovers: this.roundApprovers, spentTokens: this.spentTokens };
  }

  get pendingDecision(): Decision | undefined {
    return this.pending;
  }

  /** A verified token decides once: a replay of it is refused (the problem is returned). */
  spend(token: SpentToken, now: number): string | undefined {
    const { spent, problem } = spendToken(this.spentTokens, token, now);
    this.spentTokens = spent;
    return problem;
  }

  /** Takes the pending decision: it becomes the response's latest decision, and a new wait begins. */
  take(): Decision | undefined {
    const decision = this.pending;
    if (decision) this.view.decision = decision;
    this.pending = undefined;
    this.roundApprovers = [];
    return decision;
  }

  /**
   * Takes an analyst's decision, or records why it is refused. Returns the problem, if any, so the update
   * path can fail with it; the signal path has no caller to tell, and the record keeps it.
   */
  judge(
    kind: DecisionKind,
    request: DecisionRequest,
    problemWithRequest: string | undefined,
    at: string,
  ): string | undefined {
    const { view } = this;
    const decision: Decision = { kind, analyst: request.analyst, reason: request.reason, at };
    const standing = { ...view, roundApprovers: this.roundApprovers, taken: this.cancellation ?? this.pending };
    const problem = problemWithRequest ?? decisionProblem(decision, standing);
    if (problem) {
      const kept = view.deniedDecisions.filter((denied) => denied.analyst === decision.analyst).length;
      if (kept < DENIALS_KEPT_PER_ANALYST) view.deniedDecisions.push({ ...decision, problem });
      else view.deniedDecisionsNotKept++;
      return problem;
    }
    if (kind === 'cancel') {
      this.cancellation = decision;
      view.decision = decision;
    } else if (kind !== 'approve') {
      this.pending = decision;
    } else {
      view.approvals.push(decision);
      this.roundApprovers.push(decision.analyst);
      if (approvalMet(this.roundApprovers, view.plan)) this.pending = decision;
    }
    return undefined;
  }
}
