/**
 * `npm run bench`: N leaked-key responses end to end on a fresh Temporal dev server + moto, with the
 * production worker process, then each rolled back. Contain latency = from the start request to the time
 * the worker recorded AWS's acknowledgement of the deactivation (its apply receipt; same machine, same
 * clock). Each of C lanes waits for its response to contain before starting the next, watching moto at a
 * bounded rate (every PACE_MS, reported): that paces the run and cross-checks the receipts, but the
 * latency is the receipt's. Rollback latency = from the rollback request to the undo's receipt. The floor = a
 * direct UpdateAccessKey call to the same moto in the same run. Also: history events and state transitions
 * per response, worker RSS, CPU seconds per response of each process. The last line is one JSON object.
 * Options: --incidents N (default 200), --concurrency C (default 20).
 */
import { IAMClient, ListAccessKeysCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { Connection } from '@temporalio/client';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { IdraClient } from '../clients/idra-client';
import { idraDataConverter } from '../codec/data-converter';
import { ensureSecretFile } from '../auth/auth-config';
import { ensureKeyring } from '../codec/keyring';
import { freePort } from '../infra/free-port';
import { startMotoServer } from '../infra/moto-server';
import { createIamUser, type SeededUser } from '../infra/seed-aws';
import type { ServiceProcess } from '../infra/service-process';
import { startTemporalDevServer } from '../infra/temporal-dev-server';
import { startWorkerProcess } from '../infra/worker-process';
import { readSecretFile } from '../auth/auth-config';
import { mintAnalystToken } from '../auth/mint-token';
import type { ResponseView } from '../model/response';
import { cpuSeconds, machine, rssMegabytes } from './process-usage';
import { forEachConcurrently, quantile } from './stats';

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

const ACCOUNT = '123456789012';
/** How often a lane looks at moto for its response's key: at most C × 1000 / PACE_MS requests per second. */
const PACE_MS = 50;
/** Responses whose history length and state transitions are read (they are alike). */
const HISTORIES_DESCRIBED = 10;

async function keyStatus(iam: IAMClient, user: SeededUser): Promise<string | undefined> {
  const listed = await iam.send(new ListAccessKeysCommand({ UserName: user.userName }));
  return listed.AccessKeyMetadata?.[0]?.Status;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { incidents: { type: 'string', default: '200' }, concurrency: { type: 'string', default: '20' } } });
  const incidents = Number(values.incidents);
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(incidents) || incidents < 1 || !Number.isInteger(concurrency) || concurrency < 1) {
    throw new Error('--incidents and --concurrency must be positive whole numbers');
  }

  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'idra-bench-'));
  const services: ServiceProcess[] = [];
  try {
    const temporal = await startTemporalDevServer({ port: 'any', dbFile: path.join(runDir, 'temporal.db'), logFile: path.join(runDir, 'temporal.log') });
    services.push(temporal);
    const moto = await startMotoServer({ port: await freePort(), logFile: path.join(runDir, 'moto.log') });
    services.push(moto);
    const keyring = path.join(runDir, 'codec-keys.json');
    ensureKeyring(keyring);
    // Its own analyst-token secret too: the workers refuse to start without a way to verify analysts.
    const analystSecret = path.join(runDir, 'analyst-token-secret');
    ensureSecretFile(analystSecret);
    const env = { AWS_ENDPOINT_URL: moto.endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', IDRA_CODEC_KEYS_FILE: keyring, IDRA_AUTH_HS256_SECRET_FILE: analystSecret };
    Object.assign(process.env, env);
    // The blast-radius guard would (rightly) send most of a 200-key storm to approval; the benchmark
    // measures containment, so it lets every response through.
    const guardOff = { IDRA_GUARD_MAX_PER_ACCOUNT: String(incidents), IDRA_GUARD_MAX_TOTAL: String(incidents) };
    services.push(await startWorkerProcess({ name: 'idra workers', logFile: path.join(runDir, 'worker.log'), env: { ...process.env, ...guardOff, TEMPORAL_ADDRESS: temporal.address } }));

    const iam = new IAMClient({});
    const users: SeededUser[] = new Array<SeededUser>(incidents);
    await forEachConcurrently(users, 10, async (_user, index) => {
      users[index] = await createIamUser(iam, `bench-${index}`);
    });

    // The physical floor: the same state change, made directly, on the same moto, in the same run.
    const floorUser = await createIamUser(iam, 'bench-floor');
    const floor: number[] = [];
    for (let index = 0; index < incidents; index++) {
      const started = performance.now();
      await iam.send(new UpdateAccessKeyCommand({ UserName: floorUser.userName, AccessKeyId: floorUser.accessKeyIds[0], Status: index % 2 ? 'Active' : 'Inactive' }));
      floor.push(performance.now() - started);
    }

    const connection = await Connection.connect({ address: temporal.address });
    const secret = readSecretFile(analystSecret);
    const idra = new IdraClient(connection, 'default', idraDataConverter(), (analyst, incident) => mintAnalystToken(secret, { analyst, incident }));
    const processes = { server: temporal, worker: services.at(-1)!, moto };
    const cpuBefore = Object.fromEntries(Object.entries(processes).map(([name, service]) => [name, cpuSeconds(service.child.pid ?? 0)]));

    const started = new Map<string, number>();
    const incidentsStarted: string[] = [];
    const observedInMoto: number[] = [];
    let paceRequests = 0;
    const runStarted = Date.now();
    await forEachConcurrently(users, concurrency, async (user) => {
      const at = Date.now();
      const { incident } = await idra.respond({
        source: 'bench', type: 'credential.leaked', severity: 'high', observedAt: new Date().toISOString(),
        identity: { provider: 'aws', kind: 'access_key', account: ACCOUNT, userName: user.userName, accessKeyId: user.accessKeyIds[0] },
        evidence: { summary: 'benchmark' },
      });
      started.set(incident, at);
      incidentsStarted.push(incident);
      for (paceRequests++; (await keyStatus(iam, user)) !== 'Inactive'; paceRequests++) await sleep(PACE_MS);
      observedInMoto.push(Date.now() - at);
    });
    const paceSeconds = (Date.now() - runStarted) / 1000;
    // Every response contained: asked of Temporal a few at a time, not timed (the receipts hold the times).
    const views = new Map<string, ResponseView>();
    while (views.size < incidents) {
      await forEachConcurrently(incidentsStarted.filter((incident) => !views.has(incident)), 4, async (incident) => {
        const view = await idra.status(incident);
        if (view.state === 'awaiting_decision') views.set(incident, view);
      });
      if (views.size < incidents) await sleep(500);
    }
    const containedAt = (view: ResponseView) => Date.parse(view.changes.find((receipt) => receipt.action === 'aws.accessKey.deactivate' && receipt.operation === 'apply')?.at ?? '');
    const contain = [...views.values()].map((view) => containedAt(view) - (started.get(view.incident) ?? 0));
    const elapsedSeconds = (Math.max(...[...views.values()].map(containedAt)) - runStarted) / 1000;
    const histories = await Promise.all(incidentsStarted.slice(0, HISTORIES_DESCRIBED).map((incident) => idra.client.workflow.getHandle(incident).describe()));

    const rollback: number[] = [];
    const rollbackStarted = Date.now();
    await forEachConcurrently(incidentsStarted, concurrency, async (incident) => {
      const at = Date.now();
      const view = await idra.rollback(incident, { analyst: 'alice@example.com', reason: 'benchmark' });
      const undone = view.changes.find((receipt) => receipt.action === 'aws.accessKey.deactivate' && receipt.operation === 'compensate');
      rollback.push(Date.parse(undone?.at ?? '') - at);
    });
    const rollbackSeconds = (Date.now() - rollbackStarted) / 1000;
    const perResponse = (name: keyof typeof processes) => round((cpuSeconds(processes[name].child.pid ?? 0) - (cpuBefore[name] ?? 0)) / incidents, 3);
    const cpu = { server: perResponse('server'), worker: perResponse('worker'), moto: perResponse('moto') };
    const workerRss = rssMegabytes(processes.worker.child.pid ?? 0);

    await connection.close();

    console.log(`${machine()}; contain times from the workers' receipts; lanes paced by moto every ${PACE_MS} ms; CPU seconds per response (contain and roll back)`);
    console.log(
      JSON.stringify({
        incidents,
        concurrency,
        contain_p50_ms: round(quantile(contain, 0.5)),
        contain_p95_ms: round(quantile(contain, 0.95)),
        contain_p99_ms: round(quantile(contain, 0.99)),
        contain_observed_in_moto_p50_ms: round(quantile(observedInMoto, 0.5)),
        pacing_requests_per_s: round(paceRequests / paceSeconds),
        rollback_p50_ms: round(quantile(rollback, 0.5)),
        rollback_p99_ms: round(quantile(rollback, 0.99)),
        floor_p50_ms: round(quantile(floor, 0.5)),
        throughput_per_s: round(incidents / elapsedSeconds),
        rollback_throughput_per_s: round(incidents / rollbackSeconds),
        history_events_per_response: round(quantile(histories.map((history) => history.historyLength), 0.5)),
        state_transitions_per_response: round(quantile(histories.map((history) => Number(history.raw.workflowExecutionInfo?.stateTransitionCount ?? 0)), 0.5)),
        worker_rss_mb: workerRss,
        cpu_seconds_per_response: cpu,
      }),
    );
  } finally {
    await Promise.all(services.reverse().map((service) => service.stop()));
    fs.rmSync(runDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
