import { allHandlersFinished, ApplicationFailure, condition } from '@temporalio/workflow';
import { durationMs } from '../../model/duration';
import type { JitPlan } from '../../model/jit';
import type { Decision, Plan, WaitingPoint } from '../../model/response';
import { afterDecisionTimeout, type TimeoutStates } from '../decision-timeout';
import { historyNearLimits } from '../history-limits';
import { endAllGrants, endGrant, writeGrant } from '../jit-grants';
import type { ResponseContext } from '../response-context';
import { undoAll } from '../undo';
import { continueFrom, deadlineAfter } from '../waiting';
import { changeAccess } from './change-access';
import type { KindFlow } from './kind-flow';

/**
 * `just_in_time`: take the identity's standing privilege away at once (the plan's steps), then keep a
 * just-in-time path open: the owner asks for a privilege for a while, approvers grant it, and the grant is
 * written with a provider-side end and removed by idra at that end too. An analyst ends the path: rollback
 * puts the standing privilege back exactly (`restored`), confirm keeps it off (`kept_on_jit`); either revokes
 * the grants still active. Without an end by `decision.timeout` the playbook keeps or restores. While the
 * path is open the watch takes away any standing privilege someone gives back (tampering).
 */
const PATH_TIMEOUT: TimeoutStates = {
  kept: 'kept_on_jit',
  undone: 'restored',
  // Refused at load (policy/check-playbook.ts): a path is kept or restored.
  escalated: 'on_jit',
  awaited: 'end of the just-in-time path',
};

export const justInTimeFlow: KindFlow = {
  async act(response, plan, readAhead) {
    const states = { working: 'removing_standing', failed: 'jit_failed', done: 'on_jit' } as const;
    if (await changeAccess(response, plan, states, readAhead)) return;
    return keepPathOpen(response, plan, deadlineAfter(plan.decision.timeout));
  },

  resume(response, plan, waiting: WaitingPoint) {
    if (waiting.at === 'on_jit') return keepPathOpen(response, plan, waiting.deadline);
    return false;
  },
};

function jitOf(plan: Plan): JitPlan {
  if (!plan.jit) throw ApplicationFailure.nonRetryable('a just_in_time plan without its path', 'InvalidInput');
  return plan.jit;
}

/**
 * The open path: grants written, ended and lapsed as they fall due, one at a time in the order they came;
 * the watch every `plan.watch`; until an analyst ends it or its timeout does.
 */
async function keepPathOpen(response: ResponseContext, plan: Plan, deadline: number): Promise<void> {
  const { record, saga } = response;
  const { decisions, jit: book } = record;
  const jit = jitOf(plan);
  const every = plan.watch ? durationMs(plan.watch) : undefined;
  let watchAt = every === undefined ? undefined : Date.now() + every;
  const historyFull = () => historyNearLimits(record.updatesReceived) && allHandlersFinished();
  for (;;) {
    await doWhatIsDue(response, jit);
    if (decisions.pendingDecision) return endPath(response, decisions.take());
    if (Date.now() >= deadline) {
      record.moveTo('closing_jit');
      await endAllGrants(response, `the path's timeout (${plan.decision.timeout}) passed`);
      await afterDecisionTimeout(response, plan, PATH_TIMEOUT);
      return;
    }
    if (watchAt !== undefined && every !== undefined && Date.now() >= watchAt) {
      await saga.watch(plan.onTamper);
      watchAt = Date.now() + every;
    }
    const wakeAt = Math.min(deadline, watchAt ?? deadline, book.nextDeadline(jit) ?? deadline);
    const due = () => book.hasWork(Date.now(), jit);
    await condition(
      () => decisions.pendingDecision !== undefined || due() || historyFull(),
      Math.max(1, wakeAt - Date.now()),
    );
    if (historyFull() && !decisions.pendingDecision && !due())
      return continueFrom(response, { at: 'on_jit', deadline });
  }
}

async function doWhatIsDue(response: ResponseContext, jit: JitPlan): Promise<void> {
  const { toGrant, toEnd, toEscalate, lapsed } = response.record.jit.due(Date.now(), jit);
  // Its escalation group may decide it too from now on, for as long again.
  for (const grant of toEscalate) grant.escalatedAt = new Date().toISOString();
  for (const grant of lapsed)
    Object.assign(grant, {
      state: 'lapsed',
      endedAt: new Date().toISOString(),
      endedBecause: `no decision within ${jit.requestTimeout}${grant.escalatedAt ? ` of its escalation to ${jit.escalateTo?.group ?? '?'}` : ''}`,
    });
  for (const { grant, because } of toEnd)
    await (because === 'expired'
      ? endGrant(response, grant, 'expired', 'its end came')
      : endGrant(response, grant, 'revoked', grant.revokeAsked?.reason ?? 'revoked', grant.revokeAsked?.analyst));
  for (const grant of toGrant) await writeGrant(response, jit, grant);
}

/** An analyst ends the path: grants revoked, then the standing privilege restored (rollback) or kept off (confirm). */
async function endPath(response: ResponseContext, decision: Decision | undefined): Promise<void> {
  if (!decision) return;
  response.record.moveTo('closing_jit');
  await endAllGrants(response, `the path was ended by ${decision.analyst}: ${decision.reason}`, decision.analyst);
  if (decision.kind === 'rollback') return undoAll(response, 'restored');
  response.record.moveTo('kept_on_jit');
}
