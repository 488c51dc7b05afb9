import {
  DeleteRolePolicyCommand,
  DeleteUserPolicyCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  ListRolePoliciesCommand,
  ListUserPoliciesCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import type { ActionSpec } from '../../provider';
import { awsRoleQuarantine, awsRoleRevokeSessions, awsUserQuarantine } from '../actions';
import type { Action } from '../../../activities/action';
import { assertAccount, awsCall, type AwsContext, awsGone } from './aws-context';

type PrincipalType = 'user' | 'role';
export type PolicyParams = { account: string; policyName: string } & ({ userName: string } | { roleName: string });
/** The policy's document as parsed JSON, or null when the principal has no policy of that name. */
type PolicyState = { policy: unknown };

/** One named inline policy of a user or role: the only policy these actions read or write. */
export class InlinePolicy {
  constructor(
    private readonly aws: AwsContext,
    private readonly type: PrincipalType,
  ) {}

  private principal(params: PolicyParams): string {
    return 'userName' in params ? params.userName : params.roleName;
  }

  async read(params: PolicyParams): Promise<PolicyState> {
    await assertAccount(this.aws, params.account);
    const name = this.principal(params);
    const what = `IAM ${this.type} ${name}`;
    const names: string[] = [];
    let marker: string | undefined;
    do {
      const page = await awsCall(
        this.type === 'user'
          ? this.aws.iam.send(new ListUserPoliciesCommand({ UserName: name, Marker: marker }))
          : this.aws.iam.send(new ListRolePoliciesCommand({ RoleName: name, Marker: marker })),
        what,
      );
      names.push(...(page.PolicyNames ?? []));
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    if (!names.includes(params.policyName)) return { policy: null };
    const found = await awsCall<{ PolicyDocument?: string }>(
      this.type === 'user'
        ? this.aws.iam.send(new GetUserPolicyCommand({ UserName: name, PolicyName: params.policyName }))
        : this.aws.iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: params.policyName })),
      what,
    );
    // IAM returns policy documents URL-encoded.
    return { policy: JSON.parse(decodeURIComponent(found.PolicyDocument ?? 'null')) as unknown };
  }

  async write(params: PolicyParams, state: PolicyState): Promise<void> {
    const name = this.principal(params);
    const what = `IAM ${this.type} ${name}`;
    const PolicyName = params.policyName;
    if (state.policy === null) {
      await awsGone(
        this.type === 'user'
          ? this.aws.iam.send(new DeleteUserPolicyCommand({ UserName: name, PolicyName }))
          : this.aws.iam.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName })),
        what,
      );
      return;
    }
    const PolicyDocument = JSON.stringify(state.policy);
    await awsCall(
      this.type === 'user'
        ? this.aws.iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName, PolicyDocument }))
        : this.aws.iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName, PolicyDocument })),
      what,
    );
  }
}

const DENY_ALL = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'IdraQuarantineDenyAll', Effect: 'Deny', Action: '*', Resource: '*' }],
};

function inlinePolicyAction<Params extends PolicyParams>(
  aws: AwsContext,
  spec: ActionSpec<Params>,
  type: PrincipalType,
  document: (params: Params) => unknown,
): Action<Params, PolicyState> {
  const policy = new InlinePolicy(aws, type);
  return {
    spec,
    read: (params) => policy.read(params),
    desired: (params) => ({ policy: document(params) }),
    write: (params, state) => policy.write(params, state),
  };
}

export const userQuarantine = (aws: AwsContext) => inlinePolicyAction(aws, awsUserQuarantine, 'user', () => DENY_ALL);
export const roleQuarantine = (aws: AwsContext) => inlinePolicyAction(aws, awsRoleQuarantine, 'role', () => DENY_ALL);

/** AWS's documented way to revoke a role's sessions: deny everything to tokens issued before a time. */
export const roleRevokeSessions = (aws: AwsContext) =>
  inlinePolicyAction(aws, awsRoleRevokeSessions, 'role', ({ issuedBefore }) => ({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'IdraRevokeOlderSessions',
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { DateLessThan: { 'aws:TokenIssueTime': issuedBefore } },
      },
    ],
  }));
