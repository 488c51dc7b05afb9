import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { ClientConnectConfig } from '@temporalio/envconfig';

export interface TemporalTarget {
  connectionOptions: ClientConnectConfig['connectionOptions'] & { address: string };
  namespace: string;
}

/**
 * Where and how workers and clients reach Temporal, from Temporal's standard environment configuration:
 * TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_* (client certificate and key for
 * mTLS, server CA, server name), TEMPORAL_PROFILE and TEMPORAL_CONFIG_FILE (a TOML profile file).
 */
export function temporalTarget(env: NodeJS.ProcessEnv = process.env): TemporalTarget {
  const overrideEnvVars = Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const { connectionOptions, namespace } = loadClientConnectConfig({ overrideEnvVars });
  return {
    connectionOptions: { ...connectionOptions, address: connectionOptions.address ?? '127.0.0.1:7233' },
    namespace: namespace ?? 'default',
  };
}
