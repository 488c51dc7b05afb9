import { z } from 'zod';
import type { Identity } from '../../model/identity';
import type { IdentityKind } from '../provider';

// Keycloak's names: a realm is named in the issuer URL (`<server>/realms/<realm>`); a client id is the
// name an agent registers under. Kept to characters that are safe in URLs, workflow ids and logs.
const REALM = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
const ISSUER_RULE = "must be the realm URL that issues the agent's tokens, e.g. https://sso.example.com/realms/agents";

/** An http(s) URL whose path ends in /realms/<realm>, with no query or fragment. */
function isRealmUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return /^https?:$/.test(url.protocol) && !url.search && !url.hash && REALM.test(realmOfIssuer(text) ?? '');
}

export const keycloakIssuer = z.string().refine(isRealmUrl, { error: ISSUER_RULE });
export const keycloakClientId = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.:@/-]{0,254}$/,
    'must be a client id (1-255 of letters, digits and _.:@/-, a letter or digit first)',
  );

/** The realm an issuer URL names: its last path segment after `/realms/`. */
export function realmOfIssuer(issuer: string): string | undefined {
  return /\/realms\/([^/?#]+)$/.exec(issuer)?.[1];
}

export const keycloakAgentIdentity = z.strictObject({
  provider: z.literal('keycloak'),
  kind: z.literal('agent_client'),
  issuer: keycloakIssuer,
  clientId: keycloakClientId,
});
export type KeycloakAgentIdentity = z.infer<typeof keycloakAgentIdentity>;

/** Identities reach provider code validated by the signal schema, so the cast only restores the type. */
export function asAgent(identity: Identity): KeycloakAgentIdentity {
  return identity as KeycloakAgentIdentity;
}

const realmOf = (identity: Identity) => realmOfIssuer(asAgent(identity).issuer) ?? '';

export const KEYCLOAK_IDENTITY_KINDS: IdentityKind[] = [
  {
    kind: 'agent_client',
    schema: keycloakAgentIdentity,
    key: (identity) => `keycloak-${realmOf(identity)}-${asAgent(identity).clientId}`,
    describe: (identity) =>
      `AI agent client ${asAgent(identity).clientId} of Keycloak realm ${realmOf(identity)} (${asAgent(identity).issuer})`,
    // The blast radius is counted per realm: one storm of agent signals cannot lock a whole realm out.
    account: realmOf,
    inventoryKey: (identity) => ({ realm: realmOf(identity), clientId: asAgent(identity).clientId }),
    ocsfUser: (identity) => ({
      name: asAgent(identity).clientId,
      uid: `${asAgent(identity).issuer}/clients/${asAgent(identity).clientId}`,
      type: 'OAuth Client',
    }),
  },
];

/** An inventory entry names an agent client of a realm. */
export const keycloakInventoryMatch = z.strictObject({
  provider: z.literal('keycloak'),
  realm: z.string().regex(REALM, 'must be a realm name'),
  clientId: keycloakClientId,
}) as unknown as z.ZodType<Record<string, string>>;
