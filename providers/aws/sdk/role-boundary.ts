import {
  DeleteRolePermissionsBoundaryCommand,
  GetRoleCommand,
  PutRolePermissionsBoundaryCommand,
} from '@aws-sdk/client-iam';
import type { Action } from '../../../activities/action';
import { assertAccount, awsCall, type AwsContext } from './aws-context';
import type { ParamsOf } from '../../provider';
import { awsRoleReadOnly } from '../actions';

type BoundaryState = { boundary: string | null };

/** Keeps read, drops write: a ReadOnlyAccess permissions boundary caps whatever the role's policies grant. */
export function roleReadOnly(aws: AwsContext): Action<ParamsOf<typeof awsRoleReadOnly>, BoundaryState> {
  return {
    spec: awsRoleReadOnly,
    read: async ({ account, roleName }) => {
      await assertAccount(aws, account);
      const { Role } = await awsCall(aws.iam.send(new GetRoleCommand({ RoleName: roleName })), `IAM role ${roleName}`);
      return { boundary: Role?.PermissionsBoundary?.PermissionsBoundaryArn ?? null };
    },
    desired: ({ boundaryArn }) => ({ boundary: boundaryArn }),
    write: async ({ roleName }, { boundary }) => {
      await awsCall(
        boundary === null
          ? aws.iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: roleName }))
          : aws.iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: roleName, PermissionsBoundary: boundary })),
        `IAM role ${roleName}`,
      );
    },
  };
}
