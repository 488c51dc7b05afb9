import { ACTION_CATALOG, PROVIDER_IDS } from '../providers/catalog';
import { durationMs } from '../model/duration';
import { SIGNAL_TYPE_KINDS } from '../model/signal-types';
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
  if (playbook.ttl && durationMs(playbook.ttl) >= durationMs(playbook.decision.timeout)) {
    problems.push(
      `ttl: must be shorter than decision.timeout (${playbook.decision.timeout}), or it never takes effect`,
    );
  }
  return problems;
}
