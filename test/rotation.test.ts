import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { IdraClient } from '../clients/idra-client';
import type { ServiceProcess } from '../infra/service-process';
import { startWorkerProcess } from '../infra/worker-process';
import { createUser, secretValue, userState } from './support/aws';
import { decodedHistoryText } from './support/history-text';
import { leakSignal } from './support/signals';
import { analyst, connectIdra, waitForState } from './support/temporal';

const run = promisify(execFile);
const CLI = path.join(__dirname, '..', 'bin', 'idra.js');

describe('rotation: the new key goes straight into Secrets Manager; no secret in history or logs', () => {
  let idra: IdraClient;
  let close: () => Promise<void>;
  let worker: ServiceProcess;
  const workerLog = path.join(inject('runDir'), 'rotation-worker.log');

  beforeAll(async () => {
    ({ idra, close } = await connectIdra());
    worker = await startWorkerProcess({ name: 'rotation worker', logFile: workerLog });
  });
  afterAll(async () => {
    await worker.stop();
    await close();
  });

  it('deactivates the leaked key, rotates in parallel, deletes the leaked key after approval', async () => {
    const user = await createUser('rotating', { tags: { 'test:playbook': 'rotate' } });
    const leaked = user.accessKeyIds[0]!;
    const { incident } = await idra.respond(leakSignal(user));
    const contained = await waitForState(idra, incident, 'awaiting_decision');

    const secret = (await secretValue(`idra/rotated/${incident}`)) as { AccessKeyId: string; SecretAccessKey: string };
    expect((await userState(user.userName)).keys).toEqual({ [leaked]: 'Inactive', [secret.AccessKeyId]: 'Active' });
    const rotation = contained.changes.find((receipt) => receipt.action === 'aws.accessKey.rotate');
    expect(rotation).toMatchObject({
      after: { rotated: true },
      reference: {
        newAccessKeyId: secret.AccessKeyId,
        secretArn: expect.stringContaining(`:secret:idra/rotated/${incident}`) as string,
      },
    });

    const confirmed = await idra.approve(incident, analyst);
    expect(confirmed.state).toBe('confirmed');
    expect((await userState(user.userName)).keys).toEqual({ [secret.AccessKeyId]: 'Active' });

    // Everything a person or a log could see: the decrypted history, the CLI's output, the worker's log.
    const cliOutput = [
      (await run(process.execPath, [CLI, 'status', incident, '--json'])).stdout,
      (await run(process.execPath, [CLI, 'audit', incident, '--format', 'json'])).stdout,
    ].join('\n');
    const history = await decodedHistoryText(idra.client, incident);
    expect(history).toContain(secret.AccessKeyId);
    for (const text of [history, cliOutput, fs.readFileSync(workerLog, 'utf8')]) {
      expect(text).not.toContain(secret.SecretAccessKey);
      expect(text).not.toContain('SecretAccessKey');
    }
  });

  it('rollback leaves a new key its consumers already use (and its secret), records why, and waits for review', async () => {
    const user = await createUser('rotated-in-use', { tags: { 'test:playbook': 'rotate' } });
    const leaked = user.accessKeyIds[0]!;
    const { incident } = await idra.respond(leakSignal(user));
    await waitForState(idra, incident, 'awaiting_decision');

    // A consumer picks the new key up from the secret and uses it.
    const secret = (await secretValue(`idra/rotated/${incident}`)) as { AccessKeyId: string; SecretAccessKey: string };
    const consumer = new STSClient({
      credentials: { accessKeyId: secret.AccessKeyId, secretAccessKey: secret.SecretAccessKey },
    });
    await consumer.send(new GetCallerIdentityCommand({}));

    const review = await idra.rollback(incident, analyst);
    expect(review.state).toBe('needs_review');
    expect((await userState(user.userName)).keys).toEqual({ [leaked]: 'Active', [secret.AccessKeyId]: 'Active' });
    expect(((await secretValue(`idra/rotated/${incident}`)) as { AccessKeyId: string }).AccessKeyId).toBe(
      secret.AccessKeyId,
    );
    const undo = review.changes.find(
      (receipt) => receipt.action === 'aws.accessKey.rotate' && receipt.operation === 'compensate',
    );
    expect(undo).toMatchObject({
      changed: false,
      drift: {
        expected: { rotated: true },
        observed: { rotated: true, service: 'sts' },
        note: expect.stringContaining(`the new key ${secret.AccessKeyId} is in use`) as string,
      },
    });
    expect(
      (
        await idra.decide('confirm', incident, {
          analyst: analyst.analyst,
          reason: 'the deploy pipeline moved to the new key: keep it',
        })
      ).state,
    ).toBe('rolled_back');
  });
});
