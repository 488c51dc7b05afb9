import KcAdminClient from '@keycloak/keycloak-admin-client';
import type ClientRepresentation from '@keycloak/keycloak-admin-client/lib/defs/clientRepresentation';
import { z } from 'zod';
import { parseEnv } from '../../../config/parse-env';
import { classifyFault, type ProviderDialect, stepFailure } from '../../../activities/step-failure';

const keycloakEnvSchema = z.object({
  /** The Keycloak server, e.g. https://sso.example.com (its realms live under /realms/<name>). */
  IDRA_KEYCLOAK_URL: z.url({ protocol: /^https?$/ }),
  /** The realm whose agent clients the worker manages, where its own client is registered. */
  IDRA_KEYCLOAK_REALM: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, 'must be a realm name'),
  /** The worker's confidential client (client credentials; its service account holds the realm-management roles). */
  IDRA_KEYCLOAK_CLIENT_ID: z.string().min(1),
  IDRA_KEYCLOAK_CLIENT_SECRET: z.string().min(1),
  /**
   * The realm URL its agents' tokens name as issuer, when the worker reaches the admin API at another address
   * (an internal one) than agents do; default: IDRA_KEYCLOAK_URL/realms/IDRA_KEYCLOAK_REALM.
   */
  IDRA_KEYCLOAK_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  /** Where a rotated agent secret goes: AWS Secrets Manager (the AWS SDK's standard settings say which account). */
  IDRA_KEYCLOAK_SECRET_STORE: z.enum(['aws-secrets-manager']).optional(),
});

/** The admin API as one worker uses it: authenticated as its own client, in its one realm. */
export interface KeycloakContext {
  /** The realm URL its agents' tokens name as issuer. */
  issuer: string;
  realm: string;
  /** Where rotated agent secrets go; none configured: rotating is refused, saying so. */
  secretStore?: 'aws-secrets-manager';
  /** The admin client, with a fresh access token. */
  admin(): Promise<KcAdminClient>;
}

/** Re-authenticates well before the worker's own token (5 minutes by default) could expire mid-call. */
const TOKEN_REUSE_MS = 60_000;

export function createKeycloakContext(env: NodeJS.ProcessEnv = process.env): KeycloakContext {
  const config = parseEnv(keycloakEnvSchema, env, 'Keycloak worker configuration');
  const baseUrl = config.IDRA_KEYCLOAK_URL.replace(/\/+$/, '');
  const client = new KcAdminClient({ baseUrl, realmName: config.IDRA_KEYCLOAK_REALM });
  let authenticated: Promise<void> | undefined;
  let at = 0;
  return {
    issuer: (config.IDRA_KEYCLOAK_ISSUER ?? `${baseUrl}/realms/${config.IDRA_KEYCLOAK_REALM}`).replace(/\/+$/, ''),
    realm: config.IDRA_KEYCLOAK_REALM,
    ...(config.IDRA_KEYCLOAK_SECRET_STORE ? { secretStore: config.IDRA_KEYCLOAK_SECRET_STORE } : {}),
    admin: async () => {
      if (!authenticated || Date.now() - at > TOKEN_REUSE_MS) {
        at = Date.now();
        authenticated = keycloakCall(
          client.auth({
            grantType: 'client_credentials',
            clientId: config.IDRA_KEYCLOAK_CLIENT_ID,
            clientSecret: config.IDRA_KEYCLOAK_CLIENT_SECRET,
          }),
          `Keycloak realm ${config.IDRA_KEYCLOAK_REALM}`,
        );
        // A failed sign-in is tried again on the next call rather than kept.
        authenticated.catch(() => (authenticated = undefined));
      }
      await authenticated;
      return client;
    },
  };
}

/** Refuses a step for an agent of another realm or server than the one this worker's client acts in. */
export function assertIssuer(context: KeycloakContext, issuer: string): void {
  if (issuer.replace(/\/+$/, '') !== context.issuer) {
    throw stepFailure(
      'WrongAccount',
      `this worker acts in Keycloak realm ${context.issuer}, but the step targets ${issuer}`,
    );
  }
}

/** Keycloak answers with HTTP statuses alone (its error bodies carry words, not codes). */
const KEYCLOAK: ProviderDialect = { name: 'Keycloak', codes: {} };

/** The facts of a failed admin call: the admin client's NetworkError carries the response; fetch's own fail has none. */
function keycloakFault(error: unknown): { status?: number; message: string; retryAfterMs?: number } {
  const failure = error as {
    response?: { status?: number; headers?: { get?(name: string): string | null } };
    responseData?: unknown;
    message?: string;
  };
  const data = failure.responseData as
    { error?: string; errorMessage?: string; error_description?: string } | undefined;
  const retryAfter = Number(failure.response?.headers?.get?.('retry-after'));
  const message =
    [data?.errorMessage ?? data?.error, data?.error_description].filter(Boolean).join(': ') ||
    (failure.message ?? String(error));
  return { status: failure.response?.status, message, ...(retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}) };
}

/** Awaits an admin call; a failure is sorted into the step vocabulary (activities/step-failure.ts). */
export async function keycloakCall<T>(call: Promise<T>, what: string): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw classifyFault(keycloakFault(error), what, KEYCLOAK);
  }
}

/** The agent's client (its representation and internal id); a client id the realm does not have is refused. */
export async function findClient(
  context: KeycloakContext,
  params: { issuer: string; clientId: string },
): Promise<ClientRepresentation & { id: string }> {
  assertIssuer(context, params.issuer);
  const admin = await context.admin();
  const found = await keycloakCall(
    admin.clients.find({ clientId: params.clientId }),
    `agent client ${params.clientId}`,
  );
  const client = found.find((candidate) => candidate.clientId === params.clientId);
  if (!client?.id)
    throw stepFailure('NoSuchEntity', `agent client ${params.clientId} does not exist in realm ${context.realm}`);
  return client as ClientRepresentation & { id: string };
}

/**
 * Keycloak stores a client as one record and writes it back whole, its cache invalidated per write: steps on
 * one agent's client change it one at a time (Action.exclusiveKey), or one loses the other's change.
 */
export const oneClientAtATime = (params: { clientId: string }) => `keycloak client ${params.clientId}`;
