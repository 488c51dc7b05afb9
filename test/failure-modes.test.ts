import { describe, expect, it } from 'vitest';
import { createIamUser } from '../infra/seed-aws';
import type { ResponseView } from '../model/response';
import { secretValue, uniqueName, userState, type UserState } from './support/aws';
import { useRestrictedIdra } from './support/restricted-moto';
import { leakSignal } from './support/signals';
import { analyst, waitForState } from './support/temporal';

describe('a step fails (the worker may not iam:TagUser) at each position of a three-step plan', () => {
  const env = useRestrictedIdra(['iam:TagUser']);

  async function respondFor(playbook: string, keys = 2) {
    const user = await createIamUser(env.moto.admin, uniqueName(playbook), {
      keys,
      inlinePolicies: {
        own: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] },
      },
      tags: { 'test:playbook': playbook },
    });
    const before = await userState(user.userName, env.moto.admin);
    const { incident } = await env.idra.respond(leakSignal(user));
    return { user, before, incident };
  }

  const applied = (view: ResponseView) =>
    view.changes.filter((receipt) => receipt.operation === 'apply').map((receipt) => receipt.action);

  // position → the actions that succeed before the tag step fails
  const positions: [string, string[]][] = [
    ['tag-first', []],
    ['tag-middle', ['aws.accessKey.deactivate']],
    ['tag-last', ['aws.accessKey.deactivate', 'aws.user.quarantine']],
  ];

  it.each(positions)(
    '%s, onFailure hold: keeps what was applied, applies nothing after, escalates; rollback still restores',
    async (position, before) => {
      const { user, before: prior, incident } = await respondFor(`${position}-hold`);
      const view = await waitForState(env.idra, incident, 'containment_failed');
      expect(applied(view)).toEqual(before);
      expect(view.failures).toEqual([
        expect.stringContaining(
          `aws.identity.tag on IAM user ${user.userName}: not permitted on IAM user ${user.userName}: User: arn:aws:iam::123456789012:user/`,
        ) as string,
      ]);
      expect(view.failures[0]).toContain('is not authorized to perform: iam:TagUser');

      const held: UserState = await userState(user.userName, env.moto.admin);
      expect(held.keys[user.accessKeyIds[0]!]).toBe(
        before.includes('aws.accessKey.deactivate') ? 'Inactive' : 'Active',
      );
      expect(Object.keys(held.policies).length).toBe(before.includes('aws.user.quarantine') ? 2 : 1);

      expect((await env.idra.rollback(incident, analyst)).state).toBe('rolled_back');
      expect(await userState(user.userName, env.moto.admin)).toEqual(prior);
    },
  );

  it.each(positions)('%s, onFailure rollback: undoes everything at once', async (position, before) => {
    const { user, before: prior, incident } = await respondFor(`${position}-rollback`);
    const final = (await env.idra.client.workflow.getHandle(incident).result()) as ResponseView;
    expect(final.state).toBe('rolled_back');
    expect(applied(final)).toEqual(before);
    expect(
      final.changes
        .filter((receipt) => receipt.operation === 'compensate' && receipt.changed)
        .map((receipt) => receipt.action)
        .sort(),
    ).toEqual([...before].sort());
    expect(await userState(user.userName, env.moto.admin)).toEqual(prior);
  });

  it('a failure after the new key was created: rollback deletes the half-made key and its secret', async () => {
    // One key, so the rotation has room for a second (IAM allows two per user).
    const { user, before: prior, incident } = await respondFor('rotate-then-fail', 1);
    const final = (await env.idra.client.workflow.getHandle(incident).result()) as ResponseView;
    expect(final.state).toBe('rolled_back');
    expect(final.changes.map((receipt) => [receipt.action, receipt.operation, receipt.changed])).toEqual([
      ['aws.accessKey.rotate', 'apply', true],
      ['aws.identity.tag', 'compensate', false],
      ['aws.accessKey.rotate', 'compensate', true],
    ]);
    expect(await userState(user.userName, env.moto.admin)).toEqual(prior);
    expect(await secretValue(`idra/rotated/${incident}`, env.moto.adminSecrets)).toBeNull();
  });
});
