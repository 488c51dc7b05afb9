import { z } from 'zod';
import type { Identity } from '../../model/identity';
import { defineAction, type ActionSpec, type BoundStep } from '../provider';
import {
  type AwsAccessKeyIdentity,
  type AwsRoleIdentity,
  asAws,
  awsAccessKeyId,
  awsAccountId,
  iamName,
  iamPrincipal,
} from './identity';

// The identity's own rules (providers/aws/identity.ts) for the names a signal gives; inline policy names, which
// idra makes (they carry the incident), may be up to 128 characters.
const userName = iamName('user');
const roleName = iamName('role');
const policyName = z
  .string()
  .regex(/^[\w+=,.@-]{1,128}$/, 'must be an IAM policy name (1-128 of letters, digits and +=,.@_-)');
const account = awsAccountId;
const keyParams = z.strictObject({ account, userName, accessKeyId: awsAccessKeyId });
const managedPolicyArn = z
  .string()
  .regex(/^arn:aws:iam::(aws|\d{12}):policy\/[\w+=,.@/-]{1,512}$/, 'must be a managed policy ARN');
const principal = z.strictObject({ type: z.enum(['user', 'role']), name: iamName('user or role') });

function requireKind<K extends 'access_key' | 'role'>(
  identity: Identity,
  kind: K,
): K extends 'access_key' ? AwsAccessKeyIdentity : AwsRoleIdentity {
  const aws = asAws(identity);
  if (aws.kind !== kind) throw new Error(`expected an aws ${kind} identity, got ${aws.kind}`);
  return aws as K extends 'access_key' ? AwsAccessKeyIdentity : AwsRoleIdentity;
}

function describePrincipal(identity: Identity): string {
  const { type, name: principalName } = iamPrincipal(identity);
  return `IAM ${type} ${principalName}`;
}

/** Aims an action at exactly the credential the signal names. */
function bindAccessKey(identity: Identity): BoundStep {
  const key = requireKind(identity, 'access_key');
  return {
    target: `access key ${key.accessKeyId} of IAM user ${key.userName}`,
    params: { account: key.account, userName: key.userName, accessKeyId: key.accessKeyId },
  };
}

// Names of the policies idra writes carry the incident, so two responses on one principal never remove
// each other's policy, and the principal's own policies are never read or written.
export const awsAccessKeyDeactivate = defineAction({
  name: 'aws.accessKey.deactivate',
  provider: 'aws',
  summary: 'Set one IAM access key to Inactive; rollback reactivates it if it was active',
  reversible: true,
  ocsfActivity: { apply: 5, compensate: 2 },
  permissions: ['iam:ListAccessKeys', 'iam:UpdateAccessKey'],
  appliesTo: ['access_key'],
  params: keyParams,
  bind: bindAccessKey,
});

export const awsAccessKeyDelete = defineAction({
  name: 'aws.accessKey.delete',
  provider: 'aws',
  summary: 'Delete one IAM access key (irreversible: runs only after approval)',
  reversible: false,
  credential: 'removes',
  ocsfActivity: { apply: 6, compensate: 99 },
  permissions: ['iam:ListAccessKeys', 'iam:DeleteAccessKey'],
  appliesTo: ['access_key'],
  params: keyParams,
  bind: bindAccessKey,
});

export const awsAccessKeyRotate = defineAction({
  name: 'aws.accessKey.rotate',
  provider: 'aws',
  summary:
    "Create a new access key for the key's user and store it in Secrets Manager (only its ARN is recorded); rollback deletes the new key and the secret, unless the new key is already in use (then it stays: needs review)",
  reversible: true,
  credential: 'adds',
  permissions: [
    'iam:ListAccessKeys',
    'iam:CreateAccessKey',
    'iam:DeleteAccessKey',
    'iam:GetAccessKeyLastUsed',
    'secretsmanager:CreateSecret',
    'secretsmanager:DescribeSecret',
    'secretsmanager:PutSecretValue',
    'secretsmanager:TagResource',
    'secretsmanager:DeleteSecret',
  ],
  appliesTo: ['access_key'],
  params: z.strictObject({
    account,
    userName,
    accessKeyId: awsAccessKeyId,
    secretName: z.string().regex(/^[\w/+=.@-]{1,512}$/),
  }),
  bind: (identity, { incident }) => {
    const key = requireKind(identity, 'access_key');
    return {
      target: `a new access key for IAM user ${key.userName} (replacing ${key.accessKeyId})`,
      params: {
        account: key.account,
        userName: key.userName,
        accessKeyId: key.accessKeyId,
        secretName: `idra/rotated/${incident}`,
      },
    };
  },
});

