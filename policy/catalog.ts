import { z } from 'zod';
import type { Identity, IdentityKind, Provider } from '../model/identity';

export interface BindContext {
  incident: string;
  /** The response's notion of "now" (workflow time), for actions that cut off by time. */
  now: string;
}

export interface BoundStep {
  /** Human-readable target, e.g. "access key AKIA... of IAM user ci-deployer". */
  target: string;
  params: Record<string, unknown>;
}

/**
 * What an action is, apart from how it talks to its provider: the part of the action contract that
 * planning, dry runs, `idra actions` and `idra permissions` need. Pure, so workflows can use it.
 * The operations (read / desired / write) live with the provider code in activities/.
 */
export interface ActionSpec {
  name: string;
  provider: Provider;
  summary: string;
  reversible: boolean;
  /** Provider permissions the worker needs for this action. */
  permissions: string[];
  /** The identity kinds the action can aim at. */
  appliesTo: IdentityKind[];
  params: z.ZodType<Record<string, unknown>>;
  /** Aims the action at a signal's identity. Called only for kinds in `appliesTo`. */
  bind(identity: Identity, context: BindContext): BoundStep;
}

const name = z.string().regex(/^[\w+=,.@-]{1,128}$/);
const account = z.string().regex(/^\d{12}$/);
const keyParams = z.strictObject({ account, userName: name, accessKeyId: z.string().regex(/^AKIA[A-Z0-9]{16}$/) });
const principal = z.strictObject({ type: z.enum(['user', 'role']), name });

/** The IAM user or role a step acts on for an identity: a key's user, or the role itself. */
export function iamPrincipal(identity: Identity): z.infer<typeof principal> {
  return identity.kind === 'access_key' ? { type: 'user', name: identity.userName } : { type: 'role', name: identity.roleName };
}

function describePrincipal(identity: Identity): string {
  const { type, name: principalName } = iamPrincipal(identity);
  return `IAM ${type} ${principalName}`;
}

function requireKind<K extends IdentityKind>(identity: Identity, kind: K): Extract<Identity, { kind: K }> {
  if (identity.kind !== kind) throw new Error(`expected a ${kind} identity, got ${identity.kind}`);
  return identity as Extract<Identity, { kind: K }>;
}

/** Aims an action at exactly the credential the signal names. */
function bindAccessKey(identity: Identity): BoundStep {
  const key = requireKind(identity, 'access_key');
  return { target: `access key ${key.accessKeyId} of IAM user ${key.userName}`, params: { account: key.account, userName: key.userName, accessKeyId: key.accessKeyId } };
}

