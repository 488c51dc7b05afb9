import {
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
} from '@aws-sdk/client-iam';
import type { Action } from '../../../activities/action';
import type { IamPrincipal } from '../identity';
import { assertAccount, awsCall, type AwsContext, awsGone } from './aws-context';
import type { ParamsOf } from '../../provider';
import { awsIdentityDetachStanding } from '../actions';

/** Which of the named policies the principal has attached (sorted): its other policies are never read. */
type StandingState = { attached: string[] };

const what = ({ type, name }: IamPrincipal) => `IAM ${type} ${name}`;

async function attachedPolicies(aws: AwsContext, principal: IamPrincipal): Promise<string[]> {
  const arns: string[] = [];
  let marker: string | undefined;
  do {
    const page = await awsCall(
      principal.type === 'user'
        ? aws.iam.send(new ListAttachedUserPoliciesCommand({ UserName: principal.name, Marker: marker }))
        : aws.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: principal.name, Marker: marker })),
      what(principal),
    );
    arns.push(...(page.AttachedPolicies ?? []).flatMap((policy) => (policy.PolicyArn ? [policy.PolicyArn] : [])));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return arns;
}

function attach(aws: AwsContext, { type, name }: IamPrincipal, PolicyArn: string): Promise<unknown> {
  return type === 'user'
    ? aws.iam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn }))
    : aws.iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn }));
}

function detach(aws: AwsContext, { type, name }: IamPrincipal, PolicyArn: string): Promise<unknown> {
  return type === 'user'
    ? aws.iam.send(new DetachUserPolicyCommand({ UserName: name, PolicyArn }))
    : aws.iam.send(new DetachRolePolicyCommand({ RoleName: name, PolicyArn }));
}

/** Standing privilege off: the privileged managed policies detached, so only time-boxed grants give them back. */
export function identityDetachStanding(
  aws: AwsContext,
): Action<ParamsOf<typeof awsIdentityDetachStanding>, StandingState> {
  return {
    spec: awsIdentityDetachStanding,
    read: async ({ account, principal, policyArns }) => {
      await assertAccount(aws, account);
      const attached = await attachedPolicies(aws, principal);
      return { attached: policyArns.filter((arn) => attached.includes(arn)).sort() };
    },
    desired: () => ({ attached: [] }),
    write: async ({ principal, policyArns }, { attached: wanted }) => {
      const attached = await attachedPolicies(aws, principal);
      for (const arn of policyArns) {
        const want = wanted.includes(arn);
        if (want && !attached.includes(arn)) await awsCall(attach(aws, principal, arn), what(principal));
        if (!want && attached.includes(arn)) await awsGone(detach(aws, principal, arn), what(principal));
      }
    },
  };
}
