import { Connection } from '@temporalio/client';
import { z } from 'zod';
import { parseOrThrow } from '../model/validation';
import { idraDataConverter } from '../codec/data-converter';
import { IdraClient } from './idra-client';

const clientEnvSchema = z.object({
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
});

/** A client configured the way the workers are: TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE. */
export async function connectFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<{ idra: IdraClient; close: () => Promise<void> }> {
  const config = parseOrThrow(clientEnvSchema, env, 'client configuration');
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS }).catch((error: unknown) => {
    throw new Error(`cannot reach Temporal at ${config.TEMPORAL_ADDRESS} (set TEMPORAL_ADDRESS): ${(error as Error).message}`);
  });
  return { idra: new IdraClient(connection, config.TEMPORAL_NAMESPACE, idraDataConverter()), close: () => connection.close() };
}
