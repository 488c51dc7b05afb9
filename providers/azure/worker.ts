import type { AnyAction } from '../../activities/action';
import type { CreateProviderWorker } from '../provider-worker';
import { principalIdOf } from './identity';
import { azureCall, createAzureContext } from './sdk/azure-context';
import { roleAssignmentReadOnly, roleAssignmentRemove } from './sdk/role-assignments';
import { principalRemoveStandingRoles } from './sdk/standing-roles';
import { principalGrantTimeBoxed } from './sdk/time-boxed-grant';
import {
  servicePrincipalDisable,
  servicePrincipalRemovePassword,
  servicePrincipalRotatePassword,
} from './sdk/service-principal';

/** The Azure worker: ARM, Graph and Key Vault clients from DefaultAzureCredential (or a static token) and configured endpoints. */
export const createProviderWorker: CreateProviderWorker = () => {
  const azure = createAzureContext();
  return {
    actions: [
      roleAssignmentReadOnly(azure),
      roleAssignmentRemove(azure),
      principalRemoveStandingRoles(azure),
      principalGrantTimeBoxed(azure),
      servicePrincipalDisable(azure),
      servicePrincipalRotatePassword(azure),
      servicePrincipalRemovePassword(azure),
    ] as AnyAction[],
    // Service principals carry no idra profile: the inventory holds it. Describing checks the principal exists.
    readFacts: async (identity) => {
      const id = principalIdOf(identity);
      await azureCall(
        azure.graph.api(`/servicePrincipals/${id}`).select(['id']).get() as Promise<unknown>,
        `service principal ${id}`,
      );
      return { tags: {} };
    },
  };
};
