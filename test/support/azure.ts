import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { seedAzure } from '../../infra/azure-emulator';
import { createAzureContext } from '../../providers/azure/sdk/azure-context';
import { scannerSignal } from './signals';

/** The subscriptions the Azure worker manages in tests, and the tenant of every test principal. */
export const AZURE_SUBSCRIPTIONS = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222'];
export const AZURE_TENANT = '33333333-3333-4333-8333-333333333333';

/** The official clients as an observer of the tests uses them: the worker's endpoints, a token of its own. */
export const azure = () => createAzureContext({ ...process.env, AZURE_ACCESS_TOKEN: 'test-observer' });

export interface AzurePrincipal {
  id: string;
  passwordKeyIds: string[];
}

export type Grant = { scope: string; role: string; condition?: string };

/** A fresh service principal (with client secrets and role assignments), so tests never share state. */
export async function createAzurePrincipal(
  options: { passwords?: number; roles?: Grant[]; managed?: boolean } = {},
): Promise<AzurePrincipal> {
  const seeded = await seedAzure(inject('azureEndpoint'), process.env.NODE_EXTRA_CA_CERTS ?? '', {
    tenant: AZURE_TENANT,
    principals: [
      {
        displayName: `ci-${randomUUID().slice(0, 6)}`,
        managed: options.managed,
        passwords: options.passwords ?? 1,
        roles: (options.roles ?? []).map((grant) => ({ ...grant, name: randomUUID() })),
      },
    ],
  });
  const principal = seeded.principals[0];
  if (!principal) throw new Error('the local Azure seeded no principal');
  return { id: principal.id, passwordKeyIds: principal.passwordKeyIds };
}

/** Makes the Azure worker (its token) lack exactly these operations in the local Azure (empty: none). */
export async function denyAzureOperations(operations: string[]): Promise<void> {
  const response = await fetch(`${inject('azureEndpoint')}/emulator/permissions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: process.env.AZURE_ACCESS_TOKEN, denied: operations }),
  });
  if (!response.ok) throw new Error(`the permission switch failed: ${response.status}`);
}

/** What the local Azure holds for a principal, read through the official clients. */
export async function azureState(principal: AzurePrincipal) {
  const { graph, arm } = azure();
  const read = (await graph.api(`/servicePrincipals/${principal.id}`).get()) as {
    accountEnabled: boolean;
    passwordCredentials: { keyId: string }[];
  };
  const assignments: { scope: string; role: string; name: string; condition?: string }[] = [];
  for (const subscription of AZURE_SUBSCRIPTIONS) {
    for await (const assignment of arm.roleAssignments.listForScope(`/subscriptions/${subscription}`, {
      filter: `principalId eq '${principal.id}'`,
    })) {
      assignments.push({
        scope: assignment.scope ?? '',
        role: assignment.roleDefinitionId?.split('/').pop() ?? '',
        name: assignment.name ?? '',
        ...(assignment.condition ? { condition: assignment.condition } : {}),
      });
    }
  }
  return {
    enabled: read.accountEnabled,
    passwords: read.passwordCredentials.map((credential) => credential.keyId).sort(),
    assignments: assignments.sort((a, b) => `${a.scope}/${a.name}`.localeCompare(`${b.scope}/${b.name}`)),
  };
}

/** A leaked client secret of a seeded principal, as a secret scanner would report it. */
export function azureSecretSignal(
  principal: AzurePrincipal,
  keyIndex = 0,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return scannerSignal(
    {
      provider: 'azure',
      kind: 'service_principal_secret',
      tenant: AZURE_TENANT,
      objectId: principal.id,
      keyId: principal.passwordKeyIds[keyIndex],
    },
    'high',
    {
      summary: 'Azure client secret committed to acme/infra',
      url: 'https://github.com/acme/infra/security/secret-scanning/4',
    },
    overrides,
  );
}

export const ROLES = {
  owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  storageBlobDataReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1',
} as const;

/** PIM's time-bound assignments of the principal, as its schedules say (a standing one has no end). */
export async function pimTimeBound(
  principal: AzurePrincipal,
): Promise<{ scope: string; role: string; endsAt: string }[]> {
  const found: { scope: string; role: string; endsAt: string }[] = [];
  for await (const schedule of azure().arm.roleAssignmentSchedules.listForScope(
    `/subscriptions/${AZURE_SUBSCRIPTIONS[0]}`,
    {
      filter: `principalId eq '${principal.id}'`,
    },
  ))
    if (schedule.endDateTime)
      found.push({
        scope: schedule.scope ?? '',
        role: schedule.roleDefinitionId?.split('/').pop() ?? '',
        endsAt: new Date(schedule.endDateTime).toISOString(),
      });
  return found;
}

/** PIM keeps an assignment at least 5 minutes; for this test's principal, 3 seconds. */
export async function shortPimMinimum(principal: AzurePrincipal): Promise<void> {
  const response = await fetch(`${inject('azureEndpoint')}/emulator/pim`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ principalId: principal.id, minimumSeconds: 3 }),
  });
  if (!response.ok) throw new Error(`the PIM switch failed: ${response.status}`);
}
