import { allHandlersFinished, ApplicationFailure, condition, continueAsNew, setHandler } from '@temporalio/workflow';
import { admitUpdate, guardStatusQuery, pauseUpdate, resumeUpdate, setLimitsUpdate } from '../api/guard-messages';
import { decisionRequestProblems, type SpentToken, spendToken } from '../model/decision';
import {
  admissionBatchProblems,
  admit,
  GUARD_WORKFLOW_ID,
  type GuardStart,
  type GuardState,
  guardStatusAt,
  limitsChangeProblems,
  pruned,
} from '../model/guard';
import type { Admission, DecisionRequest } from '../model/response';
import { guardConfiguration, verifyDecision } from './engine-activities';
import { historyNearLimits } from './history-limits';

/**
 * The blast-radius guard and kill switch, as one long-running workflow per namespace: every response asks
 * it before containing automatically, so the limit holds across workers and restarts. Its limits are its
 * own: the guard worker's configuration when a guard first starts (recorded), then only what an analyst
 * sets with a verified decision. Its history records every admission, denial, pause, resume and change.
 */
export async function containmentGuard(start: GuardStart = {}): Promise<void> {
  const configured = start.limits ? undefined : guardConfiguration();
  // Handlers are registered at once; requests that arrive first wait for the configuration.
  const state: Partial<GuardState> = { ...start };
  // Within one run a retried request gets the answer it already got (not carried: a run is short).
  const answered = new Map<string, Admission>();
  let updates = 0;
  // A token decides once: a replayed pause, resume or change of limits is refused.
  const spend = (token: SpentToken): string | undefined => {
    const { spent, problem } = spendToken(state.spentTokens ?? [], token, Date.now());
    state.spentTokens = spent;
    return problem;
  };

  setHandler(
    admitUpdate,
    async ({ requests }) => {
      updates++;
      await condition(() => state.limits !== undefined);
      // One after another within one handler: no other request is counted between two of a batch.
      const now = Date.now();
      return requests.map((request) => {
        const known = answered.get(request.response);
        if (known) return known;
        const verdict = admit(state as GuardState, request, now);
        answered.set(request.response, verdict);
        return verdict;
      });
    },
    { validator: (batch) => refuseIfProblems(admissionBatchProblems(batch)) },
  );

  setHandler(pauseUpdate, async (request) => {
    updates++;
    await assertAuthorised(request, spend);
    state.pause = { analyst: request.analyst, reason: request.reason, at: new Date().toISOString() };
    return guardStatusAt(state, Date.now());
  });

  setHandler(resumeUpdate, async (request) => {
    updates++;
    await assertAuthorised(request, spend);
    if (!state.pause) throw ApplicationFailure.nonRetryable('automatic actions are not paused', 'NotPaused');
    state.pause = undefined;
    return guardStatusAt(state, Date.now());
  });

  setHandler(
    setLimitsUpdate,
    async (request) => {
      updates++;
      await assertAuthorised(request, spend, limitsChangeProblems);
      state.limits = request.limits;
      state.limitsSetBy = { by: request.analyst, reason: request.reason, at: new Date().toISOString() };
      return guardStatusAt(state, Date.now());
    },
    { validator: (request) => refuseIfProblems(limitsChangeProblems(request)) },
  );

  // The state as recorded; the caller counts as of its own now (a query runs at the last task's time).
  setHandler(guardStatusQuery, () => ({ ...state }));

  if (configured) {
    state.limits = await configured;
    state.limitsSetBy = {
      by: 'configuration',
      reason: "the guard worker's IDRA_GUARD_* settings when this guard started",
      at: new Date().toISOString(),
    };
    state.buckets ??= {};
  }

  // Runs for as long as the namespace does; a fresh run keeps the history short.
  await condition(() => historyNearLimits(updates));
  await condition(allHandlersFinished);
  const carried = state as GuardState;
  await continueAsNew<typeof containmentGuard>({ ...carried, buckets: pruned(carried, Date.now()) });
}

/** A request that is not well formed is rejected before it is recorded: the caller gets the reason. */
function refuseIfProblems(problems: string[]): void {
  if (problems.length) throw new Error(problems.join('; '));
}

/** The kill switch and the limits are decisions like any other: a valid request with a verified analyst assertion. */
async function assertAuthorised(
  request: DecisionRequest,
  spend: (token: SpentToken) => string | undefined,
  problemsOf: (request: unknown) => string[] = decisionRequestProblems,
): Promise<void> {
  const problems = problemsOf(request);
  if (problems.length) throw ApplicationFailure.nonRetryable(problems.join('; '), 'InvalidRequest');
  const verdict = await verifyDecision({
    assertion: request.assertion,
    analyst: request.analyst,
    incident: GUARD_WORKFLOW_ID,
  });
  const problem = 'refused' in verdict ? verdict.refused : spend(verdict);
  if (problem) throw ApplicationFailure.nonRetryable(problem, 'DecisionDenied');
}
