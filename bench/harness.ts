import { IAMClient } from '@aws-sdk/client-iam';
import { Connection } from '@temporalio/client';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureSecretFile, readSecretFile } from '../auth/auth-config';
import { mintAnalystToken } from '../auth/mint-token';
import { IdraClient } from '../clients/idra-client';
import { idraDataConverter } from '../codec/data-converter';
import { ensureKeyring } from '../codec/keyring';
import { freePort } from '../infra/free-port';
import { startMotoServer } from '../infra/moto-server';
import { createIamUser, type SeededUser } from '../infra/seed-aws';
import type { ServiceProcess } from '../infra/service-process';
import { startTemporalDevServer } from '../infra/temporal-dev-server';
import { startWorkerProcess } from '../infra/worker-process';
import { startFleet } from '../infra/fleet';
import { forEachConcurrently } from './stats';

export const ACCOUNT = '123456789012';

/**
 * The worker processes, split by role as a deployment runs them (docker-compose.yml): the response
 * workflows and the guard (no provider credentials), and the AWS worker (its actions).
 */
const WORKER_PROCESSES = { responses: 'responses,guard', aws: 'aws' } as const;
export type WorkerProcessName = keyof typeof WORKER_PROCESSES;
export type WorkerProcesses = Record<WorkerProcessName, ServiceProcess>;

/** The parts of the system whose CPU and memory the bench reports, each a group of processes. */
export type SystemPart = 'server' | 'responses_worker' | 'aws_worker' | 'moto';

export interface BenchHarness {
  temporal: { address: string };
  moto: ServiceProcess & { endpoint: string };
  /** Each part's process ids as they run now: on the dev server one each; in the fleet, several. */
  pids: () => Record<SystemPart, number[]>;
  /** The production worker processes as they run now (they change when restarted); dev server only. */
  workers: () => WorkerProcesses;
  /** Starts new worker processes (after the last ones died); resolves when they all poll. Dev server only. */
  restartWorkers: () => Promise<WorkerProcesses>;
  iam: IAMClient;
  idra: IdraClient;
  /** IAM users with one access key each, made in moto. */
  seedUsers: (count: number, prefix: string) => Promise<SeededUser[]>;
  stop: () => Promise<void>;
}

/** A leaked-key signal about one seeded user. */
export function leakedKey(user: SeededUser) {
  return {
    source: 'bench',
    type: 'credential.leaked',
    severity: 'high',
    observedAt: new Date().toISOString(),
    identity: {
      provider: 'aws',
      kind: 'access_key',
      account: ACCOUNT,
      userName: user.userName,
      accessKeyId: user.accessKeyIds[0],
    },
    evidence: { summary: 'benchmark' },
  };
}

/** The fleet's workers in the bench: the AWS part of a deployment (docs/deployment.md). */
const FLEET_BENCH_REPLICAS = { responses: 2, guard: 1, aws: 2 };

/**
 * What every bench mode runs on: a fresh Temporal dev server, moto and the production worker processes, with
 * its own keyring and analyst-token secret (set up here, as the tests do). With `fleet`, a Temporal cluster
 * on PostgreSQL and two workers per busy role instead (infra/fleet.ts). The blast-radius guard lets
 * `allowance` automatic containments through: the bench measures containment, not the guard's refusals.
 */
