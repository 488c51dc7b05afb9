import { z } from 'zod';

/** Providers idra can act on. A signal naming another provider is refused before anything starts. */
export const PROVIDERS = ['aws'] as const;
export type Provider = (typeof PROVIDERS)[number];

// Formats from the IAM API reference: account ids are 12 digits, user names use [\w+=,.@-] up to 64
// characters, long-term key ids start with AKIA and temporary ones with ASIA, 20 characters in all.
const awsAccountId = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id');
const iamUserName = z
  .string()
  .regex(/^[\w+=,.@-]{1,64}$/, 'must be an IAM user name (1-64 of letters, digits and +=,.@_-)');
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
export type AwsAccessKeyIdentity = z.infer<typeof awsAccessKeyIdentity>;

export const identitySchema = z.discriminatedUnion('provider', [awsAccessKeyIdentity], {
  error: (issue) => {
    const provider = (issue.input as { provider?: unknown } | undefined)?.provider;
    if (issue.code !== 'invalid_union') return undefined;
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
  return `${identity.provider}-${identity.account}-${identity.accessKeyId}`;
}

/** What the identity is, for people: shown in status output and search attributes. */
export function describeIdentity(identity: Identity): string {
  return `aws access key ${identity.accessKeyId} of IAM user ${identity.userName} in account ${identity.account}`;
}
