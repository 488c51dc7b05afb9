import type { ProviderDefinition } from '../provider';
import { GCP_ACTIONS } from './actions';
import { GCP_IDENTITY_KINDS, gcpInventoryMatch } from './identity';

/** GCP IAM: service accounts and their keys, in the projects the worker's credentials may act on. */
export const gcpProvider: ProviderDefinition = {
  id: 'gcp',
  name: 'GCP',
  kinds: GCP_IDENTITY_KINDS,
  actions: GCP_ACTIONS,
  inventoryMatch: gcpInventoryMatch,
  // Reading the account (its description is shown in status) before acting.
  basePermissions: ['iam.serviceAccounts.get'],
  // A custom role (gcloud iam roles create idraWorker --project=P --file=role.json) granted to the worker's account.
  workerPolicy: (permissions) => ({
    title: 'idra GCP worker',
    description: 'What the idra GCP worker needs to contain, rotate and roll back service accounts and keys',
    stage: 'GA',
    includedPermissions: permissions,
  }),
  taskQueue: 'idra-gcp',
};
