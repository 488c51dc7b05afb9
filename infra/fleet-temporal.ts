import { Connection } from '@temporalio/client';
import path from 'node:path';
import { freePort } from './free-port';
import { type Postgres, startPostgres } from './postgres';
import type { ServiceProcess } from './service-process';
import {
  ensureNamespace,
  pickClusterPorts,
  prepareTemporalCluster,
  setupTemporalSchemas,
  TEMPORAL_SERVICES,
  type TemporalCluster,
  type TemporalService,
  temporalServerBinaries,
} from './temporal-cluster';
import { waitFor } from './wait-for';

export interface FleetTemporal {
  cluster: TemporalCluster;
  /** Starts PostgreSQL again on its data and port (after it stopped). */
  startPostgres: () => Promise<Postgres>;
  postgres: Postgres;
  /** Each Temporal service's first process (a supervisor may replace them). */
  services: Record<TemporalService, ServiceProcess>;
}

/**
 * PostgreSQL and a Temporal cluster on it, one process per service, under `dir`: the schemas set up, the
 * namespace and idra's search attributes made. The same `dir` started again keeps its history (and ports
 * are picked anew: the members find each other through the database).
 */
export async function startFleetTemporal(options: {
  dir: string;
  namespace: string;
  frontendPort?: number;
}): Promise<FleetTemporal> {
  const { sqlTool } = temporalServerBinaries();
  const postgresPort = await freePort();
  const launchPostgres = () =>
    startPostgres({
      dataDir: path.join(options.dir, 'postgres'),
      port: postgresPort,
      logFile: path.join(options.dir, 'logs', 'postgres.log'),
    });
  const postgres = await launchPostgres();
  const started: ServiceProcess[] = [postgres];
  try {
    await setupTemporalSchemas(sqlTool, postgres);
    const cluster = prepareTemporalCluster({
      dir: options.dir,
      postgres,
      ports: await pickClusterPorts(options.frontendPort),
    });
    const services = {} as Record<TemporalService, ServiceProcess>;
    // History first: matching and the frontend look for it in the membership ring as they start.
    for (const service of TEMPORAL_SERVICES) {
      services[service] = await cluster.startService(service);
      started.push(services[service]);
    }
    await waitFor('the cluster to take the namespace', async () => {
      await ensureNamespace(cluster.address, options.namespace);
      return true;
    });
    await waitFor('the namespace to serve', () => namespaceServes(cluster.address, options.namespace));
    return { cluster, postgres, services, startPostgres: launchPostgres };
  } catch (error) {
    await Promise.all(started.reverse().map((service) => service.stop()));
    throw error;
  }
}

/** A new namespace reaches the frontend's namespace cache some seconds after it is registered. */
async function namespaceServes(address: string, namespace: string): Promise<boolean> {
  const connection = await Connection.connect({ address });
  try {
    await connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1 });
    return true;
  } finally {
    await connection.close();
  }
}
