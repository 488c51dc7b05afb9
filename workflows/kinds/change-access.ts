import type { Plan } from '../../model/response';
import type { ResponseState } from '../../model/response-states';
import type { ResponseContext } from '../response-context';
import type { ReadAhead } from '../saga';
import { undoAll } from '../undo';

/** The states a kind passes through while its first change is made, and where it ends up. */
export interface ChangeStates {
  working: ResponseState;
  failed: ResponseState;
  done: ResponseState;
}

/**
 * A kind's first change, for kinds that change at once and decide after (contain, just_in_time): the plan's
 * stages applied, stopping before the next stage when an analyst's rollback arrives. A failed step holds
 * what was applied (`failed`) or undoes it, as the plan says. Resolves true when everything was undone (the
 * response is over), false when it goes on from `failed` or `done`.
 */
export async function changeAccess(
  response: ResponseContext,
  plan: Plan,
  states: ChangeStates,
  readAhead?: Promise<ReadAhead>,
): Promise<boolean> {
  const { record, saga } = response;
  const { decisions } = record;
  record.moveTo(states.working);
  const outcome = await saga.applyStages(plan.stages, () => decisions.pendingDecision?.kind === 'rollback', readAhead);
  const rollback = decisions.pendingDecision?.kind === 'rollback';
  if (rollback) decisions.take();
  if (rollback || (outcome === 'failed' && plan.onFailure === 'rollback')) {
    await undoAll(response);
    return true;
  }
  record.moveTo(outcome === 'failed' ? states.failed : states.done);
  return false;
}
