import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  type IAMClient,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';

export interface SeededUser {
  userName: string;
  accessKeyIds: string[];
}

/**
 * Creates an IAM user with access keys (optionally some inactive) and inline policies: the sample
 * identities of the demo, and the fixtures of tests and the benchmark. The secrets are dropped at once.
 */
export async function createIamUser(
  iam: IAMClient,
  userName: string,
  options: {
    keys?: number;
    inactiveKeys?: number;
    inlinePolicies?: Record<string, unknown>;
    tags?: Record<string, string>;
  } = {},
): Promise<SeededUser> {
  const tags = Object.entries({ owner: 'platform-team', ...options.tags }).map(([Key, Value]) => ({ Key, Value }));
  await iam.send(new CreateUserCommand({ UserName: userName, Tags: tags }));
  const accessKeyIds: string[] = [];
  for (let index = 0; index < (options.keys ?? 1); index++) {
    const created = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
    const id = created.AccessKey?.AccessKeyId;
    if (!id) throw new Error(`CreateAccessKey for ${userName} returned no key id`);
    accessKeyIds.push(id);
  }
  for (const id of accessKeyIds.slice(0, options.inactiveKeys ?? 0)) {
    await iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: id, Status: 'Inactive' }));
  }
  for (const [policyName, document] of Object.entries(options.inlinePolicies ?? {})) {
    await iam.send(
      new PutUserPolicyCommand({
        UserName: userName,
        PolicyName: policyName,
        PolicyDocument: JSON.stringify(document),
      }),
    );
  }
  return { userName, accessKeyIds };
}
