/**
 * Records real response histories into test/histories/ for the replay test (`npm run histories:record`).
 * Re-record after a deliberate, patched() change to the workflow; never to make a failing replay pass.
 */
import { IAMClient } from '@aws-sdk/client-iam';
import { Connection } from '@temporalio/client';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IdraClient } from '../clients/idra-client';
import { freePort } from '../infra/free-port';
import { startMotoServer } from '../infra/moto-server';
import { PROJECT_ROOT } from '../infra/paths';
import { createIamUser } from '../infra/seed-aws';
import { startTemporalDevServer, temporalCli } from '../infra/temporal-dev-server';
import { waitFor } from '../infra/wait-for';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { ResponseState } from '../model/response';
import { LEAKED_AWS_ACCESS_KEY } from '../policy/playbook';
import { workerConfigFromEnv } from '../workers/config';
import { connectWorkers, createWorkers } from '../workers/create-workers';

const HISTORIES_DIR = path.join(PROJECT_ROOT, 'test', 'histories');
const ACCOUNT = '123456789012';
const analyst = { analyst: 'alice@example.com', reason: 'recorded scenario' };

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'idra-record-'));
  const temporal = await startTemporalDevServer({ port: await freePort(), dbFile: path.join(runDir, 't.db'), logFile: path.join(runDir, 't.log') });
  const moto = await startMotoServer({ port: await freePort(), logFile: path.join(runDir, 'moto.log') });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: moto.endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'record', AWS_SECRET_ACCESS_KEY: 'record', TEMPORAL_ADDRESS: temporal.address,
  });
  const config = workerConfigFromEnv();
  const workerConnection = await connectWorkers(config);
  const workers = await createWorkers(config, workerConnection);
  const running = Promise.all(workers.map((worker) => worker.run()));
  const connection = await Connection.connect({ address: temporal.address });
  const iam = new IAMClient({});
  try {
    const idra = new IdraClient(connection, 'default');
    const signalFor = async (name: string, keyOf?: string) => {
      const user = await createIamUser(iam, name, { keys: 2 });
      const key = keyOf ? (await createIamUser(iam, keyOf)).accessKeyIds[0] : user.accessKeyIds[0];
      return {
        source: 'github-secret-scanning', type: 'credential.leaked', severity: 'critical', observedAt: '2026-11-26T10:00:00Z',
        identity: { provider: 'aws', kind: 'access_key', account: ACCOUNT, userName: name, accessKeyId: key },
        evidence: { summary: `recorded scenario ${name}` },
      };
    };
    const waitState = (incident: string, state: ResponseState) =>
      waitFor(`${incident} ${state}`, async () => (await idra.status(incident)).state === state);
    const save = async (name: string, incident: string) => {
      const handle = idra.client.workflow.getHandle(incident);
      await handle.result().catch(() => undefined);
      // The CLI writes the standard JSON history format that the replayer (historyFromJSON) reads.
      const json = execFileSync(temporalCli(), ['workflow', 'show', '--workflow-id', incident, '--output', 'json', '--address', temporal.address], { encoding: 'utf8' });
      fs.writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), json);
      console.log(`recorded ${name}`);
    };

    const approved = await idra.respond(await signalFor('approved'));
    await waitState(approved.incident, 'awaiting_decision');
    await idra.approve(approved.incident, analyst);
    await save('approved', approved.incident);

    const rolledBack = await idra.respond(await signalFor('rolled-back'));
    await waitState(rolledBack.incident, 'awaiting_decision');
    await idra.rollback(rolledBack.incident, analyst);
    await save('rolled-back', rolledBack.incident);

    const joinedSignal = await signalFor('joined');
    const joined = await idra.respond({ ...joinedSignal, id: 'first' });
    await idra.respond({ ...joinedSignal, id: 'second', source: 'guardduty' });
    await waitState(joined.incident, 'awaiting_decision');
    await idra.client.workflow.getHandle(joined.incident).signal('approve', { analyst: ' ', reason: 'denied: blank analyst' });
    await idra.approve(joined.incident, analyst);
    await save('joined-and-denied', joined.incident);

    const failed = await idra.respond(await signalFor('failed', 'failed-owner'));
    await waitState(failed.incident, 'containment_failed');
    await idra.rollback(failed.incident, analyst);
    await save('containment-failed', failed.incident);

    const impatient = new IdraClient(connection, 'default', { ...LEAKED_AWS_ACCESS_KEY, decisionTimeout: '1s' });
    const timedOut = await impatient.respond(await signalFor('timed-out'));
    await save('timed-out', timedOut.incident);
  } finally {
    workers.forEach((worker) => worker.shutdown());
    await running;
    await Promise.all([connection.close(), workerConnection.close()]);
    await Promise.all([temporal.stop(), moto.stop()]);
    fs.rmSync(runDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
