import { allHandlersFinished, ApplicationFailure, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import { admitUpdate, guardStatusQuery, pauseUpdate, resumeUpdate } from '../api/guard-messages';
import { decisionRequestSchema } from '../model/decision';
import { type AdmissionRecord, GUARD_WORKFLOW_ID, type GuardState, type GuardStatus } from '../model/guard';
import type { Admission, DecisionRequest } from '../model/response';
import { describeIssues } from '../model/validation';
import { verifyDecision } from './engine-activities';

/**
 * The blast-radius guard and kill switch, as one long-running workflow per namespace: every response asks
 * it before containing automatically, so the limit holds across workers and restarts. Its history records
 * every admission, denial, pause and resume.
 */
export async function containmentGuard(initial: GuardState = { admissions: [], windowMs: 0 }): Promise<void> {
  const state: GuardState = { ...initial, admissions: [...initial.admissions] };
  const inWindow = (now: number) => state.admissions.filter((admission) => now - admission.at < state.windowMs);
  const status = (): GuardStatus => {
    const recent = inWindow(Date.now());
    const admittedByAccount: Record<string, number> = {};
    for (const admission of recent) if (admission.admitted) admittedByAccount[admission.account] = (admittedByAccount[admission.account] ?? 0) + 1;
    return { pause: state.pause, admittedByAccount, deniedInWindow: recent.filter((admission) => !admission.admitted).length };
  };

  setHandler(admitUpdate, ({ response, account, limits }) => {
    const now = Date.now();
    state.windowMs = limits.windowMs;
    state.admissions = inWindow(now);
    // Activities retry: the same response asking again gets the answer it already got.
    const known = state.admissions.find((admission) => admission.response === response);
    if (known) return { admitted: known.admitted, reason: known.reason };
    const admitted = state.admissions.filter((admission) => admission.admitted);
    const inAccount = admitted.filter((admission) => admission.account === account).length;
    const window = `${Math.round(limits.windowMs / 1000)}s`;
    let verdict: Admission = { admitted: true, reason: `${inAccount + 1} of ${limits.perAccount} in account ${account}, ${admitted.length + 1} of ${limits.total} overall within ${window}` };
    if (state.pause) {
      verdict = { admitted: false, reason: `automatic actions are paused since ${state.pause.at} by ${state.pause.analyst}: ${state.pause.reason}` };
    } else if (inAccount >= limits.perAccount) {
      verdict = { admitted: false, reason: `blast-radius limit: ${inAccount} automatic containments in account ${account} within ${window} (at most ${limits.perAccount})` };
    } else if (admitted.length >= limits.total) {
      verdict = { admitted: false, reason: `blast-radius limit: ${admitted.length} automatic containments overall within ${window} (at most ${limits.total})` };
    }
    const record: AdmissionRecord = { response, account, at: now, ...verdict };
    state.admissions.push(record);
    return verdict;
  });

  setHandler(pauseUpdate, async (request) => {
    await assertAuthorised(request);
    state.pause = { analyst: request.analyst, reason: request.reason, at: new Date().toISOString() };
    return status();
  });

  setHandler(resumeUpdate, async (request) => {
    await assertAuthorised(request);
    if (!state.pause) throw ApplicationFailure.nonRetryable('automatic actions are not paused', 'NotPaused');
    state.pause = undefined;
    return status();
  });

  setHandler(guardStatusQuery, status);

  // Runs for as long as the namespace does; a fresh run keeps the history short.
  await condition(() => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > 4000);
  await condition(allHandlersFinished);
  await continueAsNew<typeof containmentGuard>({ ...state, admissions: inWindow(Date.now()) });
}

/** The kill switch is a decision like any other: a valid request with a verified analyst assertion. */
async function assertAuthorised(request: DecisionRequest): Promise<void> {
  const parsed = decisionRequestSchema.safeParse(request);
  if (!parsed.success) throw ApplicationFailure.nonRetryable(describeIssues(parsed.error.issues).join('; '), 'InvalidRequest');
  const problem = await verifyDecision({ assertion: request.assertion, analyst: request.analyst, incident: GUARD_WORKFLOW_ID });
  if (problem) throw ApplicationFailure.nonRetryable(problem, 'DecisionDenied');
}
