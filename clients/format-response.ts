import { identityText } from '../model/identity';
import type { JitGrant, JitPlan } from '../model/jit';
import type { Plan, PlannedStep, Receipt, ResponseView } from '../model/response';
import type { ResponseKind } from '../model/response-kinds';

const INDENT = '             ';

function receiptLine(receipt: Receipt): string {
  const what = receipt.drift
    ? `drift: ${receipt.drift.note} (expected ${JSON.stringify(receipt.drift.expected)}, found ${JSON.stringify(receipt.drift.observed)})`
    : receipt.changed
      ? `${JSON.stringify(receipt.before)} -> ${JSON.stringify(receipt.after)}`
      : `already ${JSON.stringify(receipt.after)}, nothing to change`;
  return `  ${receipt.at}  ${receipt.operation.padEnd(10)} ${receipt.action} on ${receipt.target}: ${what}  (by ${receipt.actor})`;
}

function stepLine(step: PlannedStep): string {
  return `${step.index + 1}. ${step.action} on ${step.target}${step.reversible ? '' : ' (irreversible)'}`;
}

/** What a kind's first steps do, as the plan's label. */
const STEPS_LABEL: Record<ResponseKind, string> = {
  contain: 'contain     ',
  restrict_until_approved: 'restrict    ',
  just_in_time: 'take away   ',
};

function jitLines(jit: JitPlan): string[] {
  const privileges = Object.entries(jit.privileges).map(([name, step]) => `${name}: ${step.target}`);
  return [
    `jit path     ${privileges.join(`\n${INDENT}`)}`,
    `${INDENT}grants of at most ${jit.maxDuration}, approved by ${jit.required} (never the requester); requests ${jit.escalateTo ? `go to ${jit.escalateTo.group} after ${jit.requestTimeout}, then lapse` : 'lapse'} after ${jit.requestTimeout}; asked by ${jit.requesters.join(', ') || 'nobody'}`,
  ];
}

/** One grant of a just-in-time path, for people: `idra jit status` and `idra status`. */
export function formatGrant(grant: JitGrant): string {
  const approvals = grant.approvals.map((approval) => approval.analyst).join(', ');
  const window = grant.startedAt ? `, ${grant.startedAt} until ${grant.endsAt ?? '?'}` : '';
  const ended = grant.endedAt
    ? `, ended ${grant.endedAt}${grant.endedBy ? ` by ${grant.endedBy}` : ''}: ${grant.endedBecause ?? ''}`
    : '';
  const escalated = grant.escalatedAt ? `, escalated at ${grant.escalatedAt}` : '';
  return `${grant.id} ${grant.state.padEnd(9)} ${grant.privilege} for ${grant.duration}, asked by ${grant.requestedBy} at ${grant.requestedAt} (${grant.reason})${escalated}${approvals ? `, approved by ${approvals}` : ''}${window}${ended}`;
}

/** A plan for people: what would run, in which order, on what, and under which rules. */
export function formatPlan(plan: Plan): string[] {
  const stages = plan.stages.map((stage) =>
    stage.length === 1 ? stepLine(stage[0]!) : `in parallel: ${stage.map(stepLine).join('; ')}`,
  );
  const rules = [
    `approval by ${plan.approval.required} of ${plan.approval.group} (${plan.approval.approvers.join(', ') || 'nobody'})${plan.approval.fourEyes ? ', four-eyes' : ''}`,
    `decision within ${plan.decision.timeout}, else ${plan.decision.onTimeout}${plan.decision.escalateTo ? ` to ${plan.decision.escalateTo}` : ''}; on failure ${plan.onFailure}${plan.ttl ? `; auto-revert after ${plan.ttl} unless confirmed` : ''}`,
    ...(plan.approval.beforeContainment.length
      ? [`waits for approval before acting: ${plan.approval.beforeContainment.join('; ')}`]
      : []),
  ];
  return [
    `playbook     ${plan.playbook.id} v${plan.playbook.version} (${plan.kind})`,
    `profile      tier ${plan.profile.tier}, approvers ${plan.profile.approverGroup}${plan.profile.owner ? `, owner ${plan.profile.owner}` : ''}${plan.profile.environment ? `, ${plan.profile.environment}` : ''}`,
    `${STEPS_LABEL[plan.kind]} ${stages.join(`\n${INDENT}`)}`,
    ...(plan.kind === 'restrict_until_approved' ? [`on approval  undo the restriction exactly (restored)`] : []),
    ...(plan.jit ? jitLines(plan.jit) : []),
    ...(plan.afterApproval.length ? [`on approval  ${plan.afterApproval.map(stepLine).join(`\n${INDENT}`)}`] : []),
    ...(plan.notes.length ? [`notes        ${plan.notes.join(`\n${INDENT}`)}`] : []),
    `rules        ${rules.join(`\n${INDENT}`)}`,
  ];
}

/** `idra status` for people: the identity, where the response stands, and every change with before/after. */
export function formatResponse(view: ResponseView): string {
  const lines = [
    `incident     ${view.incident}`,
    `kind         ${view.kind}`,
    `identity     ${identityText(view.identity)}`,
    `severity     ${view.severity}`,
    `state        ${view.state}${view.escalatedTo ? ` (escalated to ${view.escalatedTo}: ${view.escalatedBecause ?? ''})` : ''}`,
    ...(view.blockedBecause ? [`blocked      ${view.blockedBecause}`] : []),
    ...(view.plan ? formatPlan(view.plan) : ['plan         (not yet planned)']),
    ...(view.guardedBecause.length ? [`guarded      ${view.guardedBecause.join(`\n${INDENT}`)}`] : []),
    `signals      ${view.signals.map((signal) => `${signal.id} from ${signal.source} (${signal.severity}): ${signal.evidence.summary}`).join(`\n${INDENT}`)}`,
    ...(view.signalsReceived > view.signals.length
      ? [
          `${INDENT}(${view.signalsReceived} received: ${view.signalRepeats} repeats counted, the first and latest distinct ones shown)`,
        ]
      : []),
    'changes',
    ...(view.changes.length ? view.changes.map(receiptLine) : ['  (none)']),
  ];
  for (const grant of view.jitGrants ?? []) lines.push(`grant        ${formatGrant(grant)}`);
  for (const approval of view.approvals)
    lines.push(`approved     by ${approval.analyst} at ${approval.at}: ${approval.reason}`);
  if (view.decision)
    lines.push(
      `decision     ${view.decision.kind} by ${view.decision.analyst} at ${view.decision.at}: ${view.decision.reason}`,
    );
  for (const denied of view.deniedDecisions)
    lines.push(`denied       ${denied.kind} by ${denied.analyst} at ${denied.at}: ${denied.problem}`);
  if (view.deniedDecisionsNotKept)
    lines.push(`denied       ${view.deniedDecisionsNotKept} more, not kept in the record (each is in the history)`);
  for (const seen of view.tampering)
    lines.push(
      `tampered     ${seen.at} ${seen.action} on ${seen.target}: expected ${JSON.stringify(seen.expected)}, found ${JSON.stringify(seen.observed)} (${seen.response})`,
    );
  for (const failure of view.failures) lines.push(`failure      ${failure}`);
  for (const step of view.leftInPlace)
    lines.push(`left in place ${step} (its undo failed; \`idra rollback\` retries it)`);
  return lines.join('\n');
}
