import { Connection } from '@temporalio/client';
import { IdraClient } from '../clients/idra-client';
import { idraDataConverter } from '../codec/data-converter';
import { temporalTarget } from '../config/temporal-connection';
import { ingestConfigFromEnv } from './ingest-config';
import { createIngestServer } from './ingest-server';
import { ingestOptions } from './ingest-options';

/**
 * The `ingest` process role (`idra ingest`): the HTTP server detection systems push findings to. It connects
 * to Temporal lazily, so it starts (and answers 503) while Temporal is away, and takes findings once it is back.
 */
export async function runIngest(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const config = ingestConfigFromEnv(env);
  const { connectionOptions, namespace } = temporalTarget(env);
  const connection = Connection.lazy(connectionOptions);
  const idra = new IdraClient(connection, namespace, idraDataConverter());
  const server = createIngestServer(ingestOptions(config, (signal) => idra.respond(signal), env));
  const address = await server.listen({ host: config.host, port: config.port });
  console.log(`idra ingest listening on ${address}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      // In-flight findings finish (and are answered) before the connection to Temporal closes.
      void server.close().then(() => connection.close());
    });
}
