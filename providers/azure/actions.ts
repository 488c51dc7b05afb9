import { z } from 'zod';
import type { Identity } from '../../model/identity';
import { defineAction, type ActionSpec, type BoundStep } from '../provider';
import { BUILT_IN_ROLE_NAMES, roleDefinitionGuid } from './built-in-roles';
import { asAzure, azureGuid, azureTenant, principalIdOf } from './identity';

const principalParams = z.strictObject({ tenant: azureTenant, principalId: azureGuid });
const secretParams = z.strictObject({ tenant: azureTenant, objectId: azureGuid, keyId: azureGuid });
const ALL = ['service_principal', 'service_principal_secret', 'managed_identity'];

/** Aims an action at the principal (for a secret: the principal it belongs to). */
function bindPrincipal(what: string) {
  return (identity: Identity): BoundStep => ({
    target: `${what} of service principal ${principalIdOf(identity)}`,
    params: { tenant: asAzure(identity).tenant, principalId: principalIdOf(identity) },
  });
}

/** Aims an action at exactly the client secret the signal names. */
function bindSecret(identity: Identity): BoundStep {
  const azure = asAzure(identity);
  if (azure.kind !== 'service_principal_secret')
    throw new Error(`expected an azure service_principal_secret identity, got ${azure.kind}`);
  return {
    target: `client secret ${azure.keyId} of service principal ${azure.objectId}`,
    params: { tenant: azure.tenant, objectId: azure.objectId, keyId: azure.keyId },
  };
}

const ROLE_ASSIGNMENT_PERMISSIONS = [
  'Microsoft.Authorization/roleAssignments/read',
  'Microsoft.Authorization/roleAssignments/write',
  'Microsoft.Authorization/roleAssignments/delete',
];

/** The role-assignment actions differ only in what they make of the assignments: their specs are alike. */
function roleAssignmentAction(name: string, summary: string) {
  return defineAction({
    name,
    provider: 'azure',
    summary,
    reversible: true,
    ocsfActivity: { apply: 8, compensate: 7 },
    permissions: ROLE_ASSIGNMENT_PERMISSIONS,
    appliesTo: ALL,
    params: principalParams,
    bind: bindPrincipal('role assignments'),
  });
}

/** A privilege entry: a built-in role's name or a role definition GUID, optionally `@` the scope it is granted at. */
const privilegeEntry = z
  .string()
  .regex(/^[^@]{1,100}(@\/subscriptions\/[0-9a-f-]{36}(\/[^@]+)?)?$/, 'must be a role, or role@scope')
  .refine((entry) => roleDefinitionGuid(entry.split('@')[0] ?? '') !== undefined, {
    message: `must name a built-in role (${BUILT_IN_ROLE_NAMES.join(', ')}) or a role definition GUID`,
  });

/** The role definition GUIDs of a just-in-time playbook's privileges: what standing privilege is. */
function privilegedRoles(privileges: Record<string, string[]>): string[] {
  const roles = Object.values(privileges)
    .flat()
    .map((entry) => roleDefinitionGuid(entry.split('@')[0] ?? ''))
    .filter((role): role is string => role !== undefined);
  return [...new Set(roles)].sort();
}

const PIM_PERMISSIONS = [
  'Microsoft.Authorization/roleAssignmentScheduleRequests/write',
  'Microsoft.Authorization/roleAssignmentSchedules/read',
];

export const azureServicePrincipalRemoveStandingRoles = defineAction({
  name: 'azure.servicePrincipal.removeStandingRoles',
  provider: 'azure',
  summary:
    "Remove the principal's standing assignments (those without an end) of the just-in-time playbook's privileged roles in the worker's subscriptions, its other roles kept; rollback re-creates them exactly",
  reversible: true,
  ocsfActivity: { apply: 8, compensate: 7 },
  permissions: [...ROLE_ASSIGNMENT_PERMISSIONS, 'Microsoft.Authorization/roleAssignmentSchedules/read'],
  appliesTo: ['service_principal', 'managed_identity'],
  params: principalParams.extend({ roles: z.array(azureGuid).min(1).max(20) }),
  bind: (identity, { privileges }) => {
    if (!privileges) return undefined;
    const roles = privilegedRoles(privileges);
    return {
      target: `standing assignments of roles ${roles.join(', ')} of service principal ${principalIdOf(identity)}`,
      params: { tenant: asAzure(identity).tenant, principalId: principalIdOf(identity), roles },
    };
  },
});

