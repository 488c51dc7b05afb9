/**
 * `npm run bench`: N leaked-key responses end to end on a fresh Temporal dev server + moto, with the
 * production worker process. Contain latency = from the start request to the key observed Inactive in moto;
 * the floor = a direct UpdateAccessKey call to the same moto in the same run. The last line is one JSON object.
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
import { forEachConcurrently, quantile } from './stats';

const ACCOUNT = '123456789012';
const POLL_INTERVAL_MS = 10;

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
    const idra = new IdraClient(connection, 'default', idraDataConverter());
    const contain: number[] = [];
    const runStarted = performance.now();
    await forEachConcurrently(users, concurrency, async (user) => {
      const started = performance.now();
      await idra.respond({
        source: 'bench', type: 'credential.leaked', severity: 'high', observedAt: new Date().toISOString(),
        identity: { provider: 'aws', kind: 'access_key', account: ACCOUNT, userName: user.userName, accessKeyId: user.accessKeyIds[0] },
        evidence: { summary: 'benchmark' },
      });
      while ((await keyStatus(iam, user)) !== 'Inactive') await sleep(POLL_INTERVAL_MS);
      contain.push(performance.now() - started);
    });
    const elapsedSeconds = (performance.now() - runStarted) / 1000;

    await connection.close();

    const round = (value: number) => Math.round(value * 10) / 10;
    console.log(`contain latency is observed by polling moto every ${POLL_INTERVAL_MS} ms; ${os.cpus().length} cores`);
    console.log(
      JSON.stringify({
        incidents,
        concurrency,
        contain_p50_ms: round(quantile(contain, 0.5)),
        contain_p95_ms: round(quantile(contain, 0.95)),
        contain_p99_ms: round(quantile(contain, 0.99)),
        floor_p50_ms: round(quantile(floor, 0.5)),
        throughput_per_s: round(incidents / elapsedSeconds),
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
