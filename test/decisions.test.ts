import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import type { ResponseView } from '../model/response';
import { DECISION_MESSAGES } from '../api/response-messages';
import { createUser, userState } from './support/aws';
import { leakSignal } from './support/signals';
import { analyst, analystToken, useIdra, waitForState } from './support/temporal';

const playbook = (id: string) => ({ tags: { 'test:playbook': id } });

async function denial(decision: Promise<unknown>): Promise<string | undefined> {
  const error = await decision.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  return (error as WorkflowUpdateFailedError).cause?.message;
}

describe('decisions and timing rules', () => {
  const env = useIdra();

  const result = (incident: string) => env.idra.client.workflow.getHandle(incident).result() as Promise<ResponseView>;

  it('without a decision in time the identity stays contained, and the history says so', async () => {
    const user = await createUser('unreviewed', playbook('short-timeout'));
    const { incident } = await env.idra.respond(leakSignal(user));
    const final = await result(incident);
    expect(final.state).toBe('timed_out_contained');
    expect(final.decision).toBeUndefined();
    expect((await userState(user.userName)).keys[user.accessKeyIds[0]!]).toBe('Inactive');

    const handle = env.idra.client.workflow.getHandle(incident);
    const events = (await handle.fetchHistory()).events ?? [];
    expect(events.some((event) => event.timerFiredEventAttributes)).toBe(true);
    const description = await handle.describe();
    expect(description.typedSearchAttributes.getAll().find((pair) => pair.key.name === 'IdraState')?.value).toBe(
      'timed_out_contained',
    );
  });

  it('a playbook can roll back on timeout instead', async () => {
    const user = await createUser('impatient', playbook('timeout-rollback'));
    const before = await userState(user.userName);
    const { incident } = await env.idra.respond(leakSignal(user));
    expect((await result(incident)).state).toBe('rolled_back');
    expect(await userState(user.userName)).toEqual(before);
  });

  it('or escalate: the escalation group may then decide, and the original group still can', async () => {
    const user = await createUser('escalating', playbook('timeout-escalate'));
    const { incident } = await env.idra.respond(leakSignal(user));
    const escalated = await waitForState(env.idra, incident, 'escalated');
    expect(escalated.escalatedTo).toBe('security-leads');
    expect(
      (await env.idra.decide('confirm', incident, { analyst: 'carol@example.com', reason: 'lead confirms' })).state,
    ).toBe('confirmed');
  });

  it('a containment TTL reverts by itself unless confirmed', async () => {
    const reverting = await createUser('ttl-revert', playbook('ttl'));
    const before = await userState(reverting.userName);
    const { incident } = await env.idra.respond(leakSignal(reverting));
    expect((await result(incident)).state).toBe('reverted');
    expect(await userState(reverting.userName)).toEqual(before);

    const kept = await createUser('ttl-confirmed', playbook('ttl'));
    const confirmed = await env.idra.respond(leakSignal(kept));
    await waitForState(env.idra, confirmed.incident, 'awaiting_decision');
    expect((await env.idra.decide('confirm', confirmed.incident, analyst)).state).toBe('confirmed');
    expect((await userState(kept.userName)).keys[kept.accessKeyIds[0]!]).toBe('Inactive');
  });

  it('denies decisions from outside the approver group, blank ones and ones the state does not take, and records them', async () => {
    const user = await createUser('denials');
    const { incident } = await env.idra.respond(leakSignal(user));
    await waitForState(env.idra, incident, 'awaiting_decision');

    expect(await denial(env.idra.approve(incident, { analyst: 'mallory@example.com', reason: 'trust me' }))).toBe(
      'mallory@example.com is not in the approver group security-oncall',
    );
    expect(await denial(env.idra.approve(incident, { analyst: ' ', reason: 'looks fine' }))).toBe(
      'analyst: must name the analyst',
    );
    expect(await denial(env.idra.decide('reject', incident, analyst))).toBe(
      'the response is awaiting_decision: it takes approve, confirm, rollback, cancel, not reject',
    );

    await env.idra.decide('confirm', incident, analyst);
    // The response has closed: a decision can no longer reach it, so nothing changes.
    await expect(env.idra.rollback(incident, { analyst: 'bob@example.com', reason: 'undo it' })).rejects.toBeInstanceOf(
      WorkflowNotFoundError,
    );

    const view = await env.idra.status(incident);
    expect(view.state).toBe('confirmed');
    expect(view.deniedDecisions.map((denied) => [denied.kind, denied.analyst])).toEqual([
      ['approve', 'mallory@example.com'],
      ['approve', ' '],
      ['reject', 'alice@example.com'],
    ]);
    const history = await env.idra.client.workflow.getHandle(incident).fetchHistory();
    expect(history.events?.filter((event) => event.workflowExecutionUpdateAcceptedEventAttributes).length).toBe(4);
    expect((await userState(user.userName)).keys[user.accessKeyIds[0]!]).toBe('Inactive');
  });

  it('needs two different approvers, and under four-eyes not the one who raised the signal', async () => {
    const user = await createUser('two-approvers', playbook('two-approvers'));
    const { incident } = await env.idra.respond(leakSignal(user, 0, { requestedBy: 'dana@example.com' }));
    await waitForState(env.idra, incident, 'awaiting_decision');

    expect(await denial(env.idra.approve(incident, { analyst: 'dana@example.com', reason: 'my own' }))).toBe(
      'four-eyes: dana@example.com raised this response and cannot decide on it',
    );
    const first = await env.idra.approve(incident, analyst);
    expect([first.state, first.approvals.length]).toEqual(['awaiting_decision', 1]);
    expect(await denial(env.idra.approve(incident, analyst))).toBe(
      'alice@example.com has already approved; 2 different approvers are needed',
    );
    const second = await env.idra.approve(incident, { analyst: 'bob@example.com', reason: 'agreed' });
    expect(second.state).toBe('confirmed');
    expect(second.approvals.map((approval) => approval.analyst)).toEqual(['alice@example.com', 'bob@example.com']);
  });

  it('an approval nobody can give (four-eyes, the raiser one of two approvers) escalates at once instead of waiting', async () => {
    const user = await createUser('unmeetable', playbook('unmeetable-approval'));
    const before = await userState(user.userName);
    const { incident } = await env.idra.respond(leakSignal(user, 0, { requestedBy: 'alice@example.com' }));
    const escalated = await waitForState(env.idra, incident, 'escalated');
    expect(escalated.escalatedTo).toBe('security-leads');
    expect(escalated.escalatedBecause).toBe(
      'the approval rule cannot be met: 2 different approvers required, 1 eligible in pair (four-eyes excludes alice@example.com, who raised it)',
    );
    expect(await userState(user.userName)).toEqual(before);

    await env.idra.approve(incident, { analyst: 'erin@example.com', reason: 'confirmed leak' });
    const contained = await env.idra.approve(incident, { analyst: 'carol@example.com', reason: 'agreed, as lead' });
    expect(contained.state).toBe('awaiting_decision');
    expect((await userState(user.userName)).keys[user.accessKeyIds[0]!]).toBe('Inactive');
  });

  it('accepts decisions as signals (what the Temporal UI sends), audited the same way', async () => {
    const user = await createUser('ui-signal');
    const before = await userState(user.userName);
    const { incident } = await env.idra.respond(leakSignal(user));
    await waitForState(env.idra, incident, 'awaiting_decision');
    const handle = env.idra.client.workflow.getHandle(incident);

    // What an analyst pastes into the UI's signal form: their decision, with their token.
    await handle.signal(DECISION_MESSAGES.rollback.signal, {
      analyst: 'bob@example.com',
      reason: 'false positive: test key',
      assertion: await analystToken('bob@example.com', incident),
    });
    await handle.signal(DECISION_MESSAGES.approve.signal, {
      analyst: 'alice@example.com',
      reason: 'too late',
      assertion: await analystToken('alice@example.com', incident),
    });
    const final = await result(incident);
    expect(final.state).toBe('rolled_back');
    expect(final.decision).toMatchObject({
      kind: 'rollback',
      analyst: 'bob@example.com',
      reason: 'false positive: test key',
    });
    expect(final.deniedDecisions).toEqual([expect.objectContaining({ kind: 'approve', analyst: 'alice@example.com' })]);
    expect(await userState(user.userName)).toEqual(before);
  });
});
