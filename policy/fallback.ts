import type { Plan } from '../model/response';
import type { RecordedSignal } from '../model/signal';
import { identityKind } from '../providers/catalog';
import { entryFor, type Inventory, PROTECTED_TIER } from './inventory';
import { stepBinder } from './plan';

/** Plans made without a playbook carry this id, so history and status say what they were. */
export const FALLBACK_PLAYBOOK_ID = 'fallback';

/**
 * The containment a signal alone calls for while the response cannot finish planning, or null. Only for an
 * identity whose inventory entry states its tier, and never a protected one: without its profile (the
 * provider's tags could not be read) an identity is not acted on on a guess. Pure.
 */
export function fallbackPlanFor(
  inventory: Inventory,
  { signal, incident, now }: { signal: RecordedSignal; incident: string; now: string },
): Plan | null {
  const fallback = identityKind(signal.identity).fallback;
  const entry = entryFor(inventory, signal.identity);
  if (!fallback?.types.includes(signal.type) || !entry?.tier || entry.tier === PROTECTED_TIER) return null;
  const bind = stepBinder(signal.identity, { incident, now });
  const group = entry.approverGroup ?? inventory.defaults.approverGroup;
  return {
    kind: 'contain',
    playbook: { id: FALLBACK_PLAYBOOK_ID, version: 1 },
    profile: { owner: entry.owner, tier: entry.tier, environment: entry.environment, approverGroup: group, tags: {} },
    // Fallback actions act on the identity alone: each binds.
    stages: [fallback.actions.flatMap((action) => bind(action) ?? [])],
    afterApproval: [],
    notes: ['provisional: the containment the signal alone calls for, while the response cannot plan'],
    approval: { group, approvers: inventory.groups[group] ?? [], required: 1, fourEyes: false, beforeContainment: [] },
    // Until the real plan arrives, nothing times out: the response stays contained and keeps planning.
    decision: { timeout: '365d', onTimeout: 'stay_contained', escalationApprovers: [] },
    onFailure: 'hold',
    onCancel: 'rollback',
    onTamper: 'reapply',
  };
}
