import path from 'node:path';
import { startFleetTemporal } from './fleet-temporal';
import { FLEET_REPLICAS, fleetWorkers, startFleetWorker } from './fleet-workers';
import { type Supervised, supervise, type SupervisionPolicy } from './supervise';
import { TEMPORAL_SERVICES } from './temporal-cluster';

export interface Fleet {
  /** The Temporal frontend's address. */
  address: string;
  namespace: string;
  /** Every supervised process by name: `PostgreSQL`, `Temporal history`, …, `idra aws worker 2`. */
  processes: ReadonlyMap<string, Supervised>;
  /**
   * Starts the worker processes (the whole fleet's unless `replicas` is given), one at a time: each loads the
   * SDK and the workflow bundle as it starts, which is CPU-heavy. `env` is everything they need besides the
   * Temporal address and their role (provider endpoints, keys).
   */
  startWorkers(env: NodeJS.ProcessEnv, replicas?: Readonly<Record<string, number>>): Promise<void>;
  /** Stops the workers, then Temporal's services, then PostgreSQL. */
  stop(): Promise<void>;
}

/**
 * idra as a deployment runs it, on this machine: PostgreSQL, the four Temporal services and (once their
 * providers are known) the worker processes, each its own supervised process (a process that dies is started
 * again under `policy`).
 */
export async function startFleet(options: {
  dir: string;
  namespace: string;
  frontendPort?: number;
  policy: SupervisionPolicy;
  say: (line: string) => void;
  giveUp: (message: string) => void;
}): Promise<Fleet> {
  const temporal = await startFleetTemporal(options);
  const processes = new Map<string, Supervised>();
  const watch = (first: Parameters<typeof supervise>[0], start: Parameters<typeof supervise>[1]) =>
    processes.set(first.name, supervise(first, start, options.policy, options.say, options.giveUp));
  watch(temporal.postgres, temporal.startPostgres);
  for (const service of TEMPORAL_SERVICES)
    watch(temporal.services[service], () => temporal.cluster.startService(service));

  const stop = async () => {
    const all = [...processes.values()];
    const workers = all.filter((member) => member.name.startsWith('idra '));
    await Promise.all(workers.map((worker) => worker.stop()));
    // The frontend before the services it calls, PostgreSQL last.
    for (const member of all.filter((candidate) => !workers.includes(candidate)).reverse()) await member.stop();
  };
  const startWorkers = async (env: NodeJS.ProcessEnv, replicas = FLEET_REPLICAS) => {
    const workerEnv = { ...env, TEMPORAL_ADDRESS: temporal.cluster.address, TEMPORAL_NAMESPACE: options.namespace };
    for (const worker of fleetWorkers(path.join(options.dir, 'logs'), replicas)) {
      const start = () => startFleetWorker(worker, workerEnv);
      watch(await start(), start);
    }
  };
  return { address: temporal.cluster.address, namespace: options.namespace, processes, startWorkers, stop };
}
