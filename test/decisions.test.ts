import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdraClient } from '../clients/idra-client';
import { approveSignal, rollbackSignal } from '../workflows/messages';
import { createUser, userState } from './support/aws';
import { leakSignal } from './support/signals';
import { connectIdra, runWorkers, waitForState } from './support/temporal';

describe('decisions: timeout, denied attempts, signals from the UI', () => {
  let idra: IdraClient;
  let close: () => Promise<void>;
  let workers: { stop: () => Promise<void> };

  beforeAll(async () => {
    ({ idra, close } = await connectIdra());
    workers = await runWorkers();
  });
  afterAll(async () => {
    await workers.stop();
    await close();
  });

  it('without a decision in time the identity stays contained, and the history says so', async () => {
    // A playbook with a short decision timeout: the timer is real, so the test waits for it.
    const impatient = await connectIdra({ decisionTimeout: '2s' });
    const user = await createUser('unreviewed');
    const { incident } = await impatient.idra.respond(leakSignal(user));
    await impatient.close();
    const handle = idra.client.workflow.getHandle(incident);
    const result = (await handle.result()) as { state: string; decision?: unknown };
    expect(result.state).toBe('timed_out_contained');
    expect(result.decision).toBeUndefined();
    expect((await userState(user.userName)).keys[user.accessKeyIds[0]!]).toBe('Inactive');

    const events = (await handle.fetchHistory()).events ?? [];
    expect(events.some((event) => event.timerFiredEventAttributes)).toBe(true);
    const description = await handle.describe();
    expect(description.typedSearchAttributes.getAll().find((pair) => pair.key.name === 'IdraState')?.value).toBe('timed_out_contained');
  });

  it('records denied decisions (blank analyst, second decision) and fails the update with the reason', async () => {
    const user = await createUser('denials');
    const { incident } = await idra.respond(leakSignal(user));
    await waitForState(idra, incident, 'awaiting_decision');

    const blank = await idra.approve(incident, { analyst: ' ', reason: 'looks fine' }).catch((error: unknown) => error);
    expect(blank).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((blank as WorkflowUpdateFailedError).cause?.message).toBe('analyst: must name the analyst');

    await idra.approve(incident, { analyst: 'alice', reason: 'confirmed leak' });
    const late = await idra.rollback(incident, { analyst: 'mallory', reason: 'undo it' }).catch((error: unknown) => error);
    // The response has closed: a decision can no longer reach it, so nothing changes.
    expect(late).toBeInstanceOf(WorkflowNotFoundError);

    const view = await idra.status(incident);
    expect(view.state).toBe('confirmed');
    expect(view.deniedDecisions).toEqual([expect.objectContaining({ kind: 'approve', analyst: ' ', problem: 'analyst: must name the analyst' })]);
    expect((await userState(user.userName)).keys[user.accessKeyIds[0]!]).toBe('Inactive');
  });

  it('accepts approve and rollback as signals (what the Temporal UI sends), audited the same way', async () => {
    const user = await createUser('ui-signal');
    const before = await userState(user.userName);
    const { incident } = await idra.respond(leakSignal(user));
    await waitForState(idra, incident, 'awaiting_decision');
    const handle = idra.client.workflow.getHandle(incident);

    await handle.signal(rollbackSignal, { analyst: 'bob', reason: 'false positive: test key' });
    await handle.signal(approveSignal, { analyst: 'carol', reason: 'too late' });
    const result = (await handle.result()) as { state: string; decision: unknown; deniedDecisions: unknown[] };
    expect(result.state).toBe('rolled_back');
    expect(result.decision).toMatchObject({ kind: 'rollback', analyst: 'bob', reason: 'false positive: test key' });
    expect(result.deniedDecisions).toEqual([expect.objectContaining({ kind: 'approve', analyst: 'carol', problem: expect.stringMatching(/^already decided: rollback by bob/) as string })]);
    expect(await userState(user.userName)).toEqual(before);
  });
});
