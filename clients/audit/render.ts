import { identityText } from '../../model/identity';
import type { Audit } from './audit-from-history';
import { toOcsf } from './ocsf';

export const AUDIT_FORMATS = ['md', 'json', 'ocsf'] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

function markdown(audit: Audit): string {
  const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
  return [
    `# idra response ${audit.incident}`,
    '',
    `- identity: ${audit.identity ? identityText(audit.identity) : 'unknown'}`,
    `- kind: ${audit.kind ?? 'unknown'}`,
    `- playbook: ${audit.playbook ? `${audit.playbook.id} v${audit.playbook.version}` : 'none'}`,
    `- final state: ${audit.finalState ?? 'unknown'}`,
    `- run: ${audit.runId}`,
    '',
    '| time (UTC) | what | who | details |',
    '|---|---|---|---|',
    ...audit.entries.map(
      (entry) => `| ${entry.at} | ${entry.kind} | ${cell(entry.who ?? '')} | ${cell(entry.summary)} |`,
    ),
    '',
  ].join('\n');
}

export function renderAudit(audit: Audit, format: AuditFormat): string {
  if (format === 'md') return markdown(audit);
  if (format === 'ocsf') return JSON.stringify(toOcsf(audit), null, 2);
  return JSON.stringify(
    {
      incident: audit.incident,
      runId: audit.runId,
      identity: audit.identity,
      kind: audit.kind,
      playbook: audit.playbook,
      finalState: audit.finalState,
      timeline: audit.entries,
    },
    null,
    2,
  );
}
