import type { Action } from '../../../activities/action';
import { stepFailure } from '../../../activities/step-failure';
import { isWriteScope } from '../scopes';
import { findClient, type KeycloakContext, keycloakCall, oneClientAtATime } from './keycloak-context';
import { setNotBefore } from './not-before';
import type { ParamsOf } from '../../provider';
import { keycloakClientNarrowScopes } from '../actions';

type NarrowParams = ParamsOf<typeof keycloakClientNarrowScopes>;
/** A client's scopes by name (as receipts and the audit show them), and its token cut-off. */
type ScopeState = { defaultScopes: string[]; optionalScopes: string[]; notBefore: number };
type Scope = { id?: string; name?: string };

/** Names in order, so a snapshot compares equal whatever order Keycloak lists them in. */
const names = (scopes: Scope[]) => scopes.flatMap((scope) => (scope.name ? [scope.name] : [])).sort();

async function readScopes(context: KeycloakContext, params: NarrowParams) {
  const client = await findClient(context, params);
  const admin = await context.admin();
  const what = `scopes of agent client ${params.clientId}`;
  const [defaults, optional] = await Promise.all([
    keycloakCall(admin.clients.listDefaultClientScopes({ id: client.id }), what),
    keycloakCall(admin.clients.listOptionalClientScopes({ id: client.id }), what),
  ]);
  const state: ScopeState = {
    defaultScopes: names(defaults),
    optionalScopes: names(optional),
    notBefore: client.notBefore ?? 0,
  };
  return { id: client.id, defaults, optional, state };
}

/**
 * Narrows an agent's token scope: its write scopes leave the client (a new token carries only the rest; a
 * token request for a removed scope is refused `invalid_scope`), and its tokens issued before the response
 * stop working, since removing a scope leaves tokens already issued valid. Undo puts back exactly the scopes
 * removed and the previous cut-off; a scope someone else added or removed meanwhile is drift.
 */
export function clientNarrowScopes(
  context: KeycloakContext,
): Action<ParamsOf<typeof keycloakClientNarrowScopes>, ScopeState> {
  return {
    spec: keycloakClientNarrowScopes,
    read: async (params) => (await readScopes(context, params)).state,
    desired: (params, before) => ({
      defaultScopes: before.defaultScopes.filter((name) => !isWriteScope(name)),
      optionalScopes: before.optionalScopes.filter((name) => !isWriteScope(name)),
      notBefore: Math.max(before.notBefore, params.notBefore),
    }),
    write: async (params, wanted) => {
      const { id, defaults, optional } = await readScopes(context, params);
      const admin = await context.admin();
      const what = `scopes of agent client ${params.clientId}`;
      // A scope to put back is found by its name among the realm's client scopes.
      let realmScopes: Scope[] | undefined;
      const scopeNamed = async (name: string) => {
        realmScopes ??= await keycloakCall(admin.clientScopes.find(), `client scopes of realm ${context.realm}`);
        const scope = realmScopes.find((candidate) => candidate.name === name);
        if (!scope?.id)
          throw stepFailure('NoSuchEntity', `client scope ${name} no longer exists in realm ${context.realm}`);
        return scope.id;
      };
      for (const [kind, current, target] of [
        ['default', defaults, wanted.defaultScopes],
        ['optional', optional, wanted.optionalScopes],
      ] as const) {
        for (const scope of current) {
          if (!scope.id || !scope.name || target.includes(scope.name)) continue;
          const unlink = { id, clientScopeId: scope.id };
          await keycloakCall(
            kind === 'default'
              ? admin.clients.delDefaultClientScope(unlink)
              : admin.clients.delOptionalClientScope(unlink),
            what,
          );
        }
        for (const name of target.filter((wantedName) => !names(current).includes(wantedName))) {
          const link = { id, clientScopeId: await scopeNamed(name) };
          await keycloakCall(
            kind === 'default' ? admin.clients.addDefaultClientScope(link) : admin.clients.addOptionalClientScope(link),
            what,
          );
        }
      }
      await setNotBefore(context, params, wanted.notBefore);
    },
    exclusiveKey: oneClientAtATime,
  };
}
