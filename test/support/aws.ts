import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
  ListUserPoliciesCommand,
  ListUserTagsCommand,
} from '@aws-sdk/client-iam';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { randomUUID } from 'node:crypto';
import { createIamUser, type SeededUser } from '../../infra/seed-aws';

export const ACCOUNT = '123456789012'; // moto's default account

export const iam = new IAMClient({});
export const secrets = new SecretsManagerClient({});

/** A secret's value as JSON, or null when there is no such secret. */
export async function secretValue(secretId: string, client: SecretsManagerClient = secrets): Promise<unknown> {
  try {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    return SecretString === undefined ? null : (JSON.parse(SecretString) as unknown);
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') return null;
    throw error;
  }
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export function createUser(prefix: string, options?: Parameters<typeof createIamUser>[2]): Promise<SeededUser> {
  return createIamUser(iam, uniqueName(prefix), options);
}

export interface UserState {
  keys: Record<string, string>;
  policies: Record<string, unknown>;
  tags: Record<string, string>;
}

/** What moto holds for a user: each key's status, each inline policy's document, and its tags. */
export async function userState(userName: string, client: IAMClient = iam): Promise<UserState> {
  const iam = client;
  const listed = await iam.send(new ListAccessKeysCommand({ UserName: userName }));
  const keys: Record<string, string> = {};
  for (const key of listed.AccessKeyMetadata ?? []) keys[key.AccessKeyId ?? '?'] = key.Status ?? '?';
  const names = (await iam.send(new ListUserPoliciesCommand({ UserName: userName }))).PolicyNames ?? [];
  const policies: Record<string, unknown> = {};
  for (const name of names) {
    const policy = await iam.send(new GetUserPolicyCommand({ UserName: userName, PolicyName: name }));
    policies[name] = JSON.parse(decodeURIComponent(policy.PolicyDocument ?? 'null')) as unknown;
  }
  const tags: Record<string, string> = {};
  for (const tag of (await iam.send(new ListUserTagsCommand({ UserName: userName }))).Tags ?? [])
    tags[tag.Key ?? '?'] = tag.Value ?? '';
  return { keys, policies, tags };
}

/** A fresh IAM role an automation (or an agent acting through it) could assume, with tags. */
export async function createRole(
  prefix: string,
  tags: Record<string, string> = {},
  client: IAMClient = iam,
): Promise<string> {
  const roleName = uniqueName(prefix);
  const trust = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'codebuild.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  };
  await client.send(
    new CreateRoleCommand({
      RoleName: roleName,
      AssumeRolePolicyDocument: JSON.stringify(trust),
      Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    }),
  );
  return roleName;
}

/** What moto holds for a role: its permissions boundary, its inline policies' names and its tags. */
export async function roleState(roleName: string, client: IAMClient = iam) {
  const { Role } = await client.send(new GetRoleCommand({ RoleName: roleName }));
  const policies = (await client.send(new ListRolePoliciesCommand({ RoleName: roleName }))).PolicyNames ?? [];
  const tags = (await client.send(new ListRoleTagsCommand({ RoleName: roleName }))).Tags ?? [];
  return {
    boundary: Role?.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
    policies: policies.sort(),
    tags: Object.fromEntries(tags.map((tag) => [tag.Key ?? '?', tag.Value ?? ''])),
  };
}

export const ADMINISTRATOR_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess';
export const READ_ONLY_ACCESS = 'arn:aws:iam::aws:policy/ReadOnlyAccess';

/** A role with standing admin beside a read policy: a just-in-time response takes admin away and leaves read. */
export async function privilegedRole(prefix: string, tags: Record<string, string> = {}): Promise<string> {
  const roleName = await createRole(prefix, tags);
  for (const PolicyArn of [ADMINISTRATOR_ACCESS, READ_ONLY_ACCESS])
    await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn }));
  return roleName;
}

/** The managed policies attached to a role (or a user), sorted. */
export async function attachedPolicies(name: string, type: 'role' | 'user' = 'role'): Promise<string[]> {
  const { AttachedPolicies } =
    type === 'role'
      ? await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name }))
      : await iam.send(new ListAttachedUserPoliciesCommand({ UserName: name }));
  return (AttachedPolicies ?? []).map((policy) => policy.PolicyArn ?? '?').sort();
}

/** The inline policy a just-in-time grant of a privilege wrote on a role. */
export async function jitGrantPolicy(
  roleName: string,
  privilege: string,
): Promise<{ Statement: Record<string, unknown>[] }> {
  const { PolicyDocument } = await iam.send(
    new GetRolePolicyCommand({ RoleName: roleName, PolicyName: `idra-jit-${privilege}` }),
  );
  return JSON.parse(decodeURIComponent(PolicyDocument ?? '{}')) as { Statement: Record<string, unknown>[] };
}
