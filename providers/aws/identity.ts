import { z } from 'zod';
import type { Identity } from '../../model/identity';
import type { IdentityKind } from '../provider';

// Formats from the IAM API reference: account ids are 12 digits, user and role names use [\w+=,.@-]
// (1-64 characters), long-term key ids are AKIA + 16 characters.
export const awsAccountId = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id');
export const iamName = (what: string) =>
  z.string().regex(/^[\w+=,.@-]{1,64}$/, `must be an IAM ${what} name (1-64 of letters, digits and +=,.@_-)`);
export const awsAccessKeyId = z
  .string()
  .regex(/^AKIA[A-Z0-9]{16}$/, 'must be a long-term AWS access key id (AKIA followed by 16 letters or digits)');

export const awsAccessKeyIdentity = z.strictObject({
  provider: z.literal('aws'),
  kind: z.literal('access_key'),
  account: awsAccountId,
  userName: iamName('user'),
  accessKeyId: awsAccessKeyId,
});
export const awsRoleIdentity = z.strictObject({
  provider: z.literal('aws'),
  kind: z.literal('role'),
  account: awsAccountId,
  roleName: iamName('role'),
});
export type AwsAccessKeyIdentity = z.infer<typeof awsAccessKeyIdentity>;
export type AwsRoleIdentity = z.infer<typeof awsRoleIdentity>;
export type AwsIdentity = AwsAccessKeyIdentity | AwsRoleIdentity;

/** The IAM user or role a step acts on for an identity: a key's user, or the role itself. */
export interface IamPrincipal {
  type: 'user' | 'role';
  name: string;
}

/** Identities reach provider code validated by the signal schema, so the cast only restores the type. */
export function asAws(identity: Identity): AwsIdentity {
  return identity as AwsIdentity;
}

export function iamPrincipal(identity: Identity): IamPrincipal {
  const aws = asAws(identity);
  return aws.kind === 'access_key' ? { type: 'user', name: aws.userName } : { type: 'role', name: aws.roleName };
}

function principalArn(identity: Identity): string {
  const { type, name } = iamPrincipal(identity);
  return `arn:aws:iam::${asAws(identity).account}:${type}/${name}`;
}

const awsKind = {
  account: (identity: Identity) => asAws(identity).account,
  inventoryKey: (identity: Identity): Record<string, string> => {
    const { type, name } = iamPrincipal(identity);
    return { account: asAws(identity).account, [type === 'user' ? 'userName' : 'roleName']: name };
  },
};

export const AWS_IDENTITY_KINDS: IdentityKind[] = [
  {
    kind: 'access_key',
    schema: awsAccessKeyIdentity,
    ...awsKind,
    // A leaked key must not stay live because a lookup failed: switching off exactly that key is safe to undo.
    fallback: { types: ['credential.leaked'], actions: ['aws.accessKey.deactivate'] },
    credentialLimit: { limit: 2, what: 'access keys of the IAM user' },
    key: (identity) => {
      const key = identity as AwsAccessKeyIdentity;
      return `aws-${key.account}-${key.accessKeyId}`;
    },
    describe: (identity) => {
      const key = identity as AwsAccessKeyIdentity;
      return `aws access key ${key.accessKeyId} of IAM user ${key.userName} in account ${key.account}`;
    },
    ocsfUser: (identity) => {
      const key = identity as AwsAccessKeyIdentity;
      return {
        name: key.userName,
        uid: principalArn(identity),
        type: 'AWS IAM User',
        data: { access_key_id: key.accessKeyId },
      };
    },
  },
  {
    kind: 'role',
    schema: awsRoleIdentity,
    ...awsKind,
    key: (identity) => {
      const role = identity as AwsRoleIdentity;
      return `aws-${role.account}-role-${role.roleName}`;
    },
    describe: (identity) => {
      const role = identity as AwsRoleIdentity;
      return `aws IAM role ${role.roleName} in account ${role.account}`;
    },
    ocsfUser: (identity) => ({
      name: (identity as AwsRoleIdentity).roleName,
      uid: principalArn(identity),
      type: 'AWS IAM Role',
    }),
  },
];

/** An inventory entry names an IAM user (for its keys) or a role in an account. */
export const awsInventoryMatch = z
  .strictObject({
    provider: z.literal('aws'),
    account: awsAccountId,
    userName: z.string().min(1).optional(),
    roleName: z.string().min(1).optional(),
  })
  .refine((match) => (match.userName === undefined) !== (match.roleName === undefined), {
    error: 'must name one of userName or roleName',
  }) as unknown as z.ZodType<Record<string, string>>;
