import path from 'node:path';
import { actionActivities } from '../activities/registry';
import type { StepActivity } from '../activities/run-action';
import { type StepBatchActivity, stepBatchActivities } from '../activities/step-batches';
import { describeActivityName } from '../api/engine-activities';
import type { Identity } from '../model/identity';
import type { IdentityFacts } from '../model/profile';
import { providerDefinition } from '../providers/catalog';
import type { CreateProviderWorker, ProviderWorker } from '../providers/provider-worker';

export type ProviderActivity = StepActivity | StepBatchActivity | ((identity: Identity) => Promise<IdentityFacts>);

/**
 * A provider's I/O half, loaded by convention from `providers/<id>/worker.ts` (its export
 * `createProviderWorker`), so that registering a provider stays one line in providers/registry.ts and no
 * workflow bundle ever pulls in a provider SDK.
 */
async function loadProviderWorker(provider: string): Promise<ProviderWorker> {
  // Beside this module: the sources under tsx, dist/ when compiled.
  const file = path.join(__dirname, '..', 'providers', provider, 'worker');
  const loaded = (await import(file)) as { createProviderWorker?: CreateProviderWorker };
  if (typeof loaded.createProviderWorker !== 'function') throw new Error(`${file}.ts must export createProviderWorker`);
  return loaded.createProviderWorker();
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
    throw new Error(`the ${provider} worker implements [${implemented.join(', ')}] but its definition lists [${specified.join(', ')}]`);
  }
  const steps = actionActivities(worker.actions, actor);
  return { ...steps, ...stepBatchActivities(provider, steps), [describeActivityName(provider)]: worker.readFacts };
}
