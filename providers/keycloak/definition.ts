import type { ProviderDefinition } from '../provider';
import { KEYCLOAK_ACTIONS } from './actions';
import { KEYCLOAK_IDENTITY_KINDS, keycloakInventoryMatch } from './identity';

/**
 * Keycloak, the OAuth authorization server AI agents get their tokens from: agents are its clients. The
 * worker acts in one realm, through the admin REST API, as a confidential client whose service account
 * holds only roles of the realm's `realm-management` client (never realm admin).
 */
export const keycloakProvider: ProviderDefinition = {
  id: 'keycloak',
  name: 'Keycloak',
  kinds: KEYCLOAK_IDENTITY_KINDS,
  actions: KEYCLOAK_ACTIONS,
  inventoryMatch: keycloakInventoryMatch,
  // Finding the agent's client and reading its scopes and attributes.
  basePermissions: ['view-clients'],
  workerPolicy: (permissions) => ({
    description: "Client roles of the realm's realm-management client, for the service account of idra's worker client",
    client: 'realm-management',
    roles: permissions,
  }),
  taskQueue: 'idra-keycloak',
};
