import { describe, expect, it } from 'vitest';
import { createIamUser } from '../infra/seed-aws';
import { uniqueName, userState } from './support/aws';
import { useRestrictedIdra } from './support/restricted-moto';
import { leakSignal } from './support/signals';
import { analyst, waitForState } from './support/temporal';

describe('honest undo: an undo that fails is reported, never passed off as rolled back', () => {
  // The worker may quarantine a user but not lift the quarantine: every undo of it is refused.
  const env = useRestrictedIdra(['iam:DeleteUserPolicy']);

  it('ends rollback_failed naming the step left in place; rollback again, once permitted, finishes exactly', async () => {
    const user = await createIamUser(env.moto.admin, uniqueName('undo-denied'), { keys: 2 });
    const before = await userState(user.userName, env.moto.admin);
    const { incident } = await env.idra.respond(leakSignal(user));
    await waitForState(env.idra, incident, 'awaiting_decision');

    const failed = await env.idra.rollback(incident, analyst);
    expect(failed.state).toBe('rollback_failed');
    expect(failed.leftInPlace).toEqual([`step 1 aws.user.quarantine on IAM user ${user.userName}`]);
    expect(failed.failures).toEqual([
      expect.stringMatching(
        new RegExp(
          `^undo of step 1 aws.user.quarantine on IAM user ${user.userName}: not permitted .*iam:DeleteUserPolicy`,
        ),
      ) as string,
    ]);
    // Every other undo ran: the key is active again and the tag is gone; only the quarantine stays.
    const partly = await userState(user.userName, env.moto.admin);
    expect(partly.keys).toEqual(before.keys);
    expect(partly.tags).toEqual(before.tags);
    expect(Object.keys(partly.policies)).toEqual([`idra-quarantine-${incident}`]);

    await env.moto.allowEverything(env.worker.userName);
    const done = await env.idra.rollback(incident, {
      analyst: 'bob@example.com',
      reason: 'permission granted, retry the undo',
    });
    expect(done.state).toBe('rolled_back');
    expect(done.leftInPlace).toEqual([]);
    expect(await userState(user.userName, env.moto.admin)).toEqual(before);
    // The retry undid only what was left: one more compensation, of the quarantine.
    expect(
      done.changes
        .filter((receipt) => receipt.operation === 'compensate')
        .map((receipt) => [receipt.action, receipt.changed]),
    ).toEqual([
      ['aws.identity.tag', true],
      ['aws.accessKey.deactivate', true],
      ['aws.user.quarantine', true],
    ]);
  });
});
