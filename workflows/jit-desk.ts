import { ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import { jitApproveUpdate, jitDenyUpdate, jitRequestUpdate, jitRevokeUpdate } from '../api/jit-messages';
import {
  type JitDecisionInput,
  type JitGrant,
  type JitPlan,
  type JitRequestInput,
  jitDecisionShapeProblems,
  jitRequestShapeProblems,
} from '../model/jit';
import { verifyDecision } from './engine-activities';
import type { ResponseContext } from './response-context';

/** Runs work in the desk's line (decisions and JIT messages are judged one at a time, in arrival order). */
export type InTurn = <Result>(work: (response: ResponseContext) => Promise<Result>) => Promise<Result>;

function refuse(problem: string): never {
  throw ApplicationFailure.nonRetryable(problem, 'JitRefused');
}

/** The path, when the response has one open: requests and decisions are taken only while it is. */
function openPath(response: ResponseContext): JitPlan {
  const { record } = response;
  const jit = record.view.plan?.jit;
  if (!jit) refuse(`${response.incident} is a ${record.view.kind} response: it has no just-in-time path`);
  if (record.state !== 'on_jit') refuse(`the response is ${record.state}: its just-in-time path is not open`);
  return jit;
}

/** Who sends a JIT message is whoever their verified token says; each token counts once. */
async function verified(response: ResponseContext, analyst: string, assertion: string | undefined): Promise<void> {
  const verdict = await verifyDecision({ assertion, analyst, incident: response.incident });
  const problem = 'refused' in verdict ? verdict.refused : response.record.decisions.spend(verdict, Date.now());
  if (problem) refuse(problem);
}

/**
 * A just_in_time response's messages (api/jit-messages.ts): a request, an approval, a denial, a revoke.
 * Each is checked (shape, token, the path's rules in model/jit.ts) in the desk's line, recorded in the
 * response's JIT book, and answered once it has played out: the grant written, or removed.
 */
export function registerJitHandlers(inTurn: InTurn): void {
  const answer = async (response: ResponseContext, grant: JitGrant): Promise<JitGrant> => {
    await condition(() => response.record.jit.settled(grant));
    return { ...grant };
  };
  setHandler(jitRequestUpdate, (input: JitRequestInput) =>
    inTurn(async (response) => {
      response.record.updatesReceived++;
      const shape = jitRequestShapeProblems(input);
      if (shape.length) refuse(shape.join('; '));
      openPath(response);
      await verified(response, input.requester, input.assertion);
      // Checked again: the path may have closed (its timeout, a cancel) while the token was checked.
      const jit = openPath(response);
      const grant = response.record.jit.request(jit, input, new Date().toISOString());
      if (typeof grant === 'string') refuse(grant);
      return grant;
    }).then((grant) => ({ ...grant })),
  );
  const decide =
    (
      decision: (
        response: ResponseContext,
        jit: JitPlan,
        approvers: string[],
        input: JitDecisionInput,
      ) => string | undefined,
    ) =>
    (input: JitDecisionInput) =>
      inTurn(async (response) => {
        response.record.updatesReceived++;
        const shape = jitDecisionShapeProblems(input);
        if (shape.length) refuse(shape.join('; '));
        openPath(response);
        await verified(response, input.analyst, input.assertion);
        const jit = openPath(response);
        const problem = decision(response, jit, response.record.view.plan?.approval.approvers ?? [], input);
        if (problem) refuse(problem);
        const grant = response.record.jit.find(input.grant);
        if (!grant) refuse(`no grant ${input.grant}`);
        return [response, grant] as const;
      }).then(([response, grant]) => answer(response, grant));
  const at = () => new Date().toISOString();
  setHandler(
    jitApproveUpdate,
    decide((response, jit, approvers, input) => response.record.jit.approve(jit, approvers, input, at())),
  );
  setHandler(
    jitDenyUpdate,
    decide((response, jit, approvers, input) => response.record.jit.deny(jit, approvers, input, at())),
  );
  setHandler(
    jitRevokeUpdate,
    decide((response, _jit, approvers, input) => response.record.jit.revoke(approvers, input, at())),
  );
}
