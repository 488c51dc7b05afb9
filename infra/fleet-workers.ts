import path from 'node:path';
import { PROVIDER_IDS } from '../providers/catalog';
import { WORKER_ROLES } from '../workers/config';
import type { ServiceProcess } from './service-process';
import { startWorkerProcess } from './worker-process';

export interface FleetWorker {
  /** Its name on the console and in its log file's name: `idra aws worker 2`. */
  name: string;
  role: string;
  logFile: string;
}

/**
 * The fleet's worker processes, a deployment's shape: two responses workers and two AWS workers (the busy
 * queues, so the work is shared), one guard worker, one for each other provider. Each serves one role.
 */
export const FLEET_REPLICAS: Readonly<Record<string, number>> = {
  responses: 2,
  guard: 1,
  ...Object.fromEntries(PROVIDER_IDS.map((provider) => [provider, provider === 'aws' ? 2 : 1])),
};

/** The worker processes for `replicas` (the whole fleet unless given), their logs under `logDir`. */
export function fleetWorkers(
  logDir: string,
  replicas: Readonly<Record<string, number>> = FLEET_REPLICAS,
): FleetWorker[] {
  return Object.entries(replicas).flatMap(([role, count]) => {
    if (!WORKER_ROLES.includes(role))
      throw new Error(`unknown worker role "${role}" (known: ${WORKER_ROLES.join(', ')})`);
    return Array.from({ length: count }, (_, index) => ({
      name: `idra ${role} worker ${index + 1}`,
      role,
      logFile: path.join(logDir, `worker-${role}-${index + 1}.log`),
    }));
  });
}

/** Starts one fleet worker, configured by `env` and serving only its role. */
export function startFleetWorker(worker: FleetWorker, env: NodeJS.ProcessEnv): Promise<ServiceProcess> {
  return startWorkerProcess({
    name: worker.name,
    logFile: worker.logFile,
    env: { ...env, IDRA_WORKER_ROLES: worker.role },
  });
}