export const awsUserQuarantine = defineAction({
  name: 'aws.user.quarantine',
  provider: 'aws',
  summary: "Attach an inline deny-all policy to the key's IAM user; rollback removes it",
  reversible: true,
  ocsfActivity: { apply: 7, compensate: 8 },
  permissions: ['iam:ListUserPolicies', 'iam:GetUserPolicy', 'iam:PutUserPolicy', 'iam:DeleteUserPolicy'],
  appliesTo: ['access_key'],
  params: z.strictObject({ account, userName, policyName }),
  bind: (identity, { incident }) => {
    const key = requireKind(identity, 'access_key');
    return {
      target: `IAM user ${key.userName}`,
      params: { account: key.account, userName: key.userName, policyName: `idra-quarantine-${incident}` },
    };
  },
});

export const awsRoleQuarantine = defineAction({
  name: 'aws.role.quarantine',
  provider: 'aws',
  summary: 'Attach an inline deny-all policy to an IAM role; rollback removes it',
  reversible: true,
  ocsfActivity: { apply: 7, compensate: 8 },
  permissions: ['iam:ListRolePolicies', 'iam:GetRolePolicy', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy'],
  appliesTo: ['role'],
  params: z.strictObject({ account, roleName, policyName }),
  bind: (identity, { incident }) => {
    const role = requireKind(identity, 'role');
    return {
      target: `IAM role ${role.roleName}`,
      params: { account: role.account, roleName: role.roleName, policyName: `idra-quarantine-${incident}` },
    };
  },
});

export const awsRoleRevokeSessions = defineAction({
  name: 'aws.role.revokeSessions',
  provider: 'aws',
  summary:
    'Deny every session of an IAM role issued before now (forces re-authentication); rollback removes the denial',
  reversible: true,
  ocsfActivity: { apply: 7, compensate: 8 },
  permissions: ['iam:ListRolePolicies', 'iam:GetRolePolicy', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy'],
  appliesTo: ['role'],
  params: z.strictObject({ account, roleName, policyName, issuedBefore: z.iso.datetime() }),
  bind: (identity, { incident, now }) => {
    const role = requireKind(identity, 'role');
    return {
      target: `sessions of IAM role ${role.roleName} issued before ${now}`,
      params: {
        account: role.account,
        roleName: role.roleName,
        policyName: `idra-revoke-sessions-${incident}`,
        issuedBefore: now,
      },
    };
  },
});

export const awsRoleReadOnly = defineAction({
  name: 'aws.role.readOnly',
  provider: 'aws',
  summary:
    'Set the ReadOnlyAccess permissions boundary on an IAM role (keeps read, drops write); rollback restores the prior boundary',
  reversible: true,
  ocsfActivity: { apply: 7, compensate: 8 },
  permissions: ['iam:GetRole', 'iam:PutRolePermissionsBoundary', 'iam:DeleteRolePermissionsBoundary'],
  appliesTo: ['role'],
  params: z.strictObject({ account, roleName, boundaryArn: z.string().startsWith('arn:aws:iam::') }),
  bind: (identity) => {
    const role = requireKind(identity, 'role');
    return {
      target: `permissions boundary of IAM role ${role.roleName}`,
      params: {
        account: role.account,
        roleName: role.roleName,
        boundaryArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
      },
    };
  },
});

export const awsIdentityDetachStanding = defineAction({
  name: 'aws.identity.detachStanding',
  provider: 'aws',
  summary:
    "Detach the just-in-time playbook's privileged managed policies from the IAM role or the key's user (its other policies stay); rollback attaches back those it detached",
  reversible: true,
  ocsfActivity: { apply: 8, compensate: 7 },
  permissions: [
    'iam:ListAttachedRolePolicies',
    'iam:DetachRolePolicy',
    'iam:AttachRolePolicy',
    'iam:ListAttachedUserPolicies',
    'iam:DetachUserPolicy',
    'iam:AttachUserPolicy',
  ],
  appliesTo: ['access_key', 'role'],
  params: z.strictObject({ account, principal, policyArns: z.array(managedPolicyArn).min(1).max(20) }),
  bind: (identity, { privileges }) => {
    if (!privileges) return undefined;
    const policyArns = [...new Set(Object.values(privileges).flat())].sort();
    return {
      target: `standing policies ${policyArns.join(', ')} of ${describePrincipal(identity)}`,
      params: { account: asAws(identity).account, principal: iamPrincipal(identity), policyArns },
    };
  },
});

export const awsIdentityGrantTimeBoxed = defineAction({
  name: 'aws.identity.grantTimeBoxed',
  provider: 'aws',
  summary:
    "Grant the IAM role or the key's user a privilege's managed policies as one inline policy whose every statement holds only while aws:CurrentTime is before the grant's end; removing it ends the grant early",
  reversible: true,
  ocsfActivity: { apply: 7, compensate: 8 },
  permissions: [
    'iam:GetPolicy',
    'iam:GetPolicyVersion',
    'iam:ListRolePolicies',
    'iam:GetRolePolicy',
    'iam:PutRolePolicy',
    'iam:DeleteRolePolicy',
    'iam:ListUserPolicies',
    'iam:GetUserPolicy',
    'iam:PutUserPolicy',
    'iam:DeleteUserPolicy',
  ],
  appliesTo: ['access_key', 'role'],
  timeBoxed: { grants: managedPolicyArn, what: 'a managed policy ARN' },
  params: z.strictObject({
    account,
    principal,
    policyName,
    policyArns: z.array(managedPolicyArn).min(1).max(10),
    endsAt: z.iso.datetime().optional(),
    grant: z.string().max(40).optional(),
  }),
  bind: (identity, { privilege }) => {
    if (!privilege) return undefined;
    return {
      target: `time-boxed ${privilege.name} grant to ${describePrincipal(identity)}`,
      // One just_in_time response per identity at a time (the incident id is its): the privilege names it.
      params: {
        account: asAws(identity).account,
        principal: iamPrincipal(identity),
        policyName: `idra-jit-${privilege.name}`,
        policyArns: privilege.grants,
      },
    };
  },
});

export const awsIdentityTag = defineAction({
  name: 'aws.identity.tag',
  provider: 'aws',
  summary:
    'Tag the IAM user or role with the incident (idra:incident:<incident> = contained); rollback removes the tag',
  reversible: true,
  permissions: ['iam:ListUserTags', 'iam:TagUser', 'iam:UntagUser', 'iam:ListRoleTags', 'iam:TagRole', 'iam:UntagRole'],
  appliesTo: ['access_key', 'role'],
  params: z.strictObject({
    account,
    principal,
    tags: z.record(z.string().regex(/^idra:[\w.:/=+@-]{1,123}$/), z.string().max(256)),
  }),
  bind: (identity, { incident }) => ({
    target: describePrincipal(identity),
    // One key per incident: two responses tagging one principal never overwrite each other's tag.
    params: {
      account: asAws(identity).account,
      principal: iamPrincipal(identity),
      tags: { [`idra:incident:${incident}`]: 'contained' },
    },
  }),
});

export const AWS_ACTIONS: ActionSpec[] = [
  awsAccessKeyDeactivate,
  awsAccessKeyDelete,
  awsAccessKeyRotate,
  awsUserQuarantine,
  awsRoleQuarantine,
  awsRoleRevokeSessions,
  awsRoleReadOnly,
  awsIdentityDetachStanding,
  awsIdentityGrantTimeBoxed,
  awsIdentityTag,
];
