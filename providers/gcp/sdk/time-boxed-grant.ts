import { stepFailure } from '../../../activities/step-failure';
import type { Action } from '../../../activities/action';
import type { GcpContext } from './gcp-context';
import { type Held, MemberRoles, normalise } from './member-roles';
import type { ParamsOf } from '../../provider';
import { gcpServiceAccountGrantTimeBoxed } from '../actions';

type GrantParams = ParamsOf<typeof gcpServiceAccountGrantTimeBoxed>;
/** The account's bindings under this grant's condition title: the grant, and nothing else of the account's. */
type GrantState = { roles: Held[] };

/**
 * A just-in-time grant: the privilege's roles as conditional bindings that hold only while `request.time`
 * is before the grant's end, so IAM itself stops honouring them then, whatever idra's workers are doing.
 */
export function accountGrantTimeBoxed(
  gcp: GcpContext,
): Action<ParamsOf<typeof gcpServiceAccountGrantTimeBoxed>, GrantState> {
  const member = new MemberRoles(gcp);
  const ours = (params: GrantParams) => (held: Held) => held.condition?.title === params.title;
  return {
    spec: gcpServiceAccountGrantTimeBoxed,
    read: async (params) => ({ roles: (await member.read(params)).filter(ours(params)) }),
    desired: ({ roles, title, endsAt, grant }) => {
      if (!endsAt)
        throw stepFailure('InvalidParams', 'gcp.serviceAccount.grantTimeBoxed needs the end of its grant (endsAt)');
      const condition = {
        title,
        description: `idra just-in-time ${grant ?? 'grant'}, until ${endsAt}`,
        expression: `request.time < timestamp("${endsAt}")`,
      };
      return { roles: normalise(roles.map((role) => ({ role, condition }))) };
    },
    write: (params, state) => member.write(params, state.roles, ours(params)),
  };
}
