import type { Action } from '../../../activities/action';
import { actionSpec } from '../../catalog';
import { isWriteScope } from '../scopes';
import { findClient, type KeycloakContext, keycloakCall, oneClientAtATime } from './keycloak-context';
import { setNotBefore } from './not-before';

type NarrowParams = { issuer: string; clientId: string; notBefore: number };
/** A client's scopes by name (with their ids, to add one back), and its token cut-off. */
type ScopeState = { defaultScopes: Record<string, string>; optionalScopes: Record<string, string>; notBefore: number };

/** Scopes by name, in name order (so a snapshot compares equal whatever order Keycloak lists them in). */
function byName(scopes: { id?: string; name?: string }[]): Record<string, string> {
  const named = scopes.flatMap((scope): [string, string][] => (scope.id && scope.name ? [[scope.name, scope.id]] : []));
  return Object.fromEntries(named.sort(([a], [b]) => a.localeCompare(b)));
}
const withoutWrite = (scopes: Record<string, string>) =>
  Object.fromEntries(Object.entries(scopes).filter(([name]) => !isWriteScope(name)));

async function readScopes(context: KeycloakContext, params: NarrowParams): Promise<{ id: string; state: ScopeState }> {
  const client = await findClient(context, params);
  const admin = await context.admin();
  const what = `scopes of agent client ${params.clientId}`;
  const [defaults, optional] = await Promise.all([
    keycloakCall(admin.clients.listDefaultClientScopes({ id: client.id }), what),
    keycloakCall(admin.clients.listOptionalClientScopes({ id: client.id }), what),
  ]);
  return {
    id: client.id,
    state: { defaultScopes: byName(defaults), optionalScopes: byName(optional), notBefore: client.notBefore ?? 0 },
  };
}

/**
 * Narrows an agent's token scope: its write scopes leave the client (a new token carries only the rest; a
 * token request for a removed scope is refused `invalid_scope`), and its tokens issued before the response
 * stop working, since removing a scope leaves tokens already issued valid. Undo puts back exactly the scopes
 * removed and the previous cut-off; a scope someone else added or removed meanwhile is drift.
 */
export function clientNarrowScopes(context: KeycloakContext): Action<NarrowParams, ScopeState> {
  return {
    spec: actionSpec('keycloak.client.narrowScopes'),
    read: async (params) => (await readScopes(context, params)).state,
    desired: (params, before) => ({
      defaultScopes: withoutWrite(before.defaultScopes),
      optionalScopes: withoutWrite(before.optionalScopes),
      notBefore: Math.max(before.notBefore, params.notBefore),
    }),
    write: async (params, wanted) => {
      const { id, state } = await readScopes(context, params);
      const admin = await context.admin();
      const what = `scopes of agent client ${params.clientId}`;
      for (const [kind, current, target] of [
        ['default', state.defaultScopes, wanted.defaultScopes],
        ['optional', state.optionalScopes, wanted.optionalScopes],
      ] as const) {
        for (const [name, clientScopeId] of Object.entries(current)) {
          if (name in target) continue;
          await keycloakCall(
            kind === 'default'
              ? admin.clients.delDefaultClientScope({ id, clientScopeId })
              : admin.clients.delOptionalClientScope({ id, clientScopeId }),
            what,
          );
        }
        for (const [name, clientScopeId] of Object.entries(target)) {
          if (name in current) continue;
          await keycloakCall(
            kind === 'default'
              ? admin.clients.addDefaultClientScope({ id, clientScopeId })
              : admin.clients.addOptionalClientScope({ id, clientScopeId }),
            what,
          );
        }
      }
      await setNotBefore(context, params, wanted.notBefore);
    },
    exclusiveKey: oneClientAtATime,
  };
}
