import type { AnyAction } from '../action';
import { accessKeyDeactivate } from './access-key-deactivate';
import type { AwsContext } from './aws-context';
import { userQuarantine } from './user-quarantine';

export function awsActions(aws: AwsContext): AnyAction[] {
  return [accessKeyDeactivate(aws), userQuarantine(aws)];
}
