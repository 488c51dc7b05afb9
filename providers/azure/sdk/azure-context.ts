import { AuthorizationManagementClient } from '@azure/arm-authorization';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { DefaultAzureCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { Client } from '@microsoft/microsoft-graph-client';
import type { ApplicationFailure } from '@temporalio/common';
import { classifyFault, type ProviderDialect, type ProviderFault, stepFailure } from '../../../activities/step-failure';
import { z } from 'zod';
import { parseEnv } from '../../../config/parse-env';

/** The Azure clients one worker acts with: the official ones, configured only by settings. */
export interface AzureContext {
  /** ARM authorization: role assignments by scope. */
  arm: AuthorizationManagementClient;
  /** Microsoft Graph: service principals and their credentials. */
  graph: Client;
  /** Where rotated client secrets go, so no secret value ever reaches workflow history. */
  vault(): SecretClient;
  /** The subscriptions whose role assignments the worker manages. */
  subscriptions: string[];
}

const guidList = z
  .string()
  .transform((text) =>
    text
      .split(',')
      .map((item) => item.trim().toLowerCase())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z
        .string()
        .regex(
          /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
          'must be subscription ids (GUIDs), comma-separated',
        ),
    ),
  );

const azureEnvSchema = z.object({
  AZURE_SUBSCRIPTION_IDS: guidList.default([]),
  IDRA_AZURE_ARM_ENDPOINT: z.url({ protocol: /^https$/ }).default('https://management.azure.com'),
  IDRA_AZURE_GRAPH_ENDPOINT: z.url({ protocol: /^https$/ }).default('https://graph.microsoft.com'),
  IDRA_AZURE_KEYVAULT_URL: z.url({ protocol: /^https$/ }).optional(),
  /** Key Vault checks that its authentication challenge names the vault's own domain; a vault behind another name may need it off. */
  IDRA_AZURE_KEYVAULT_CHALLENGE_CHECK: z.enum(['on', 'off']).default('on'),
  /** A static access token (e.g. `az account get-access-token`); default: DefaultAzureCredential (secret, certificate, workload or managed identity). */
  AZURE_ACCESS_TOKEN: z.string().min(1).optional(),
});

/** A credential that always hands out one token (a short-lived session of its own, or a local server's). */
function staticCredential(token: string): TokenCredential {
  return {
    getToken: (): Promise<AccessToken> => Promise.resolve({ token, expiresOnTimestamp: Date.now() + 3_600_000 }),
  };
}

export function createAzureContext(env: NodeJS.ProcessEnv = process.env): AzureContext {
  const config = parseEnv(azureEnvSchema, env, 'Azure worker configuration');
  const credential = config.AZURE_ACCESS_TOKEN
    ? staticCredential(config.AZURE_ACCESS_TOKEN)
    : new DefaultAzureCredential();
  const graphEndpoint = new URL(config.IDRA_AZURE_GRAPH_ENDPOINT);
  let vault: SecretClient | undefined;
  return {
    // Role assignments are addressed by scope; the client's own subscription is not used for them.
    arm: new AuthorizationManagementClient(
      credential,
      config.AZURE_SUBSCRIPTION_IDS[0] ?? '00000000-0000-0000-0000-000000000000',
      { endpoint: config.IDRA_AZURE_ARM_ENDPOINT },
    ),
    graph: Client.initWithMiddleware({
      baseUrl: graphEndpoint.origin,
      authProvider: {
        getAccessToken: async () => (await credential.getToken(`${graphEndpoint.origin}/.default`))?.token ?? '',
      },
      // The Graph client attaches tokens only to hosts it knows: Graph's own, and the one configured.
      customHosts: new Set([graphEndpoint.hostname]),
    }),
    vault: () => {
      if (!config.IDRA_AZURE_KEYVAULT_URL)
        throw stepFailure(
          'InvalidConfiguration',
          'no Key Vault configured for rotated client secrets: set IDRA_AZURE_KEYVAULT_URL',
        );
      vault ??= new SecretClient(config.IDRA_AZURE_KEYVAULT_URL, credential, {
        disableChallengeResourceVerification: config.IDRA_AZURE_KEYVAULT_CHALLENGE_CHECK === 'off',
      });
      return vault;
    },
    subscriptions: config.AZURE_SUBSCRIPTION_IDS,
  };
}

/** What failed, from whichever client shape it came in (ARM and Key Vault RestError, GraphError). */
function failureOf(error: unknown): ProviderFault {
  const failure = error as {
    statusCode?: number;
    code?: string;
    message?: string;
    response?: { headers?: { get?(name: string): string | null | undefined } };
    headers?: { get?(name: string): string | null | undefined };
  };
  const retryAfter = Number((failure.response?.headers ?? failure.headers)?.get?.('retry-after'));
  return {
    status: typeof failure.statusCode === 'number' ? failure.statusCode : undefined,
    code: typeof failure.code === 'string' ? failure.code : undefined,
    message: failure.message ?? String(error),
    ...(retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
  };
}

/** Azure's codes that say more than their status (ARM's and Graph's throttling, on 429 mostly). */
const AZURE: ProviderDialect = {
  name: 'Azure',
  codes: {
    TooManyRequests: 'Throttled',
    RequestThrottled: 'Throttled',
    throttledRequest: 'Throttled',
    ActivityLimitReached: 'Throttled',
  },
};

/** Sorts an Azure failure into the step vocabulary (activities/step-failure.ts). */
export function azureFailure(error: unknown, what: string): ApplicationFailure {
  return classifyFault(failureOf(error), what, AZURE);
}

export async function azureCall<T>(call: Promise<T>, what: string): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw azureFailure(error, what);
  }
}

/** The call's result, or undefined when the resource does not exist. */
export async function azureFind<T>(call: Promise<T>, what: string): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (failureOf(error).status === 404) return undefined;
    throw azureFailure(error, what);
  }
}
