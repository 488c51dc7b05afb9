import type { AnyAction } from '../action';
import { accessKeyDeactivate, accessKeyDelete } from './access-key';
import { accessKeyRotate } from './access-key-rotate';
import type { AwsContext } from './aws-context';
import { identityTag } from './identity-tag';
import { roleQuarantine, roleRevokeSessions, userQuarantine } from './inline-policy';
import { roleReadOnly } from './role-boundary';

/** Every AWS action's operations; each pairs with its spec in policy/catalog.ts. */
export function awsActions(aws: AwsContext): AnyAction[] {
  return [
    accessKeyDeactivate(aws),
    accessKeyDelete(aws),
    accessKeyRotate(aws),
    userQuarantine(aws),
    roleQuarantine(aws),
    roleRevokeSessions(aws),
    roleReadOnly(aws),
    identityTag(aws),
  ] as AnyAction[];
}
