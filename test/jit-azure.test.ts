import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../infra/wait-for';
import {
  AZURE_SUBSCRIPTIONS,
  AZURE_TENANT,
  type AzurePrincipal,
  azure,
  azureState,
  createAzurePrincipal,
  pimTimeBound,
  ROLES,
  shortPimMinimum,
} from './support/azure';
import { privilegeAnomalousUseSignal } from './support/signals';
import { useIdra, waitForGrant, waitForState } from './support/temporal';

const SUBSCRIPTION = `/subscriptions/${AZURE_SUBSCRIPTIONS[0]}`;
const ask = { requester: 'deploy-bot@example.com', privilege: 'contributor', reason: 'release 7' };
const yes = (grant: string) => ({ grant, analyst: 'alice@example.com', reason: 'REL-7 checked' });

function principalSignal(principal: AzurePrincipal): Record<string, unknown> {
  return privilegeAnomalousUseSignal('unused', {
    identity: { provider: 'azure', kind: 'service_principal', tenant: AZURE_TENANT, objectId: principal.id },
  });
}

describe('just in time on Azure: a principal loses standing Contributor and gets it back through PIM, time-bound', () => {
  const env = useIdra();

  it("removes standing Contributor (Reader stays), grants it as a PIM assignment ending at the grant's end, removes it then; restore is exact", async () => {
    const principal = await createAzurePrincipal({
      roles: [
        { scope: SUBSCRIPTION, role: ROLES.contributor },
        { scope: SUBSCRIPTION, role: ROLES.reader },
      ],
    });
    const bystander = await createAzurePrincipal({ roles: [{ scope: SUBSCRIPTION, role: ROLES.contributor }] });
    const bystanderBefore = await azureState(bystander);
    await shortPimMinimum(principal);
    const before = await azureState(principal);
    const { incident } = await env.idra.respond(principalSignal(principal));
    await waitForState(env.idra, incident, 'on_jit');
    expect((await azureState(principal)).assignments.map((assignment) => assignment.role)).toEqual([ROLES.reader]);

    const { id } = await env.idra.jitRequest(incident, { ...ask, duration: '10s' });
    const grant = await env.idra.jitApprove(incident, yes(id));
    expect(grant.state).toBe('active');
    // Azure ends it by itself: the assignment's schedule ends at the grant's end.
    expect(await pimTimeBound(principal)).toEqual([
      { scope: SUBSCRIPTION, role: ROLES.contributor, endsAt: grant.endsAt },
    ]);
    expect((await azureState(principal)).assignments.map((assignment) => assignment.role).sort()).toEqual(
      [ROLES.contributor, ROLES.reader].sort(),
    );
    const expired = await waitForGrant(env.idra, incident, id, 'expired');
    expect(expired.jitGrants?.[0]?.endedBecause).toBe('its end came');
    // The watch (every second) left the grant alone meanwhile: a time-bound assignment is not standing privilege.
    expect(expired.tampering).toEqual([]);
    expect(await pimTimeBound(principal)).toEqual([]);

    // Early revoke: once PIM's minimum has passed, AdminRemove ends it at once.
    const second = await env.idra.jitApprove(
      incident,
      yes((await env.idra.jitRequest(incident, { ...ask, duration: '5m' })).id),
    );
    await waitFor(
      "PIM's minimum to pass",
      () => Promise.resolve(Date.now() > Date.parse(second.startedAt ?? '') + 3_500),
      10_000,
    );
    const revoked = await env.idra.jitRevoke(incident, {
      grant: second.id,
      analyst: 'bob@example.com',
      reason: 'done early',
    });
    expect(revoked.state).toBe('revoked');
    expect(await pimTimeBound(principal)).toEqual([]);

    const restored = await env.idra.decide('rollback', incident, { analyst: 'bob@example.com', reason: 'planned' });
    expect(restored.state).toBe('restored');
    expect(await azureState(principal)).toEqual(before);
    expect(await azureState(bystander)).toEqual(bystanderBefore);
  });

  it('standing Contributor someone assigns back during JIT is tampering: taken away again', async () => {
    const principal = await createAzurePrincipal({ roles: [{ scope: SUBSCRIPTION, role: ROLES.contributor }] });
    const { incident } = await env.idra.respond(principalSignal(principal));
    await waitForState(env.idra, incident, 'on_jit');
    await azure().arm.roleAssignments.create(SUBSCRIPTION, randomUUID(), {
      roleDefinitionId: `${SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/${ROLES.contributor}`,
      principalId: principal.id,
      principalType: 'ServicePrincipal',
    });
    const seen = await waitForState(env.idra, incident, 'on_jit', 30_000, (view) => view.tampering.length > 0);
    expect(seen.tampering[0]).toMatchObject({
      action: 'azure.servicePrincipal.removeStandingRoles',
      response: 'reapplied',
    });
    await waitFor(
      'the standing assignment to be taken away again',
      async () => (await azureState(principal)).assignments.length === 0,
      30_000,
    );
  });
});
