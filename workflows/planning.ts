import { isCancellation, sleep, workflowInfo } from '@temporalio/workflow';
import type { Plan } from '../model/response';
import type { RecordedSignal } from '../model/signal';
import { admissionVerdict, fallbackPlan, planResponse, readIdentityFacts } from './engine-activities';
import type { ResponseContext } from './response-context';
import { failureMessage } from './saga';

/** How long a blocked response waits before it tries again: 5 s, doubling to at most 2 minutes. */
function retryDelayMs(round: number): number {
  return Math.min(5_000 * 2 ** round, 120_000);
}

/**
 * Reads what the provider says about the identity and plans, until that works. While it fails the response
 * is `blocked` (with the reason), and where the signal alone calls for a containment (a leaked access key of
 * an identity the inventory says is not protected) it applies that at once, within the blast-radius limits.
 * Null: no playbook matches.
 */
export async function planUntilDone(response: ResponseContext, signal: RecordedSignal): Promise<Plan | null> {
  const { record, incident, accepted } = response;
  for (let round = 0; ; round++) {
    try {
      const facts = await readIdentityFacts(signal.identity, accepted.describe);
      const plan = await planResponse({ signal, incident, facts, now: new Date().toISOString() });
      record.unblock();
      return plan;
    } catch (error) {
      if (isCancellation(error)) throw error;
      record.block(`cannot plan the response: ${failureMessage(error)}`);
      if (round === 0) await containWithoutPlan(response, signal);
      await sleep(retryDelayMs(round));
    }
  }
}

/** The containment the signal alone calls for, while planning fails; a failure here only leaves it blocked. */
async function containWithoutPlan(response: ResponseContext, signal: RecordedSignal): Promise<void> {
  const { record, incident, saga } = response;
  let plan: Plan | null;
  try {
    plan = await fallbackPlan({ signal, incident, now: new Date().toISOString() });
  } catch (error) {
    if (isCancellation(error)) throw error;
    record.addFailure(`no containment without a plan: ${failureMessage(error)}`);
    return;
  }
  if (!plan) return;
  // The provisional plan names who may decide (e.g. cancel) until the real one is recorded.
  record.setPlan(plan);
  const { problems } = await admissionProblems(response);
  if (problems.length) return record.guard(problems);
  await saga.applyStages(plan.stages, () => false);
  record.moveTo('blocked');
}

/**
 * The blast-radius verdict: no problems when the response may change the identity at once. When the guard
 * does not answer, the worker's own conservative limit decides; what that refuses stays blocked and asks the
 * guard again (`waited`: the verdict came after such a wait).
 */
export async function admissionProblems(response: ResponseContext): Promise<{ problems: string[]; waited: boolean }> {
  const request = { response: `${response.incident}@${workflowInfo().runId}`, account: response.accepted.account };
  for (let round = 0; ; round++) {
    const admission = await admissionVerdict(request, round === 0);
    if (admission) {
      if (round > 0) response.record.unblock();
      return { problems: admission.admitted ? [] : [admission.reason], waited: round > 0 };
    }
    response.record.block(
      "the blast-radius guard does not answer and this worker's fallback limit is reached: asking the guard again",
    );
    await sleep(retryDelayMs(round));
  }
}
