import { unmeetableApproval } from '../model/approval';
import type { Identity } from '../model/identity';
import type { PlannedStep, Plan } from '../model/response';
import type { Signal } from '../model/signal';
import { actionSpec, identityKind, providerTaskQueue } from '../providers/catalog';
import type { BindContext } from '../providers/provider';
import type { IdentityProfile } from '../model/profile';
import { PROTECTED_TIER } from './inventory';
import type { Playbook, PlaybookJit } from './playbook';
import type { JitPlan } from '../model/jit';

/** What the worker resolved for a signal: its playbook, the identity's profile and the groups that may decide. */
export interface Resolution {
  playbook: Playbook;
  profile: IdentityProfile;
  /** Members of the approval group and of the escalation group, by group name. */
  groups: Record<string, string[]>;
}

/**
 * Aims actions at an identity, numbering the steps in the order they are bound. Undefined for an action the
 * signal gives nothing to act on (it numbers nothing).
 */
export function stepBinder(identity: Identity, context: BindContext): (action: string) => PlannedStep | undefined {
  let index = 0;
  return (action) => {
    const spec = actionSpec(action);
    const bound = spec.bind(identity, context);
    if (!bound) return undefined;
    return {
      index: index++,
      action,
      provider: spec.provider,
      taskQueue: providerTaskQueue(spec.provider),
      reversible: spec.reversible,
      ...bound,
    };
  };
}

/**
 * Containment actions that would make a credential the identity has no room for (e.g. a third access key
 * for an IAM user that holds two): they move after approval, behind the step that removes one, or — if the
 * playbook has none — are left out (the rest of the containment still runs). Each is said in the plan's notes.
 */
function deferForRoom(
  playbook: Playbook,
  signal: Signal,
  credentials: number | undefined,
): { moved: string[]; left: string[]; notes: string[] } {
  const limit = identityKind(signal.identity).credentialLimit;
  if (!limit || credentials === undefined || credentials < limit.limit) return { moved: [], left: [], notes: [] };
  const adding = playbook.steps
    .flatMap((stage) => (typeof stage === 'string' ? [stage] : stage.parallel))
    .filter((action) => actionSpec(action).credential === 'adds');
  const freeing = playbook.afterApproval.find((action) => actionSpec(action).credential === 'removes');
  const full = `the ${limit.what} are at the limit (${credentials} of ${limit.limit})`;
  return {
    moved: freeing ? adding : [],
    left: freeing ? [] : adding,
    notes: adding.map((action) =>
      freeing
        ? `${action} deferred until after approval, once ${freeing} has made room: ${full}`
        : `${action} cannot run: ${full} and nothing in the playbook removes one`,
    ),
  };
}

/**
 * The response a playbook prescribes for a signal: every action bound to its target, the approval rule,
 * the timing rules, and why it must wait for approval before acting (if it must). Pure and deterministic:
 * the responses worker (once per response; the plan is then recorded in history) and `idra plan` compute
 * the same plan.
 */
