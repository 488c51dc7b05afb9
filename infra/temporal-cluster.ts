import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../config/paths';
import { SEARCH_ATTRIBUTE_KEYS } from '../model/search-attributes';
import { freePortBetween } from './free-port';
import { type Postgres, POSTGRES_USER } from './postgres';
import { type ServiceProcess, startService } from './service-process';

const run = promisify(execFile);

/** The four services of a Temporal cluster, one process each. */
export const TEMPORAL_SERVICES = ['history', 'matching', 'frontend', 'worker'] as const;
export type TemporalService = (typeof TEMPORAL_SERVICES)[number];

/** Fixed for the cluster's life: the shard count is written into the database when it is first set up. */
export const HISTORY_SHARDS = 8;
/** The schema versions Temporal server 1.29.1 expects (scripts/ensure-temporal-server.sh builds that server). */
const SCHEMA_VERSIONS = { temporal: '1.18', visibility: '1.9' } as const;
const DATABASES = { temporal: 'temporal', visibility: 'temporal_visibility' } as const;
const ENV_NAME = 'fleet';

interface ServicePorts {
  grpc: number;
  membership: number;
}

/** Where each service listens; fixed for a run, so a restarted service comes back where its peers look for it. */
export type ClusterPorts = Record<TemporalService, ServicePorts> & { frontendHttp: number };

export interface TemporalCluster {
  /** The frontend's address: what clients and workers connect to. */
  address: string;
  /** Starts one service's process (again, after it died or was killed). */
  startService(service: TemporalService): Promise<ServiceProcess>;
}

/** The Temporal server binary and its SQL schema tool (built by scripts/ensure-temporal-server.sh). */
export function temporalServerBinaries(): { server: string; sqlTool: string } {
  const server = execFileSync('bash', [path.join(PROJECT_ROOT, 'scripts', 'ensure-temporal-server.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  return { server, sqlTool: path.join(path.dirname(server), 'temporal-sql-tool') };
}

/**
 * Free loopback ports for every service; the frontend's may be given (a fixed address for people). All below
 * the ephemeral range: the membership table keeps ports in a smallint.
 */
export async function pickClusterPorts(frontendGrpc?: number): Promise<ClusterPorts> {
  const taken = new Set<number>();
  const port = async (): Promise<number> => {
    for (;;) {
      const candidate = await freePortBetween(20_000, 32_000);
      if (!taken.has(candidate)) return (taken.add(candidate), candidate);
    }
  };
  const service = async (grpc?: number): Promise<ServicePorts> => ({
    grpc: grpc ?? (await port()),
    membership: await port(),
  });
  return {
    history: await service(),
    matching: await service(),
    frontend: await service(frontendGrpc),
    worker: await service(),
    frontendHttp: await port(),
  };
}

function sqlStore(postgres: Pick<Postgres, 'host' | 'port'>, databaseName: string, maxConns: number) {
  return {
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `${postgres.host}:${postgres.port}`,
      connectProtocol: 'tcp',
      user: POSTGRES_USER,
      // The cluster trusts loopback connections (infra/postgres.ts); the plugin still wants a password.
      password: POSTGRES_USER,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  };
}

/**
 * The server's configuration, in the shape of its `development-postgres12.yaml` (JSON is YAML): PostgreSQL
 * for history and visibility, more than one history shard, these ports, no archival, no metrics or pprof
 * listener (every service process would bind the same port), and the dynamic config file beside it.
 */
export function temporalClusterConfig(
  postgres: Pick<Postgres, 'host' | 'port'>,
  ports: ClusterPorts,
  dynamicConfigFile: string,
) {
  const rpc = (service: TemporalService) => ({
    grpcPort: ports[service].grpc,
    membershipPort: ports[service].membership,
    bindOnLocalHost: true,
    ...(service === 'frontend' ? { httpPort: ports.frontendHttp } : {}),
  });
  return {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: HISTORY_SHARDS,
      datastores: {
        'postgres-default': sqlStore(postgres, DATABASES.temporal, 20),
        'postgres-visibility': sqlStore(postgres, DATABASES.visibility, 5),
      },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services: Object.fromEntries(TEMPORAL_SERVICES.map((service) => [service, { rpc: rpc(service) }])),
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: frontendAddress(ports) },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
    namespaceDefaults: { archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } } },
    dynamicConfigClient: { filepath: dynamicConfigFile, pollInterval: '10s' },
  };
}

