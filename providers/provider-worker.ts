import type { AnyAction } from '../activities/action';
import type { Identity } from '../model/identity';
import type { IdentityFacts } from '../model/profile';

/**
 * A provider's I/O half, what its `providers/<id>/worker.ts` builds with clients from the provider's
 * standard configuration (credentials, region, endpoint). Only the provider's own worker loads it.
 */
export interface ProviderWorker {
  /** The operations of each action of the provider's definition, one per action. */
  actions: AnyAction[];
  /** What the provider says about the identity (tags, credentials held), read-only. */
  readFacts: (identity: Identity) => Promise<IdentityFacts>;
}

/** The one export every `providers/<id>/worker.ts` has. */
export type CreateProviderWorker = () => ProviderWorker;
