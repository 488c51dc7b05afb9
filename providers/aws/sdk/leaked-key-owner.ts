import { GetAccessKeyLastUsedCommand } from '@aws-sdk/client-iam';
import { GetAccessKeyInfoCommand } from '@aws-sdk/client-sts';
import type { LeakedCredentialOwner } from '../../provider';
import { type AwsAccessKeyIdentity, awsAccessKeyId } from '../identity';
import type { AwsContext } from './aws-context';

const NO_SUCH_KEY = new Set(['NoSuchEntity', 'NoSuchEntityException']);

/**
 * The IAM user a leaked access key id belongs to: `sts:GetAccessKeyInfo` names the key's account (of any
 * account), and in the one these credentials reach `iam:GetAccessKeyLastUsed` names its user. A key of
 * another account, or of no user (deleted already), is not idra's to act on; any other failure — a missing
 * permission among them — is thrown, so the finding is retried rather than dropped.
 */
export async function ownerOfLeakedAccessKey(
  aws: AwsContext,
  keyId: string,
): Promise<LeakedCredentialOwner<AwsAccessKeyIdentity>> {
  if (!awsAccessKeyId.safeParse(keyId).success)
    return { skipped: 'no long-term AWS access key id (AKIA followed by 16 letters or digits)' };
  const account = await aws.accountId();
  const { Account: owner } = await aws.sts.send(new GetAccessKeyInfoCommand({ AccessKeyId: keyId }));
  if (owner !== account)
    return {
      skipped: `access key ${keyId} is a key of AWS account ${owner ?? 'unknown'}, not of ${account} where idra acts`,
    };
  const gone = { skipped: `access key ${keyId} belongs to no IAM user of account ${account} (deleted already?)` };
  try {
    const found = await aws.iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: keyId }));
    if (!found.UserName) return gone;
    return { identity: { provider: 'aws', kind: 'access_key', account, userName: found.UserName, accessKeyId: keyId } };
  } catch (error) {
    if (error instanceof Error && NO_SUCH_KEY.has(error.name)) return gone;
    throw error;
  }
}
