import { describe, expect, it } from 'vitest';
import { incidentId } from '../model/identity';
import type { Identity } from '../model/identity';
import type { ResponseView } from '../model/response';
import { ValidationError } from '../model/validation';
import {
  AZURE_SUBSCRIPTIONS,
  AZURE_TENANT,
  azure,
  azureSecretSignal,
  azureState,
  createAzurePrincipal,
  denyAzureOperations,
  ROLES,
} from './support/azure';
import { analyst, useIdra, waitForState } from './support/temporal';

const [SUB1, SUB2] = AZURE_SUBSCRIPTIONS as [string, string];
const vaultSecretExists = (name: string) =>
  azure()
    .vault()
    .getSecret(name)
    .then(
      () => true,
      () => false,
    );
const anomalySignal = (principalId: string) => ({
  ...azureSecretSignal({ id: principalId, passwordKeyIds: [] }),
  type: 'privilege.anomalous',
  identity: { provider: 'azure', kind: 'service_principal', tenant: AZURE_TENANT, objectId: principalId },
});

describe('Azure: a leaked client secret and a privilege anomaly, contained and rolled back exactly', () => {
  const env = useIdra();

  it('disables the principal and rotates its secret into Key Vault; rollback restores it exactly and removes the new secret', async () => {
    const principal = await createAzurePrincipal({
      passwords: 2,
      roles: [{ scope: `/subscriptions/${SUB1}`, role: 'Contributor' }],
    });
    const before = await azureState(principal);
    const { incident } = await env.idra.respond(azureSecretSignal(principal));

    const contained = await waitForState(env.idra, incident, 'awaiting_decision');
    expect(contained.plan?.playbook.id).toBe('test-azure-leak');
    const { newKeyId } = contained.changes.find((receipt) => receipt.action === 'azure.servicePrincipal.rotatePassword')
      ?.reference as { newKeyId: string };
    expect(await azureState(principal)).toEqual({
      ...before,
      enabled: false,
      passwords: [...before.passwords, newKeyId].sort(),
    });
    expect(await vaultSecretExists(`idra-rotated-${principal.passwordKeyIds[0]}`)).toBe(true);

    expect((await env.idra.rollback(incident, analyst)).state).toBe('rolled_back');
    expect(await azureState(principal)).toEqual(before);
    expect(await vaultSecretExists(`idra-rotated-${principal.passwordKeyIds[0]}`)).toBe(false);
  });

  it('approve removes the leaked secret (after approval only); the new one stays', async () => {
    const principal = await createAzurePrincipal({ passwords: 1 });
    const { incident } = await env.idra.respond(azureSecretSignal(principal));
    const contained = await waitForState(env.idra, incident, 'awaiting_decision');
    const { newKeyId } = contained.changes.find((receipt) => receipt.action === 'azure.servicePrincipal.rotatePassword')
      ?.reference as { newKeyId: string };
    expect((await env.idra.approve(incident, analyst)).state).toBe('confirmed');
    expect((await azureState(principal)).passwords).toEqual([newKeyId]);
  });

  it('privilege anomaly: write roles at two scopes become Reader, another principal untouched; rollback re-creates them exactly', async () => {
    const principal = await createAzurePrincipal({
      roles: [
        { scope: `/subscriptions/${SUB1}`, role: 'Owner' },
        { scope: `/subscriptions/${SUB2}/resourceGroups/etl`, role: 'Contributor' },
      ],
    });
    const other = await createAzurePrincipal({ roles: [{ scope: `/subscriptions/${SUB1}`, role: 'Owner' }] });
    const [before, otherBefore] = [await azureState(principal), await azureState(other)];
    const { incident } = await env.idra.respond(anomalySignal(principal.id));
    await waitForState(env.idra, incident, 'awaiting_decision');
    expect((await azureState(principal)).assignments.map((assignment) => [assignment.scope, assignment.role])).toEqual([
      [`/subscriptions/${SUB1}`, ROLES.reader],
      [`/subscriptions/${SUB2}/resourceGroups/etl`, ROLES.reader],
    ]);
    expect((await env.idra.rollback(incident, analyst)).state).toBe('rolled_back');
    expect(await azureState(principal)).toEqual(before);
    expect(await azureState(other)).toEqual(otherBefore);
  });

  it('drift: someone re-adds Contributor meanwhile; rollback leaves their change and asks an analyst', async () => {
    const principal = await createAzurePrincipal({ roles: [{ scope: `/subscriptions/${SUB1}`, role: 'Contributor' }] });
    const { incident } = await env.idra.respond(anomalySignal(principal.id));
    await waitForState(env.idra, incident, 'awaiting_decision');
    await azure().arm.roleAssignments.create(`/subscriptions/${SUB2}`, crypto.randomUUID(), {
      roleDefinitionId: `/subscriptions/${SUB2}/providers/Microsoft.Authorization/roleDefinitions/${ROLES.contributor}`,
      principalId: principal.id,
      principalType: 'ServicePrincipal',
    });
    const drifted = await azureState(principal);

    const final = await env.idra.rollback(incident, analyst);
    expect(final.state).toBe('needs_review');
    expect(final.changes.find((receipt) => receipt.operation === 'compensate')?.drift?.note).toBe(
      'changed by someone else since: left as found',
    );
    expect(await azureState(principal)).toEqual(drifted);
    expect((await env.idra.decide('confirm', incident, analyst)).state).toBe('rolled_back');
  });

  it.each([
    ['high', 'containment_failed'],
    ['critical', 'rolled_back'],
  ] as const)('the worker may not write to the vault, %s severity: hold vs rollback', async (severity, state) => {
    const principal = await createAzurePrincipal({
      passwords: 1,
      roles: [{ scope: `/subscriptions/${SUB1}`, role: 'Owner' }],
    });
    const before = await azureState(principal);
    await denyAzureOperations(['Microsoft.KeyVault/vaults/secrets/setSecret/action']);
    try {
      const { incident } = await env.idra.respond(azureSecretSignal(principal, 0, { severity }));
      const view: ResponseView = await waitForState(env.idra, incident, state);
      expect(view.failures).toEqual([
        expect.stringContaining('azure.servicePrincipal.rotatePassword on a new client secret') as string,
      ]);
      expect(view.failures[0]).toContain('not permitted on vault secret');
      if (state === 'containment_failed') {
        expect((await azureState(principal)).enabled).toBe(false);
        expect((await env.idra.rollback(incident, analyst)).state).toBe('rolled_back');
      }
      // The half-made credential (added, never stored) is gone too.
      expect(await azureState(principal)).toEqual(before);
    } finally {
      await denyAzureOperations([]);
    }
  });
});

