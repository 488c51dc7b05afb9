import { stepFailure } from '../../../activities/step-failure';
import {
  CreateAccessKeyCommand,
  DeleteAccessKeyCommand,
  GetAccessKeyLastUsedCommand,
  ListAccessKeysCommand,
} from '@aws-sdk/client-iam';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  PutSecretValueCommand,
  TagResourceCommand,
} from '@aws-sdk/client-secrets-manager';
import type { Action } from '../../../activities/action';
import { assertAccount, awsCall, type AwsContext, awsGone } from './aws-context';
import { currentVersion, describeSecret } from './secret-store';
import type { ParamsOf } from '../../provider';
import { awsAccessKeyRotate } from '../actions';

/** Whether the replacement key exists and sits in its secret; ids and secret values are not part of the state. */
type RotationState = { rotated: boolean };

/** The tag on the secret that names the key inside it, so the rotation can be found and undone. */
const KEY_ID_TAG = 'idra:access-key-id';
/** The tag on the secret that lists the user's keys before the rotation made one. */
const KEYS_BEFORE_TAG = 'idra:keys-before';

/**
 * Creates the incident's secret. One that exists already is the one a call whose answer was lost made
 * (the name is the incident's own): it is used.
 */
async function createSecret(aws: AwsContext, secretName: string, accessKeyId: string) {
  const created = aws.secrets
    .send(
      new CreateSecretCommand({
        Name: secretName,
        Description: `idra: replacement for ${accessKeyId}`,
        Tags: [{ Key: 'idra:replaces', Value: accessKeyId }],
      }),
    )
    .catch(async (error: unknown) => {
      const existing =
        error instanceof Error && error.name === 'ResourceExistsException'
          ? await describeSecret(aws.secrets, secretName)
          : undefined;
      if (existing) return existing;
      throw error;
    });
  return awsCall(created, `secret ${secretName}`);
}

async function userKeys(aws: AwsContext, userName: string) {
  const listed = await awsCall(aws.iam.send(new ListAccessKeysCommand({ UserName: userName })), `IAM user ${userName}`);
  return listed.AccessKeyMetadata ?? [];
}

/**
 * Rotates a leaked key's user onto a new key without the secret ever leaving this activity: the new key
 * goes straight into a Secrets Manager secret named for the incident, and only the secret's ARN and
 * version are returned. The leaked key is left to the other steps (deactivate now, delete after approval).
 */
export function accessKeyRotate(aws: AwsContext): Action<ParamsOf<typeof awsAccessKeyRotate>, RotationState> {
  /** The replacement key the secret names, if that key still exists. */
  const newKeyId = async (
    secret: Awaited<ReturnType<typeof describeSecret>>,
    userName: string,
  ): Promise<string | undefined> => {
    const id = secret?.Tags?.find((tag) => tag.Key === KEY_ID_TAG)?.Value;
    return id && (await userKeys(aws, userName)).some((key) => key.AccessKeyId === id) ? id : undefined;
  };

  return {
    spec: awsAccessKeyRotate,
    read: async (params) => {
      await assertAccount(aws, params.account);
      return {
        rotated: (await newKeyId(await describeSecret(aws.secrets, params.secretName), params.userName)) !== undefined,
      };
    },
    desired: () => ({ rotated: true }),
    async write(params, { rotated }) {
      const { secretName, userName, accessKeyId } = params;
      /** Removes a replacement key and its secret. */
      const discard = async (id: string | undefined) => {
        if (id)
          await awsGone(
            aws.iam.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: id })),
            `access key ${id}`,
          );
        if (await describeSecret(aws.secrets, secretName)) {
          await awsGone(
            aws.secrets.send(new DeleteSecretCommand({ SecretId: secretName, ForceDeleteWithoutRecovery: true })),
            `secret ${secretName}`,
          );
        }
      };
      if (!rotated) return discard(await newKeyId(await describeSecret(aws.secrets, secretName), userName));
      // The secret first, tagged with the user's keys as they were before any key was made: a key made by
      // an attempt that died before storing it is then recognisable (not in that list) and removed, and
      // no key the user had is ever touched.
      const secret =
        (await describeSecret(aws.secrets, secretName)) ?? (await createSecret(aws, secretName, accessKeyId));
      const current = (await userKeys(aws, userName)).map((key) => key.AccessKeyId ?? '');
      const recorded = 'Tags' in secret ? secret.Tags?.find((tag) => tag.Key === KEYS_BEFORE_TAG)?.Value : undefined;
      if (recorded === undefined) {
        await awsCall(
          aws.secrets.send(
            new TagResourceCommand({
              SecretId: secretName,
              Tags: [{ Key: KEYS_BEFORE_TAG, Value: current.join(' ') }],
            }),
          ),
          `secret ${secretName}`,
        );
      }
      const before = (recorded ?? current.join(' ')).split(' ');
      for (const orphan of current.filter((id) => !before.includes(id))) {
        await awsGone(
          aws.iam.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: orphan })),
          `access key ${orphan}`,
        );
      }
      const created = aws.iam.send(new CreateAccessKeyCommand({ UserName: userName })).catch((error: unknown) => {
        // At the limit right after the orphans were removed: a retried call whose first answer was lost
        // made a key. The next attempt finds it among the orphans and removes it.
        if (error instanceof Error && error.name === 'LimitExceededException')
          throw stepFailure('ProviderFault', `IAM user ${userName} is at its access key limit: ${error.message}`);
        throw error;
      });
      const { AccessKey } = await awsCall(created, `IAM user ${userName}`);
      if (!AccessKey?.AccessKeyId || !AccessKey.SecretAccessKey)
        throw stepFailure('ProviderFault', 'CreateAccessKey returned no key');
      try {
        await awsCall(
          aws.secrets.send(
            new PutSecretValueCommand({
              SecretId: secretName,
              SecretString: JSON.stringify({
                AccessKeyId: AccessKey.AccessKeyId,
                SecretAccessKey: AccessKey.SecretAccessKey,
              }),
            }),
          ),
          `secret ${secretName}`,
        );
        await awsCall(
          aws.secrets.send(
            new TagResourceCommand({ SecretId: secretName, Tags: [{ Key: KEY_ID_TAG, Value: AccessKey.AccessKeyId }] }),
          ),
          `secret ${secretName}`,
        );
      } catch (error) {
        // Not stored, not kept: a key nobody can fetch must not stay valid (a crash here is mended by the next attempt).
        await discard(AccessKey.AccessKeyId);
        throw error;
      }
    },
    // Consumers that already switched to the new key would break if it were deleted: such a key stays.
    async undoWouldBreak({ secretName, userName }) {
      const id = await newKeyId(await describeSecret(aws.secrets, secretName), userName);
      if (!id) return undefined;
      const { AccessKeyLastUsed } = await awsCall(
        aws.iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: id })),
        `access key ${id}`,
      );
      const used = AccessKeyLastUsed?.LastUsedDate;
      if (!used) return undefined;
      return {
        observed: { rotated: true, lastUsed: used.toISOString(), service: AccessKeyLastUsed.ServiceName },
        note: `the new key ${id} is in use (last used ${used.toISOString()} with ${AccessKeyLastUsed.ServiceName ?? 'a service'}): left with its secret for its consumers`,
      };
    },
    async reference({ secretName }) {
      const secret = await describeSecret(aws.secrets, secretName);
      return {
        secretArn: secret?.ARN,
        secretVersionId: currentVersion(secret),
        newAccessKeyId: secret?.Tags?.find((tag) => tag.Key === KEY_ID_TAG)?.Value,
      };
    },
  };
}
