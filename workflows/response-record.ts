import { upsertSearchAttributes } from '@temporalio/workflow';
import type { Decision, DecisionKind, DecisionRequest, Plan, Receipt, ResponseState, ResponseView } from '../model/response';
import { FINAL_STATES } from '../model/response';
import type { RecordedSignal } from '../model/signal';
import { IDRA_ACCOUNT, IDRA_IDENTITY, IDRA_PLAYBOOK, IDRA_PROVIDER, IDRA_SEVERITY, IDRA_STATE } from '../model/search-attributes';

/** States in which an analyst's approve or rollback is still meaningful. */
const DECIDABLE: readonly ResponseState[] = ['containing', 'awaiting_decision', 'containment_failed'];

/**
 * The response's own record: what the `status` query returns and what the workflow returns at the end.
 * Every state change is mirrored into the IdraState search attribute so the UI can find responses by state.
 */
export class ResponseRecord {
  readonly view: ResponseView;

  constructor(incident: string, signal: RecordedSignal, plan: Plan) {
    this.view = {
      incident,
      identity: signal.identity,
      severity: signal.severity,
      state: 'containing',
      plan,
      signals: [signal],
      changes: [],
      deniedDecisions: [],
      failures: [],
    };
    upsertSearchAttributes([
      { key: IDRA_IDENTITY, value: incident },
      { key: IDRA_PROVIDER, value: signal.identity.provider },
      { key: IDRA_ACCOUNT, value: signal.identity.account },
      { key: IDRA_SEVERITY, value: signal.severity },
      { key: IDRA_PLAYBOOK, value: `${plan.playbook.id}@${plan.playbook.version}` },
      { key: IDRA_STATE, value: 'containing' },
    ]);
  }

  get state(): ResponseState {
    return this.view.state;
  }

  get decision(): Decision | undefined {
    return this.view.decision;
  }

  isFinal(): boolean {
    return FINAL_STATES.includes(this.view.state);
  }

  moveTo(state: ResponseState): void {
    this.view.state = state;
    upsertSearchAttributes([{ key: IDRA_STATE, value: state }]);
  }

  /** A repeated detection (same id) is recorded once. */
  addSignal(signal: RecordedSignal): void {
    if (!this.view.signals.some((known) => known.id === signal.id)) this.view.signals.push(signal);
  }

  addReceipt(receipt: Receipt): void {
    this.view.changes.push(receipt);
  }

  addFailure(failure: string): void {
    this.view.failures.push(failure);
  }

  /**
   * Takes an analyst's decision, or records why it is refused. Returns the problem, if any, so the update
   * path can fail with it; the signal path has no caller to tell, and the record keeps it.
   */
  decide(kind: DecisionKind, request: DecisionRequest, problemWithRequest: string | undefined, at: string): string | undefined {
    const decision: Decision = { kind, analyst: request.analyst, reason: request.reason, at };
    const problem = problemWithRequest ?? this.problemWithDeciding();
    if (problem) {
      this.view.deniedDecisions.push({ ...decision, problem });
      return problem;
    }
    this.view.decision = decision;
    return undefined;
  }

  private problemWithDeciding(): string | undefined {
    if (this.view.decision) {
      return `already decided: ${this.view.decision.kind} by ${this.view.decision.analyst} at ${this.view.decision.at}`;
    }
    if (!DECIDABLE.includes(this.view.state)) return `the response is ${this.view.state} and takes no more decisions`;
    return undefined;
  }
}
