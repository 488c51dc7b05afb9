import { actionActivities } from '../activities/registry';
import type { StepActivity } from '../activities/run-action';
import { type StepBatchActivity, stepBatchActivities } from '../activities/step-batches';
import { describeActivityName } from '../api/engine-activities';
import type { Identity } from '../model/identity';
import type { IdentityFacts } from '../model/profile';
import { providerDefinition } from '../providers/catalog';
import type { ProviderWorker } from '../providers/provider-worker';
import { REGISTERED_PROVIDERS } from '../providers/registry';

export type ProviderActivity = StepActivity | StepBatchActivity | ((identity: Identity) => Promise<IdentityFacts>);

/** A provider's I/O half, from its registry entry (a typed, lazy import: a misnamed export fails to compile). */
async function loadProviderWorker(provider: string): Promise<ProviderWorker> {
  const registered = REGISTERED_PROVIDERS.find((candidate) => candidate.definition.id === provider);
  if (!registered) throw new Error(`unknown provider "${provider}"`);
  return (await registered.loadWorker()).createProviderWorker();
}

/**
 * The activities of a provider's worker: four per action (`<action>.<operation>`), the batches that run
 * several of them in one call (`<provider>.steps.<operation>`), and its describe. Refuses
 * a worker whose operations do not match its definition's actions one for one.
 */
export async function providerActivities(provider: string, actor: string): Promise<Record<string, ProviderActivity>> {
  const definition = providerDefinition(provider);
  const worker = await loadProviderWorker(provider);
  const specified = definition.actions.map((action) => action.name).sort();
  const implemented = worker.actions.map((action) => action.spec.name).sort();
  if (specified.join() !== implemented.join()) {
    throw new Error(
      `the ${provider} worker implements [${implemented.join(', ')}] but its definition lists [${specified.join(', ')}]`,
    );
  }
  const steps = actionActivities(worker.actions, actor);
  return { ...steps, ...stepBatchActivities(provider, steps), [describeActivityName(provider)]: worker.readFacts };
}
