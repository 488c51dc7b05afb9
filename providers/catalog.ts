import type { Identity } from '../model/identity';
import type { ActionSpec, IdentityKind, ProviderDefinition } from './provider';
import { PROVIDERS } from './registry';

export const PROVIDER_IDS: readonly string[] = PROVIDERS.map((provider) => provider.id);

/** Every identity kind name of every provider, for playbooks' `match.kinds`. */
export const IDENTITY_KINDS: readonly string[] = [
  ...new Set(PROVIDERS.flatMap((provider) => provider.kinds.map((kind) => kind.kind))),
];

/** Every action of every provider, by name. */
export const ACTION_CATALOG: ReadonlyMap<string, ActionSpec> = new Map(
  PROVIDERS.flatMap((provider) => provider.actions.map((action) => [action.name, action] as const)),
);

export function providerDefinition(id: string): ProviderDefinition {
  const provider = PROVIDERS.find((candidate) => candidate.id === id);
  if (!provider) throw new Error(`unknown provider "${id}" (known: ${PROVIDER_IDS.join(', ')})`);
  return provider;
}

export function actionSpec(actionName: string): ActionSpec {
  const spec = ACTION_CATALOG.get(actionName);
  if (!spec) throw new Error(`unknown action "${actionName}" (known: ${[...ACTION_CATALOG.keys()].join(', ')})`);
  return spec;
}

/** The definition of a validated identity's kind. */
export function identityKind(identity: Identity): IdentityKind {
  const kind = providerDefinition(identity.provider).kinds.find((candidate) => candidate.kind === identity.kind);
  if (!kind) throw new Error(`unknown identity kind "${identity.kind}" of provider ${identity.provider}`);
  return kind;
}

/** Where a provider's actions run: only its workers poll it, and only they hold its credentials. */
export function providerTaskQueue(provider: string): string {
  return providerDefinition(provider).taskQueue;
}

/** Every permission a provider's worker needs: its base permissions and those of its actions. */
export function workerPermissions(provider: string): string[] {
  const definition = providerDefinition(provider);
  return [
    ...new Set([...definition.basePermissions, ...definition.actions.flatMap((action) => action.permissions)]),
  ].sort();
}
