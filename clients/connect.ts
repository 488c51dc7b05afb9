import { Connection } from '@temporalio/client';
import { z } from 'zod';
import { parseOrThrow } from '../model/validation';
import { localSigningSecret } from '../auth/auth-config';
import { mintAnalystToken } from '../auth/mint-token';
import { idraDataConverter } from '../codec/data-converter';
import { IdraClient } from './idra-client';

const clientEnvSchema = z.object({
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
});

/**
 * Where the CLI gets the analyst's token: IDRA_ANALYST_TOKEN (e.g. from SSO), or, on a machine with a local
 * signing secret (the demo), a short-lived token minted for that analyst and incident.
 */
function analystAssertions(env: NodeJS.ProcessEnv): (analyst: string, incident: string) => Promise<string | undefined> {
  return async (analyst, incident) => {
    if (env.IDRA_ANALYST_TOKEN) return env.IDRA_ANALYST_TOKEN;
    const secret = localSigningSecret(env);
    return secret ? mintAnalystToken(secret, { analyst, incident, ttl: '5m' }) : undefined;
  };
}

/** A client configured the way the workers are: TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE. */
export async function connectFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<{ idra: IdraClient; close: () => Promise<void> }> {
  const config = parseOrThrow(clientEnvSchema, env, 'client configuration');
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS }).catch((error: unknown) => {
    throw new Error(`cannot reach Temporal at ${config.TEMPORAL_ADDRESS} (set TEMPORAL_ADDRESS): ${(error as Error).message}`);
  });
  return { idra: new IdraClient(connection, config.TEMPORAL_NAMESPACE, idraDataConverter(), analystAssertions(env)), close: () => connection.close() };
}
