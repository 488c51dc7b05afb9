import { awsProvider } from './aws/definition';
import { azureProvider } from './azure/definition';
import { gcpProvider } from './gcp/definition';
import type { ProviderDefinition } from './provider';

/**
 * The providers idra acts on: the one place a provider is registered. Everything else — the signal
 * schema, the inventory, the action catalog, `idra actions` and `idra permissions`, the workers and their
 * task queues, the audit — reads this list. A provider's I/O half is found by convention at
 * `providers/<id>/worker.ts` (see workers/provider-workers.ts), so workflow code never loads it.
 */
export const PROVIDERS: readonly ProviderDefinition[] = [awsProvider, gcpProvider, azureProvider];
