import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdraClient } from '../clients/idra-client';
import { createIamUser } from '../infra/seed-aws';
import { uniqueName, userState } from './support/aws';
import { type Principal, startRestrictedMoto } from './support/restricted-moto';
import { leakSignal } from './support/signals';
import { analyst, connectIdra, runWorkers, waitForState } from './support/temporal';

type Moto = Awaited<ReturnType<typeof startRestrictedMoto>>;

describe('honest undo: an undo that fails is reported, never passed off as rolled back', () => {
  let moto: Moto;
  let worker: Principal;
  let idra: IdraClient;
  let close: () => Promise<void>;
  let workers: { stop: () => Promise<void> };

  beforeAll(async () => {
    moto = await startRestrictedMoto();
    // The worker may quarantine a user but not lift the quarantine: every undo of it is refused.
    worker = await moto.credentialsWithout(['iam:DeleteUserPolicy']);
    Object.assign(process.env, { AWS_ENDPOINT_URL: moto.endpoint, AWS_ACCESS_KEY_ID: worker.accessKeyId, AWS_SECRET_ACCESS_KEY: worker.secretAccessKey });
    ({ idra, close } = await connectIdra());
    workers = await runWorkers();
  });
  afterAll(async () => {
    await workers.stop();
    await close();
    await moto.stop();
  });

  it('ends rollback_failed naming the step left in place; rollback again, once permitted, finishes exactly', async () => {
    const user = await createIamUser(moto.admin, uniqueName('undo-denied'), { keys: 2 });
    const before = await userState(user.userName, moto.admin);
    const { incident } = await idra.respond(leakSignal(user));
    await waitForState(idra, incident, 'awaiting_decision');

    const failed = await idra.rollback(incident, analyst);
    expect(failed.state).toBe('rollback_failed');
    expect(failed.leftInPlace).toEqual([`step 1 aws.user.quarantine on IAM user ${user.userName}`]);
    expect(failed.failures).toEqual([expect.stringMatching(new RegExp(`^undo of step 1 aws.user.quarantine on IAM user ${user.userName}: not permitted .*iam:DeleteUserPolicy`)) as string]);
    // Every other undo ran: the key is active again and the tag is gone; only the quarantine stays.
    const partly = await userState(user.userName, moto.admin);
    expect(partly.keys).toEqual(before.keys);
    expect(partly.tags).toEqual(before.tags);
    expect(Object.keys(partly.policies)).toEqual([`idra-quarantine-${incident}`]);

    await moto.allowEverything(worker.userName);
    const done = await idra.rollback(incident, { analyst: 'bob@example.com', reason: 'permission granted, retry the undo' });
    expect(done.state).toBe('rolled_back');
    expect(done.leftInPlace).toEqual([]);
    expect(await userState(user.userName, moto.admin)).toEqual(before);
    // The retry undid only what was left: one more compensation, of the quarantine.
    expect(done.changes.filter((receipt) => receipt.operation === 'compensate').map((receipt) => [receipt.action, receipt.changed])).toEqual([
      ['aws.identity.tag', true],
      ['aws.accessKey.deactivate', true],
      ['aws.user.quarantine', true],
    ]);
  });
});
