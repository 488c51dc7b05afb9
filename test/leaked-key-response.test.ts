import { describe, expect, it } from 'vitest';
import type { Receipt } from '../model/response';
import { PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { createUser, iam, userState } from './support/aws';
import { leakSignal } from './support/signals';
import { analyst, useIdra, waitForState } from './support/temporal';

const DENY_ALL = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'IdraQuarantineDenyAll', Effect: 'Deny', Action: '*', Resource: '*' }],
};
const byStep = (a: Receipt, b: Receipt) => a.step - b.step;

describe('leaked AWS access key: contain, then approve or roll back', () => {
  const env = useIdra();

  it('deactivates exactly the leaked key, quarantines the user, and rollback restores the exact prior state', async () => {
    const ownPolicy = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
    };
    const user = await createUser('ci-deployer', { keys: 2, inlinePolicies: { 'read-artifacts': ownPolicy } });
    const before = await userState(user.userName);

    const { incident, joined } = await env.idra.respond(leakSignal(user, 0));
    expect(joined).toBe(false);
    const contained = await waitForState(env.idra, incident, 'awaiting_decision');

    const during = await userState(user.userName);
    expect(during.keys).toEqual({ [user.accessKeyIds[0]!]: 'Inactive', [user.accessKeyIds[1]!]: 'Active' });
    expect(during.policies).toEqual({ 'read-artifacts': ownPolicy, [`idra-quarantine-${incident}`]: DENY_ALL });
    const idraTags = { [`idra:incident:${incident}`]: 'contained' };
    expect(during.tags).toEqual({ ...before.tags, ...idraTags });
    expect(contained.changes.sort(byStep).map((c) => [c.action, c.operation, c.before, c.after, c.changed])).toEqual([
      ['aws.accessKey.deactivate', 'apply', { status: 'Active' }, { status: 'Inactive' }, true],
      ['aws.user.quarantine', 'apply', { policy: null }, { policy: DENY_ALL }, true],
      ['aws.identity.tag', 'apply', { tags: { [`idra:incident:${incident}`]: null } }, { tags: idraTags }, true],
    ]);

    const final = await env.idra.rollback(incident, analyst);
    expect(final.state).toBe('rolled_back');
    expect(final.decision).toMatchObject({ kind: 'rollback', ...analyst });
    // Undone in reverse: the parallel stage (quarantine, tag) first, in reverse of the order it was applied.
    const undone = final.changes.filter((c) => c.operation === 'compensate');
    expect(undone.map((c) => c.action).at(-1)).toBe('aws.accessKey.deactivate');
    expect(undone.sort(byStep).map((c) => [c.action, c.after, c.changed])).toEqual([
      ['aws.accessKey.deactivate', { status: 'Active' }, true],
      ['aws.user.quarantine', { policy: null }, true],
      ['aws.identity.tag', { tags: { [`idra:incident:${incident}`]: null } }, true],
    ]);
    expect(await userState(user.userName)).toEqual(before);
  });

  it('keeps a key that was already inactive inactive after rollback', async () => {
    const user = await createUser('dormant', { keys: 1, inactiveKeys: 1 });
    const before = await userState(user.userName);
    const { incident } = await env.idra.respond(leakSignal(user));
    const contained = await waitForState(env.idra, incident, 'awaiting_decision');
    expect(contained.changes.sort(byStep)[0]).toMatchObject({
      before: { status: 'Inactive' },
      after: { status: 'Inactive' },
      changed: false,
    });

    await env.idra.rollback(incident, analyst);
    expect(await userState(user.userName)).toEqual(before);
    expect(before.keys).toEqual({ [user.accessKeyIds[0]!]: 'Inactive' });
  });

  it('approve keeps the containment, deletes the leaked key (the irreversible step) and closes as confirmed', async () => {
    const user = await createUser('exporter', { keys: 2 });
    const { incident } = await env.idra.respond(leakSignal(user));
    await waitForState(env.idra, incident, 'awaiting_decision');
    // The irreversible step has not run before approval.
    expect(Object.keys((await userState(user.userName)).keys)).toHaveLength(2);

    const final = await env.idra.approve(incident, analyst);
    expect(final.state).toBe('confirmed');
    expect(final.decision).toMatchObject({ kind: 'approve', analyst: analyst.analyst });
    expect(final.changes.find((c) => c.action === 'aws.accessKey.delete')).toMatchObject({
      before: { exists: true },
      after: { exists: false },
      changed: true,
    });
    const after = await userState(user.userName);
    expect(after.keys).toEqual({ [user.accessKeyIds[1]!]: 'Active' });
    expect(Object.keys(after.policies)).toEqual([`idra-quarantine-${incident}`]);
    const result: unknown = await env.idra.client.workflow.getHandle(incident).result();
    expect(result).toMatchObject({ state: 'confirmed' });
  });

  it('a second signal about the same key joins the open response as evidence', async () => {
    const user = await createUser('joined');
    const first = await env.idra.respond(leakSignal(user, 0, { id: 'alert-1' }));
    const second = await env.idra.respond(
      leakSignal(user, 0, { id: 'alert-2', source: 'guardduty', severity: 'high' }),
    );
    expect(second).toEqual({ incident: first.incident, runId: first.runId, joined: true });

    const view = await waitForState(env.idra, first.incident, 'awaiting_decision');
    expect(view.signals.map((s) => [s.id, s.source])).toEqual([
      ['alert-1', 'github-secret-scanning'],
      ['alert-2', 'guardduty'],
    ]);
    expect(view.changes.filter((c) => c.changed)).toHaveLength(3);
    await env.idra.approve(first.incident, analyst);
  });

  it('holds and escalates when a step fails: nothing else changes and the analyst can still roll back', async () => {
    const user = await createUser('mismatch');
    const other = await createUser('owner');
    const before = await userState(user.userName);
    // The signal names a key that belongs to another user: idra refuses to act on the wrong credential.
    const signal = leakSignal(user, 0, {
      identity: { ...(leakSignal(user).identity as object), accessKeyId: other.accessKeyIds[0] },
    });
    const { incident } = await env.idra.respond(signal);
    const view = await waitForState(env.idra, incident, 'containment_failed');
    expect(view.failures).toEqual([
      `step 0 aws.accessKey.deactivate on access key ${other.accessKeyIds[0]} of IAM user ${user.userName}: access key ${other.accessKeyIds[0]} does not belong to IAM user ${user.userName}`,
    ]);
    expect(view.changes).toEqual([]);
    expect(await userState(user.userName)).toEqual(before);
    expect(view.plan?.stages.flat().map((step) => step.action)).toEqual([
      'aws.accessKey.deactivate',
      'aws.user.quarantine',
      'aws.identity.tag',
    ]);
    expect((await userState(other.userName)).keys[other.accessKeyIds[0]!]).toBe('Active');

    expect((await env.idra.rollback(incident, analyst)).state).toBe('rolled_back');
  });

  it('does not clobber a change someone else made after idra: rollback records the drift and asks an analyst', async () => {
    const user = await createUser('drifted');
    const { incident } = await env.idra.respond(leakSignal(user));
    await waitForState(env.idra, incident, 'awaiting_decision');
    // An engineer edits idra's quarantine policy by hand while the response is open.
    const edited = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:*', Resource: '*' }] };
    await iam.send(
      new PutUserPolicyCommand({
        UserName: user.userName,
        PolicyName: `idra-quarantine-${incident}`,
        PolicyDocument: JSON.stringify(edited),
      }),
    );

    const final = await env.idra.rollback(incident, analyst);
    const undo = final.changes.filter((receipt) => receipt.operation === 'compensate');
    expect(final.state).toBe('needs_review');
    expect(undo.sort(byStep).map((receipt) => [receipt.action, receipt.changed, receipt.drift])).toEqual([
      ['aws.accessKey.deactivate', true, undefined],
      [
        'aws.user.quarantine',
        false,
        {
          expected: { policy: DENY_ALL },
          observed: { policy: edited },
          note: 'changed by someone else since: left as found',
        },
      ],
      ['aws.identity.tag', true, undefined],
    ]);
    const after = await userState(user.userName);
    expect(after.keys).toEqual({ [user.accessKeyIds[0]!]: 'Active' });
    expect(after.policies).toEqual({ [`idra-quarantine-${incident}`]: edited });

    // An analyst looks at the drift and confirms: the response closes as rolled back.
    expect(
      (await env.idra.decide('confirm', incident, { analyst: 'bob@example.com', reason: 'the s3 deny is intended' }))
        .state,
    ).toBe('rolled_back');
  });
});