/** Dynamic config: a search attribute just added is usable at once (the setup adds idra's, then workers run). */
const CLUSTER_DYNAMIC_CONFIG = {
  'system.forceSearchAttributesCacheRefreshOnRead': [{ value: true }],
};

function frontendAddress(ports: ClusterPorts): string {
  return `127.0.0.1:${ports.frontend.grpc}`;
}

/**
 * Creates both databases and brings their schemas to the versions the server expects; a database already
 * at that version is left as it is, so a second start of the same cluster keeps its history.
 */
export async function setupTemporalSchemas(sqlTool: string, postgres: Pick<Postgres, 'host' | 'port'>): Promise<void> {
  const base = ['--plugin', 'postgres12', '--ep', postgres.host, '-p', String(postgres.port)];
  const auth = ['-u', POSTGRES_USER, '--pw', POSTGRES_USER];
  for (const store of ['temporal', 'visibility'] as const) {
    const database = ['--db', DATABASES[store]];
    const tool = (...args: string[]) => run(sqlTool, [...base, ...auth, ...database, ...args]);
    // --quiet: an existing database is not an error.
    await tool('--quiet', 'create-database');
    await tool('--quiet', 'setup-schema', '-v', '0.0');
    await tool('update-schema', '--schema-name', `postgresql/v12/${store}`, '-v', SCHEMA_VERSIONS[store]);
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function frontendServes(address: string): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: 1000 });
  try {
    await connection.workflowService.getSystemInfo({});
    return true;
  } finally {
    await connection.close();
  }
}

/** Writes the server's configuration under `dir` and returns how to start each of its services. */
export function prepareTemporalCluster(options: {
  dir: string;
  postgres: Pick<Postgres, 'host' | 'port'>;
  ports: ClusterPorts;
}): TemporalCluster {
  const { server } = temporalServerBinaries();
  const configDir = path.join(options.dir, 'config');
  const logDir = path.join(options.dir, 'logs');
  fs.mkdirSync(configDir, { recursive: true });
  const dynamicConfigFile = path.join(configDir, 'dynamicconfig.yaml');
  fs.writeFileSync(dynamicConfigFile, JSON.stringify(CLUSTER_DYNAMIC_CONFIG, null, 2));
  fs.writeFileSync(
    path.join(configDir, `${ENV_NAME}.yaml`),
    JSON.stringify(temporalClusterConfig(options.postgres, options.ports, dynamicConfigFile), null, 2),
  );
  const address = frontendAddress(options.ports);
  // The worker service (system workflows) serves no gRPC of its own: it is up once it is in the ring.
  const serviceReady = (service: TemporalService) =>
    service === 'frontend'
      ? frontendServes(address)
      : listening(service === 'worker' ? options.ports.worker.membership : options.ports[service].grpc);
  return {
    address,
    startService: (service) =>
      startService({
        name: `Temporal ${service}`,
        command: server,
        args: [
          '--root',
          '/',
          '--config',
          configDir,
          '--env',
          ENV_NAME,
          '--allow-no-auth',
          'start',
          '--service',
          service,
        ],
        logFile: path.join(logDir, `${service}.log`),
        ready: () => serviceReady(service),
      }),
  };
}

/**
 * The namespace and idra's search attributes, made through the operator API once the cluster serves (no
 * namespace exists on a new cluster); what exists already is left alone.
 */
export async function ensureNamespace(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    try {
      await connection.workflowService.registerNamespace({
        namespace,
        workflowExecutionRetentionPeriod: msToTs('3 days'),
      });
    } catch (error) {
      if ((error as { code?: number }).code !== 6 /* ALREADY_EXISTS */) throw error;
    }
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    const missing = SEARCH_ATTRIBUTE_KEYS.filter((key) => !customAttributes?.[key.name]);
    if (missing.length === 0) return;
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(
        missing.map((key) => [
          key.name,
          temporal.api.enums.v1.IndexedValueType[`INDEXED_VALUE_TYPE_${key.type}` as 'INDEXED_VALUE_TYPE_KEYWORD'],
        ]),
      ),
    });
  } finally {
    await connection.close();
  }
}
