import { GetPolicyCommand, GetPolicyVersionCommand } from '@aws-sdk/client-iam';
import { stepFailure } from '../../../activities/step-failure';
import type { Action } from '../../../activities/action';
import { awsCall, type AwsContext } from './aws-context';
import { InlinePolicy, type PolicyParams } from './inline-policy';
import type { ParamsOf } from '../../provider';
import { awsIdentityGrantTimeBoxed } from '../actions';

type GrantParams = ParamsOf<typeof awsIdentityGrantTimeBoxed>;
/**
 * Whether the role holds the grant's inline policy, and until when: null when it holds none, the end its
 * statements carry, or `unbounded` when a statement carries none (someone changed it). What the policy
 * grants is read from the managed policies when it is written, so a later revision of a managed policy by
 * AWS never makes idra's own grant look changed.
 */
type GrantState = { until: string | null };
type Statement = Record<string, unknown> & { Condition?: Record<string, Record<string, unknown>> };

const UNBOUNDED = 'unbounded';
const endOf = (statement: Statement) => statement.Condition?.DateLessThan?.['aws:CurrentTime'];

async function defaultStatements(aws: AwsContext, PolicyArn: string): Promise<Statement[]> {
  const what = `managed policy ${PolicyArn}`;
  const { Policy } = await awsCall(aws.iam.send(new GetPolicyCommand({ PolicyArn })), what);
  const { PolicyVersion } = await awsCall(
    aws.iam.send(new GetPolicyVersionCommand({ PolicyArn, VersionId: Policy?.DefaultVersionId })),
    what,
  );
  // IAM returns policy documents URL-encoded; a statement may be one object or a list.
  const document = JSON.parse(decodeURIComponent(PolicyVersion?.Document ?? '{}')) as { Statement?: unknown };
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  return statements.filter((statement): statement is Statement => typeof statement === 'object' && statement !== null);
}

/**
 * Each statement holds only before the grant's end: AWS itself stops honouring the grant then, whatever
 * idra's workers are doing (aws:CurrentTime is evaluated on every request). A statement already bounded in
 * time is refused: two values of one condition key are ORed by IAM, which would loosen its bound.
 */
function timeBoxed(statements: Statement[], endsAt: string, policyArns: string[]): unknown {
  if (statements.some((statement) => endOf(statement) !== undefined))
    throw stepFailure(
      'InvalidParams',
      `a statement of ${policyArns.join(', ')} is already bounded by aws:CurrentTime: it cannot be granted time-boxed`,
    );
  return {
    Version: '2012-10-17',
    Statement: statements.map((statement, index) => ({
      ...statement,
      Sid: `IdraJit${index}`,
      Condition: {
        ...statement.Condition,
        DateLessThan: { ...statement.Condition?.DateLessThan, 'aws:CurrentTime': endsAt },
      },
    })),
  };
}

/** Where the grant's inline policy lives: its name on the user or on the role. */
function policyAt({ account, principal, policyName }: GrantParams): PolicyParams {
  return principal.type === 'user'
    ? { account, policyName, userName: principal.name }
    : { account, policyName, roleName: principal.name };
}

/** A just-in-time grant: the privilege's managed policies as one time-boxed inline policy on the user or role. */
export function identityGrantTimeBoxed(
  aws: AwsContext,
): Action<ParamsOf<typeof awsIdentityGrantTimeBoxed>, GrantState> {
  const inline = { user: new InlinePolicy(aws, 'user'), role: new InlinePolicy(aws, 'role') };
  return {
    spec: awsIdentityGrantTimeBoxed,
    read: async (params) => {
      const { policy } = await inline[params.principal.type].read(policyAt(params));
      if (policy === null) return { until: null };
      const statements = (policy as { Statement?: Statement[] }).Statement ?? [];
      const ends = new Set(statements.map((statement) => endOf(statement) ?? UNBOUNDED));
      const [until] = ends;
      return { until: ends.size === 1 && typeof until === 'string' ? until : UNBOUNDED };
    },
    desired: ({ endsAt }) => {
      if (!endsAt)
        throw stepFailure('InvalidParams', 'aws.identity.grantTimeBoxed needs the end of its grant (endsAt)');
      return { until: endsAt };
    },
    write: async (params, { until }) => {
      const policy = inline[params.principal.type];
      if (until === null) return policy.write(policyAt(params), { policy: null });
      if (until === UNBOUNDED)
        throw stepFailure('InvalidParams', `${params.policyName} cannot be written without an end`);
      const statements = (await Promise.all(params.policyArns.map((arn) => defaultStatements(aws, arn)))).flat();
      return policy.write(policyAt(params), { policy: timeBoxed(statements, until, params.policyArns) });
    },
  };
}
