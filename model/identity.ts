import { z } from 'zod';

/** Providers idra can act on. A signal naming another provider is refused before anything starts. */
export const PROVIDERS = ['aws'] as const;
export type Provider = (typeof PROVIDERS)[number];

// Formats from the IAM API reference: account ids are 12 digits, user and role names use [\w+=,.@-]
// (users up to 64 characters, roles up to 64), long-term key ids are AKIA + 16 characters.
const awsAccountId = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id');
const iamUserName = z
  .string()
  .regex(/^[\w+=,.@-]{1,64}$/, 'must be an IAM user name (1-64 of letters, digits and +=,.@_-)');
const iamRoleName = z
  .string()
  .regex(/^[\w+=,.@-]{1,64}$/, 'must be an IAM role name (1-64 of letters, digits and +=,.@_-)');
const awsAccessKeyId = z
  .string()
  .regex(/^AKIA[A-Z0-9]{16}$/, 'must be a long-term AWS access key id (AKIA followed by 16 letters or digits)');

export const awsAccessKeyIdentity = z.strictObject({
  provider: z.literal('aws'),
  kind: z.literal('access_key'),
  account: awsAccountId,
  userName: iamUserName,
  accessKeyId: awsAccessKeyId,
});
export const awsRoleIdentity = z.strictObject({
  provider: z.literal('aws'),
  kind: z.literal('role'),
  account: awsAccountId,
  roleName: iamRoleName,
});
export type AwsAccessKeyIdentity = z.infer<typeof awsAccessKeyIdentity>;
export type AwsRoleIdentity = z.infer<typeof awsRoleIdentity>;

export const IDENTITY_KINDS = ['access_key', 'role'] as const;
export type IdentityKind = (typeof IDENTITY_KINDS)[number];

const awsIdentity = z.discriminatedUnion('kind', [awsAccessKeyIdentity, awsRoleIdentity], {
  error: (issue) => {
    if (issue.code !== 'invalid_union') return undefined;
    const kind = (issue.input as { kind?: unknown } | undefined)?.kind;
    return kind === undefined
      ? `is required (one of: ${IDENTITY_KINDS.join(', ')})`
      : `unknown identity kind ${JSON.stringify(kind)} (one of: ${IDENTITY_KINDS.join(', ')})`;
  },
});

export const identitySchema = z.discriminatedUnion('provider', [awsIdentity], {
  error: (issue) => {
    if (issue.code !== 'invalid_union') return undefined;
    const provider = (issue.input as { provider?: unknown } | undefined)?.provider;
    return provider === undefined
      ? `is required (supported: ${PROVIDERS.join(', ')})`
      : `unknown provider ${JSON.stringify(provider)} (supported: ${PROVIDERS.join(', ')})`;
  },
});
export type Identity = z.infer<typeof identitySchema>;

/**
 * The stable name of an identity: the same credential always gets the same key, so a second signal
 * about it joins the open response instead of starting another. It holds ids only, never evidence.
 */
export function identityKey(identity: Identity): string {
  return identity.kind === 'access_key'
    ? `${identity.provider}-${identity.account}-${identity.accessKeyId}`
    : `${identity.provider}-${identity.account}-role-${identity.roleName}`;
}

/** What the identity is, for people: shown in status output and audit exports. */
export function describeIdentity(identity: Identity): string {
  return identity.kind === 'access_key'
    ? `aws access key ${identity.accessKeyId} of IAM user ${identity.userName} in account ${identity.account}`
    : `aws IAM role ${identity.roleName} in account ${identity.account}`;
}
