import { log } from '@temporalio/workflow';
import type { UndoneState, WaitingPoint } from '../model/response';
import type { ResponseState } from '../model/response-states';
import { endAllGrants } from './jit-grants';
import type { ResponseContext } from './response-context';
import { awaitDecision } from './waiting';

/** The state while everything is being undone, by how the undo ends. */
const UNDOING: Record<UndoneState, ResponseState> = {
  rolled_back: 'rolling_back',
  reverted: 'rolling_back',
  restored: 'restoring',
};

/**
 * Undoes what is applied, in reverse, for any kind of response. A target changed by someone else since is
 * left as they set it and an analyst must look (`needs_review`); an undo that failed after its retries
 * leaves its step named (`rollback_failed`), and `rollback` again retries exactly those. `resumeAt`: a run
 * that continued as new while waiting in one of those.
 */
export async function undoAll(
  response: ResponseContext,
  done: UndoneState = 'rolled_back',
  resumeAt?: Extract<WaitingPoint, { done: UndoneState }>['at'],
): Promise<void> {
  const { record, saga } = response;
  if (resumeAt === 'needs_review') {
    await awaitDecision(response, { at: 'needs_review', done });
    return record.moveTo(done);
  }
  if (resumeAt === 'rollback_failed') await awaitDecision(response, { at: 'rollback_failed', done });
  for (;;) {
    record.moveTo(UNDOING[done]);
    const { drifted, failed } = await saga.undoAll();
    if (failed.length === 0) {
      if (drifted) {
        record.moveTo('needs_review');
        await awaitDecision(response, { at: 'needs_review', done });
      }
      return record.moveTo(done);
    }
    record.moveTo('rollback_failed');
    // The only decision this state takes besides cancel is rollback: try the failed undos again.
    await awaitDecision(response, { at: 'rollback_failed', done });
  }
}

/** The end of a cancelled response: undo (or hold, as the plan says) and say which. */
export async function endCancelled(response: ResponseContext): Promise<void> {
  const { record, saga } = response;
  const hold = record.view.plan?.onCancel === 'hold';
  log.warn('response cancelled', {
    incident: response.incident,
    by: record.decisions.cancellation?.analyst ?? 'a Temporal cancellation request',
    hold,
  });
  // A just-in-time grant never outlives its path, whatever the plan says about holding its changes.
  await endAllGrants(response, 'the response was cancelled');
  const left = hold ? saga.applied : (await saga.undoAll()).failed;
  record.moveTo(left.length ? 'cancelled_with_changes' : 'cancelled');
}
