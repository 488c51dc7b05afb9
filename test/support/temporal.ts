import { afterAll, beforeAll } from 'vitest';
import { Connection } from '@temporalio/client';
import { IdraClient } from '../../clients/idra-client';
import { idraDataConverter } from '../../codec/data-converter';
import { readSecretFile } from '../../auth/auth-config';
import { mintAnalystToken } from '../../auth/mint-token';
import { temporalTarget } from '../../config/temporal-connection';
import { waitFor } from '../../infra/wait-for';
import type { GrantState } from '../../model/jit';
import type { ResponseView } from '../../model/response';
import type { ResponseState } from '../../model/response-states';
import { workerConfigFromEnv } from '../../workers/config';
import { createWorkers } from '../../workers/create-workers';

export const analyst = { analyst: 'alice@example.com', reason: 'verified: key was in a public commit' };

/** A token for an analyst, signed with the test secret the workers trust. */
export function analystToken(
  analyst: string,
  incident: string,
  options: { ttl?: string; audience?: string } = {},
): Promise<string> {
  return mintAnalystToken(readSecretFile(process.env.IDRA_AUTH_HS256_SECRET_FILE ?? ''), {
    analyst,
    incident,
    ...options,
  });
}

/** A typed client on the test server; decisions carry a token for the named analyst. */
export async function connectIdra(
  namespace = 'default',
  options: { signsDecisions?: boolean } = {},
): Promise<{ idra: IdraClient; close: () => Promise<void> }> {
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
  const tokens =
    options.signsDecisions === false
      ? undefined
      : (analyst: string, incident: string) => analystToken(analyst, incident);
  return { idra: new IdraClient(connection, namespace, idraDataConverter(), tokens), close: () => connection.close() };
}

/** The production workers, in this process, configured like production from the environment (plus overrides). */
export async function runWorkers(overrides: NodeJS.ProcessEnv = {}): Promise<{ stop: () => Promise<void> }> {
  const env = { ...process.env, ...overrides };
  const { workers, close } = await createWorkers(workerConfigFromEnv(env), temporalTarget(env));
  const running = Promise.all(workers.map((worker) => worker.run()));
  return {
    stop: async () => {
      for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await close();
    },
  };
}

/** Waits until the response reaches a state (queried, so it reflects the workflow's own record), and `also` holds. */
export function waitForState(
  idra: IdraClient,
  incident: string,
  state: ResponseState,
  timeoutMs = 30_000,
  also: (view: ResponseView) => boolean = () => true,
): Promise<ResponseView> {
  return waitFor(
    `${incident} to be ${state}`,
    async () => {
      const view = await idra.status(incident);
      return view.state === state && also(view) ? view : undefined;
    },
    timeoutMs,
  );
}

/** Waits until a just-in-time grant reaches a state, its path still open. */
export function waitForGrant(
  idra: IdraClient,
  incident: string,
  grant: string,
  state: GrantState,
  timeoutMs = 60_000,
): Promise<ResponseView> {
  return waitForState(
    idra,
    incident,
    'on_jit',
    timeoutMs,
    (view) => view.jitGrants?.some((candidate) => candidate.id === grant && candidate.state === state) ?? false,
  );
}

/**
 * The usual test-file harness: a client and the production workers for the whole file (in `namespace`),
 * stopped after it.
 * Read `idra` inside tests and hooks (it is set in beforeAll).
 */
export function useIdra(namespace = 'default'): { idra: IdraClient } {
  const context = {} as { idra: IdraClient };
  let stop: () => Promise<void>;
  beforeAll(async () => {
    const { idra, close } = await connectIdra(namespace);
    const workers = await runWorkers({ TEMPORAL_NAMESPACE: namespace });
    context.idra = idra;
    stop = async () => {
      await workers.stop();
      await close();
    };
  });
  afterAll(() => stop());
  return context;
}
