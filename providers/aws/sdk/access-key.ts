import { stepFailure } from '../../../activities/step-failure';
import { DeleteAccessKeyCommand, ListAccessKeysCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import type { Action } from '../../../activities/action';
import { assertAccount, awsCall, type AwsContext, awsGone } from './aws-context';
import type { ParamsOf } from '../../provider';
import { awsAccessKeyDeactivate, awsAccessKeyDelete } from '../actions';

type KeyParams = ParamsOf<typeof awsAccessKeyDeactivate>;
type KeyStatus = 'Active' | 'Inactive';

/** The key's status, or null when it no longer exists; a key of another user is refused outright. */
async function readKey(aws: AwsContext, { account, userName, accessKeyId }: KeyParams): Promise<KeyStatus | null> {
  await assertAccount(aws, account);
  const listed = await awsCall(aws.iam.send(new ListAccessKeysCommand({ UserName: userName })), `IAM user ${userName}`);
  const key = listed.AccessKeyMetadata?.find((candidate) => candidate.AccessKeyId === accessKeyId);
  return key ? (key.Status === 'Active' ? 'Active' : 'Inactive') : null;
}

function requireExisting(status: KeyStatus | null, { userName, accessKeyId }: KeyParams): KeyStatus {
  if (status === null)
    throw stepFailure('NoSuchEntity', `access key ${accessKeyId} does not belong to IAM user ${userName}`);
  return status;
}

/** Deactivates exactly one access key; the user's other keys are never touched. */
export function accessKeyDeactivate(
  aws: AwsContext,
): Action<ParamsOf<typeof awsAccessKeyDeactivate>, { status: KeyStatus }> {
  return {
    spec: awsAccessKeyDeactivate,
    read: async (params) => ({ status: requireExisting(await readKey(aws, params), params) }),
    desired: () => ({ status: 'Inactive' }),
    write: async ({ userName, accessKeyId }, state) => {
      await awsCall(
        aws.iam.send(
          new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId, Status: state.status }),
        ),
        `access key ${accessKeyId}`,
      );
    },
  };
}

/** Deletes exactly one access key. Irreversible, so plans run it only after an approval. */
export function accessKeyDelete(aws: AwsContext): Action<ParamsOf<typeof awsAccessKeyDelete>, { exists: boolean }> {
  return {
    spec: awsAccessKeyDelete,
    read: async (params) => ({ exists: (await readKey(aws, params)) !== null }),
    desired: () => ({ exists: false }),
    write: async ({ userName, accessKeyId }, state) => {
      if (state.exists) throw stepFailure('Irreversible', `a deleted access key cannot be brought back`);
      await awsGone(
        aws.iam.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId })),
        `access key ${accessKeyId}`,
      );
    },
  };
}
