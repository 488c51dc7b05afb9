import { describe, expect, it } from 'vitest';
import { ROUTES } from '../emulators/azure/server';
import type { Identity } from '../model/identity';
import {
  AZURE_SUBSCRIPTIONS,
  AZURE_TENANT,
  azure,
  type AzurePrincipal,
  azureState,
  createAzurePrincipal,
  denyAzureOperations,
  ROLES,
} from './support/azure';
import { useActionHarness } from './support/action-harness';

const [SUB1, SUB2] = AZURE_SUBSCRIPTIONS as [string, string];
const principalIdentity = (principal: AzurePrincipal): Identity => ({
  provider: 'azure',
  kind: 'service_principal',
  tenant: AZURE_TENANT,
  objectId: principal.id,
});
const secretIdentity = (principal: AzurePrincipal, index = 0): Identity => ({
  provider: 'azure',
  kind: 'service_principal_secret',
  tenant: AZURE_TENANT,
  objectId: principal.id,
  keyId: principal.passwordKeyIds[index],
});

describe('every Azure action through the official clients: snapshot, apply, verify, compensate restores the exact prior state', () => {
  const { run, stepFor, roundTrip, expectEveryAction } = useActionHarness('azure', {
    known: ROUTES.map((route) => route.operation),
    deny: denyAzureOperations,
  });

  it('covers every Azure action', expectEveryAction);

  it('azure.roleAssignment.readOnly: write roles become Reader at the same scopes, in two subscriptions; undo re-creates them under their names', async () => {
    const rg = `/subscriptions/${SUB1}/resourceGroups/payments`;
    const principal = await createAzurePrincipal({
      roles: [
        { scope: `/subscriptions/${SUB1}`, role: 'Owner' },
        { scope: rg, role: 'Contributor' },
        { scope: `/subscriptions/${SUB2}`, role: 'Reader' },
      ],
    });
    const other = await createAzurePrincipal({ roles: [{ scope: `/subscriptions/${SUB1}`, role: 'Contributor' }] });
    const otherBefore = await azureState(other);
    const { before, applied } = await roundTrip('azure.roleAssignment.readOnly', principalIdentity(principal), () =>
      azureState(principal),
    );
    expect(applied.assignments.map(({ scope, role }) => [scope, role])).toEqual(
      [
        [rg, ROLES.reader],
        [`/subscriptions/${SUB1}`, ROLES.reader],
        [`/subscriptions/${SUB2}`, ROLES.reader],
      ]
        .sort((a, b) => `${a[0]}`.localeCompare(`${b[0]}`))
        .sort(),
    );
    // The Reader it already held is kept as it was, not replaced.
    expect(applied.assignments).toContainEqual(
      before.assignments.find((assignment) => assignment.role === ROLES.reader),
    );
    expect(await azureState(other)).toEqual(otherBefore);
  });

  it('azure.roleAssignment.readOnly at resource scope: a data role on one storage account becomes its reader role there; undo is exact', async () => {
    const account = `/subscriptions/${SUB1}/resourceGroups/data/providers/Microsoft.Storage/storageAccounts/ledger`;
    const container = `${account}/blobServices/default/containers/logs`;
    const principal = await createAzurePrincipal({
      roles: [
        { scope: account, role: 'Storage Blob Data Contributor' },
        { scope: container, role: 'Storage Blob Data Owner' },
      ],
    });
    const { applied } = await roundTrip('azure.roleAssignment.readOnly', principalIdentity(principal), () =>
      azureState(principal),
    );
    // By scope: the assignments' names (random) do not decide the order.
    expect(applied.assignments.map(({ scope, role }) => [scope, role]).sort()).toEqual([
      [account, ROLES.storageBlobDataReader],
      [container, ROLES.storageBlobDataReader],
    ]);
  });

  it('azure.roleAssignment.remove: every assignment of the principal goes, and comes back exactly (condition included)', async () => {
    const principal = await createAzurePrincipal({
      roles: [
        {
          scope: `/subscriptions/${SUB2}/resourceGroups/data`,
          role: 'Storage Blob Data Contributor',
          condition: "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'",
        },
        { scope: `/subscriptions/${SUB1}`, role: 'Contributor' },
      ],
    });
    const { applied } = await roundTrip('azure.roleAssignment.remove', principalIdentity(principal), () =>
      azureState(principal),
    );
    expect(applied.assignments).toEqual([]);
  });

  it('azure.servicePrincipal.disable', async () => {
    const principal = await createAzurePrincipal();
    const { applied } = await roundTrip('azure.servicePrincipal.disable', principalIdentity(principal), () =>
      azureState(principal),
    );
    expect(applied.enabled).toBe(false);
  });

  it('azure.servicePrincipal.rotatePassword: the new secret goes into Key Vault; only references are recorded; undo removes both', async () => {
    const principal = await createAzurePrincipal({ passwords: 2 });
    const { applied, receipt } = await roundTrip(
      'azure.servicePrincipal.rotatePassword',
      secretIdentity(principal),
      () => azureState(principal),
    );
    const { newKeyId, vaultSecretId } = receipt.reference as { newKeyId: string; vaultSecretId: string };
    expect(applied.passwords).toEqual([...principal.passwordKeyIds, newKeyId].sort());
    expect(vaultSecretId).toMatch(new RegExp(`/secrets/idra-rotated-${principal.passwordKeyIds[0]}/[0-9a-f]{32}$`));
    expect(JSON.stringify(receipt)).not.toMatch(/secretText|"value"/);
    await expect(azure().vault().getSecret(`idra-rotated-${principal.passwordKeyIds[0]}`)).rejects.toThrow();
  });

  it('azure.servicePrincipal.removePassword: irreversible, exactly that secret', async () => {
    const principal = await createAzurePrincipal({ passwords: 2 });
    const incident = `idra-test-${principal.id}`;
    const step = stepFor('azure.servicePrincipal.removePassword', secretIdentity(principal, 1), incident);
    const snapshot = await run('snapshot', { incident, step });
    await run('apply', { incident, step, before: snapshot });
    expect((await azureState(principal)).passwords).toEqual([principal.passwordKeyIds[0]]);
    await expect(run('compensate', { incident, step, before: snapshot })).rejects.toThrow(
      'azure.servicePrincipal.removePassword cannot be undone',
    );
  });
});
