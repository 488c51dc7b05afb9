import { ListAccessKeysCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import type { Action } from '../action';
import { assertAccount, type AwsContext, rethrowMissing } from './aws-context';

const params = z.strictObject({ account: z.string(), userName: z.string(), accessKeyId: z.string() });
type Params = z.infer<typeof params>;
type KeyState = { status: 'Active' | 'Inactive' };

/** Deactivates exactly one access key; the user's other keys are never touched. */
export function accessKeyDeactivate(aws: AwsContext): Action<Params, KeyState> {
  return {
    name: 'aws.accessKey.deactivate',
    provider: 'aws',
    summary: 'Set one IAM access key to Inactive (reactivated on rollback)',
    reversible: true,
    permissions: ['iam:ListAccessKeys', 'iam:UpdateAccessKey', 'sts:GetCallerIdentity'],
    params,
    async read({ account, userName, accessKeyId }) {
      await assertAccount(aws, account);
      const listed = await aws.iam.send(new ListAccessKeysCommand({ UserName: userName })).catch((error: unknown) => rethrowMissing(error, `IAM user ${userName}`));
      const key = listed.AccessKeyMetadata?.find((candidate) => candidate.AccessKeyId === accessKeyId);
      if (!key) {
        throw ApplicationFailure.nonRetryable(`access key ${accessKeyId} does not belong to IAM user ${userName}`, 'NoSuchEntity');
      }
      return { status: key.Status === 'Active' ? 'Active' : 'Inactive' };
    },
    desired: () => ({ status: 'Inactive' }),
    async write({ userName, accessKeyId }, state) {
      await aws.iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId, Status: state.status }));
    },
  };
}
