import type { AnyAction } from '../../activities/action';
import type { CreateProviderWorker } from '../provider-worker';
import { asGcp } from './identity';
import { accountDisable, accountName } from './sdk/account-status';
import { accountDeny } from './sdk/deny-policy';
import { createGcpContext, gcpCall } from './sdk/gcp-context';
import { keyDelete, keyDisable } from './sdk/key-status';
import { keyRotate } from './sdk/key-rotate';
import { accountReadOnly } from './sdk/read-only';
import { accountRemoveStandingRoles } from './sdk/standing-roles';
import { accountGrantTimeBoxed } from './sdk/time-boxed-grant';

/** The GCP worker: the official clients, from Application Default Credentials (or a static token) and an optional endpoint. */
export const createProviderWorker: CreateProviderWorker = () => {
  const gcp = createGcpContext();
  return {
    actions: [
      keyDisable(gcp),
      keyDelete(gcp),
      keyRotate(gcp),
      accountDisable(gcp),
      accountDeny(gcp),
      accountReadOnly(gcp),
      accountRemoveStandingRoles(gcp),
      accountGrantTimeBoxed(gcp),
    ] as AnyAction[],
    // Service accounts carry no labels: their profile comes from the inventory. Describing checks the account exists.
    readFacts: async (identity) => {
      const { project, email, kind } = asGcp(identity);
      const name = accountName({ project, email });
      await gcpCall(gcp.iam.projects.serviceAccounts.get({ name }), `service account ${email}`);
      if (kind !== 'service_account_key') return { tags: {} };
      const keys =
        (
          await gcpCall(
            gcp.iam.projects.serviceAccounts.keys.list({ name, keyTypes: ['USER_MANAGED'] }),
            `keys of ${email}`,
          )
        ).data.keys ?? [];
      return { tags: {}, credentials: keys.length };
    },
  };
};