export const azureServicePrincipalGrantTimeBoxed = defineAction({
  name: 'azure.servicePrincipal.grantTimeBoxed',
  provider: 'azure',
  summary:
    "Grant the principal a privilege's roles as PIM time-bound active assignments (AdminAssign, ending at the grant's end) at each managed subscription or the entry's scope; removing them (AdminRemove) ends the grant early",
  reversible: true,
  ocsfActivity: { apply: 7, compensate: 8 },
  permissions: PIM_PERMISSIONS,
  appliesTo: ['service_principal', 'managed_identity'],
  timeBoxed: { grants: privilegeEntry, what: 'a built-in role name or role definition GUID, optionally @scope' },
  params: principalParams.extend({
    roles: z.array(privilegeEntry).min(1).max(10),
    endsAt: z.iso.datetime().optional(),
    grant: z.string().max(40).optional(),
  }),
  bind: (identity, { privilege }) => {
    if (!privilege) return undefined;
    return {
      target: `time-boxed ${privilege.name} grant to service principal ${principalIdOf(identity)}`,
      params: { tenant: asAzure(identity).tenant, principalId: principalIdOf(identity), roles: privilege.grants },
    };
  },
});

export const azureServicePrincipalDisable = defineAction({
  name: 'azure.servicePrincipal.disable',
  provider: 'azure',
  summary:
    'Disable the service principal (accountEnabled false: no new tokens); rollback enables it again if it was enabled',
  reversible: true,
  ocsfActivity: { apply: 5, compensate: 2 },
  permissions: ['graph:Application.ReadWrite.All'],
  // A managed identity's service principal is Azure's to manage: Graph refuses to update it.
  appliesTo: ['service_principal', 'service_principal_secret'],
  params: principalParams,
  bind: bindPrincipal('sign-in'),
});

export const azureServicePrincipalRotatePassword = defineAction({
  name: 'azure.servicePrincipal.rotatePassword',
  provider: 'azure',
  summary:
    'Add a new client secret and store it in Key Vault (only its id is recorded); rollback removes the new credential and the vault secret',
  reversible: true,
  credential: 'adds',
  permissions: [
    'graph:Application.ReadWrite.All',
    'Microsoft.KeyVault/vaults/secrets/setSecret/action',
    'Microsoft.KeyVault/vaults/secrets/readMetadata/action',
    'Microsoft.KeyVault/vaults/secrets/delete',
    'Microsoft.KeyVault/vaults/deletedsecrets/read',
    'Microsoft.KeyVault/vaults/deletedsecrets/delete',
  ],
  appliesTo: ['service_principal_secret'],
  params: secretParams.extend({ secretName: z.string().regex(/^[0-9a-zA-Z-]{1,127}$/) }),
  bind: (identity) => {
    const bound = bindSecret(identity);
    return {
      target: `a new client secret for service principal ${String(bound.params.objectId)} (replacing ${String(bound.params.keyId)})`,
      params: { ...bound.params, secretName: `idra-rotated-${String(bound.params.keyId)}` },
    };
  },
});

export const azureServicePrincipalRemovePassword = defineAction({
  name: 'azure.servicePrincipal.removePassword',
  provider: 'azure',
  summary: 'Remove exactly that client secret (irreversible: runs only after approval)',
  reversible: false,
  credential: 'removes',
  ocsfActivity: { apply: 6, compensate: 99 },
  permissions: ['graph:Application.ReadWrite.All'],
  appliesTo: ['service_principal_secret'],
  params: secretParams,
  bind: bindSecret,
});

export const azureRoleAssignmentReadOnly = roleAssignmentAction(
  'azure.roleAssignment.readOnly',
  "Drop write, keep read: in the worker's subscriptions, the principal's write role assignments (Owner, Contributor, ...) become Reader at the same scopes; rollback re-creates exactly the removed ones and removes only the ones it added",
);

export const azureRoleAssignmentRemove = roleAssignmentAction(
  'azure.roleAssignment.remove',
  "Quarantine: remove the principal's role assignments in the worker's subscriptions; rollback re-creates them exactly (same name, role, scope, condition)",
);

export const AZURE_ACTIONS: ActionSpec[] = [
  azureServicePrincipalRemoveStandingRoles,
  azureServicePrincipalGrantTimeBoxed,
  azureRoleAssignmentReadOnly,
  azureRoleAssignmentRemove,
  azureServicePrincipalDisable,
  azureServicePrincipalRotatePassword,
  azureServicePrincipalRemovePassword,
];
