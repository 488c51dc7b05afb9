import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepActivity } from '../activities/run-action';
import { ROUTES } from '../emulators/azure/server';
import type { Identity } from '../model/identity';
import type { PlannedStep, Receipt, StepInput } from '../model/response';
import { actionSpec, providerDefinition, workerPermissions } from '../providers/catalog';
import { providerActivities } from '../workers/provider-workers';
import { AZURE_SUBSCRIPTIONS, AZURE_TENANT, azure, type AzurePrincipal, azureState, createAzurePrincipal, denyAzureOperations, ROLES } from './support/azure';

const now = '2026-11-26T12:00:00.000Z';
const [SUB1, SUB2] = AZURE_SUBSCRIPTIONS as [string, string];
const principalIdentity = (principal: AzurePrincipal): Identity => ({ provider: 'azure', kind: 'service_principal', tenant: AZURE_TENANT, objectId: principal.id });
const secretIdentity = (principal: AzurePrincipal, index = 0): Identity => ({ provider: 'azure', kind: 'service_principal_secret', tenant: AZURE_TENANT, objectId: principal.id, keyId: principal.passwordKeyIds[index] });

describe('every Azure action through the official clients: snapshot, apply, verify, compensate restores the exact prior state', () => {
  let activities: Record<string, StepActivity>;
  beforeAll(async () => {
    activities = (await providerActivities('azure', 'test')) as Record<string, StepActivity>;
    // Least privilege: the worker holds exactly what `idra permissions azure` prints, nothing more.
    const granted = new Set(workerPermissions('azure'));
    await denyAzureOperations([...new Set(ROUTES.map((route) => route.operation))].filter((operation) => !granted.has(operation)));
  });
  afterAll(() => denyAzureOperations([]));

  const run = (operation: string, input: StepInput) => activities[`${input.step.action}.${operation}`]!(input);
  const stepFor = (action: string, identity: Identity, incident: string): PlannedStep => {
    const spec = actionSpec(action);
    return { index: 0, action, provider: spec.provider, reversible: spec.reversible, ...spec.bind(identity, { incident, now }) };
  };

  async function roundTrip(action: string, identity: Identity, principal: AzurePrincipal) {
    const incident = `idra-test-${principal.id}`;
    const step = stepFor(action, identity, incident);
    const before = await azureState(principal);
    const snapshot = await run('snapshot', { incident, step });
    const receipt = (await run('apply', { incident, step, before: snapshot })) as Receipt;
    await run('verify', { incident, step, before: snapshot });
    const applied = await azureState(principal);
    await run('apply', { incident, step, before: snapshot });
    expect(await azureState(principal)).toEqual(applied);
    const undone = (await run('compensate', { incident, step, before: snapshot, applied: receipt.changed })) as Receipt;
    expect(undone).toMatchObject({ operation: 'compensate', after: snapshot, changed: true });
    expect(await azureState(principal)).toEqual(before);
    return { before, applied, receipt };
  }

  it('covers every Azure action', () => {
    expect(providerDefinition('azure').actions.map((action) => action.name).sort()).toEqual(Object.keys(activities).filter((name) => name.endsWith('.apply')).map((name) => name.replace(/\.apply$/, '')).sort());
  });

  it('azure.roleAssignment.readOnly: write roles become Reader at the same scopes, in two subscriptions; undo re-creates them under their names', async () => {
    const rg = `/subscriptions/${SUB1}/resourceGroups/payments`;
    const principal = await createAzurePrincipal({ roles: [{ scope: `/subscriptions/${SUB1}`, role: 'Owner' }, { scope: rg, role: 'Contributor' }, { scope: `/subscriptions/${SUB2}`, role: 'Reader' }] });
    const other = await createAzurePrincipal({ roles: [{ scope: `/subscriptions/${SUB1}`, role: 'Contributor' }] });
    const otherBefore = await azureState(other);
    const { before, applied } = await roundTrip('azure.roleAssignment.readOnly', principalIdentity(principal), principal);
    expect(applied.assignments.map(({ scope, role }) => [scope, role])).toEqual([
      [rg, ROLES.reader],
      [`/subscriptions/${SUB1}`, ROLES.reader],
      [`/subscriptions/${SUB2}`, ROLES.reader],
    ].sort((a, b) => `${a[0]}`.localeCompare(`${b[0]}`)).sort());
    // The Reader it already held is kept as it was, not replaced.
    expect(applied.assignments).toContainEqual(before.assignments.find((assignment) => assignment.role === ROLES.reader));
    expect(await azureState(other)).toEqual(otherBefore);
  });

  it('azure.roleAssignment.remove: every assignment of the principal goes, and comes back exactly (condition included)', async () => {
    const principal = await createAzurePrincipal({ roles: [{ scope: `/subscriptions/${SUB2}/resourceGroups/data`, role: 'Storage Blob Data Contributor', condition: "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'" }, { scope: `/subscriptions/${SUB1}`, role: 'Contributor' }] });
    const { applied } = await roundTrip('azure.roleAssignment.remove', principalIdentity(principal), principal);
    expect(applied.assignments).toEqual([]);
  });

  it('azure.servicePrincipal.disable', async () => {
    const principal = await createAzurePrincipal();
    const { applied } = await roundTrip('azure.servicePrincipal.disable', principalIdentity(principal), principal);
    expect(applied.enabled).toBe(false);
  });

  it('azure.servicePrincipal.rotatePassword: the new secret goes into Key Vault; only references are recorded; undo removes both', async () => {
    const principal = await createAzurePrincipal({ passwords: 2 });
    const { applied, receipt } = await roundTrip('azure.servicePrincipal.rotatePassword', secretIdentity(principal), principal);
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
    await expect(run('compensate', { incident, step, before: snapshot })).rejects.toThrow('azure.servicePrincipal.removePassword cannot be undone');
  });
});
