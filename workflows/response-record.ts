import { patched, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { contentDigest } from '../model/content-digest';
import { type SpentToken, spendToken } from '../model/decision';
import type { CarriedResponse, Decision, DecisionKind, DecisionRequest, Plan, Receipt, ResponseState, ResponseView, Tampering } from '../model/response';
import { FINAL_STATES, FIRST_STATE } from '../model/response';
import type { RecordedSignal } from '../model/signal';
import { IDRA_PLAYBOOK, IDRA_STATE, IDRA_TAMPERED, startSearchAttributes } from '../model/search-attributes';
import { PATCHES } from './patches';

/** Which decisions each state takes; anything else is refused with the state named. */
const ACCEPTS: Partial<Record<ResponseState, readonly DecisionKind[]>> = {
  awaiting_approval: ['approve', 'reject', 'cancel'],
  containing: ['approve', 'confirm', 'rollback', 'cancel'],
  awaiting_decision: ['approve', 'confirm', 'rollback', 'cancel'],
  containment_failed: ['approve', 'confirm', 'rollback', 'cancel'],
  escalated: ['approve', 'confirm', 'rollback', 'reject', 'cancel'],
  needs_review: ['confirm', 'cancel'],
  rollback_failed: ['rollback', 'cancel'],
};

/** Signals kept in the record: the first few and the latest few distinct ones. */
const FIRST_SIGNALS_KEPT = 5;
const LATEST_SIGNALS_KEPT = 5;
/** How many recent signal ids and content digests are remembered to recognise repeats. */
const SEEN_SIGNALS_KEPT = 512;
/** Denied decisions kept per analyst; the rest are counted (each stays in history). */
const DENIALS_KEPT_PER_ANALYST = 10;

/** The signal as the record keeps it: the raiser's token (spent once verified) is not shown again. */
function withoutToken(signal: RecordedSignal): RecordedSignal {
  const { requestedByAssertion, ...kept } = signal;
  return requestedByAssertion === undefined ? signal : kept;
}

/** Keys that recognise a repeat: the detector's id, and the content whatever id it came with. */
function signalKeys(signal: RecordedSignal): string[] {
  const content = JSON.stringify({ ...signal, id: undefined, requestedByAssertion: undefined });
  return [`id:${signal.id}`, `content:${contentDigest(content)}`];
}

/**
 * The response's own record: what the `status` query returns and what the workflow returns at the end.
 * It also holds the approval policy, so signals and updates are judged by the same code.
 * Every state change is mirrored into the IdraState search attribute so the UI can find responses by state.
 */
export class ResponseRecord {
  readonly view: ResponseView;
  private seenSignals: string[];
  private spentTokens: SpentToken[];
  /** Updates this run has received (Temporal takes at most 2,000 per run): counted towards continuing as new. */
  updatesReceived = 0;
  /** The plan is set but IdraPlaybook does not show it yet (see setPlan). */
  private playbookNotShown = false;

  /** A new response's record, or (carried) the record a previous run of the response handed over. */
  constructor(incident: string, signal: RecordedSignal, carried?: CarriedResponse) {
    this.view = carried?.view ?? {
      incident,
      identity: signal.identity,
      severity: signal.severity,
      state: FIRST_STATE,
      guardedBecause: [],
      signals: [withoutToken(signal)],
      signalsReceived: 1,
      signalRepeats: 0,
      raisedBy: [],
      changes: [],
      approvals: [],
      deniedDecisions: [],
      deniedDecisionsNotKept: 0,
      failures: [],
      leftInPlace: [],
      tampering: [],
    };
    this.seenSignals = carried?.seenSignals ?? signalKeys(signal);
    this.roundApprovers = carried?.roundApprovers ?? [];
    this.spentTokens = carried?.spentTokens ?? [];
    const fromStart = startSearchAttributes(incident, signal, this.view.state);
    // Started by idra's client, a new response already carries them (one history event less).
    if (!carried && patched(PATCHES.stepBatches) && fromStart.every(({ key, value }) => workflowInfo().typedSearchAttributes.get(key) === value)) return;
    upsertSearchAttributes([
      ...fromStart,
      ...(this.view.plan ? [{ key: IDRA_PLAYBOOK, value: playbookRef(this.view.plan) }] : []),
      ...(this.view.tampering.length ? [{ key: IDRA_TAMPERED, value: 'true' }] : []),
    ]);
  }

  /** What the next run needs besides the saga's ledger and where it waits. */
  carry(): Pick<CarriedResponse, 'view' | 'seenSignals' | 'roundApprovers' | 'spentTokens'> {
    return { view: this.view, seenSignals: this.seenSignals, roundApprovers: this.roundApprovers, spentTokens: this.spentTokens };
  }

  /** A verified token decides once: a replay of it is refused (the problem is returned). */
  spendToken(token: SpentToken, now: number): string | undefined {
    const { spent, problem } = spendToken(this.spentTokens, token, now);
    this.spentTokens = spent;
    return problem;
  }

  get state(): ResponseState {
    return this.view.state;
  }

  isFinal(): boolean {
    return FINAL_STATES.includes(this.view.state);
  }

  /**
   * `shown`: mirrored into IdraPlaybook now, or with the next state (one history event less; responses
   * since step batches, which move to their next state within the same workflow task or the next).
   */
  setPlan(plan: Plan, shown: 'now' | 'with-next-state' = 'now'): void {
    this.view.plan = plan;
    if (shown === 'now') upsertSearchAttributes([{ key: IDRA_PLAYBOOK, value: playbookRef(plan) }]);
    else this.playbookNotShown = true;
  }

  /** Planning or admission keeps failing: the response says why, and retries in the background. */
  block(reason: string): void {
    this.view.blockedBecause = reason;
    if (this.view.state !== 'blocked') this.moveTo('blocked');
  }

  unblock(): void {
    this.view.blockedBecause = undefined;
  }

  guard(reasons: string[]): void {
    this.view.guardedBecause = reasons;
  }

  moveTo(state: ResponseState): void {
    this.view.state = state;
    const { plan } = this.view;
    const playbook = this.playbookNotShown && plan ? [{ key: IDRA_PLAYBOOK, value: playbookRef(plan) }] : [];
    this.playbookNotShown = false;
    upsertSearchAttributes([{ key: IDRA_STATE, value: state }, ...playbook]);
  }

  escalate(group: string, because: string): void {
    this.view.escalatedTo = group;
    this.view.escalatedBecause = because;
    this.moveTo('escalated');
  }

  /**
   * A repeated detection (same id, or same content under another id, as from a detector that sends no id)
   * is counted, not kept; of the distinct ones the first and the latest few are kept. Whoever raised one by
   * hand is counted once their token is verified (`addRaiser`), repeat or not: four-eyes must not forget a raiser.
   */
  addSignal(signal: RecordedSignal): void {
    const { view } = this;
    view.signalsReceived++;
    const keys = signalKeys(signal);
    if (keys.some((key) => this.seenSignals.includes(key))) {
      view.signalRepeats++;
      return;
    }
    this.seenSignals = [...this.seenSignals, ...keys].slice(-SEEN_SIGNALS_KEPT);
    if (view.signals.length >= FIRST_SIGNALS_KEPT + LATEST_SIGNALS_KEPT) view.signals.splice(FIRST_SIGNALS_KEPT, 1);
    view.signals.push(withoutToken(signal));
  }

  /** A raiser whose token was verified: under four-eyes they may not decide. */
  addRaiser(analyst: string): void {
    if (!this.view.raisedBy.includes(analyst)) this.view.raisedBy.push(analyst);
  }

  addReceipt(receipt: Receipt): void {
    this.view.changes.push(receipt);
  }

  /** A contained target found changed back by someone else: kept in the record and findable in the UI. */
  addTampering(tampering: Tampering): void {
    this.view.tampering.push(tampering);
    if (this.view.tampering.length === 1) upsertSearchAttributes([{ key: IDRA_TAMPERED, value: 'true' }]);
  }

  addFailure(failure: string): void {
    this.view.failures.push(failure);
  }

  /** The decision that ends the current wait, once one is taken (for approve: once enough approvers agree). */
  private pending: Decision | undefined;
  /** An analyst's cancellation, once accepted: the saga stops and undoes (or holds) what it applied. */
  cancellation: Decision | undefined;
  private roundApprovers: string[];

  get pendingDecision(): Decision | undefined {
    return this.pending;
  }

  /** Takes the pending decision: it becomes the response's latest decision, and a new wait begins. */
  takeDecision(): Decision | undefined {
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
  decide(kind: DecisionKind, request: DecisionRequest, problemWithRequest: string | undefined, at: string): string | undefined {
    const decision: Decision = { kind, analyst: request.analyst, reason: request.reason, at };
    const problem = problemWithRequest ?? this.problemWith(decision);
    if (problem) {
      const kept = this.view.deniedDecisions.filter((denied) => denied.analyst === decision.analyst).length;
      if (kept < DENIALS_KEPT_PER_ANALYST) this.view.deniedDecisions.push({ ...decision, problem });
      else this.view.deniedDecisionsNotKept++;
      return problem;
    }
    if (kind === 'cancel') {
      this.cancellation = decision;
      this.view.decision = decision;
      return undefined;
    }
    if (kind !== 'approve') {
      this.pending = decision;
      return undefined;
    }
    this.view.approvals.push(decision);
    this.roundApprovers.push(decision.analyst);
    if (this.roundApprovers.length >= (this.view.plan?.approval.required ?? 1)) this.pending = decision;
    return undefined;
  }

  private problemWith(decision: Decision): string | undefined {
    const { state, plan } = this.view;
    const taken = this.cancellation ?? this.pending;
    if (taken) return `already decided: ${taken.kind} by ${taken.analyst} at ${taken.at}`;
    const accepted = ACCEPTS[state] ?? [];
    if (!accepted.includes(decision.kind)) {
      return accepted.length ? `the response is ${state}: it takes ${accepted.join(', ')}, not ${decision.kind}` : `the response is ${state} and takes no decisions`;
    }
    if (!plan) return 'the response has no plan yet';
    const allowed = [...plan.approval.approvers, ...(this.view.escalatedTo ? plan.decision.escalationApprovers : [])];
    if (!allowed.includes(decision.analyst)) {
      const groups = [plan.approval.group, ...(this.view.escalatedTo ? [this.view.escalatedTo] : [])].join(' or ');
      return `${decision.analyst} is not in the approver group ${groups}`;
    }
    if (plan.approval.fourEyes && this.view.raisedBy.includes(decision.analyst)) {
      return `four-eyes: ${decision.analyst} raised this response and cannot decide on it`;
    }
    if (decision.kind === 'approve' && this.roundApprovers.includes(decision.analyst)) {
      return `${decision.analyst} has already approved; ${plan.approval.required} different approvers are needed`;
    }
    return undefined;
  }
}

function playbookRef(plan: Plan): string {
  return `${plan.playbook.id}@${plan.playbook.version}`;
}