describe('bad Azure signals are refused with a precise error and change nothing', () => {
  const env = useIdra();
  const objectId = '44444444-4444-4444-8444-444444444444';
  const keyId = '55555555-5555-4555-8555-555555555555';
  // A client secret's identity with some fields changed; a case naming another kind brings its own fields.
  const signal = (fields: Record<string, unknown>) => {
    const base = fields.kind
      ? { provider: 'azure', tenant: AZURE_TENANT }
      : { provider: 'azure', kind: 'service_principal_secret', tenant: AZURE_TENANT, objectId, keyId };
    return { ...azureSecretSignal({ id: objectId, passwordKeyIds: [keyId] }), identity: { ...base, ...fields } };
  };
  const cases: [string, Record<string, unknown>, string][] = [
    ['tenant not a GUID', { tenant: 'contoso.onmicrosoft.com' }, 'identity.tenant: must be a tenant id (a GUID)'],
    [
      'object id not a GUID',
      { objectId: 'ci-deployer' },
      'identity.objectId: must be a service principal object id (a GUID)',
    ],
    ['key id not a GUID', { keyId: 'abc' }, 'identity.keyId: must be a password credential key id (a GUID)'],
    ['missing key id', { keyId: undefined }, 'identity.keyId: is required'],
    ['missing tenant', { tenant: undefined }, 'identity.tenant: is required'],
    [
      'unknown kind',
      { kind: 'app_registration', objectId },
      'identity.kind: unknown identity kind "app_registration" (one of: service_principal, service_principal_secret, managed_identity)',
    ],
    [
      'managed identity without a subscription',
      { kind: 'managed_identity', principalId: objectId },
      'identity.subscription: is required',
    ],
    ['GCP fields on an Azure identity', { project: 'etl-prod-123' }, 'identity: unknown field(s) "project"'],
    [
      'app id not a GUID',
      { kind: 'service_principal', objectId, appId: 'my-app' },
      'identity.appId: must be an application (client) id (a GUID)',
    ],
    [
      'GUID with braces',
      { objectId: `{${objectId}}` },
      'identity.objectId: must be a service principal object id (a GUID)',
    ],
  ];

  it.each(cases)('%s', async (_name, identity, problem) => {
    const error = await env.idra.respond(signal(identity)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems).toEqual([problem]);
  });

  it('started nothing', async () => {
    const identity = {
      provider: 'azure',
      kind: 'service_principal_secret',
      tenant: AZURE_TENANT,
      objectId,
      keyId,
    } as Identity;
    await expect(env.idra.client.workflow.getHandle(incidentId(identity)).describe()).rejects.toThrow();
  });
});
