import type { Action } from '../../../activities/action';
import { stepFailure } from '../../../activities/step-failure';
import { roleDefinitionGuid } from '../built-in-roles';
import { guidFor } from '../names';
import { type AzureContext, azureFailure } from './azure-context';
import { type TimeBound, timeBoundAssignments } from './role-schedules';
import type { ParamsOf } from '../../provider';
import { azureServicePrincipalGrantTimeBoxed } from '../actions';

type GrantParams = ParamsOf<typeof azureServicePrincipalGrantTimeBoxed>;
/** The principal's time-bound assignments where this grant gives a role: the grant, and nothing else of its. */
type GrantState = { grants: TimeBound[] };

const slot = (grant: Pick<TimeBound, 'scope' | 'role'>) => `${grant.scope.toLowerCase()}|${grant.role}`;
const sorted = (grants: TimeBound[]) => [...grants].sort((a, b) => slot(a).localeCompare(slot(b)));

/** Where each of the privilege's roles is granted: the scope its entry names (`Role@scope`), else each managed subscription. */
function targets(azure: AzureContext, roles: string[]): Pick<TimeBound, 'scope' | 'role'>[] {
  return roles.flatMap((entry) => {
    const [name = '', scope] = entry.split('@');
    const role = roleDefinitionGuid(name);
    if (!role) throw stepFailure('InvalidParams', `unknown Azure role "${name}"`);
    const managed = azure.subscriptions.map((subscription) => `/subscriptions/${subscription}`);
    // Only where the worker reads schedules: a grant elsewhere could be written but never seen, nor removed.
    if (scope && !managed.some((root) => scope.toLowerCase() === root || scope.toLowerCase().startsWith(`${root}/`)))
      throw stepFailure(
        'InvalidParams',
        `${scope} is not in a subscription the worker manages (AZURE_SUBSCRIPTION_IDS)`,
      );
    return (scope ? [scope] : managed).map((at) => ({ scope: at, role }));
  });
}

/**
 * A just-in-time grant through PIM: for each role and scope, an AdminAssign schedule request making a
 * time-bound active assignment that ends at the grant's end (`AfterDateTime`: exactly the end idra
 * recorded), so Azure itself ends it whatever idra's workers are doing; a new end is an AdminUpdate, early
 * removal an AdminRemove. (A service principal cannot be made eligible: this is its just-in-time.)
 */
export function principalGrantTimeBoxed(
  azure: AzureContext,
): Action<ParamsOf<typeof azureServicePrincipalGrantTimeBoxed>, GrantState> {
  /**
   * One schedule request, named after everything that makes it this request (principal, role, scope, type
   * and the end it sets or removes): a retry finds its own request, and no other grant's ever collides.
   */
  const request = async (
    params: GrantParams,
    grant: Pick<TimeBound, 'scope' | 'role'>,
    type: 'AdminAssign' | 'AdminUpdate' | 'AdminRemove',
    end: string,
  ) => {
    const what = `PIM ${type} of role ${grant.role} at ${grant.scope} for ${params.principalId}`;
    const name = guidFor(`${params.principalId}|${slot(grant)}|${type}|${end}`);
    const endsAt = type === 'AdminRemove' ? undefined : end;
    try {
      await azure.arm.roleAssignmentScheduleRequests.create(grant.scope, name, {
        principalId: params.principalId,
        roleDefinitionId: `${grant.scope}/providers/Microsoft.Authorization/roleDefinitions/${grant.role}`,
        requestType: type,
        justification: `idra just-in-time ${params.grant ?? 'grant'}`,
        ...(endsAt
          ? {
              scheduleInfo: {
                startDateTime: new Date(),
                expiration: { type: 'AfterDateTime', endDateTime: new Date(endsAt) },
              },
            }
          : {}),
      });
    } catch (error) {
      const failure = azureFailure(error, what);
      const { code } = error as { code?: string };
      // An earlier attempt of this very request (its answer lost): it is made.
      if (code === 'RoleAssignmentRequestExists') return;
      // Gone already: PIM ended it at its end while idra was asking to.
      if (type === 'AdminRemove' && code === 'RoleAssignmentDoesNotExist') return;
      // PIM keeps an active assignment at least 5 minutes: removal is retried until it allows it.
      if (type === 'AdminRemove' && code === 'ActiveDurationTooShort')
        throw stepFailure('Throttled', failure.message, 10_000);
      throw failure;
    }
  };
  return {
    spec: azureServicePrincipalGrantTimeBoxed,
    read: async (params) => {
      const wanted = new Set(targets(azure, params.roles).map(slot));
      const held = await timeBoundAssignments(azure, params.principalId);
      return { grants: sorted(held.filter((grant) => wanted.has(slot(grant)))) };
    },
    desired: (params) => {
      const { endsAt } = params;
      if (!endsAt)
        throw stepFailure('InvalidParams', 'azure.servicePrincipal.grantTimeBoxed needs the end of its grant (endsAt)');
      return { grants: sorted(targets(azure, params.roles).map((grant) => ({ ...grant, endsAt }))) };
    },
    write: async (params, state) => {
      const current = new Map(
        (await timeBoundAssignments(azure, params.principalId)).map((grant) => [slot(grant), grant]),
      );
      const wanted = new Map(state.grants.map((grant) => [slot(grant), grant]));
      for (const grant of targets(azure, params.roles)) {
        const held = current.get(slot(grant));
        const want = wanted.get(slot(grant));
        if (want && !held) await request(params, grant, 'AdminAssign', want.endsAt);
        else if (want && held && held.endsAt !== want.endsAt) await request(params, grant, 'AdminUpdate', want.endsAt);
        else if (!want && held) await request(params, grant, 'AdminRemove', held.endsAt);
      }
    },
  };
}
