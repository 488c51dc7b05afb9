/** The part of a plan's approval rule that says who can approve, and how many must. */
export interface ApprovalRule {
  group: string;
  approvers: string[];
  required: number;
  fourEyes: boolean;
}

/**
 * Why an approval rule cannot be met by the people allowed to approve (under four-eyes, not those who
 * raised the response); undefined when it can. Shared by the plan (`idra plan`), the configuration check
 * and the response itself, so all three say the same thing.
 */
export function unmeetableApproval(
  rule: ApprovalRule,
  raisers: readonly string[],
  escalation?: { group: string; approvers: string[] },
): string | undefined {
  const allowed = [...new Set([...rule.approvers, ...(escalation?.approvers ?? [])])];
  const excluded = rule.fourEyes ? allowed.filter((person) => raisers.includes(person)) : [];
  const eligible = allowed.length - excluded.length;
  if (eligible >= rule.required) return undefined;
  const groups = [rule.group, ...(escalation ? [escalation.group] : [])].join(' and ');
  const fourEyes = excluded.length ? ` (four-eyes excludes ${excluded.join(', ')}, who raised it)` : '';
  return `the approval rule cannot be met: ${rule.required} different approvers required, ${eligible} eligible in ${groups}${fourEyes}`;
}
