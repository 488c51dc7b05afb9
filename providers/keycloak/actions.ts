import { z } from 'zod';
import type { Identity } from '../../model/identity';
import { defineAction, type ActionSpec, type BindContext, type BoundStep } from '../provider';
import { asAgent, keycloakClientId, keycloakIssuer } from './identity';

/**
 * The moment a step cuts tokens off at, in Keycloak's unit (seconds since the epoch). Keycloak keeps a token
 * whose issue time is not before it (`iat >= notBefore`), to the second, so the cut-off is the second after
 * the response's now: a token issued in the same second as the signal dies too (an agent asking again within
 * that second gets a token that is refused at once, and asks again).
 */
const notBefore = z.number().int().positive();
const clientParams = z.strictObject({ issuer: keycloakIssuer, clientId: keycloakClientId });
const cutOffParams = clientParams.extend({ notBefore });

function bindClient(identity: Identity, what: string): BoundStep {
  const { issuer, clientId } = asAgent(identity);
  return { target: `${what} of agent client ${clientId}`, params: { issuer, clientId } };
}

function bindCutOff(identity: Identity, { now }: BindContext, what: string): BoundStep {
  const bound = bindClient(identity, what);
  return { ...bound, params: { ...bound.params, notBefore: Math.floor(Date.parse(now) / 1000) + 1 } };
}

export const keycloakClientNarrowScopes = defineAction({
  name: 'keycloak.client.narrowScopes',
  provider: 'keycloak',
  summary:
    "Remove the agent client's write scopes (default and optional: names ending in :write, :admin or :delete) and invalidate its tokens issued before now (notBefore, pushed to its resource servers): it must fetch a new, narrower token; undo restores exactly the scopes removed and the previous notBefore",
  reversible: true,
  ocsfActivity: { apply: 8, compensate: 7 },
  permissions: ['manage-clients'],
  appliesTo: ['agent_client'],
  params: cutOffParams,
  bind: (identity, context) => bindCutOff(identity, context, 'write scopes and tokens'),
});

export const keycloakClientRevokeSessions = defineAction({
  name: 'keycloak.client.revokeSessions',
  provider: 'keycloak',
  summary:
    "Invalidate every token of the agent client issued before now (the client's notBefore, pushed to its resource servers): it must re-authenticate; undo restores the previous notBefore",
  reversible: true,
  ocsfActivity: { apply: 99, compensate: 99 },
  permissions: ['manage-clients'],
  appliesTo: ['agent_client'],
  params: cutOffParams,
  bind: (identity, context) => bindCutOff(identity, context, 'tokens'),
});

export const keycloakClientDisable = defineAction({
  name: 'keycloak.client.disable',
  provider: 'keycloak',
  summary:
    'Disable the agent client (its token requests answer invalid_client, its tokens introspect inactive); undo enables it again, if it was enabled',
  reversible: true,
  ocsfActivity: { apply: 5, compensate: 2 },
  permissions: ['manage-clients'],
  appliesTo: ['agent_client'],
  params: clientParams,
  bind: (identity) => bindClient(identity, 'the client'),
});

export const keycloakClientRotateSecret = defineAction({
  name: 'keycloak.client.rotateSecret',
  provider: 'keycloak',
  summary:
    "Regenerate the agent client's secret straight into the worker's secret store (AWS Secrets Manager: only the secret's ARN is recorded); the leaked secret stops working at once (irreversible: runs only after approval; a rollback leaves the new secret)",
  reversible: false,
  ocsfActivity: { apply: 99, compensate: 99 },
  permissions: ['manage-clients'],
  appliesTo: ['agent_client'],
  params: clientParams.extend({ secretName: z.string().regex(/^[\w/+=.@-]{1,512}$/) }),
  // One secret per response (its incident names the client, which may leak again later): the response's now.
  bind: (identity, { incident, now }) => {
    const bound = bindClient(identity, 'a new client secret');
    const at = now.replace(/[^\dT]/g, '').slice(0, 15);
    return { ...bound, params: { ...bound.params, secretName: `idra/rotated/${incident}/${at}` } };
  },
});

export const KEYCLOAK_ACTIONS: ActionSpec[] = [
  keycloakClientNarrowScopes,
  keycloakClientRevokeSessions,
  keycloakClientDisable,
  keycloakClientRotateSecret,
];
