import type { Action } from '../../../activities/action';
import { findClient, type KeycloakContext, keycloakCall, oneClientAtATime } from './keycloak-context';
import { setNotBefore } from './not-before';
import type { ParamsOf } from '../../provider';
import { keycloakClientDisable, keycloakClientRevokeSessions } from '../actions';

/** Forces the agent to re-authenticate: its tokens issued before the response stop working. */
export function clientRevokeSessions(
  context: KeycloakContext,
): Action<ParamsOf<typeof keycloakClientRevokeSessions>, { notBefore: number }> {
  return {
    spec: keycloakClientRevokeSessions,
    read: async (params) => ({ notBefore: (await findClient(context, params)).notBefore ?? 0 }),
    desired: (params, before) => ({ notBefore: Math.max(before.notBefore, params.notBefore) }),
    write: (params, state) => setNotBefore(context, params, state.notBefore),
    exclusiveKey: oneClientAtATime,
  };
}

/** Quarantines the agent: no token is issued to it, and the ones it holds introspect inactive. */
export function clientDisable(
  context: KeycloakContext,
): Action<ParamsOf<typeof keycloakClientDisable>, { enabled: boolean }> {
  return {
    spec: keycloakClientDisable,
    read: async (params) => ({ enabled: (await findClient(context, params)).enabled !== false }),
    desired: () => ({ enabled: false }),
    write: async (params, state) => {
      const client = await findClient(context, params);
      const admin = await context.admin();
      // Only the field it changes (see not-before.ts).
      await keycloakCall(
        admin.clients.update({ id: client.id }, { enabled: state.enabled }),
        `agent client ${params.clientId}`,
      );
    },
    exclusiveKey: oneClientAtATime,
  };
}