export function buildPlan(
  signal: Signal,
  resolution: Resolution,
  incident: string,
  now: string,
  credentials?: number,
): Plan {
  const { playbook, profile, groups } = resolution;
  const { moved, left, notes } = deferForRoom(playbook, signal, credentials);
  const context = {
    incident,
    now,
    ...(signal.alert ? { alert: signal.alert } : {}),
    ...(playbook.jit ? { privileges: playbook.jit.privileges } : {}),
    options: playbook.with,
  };
  const binder = stepBinder(signal.identity, context);
  const unbound: string[] = [];
  const bind = (actions: string[]) =>
    actions.flatMap((action) => {
      const step = binder(action);
      if (!step) unbound.push(`${action} left out: the signal gives it nothing to act on`);
      return step ? [step] : [];
    });
  const stages = playbook.steps
    .map((stage) =>
      bind(
        (typeof stage === 'string' ? [stage] : stage.parallel).filter(
          (action) => !moved.includes(action) && !left.includes(action),
        ),
      ),
    )
    .filter((stage) => stage.length > 0);
  const afterApproval = bind([...playbook.afterApproval, ...moved]);
  const jit =
    playbook.jit &&
    jitPlan(playbook.jit, signal.identity, context, profile, stages.flat().length + afterApproval.length, {
      group: playbook.decision.escalateTo,
      groups,
    });
  const group = playbook.approval.group ?? profile.approverGroup;
  const approval = {
    group,
    approvers: groups[group] ?? [],
    required: playbook.approval.required,
    fourEyes: playbook.approval.fourEyes,
  };
  const { escalateTo } = playbook.decision;
  const unmeetable = unmeetableApproval(approval, signal.requestedBy ? [signal.requestedBy] : []);
  const guardedBecause = [
    ...(profile.tier === PROTECTED_TIER ? [`the identity's tier is ${PROTECTED_TIER}`] : []),
    ...(playbook.approval.beforeContainment ? [`playbook ${playbook.id} asks for approval before containment`] : []),
  ];
  return {
    kind: playbook.kind,
    playbook: { id: playbook.id, version: playbook.version },
    profile,
    stages,
    afterApproval,
    notes: [
      ...(profile.ignoredTags ? [`tags not trusted by the inventory, ignored: ${profile.ignoredTags.join(', ')}`] : []),
      ...notes,
      ...unbound,
      ...(jit && jit.required > approval.approvers.length
        ? [
            `a grant needs ${jit.required} approvers and ${group} has ${approval.approvers.length}: no request can be approved`,
          ]
        : []),
      ...(jit && !jit.requesters.length
        ? [
            'nobody may ask for just-in-time grants: give the identity an owner in the inventory, or name jit.requesters',
          ]
        : []),
      ...(unmeetable
        ? [
            `${unmeetable}: ${escalateTo ? `an approval waits escalated to ${escalateTo} at once` : `nobody can approve; add approvers to ${group} or set decision.escalateTo`}`,
          ]
        : []),
    ],
    approval: { ...approval, beforeContainment: guardedBecause },
    decision: {
      timeout: playbook.decision.timeout,
      onTimeout: playbook.decision.onTimeout,
      escalateTo,
      escalationApprovers: escalateTo ? (groups[escalateTo] ?? []) : [],
    },
    onFailure: playbook.onFailure,
    onCancel: playbook.onCancel,
    ...(playbook.watch === 'off' ? {} : { watch: playbook.watch }),
    onTamper: playbook.onTamper,
    ttl: playbook.ttl,
    ...(jit ? { jit } : {}),
  };
}

/**
 * The just-in-time path: each privilege's grant step bound to the identity (numbered after the plan's own
 * steps), who may ask (the identity's owner and the playbook's requesters), and where undecided requests go.
 */
function jitPlan(
  jit: PlaybookJit,
  identity: Identity,
  context: BindContext,
  profile: IdentityProfile,
  firstIndex: number,
  escalation: { group?: string; groups: Resolution['groups'] },
): JitPlan {
  const privileges = Object.entries(jit.privileges).flatMap(([name, grants], offset) => {
    const step = stepBinder(identity, { ...context, privilege: { name, grants } })(jit.grant);
    return step ? [[name, { ...step, index: firstIndex + offset }] as const] : [];
  });
  return {
    privileges: Object.fromEntries(privileges),
    maxDuration: jit.maxDuration,
    requestTimeout: jit.requestTimeout,
    required: jit.required,
    ...(jit.onRequestTimeout === 'escalate' && escalation.group
      ? { escalateTo: { group: escalation.group, approvers: escalation.groups[escalation.group] ?? [] } }
      : {}),
    requesters: [...new Set([...(profile.owner ? [profile.owner] : []), ...jit.requesters])],
  };
}
