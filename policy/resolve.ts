import type { IdentityFacts } from '../model/profile';
import type { Plan } from '../model/response';
import type { RecordedSignal } from '../model/signal';
import { type Inventory, profileOf } from './inventory';
import { buildPlan, type Resolution } from './plan';
import type { Playbook } from './playbook';
import { selectPlaybook } from './select-playbook';

/** Configuration that makes a response impossible to decide on (e.g. an approver group nobody defined). */
export class ConfigurationProblem extends Error {
  override name = 'ConfigurationProblem';
}

/**
 * The playbook and profile for a signal, or null when no playbook matches. Pure: the identity's provider
 * tags are read beforehand. Used by the responses worker and by `idra plan`.
 */
export function resolveResponse(
  playbooks: readonly Playbook[],
  inventory: Inventory,
  signal: RecordedSignal,
  tags: Record<string, string>,
): Resolution | null {
  const profile = profileOf(inventory, signal.identity, tags);
  const playbook = selectPlaybook(playbooks, signal, profile);
  if (!playbook) return null;
  const groups: Record<string, string[]> = {};
  for (const group of [playbook.approval.group ?? profile.approverGroup, playbook.decision.escalateTo]) {
    if (group === undefined) continue;
    const members = inventory.groups[group];
    // Fail safe: a response nobody may decide on must not start changing things.
    if (!members) throw new ConfigurationProblem(`approver group "${group}" is not defined in the inventory`);
    groups[group] = members;
  }
  return { playbook, profile, groups };
}

/** The bound plan for a signal (null: no playbook matches), as the responses worker records it and `idra plan` shows it. */
export function planFor(
  config: { playbooks: readonly Playbook[]; inventory: Inventory },
  input: { signal: RecordedSignal; incident: string; facts: IdentityFacts; now: string },
): Plan | null {
  const resolution = resolveResponse(config.playbooks, config.inventory, input.signal, input.facts.tags);
  return resolution && buildPlan(input.signal, resolution, input.incident, input.now, input.facts.credentials);
}
