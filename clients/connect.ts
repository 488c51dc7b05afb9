import { Connection } from '@temporalio/client';
import { temporalTarget } from '../config/temporal-connection';
import { localSigningSecret } from '../auth/auth-config';
import { idraDataConverter } from '../codec/data-converter';
import { IdraClient } from './idra-client';

/**
 * Where the CLI gets the analyst's token: IDRA_ANALYST_TOKEN (e.g. from SSO), or, on a machine with a local
 * signing secret (the demo), a short-lived token minted for that analyst and incident.
 */
function analystAssertions(env: NodeJS.ProcessEnv): (analyst: string, incident: string) => Promise<string | undefined> {
  return async (analyst, incident) => {
    if (env.IDRA_ANALYST_TOKEN) return env.IDRA_ANALYST_TOKEN;
    const secret = localSigningSecret(env);
    if (!secret) return undefined;
    // Loaded when a decision needs it: commands that only read start faster without the JWT library.
    const { mintAnalystToken } = await import('../auth/mint-token');
    return mintAnalystToken(secret, { analyst, incident, ttl: '5m' });
  };
}

/** A client configured the way the workers are (Temporal's standard environment configuration). */
export async function connectFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ idra: IdraClient; close: () => Promise<void> }> {
  const { connectionOptions, namespace } = temporalTarget(env);
  const connection = await Connection.connect(connectionOptions).catch((error: unknown) => {
    throw new Error(
      `cannot reach Temporal at ${connectionOptions.address} (set TEMPORAL_ADDRESS): ${(error as Error).message}`,
    );
  });
  return {
    idra: new IdraClient(connection, namespace, idraDataConverter(), analystAssertions(env)),
    close: () => connection.close(),
  };
}
