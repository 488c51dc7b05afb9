import { type Duration, durationMs, isDuration } from './duration';
import { objectProblems, optional, text } from './plain-checks';
import { quoted } from './quoted';
import type { AppliedStep, Decision, PlannedStep } from './response';

/**
 * The just-in-time path of a `just_in_time` response, as planned: what may be asked for, for how long, by
 * whom, and how many approvers a grant needs. Approvers are the plan's (`plan.approval.approvers`); the
 * requester never approves their own request.
 */
export interface JitPlan {
  /** Each privilege by name, with its grant step bound to the identity; a grant adds its id and end. */
  privileges: Record<string, PlannedStep>;
  /** The longest one grant (or one extension) may last. */
  maxDuration: Duration;
  /** A request nobody decided on within this long lapses (or, with `escalateTo`, is escalated first). */
  requestTimeout: Duration;
  /** Where an undecided request goes after `requestTimeout`: this group's members may decide it too, for as long again. */
  escalateTo?: { group: string; approvers: string[] };
  /** Distinct approvers a request needs. */
  required: number;
  /** Who may ask for a grant: the identity's owner and the playbook's requesters. */
  requesters: string[];
}

/**
 * A grant's life: `requested` → `approved` (being written) → `active` → `expired` (its end came), `revoked`
 * (ended early), or `extended` (a later grant of the same privilege took over); or `denied`, `lapsed` (no
 * decision in time), `failed` (the write failed, and what of it reached the provider was undone).
 */
export const GRANT_STATES = [
  'requested',
  'approved',
  'active',
  'expired',
  'revoked',
  'extended',
  'denied',
  'lapsed',
  'failed',
] as const;
export type GrantState = (typeof GRANT_STATES)[number];

/** States a grant moves on from by itself (the response is writing or removing it). */
export const GRANT_IN_FLIGHT: readonly GrantState[] = ['approved'];

/** One request for a privilege and what became of it: `idra jit status` shows these. */
export interface JitGrant {
  id: string;
  privilege: string;
  duration: Duration;
  reason: string;
  requestedBy: string;
  requestedAt: string;
  approvals: Decision[];
  state: GrantState;
  /** When the provider started and will end it (its own expiry: it ends even with every idra worker down). */
  startedAt?: string;
  endsAt?: string;
  /** When and why it stopped, and who stopped it (revoked) or decided (denied). */
  endedAt?: string;
  endedBy?: string;
  endedBecause?: string;
  /** The grant's step as applied, with the target as it was before the first grant (what removing it restores). */
  applied?: AppliedStep;
  /** Set when a revoke was asked for and not yet carried out. */
  revokeAsked?: Decision;
  /** When an undecided request was escalated (its escalation group may decide it from then on). */
  escalatedAt?: string;
}

/** What an owner (or their automation) sends to ask for a privilege. */
export interface JitRequestInput {
  requester: string;
  privilege: string;
  duration: string;
  reason: string;
  /** The requester's signed token (JWT), verified before the request counts; never kept in the record. */
  assertion?: string;
}

/** An approver's decision on a request, or a revoke of an active grant. */
export interface JitDecisionInput {
  grant: string;
  analyst: string;
  reason: string;
  assertion?: string;
}

const REQUEST_FIELDS = {
  requester: text({ max: 200, empty: 'must name who asks' }),
  privilege: text({ max: 100, empty: 'must name the privilege' }),
  duration: (value: unknown) => (isDuration(value) ? undefined : 'must be a duration such as "30m" or "1h"'),
  reason: text({ max: 2000, empty: 'must say why' }),
  assertion: optional(text({ max: 8192, empty: 'must not be empty', trim: false })),
};

const DECISION_FIELDS = {
  grant: text({ max: 40, empty: 'must name the grant' }),
  analyst: text({ max: 200, empty: 'must name the analyst' }),
  reason: text({ max: 2000, empty: 'must say why' }),
  assertion: optional(text({ max: 8192, empty: 'must not be empty', trim: false })),
};

/** What is wrong with a request's shape, one problem per field (plain code: workflow handlers check it). */
export function jitRequestShapeProblems(input: unknown): string[] {
  return objectProblems(input, REQUEST_FIELDS);
}

export function jitDecisionShapeProblems(input: unknown): string[] {
  return objectProblems(input, DECISION_FIELDS);
}

/** Why a well-formed request cannot be taken on this path, or undefined. Pure. */
export function jitRequestProblem(
  request: JitRequestInput,
  jit: JitPlan,
  grants: readonly JitGrant[],
): string | undefined {
  if (!jit.requesters.includes(request.requester))
    return `${request.requester} may not ask for grants here (requesters: ${jit.requesters.join(', ') || 'none'})`;
  const privilege = jit.privileges[request.privilege];
  if (!privilege)
    return `unknown privilege ${quoted(request.privilege)} (this path grants: ${Object.keys(jit.privileges).join(', ')})`;
  if (durationMs(request.duration as Duration) > durationMs(jit.maxDuration))
    return `a grant lasts at most ${jit.maxDuration}: ${request.duration} is longer`;
  const waiting = grants.find((grant) => grant.privilege === request.privilege && grant.state === 'requested');
  if (waiting) return `${waiting.id} already asks for ${request.privilege}: it is decided (or lapses) first`;
  return undefined;
}

/**
 * Why an approver's decision on a grant does not count, or undefined: the grant must wait for a decision,
 * the analyst must be an approver, not its requester (four-eyes, always), and approve only once.
 */
export function jitDecisionProblem(
  decision: JitDecisionInput,
  grant: JitGrant | undefined,
  approvers: readonly string[],
): string | undefined {
  if (!grant) return `no grant ${quoted(decision.grant)} on this path`;
  if (grant.state !== 'requested') return `${grant.id} is ${grant.state}: it takes no decision`;
  if (!approvers.includes(decision.analyst)) return `${decision.analyst} is not an approver of this path`;
  if (grant.requestedBy === decision.analyst)
    return `four-eyes: ${decision.analyst} asked for ${grant.id} and cannot decide on it`;
  if (grant.approvals.some((approval) => approval.analyst === decision.analyst))
    return `${decision.analyst} has already approved ${grant.id}`;
  return undefined;
}

/** Why a revoke does not count: only an active grant, by an approver or by whoever asked for it. */
export function jitRevokeProblem(
  revoke: JitDecisionInput,
  grant: JitGrant | undefined,
  approvers: readonly string[],
): string | undefined {
  if (!grant) return `no grant ${quoted(revoke.grant)} on this path`;
  if (grant.state !== 'active') return `${grant.id} is ${grant.state}: only an active grant can be revoked`;
  if (grant.revokeAsked) return `${grant.id} is being revoked already (by ${grant.revokeAsked.analyst})`;
  if (!approvers.includes(revoke.analyst) && grant.requestedBy !== revoke.analyst)
    return `${revoke.analyst} may not revoke ${grant.id}: approvers and its requester may`;
  return undefined;
}
