import type { Action } from '../../../activities/action';
import { readOnlyRole } from '../quarantine';
import type { GcpContext } from './gcp-context';
import { type Held, MemberRoles, normalise } from './member-roles';
import type { ParamsOf } from '../../provider';
import { gcpServiceAccountReadOnly } from '../actions';

/** This member's bindings only: everyone else's are not ours to track or restore. */
type RoleState = { roles: Held[] };

/** Drop write, keep read: replaces the account's roles on the project by their read-only counterparts. */
export function accountReadOnly(gcp: GcpContext): Action<ParamsOf<typeof gcpServiceAccountReadOnly>, RoleState> {
  const roles = new MemberRoles(gcp);
  return {
    spec: gcpServiceAccountReadOnly,
    read: async (params) => ({ roles: await roles.read(params) }),
    desired: (_params, before) => ({
      roles: normalise(
        before.roles.flatMap((held) => {
          const role = readOnlyRole(held.role);
          return role ? [{ ...held, role }] : [];
        }),
      ),
    }),
    write: (params, state) => roles.write(params, state.roles, () => true),
  };
}
