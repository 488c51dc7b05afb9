import type { ProviderDefinition } from '../provider';
import { AWS_ACTIONS } from './actions';
import { AWS_IDENTITY_KINDS, awsInventoryMatch } from './identity';

/** AWS IAM: access keys and roles; the worker acts in the one account its credentials belong to. */
export const awsProvider: ProviderDefinition = {
  id: 'aws',
  name: 'AWS',
  kinds: AWS_IDENTITY_KINDS,
  actions: AWS_ACTIONS,
  inventoryMatch: awsInventoryMatch,
  // Its account check, and reading the identity's tags (its profile).
  basePermissions: ['sts:GetCallerIdentity', 'iam:ListUserTags', 'iam:ListRoleTags'],
  workerPolicy: (permissions) => ({
    Version: '2012-10-17',
    Statement: [{ Sid: 'IdraAwsWorker', Effect: 'Allow', Action: permissions, Resource: '*' }],
  }),
  taskQueue: 'idra-aws',
};
