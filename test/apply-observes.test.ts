import { CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it, vi } from 'vitest';
import type { AnyAction } from '../activities/action';
import { heartbeatWhileRunning } from '../activities/liveness';
import { stepActivities } from '../activities/run-action';
import type { Receipt, StepInput } from '../model/response';
import { actionSpec } from '../providers/catalog';

/**
 * A provider that takes a while to show a write (IAM is eventually consistent; moto is not, so its lag is
 * played here): reads return the old state until `lagReads` reads after the write.
 */
function laggingKey(lagReads: number, status = 'Active', onRead = () => {}) {
  let stored = { status };
  let shown = stored;
  let readsSinceWrite = Infinity;
  const reads: string[] = [];
  const times = { written: 0, lastRead: 0 };
  const action = {
    spec: actionSpec('aws.accessKey.deactivate'),
    read: () => {
      onRead();
      if (++readsSinceWrite >= lagReads) shown = stored;
      reads.push(shown.status);
      times.lastRead = Date.now();
      return Promise.resolve(shown);
    },
    desired: () => ({ status: 'Inactive' }),
    write: (_params: unknown, state: { status: string }) => {
      stored = state;
      readsSinceWrite = 0;
      times.written = Date.now();
      return Promise.resolve();
    },
  } as unknown as AnyAction;
  return { action, reads, times };
}

const input: StepInput = {
  incident: 'idra-test',
  step: {
    index: 0,
    action: 'aws.accessKey.deactivate',
    provider: 'aws',
    taskQueue: 'idra-aws',
    reversible: true,
    target: 'key',
    params: { account: '123456789012', userName: 'u', accessKeyId: 'AKIAEXAMPLEEXAMPLE00' },
  },
  before: { status: 'Active' },
};

describe('apply waits until the provider shows its change', () => {
  it('returns only once a read shows the change, with the time of the write', async () => {
    const { action, reads, times } = laggingKey(3);
    const apply = stepActivities(action, 'test')['aws.accessKey.deactivate.apply']!;
    const receipt = (await apply(input)) as Receipt;
    // One read before writing, then reads until the change shows (the third after the write).
    expect(reads).toEqual(['Active', 'Active', 'Active', 'Inactive']);
    expect(receipt).toMatchObject({
      operation: 'apply',
      before: { status: 'Active' },
      after: { status: 'Inactive' },
      changed: true,
    });
    // The receipt says when the provider took the write, not when the change showed (pauses 100 + 200 ms).
    const at = Date.parse(receipt.at);
    expect([at >= times.written, at < times.lastRead - 250]).toEqual([true, true]);
  });

  it('an undo restores what apply found, not an older snapshot: a key someone else turned off meanwhile stays off', async () => {
    // The snapshot (read while the guard decided) says Active; by the time apply runs, someone turned it off.
    const { action } = laggingKey(0, 'Inactive');
    const activities = stepActivities(action, 'test');
    const receipt = (await activities['aws.accessKey.deactivate.apply']!(input)) as Receipt;
    expect(receipt).toMatchObject({ before: { status: 'Inactive' }, after: { status: 'Inactive' }, changed: false });
    const undone = (await activities['aws.accessKey.deactivate.compensate']!({
      ...input,
      before: receipt.before,
      applied: receipt.changed,
    })) as Receipt;
    expect(undone).toMatchObject({ changed: false, after: { status: 'Inactive' } });
    expect(await action.read(input.step.params)).toEqual({ status: 'Inactive' });
  });
});

