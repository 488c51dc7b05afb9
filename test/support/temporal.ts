import { Connection } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { IdraClient } from '../../clients/idra-client';
import { LEAKED_AWS_ACCESS_KEY, type Playbook } from '../../policy/playbook';
import { workerConfigFromEnv } from '../../workers/config';
import { connectWorkers, createWorkers } from '../../workers/create-workers';
import { waitFor } from '../../infra/wait-for';
import type { ResponseState, ResponseView } from '../../model/response';

/** A typed client on the test server; `playbook` overrides the default (e.g. a short decision timeout). */
export async function connectIdra(playbook: Partial<Playbook> = {}): Promise<{ idra: IdraClient; close: () => Promise<void> }> {
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
  const idra = new IdraClient(connection, 'default', { ...LEAKED_AWS_ACCESS_KEY, ...playbook });
  return { idra, close: () => connection.close() };
}

/** The production workers, in this process, until `stop`. */
export async function runWorkers(): Promise<{ stop: () => Promise<void> }> {
  const config = workerConfigFromEnv();
  const connection = await connectWorkers(config);
  const workers: Worker[] = await createWorkers(config, connection);
  const running = Promise.all(workers.map((worker) => worker.run()));
  return {
    stop: async () => {
      for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await connection.close();
    },
  };
}

/** Waits until the response reaches a state (queried, so it reflects the workflow's own record). */
export function waitForState(idra: IdraClient, incident: string, state: ResponseState, timeoutMs = 30_000): Promise<ResponseView> {
  return waitFor(`${incident} to be ${state}`, async () => {
    const view = await idra.status(incident);
    return view.state === state ? view : undefined;
  }, timeoutMs);
}
