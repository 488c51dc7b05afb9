import { GetAccessKeyLastUsedCommand } from '@aws-sdk/client-iam';
import type { LeakedCredentialOwner } from '../../provider';
import { type AwsAccessKeyIdentity, awsAccessKeyId } from '../identity';
import type { AwsContext } from './aws-context';

// IAM answers a key it does not hold with NoSuchEntity, and a key of another account with AccessDenied.
const NOT_OURS = new Set(['NoSuchEntity', 'NoSuchEntityException', 'AccessDenied', 'AccessDeniedException']);

/**
 * The IAM user a leaked access key id belongs to, in the account these credentials reach
 * (`iam:GetAccessKeyLastUsed` names a key's user; any other failure is thrown, so the finding is retried).
 */
export async function ownerOfLeakedAccessKey(
  aws: AwsContext,
  keyId: string,
): Promise<LeakedCredentialOwner<AwsAccessKeyIdentity>> {
  if (!awsAccessKeyId.safeParse(keyId).success)
    return { skipped: 'the alert holds no long-term AWS access key id (AKIA followed by 16 letters or digits)' };
  const account = await aws.accountId();
  try {
    const found = await aws.iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: keyId }));
    if (!found.UserName) return { skipped: `access key ${keyId} belongs to no IAM user of account ${account}` };
    return { identity: { provider: 'aws', kind: 'access_key', account, userName: found.UserName, accessKeyId: keyId } };
  } catch (error) {
    if (error instanceof Error && NOT_OURS.has(error.name))
      return { skipped: `access key ${keyId} is not a key of AWS account ${account}, where idra acts` };
    throw error;
  }
}
