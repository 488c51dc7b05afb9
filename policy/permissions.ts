import type { Provider } from '../model/identity';
import { ACTION_CATALOG } from './catalog';

/** What each provider's worker needs besides its actions: its account check and reading identity tags. */
const WORKER_BASE_PERMISSIONS: Record<Provider, string[]> = {
  aws: ['sts:GetCallerIdentity', 'iam:ListUserTags', 'iam:ListRoleTags'],
};

/** Every permission a provider's worker needs, derived from the action catalog. */
export function workerPermissions(provider: Provider): string[] {
  const actions = [...ACTION_CATALOG.values()].filter((action) => action.provider === provider);
  return [...new Set([...WORKER_BASE_PERMISSIONS[provider], ...actions.flatMap((action) => action.permissions)])].sort();
}

/** The least-privilege IAM policy document for the AWS worker. */
export function awsWorkerPolicy(): { Version: string; Statement: { Sid: string; Effect: 'Allow'; Action: string[]; Resource: string }[] } {
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: 'IdraAwsWorker', Effect: 'Allow', Action: workerPermissions('aws'), Resource: '*' }],
  };
}
