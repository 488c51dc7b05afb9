import { log } from '@temporalio/workflow';
import type { Plan, UndoneState } from '../model/response';
import type { ResponseState } from '../model/response-states';
import type { ResponseContext } from './response-context';
import { undoAll } from './undo';

/** The states a kind ends in, or waits in, when no decision came in time. */
export interface TimeoutStates {
  /** `onTimeout: stay_contained`: the change stays, and the response ends so. */
  kept: ResponseState;
  /** `onTimeout: rollback`: everything is undone, and the response ends so. */
  undone: UndoneState;
  /** `onTimeout: escalate`: the response waits on in this state, for the escalation group too. */
  escalated: ResponseState;
  /** What was awaited, for the record: "decision", "review". */
  awaited: string;
}

/**
 * What no decision in time does, as the playbook's `decision.onTimeout` says — one rule for every kind of
 * response; each kind names its states. Resolves `escalated` when the response must wait on (the caller
 * waits as its kind does), `ended` otherwise.
 */
export async function afterDecisionTimeout(
  response: ResponseContext,
  plan: Plan,
  states: TimeoutStates,
): Promise<'escalated' | 'ended'> {
  const { record, incident } = response;
  const { timeout, onTimeout, escalateTo } = plan.decision;
  log.warn(`no ${states.awaited} before the timeout`, { incident, timeout, onTimeout });
  if (onTimeout === 'stay_contained') {
    record.moveTo(states.kept);
    return 'ended';
  }
  if (onTimeout === 'rollback') {
    await undoAll(response, states.undone);
    return 'ended';
  }
  record.escalate(escalateTo ?? plan.approval.group, `no ${states.awaited} within ${timeout}`, states.escalated);
  return 'escalated';
}
