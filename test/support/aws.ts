import { GetUserPolicyCommand, IAMClient, ListAccessKeysCommand, ListUserPoliciesCommand } from '@aws-sdk/client-iam';
import { randomUUID } from 'node:crypto';
import { createIamUser, type SeededUser } from '../../infra/seed-aws';

export const ACCOUNT = '123456789012'; // moto's default account

export const iam = new IAMClient({});

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export function createUser(prefix: string, options?: Parameters<typeof createIamUser>[2]): Promise<SeededUser> {
  return createIamUser(iam, uniqueName(prefix), options);
}

/** What moto holds for a user: each key's status and each inline policy's document. */
export async function userState(userName: string): Promise<{ keys: Record<string, string>; policies: Record<string, unknown> }> {
  const listed = await iam.send(new ListAccessKeysCommand({ UserName: userName }));
  const keys: Record<string, string> = {};
  for (const key of listed.AccessKeyMetadata ?? []) keys[key.AccessKeyId ?? '?'] = key.Status ?? '?';
  const names = (await iam.send(new ListUserPoliciesCommand({ UserName: userName }))).PolicyNames ?? [];
  const policies: Record<string, unknown> = {};
  for (const name of names) {
    const policy = await iam.send(new GetUserPolicyCommand({ UserName: userName, PolicyName: name }));
    policies[name] = JSON.parse(decodeURIComponent(policy.PolicyDocument ?? 'null')) as unknown;
  }
  return { keys, policies };
}
