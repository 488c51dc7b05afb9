import { ACTION_CATALOG, PROVIDER_IDS } from '../providers/catalog';
import { durationMs } from '../model/duration';
import { SIGNAL_TYPE_KINDS } from '../model/signal-types';
import { describeIssues } from '../model/validation';
import type { Playbook } from './playbook';

/** The actions of a playbook's containment stages, in order. */
export function stageActions(playbook: Playbook): string[] {
  return playbook.steps.flatMap((stage) => (typeof stage === 'string' ? [stage] : stage.parallel));
}

/** The actions a misspelt name may have meant: its provider's (by the name's prefix), or the providers. */
function knownActions(action: string): string {
  const provider = action.split('.')[0] ?? '';
  const sameProvider = [...ACTION_CATALOG.values()]
    .filter((spec) => spec.provider === provider)
    .map((spec) => spec.name);
  return sameProvider.length
    ? `${provider} actions: ${sameProvider.join(', ')}`
    : `no provider "${provider}"; providers: ${PROVIDER_IDS.join(', ')}`;
}

/**
 * What the schema cannot see: that each action exists and can aim at every identity kind the playbook
 * matches, that irreversible actions wait for approval, and that the timing rules can take effect.
 * Returns one problem per line, each naming its place in the playbook.
 */
export function playbookProblems(playbook: Playbook): string[] {
  const problems: string[] = [];
  const containment = stageActions(playbook);
  const all = [
    ...containment.map((action) => ['steps', action] as const),
    ...playbook.afterApproval.map((action) => ['afterApproval', action] as const),
  ];
  if (!all.length) problems.push('steps: must contain at least one step (or afterApproval must)');
  const seen = new Set<string>();
  for (const [where, action] of all) {
    const spec = ACTION_CATALOG.get(action);
    if (!spec) {
      problems.push(`${where}: unknown action "${action}" (${knownActions(action)})`);
      continue;
    }
    if (seen.has(action)) problems.push(`${where}: action "${action}" appears more than once`);
    seen.add(action);
    const unreachable = playbook.match.kinds.filter((kind) => !spec.appliesTo.includes(kind));
    if (unreachable.length)
      problems.push(
        `${where}: action "${action}" cannot act on identity kind ${unreachable.join(', ')} (it acts on: ${spec.appliesTo.join(', ')})`,
      );
    if (spec.timeBoxed)
      problems.push(`${where}: action "${action}" writes just-in-time grants: it belongs in jit.grant`);
    if (where === 'steps' && !spec.reversible)
      problems.push(
        `steps: action "${action}" is irreversible: it may only run after approval (move it to afterApproval)`,
      );
  }
  if (playbook.decision.onTimeout === 'escalate' && !playbook.decision.escalateTo) {
    problems.push('decision.escalateTo: is required when decision.onTimeout is escalate');
  }
  // A signal's type says which response of its identity it starts or joins: a playbook answers only its kind's.
  const otherKind = playbook.match.types.filter((type) => SIGNAL_TYPE_KINDS[type] !== playbook.kind);
  if (otherKind.length) {
    problems.push(
      `match.types: ${otherKind.map((type) => `${type} calls for a ${SIGNAL_TYPE_KINDS[type]} response`).join('; ')}, not ${playbook.kind}`,
    );
  }
  if (playbook.kind === 'restrict_until_approved') {
    // Approval lifts the restriction: there is nothing to run after it, and no TTL to revert it by.
    if (playbook.afterApproval.length)
      problems.push(
        'afterApproval: a restrict_until_approved response undoes its steps on approval: it runs nothing after it',
      );
    if (playbook.ttl)
      problems.push(
        "ttl: a restrict_until_approved response is lifted by a reviewer's approval (or decision.onTimeout), not a TTL",
      );
  }
  problems.push(
    ...optionProblems(
      playbook,
      all.map(([, action]) => action),
    ),
  );
  problems.push(...jitProblems(playbook));
  if (playbook.ttl && durationMs(playbook.ttl) >= durationMs(playbook.decision.timeout)) {
    problems.push(
      `ttl: must be shorter than decision.timeout (${playbook.decision.timeout}), or it never takes effect`,
    );
  }
  return problems;
}

/**
 * The playbook's `with`: each entry names one of its actions, and each action that takes options gets what its
 * schema accepts (one that needs some and has none is told so).
 */
function optionProblems(playbook: Playbook, actions: string[]): string[] {
  const problems: string[] = [];
  for (const action of Object.keys(playbook.with)) {
    if (!actions.includes(action)) problems.push(`with.${action}: "${action}" is not an action of this playbook`);
    else if (!ACTION_CATALOG.get(action)?.options) problems.push(`with.${action}: action "${action}" takes no options`);
  }
  for (const action of actions) {
    const schema = ACTION_CATALOG.get(action)?.options;
    if (!schema) continue;
    const parsed = schema.safeParse(playbook.with[action] ?? {});
    if (!parsed.success)
      problems.push(
        ...describeIssues(parsed.error.issues).map((issue) =>
          issue.startsWith('(root):') ? `with.${action}${issue.slice('(root)'.length)}` : `with.${action}.${issue}`,
        ),
      );
  }
  return problems;
}

/** A just_in_time playbook's path: its grant action writes time-boxed grants, and each privilege names what it can grant. */
function jitProblems(playbook: Playbook): string[] {
  const { jit } = playbook;
  if (playbook.kind !== 'just_in_time')
    return jit ? [`jit: only a just_in_time response has a just-in-time path (this one is ${playbook.kind})`] : [];
  if (!jit) return ['jit: is required for a just_in_time response (the grant action and its privileges)'];
  const problems: string[] = [];
  if (playbook.afterApproval.length)
    problems.push('afterApproval: a just_in_time response grants through its path: it runs nothing after approval');
  if (playbook.ttl) problems.push('ttl: a just_in_time path ends by an analyst (or decision.onTimeout), not a TTL');
  if (playbook.decision.onTimeout === 'escalate')
    problems.push('decision.onTimeout: a just_in_time path ends kept (stay_contained) or restored (rollback)');
  if (jit.onRequestTimeout === 'escalate' && !playbook.decision.escalateTo)
    problems.push('jit.onRequestTimeout: escalate needs decision.escalateTo (the group undecided requests go to)');
  const spec = ACTION_CATALOG.get(jit.grant);
  if (!spec?.timeBoxed) {
    const grants = [...ACTION_CATALOG.values()]
      .filter((candidate) => candidate.timeBoxed)
      .map((candidate) => candidate.name);
    return [...problems, `jit.grant: "${jit.grant}" is not a time-boxed grant action (they are: ${grants.join(', ')})`];
  }
  const unreachable = playbook.match.kinds.filter((kind) => !spec.appliesTo.includes(kind));
  if (unreachable.length)
    problems.push(`jit.grant: "${jit.grant}" cannot grant to identity kind ${unreachable.join(', ')}`);
  for (const [name, grants] of Object.entries(jit.privileges))
    grants.forEach((grant, index) => {
      if (!spec.timeBoxed?.grants.safeParse(grant).success)
        problems.push(`jit.privileges.${name}[${index}]: must be ${spec.timeBoxed?.what}`);
    });
  if (durationMs(jit.maxDuration) > durationMs(playbook.decision.timeout))
    problems.push(`jit.maxDuration: must not outlast the path itself (decision.timeout ${playbook.decision.timeout})`);
  return problems;
}
