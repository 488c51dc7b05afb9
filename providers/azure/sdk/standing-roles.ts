import type { Action } from '../../../activities/action';
import type { AzureContext } from './azure-context';
import { type AssignmentState, readAssignments, roleOf, writeAssignments } from './role-assignments';
import { timeBoundAssignments } from './role-schedules';
import type { ParamsOf } from '../../provider';
import { azureServicePrincipalRemoveStandingRoles } from '../actions';

type StandingParams = ParamsOf<typeof azureServicePrincipalRemoveStandingRoles>;

/**
 * The principal's standing assignments of the privileged roles: those without an end. A time-bound one
 * (a just-in-time grant PIM ends by itself) is not standing privilege, and is never taken away here.
 */
async function standing(azure: AzureContext, params: StandingParams): Promise<AssignmentState> {
  const [{ assignments }, timeBound] = await Promise.all([
    readAssignments(azure, params),
    timeBoundAssignments(azure, params.principalId),
  ]);
  const bounded = new Set(timeBound.map((grant) => `${grant.scope.toLowerCase()}|${grant.role}`));
  return {
    assignments: assignments.filter(
      (assignment) =>
        params.roles.includes(roleOf(assignment)) &&
        !bounded.has(`${assignment.scope.toLowerCase()}|${roleOf(assignment)}`),
    ),
  };
}

/** Standing privilege off: the principal's standing assignments of the privileged roles removed, its others kept. */
export function principalRemoveStandingRoles(
  azure: AzureContext,
): Action<ParamsOf<typeof azureServicePrincipalRemoveStandingRoles>, AssignmentState> {
  return {
    spec: azureServicePrincipalRemoveStandingRoles,
    read: (params) => standing(azure, params),
    desired: () => ({ assignments: [] }),
    write: (params, state) => writeAssignments(azure, params, state, (context) => standing(context, params)),
  };
}
