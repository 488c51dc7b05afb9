import { WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdraClient } from '../clients/idra-client';
import { incidentId } from '../model/identity';
import type { SeededUser } from '../infra/seed-aws';
import type { AwsAccessKeyIdentity } from '../providers/aws/identity';
import { ValidationError } from '../model/validation';
import { RESPONSE_TASK_QUEUE } from '../model/task-queues';
import { createUser, userState } from './support/aws';
import { leakSignal } from './support/signals';
import { connectIdra, runWorkers } from './support/temporal';
import { SIGNAL_TYPES } from '../model/signal-types';

const run = promisify(execFile);

describe('bad signals are refused with a precise error and change nothing', () => {
  let idra: IdraClient;
  let close: () => Promise<void>;
  let user: SeededUser;
  let identity: AwsAccessKeyIdentity;
  let stateBefore: Awaited<ReturnType<typeof userState>>;

  beforeAll(async () => {
    ({ idra, close } = await connectIdra());
    user = await createUser('target');
    identity = leakSignal(user).identity as AwsAccessKeyIdentity;
    stateBefore = await userState(user.userName);
  });
  afterAll(() => close());

  const withIdentity = (fields: Record<string, unknown>) => () => ({
    ...leakSignal(user),
    identity: { ...identity, ...fields },
  });
  const without = (field: string) => () => {
    const signal = leakSignal(user);
    delete signal[field];
    return signal;
  };
  const cases: [string, () => unknown, string][] = [
    ['missing identity', without('identity'), 'identity: is required'],
    ['missing evidence', without('evidence'), 'evidence: is required'],
    ['missing severity', without('severity'), 'severity: is required (one of: low, medium, high, critical)'],
    [
      'unknown identity kind',
      withIdentity({ kind: 'api_key' }),
      'identity.kind: unknown identity kind "api_key" (one of: access_key, role)',
    ],
    [
      'key id of the wrong type',
      withIdentity({ accessKeyId: 12345 }),
      'identity.accessKeyId: Invalid input: expected string, received number',
    ],
    [
      'unknown provider',
      withIdentity({ provider: 'oci' }),
      'identity.provider: unknown provider "oci" (supported: aws, gcp, azure, keycloak, github)',
    ],
    ['malformed account id', withIdentity({ account: '12345' }), 'identity.account: must be a 12-digit AWS account id'],
    [
      'malformed key id',
      withIdentity({ accessKeyId: 'AKIA123' }),
      'identity.accessKeyId: must be a long-term AWS access key id (AKIA followed by 16 letters or digits)',
    ],
    [
      'temporary key id',
      withIdentity({ accessKeyId: 'ASIAABCDEFGHIJKLMNOP' }),
      'identity.accessKeyId: must be a long-term AWS access key id (AKIA followed by 16 letters or digits)',
    ],
    [
      'bad user name',
      withIdentity({ userName: 'ci deployer!' }),
      'identity.userName: must be an IAM user name (1-64 of letters, digits and +=,.@_-)',
    ],
    [
      'an alert numbered as a JSON number',
      () => ({ ...leakSignal(user), alert: { provider: 'github', owner: 'acme', repo: 'payments', number: 7 } }),
      'alert.number: must be a GitHub id: a positive integer, as a string',
    ],
    [
      'unknown severity',
      () => ({ ...leakSignal(user), severity: 'urgent' }),
      'severity: unknown severity "urgent" (one of: low, medium, high, critical)',
    ],
    [
      'unknown signal type',
      () => ({ ...leakSignal(user), type: 'vibes' }),
      `type: unknown signal type "vibes" (one of: ${SIGNAL_TYPES.join(', ')})`,
    ],
    [
      'oversize evidence',
      () => ({ ...leakSignal(user), evidence: { summary: 'big', details: { blob: 'x'.repeat(9000) } } }),
      'evidence: must serialise to at most 8192 bytes of JSON',
    ],
    ['unknown field', () => ({ ...leakSignal(user), priority: 1 }), '(root): unknown field(s) "priority"'],
    [
      'bad timestamp',
      () => ({ ...leakSignal(user), observedAt: 'yesterday' }),
      'observedAt: must be an ISO 8601 date-time, e.g. 2026-11-26T10:00:00Z',
    ],
    [
      'non-http evidence url',
      () => ({ ...leakSignal(user), evidence: { summary: 's', url: 'javascript:alert(1)' } }),
      'evidence.url: must be an http(s) URL',
    ],
    ['bad signal id', () => ({ ...leakSignal(user), id: 'a b' }), 'id: must be 1-128 of letters, digits and ._:-'],
    ['not an object', () => [leakSignal(user)], '(root): Invalid input: expected object, received array'],
  ];

  it.each(cases)('%s', async (_name, makeSignal, problem) => {
    const error = await idra.respond(makeSignal()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems).toEqual([problem]);
  });

  it('left moto and Temporal untouched', async () => {
    expect(await userState(user.userName)).toEqual(stateBefore);
    await expect(idra.client.workflow.getHandle(incidentId(identity)).describe()).rejects.toBeInstanceOf(
      WorkflowNotFoundError,
    );
  });

  it('the CLI prints every problem and exits 2, without needing a server', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'idra-cli-')), 'signal.json');
    fs.writeFileSync(
      file,
      JSON.stringify({ ...leakSignal(user), severity: 'urgent', identity: { ...identity, account: 'x' } }),
    );
    const cli = path.join(__dirname, '..', 'bin', 'idra.js');
    const result = await run(process.execPath, [cli, 'respond', '--file', file], {
      env: { ...process.env, TEMPORAL_ADDRESS: '127.0.0.1:1' },
    }).catch((error: { code: number; stderr: string }) => error);
    expect(result).toMatchObject({
      code: 2,
      stderr:
        'idra: invalid signal:\n  - severity: unknown severity "urgent" (one of: low, medium, high, critical)\n  - identity.account: must be a 12-digit AWS account id\n',
    });
    const missing = await run(process.execPath, [cli, 'respond', '--file', `${file}.nope`]).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(missing).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(`idra: cannot read ${file}.nope: ENOENT`) as string,
    });
  });

  it('the workflow refuses bad input given to it directly (e.g. started from the UI), changing nothing', async () => {
    const workers = await runWorkers();
    try {
      const handle = await idra.client.workflow.start('respondToIdentityRisk', {
        workflowId: incidentId(identity),
        taskQueue: RESPONSE_TASK_QUEUE,
        args: [{ signal: { ...leakSignal(user), id: 'direct-1', severity: 'urgent' } }],
      });
      const error: unknown = await handle.result().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(WorkflowFailedError);
      expect((error as WorkflowFailedError).cause?.message).toBe(
        'invalid response input: signal.severity: unknown severity "urgent" (one of: low, medium, high, critical)',
      );
      expect(await userState(user.userName)).toEqual(stateBefore);

      // A made-up ledger handed in as if by the response's own continue-as-new: its undo would reactivate the key.
      const step = {
        index: 0,
        action: 'aws.accessKey.deactivate',
        provider: 'aws',
        reversible: true,
        target: 'a key',
        params: { userName: user.userName, accessKeyId: user.accessKeyIds[0] },
      };
      const forged = await idra.client.workflow.start('respondToIdentityRisk', {
        workflowId: `${incidentId(identity)}-forged`,
        taskQueue: RESPONSE_TASK_QUEUE,
        args: [
          {
            signal: { ...leakSignal(user), id: 'direct-2' },
            carried: {
              applied: [{ incident: 'x', step, before: 'Inactive' }],
              waiting: { at: 'review', done: 'rolled_back' },
            },
          },
        ],
      });
      const refused: unknown = await forged.result().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect((refused as WorkflowFailedError).cause?.message).toBe(
        'invalid response input: carried: only a response continuing as new hands over its state',
      );
      expect(await userState(user.userName)).toEqual(stateBefore);
    } finally {
      await workers.stop();
    }
  });
});
