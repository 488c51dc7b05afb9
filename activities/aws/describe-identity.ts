import type { Identity } from '../../model/identity';
import { iamPrincipal } from '../../policy/catalog';
import { assertAccount, type AwsContext } from './aws-context';
import { listPrincipalTags } from './identity-tag';

/** `aws.identity.describe`: the tags of the identity's IAM user or role, which can carry its idra profile. */
export function awsDescribeActivities(aws: AwsContext): Record<string, (identity: Identity) => Promise<Record<string, string>>> {
  return {
    'aws.identity.describe': async (identity) => {
      await assertAccount(aws, identity.account);
      return listPrincipalTags(aws, iamPrincipal(identity));
    },
  };
}
