import { describeIdentity } from '../model/identity';
import type { Receipt, ResponseView } from '../model/response';

function receiptLine(receipt: Receipt): string {
  const what = receipt.drift
    ? `left alone (drift: expected ${JSON.stringify(receipt.drift.expected)}, found ${JSON.stringify(receipt.drift.observed)})`
    : receipt.changed
      ? `${JSON.stringify(receipt.before)} -> ${JSON.stringify(receipt.after)}`
      : `already ${JSON.stringify(receipt.after)}, nothing to change`;
  return `  ${receipt.at}  ${receipt.operation.padEnd(10)} ${receipt.action} on ${receipt.target}: ${what}  (by ${receipt.actor})`;
}

/** `idra status` for people: the identity, where the response stands, and every change with before/after. */
export function formatResponse(view: ResponseView): string {
  const lines = [
    `incident   ${view.incident}`,
    `identity   ${describeIdentity(view.identity)}`,
    `severity   ${view.severity}`,
    `state      ${view.state}`,
    `playbook   ${view.plan.playbook.id} v${view.plan.playbook.version}`,
    `plan       ${view.plan.steps.map((step) => `${step.index + 1}. ${step.action} on ${step.target}`).join('\n           ')}`,
    `signals    ${view.signals.map((signal) => `${signal.id} from ${signal.source} (${signal.severity}): ${signal.evidence.summary}`).join('\n           ')}`,
    'changes',
    ...(view.changes.length ? view.changes.map(receiptLine) : ['  (none yet)']),
  ];
  if (view.decision) lines.push(`decision   ${view.decision.kind} by ${view.decision.analyst} at ${view.decision.at}: ${view.decision.reason}`);
  for (const denied of view.deniedDecisions) lines.push(`denied     ${denied.kind} by ${denied.analyst} at ${denied.at}: ${denied.problem}`);
  for (const failure of view.failures) lines.push(`failure    ${failure}`);
  return lines.join('\n');
}
