import { z } from 'zod';
import type { Severity, SignalType } from '../model/signal-types';
import { problemsOf } from './route-kit';

/** The parts of an EventBridge GuardDuty finding event idra reads (the rest of the event is ignored). */
const guardDutyEvent = z.object({
  source: z.literal('aws.guardduty'),
  'detail-type': z.literal('GuardDuty Finding'),
  detail: z.object({
    id: z.string().regex(/^[\w-]{1,100}$/, 'must be a GuardDuty finding id'),
    accountId: z.string(),
    region: z.string().max(50),
    type: z.string().max(200),
    severity: z.number().min(0).max(10),
    updatedAt: z.string(),
    title: z.string().max(2000),
    resource: z.object({
      resourceType: z.string(),
      accessKeyDetails: z
        .object({
          accessKeyId: z.string().optional(),
          userName: z.string().optional(),
          userType: z.string().optional(),
        })
        .optional(),
    }),
  }),
});

/** GuardDuty's severity bands: low 1.0-3.9, medium 4.0-6.9, high 7.0-8.9, critical 9.0-10.0. */
function severityOf(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  return 'low';
}

/** A finding's signal, or why idra does not act on it (said in the 202, so EventBridge does not retry it). */
export type Mapped = { signal: Record<string, unknown> } | { skipped: string } | { problems: string[] };

/**
 * GuardDuty findings on IAM credentials as signals: an IAM user's access key (AKIA) becomes an access key
 * identity; an assumed role's temporary credentials (ASIA) become their role, whose sessions can be revoked.
 * The finding id is the signal id, so EventBridge's retries of one finding are recorded once.
 */
export function signalOfGuardDutyFinding(event: unknown): Mapped {
  const parsed = guardDutyEvent.safeParse(event);
  if (!parsed.success) return { problems: problemsOf(parsed.error) };
  const { detail } = parsed.data;
  const key = detail.resource.accessKeyDetails;
  if (detail.resource.resourceType !== 'AccessKey' || !key?.userName)
    return { skipped: `a ${detail.resource.resourceType} finding: idra acts on IAM credentials only` };
  const identity =
    key.userType === 'IAMUser' && key.accessKeyId?.startsWith('AKIA')
      ? {
          provider: 'aws',
          kind: 'access_key',
          account: detail.accountId,
          userName: key.userName,
          accessKeyId: key.accessKeyId,
        }
      : key.userType === 'AssumedRole'
        ? { provider: 'aws', kind: 'role', account: detail.accountId, roleName: key.userName }
        : undefined;
  if (!identity)
    return {
      skipped: `credentials of a ${key.userType ?? 'unknown'} principal${key.accessKeyId?.startsWith('ASIA') ? ' (temporary)' : ''}: idra acts on IAM users' long-term keys and on assumed roles`,
    };
  const type: SignalType = identity.kind === 'role' ? 'session.compromised' : 'credential.anomalous_use';
  return {
    signal: {
      id: `guardduty:${detail.id}`,
      source: 'guardduty',
      type,
      severity: severityOf(detail.severity),
      observedAt: detail.updatedAt,
      identity,
      evidence: {
        summary: detail.title || detail.type,
        details: { findingType: detail.type, findingId: detail.id, region: detail.region },
      },
    },
  };
}
