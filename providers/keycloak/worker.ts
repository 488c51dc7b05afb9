import type { AnyAction } from '../../activities/action';
import type { CreateProviderWorker } from '../provider-worker';
import { asAgent } from './identity';
import { clientDisable, clientRevokeSessions } from './sdk/client-access';
import { clientNarrowScopes } from './sdk/client-scopes';
import { clientRotateSecret } from './sdk/client-secret-rotate';
import { createKeycloakContext, findClient } from './sdk/keycloak-context';

/**
 * The Keycloak worker: the official admin client (@keycloak/keycloak-admin-client), signed in as the worker's
 * own confidential client (IDRA_KEYCLOAK_URL, IDRA_KEYCLOAK_REALM, IDRA_KEYCLOAK_CLIENT_ID,
 * IDRA_KEYCLOAK_CLIENT_SECRET); rotated agent secrets go to the store IDRA_KEYCLOAK_SECRET_STORE names.
 */
export const createProviderWorker: CreateProviderWorker = () => {
  const keycloak = createKeycloakContext();
  return {
    actions: [
      clientNarrowScopes(keycloak),
      clientRevokeSessions(keycloak),
      clientDisable(keycloak),
      clientRotateSecret(keycloak),
    ] as AnyAction[],
    // A client's string attributes are its tags (an agent may be able to edit its own client: the
    // inventory's trustedTags decides which count).
    readFacts: async (identity) => {
      const client = await findClient(keycloak, asAgent(identity));
      const tags = Object.fromEntries(
        Object.entries(client.attributes ?? {}).flatMap(([key, value]) =>
          typeof value === 'string' ? [[key, value]] : [],
        ),
      );
      return { tags };
    },
  };
};
