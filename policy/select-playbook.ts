import type { Signal } from '../model/signal';
import { severityRank } from '../model/signal-types';
import type { IdentityProfile } from '../model/profile';
import type { Playbook } from './playbook';

export function playbookMatches(playbook: Playbook, signal: Signal, profile: IdentityProfile): boolean {
  const { match } = playbook;
  return (
    match.types.includes(signal.type) &&
    (!match.providers || match.providers.includes(signal.identity.provider)) &&
    match.kinds.includes(signal.identity.kind) &&
    severityRank(signal.severity) >= severityRank(match.minSeverity) &&
    (!match.tiers || match.tiers.includes(profile.tier)) &&
    Object.entries(match.tags ?? {}).every(([key, value]) => profile.tags[key] === value)
  );
}

/** The matching playbook of highest priority (ties go to the lower id, so the choice never depends on file order). */
export function selectPlaybook(
  playbooks: readonly Playbook[],
  signal: Signal,
  profile: IdentityProfile,
): Playbook | undefined {
  return playbooks
    .filter((playbook) => playbookMatches(playbook, signal, profile))
    .sort((a, b) => b.priority - a.priority || a.id.localeCompare(b.id))[0];
}
