import { createHash } from 'node:crypto';
import { z } from 'zod';
import { SIGNAL_TYPES, type Severity, type SignalType } from '../model/signal-types';
import { awsAccessKeyId, awsAccountId } from '../providers/aws/identity';
import { serviceAccountIdentityOf } from '../providers/gcp/identity';
import type { Findings, KeyOwnerLookup } from './eventbridge';
import { findingsOfBatch, type ReadRecord } from './finding-batch';
import { problemsOf } from './route-kit';

/** OCSF's User object, as far as idra reads it: who, and the credential it used. */
const ocsfUser = z.object({
  uid: z.string().max(1000).optional(),
  name: z.string().max(500).optional(),
  email_addr: z.string().max(500).optional(),
  credential_uid: z.string().max(500).optional(),
  account: z.object({ uid: z.string().max(100).optional() }).optional(),
});
type OcsfUser = z.infer<typeof ocsfUser>;

/** The parts of an OCSF Detection Finding (class 2004) idra reads; the rest of the record is ignored. */
const detectionFinding = z.object({
  class_uid: z.literal(2004, 'must be 2004 (Detection Finding)'),
  // Milliseconds since the epoch, within what a date can hold.
  time: z.number().int().nonnegative().max(8.64e15),
  severity_id: z.number().int().min(0).max(99),
  status_id: z.number().int().optional(),
  finding_info: z.object({
    uid: z.string().min(1).max(500),
    title: z.string().max(500),
    types: z.array(z.string().max(200)).max(20).default([]),
  }),
  metadata: z.object({ product: z.object({ name: z.string().max(200).optional() }).default({}) }),
  evidences: z
    .array(z.object({ user: ocsfUser.optional(), actor: z.object({ user: ocsfUser.optional() }).optional() }))
    .max(50)
    .default([]),
});
type DetectionFinding = z.infer<typeof detectionFinding>;

// OCSF severity_id: 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical, 6 Fatal (0 Unknown, 99 Other).
const SEVERITY: Record<number, Severity> = { 1: 'low', 2: 'low', 3: 'medium', 4: 'high', 5: 'critical', 6: 'critical' };
/** status_id 4: Resolved, 5: Suppressed: nothing to respond to. */
const CLOSED = [4, 5];

/** An IAM user's or role's ARN (its path before the name), or an assumed role's session ARN. */
const IAM_ARN = /^arn:aws:iam::(\d{12}):(user|role)\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]{1,64})$/;
const SESSION_ARN = /^arn:aws:sts::(\d{12}):assumed-role\/([\w+=,.@-]{1,64})\/[\w+=,.@-]{2,64}$/;

/** The IAM principal an ARN names: its account, whether a user or a role, and its name. */
function principalOf(uid: string | undefined) {
  const session = SESSION_ARN.exec(uid ?? '');
  if (session) return { account: session[1]!, type: 'role', name: session[2]! };
  const iam = IAM_ARN.exec(uid ?? '');
  return iam ? { account: iam[1]!, type: iam[2]!, name: iam[3]! } : undefined;
}

/** The identity an OCSF user names: an AWS key, user's key or role, or a GCP service account (and its key). */
async function identityOf(user: OcsfUser, ownerOfAccessKey: KeyOwnerLookup) {
  const principal = principalOf(user.uid);
  if (principal?.type === 'role')
    return { identity: { provider: 'aws', kind: 'role', account: principal.account, roleName: principal.name } };
  const keyId = user.credential_uid ?? '';
  if (awsAccessKeyId.safeParse(keyId).success) {
    const account = principal?.account ?? user.account?.uid;
    const userName = principal?.name;
    if (account && awsAccountId.safeParse(account).success && userName)
      return { identity: { provider: 'aws', kind: 'access_key', account, userName, accessKeyId: keyId } };
    return ownerOfAccessKey(keyId);
  }
  const email = [user.email_addr, user.name, user.uid].find((text) => text?.includes('.gserviceaccount.com'));
  const identity = email && serviceAccountIdentityOf(email, keyId);
  return identity ? { identity } : undefined;
}

async function signalOfFinding(
  finding: DetectionFinding,
  ownerOfAccessKey: KeyOwnerLookup,
): Promise<{ signal: Record<string, unknown> } | { skipped: string }> {
  const info = finding.finding_info;
  if (finding.status_id !== undefined && CLOSED.includes(finding.status_id))
    return { skipped: `finding ${info.uid}: resolved or suppressed` };
  const users = finding.evidences.flatMap((evidence) => [evidence.user, evidence.actor?.user]).filter((user) => !!user);
  // The first user idra acts on; a user it cannot act on (a key of another account) only if none is.
  let owner;
  for (const user of users) {
    const found = await identityOf(user, ownerOfAccessKey);
    if (found && (!owner || ('skipped' in owner && 'identity' in found))) owner = found;
    if (owner && 'identity' in owner) break;
  }
  if (!owner)
    return {
      skipped: `finding ${info.uid}: its evidence names no identity idra acts on (an AWS key or role, a GCP service account)`,
    };
  if ('skipped' in owner) return { skipped: `finding ${info.uid}: ${owner.skipped}` };
  const { identity } = owner;
  // A SIEM rule may say which risk it saw in idra's own words; else it is anomalous use (of a role: its session).
  const named = info.types.find((type): type is SignalType => (SIGNAL_TYPES as readonly string[]).includes(type));
  const type: SignalType = named ?? (identity.kind === 'role' ? 'session.compromised' : 'credential.anomalous_use');
  const product = (finding.metadata.product.name ?? 'unknown').replace(/[^\w.-]+/g, '-').slice(0, 80);
  return {
    signal: {
      id: `ocsf:${createHash('sha256').update(`${product}\n${info.uid}`).digest('hex').slice(0, 40)}`,
      source: `ocsf:${product}`,
      type,
      severity: SEVERITY[finding.severity_id] ?? 'medium',
      observedAt: new Date(finding.time).toISOString(),
      identity,
      evidence: {
        summary: info.title || 'OCSF Detection Finding',
        details: { findingUid: info.uid, types: info.types.slice(0, 5) },
      },
    },
  };
}

/**
 * OCSF Detection Findings (class 2004), one or a batch: each finding whose evidence names an identity idra
 * acts on becomes a signal; findings of other classes are skipped. The product and the finding's uid, digested, are the signal id, so a SIEM's
 * resend of a finding is recorded once.
 */
export async function findingsOfOcsf(body: unknown, ownerOfAccessKey: KeyOwnerLookup): Promise<Findings> {
  const records = Array.isArray(body) ? body : [body];
  if (!records.length || records.length > 100)
    return { problems: ['body: must be a finding or a list of 1-100 findings'] };
  return findingsOfBatch(
    records,
    (record, index): ReadRecord<DetectionFinding> => {
      // Another class (a Compliance Finding, say) from a broad forwarder: not idra's to act on, nor a bad body.
      const { class_uid: classUid } = (typeof record === 'object' && record !== null ? record : {}) as Record<
        string,
        unknown
      >;
      if (typeof classUid === 'number' && classUid !== 2004)
        return { skipped: `a class ${classUid} finding: idra reads Detection Findings (class 2004)` };
      const parsed = detectionFinding.safeParse(record);
      return parsed.success
        ? { finding: parsed.data }
        : { problems: problemsOf(parsed.error, Array.isArray(body) ? `${index}.` : '') };
    },
    (finding) => signalOfFinding(finding, ownerOfAccessKey),
  );
}
