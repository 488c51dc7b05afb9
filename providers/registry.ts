import { awsProvider } from './aws/definition';
import { azureProvider } from './azure/definition';
import { gcpProvider } from './gcp/definition';
import { githubProvider } from './github/definition';
import { keycloakProvider } from './keycloak/definition';
import type { ProviderDefinition } from './provider';
import type { CreateProviderWorker } from './provider-worker';

/** One registered provider: its pure definition, and its I/O half, loaded only by the process that runs it. */
export interface RegisteredProvider {
  definition: ProviderDefinition;
  /** Its worker (SDK clients and operations): a lazy import, so nothing else ever loads a provider SDK. */
  loadWorker: () => Promise<{ createProviderWorker: CreateProviderWorker }>;
}

/**
 * The providers idra acts on: the one place a provider is registered. Everything else — the signal
 * schema, the inventory, the action catalog, `idra actions` and `idra permissions`, the workers and their
 * task queues, the audit — reads this list.
 */
export const REGISTERED_PROVIDERS: readonly RegisteredProvider[] = [
  { definition: awsProvider, loadWorker: () => import('./aws/worker') },
  { definition: gcpProvider, loadWorker: () => import('./gcp/worker') },
  { definition: azureProvider, loadWorker: () => import('./azure/worker') },
  { definition: keycloakProvider, loadWorker: () => import('./keycloak/worker') },
  { definition: githubProvider, loadWorker: () => import('./github/worker') },
];

/** Every provider's definition, in registration order. */
export const PROVIDERS: readonly ProviderDefinition[] = REGISTERED_PROVIDERS.map((provider) => provider.definition);
