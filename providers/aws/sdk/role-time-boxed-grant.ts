import { GetPolicyCommand, GetPolicyVersionCommand } from '@aws-sdk/client-iam';
import { stepFailure } from '../../../activities/step-failure';
import { actionSpec } from '../../catalog';
import type { Action } from '../../../activities/action';
import { awsCall, type AwsContext } from './aws-context';
import { InlinePolicy } from './inline-policy';

type GrantParams = {
  account: string;
  roleName: string;
  policyName: string;
  policyArns: string[];
  endsAt?: string;
  grant?: string;
};
/**
 * The grant's inline policy (null: none), and the statements the privilege's managed policies hold now:
 * what a grant gives is read from them, so it gives back exactly what standing access held.
 */
type GrantState = { policy: unknown; privilege: Statement[] };
type Statement = Record<string, unknown> & { Condition?: Record<string, Record<string, unknown>> };

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
 * idra's workers are doing (aws:CurrentTime is evaluated on every request).
 */
function timeBoxed(statements: Statement[], endsAt: string): unknown {
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

/** A just-in-time grant: the privilege's managed policies as one time-boxed inline policy on the role. */
export function roleGrantTimeBoxed(aws: AwsContext): Action<GrantParams, GrantState> {
  const inline = new InlinePolicy(aws, 'role');
  return {
    spec: actionSpec('aws.role.grantTimeBoxed'),
    read: async (params) => {
      const { policy } = await inline.read(params);
      const privilege = (await Promise.all(params.policyArns.map((arn) => defaultStatements(aws, arn)))).flat();
      return { policy, privilege };
    },
    desired: ({ endsAt }, { privilege }) => {
      if (!endsAt) throw stepFailure('InvalidParams', 'aws.role.grantTimeBoxed needs the end of its grant (endsAt)');
      return { policy: timeBoxed(privilege, endsAt), privilege };
    },
    write: (params, { policy }) => inline.write(params, { policy }),
  };
}
