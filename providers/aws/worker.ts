import { ListAccessKeysCommand } from '@aws-sdk/client-iam';
import type { AnyAction } from '../../activities/action';
import type { CreateProviderWorker } from '../provider-worker';
import { asAws, iamPrincipal } from './identity';
import { accessKeyDeactivate, accessKeyDelete } from './sdk/access-key';
import { accessKeyRotate } from './sdk/access-key-rotate';
import { assertAccount, awsCall, createAwsContext } from './sdk/aws-context';
import { identityTag, listPrincipalTags } from './sdk/identity-tag';
import { roleQuarantine, roleRevokeSessions, userQuarantine } from './sdk/inline-policy';
import { roleReadOnly } from './sdk/role-boundary';
import { identityDetachStanding } from './sdk/standing-policies';
import { identityGrantTimeBoxed } from './sdk/time-boxed-grant';

/** The AWS worker: IAM and Secrets Manager clients from the SDK's standard settings (AWS_REGION, AWS_ENDPOINT_URL, AWS_PROFILE, ...). */
export const createProviderWorker: CreateProviderWorker = () => {
  const aws = createAwsContext();
  return {
    actions: [
      accessKeyDeactivate(aws),
      accessKeyDelete(aws),
      accessKeyRotate(aws),
      userQuarantine(aws),
      roleQuarantine(aws),
      roleRevokeSessions(aws),
      roleReadOnly(aws),
      identityDetachStanding(aws),
      identityGrantTimeBoxed(aws),
      identityTag(aws),
    ] as AnyAction[],
    readFacts: async (identity) => {
      const principal = asAws(identity);
      await assertAccount(aws, principal.account);
      const tags = await listPrincipalTags(aws, iamPrincipal(identity));
      if (principal.kind !== 'access_key') return { tags };
      const listed = await awsCall(
        aws.iam.send(new ListAccessKeysCommand({ UserName: principal.userName })),
        `IAM user ${principal.userName}`,
      );
      return { tags, credentials: listed.AccessKeyMetadata?.length ?? 0 };
    },
  };
};
