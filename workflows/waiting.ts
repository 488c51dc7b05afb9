import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  workflowInfo,
} from '@temporalio/workflow';
import { type Duration, durationMs } from '../model/duration';
import type { Decision, Plan, WaitingPoint } from '../model/response';
import { historyNearLimits } from './history-limits';
import type { respondToIdentityRisk } from './response';
import type { ResponseContext } from './response-context';

export function deadlineAfter(duration: Duration): number {
  return Date.now() + durationMs(duration);
}

/**
 * Waits for a decision and takes it: until the waiting point's deadline (undefined when it passes first), or
 * forever. Given a plan that watches (only while the identity's access is changed), re-checks every applied
 * step each `plan.watch` (tampering is recorded and, as the plan says, undone by applying again). When the
 * history nears Temporal's limits (signals and decisions piling up on a long wait), continues as new from
 * this point.
 */
export async function awaitDecision(
  response: ResponseContext,
  waiting: WaitingPoint,
  watching?: Plan,
): Promise<Decision | undefined> {
  const { record, saga } = response;
  const { decisions } = record;
  const every = watching?.watch ? durationMs(watching.watch) : undefined;
  const deadline = 'deadline' in waiting ? waiting.deadline : undefined;
  const historyFull = () => historyNearLimits(record.updatesReceived) && allHandlersFinished();
  for (;;) {
    const left = deadline === undefined ? undefined : deadline - Date.now();
    if (left !== undefined && left <= 0) return decisions.take();
    const wait = every === undefined ? left : Math.min(every, left ?? every);
    const woken = () => decisions.pendingDecision !== undefined || historyFull();
    const wokenBeforeTimer = wait === undefined ? (await condition(woken), true) : await condition(woken, wait);
    if (decisions.pendingDecision) return decisions.take();
    if (wokenBeforeTimer) return continueFrom(response, waiting);
    // The timeout is up: what happens now is the playbook's to say, not the watch's.
    if (deadline !== undefined && Date.now() >= deadline) return decisions.take();
    if (watching) await saga.watch(watching.onTamper);
  }
}

/** Hands the record, the saga's ledger and the waiting point to a new run of this response. */
export function continueFrom(response: ResponseContext, waiting: WaitingPoint): Promise<never> {
  const { record, saga } = response;
  log.info('history nears its limits: continuing as new', {
    incident: response.incident,
    waiting: waiting.at,
    events: workflowInfo().historyLength,
  });
  const first = record.view.signals[0];
  if (!first)
    throw ApplicationFailure.nonRetryable('a response without its first signal cannot continue', 'InvalidState');
  return continueAsNew<typeof respondToIdentityRisk>({
    signal: first,
    carried: { ...record.carry(), applied: saga.applied, waiting },
  });
}
