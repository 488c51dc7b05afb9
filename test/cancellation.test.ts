import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdraClient } from '../clients/idra-client';
import { GUARD_WORKFLOW_ID } from '../model/guard';
import type { ResponseView } from '../model/response';
import { createUser, userState } from './support/aws';
import { GUARD_RESTART_NAMESPACE } from './support/namespaces';
import { leakSignal } from './support/signals';
import { analyst, connectIdra, runWorkers, useIdra, waitForState } from './support/temporal';

describe('cancellation ends a response in a clear state', () => {
  const env = useIdra();

  it('idra cancel: undoes every change, closes as cancelled and records who cancelled and why', async () => {
    const user = await createUser('cancelled');
    const before = await userState(user.userName);
    const { incident } = await env.idra.respond(leakSignal(user));
    await waitForState(env.idra, incident, 'awaiting_decision');

    const view = await env.idra.decide('cancel', incident, {
      analyst: 'bob@example.com',
      reason: 'duplicate of another incident',
    });
    expect(view.state).toBe('cancelled');
    expect(view.decision).toMatchObject({
      kind: 'cancel',
      analyst: 'bob@example.com',
      reason: 'duplicate of another incident',
    });
    expect(await userState(user.userName)).toEqual(before);
    const result = (await env.idra.client.workflow.getHandle(incident).result()) as ResponseView;
    expect(result.state).toBe('cancelled');
  });

  it('a Temporal cancellation (temporal workflow cancel) undoes too, and the run ends cancelled', async () => {
    const user = await createUser('temporal-cancelled', { keys: 2 });
    const before = await userState(user.userName);
    const { incident } = await env.idra.respond(leakSignal(user));
    await waitForState(env.idra, incident, 'awaiting_decision');

    const handle = env.idra.client.workflow.getHandle(incident);
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow(/cancel/i);
    expect((await handle.describe()).status.name).toBe('CANCELLED');
    expect((await env.idra.status(incident)).state).toBe('cancelled');
    expect(await userState(user.userName)).toEqual(before);
  });

  it('a playbook with onCancel: hold keeps the containment and says so', async () => {
    const user = await createUser('cancel-held', { tags: { 'test:playbook': 'cancel-hold' } });
    const { incident } = await env.idra.respond(leakSignal(user));
    await waitForState(env.idra, incident, 'awaiting_decision');

    const view = await env.idra.decide('cancel', incident, analyst);
    expect(view.state).toBe('cancelled_with_changes');
    const held = await userState(user.userName);
    expect(held.keys[user.accessKeyIds[0]!]).toBe('Inactive');
    expect(Object.keys(held.policies)).toEqual([`idra-quarantine-${incident}`]);
  });

  it('refuses a cancel from outside the approver group: nothing changes', async () => {
    const user = await createUser('cancel-denied');
    const { incident } = await env.idra.respond(leakSignal(user));
    await waitForState(env.idra, incident, 'awaiting_decision');
    const refused = await env.idra
      .decide('cancel', incident, { analyst: 'mallory@example.com', reason: 'let me in' })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((refused as WorkflowUpdateFailedError).cause?.message).toBe(
      'mallory@example.com is not in the approver group security-oncall',
    );
    expect((await env.idra.status(incident)).state).toBe('awaiting_decision');
    expect((await env.idra.rollback(incident, analyst)).state).toBe('rolled_back');
  });
});

describe('terminating the guard never silently lifts the kill switch', () => {
  let idra: IdraClient;
  let close: () => Promise<void>;
  let workers: { stop: () => Promise<void> };
  beforeAll(async () => {
    ({ idra, close } = await connectIdra(GUARD_RESTART_NAMESPACE));
    workers = await runWorkers({ TEMPORAL_NAMESPACE: GUARD_RESTART_NAMESPACE });
  });
  afterAll(async () => {
    await workers.stop();
    await close();
  });

  it('a guard started after its last run was terminated starts paused, until an analyst resumes', async () => {
    await idra.pause({ analyst: 'carol@example.com', reason: 'false-positive storm' });
    await idra.client.workflow.getHandle(GUARD_WORKFLOW_ID).terminate('operator error');

    const user = await createUser('after-guard-terminated');
    const { incident } = await idra.respond(leakSignal(user));
    const held = await waitForState(idra, incident, 'awaiting_approval');
    expect(held.guardedBecause).toEqual([
      expect.stringContaining('the previous guard run ended terminated without handing over its state') as string,
    ]);
    expect((await userState(user.userName)).keys[user.accessKeyIds[0]!]).toBe('Active');
    expect((await idra.guardStatus()).pause?.analyst).toBe('idra');

    await idra.resume({ analyst: 'carol@example.com', reason: 'kill switch and limits checked' });
    const next = await createUser('after-guard-resumed');
    const { incident: nextIncident } = await idra.respond(leakSignal(next));
    await waitForState(idra, nextIncident, 'awaiting_decision');
    expect((await userState(next.userName)).keys[next.accessKeyIds[0]!]).toBe('Inactive');
  });
});
