import type { LeakedCredentialOwner } from '../providers/provider';
import { findingsOfHealthEvent } from './aws-health';
import { signalOfGuardDutyFinding } from './guardduty';
import { findingsOfOcsf } from './ocsf';
import { findingsOfSecurityHubEvent } from './security-hub';

/** Names the IAM user of an access key a finding names alone, or why idra cannot act on it. */
export type KeyOwnerLookup = (keyId: string) => Promise<LeakedCredentialOwner>;

/** What an event asks of idra: signals to start (and what it skipped, saying why), or what is wrong with it. */
export type Findings = { signals: Record<string, unknown>[]; skipped: string[] } | { problems: string[] };

/**
 * An EventBridge event by its source: GuardDuty findings, AWS Health's exposed-credentials notices, Security
 * Hub's imported findings (ASFF, or OCSF from its second version). Others are acknowledged and skipped, so a broad rule does not make EventBridge retry.
 */
export async function findingsOfEventBridgeEvent(event: unknown, ownerOfAccessKey: KeyOwnerLookup): Promise<Findings> {
  const { source, 'detail-type': detailType } = (typeof event === 'object' && event !== null ? event : {}) as Record<
    string,
    unknown
  >;
  if (source === 'aws.health') return findingsOfHealthEvent(event, ownerOfAccessKey);
  if (source === 'aws.securityhub' && detailType === 'Security Hub Findings - Imported')
    return findingsOfSecurityHubEvent(event, ownerOfAccessKey);
  // Security Hub's second version sends OCSF findings.
  if (source === 'aws.securityhub' && detailType === 'Findings Imported V2') {
    const findings = (event as { detail?: { findings?: unknown } }).detail?.findings;
    return Array.isArray(findings)
      ? findingsOfOcsf(findings, ownerOfAccessKey)
      : { problems: ['detail.findings: must be a list of OCSF findings'] };
  }
  // No source, or not a string: read as GuardDuty's, so the answer names what is missing.
  if (source === 'aws.guardduty' || typeof source !== 'string') {
    const mapped = signalOfGuardDutyFinding(event);
    if ('problems' in mapped) return mapped;
    return 'skipped' in mapped ? { signals: [], skipped: [mapped.skipped] } : { signals: [mapped.signal], skipped: [] };
  }
  return {
    signals: [],
    skipped: [`an event from ${source.slice(0, 100)}: idra reads GuardDuty, AWS Health and Security Hub findings`],
  };
}
