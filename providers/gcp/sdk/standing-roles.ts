import type { Action } from '../../../activities/action';
import { actionSpec } from '../../catalog';
import type { GcpContext } from './gcp-context';
import { type Held, MemberRoles, type MemberParams } from './member-roles';

type StandingParams = MemberParams & { roles: string[] };
/** Which of the named roles the account holds without a condition: its standing privilege. */
type StandingState = { roles: Held[] };

/** Standing privilege off: the account's unconditional bindings of the privileged roles removed, its other roles kept. */
export function accountRemoveStandingRoles(gcp: GcpContext): Action<StandingParams, StandingState> {
  const member = new MemberRoles(gcp);
  const standing = (params: StandingParams) => (held: Held) => !held.condition && params.roles.includes(held.role);
  return {
    spec: actionSpec('gcp.serviceAccount.removeStandingRoles'),
    read: async (params) => ({ roles: (await member.read(params)).filter(standing(params)) }),
    desired: () => ({ roles: [] }),
    write: (params, state) => member.write(params, state.roles, standing(params)),
  };
}
