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
  /** Stops the workers, then Temporal's services, then PostgreSQL. */
  stop(): Promise<void>;
}

/**
 * idra as a deployment runs it, on this machine: PostgreSQL, the four Temporal services and the worker
 * processes, each its own supervised process (a process that dies is started again under `policy`).
 */
export async function startFleet(options: {
  dir: string;
  namespace: string;
  frontendPort?: number;
  /** Everything the workers need besides the Temporal address and their role (provider endpoints, keys). */
  workerEnv: NodeJS.ProcessEnv;
  replicas?: Readonly<Record<string, number>>;
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
  try {
    const env = {
      ...options.workerEnv,
      TEMPORAL_ADDRESS: temporal.cluster.address,
      TEMPORAL_NAMESPACE: options.namespace,
    };
    // One at a time: each worker process loads the workflow bundle or the SDK on start, which is CPU-heavy.
    for (const worker of fleetWorkers(path.join(options.dir, 'logs'), options.replicas ?? FLEET_REPLICAS)) {
      const start = () => startFleetWorker(worker, env);
      watch(await start(), start);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { address: temporal.cluster.address, namespace: options.namespace, processes, stop };
}
