import { type Duration, durationMs } from '../model/duration';
import {
  GRANT_IN_FLIGHT,
  type JitDecisionInput,
  type JitGrant,
  type JitPlan,
  type JitRequestInput,
  jitDecisionProblem,
  jitRequestProblem,
  jitRevokeProblem,
} from '../model/jit';
import type { Decision, ResponseView } from '../model/response';

/** What the path must do now: grants approved and not yet written, grants to remove, requests to escalate or that lapsed. */
export interface JitWork {
  toGrant: JitGrant[];
  toEnd: { grant: JitGrant; because: 'expired' | 'revoked' }[];
  toEscalate: JitGrant[];
  lapsed: JitGrant[];
}

/** When an undecided request's current wait ends: its timeout after it was asked for, or after it was escalated. */
function waitEnds(grant: JitGrant, jit: JitPlan): number {
  return Date.parse(grant.escalatedAt ?? grant.requestedAt) + durationMs(jit.requestTimeout);
}

/**
 * The requests and grants of a just_in_time response, kept in its view (so `status` shows them and a run
 * that continues as new carries them). Handlers record here; the response's path (workflows/kinds/
 * just-in-time.ts) does the writing and removing, one at a time, in the order they came.
 */
export class JitBook {
  constructor(private readonly view: ResponseView) {}

  get grants(): JitGrant[] {
    return (this.view.jitGrants ??= []);
  }

  find(id: string): JitGrant | undefined {
    return this.grants.find((grant) => grant.id === id);
  }

  /** Records a request, or says why it is refused. */
  request(jit: JitPlan, input: JitRequestInput, at: string): JitGrant | string {
    const problem = jitRequestProblem(input, jit, this.grants);
    if (problem) return problem;
    const grant: JitGrant = {
      id: `grant-${this.grants.length + 1}`,
      privilege: input.privilege,
      duration: input.duration as Duration,
      reason: input.reason,
      requestedBy: input.requester,
      requestedAt: at,
      approvals: [],
      state: 'requested',
    };
    this.grants.push(grant);
    return grant;
  }

  /** Who may decide a request: the plan's approvers, and once it is escalated the escalation group too. */
  private deciders(jit: JitPlan, approvers: readonly string[], grant: JitGrant | undefined): string[] {
    return [...approvers, ...(grant?.escalatedAt ? (jit.escalateTo?.approvers ?? []) : [])];
  }

  /** An approval counts towards the plan's number; enough of them, and the grant is to be written. */
  approve(jit: JitPlan, approvers: readonly string[], input: JitDecisionInput, at: string): string | undefined {
    const grant = this.find(input.grant);
    const problem = jitDecisionProblem(input, grant, this.deciders(jit, approvers, grant));
    if (problem || !grant) return problem;
    grant.approvals.push(decisionOf('approve', input, at));
    if (grant.approvals.length >= jit.required) grant.state = 'approved';
    return undefined;
  }

  deny(jit: JitPlan, approvers: readonly string[], input: JitDecisionInput, at: string): string | undefined {
    const grant = this.find(input.grant);
    const problem = jitDecisionProblem(input, grant, this.deciders(jit, approvers, grant));
    if (problem || !grant) return problem;
    Object.assign(grant, { state: 'denied', endedAt: at, endedBy: input.analyst, endedBecause: input.reason });
    return undefined;
  }

  revoke(approvers: readonly string[], input: JitDecisionInput, at: string): string | undefined {
    const grant = this.find(input.grant);
    const problem = jitRevokeProblem(input, grant, approvers);
    if (problem || !grant) return problem;
    grant.revokeAsked = decisionOf('rollback', input, at);
    return undefined;
  }

  /** Whether a message about this grant has played out (the caller's answer waits for it). */
  settled(grant: JitGrant): boolean {
    return !GRANT_IN_FLIGHT.includes(grant.state) && grant.revokeAsked === undefined;
  }

  active(): JitGrant[] {
    return this.grants.filter((grant) => grant.state === 'active');
  }

  /** What is due at `now`, as the path's rules say. */
  due(now: number, jit: JitPlan): JitWork {
    const waited = this.grants.filter((grant) => grant.state === 'requested' && waitEnds(grant, jit) <= now);
    const escalates = (grant: JitGrant) => jit.escalateTo !== undefined && grant.escalatedAt === undefined;
    return {
      toGrant: this.grants.filter((grant) => grant.state === 'approved'),
      toEnd: this.active().flatMap((grant): JitWork['toEnd'] => {
        if (grant.revokeAsked) return [{ grant, because: 'revoked' }];
        return grant.endsAt && Date.parse(grant.endsAt) <= now ? [{ grant, because: 'expired' }] : [];
      }),
      toEscalate: waited.filter(escalates),
      lapsed: waited.filter((grant) => !escalates(grant)),
    };
  }

  hasWork(now: number, jit: JitPlan): boolean {
    const { toGrant, toEnd, toEscalate, lapsed } = this.due(now, jit);
    return toGrant.length + toEnd.length + toEscalate.length + lapsed.length > 0;
  }

  /** The next moment something falls due by time alone: a grant's end, a request's escalation or lapse. */
  nextDeadline(jit: JitPlan): number | undefined {
    const moments = this.grants.flatMap((grant) => {
      if (grant.state === 'active' && grant.endsAt) return [Date.parse(grant.endsAt)];
      if (grant.state === 'requested') return [waitEnds(grant, jit)];
      return [];
    });
    return moments.length ? Math.min(...moments) : undefined;
  }
}

function decisionOf(kind: Decision['kind'], input: JitDecisionInput, at: string): Decision {
  return { kind, analyst: input.analyst, reason: input.reason, at };
}
