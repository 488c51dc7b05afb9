import { z } from 'zod';
import type { Identity } from '../../model/identity';
import type { IdentityKind } from '../provider';

// Entra ID and ARM name tenants, subscriptions and principals by GUID; idra keeps them lower-case so one
// principal always gets one incident.
const guid = (what: string) =>
  z
    .string()
    .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, `must be ${what} (a GUID)`)
    .transform((value) => value.toLowerCase());

export const azureTenant = guid('a tenant id');
export const azureGuid = guid('an object id');

export const azureServicePrincipalIdentity = z.strictObject({
  provider: z.literal('azure'),
  kind: z.literal('service_principal'),
  tenant: azureTenant,
  objectId: guid('a service principal object id'),
  appId: guid('an application (client) id').optional(),
});
export const azureServicePrincipalSecretIdentity = z.strictObject({
  provider: z.literal('azure'),
  kind: z.literal('service_principal_secret'),
  tenant: azureTenant,
  objectId: guid('a service principal object id'),
  keyId: guid('a password credential key id'),
});
export const azureManagedIdentity = z.strictObject({
  provider: z.literal('azure'),
  kind: z.literal('managed_identity'),
  tenant: azureTenant,
  subscription: guid('a subscription id'),
  principalId: guid('a principal id'),
});
export type AzureIdentity =
  | z.output<typeof azureServicePrincipalIdentity>
  | z.output<typeof azureServicePrincipalSecretIdentity>
  | z.output<typeof azureManagedIdentity>;

/** Identities reach provider code validated by the signal schema, so the cast only restores the type. */
export function asAzure(identity: Identity): AzureIdentity {
  return identity as AzureIdentity;
}

/** The principal's object id in Entra ID (a managed identity is a service principal too). */
export function principalIdOf(identity: Identity): string {
  const azure = asAzure(identity);
  return azure.kind === 'managed_identity' ? azure.principalId : azure.objectId;
}

const azureKind = {
  account: (identity: Identity) => asAzure(identity).tenant,
  inventoryKey: (identity: Identity): Record<string, string> => ({
    tenant: asAzure(identity).tenant,
    principalId: principalIdOf(identity),
  }),
  ocsfUser: (identity: Identity) => ({
    name: principalIdOf(identity),
    uid: `/tenants/${asAzure(identity).tenant}/servicePrincipals/${principalIdOf(identity)}`,
    type: 'Azure Service Principal',
  }),
};

export const AZURE_IDENTITY_KINDS: IdentityKind[] = [
  {
    kind: 'service_principal',
    schema: azureServicePrincipalIdentity,
    ...azureKind,
    key: (identity) => `azure-${asAzure(identity).tenant}-sp-${principalIdOf(identity)}`,
    describe: (identity) => `azure service principal ${principalIdOf(identity)} in tenant ${asAzure(identity).tenant}`,
  },
  {
    kind: 'service_principal_secret',
    schema: azureServicePrincipalSecretIdentity,
    ...azureKind,
    key: (identity) => `azure-${asAzure(identity).tenant}-secret-${identity.keyId ?? ''}`,
    describe: (identity) =>
      `azure client secret ${identity.keyId ?? ''} of service principal ${principalIdOf(identity)} in tenant ${asAzure(identity).tenant}`,
  },
  {
    kind: 'managed_identity',
    schema: azureManagedIdentity,
    ...azureKind,
    key: (identity) => `azure-${asAzure(identity).tenant}-mi-${principalIdOf(identity)}`,
    describe: (identity) =>
      `azure managed identity ${principalIdOf(identity)} (subscription ${identity.subscription ?? ''}) in tenant ${asAzure(identity).tenant}`,
  },
];

/** An inventory entry names a principal (its secrets included) in a tenant. */
export const azureInventoryMatch = z.strictObject({
  provider: z.literal('azure'),
  tenant: azureTenant,
  principalId: azureGuid,
}) as unknown as z.ZodType<Record<string, string>>;
