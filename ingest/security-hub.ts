import { createHash } from 'node:crypto';
import { z } from 'zod';
import { awsAccountId, iamName } from '../providers/aws/identity';
import type { Severity } from '../model/signal-types';
import type { Findings, KeyOwnerLookup } from './eventbridge';
import { findingsOfBatch, type ReadRecord } from './finding-batch';
import { problemsOf } from './route-kit';

const accessKeyDetails = z.object({
  AccessKeyId: z.string().max(128).optional(),
  PrincipalName: z.string().max(256).optional(),
  PrincipalType: z.string().max(100).optional(),
});

/** The parts of an ASFF finding idra reads (AWS Security Finding Format; the rest is ignored). */
const asffFinding = z.object({
  Id: z.string().min(1).max(512),
  ProductArn: z.string().max(512),
  AwsAccountId: awsAccountId,
  Title: z.string().max(256).default(''),
  UpdatedAt: z.iso.datetime({ offset: true }),
  Severity: z.object({ Label: z.enum(['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL']) }),
  Types: z.array(z.string().max(256)).max(50).default([]),
  RecordState: z.enum(['ACTIVE', 'ARCHIVED']).default('ACTIVE'),
  Workflow: z.object({ Status: z.string().max(50) }).optional(),
  Resources: z
    .array(
      z.object({
        Type: z.string().max(256),
        Id: z.string().max(512),
        Details: z.object({ AwsIamAccessKey: accessKeyDetails.optional() }).optional(),
      }),
    )
    .max(32),
});
const importedEvent = z.object({ detail: z.object({ findings: z.array(z.unknown()).min(1).max(100) }) });
type AsffFinding = z.infer<typeof asffFinding>;

const SEVERITY: Record<AsffFinding['Severity']['Label'], Severity> = {
  INFORMATIONAL: 'low',
  LOW: 'low',
  MEDIUM: 'medium',
  HIGH: 'high',
  CRITICAL: 'critical',
};

/**
 * Security Hub findings imported through EventBridge (`Security Hub Findings - Imported`, ASFF): each active
 * finding on an IAM access key becomes a signal — an IAM user's long-term key (its user looked up), or, from
 * AWS's own products, an assumed role's session (its role). The finding's id, digested, is the signal id.
 */
export async function findingsOfSecurityHubEvent(event: unknown, ownerOfAccessKey: KeyOwnerLookup): Promise<Findings> {
  const envelope = importedEvent.safeParse(event);
  if (!envelope.success) return { problems: problemsOf(envelope.error) };
  return findingsOfBatch(
    envelope.data.detail.findings,
    (raw, index): ReadRecord<AsffFinding> => {
      const parsed = asffFinding.safeParse(raw);
      return parsed.success
        ? { finding: parsed.data }
        : { problems: problemsOf(parsed.error, `detail.findings.${index}.`) };
    },
    (finding) => signalOfFinding(finding, ownerOfAccessKey),
  );
}

async function signalOfFinding(
  finding: AsffFinding,
  ownerOfAccessKey: KeyOwnerLookup,
): Promise<{ signal: Record<string, unknown> } | { skipped: string }> {
  if (finding.RecordState === 'ARCHIVED' || ['RESOLVED', 'SUPPRESSED'].includes(finding.Workflow?.Status ?? ''))
    return { skipped: `finding ${finding.Id}: archived, resolved or suppressed` };
  const resource = finding.Resources.find((candidate) => candidate.Type === 'AwsIamAccessKey');
  if (!resource) return { skipped: `finding ${finding.Id}: on no IAM access key (idra acts on IAM credentials)` };
  const details = resource.Details?.AwsIamAccessKey ?? {};
  // The key's id is in its details, or ends the resource's id (AWS::IAM::AccessKey:<key id>).
  const keyId = details.AccessKeyId ?? /[A-Z0-9]{16,128}$/.exec(resource.Id)?.[0] ?? '';
  // Any product allowed to import findings can write one: a key's user is asked of IAM, never taken from the
  // finding; a role (which no key names) only from AWS's own products.
  let identity;
  const fromAws = /^arn:aws[\w-]*:securityhub:[\w-]+::product\/aws\//.test(finding.ProductArn);
  if (details.PrincipalType === 'AssumedRole') {
    if (!fromAws || !iamName('role').safeParse(details.PrincipalName).success)
      return { skipped: `finding ${finding.Id}: an assumed role named by a product other than AWS's own` };
    identity = { provider: 'aws', kind: 'role', account: finding.AwsAccountId, roleName: details.PrincipalName };
  } else {
    const owner = await ownerOfAccessKey(keyId);
    if ('skipped' in owner) return { skipped: `finding ${finding.Id}: ${owner.skipped}` };
    identity = owner.identity;
  }
  const digest = createHash('sha256').update(finding.Id).digest('hex').slice(0, 40);
  return {
    signal: {
      id: `securityhub:${digest}`,
      source: 'securityhub',
      type: identity.kind === 'role' ? 'session.compromised' : 'credential.anomalous_use',
      severity: SEVERITY[finding.Severity.Label],
      observedAt: finding.UpdatedAt,
      identity,
      evidence: {
        summary: finding.Title || finding.Types[0] || 'Security Hub finding on an IAM access key',
        details: { findingId: finding.Id.slice(0, 300), types: finding.Types.slice(0, 5) },
      },
    },
  };
}
