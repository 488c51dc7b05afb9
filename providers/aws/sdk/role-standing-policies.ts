import { AttachRolePolicyCommand, DetachRolePolicyCommand, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { actionSpec } from '../../catalog';
import type { Action } from '../../../activities/action';
import { assertAccount, awsCall, type AwsContext, awsGone } from './aws-context';

type StandingParams = { account: string; roleName: string; policyArns: string[] };
/** Which of the named policies the role has attached (sorted): the role's other policies are never read. */
type StandingState = { attached: string[] };

async function attachedPolicies(aws: AwsContext, roleName: string): Promise<string[]> {
  const arns: string[] = [];
  let marker: string | undefined;
  do {
    const page = await awsCall(
      aws.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName, Marker: marker })),
      `IAM role ${roleName}`,
    );
    arns.push(...(page.AttachedPolicies ?? []).flatMap((policy) => (policy.PolicyArn ? [policy.PolicyArn] : [])));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return arns;
}

/** Standing privilege off: the privileged managed policies detached, so only time-boxed grants give them back. */
export function roleDetachStanding(aws: AwsContext): Action<StandingParams, StandingState> {
  return {
    spec: actionSpec('aws.role.detachStanding'),
    read: async ({ account, roleName, policyArns }) => {
      await assertAccount(aws, account);
      const attached = await attachedPolicies(aws, roleName);
      return { attached: policyArns.filter((arn) => attached.includes(arn)).sort() };
    },
    desired: () => ({ attached: [] }),
    write: async ({ roleName, policyArns }, { attached: wanted }) => {
      const attached = await attachedPolicies(aws, roleName);
      const what = `IAM role ${roleName}`;
      for (const PolicyArn of policyArns) {
        const want = wanted.includes(PolicyArn);
        if (want && !attached.includes(PolicyArn))
          await awsCall(aws.iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn })), what);
        if (!want && attached.includes(PolicyArn))
          await awsGone(aws.iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn })), what);
      }
    },
  };
}
