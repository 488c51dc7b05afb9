import type { AcceptedInput, CarriedResponse, Plan, Receipt, ResponseView, Tampering } from '../model/response';
import { FIRST_STATE, type ResponseState, stateFacts } from '../model/response-states';
import type { RecordedSignal } from '../model/signal';
import { SignalLog } from '../model/signal-log';
import { DecisionBook } from './decision-book';
import { JitBook } from './jit-book';
import type { SagaJournal } from './saga';
import { SearchAttributeMirror } from './search-attribute-mirror';

/**
 * The response's own record: what the `status` query returns and what the workflow returns at the end. Its
 * jobs are shared out: the detections it has seen (SignalLog), its decisions (DecisionBook, judged by the
 * decision policy), a just-in-time path's grants (JitBook), what analysts search by
 * (SearchAttributeMirror). It is the saga's journal.
 */
export class ResponseRecord implements SagaJournal {
  readonly view: ResponseView;
  readonly signals: SignalLog;
  readonly decisions: DecisionBook;
  /** A just_in_time response's requests and grants (empty for other kinds). */
  readonly jit: JitBook;
  private readonly mirror = new SearchAttributeMirror();
  /** Updates this run has received (Temporal takes at most 2,000 per run): counted towards continuing as new. */
  updatesReceived = 0;

  /** A new response's record, or (carried) the record a previous run of the response handed over. */
  constructor(incident: string, accepted: AcceptedInput, carried?: CarriedResponse) {
    const { signal, kind, account } = accepted;
    const started = SignalLog.startedBy(signal);
    this.view = carried?.view ?? {
      incident,
      kind,
      identity: signal.identity,
      severity: signal.severity,
      state: FIRST_STATE,
      guardedBecause: [],
      ...started.record,
      raisedBy: [],
      changes: [],
      approvals: [],
      deniedDecisions: [],
      deniedDecisionsNotKept: 0,
      failures: [],
      tampering: [],
      leftInPlace: [],
    };
    this.signals = new SignalLog(this.view, carried?.seenSignals ?? started.seen);
    this.decisions = new DecisionBook(this.view, carried);
    this.jit = new JitBook(this.view);
    const { provider } = signal.identity;
    this.mirror.showStart(
      { incident, kind, provider, account, severity: signal.severity, state: this.view.state },
      { plan: this.view.plan, tampered: this.view.tampering.length > 0 },
    );
  }

  /** What the next run needs besides the saga's ledger and where it waits. */
  carry(): Pick<CarriedResponse, 'view' | 'seenSignals' | 'roundApprovers' | 'spentTokens'> {
    return { view: this.view, seenSignals: this.signals.seenKeys, ...this.decisions.carry() };
  }

  get state(): ResponseState {
    return this.view.state;
  }

  isFinal(): boolean {
    return stateFacts(this.view.state).final;
  }

  /** The plan to execute (and undo); IdraPlaybook shows it with the next state. */
  setPlan(plan: Plan): void {
    this.view.plan = plan;
    this.mirror.showPlaybookNext(plan);
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
    this.mirror.showState(state);
  }

  /** Waits on for another group (`state`: the kind's escalated state). */
  escalate(group: string, because: string, state: ResponseState): void {
    this.view.escalatedTo = group;
    this.view.escalatedBecause = because;
    this.moveTo(state);
  }

  addSignal(signal: RecordedSignal): void {
    this.signals.add(signal);
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
    if (this.view.tampering.length === 1) this.mirror.showTampered();
  }

  addFailure(failure: string): void {
    this.view.failures.push(failure);
  }
}