// Names of the policies idra writes carry the incident, so two responses on one principal never remove
// each other's policy, and the principal's own policies are never read or written.
const ACTIONS: ActionSpec[] = [
  {
    name: 'aws.accessKey.deactivate',
    provider: 'aws',
    summary: 'Set one IAM access key to Inactive; rollback reactivates it if it was active',
    reversible: true,
    permissions: ['iam:ListAccessKeys', 'iam:UpdateAccessKey'],
    appliesTo: ['access_key'],
    params: keyParams,
    bind: bindAccessKey,
  },
  {
    name: 'aws.accessKey.delete',
    provider: 'aws',
    summary: 'Delete one IAM access key (irreversible: runs only after approval)',
    reversible: false,
    permissions: ['iam:ListAccessKeys', 'iam:DeleteAccessKey'],
    appliesTo: ['access_key'],
    params: keyParams,
    bind: bindAccessKey,
  },
  {
    name: 'aws.accessKey.rotate',
    provider: 'aws',
    summary: "Create a new access key for the key's user and store it in Secrets Manager (only its ARN is recorded); rollback deletes the new key and the secret",
    reversible: true,
    permissions: ['iam:ListAccessKeys', 'iam:CreateAccessKey', 'iam:DeleteAccessKey', 'secretsmanager:CreateSecret', 'secretsmanager:DescribeSecret', 'secretsmanager:PutSecretValue', 'secretsmanager:TagResource', 'secretsmanager:DeleteSecret'],
    appliesTo: ['access_key'],
    params: z.strictObject({ account, userName: name, accessKeyId: z.string().regex(/^AKIA[A-Z0-9]{16}$/), secretName: z.string().regex(/^[\w/+=.@-]{1,512}$/) }),
    bind: (identity, { incident }) => {
      const key = requireKind(identity, 'access_key');
      return {
        target: `a new access key for IAM user ${key.userName} (replacing ${key.accessKeyId})`,
        params: { account: key.account, userName: key.userName, accessKeyId: key.accessKeyId, secretName: `idra/rotated/${incident}` },
      };
    },
  },
  {
    name: 'aws.user.quarantine',
    provider: 'aws',
    summary: "Attach an inline deny-all policy to the key's IAM user; rollback removes it",
    reversible: true,
    permissions: ['iam:ListUserPolicies', 'iam:GetUserPolicy', 'iam:PutUserPolicy', 'iam:DeleteUserPolicy'],
    appliesTo: ['access_key'],
    params: z.strictObject({ account, userName: name, policyName: name }),
    bind: (identity, { incident }) => {
      const key = requireKind(identity, 'access_key');
      return { target: `IAM user ${key.userName}`, params: { account: key.account, userName: key.userName, policyName: `idra-quarantine-${incident}` } };
    },
  },
  {
    name: 'aws.role.quarantine',
    provider: 'aws',
    summary: 'Attach an inline deny-all policy to an IAM role; rollback removes it',
    reversible: true,
    permissions: ['iam:ListRolePolicies', 'iam:GetRolePolicy', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy'],
    appliesTo: ['role'],
    params: z.strictObject({ account, roleName: name, policyName: name }),
    bind: (identity, { incident }) => {
      const role = requireKind(identity, 'role');
      return { target: `IAM role ${role.roleName}`, params: { account: role.account, roleName: role.roleName, policyName: `idra-quarantine-${incident}` } };
    },
  },
  {
    name: 'aws.role.revokeSessions',
    provider: 'aws',
    summary: 'Deny every session of an IAM role issued before now (forces re-authentication); rollback removes the denial',
    reversible: true,
    permissions: ['iam:ListRolePolicies', 'iam:GetRolePolicy', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy'],
    appliesTo: ['role'],
    params: z.strictObject({ account, roleName: name, policyName: name, issuedBefore: z.iso.datetime() }),
    bind: (identity, { incident, now }) => {
      const role = requireKind(identity, 'role');
      return {
        target: `sessions of IAM role ${role.roleName} issued before ${now}`,
        params: { account: role.account, roleName: role.roleName, policyName: `idra-revoke-sessions-${incident}`, issuedBefore: now },
      };
    },
  },
  {
    name: 'aws.role.readOnly',
    provider: 'aws',
    summary: 'Set the ReadOnlyAccess permissions boundary on an IAM role (keeps read, drops write); rollback restores the prior boundary',
    reversible: true,
    permissions: ['iam:GetRole', 'iam:PutRolePermissionsBoundary', 'iam:DeleteRolePermissionsBoundary'],
    appliesTo: ['role'],
    params: z.strictObject({ account, roleName: name, boundaryArn: z.string().startsWith('arn:aws:iam::') }),
    bind: (identity) => {
      const role = requireKind(identity, 'role');
      return { target: `permissions boundary of IAM role ${role.roleName}`, params: { account: role.account, roleName: role.roleName, boundaryArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } };
    },
  },
  {
    name: 'aws.identity.tag',
    provider: 'aws',
    summary: 'Tag the IAM user or role with the incident (idra:incident:<incident> = contained); rollback removes the tag',
    reversible: true,
    permissions: ['iam:ListUserTags', 'iam:TagUser', 'iam:UntagUser', 'iam:ListRoleTags', 'iam:TagRole', 'iam:UntagRole'],
    appliesTo: ['access_key', 'role'],
    params: z.strictObject({ account, principal, tags: z.record(z.string().regex(/^idra:[\w.:/=+@-]{1,123}$/), z.string().max(256)) }),
    bind: (identity, { incident }) => ({
      target: describePrincipal(identity),
      // One key per incident: two responses tagging one principal never overwrite each other's tag.
      params: { account: identity.account, principal: iamPrincipal(identity), tags: { [`idra:incident:${incident}`]: 'contained' } },
    }),
  },
];

/** Every action of every provider, by name. */
export const ACTION_CATALOG: ReadonlyMap<string, ActionSpec> = new Map(ACTIONS.map((action) => [action.name, action]));

export function actionSpec(actionName: string): ActionSpec {
  const spec = ACTION_CATALOG.get(actionName);
  if (!spec) throw new Error(`unknown action "${actionName}" (known: ${[...ACTION_CATALOG.keys()].join(', ')})`);
  return spec;
}
