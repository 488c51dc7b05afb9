import { unmeetableApproval } from '../model/approval';
import type { Inventory } from './inventory';
import type { Playbook } from './playbook';

/**
 * What neither file can see alone: an approval rule that the group it uses cannot meet (fewer members than
 * approvals required) — the playbook's own group, or else the inventory's default group. A group assigned
 * to particular identities (or named by a provider tag) is checked when a response for one is planned.
 */
export function configProblems(playbooks: readonly Playbook[], inventory: Inventory): string[] {
  return playbooks.flatMap((playbook) => {
    const { required, fourEyes } = playbook.approval;
    const group = playbook.approval.group ?? inventory.defaults.approverGroup;
    const problem = unmeetableApproval({ group, approvers: inventory.groups[group] ?? [], required, fourEyes }, []);
    return problem ? [`playbook ${playbook.id}: approval.required: ${problem}`] : [];
  });
}
