import { z } from 'zod';
import { quoted } from './quoted';
import { DEFAULT_KIND, incidentIdOf, type ResponseKind } from './response-kinds';
import { SIGNAL_TYPE_KINDS, type SignalType } from './signal-types';
import { identityKind, PROVIDER_IDS } from '../providers/catalog';
import type { ProviderDefinition } from '../providers/provider';
import { PROVIDERS } from '../providers/registry';

/**
 * The identity a signal names: its provider, its kind, and the ids that pick exactly one credential or
 * principal (all strings). Each provider's kinds define the fields (providers/<id>/identity.ts).
 */
export interface Identity {
  provider: string;
  kind: string;
  [field: string]: string | undefined;
}

/** An enum-like union's error: says what is missing or which value is unknown, and lists the allowed ones. */
function unionError(field: 'kind' | 'provider', allowed: readonly string[]) {
  return (issue: { code?: string; input?: unknown }) => {
    if (issue.code !== 'invalid_union') return undefined;
    const value = (issue.input as Record<string, unknown> | undefined)?.[field];
    const [what, list] = field === 'kind' ? ['identity kind', 'one of'] : ['provider', 'supported'];
    return value === undefined
      ? `is required (${list}: ${allowed.join(', ')})`
      : `unknown ${what} ${quoted(value)} (${list}: ${allowed.join(', ')})`;
  };
}

// zod's unions take non-empty tuples; the registry's lists are checked non-empty by construction.
type Options = [z.ZodObject, ...z.ZodObject[]];

function providerIdentitySchema(provider: ProviderDefinition) {
  const kinds = provider.kinds.map((kind) => kind.schema) as Options;
  return z.discriminatedUnion('kind', kinds, {
    error: unionError(
      'kind',
      provider.kinds.map((kind) => kind.kind),
    ),
  });
}

/** The identity of a signal, validated by its provider's kind schema. */
export const identitySchema = z.discriminatedUnion(
  'provider',
  PROVIDERS.map(providerIdentitySchema) as unknown as Options,
  {
    error: unionError('provider', PROVIDER_IDS),
  },
) as unknown as z.ZodType<Identity>;

/**
 * The stable name of an identity: the same credential always gets the same key, so a second signal
 * about it joins the open response instead of starting another. It holds ids only, never evidence.
 */
export function identityKey(identity: Identity): string {
  return identityKind(identity).key(identity);
}

/** What the identity is, for people: shown in status output and audit exports. */
export function identityText(identity: Identity): string {
  return identityKind(identity).describe(identity);
}

/** The account (project, tenant) the identity lives in. */
export function identityAccount(identity: Identity): string {
  return identityKind(identity).account(identity);
}

/**
 * The incident id (workflow id) of the response a signal starts or joins: the identity's, with the kind
 * of response its type calls for (a second signal of that kind about the same credential joins the open one).
 */
export function incidentId(identity: Identity, kind: ResponseKind = DEFAULT_KIND): string {
  return incidentIdOf(identityKey(identity), kind);
}

/** The kind of response a signal's type calls for. */
export function kindOf(type: SignalType): ResponseKind {
  return SIGNAL_TYPE_KINDS[type];
}

/** The incident id of the response a signal starts or joins. */
export function incidentOfSignal(signal: { type: SignalType; identity: Identity }): string {
  return incidentId(signal.identity, kindOf(signal.type));
}
