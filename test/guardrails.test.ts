import { describe, expect, it } from 'vitest';
import { createUser, userState } from './support/aws';
import { leakSignal } from './support/signals';
import { analyst, connectIdra, useIdra, waitForState } from './support/temporal';

const bob = { analyst: 'bob@example.com', reason: 'reviewed' };

describe('guardrails: protected identities, kill switch, overlapping responses', () => {
  const env = useIdra();

  it('never changes a protected identity before approval (tier from its IAM tag idra:tier, which the inventory trusts in this account)', async () => {
    const user = await createUser('crown-jewel', { tags: { 'idra:tier': 'protected' } });
    const before = await userState(user.userName);
    const { incident } = await env.idra.respond(leakSignal(user));
    const waiting = await waitForState(env.idra, incident, 'awaiting_approval');
    expect(waiting.guardedBecause).toEqual(["the identity's tier is protected"]);
    expect(waiting.changes).toEqual([]);
    expect(await userState(user.userName)).toEqual(before);

    const contained = await env.idra.approve(incident, analyst);
    expect(contained.state).toBe('awaiting_decision');
    expect((await userState(user.userName)).keys[user.accessKeyIds[0]!]).toBe('Inactive');
    expect((await env.idra.decide('confirm', incident, bob)).state).toBe('confirmed');
  });

  it('a protected identity whose response is rejected is left untouched', async () => {
    const user = await createUser('rejected', { tags: { 'idra:tier': 'protected' } });
    const before = await userState(user.userName);
    const { incident } = await env.idra.respond(leakSignal(user));
    await waitForState(env.idra, incident, 'awaiting_approval');
    expect(
      (await env.idra.decide('reject', incident, { analyst: 'alice@example.com', reason: 'known test key' })).state,
    ).toBe('rejected');
    expect(await userState(user.userName)).toEqual(before);
  });

  it('kill switch: pause sends every response to approval, resume lets them contain again; both recorded', async () => {
    const unsigned = await connectIdra('default', { signsDecisions: false });
    try {
      await expect(unsigned.idra.pause({ analyst: 'mallory@example.com', reason: 'chaos' })).rejects.toMatchObject({
        cause: { message: "no signed assertion: decisions must carry the analyst's token" },
      });
    } finally {
      await unsigned.close();
    }
    const paused = await env.idra.pause({
      analyst: 'carol@example.com',
      reason: 'false-positive storm from the new scanner',
    });
    try {
      expect(paused.pause).toMatchObject({ analyst: 'carol@example.com' });
      const held = await createUser('during-pause');
      const before = await userState(held.userName);
      const first = await env.idra.respond(leakSignal(held));
      const waiting = await waitForState(env.idra, first.incident, 'awaiting_approval');
      expect(waiting.guardedBecause).toEqual([
        expect.stringMatching(
          /^automatic actions are paused since \S+ by carol@example.com: false-positive storm from the new scanner$/,
        ) as string,
      ]);
      expect(await userState(held.userName)).toEqual(before);
      expect((await env.idra.guardStatus()).pause?.analyst).toBe('carol@example.com');
    } finally {
      expect((await env.idra.resume({ analyst: 'carol@example.com', reason: 'scanner fixed' })).pause).toBeUndefined();
    }
    const after = await createUser('after-resume');
    const second = await env.idra.respond(leakSignal(after));
    await waitForState(env.idra, second.incident, 'awaiting_decision');
    expect((await userState(after.userName)).keys[after.accessKeyIds[0]!]).toBe('Inactive');

    const guardHistory = await env.idra.client.workflow.getHandle('idra-guard').fetchHistory();
    const updates = (guardHistory.events ?? []).flatMap(
      (event) => event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name ?? [],
    );
    // The unsigned attempt is in the guard's history too, failed with its reason.
    expect(updates.filter((name) => name === 'pause' || name === 'resume')).toEqual(['pause', 'pause', 'resume']);
    const refused = (guardHistory.events ?? []).flatMap(
      (event) => event.workflowExecutionUpdateCompletedEventAttributes?.outcome?.failure ?? [],
    );
    expect(refused).toHaveLength(1);
  });

  it('two open responses on one user (two leaked keys) never undo each other', async () => {
    const user = await createUser('two-leaks', { keys: 2 });
    const before = await userState(user.userName);
    const first = await env.idra.respond(leakSignal(user, 0));
    const second = await env.idra.respond(leakSignal(user, 1));
    expect(first.incident).not.toBe(second.incident);
    await waitForState(env.idra, first.incident, 'awaiting_decision');
    await waitForState(env.idra, second.incident, 'awaiting_decision');
    const both = await userState(user.userName);
    expect(Object.values(both.keys)).toEqual(['Inactive', 'Inactive']);
    expect(Object.keys(both.policies).sort()).toEqual(
      [`idra-quarantine-${first.incident}`, `idra-quarantine-${second.incident}`].sort(),
    );

    expect((await env.idra.rollback(first.incident, analyst)).state).toBe('rolled_back');
    const afterFirst = await userState(user.userName);
    expect(afterFirst.keys).toEqual({ [user.accessKeyIds[0]!]: 'Active', [user.accessKeyIds[1]!]: 'Inactive' });
    expect(Object.keys(afterFirst.policies)).toEqual([`idra-quarantine-${second.incident}`]);
    expect(afterFirst.tags).toEqual({ ...before.tags, [`idra:incident:${second.incident}`]: 'contained' });

    expect((await env.idra.rollback(second.incident, analyst)).state).toBe('rolled_back');
    expect(await userState(user.userName)).toEqual(before);
  });
});
