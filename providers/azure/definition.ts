import type { ProviderDefinition } from '../provider';
import { AZURE_ACTIONS } from './actions';
import { AZURE_IDENTITY_KINDS, azureInventoryMatch } from './identity';

const GRAPH = 'graph:';

/** Azure: Entra service principals (and managed identities), their client secrets and their ARM role assignments. */
export const azureProvider: ProviderDefinition = {
  id: 'azure',
  name: 'Azure',
  kinds: AZURE_IDENTITY_KINDS,
  actions: AZURE_ACTIONS,
  inventoryMatch: azureInventoryMatch,
  // Reading the principal (Graph) before acting.
  basePermissions: [`${GRAPH}Application.Read.All`],
  // A custom role for the ARM and Key Vault parts (az role definition create --role-definition), and the
  // Microsoft Graph application permissions to grant the worker's app.
  workerPolicy: (permissions) => ({
    customRole: {
      Name: 'idra Azure worker',
      Description:
        'What the idra Azure worker needs to contain and roll back role assignments and store rotated client secrets',
      Actions: permissions.filter((permission) => permission.startsWith('Microsoft.Authorization/')),
      DataActions: permissions.filter((permission) => permission.startsWith('Microsoft.KeyVault/')),
      AssignableScopes: ['/subscriptions/<subscription id>'],
    },
    graphApplicationPermissions: permissions
      .filter((permission) => permission.startsWith(GRAPH))
      .map((permission) => permission.slice(GRAPH.length)),
  }),
  taskQueue: 'idra-azure',
};
