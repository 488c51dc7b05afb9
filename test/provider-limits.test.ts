import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { createUser, secretValue, userState } from './support/aws';
import { createGcpAccount, gcpKeySignal, gcpState } from './support/gcp';
import { leakSignal } from './support/signals';
import { analyst, useIdra, waitForState } from './support/temporal';

const run = promisify(execFile);
const AWS_NOTE =
  'aws.accessKey.rotate deferred until after approval, once aws.accessKey.delete has made room: the access keys of the IAM user are at the limit (2 of 2)';

describe("plans that know the provider's limits: no rotation where there is no room for another key", () => {
  const env = useIdra();

  it('AWS: a user with two keys gets its rotation after the approved delete, not a failed containment', async () => {
    const user = await createUser('two-keys', { keys: 2, tags: { 'test:playbook': 'rotate' } });
    const { incident } = await env.idra.respond(leakSignal(user));
    const contained = await waitForState(env.idra, incident, 'awaiting_decision');
    expect(contained.plan?.notes).toEqual([AWS_NOTE]);
    expect(contained.plan?.stages.map((stage) => stage.map((step) => step.action))).toEqual([
      ['aws.accessKey.deactivate'],
    ]);
    expect(contained.plan?.afterApproval.map((step) => step.action)).toEqual([
      'aws.accessKey.delete',
      'aws.accessKey.rotate',
    ]);
    expect(contained.failures).toEqual([]);

    const done = await env.idra.approve(incident, analyst);
    expect(done.state).toBe('confirmed');
    const { newAccessKeyId } = done.changes.find((receipt) => receipt.action === 'aws.accessKey.rotate')?.reference as {
      newAccessKeyId: string;
    };
    expect((await userState(user.userName)).keys).toEqual({
      [user.accessKeyIds[1]!]: 'Active',
      [newAccessKeyId]: 'Active',
    });
    expect(await secretValue(`idra/rotated/${incident}`)).toMatchObject({ AccessKeyId: newAccessKeyId });
  });

  it('GCP: an account with ten keys gets its rotation after the approved delete', async () => {
    const account = await createGcpAccount({ keys: 10 });
    const { incident } = await env.idra.respond(gcpKeySignal(account));
    const contained = await waitForState(env.idra, incident, 'awaiting_decision');
    expect(contained.plan?.notes).toEqual([
      'gcp.serviceAccountKey.rotate deferred until after approval, once gcp.serviceAccountKey.delete has made room: the user-managed keys of the service account are at the limit (10 of 10)',
    ]);
    expect(contained.plan?.stages.map((stage) => stage.map((step) => step.action))).toEqual([
      ['gcp.serviceAccountKey.disable'],
      ['gcp.serviceAccount.deny'],
    ]);

    const done = await env.idra.approve(incident, analyst);
    expect(done.state).toBe('confirmed');
    const { newKeyId } = done.changes.find((receipt) => receipt.action === 'gcp.serviceAccountKey.rotate')
      ?.reference as { newKeyId: string };
    const keys = (await gcpState(account)).keys;
    expect(Object.keys(keys)).toHaveLength(10);
    expect(keys).not.toHaveProperty(account.keyIds[0]!);
    expect(keys[newKeyId]).toBe('enabled');
  });

  it('idra plan says so, given the count the worker would read', async () => {
    const file = path.join(inject('runDir'), 'two-keys-signal.json');
    fs.writeFileSync(
      file,
      JSON.stringify(leakSignal({ userName: 'ci-deployer', accessKeyIds: ['AKIAIOSFODNN7EXAMPLE'] })),
    );
    const cli = path.join(__dirname, '..', 'bin', 'idra.js');
    const { stdout } = await run(process.execPath, [
      cli,
      'plan',
      '--file',
      file,
      '--tag',
      'test:playbook=rotate',
      '--credentials',
      '2',
    ]);
    expect(stdout).toContain(`notes        ${AWS_NOTE}`);
    const refused = await run(process.execPath, [cli, 'plan', '--file', file, '--credentials', 'two']).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(refused).toMatchObject({ code: 2, stderr: 'idra: --credentials takes a whole number, not "two"\n' });
  });
});