export async function startBench(allowance: number, options: { fleet?: boolean } = {}): Promise<BenchHarness> {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'idra-bench-'));
  // PostgreSQL runs as its own account when we are root: it must reach its data folder through this one.
  fs.chmodSync(runDir, 0o755);
  const services: Pick<ServiceProcess, 'stop'>[] = [];
  let closeConnection = () => Promise.resolve();
  const stop = async () => {
    await closeConnection();
    await Promise.all(services.reverse().map((service) => service.stop()));
    fs.rmSync(runDir, { recursive: true, force: true });
  };
  try {
    const fleet = options.fleet
      ? await startFleet({
          dir: path.join(runDir, 'fleet'),
          namespace: 'default',
          // A process dying mid-bench spoils its figures: say so and stop, never restart quietly.
          policy: { maxRestarts: 0, withinMs: 0, notRestartedBecause: 'the bench does not restart what it measures' },
          say: (line) => console.error(`bench: ${line}`),
          giveUp: (message) => console.error(`bench: ${message}`),
        })
      : undefined;
    if (fleet) services.push(fleet);
    const temporal =
      fleet ??
      (await startTemporalDevServer({
        port: 'any',
        dbFile: path.join(runDir, 'temporal.db'),
        logFile: path.join(runDir, 'temporal.log'),
      }));
    if (!fleet) services.push(temporal);
    const moto = await startMotoServer({ port: await freePort(), logFile: path.join(runDir, 'moto.log') });
    services.push(moto);
    const keyring = path.join(runDir, 'codec-keys.json');
    ensureKeyring(keyring);
    const analystSecret = path.join(runDir, 'analyst-token-secret');
    ensureSecretFile(analystSecret);
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
      IDRA_CODEC_KEYS_FILE: keyring,
      IDRA_AUTH_HS256_SECRET_FILE: analystSecret,
    });
    const workerEnv = {
      ...process.env,
      IDRA_GUARD_MAX_PER_ACCOUNT: String(allowance),
      IDRA_GUARD_MAX_TOTAL: String(allowance),
      TEMPORAL_ADDRESS: temporal.address,
    };
    let workers: WorkerProcesses | undefined;
    let starts = 0;
    const restartWorkers = async () => {
      if (fleet) throw new Error('--fleet runs the default phases and --storm; the other modes run on the dev server');
      starts++;
      const started = await Promise.all(
        Object.entries(WORKER_PROCESSES).map(async ([name, roles]) => {
          // A log per process: each is ready when its own start line appears.
          const logFile = path.join(runDir, `worker-${name}-${starts}.log`);
          const worker = await startWorkerProcess({
            name: `idra ${name} worker`,
            logFile,
            env: { ...workerEnv, IDRA_WORKER_ROLES: roles },
          });
          services.push(worker);
          return [name, worker] as const;
        }),
      );
      workers = Object.fromEntries(started) as WorkerProcesses;
      return workers;
    };
    if (fleet) await fleet.startWorkers(workerEnv, FLEET_BENCH_REPLICAS);
    else await restartWorkers();
    const fleetPids = (names: (name: string) => boolean) =>
      [...(fleet?.processes.values() ?? [])]
        .filter((member) => names(member.name))
        .map((member) => member.current().child.pid ?? 0);
    const pids = (): Record<SystemPart, number[]> =>
      fleet
        ? {
            server: fleetPids((name) => !name.startsWith('idra ')),
            responses_worker: fleetPids((name) => /^idra (responses|guard) /.test(name)),
            aws_worker: fleetPids((name) => name.startsWith('idra aws ')),
            moto: [moto.child.pid ?? 0],
          }
        : {
            server: [(temporal as ServiceProcess).child.pid ?? 0],
            responses_worker: [workers!.responses.child.pid ?? 0],
            aws_worker: [workers!.aws.child.pid ?? 0],
            moto: [moto.child.pid ?? 0],
          };

    const connection = await Connection.connect({ address: temporal.address });
    closeConnection = () => connection.close();
    const secret = readSecretFile(analystSecret);
    const idra = new IdraClient(connection, 'default', idraDataConverter(), (analyst, incident) =>
      mintAnalystToken(secret, { analyst, incident }),
    );
    const iam = new IAMClient({});
    const seedUsers = async (count: number, prefix: string) => {
      const users = new Array<SeededUser>(count);
      await forEachConcurrently(users, 10, async (_user, index) => {
        users[index] = await createIamUser(iam, `${prefix}-${index}`);
      });
      return users;
    };
    const devServerWorkers = () => {
      if (!workers)
        throw new Error('--fleet runs the default phases and --storm; the other modes run on the dev server');
      return workers;
    };
    return { temporal, moto, pids, workers: devServerWorkers, restartWorkers, iam, idra, seedUsers, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
