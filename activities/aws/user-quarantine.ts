import { DeleteUserPolicyCommand, GetUserPolicyCommand, ListUserPoliciesCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { z } from 'zod';
import type { Action } from '../action';
import { assertAccount, type AwsContext, rethrowMissing } from './aws-context';

const params = z.strictObject({ account: z.string(), userName: z.string(), policyName: z.string().regex(/^[\w+=,.@-]{1,128}$/) });
type Params = z.infer<typeof params>;
/** The quarantine policy's document as parsed JSON, or null when the user has no such policy. */
type QuarantineState = { policy: unknown };

const DENY_ALL = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'IdraQuarantineDenyAll', Effect: 'Deny', Action: '*', Resource: '*' }],
};

/**
 * Fences an IAM user with an inline deny-all policy named for the incident. Only that one policy is
 * read and written, so the user's own policies and other incidents' quarantines are left as they are.
 */
export function userQuarantine(aws: AwsContext): Action<Params, QuarantineState> {
  return {
    name: 'aws.user.quarantine',
    provider: 'aws',
    summary: "Attach an inline deny-all policy to an IAM user (removed on rollback)",
    reversible: true,
    permissions: ['iam:ListUserPolicies', 'iam:GetUserPolicy', 'iam:PutUserPolicy', 'iam:DeleteUserPolicy', 'sts:GetCallerIdentity'],
    params,
    async read({ account, userName, policyName }) {
      await assertAccount(aws, account);
      const names = await listUserPolicyNames(aws, userName);
      if (!names.includes(policyName)) return { policy: null };
      const found = await aws.iam.send(new GetUserPolicyCommand({ UserName: userName, PolicyName: policyName }));
      // IAM returns policy documents URL-encoded.
      return { policy: JSON.parse(decodeURIComponent(found.PolicyDocument ?? 'null')) as unknown };
    },
    desired: () => ({ policy: DENY_ALL }),
    async write({ userName, policyName }, state) {
      if (state.policy === null) {
        await aws.iam.send(new DeleteUserPolicyCommand({ UserName: userName, PolicyName: policyName }));
      } else {
        await aws.iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: policyName, PolicyDocument: JSON.stringify(state.policy) }));
      }
    },
  };
}

async function listUserPolicyNames(aws: AwsContext, userName: string): Promise<string[]> {
  const names: string[] = [];
  let marker: string | undefined;
  do {
    const page = await aws.iam
      .send(new ListUserPoliciesCommand({ UserName: userName, Marker: marker }))
      .catch((error: unknown) => rethrowMissing(error, `IAM user ${userName}`));
    names.push(...(page.PolicyNames ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return names;
}