describe('an attempt the server gave up on writes nothing', () => {
  // The SDK cancels an attempt whose heartbeats stopped reaching the server (TIMED_OUT) once its worker hears
  // so; a retry may already run elsewhere. Here the news arrives while the attempt reads, before it writes.
  const cancelledWhileReading = () => {
    const environment = new MockActivityEnvironment({ attempt: 1, startToCloseTimeoutMs: 60_000 });
    const key = laggingKey(0, 'Active', () => environment.cancel('TIMED_OUT'));
    return { environment, ...key };
  };

  it('apply stops before its write', async () => {
    const { environment, action, times } = cancelledWhileReading();
    const apply = stepActivities(action, 'test')['aws.accessKey.deactivate.apply']!;
    await expect(environment.run(apply, input)).rejects.toBeInstanceOf(CancelledFailure);
    expect(times.written).toBe(0);
    expect(await action.read(input.step.params)).toEqual({ status: 'Active' });
  });

  it('an undo stops before its write', async () => {
    const { environment, action, times } = cancelledWhileReading();
    // The key is as apply left it (Inactive) when the undo reads it.
    const read = action.read.bind(action);
    action.read = async (params) => ({ ...((await read(params)) as object), status: 'Inactive' });
    const compensate = stepActivities(action, 'test')['aws.accessKey.deactivate.compensate']!;
    await expect(environment.run(compensate, { ...input, applied: true })).rejects.toBeInstanceOf(CancelledFailure);
    expect(times.written).toBe(0);
  });

  it('a step the response asked to stop still finishes and reports what it did (the saga waits for it before undoing)', async () => {
    const environment = new MockActivityEnvironment({ attempt: 1, startToCloseTimeoutMs: 60_000 });
    // The change shows on the second read after the write: the wait is cut short, not ended.
    const { action, times } = laggingKey(2, 'Active', () => environment.cancel('CANCELLED'));
    const apply = stepActivities(action, 'test')['aws.accessKey.deactivate.apply']!;
    const receipt = await environment.run<[StepInput], unknown, typeof apply>(apply, input);
    expect(receipt).toMatchObject({
      operation: 'apply',
      before: { status: 'Active' },
      after: { status: 'Inactive' },
      changed: true,
    });
    expect(times.written).toBeGreaterThan(0);
  });

  it('a worker silent for its heartbeat timeout (stalled mid-read) writes nothing, before the server could tell it', async () => {
    // With the worker's own heartbeats; a 1 s heartbeat timeout keeps the stall short.
    const environment = new MockActivityEnvironment(
      { attempt: 1, startToCloseTimeoutMs: 60_000, heartbeatTimeoutMs: 1_000 },
      { interceptors: [heartbeatWhileRunning] },
    );
    const stall = (ms: number) => {
      const until = Date.now() + ms;
      while (Date.now() < until); // the event loop is blocked: no heartbeat can go out
    };
    const { action, times } = laggingKey(0, 'Active', () => stall(900));
    const apply = stepActivities(action, 'test')['aws.accessKey.deactivate.apply']!;
    await expect(environment.run(apply, input)).rejects.toMatchObject({ type: 'SilentAttempt' });
    expect(times.written).toBe(0);
  });

  it('a slow read that lets the worker heartbeat still writes', async () => {
    const environment = new MockActivityEnvironment(
      { attempt: 1, startToCloseTimeoutMs: 60_000, heartbeatTimeoutMs: 1_000 },
      { interceptors: [heartbeatWhileRunning] },
    );
    const { action, times } = laggingKey(0);
    const read = action.read.bind(action);
    // As slow as the stall above, but waiting on I/O the way a provider call does.
    action.read = async (params) => {
      await new Promise((resolve) => setTimeout(resolve, 900));
      return read(params);
    };
    const apply = stepActivities(action, 'test')['aws.accessKey.deactivate.apply']!;
    await expect(environment.run(apply, input)).resolves.toMatchObject({ changed: true });
    expect(times.written).toBeGreaterThan(0);
  });

  it('apply stops waiting for its change to show', async () => {
    const environment = new MockActivityEnvironment({ attempt: 1, startToCloseTimeoutMs: 60_000 });
    // The change never shows; the attempt is cancelled after its write, while it waits.
    const { action, reads } = laggingKey(Infinity);
    const apply = stepActivities(action, 'test')['aws.accessKey.deactivate.apply']!;
    const running = environment.run(apply, input);
    await vi.waitFor(() => expect(reads.length).toBeGreaterThanOrEqual(2));
    environment.cancel('TIMED_OUT');
    // Without cancellation it would go on reading for up to a minute.
    await expect(running).rejects.toBeInstanceOf(CancelledFailure);
  });
});
