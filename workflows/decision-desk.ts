import { ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import { DECISION_MESSAGES, detectionSignal, statusQuery } from '../api/response-messages';
import { decisionRequestProblems } from '../model/decision';
import type { DecisionKind, DecisionRequest } from '../model/response';
import { stateFacts } from '../model/response-states';
import type { RecordedSignal } from '../model/signal';
import { verifyDecision } from './engine-activities';
import { registerJitHandlers } from './jit-desk';
import type { ResponseContext } from './response-context';

/**
 * Where a response takes its messages: detections, decisions (each as a signal, so the Temporal UI can send
 * it, and as an update, so the CLI gets the outcome), a just-in-time path's requests and decisions
 * (workflows/jit-desk.ts) and the status query. Handlers are registered at the
 * workflow's first line, before its input is checked, so nothing that arrives first is refused; what they
 * receive waits until the response is open.
 */
export class DecisionDesk {
  private response: ResponseContext | undefined;
  private opened!: () => void;
  /**
   * Decisions are judged one at a time, in the order they arrived: each waits for its token check, and a
   * later one must never overtake an earlier one (a rollback sent first is the one that counts). Detections
   * that name a raiser take their turn in the same line, so a raiser's own approval sent right after can
   * never be judged before they count.
   */
  private judged: Promise<unknown> = new Promise<void>((resolve) => (this.opened = resolve));

  /** `cancel`: stops the response's main work once an analyst's cancel is accepted. */
  constructor(private readonly cancel: () => void) {
    setHandler(detectionSignal, (signal) =>
      this.inTurn(async (response) => {
        response.record.addSignal(signal);
        await verifyRaiser(response, signal);
      }),
    );
    registerJitHandlers(<Result>(work: (response: ResponseContext) => Promise<Result>) => this.inTurn(work));
    setHandler(statusQuery, () => {
      if (!this.response) throw new Error('the response is starting: ask again in a moment');
      return this.response.view();
    });
    for (const [kind, { signal, update }] of Object.entries(DECISION_MESSAGES) as [
      DecisionKind,
      (typeof DECISION_MESSAGES)[DecisionKind],
    ][]) {
      setHandler(signal, async (request) => {
        await this.take(kind, request);
      });
      // Accepted, then failed when denied: a denied attempt stays in history (a validator's rejection would not).
      setHandler(update, async (request) => {
        const problem = await this.take(kind, request, true);
        if (problem) throw ApplicationFailure.nonRetryable(problem, 'DecisionDenied');
        const { record } = this.current();
        // The caller gets the response as it stands once this decision has played out.
        await condition(
          () =>
            record.decisions.pendingDecision === undefined &&
            !stateFacts(record.state).busy &&
            (kind !== 'cancel' || record.isFinal()),
        );
        return this.current().view();
      });
    }
  }

  /** The response exists: what waited is taken, in the order it arrived. */
  open(response: ResponseContext): void {
    this.response = response;
    this.opened();
  }

  private current(): ResponseContext {
    if (!this.response) throw new Error('the response is not open yet');
    return this.response;
  }

  private inTurn<Result>(work: (response: ResponseContext) => Promise<Result>): Promise<Result> {
    const turn = this.judged.then(() => work(this.current()));
    this.judged = turn.catch(() => undefined);
    return turn;
  }

  private take(kind: DecisionKind, request: DecisionRequest, asUpdate = false): Promise<string | undefined> {
    return this.inTurn(async (response) => {
      const { record } = response;
      if (asUpdate) record.updatesReceived++;
      const problem = record.decisions.judge(
        kind,
        request,
        await problemWith(response, request),
        new Date().toISOString(),
      );
      if (!problem && kind === 'cancel') this.cancel();
      return problem;
    });
  }
}

/** The client's identity is self-declared: the analyst is whoever the verified assertion says. */
async function problemWith(response: ResponseContext, request: DecisionRequest): Promise<string | undefined> {
  const malformed = decisionRequestProblems(request);
  if (malformed.length) return malformed.join('; ');
  const verdict = await verifyDecision({
    assertion: request.assertion,
    analyst: request.analyst,
    incident: response.incident,
  });
  return 'refused' in verdict ? verdict.refused : response.record.decisions.spend(verdict, Date.now());
}

/** Records a signal's raiser when their token holds (and spends it); otherwise says why they do not count. */
export async function verifyRaiser(response: ResponseContext, signal: RecordedSignal): Promise<void> {
  if (!signal.requestedBy) return;
  const { record } = response;
  const verdict = await verifyDecision({
    assertion: signal.requestedByAssertion,
    analyst: signal.requestedBy,
    incident: response.incident,
  });
  const problem = 'refused' in verdict ? verdict.refused : record.decisions.spend(verdict, Date.now());
  if (problem)
    record.addFailure(
      `signal ${signal.id} names ${signal.requestedBy} as its raiser without their valid token (${problem}): not counted as raiser`,
    );
  else record.addRaiser(signal.requestedBy);
}
