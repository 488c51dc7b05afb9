import type { Action } from '../../../activities/action';
import type { GcpContext } from './gcp-context';
import { type Held, MemberRoles } from './member-roles';
import type { ParamsOf } from '../../provider';
import { gcpServiceAccountRemoveStandingRoles } from '../actions';

type StandingParams = ParamsOf<typeof gcpServiceAccountRemoveStandingRoles>;
/** Which of the named roles the account holds without a condition: its standing privilege. */
type StandingState = { roles: Held[] };

/** Standing privilege off: the account's unconditional bindings of the privileged roles removed, its other roles kept. */
export function accountRemoveStandingRoles(
  gcp: GcpContext,
): Action<ParamsOf<typeof gcpServiceAccountRemoveStandingRoles>, StandingState> {
  const member = new MemberRoles(gcp);
  const standing = (params: StandingParams) => (held: Held) => !held.condition && params.roles.includes(held.role);
  return {
    spec: gcpServiceAccountRemoveStandingRoles,
    read: async (params) => ({ roles: (await member.read(params)).filter(standing(params)) }),
    desired: () => ({ roles: [] }),
    write: (params, state) => member.write(params, state.roles, standing(params)),
  };
}
