import { z } from 'zod';
import type { Identity } from '../../model/identity';
import type { IdentityKind } from '../provider';

// Formats from the IAM and Resource Manager references: project ids are 6-30 of lower-case letters, digits
// and hyphens (a letter first, no hyphen last); service accounts are emails in a *.gserviceaccount.com
// domain (user-created ones: <id>@<project>.iam.gserviceaccount.com); key ids are 40 hex digits.
export const gcpProjectId = z
  .string()
  .regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'must be a GCP project id (6-30 of a-z, 0-9 and -, starting with a letter)');
export const serviceAccountEmail = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,62}@[a-z0-9][a-z0-9.-]*\.gserviceaccount\.com$/,
    'must be a service account email (name@domain.gserviceaccount.com)',
  );
export const gcpKeyId = z.string().regex(/^[0-9a-f]{40}$/, 'must be a service account key id (40 hexadecimal digits)');

/** The project a user-created service account belongs to: its email's domain names it. */
export const projectOfServiceAccount = (email: string): string | undefined =>
  /@([a-z0-9-]+)\.iam\.gserviceaccount\.com$/.exec(email)?.[1];

/** A user-created account's domain names its project: the signal must name the same one. */
function projectMatchesEmail(
  identity: { project: string; email: string },
  context: { addIssue: (issue: { code: 'custom'; message: string; path: string[]; input: unknown }) => void },
): void {
  const domainProject = projectOfServiceAccount(identity.email);
  // Only two well-formed names can disagree; a malformed one already has its own error.
  if (
    domainProject !== undefined &&
    gcpProjectId.safeParse(identity.project).success &&
    domainProject !== identity.project
  ) {
    context.addIssue({
      code: 'custom',
      message: `belongs to project ${domainProject}, not ${identity.project}`,
      path: ['email'],
      input: identity.email,
    });
  }
}

export const gcpServiceAccountIdentity = z
  .strictObject({
    provider: z.literal('gcp'),
    kind: z.literal('service_account'),
    project: gcpProjectId,
    email: serviceAccountEmail,
  })
  .superRefine(projectMatchesEmail);
export const gcpServiceAccountKeyIdentity = z
  .strictObject({
    provider: z.literal('gcp'),
    kind: z.literal('service_account_key'),
    project: gcpProjectId,
    email: serviceAccountEmail,
    keyId: gcpKeyId,
  })
  .superRefine(projectMatchesEmail);
export type GcpServiceAccountIdentity = z.infer<typeof gcpServiceAccountIdentity>;
export type GcpServiceAccountKeyIdentity = z.infer<typeof gcpServiceAccountKeyIdentity>;
export type GcpIdentity = GcpServiceAccountIdentity | GcpServiceAccountKeyIdentity;

/** Identities reach provider code validated by the signal schema, so the cast only restores the type. */
export function asGcp(identity: Identity): GcpIdentity {
  return identity as GcpIdentity;
}

const gcpKind = {
  account: (identity: Identity) => asGcp(identity).project,
  // Service accounts carry no labels: the inventory names them by project and email.
  inventoryKey: (identity: Identity): Record<string, string> => ({
    project: asGcp(identity).project,
    email: asGcp(identity).email,
  }),
  ocsfUser: (identity: Identity) => {
    const { project, email, keyId } = asGcp(identity) as GcpServiceAccountKeyIdentity;
    return {
      name: email,
      uid: `//iam.googleapis.com/projects/${project}/serviceAccounts/${email}`,
      type: 'GCP Service Account',
      ...(keyId ? { data: { key_id: keyId } } : {}),
    };
  },
};

export const GCP_IDENTITY_KINDS: IdentityKind[] = [
  {
    kind: 'service_account',
    schema: gcpServiceAccountIdentity,
    ...gcpKind,
    key: (identity) => `gcp-${asGcp(identity).project}-sa-${asGcp(identity).email}`,
    describe: (identity) => `gcp service account ${asGcp(identity).email} in project ${asGcp(identity).project}`,
  },
  {
    kind: 'service_account_key',
    schema: gcpServiceAccountKeyIdentity,
    ...gcpKind,
    key: (identity) => {
      const key = identity as GcpServiceAccountKeyIdentity;
      return `gcp-${key.project}-${key.keyId}`;
    },
    describe: (identity) => {
      const key = identity as GcpServiceAccountKeyIdentity;
      return `gcp key ${key.keyId} of service account ${key.email} in project ${key.project}`;
    },
    // A leaked key must not stay live because a lookup failed: disabling exactly that key is safe to undo.
    fallback: { types: ['credential.leaked'], actions: ['gcp.serviceAccountKey.disable'] },
    credentialLimit: { limit: 10, what: 'user-managed keys of the service account' },
  },
];

/** An inventory entry names a service account (which covers its keys) in a project. */
export const gcpInventoryMatch = z.strictObject({
  provider: z.literal('gcp'),
  project: gcpProjectId,
  email: serviceAccountEmail,
}) as unknown as z.ZodType<Record<string, string>>;

/**
 * What a detector's finding on a service account names: the account (its project from its email), or the key
 * it used when the finding gives one — so exactly that key is acted on. None for a name that is no
 * user-created service account.
 */
export function serviceAccountIdentityOf(email: string, keyId = ''): GcpIdentity | undefined {
  const project = projectOfServiceAccount(email);
  if (!project || !serviceAccountEmail.safeParse(email).success) return undefined;
  return gcpKeyId.safeParse(keyId).success
    ? { provider: 'gcp', kind: 'service_account_key', project, email, keyId }
    : { provider: 'gcp', kind: 'service_account', project, email };
}
