import { WorkflowUpdateFailedError } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admitUpdate, GUARD_WORKFLOW_TYPE } from '../api/guard-messages';
import { updateGuard } from '../clients/guard-handle';
import { EncryptionCodec } from '../codec/encryption-codec';
import { keyringFromEnv } from '../codec/keyring';
import type { IdraClient } from '../clients/idra-client';
import { waitFor } from '../infra/wait-for';
import { createAdmissionBatcher } from '../activities/admission-batcher';
import { admit, type AdmissionRequest, GUARD_WORKFLOW_ID, type GuardState } from '../model/guard';
import type { Admission } from '../model/response';
import { GUARD_NAMESPACE } from './support/namespaces';
import { analystToken, connectIdra, runWorkers } from './support/temporal';

const CLI = path.join(__dirname, '..', 'bin', 'idra.js');
const idraCli = (args: string[]) =>
  promisify(execFile)(process.execPath, [CLI, ...args], {
    env: { ...process.env, TEMPORAL_NAMESPACE: GUARD_NAMESPACE },
  });

describe('the guard owns its limits and counts per account and overall', () => {
  let idra: IdraClient;
  let close: () => Promise<void>;
  let workers: { stop: () => Promise<void> };
  const askAll = (requests: { response: string; account: string }[]) =>
    updateGuard(idra.client, admitUpdate, { requests });
  const ask = async (response: string, account: string) => (await askAll([{ response, account }]))[0]!;

  beforeAll(async () => {
    ({ idra, close } = await connectIdra(GUARD_NAMESPACE));
    // The guard's own configuration: the worker that runs the guard, read when the guard first starts.
    workers = await runWorkers({
      TEMPORAL_NAMESPACE: GUARD_NAMESPACE,
      IDRA_GUARD_MAX_PER_ACCOUNT: '3',
      IDRA_GUARD_MAX_TOTAL: '5',
      IDRA_GUARD_WINDOW: '10m',
    });
  });
  afterAll(async () => {
    await workers.stop();
    await close();
  });

  it('admits up to the per-account and overall limits, answers a repeated request the same way, and denies the rest', async () => {
    const verdicts: boolean[] = [];
    for (const [response, account] of [
      ['a1', 'A'],
      ['a2', 'A'],
      ['a3', 'A'],
      ['a4', 'A'],
      ['b1', 'B'],
      ['b2', 'B'],
      ['b3', 'B'],
      ['a1', 'A'],
    ]) {
      verdicts.push((await ask(response!, account!)).admitted);
    }
    expect(verdicts).toEqual([true, true, true, false, true, true, false, true]);
    expect((await ask('a4', 'A')).reason).toBe(
      'blast-radius limit: 3 automatic containments in account A within 600s (at most 3)',
    );
    expect((await ask('b3', 'B')).reason).toBe(
      'blast-radius limit: 5 automatic containments overall within 600s (at most 5)',
    );
    const status = await idra.guardStatus();
    expect(status).toMatchObject({
      admittedByAccount: { A: 3, B: 2 },
      deniedInWindow: 2,
      limits: { perAccount: 3, total: 5, windowMs: 600_000 },
      limitsSetBy: { by: 'configuration' },
    });
  });

  it('refuses a caller that sends its own limits (an empty window would forget every admission), and counts on', async () => {
    const limits = { perAccount: 1000, total: 1000, windowMs: 0 };
    const refusal = async (batch: unknown) => {
      const refused = await updateGuard(idra.client, admitUpdate, batch as never).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
      return (refused as WorkflowUpdateFailedError).cause?.message;
    };
    expect(await refusal({ requests: [{ response: 'x1', account: 'A', limits }] })).toBe(
      'requests[0]: unknown field(s) "limits"',
    );
    expect(await refusal({ requests: [{ response: 'x1', account: 'A' }], limits })).toBe(
      '(root): unknown field(s) "limits"',
    );
    expect((await idra.guardStatus()).admittedByAccount).toEqual({ A: 3, B: 2 });
    expect((await ask('a5', 'A')).admitted).toBe(false);
  });

  it('changes its limits only on a verified analyst decision, recorded in its history', async () => {
    const limits = { perAccount: 4, total: 10, windowMs: 600_000 };
    const { idra: unsigned, close: closeUnsigned } = await connectIdra(GUARD_NAMESPACE, { signsDecisions: false });
    try {
      const denied = await unsigned
        .setGuardLimits({ analyst: 'mallory@example.com', reason: 'more room' }, limits)
        .catch((error: unknown) => error);
      expect((denied as WorkflowUpdateFailedError).cause?.message).toMatch(/token/i);
    } finally {
      await closeUnsigned();
    }
    expect((await idra.guardStatus()).limits?.perAccount).toBe(3);

    const status = await idra.setGuardLimits(
      { analyst: 'alice@example.com', reason: 'incident storm expected: widen per account' },
      limits,
    );
    expect(status).toMatchObject({
      limits,
      limitsSetBy: { by: 'alice@example.com', reason: 'incident storm expected: widen per account' },
    });
    expect((await ask('a6', 'A')).admitted).toBe(true);
    expect((await ask('a7', 'A')).admitted).toBe(false);

    const history = await idra.client.workflow.getHandle(GUARD_WORKFLOW_ID).fetchHistory();
    const accepted = (history.events ?? []).filter(
      (event) => event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'setLimits',
    );
    expect(accepted).toHaveLength(2);
  });

  it('spends a token once: a pause token replayed to resume is refused, and the kill switch stays on', async () => {
    const token = await analystToken('alice@example.com', GUARD_WORKFLOW_ID);
    expect((await idra.pause({ analyst: 'alice@example.com', reason: 'drill', assertion: token })).pause?.reason).toBe(
      'drill',
    );
    const replayed = await idra
      .resume({ analyst: 'alice@example.com', reason: 'replayed', assertion: token })
      .catch((error: unknown) => error);
    expect((replayed as WorkflowUpdateFailedError).cause?.message).toMatch(
      /^the assertion was used before \(token [\w-]+\): each token decides once$/,
    );
    expect((await idra.guardStatus()).pause?.reason).toBe('drill');
    expect((await idra.resume({ analyst: 'alice@example.com', reason: 'drill over' })).pause).toBeUndefined();
  });

  it('idra guard set: refuses a bad limit before connecting, and sets and shows good ones', async () => {
    const bad = await idraCli([
      'guard',
      'set',
      '--per-account',
      '0',
      '--total',
      '10',
      '--window',
      '10m',
      '--as',
      'alice@example.com',
      '--reason',
      'x',
    ]).catch((error: { code: number; stderr: string }) => error);
    expect(bad).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('perAccount: must be a positive whole number') as unknown,
    });
    const window = await idraCli([
      'guard',
      'set',
      '--per-account',
      '4',
      '--total',
      '10',
      '--window',
      'soon',
      '--as',
      'alice@example.com',
      '--reason',
      'x',
    ]).catch((error: { code: number; stderr: string }) => error);
    expect(window).toMatchObject({ code: 2, stderr: expect.stringContaining('--window') as unknown });
    const { stdout } = await idraCli([
      'guard',
      'set',
      '--per-account',
      '4',
      '--total',
      '10',
      '--window',
      '10m',
      '--as',
      'alice@example.com',
      '--reason',
      'back to normal',
    ]);
    expect(stdout).toContain('limits: 4 per account, 10 overall within 600s (set by alice@example.com');
    // --json is the subcommand's own: the status as JSON, as `idra guard --json` prints it.
    const json = await idraCli([
      'guard',
      'set',
      '--per-account',
      '5',
      '--total',
      '10',
      '--window',
      '10m',
      '--as',
      'alice@example.com',
      '--reason',
      'a little more',
      '--json',
    ]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      limits: { perAccount: 5, total: 10, windowMs: 600_000 },
      limitsSetBy: { by: 'alice@example.com' },
    });
    expect(JSON.parse((await idraCli(['guard', '--json'])).stdout)).toMatchObject({ limits: { perAccount: 5 } });
    expect((await idraCli(['guard'])).stdout).toContain('limits: 5 per account, 10 overall within 600s');
  });

  it('shows the counts as of now: admissions leave the status once they leave the window, with no new request', async () => {
    await idra.setGuardLimits(
      { analyst: 'alice@example.com', reason: 'short window to watch it empty' },
      { perAccount: 4, total: 10, windowMs: 2_000 },
    );
    await ask('c1', 'C');
    expect((await idra.guardStatus()).admittedByAccount.C).toBe(1);
    const emptied = await waitFor(
      'the window to pass',
      async () => {
        const status = await idra.guardStatus();
        return status.admittedByAccount.C === undefined ? status : undefined;
      },
      15_000,
      250,
    );
    expect(Date.parse(emptied.asOf)).toBeGreaterThan(Date.now() - 5_000);
  });

  it('continues as new well before the update limit, carrying its limits and counts', async () => {
    const handle = idra.client.workflow.getHandle(GUARD_WORKFLOW_ID);
    const { runId: before } = await handle.describe();
    await idra.setGuardLimits(
      { analyst: 'alice@example.com', reason: 'room for a long storm' },
      { perAccount: 100_000, total: 100_000, windowMs: 3_600_000 },
    );
    const responses = Array.from({ length: 1_600 }, (_, index) => `storm-${index}`);
    for (let start = 0; start < responses.length; start += 8) {
      await Promise.all(responses.slice(start, start + 8).map((response, index) => ask(response, `acct-${index}`)));
    }
    const { runId: after, type } = await handle.describe();
    expect(type).toBe(GUARD_WORKFLOW_TYPE);
    expect(after).not.toBe(before);
    const status = await idra.guardStatus();
    const stormed = Object.entries(status.admittedByAccount).filter(([account]) => account.startsWith('acct-'));
    expect(stormed.reduce((sum, [, count]) => sum + count, 0)).toBe(1_600);
    expect(status.limitsSetBy?.reason).toBe('room for a long storm');
  });
  it('decides a batch in order within one update, as if asked one by one, and refuses a bad batch whole', async () => {
    const refusal = async (batch: unknown) =>
      (
        (await updateGuard(idra.client, admitUpdate, batch as never).catch(
          (error: unknown) => error,
        )) as WorkflowUpdateFailedError
      ).cause?.message;
    expect(await refusal({ requests: [] })).toBe('requests: must hold at least one request');
    expect(
      await refusal({ requests: Array.from({ length: 501 }, (_, index) => ({ response: `z${index}`, account: 'Z' })) }),
    ).toBe('requests: must hold at most 500 requests');
    expect(
      await refusal({
        requests: [
          { response: 'z1', account: 'Z' },
          { response: '', account: 'Z' },
        ],
      }),
    ).toBe('requests[1].response: must name the response');
    expect((await idra.guardStatus()).admittedByAccount.Z).toBeUndefined();

    // Room for three more overall, two per account.
    const counted = Object.values((await idra.guardStatus()).admittedByAccount).reduce((sum, count) => sum + count, 0);
    await idra.setGuardLimits(
      { analyst: 'alice@example.com', reason: 'room for three' },
      { perAccount: 2, total: counted + 3, windowMs: 3_600_000 },
    );
    const denied = (await idra.guardStatus()).deniedInWindow;
    const verdicts = await askAll(
      [
        ['e1', 'E'],
        ['e2', 'E'],
        ['e1', 'E'],
        ['e3', 'E'],
        ['f1', 'F'],
        ['f2', 'F'],
        ['e2', 'E'],
      ].map(([response, account]) => ({ response: response!, account: account! })),
    );
    expect(verdicts.map((verdict) => verdict.admitted)).toEqual([true, true, true, false, true, false, true]);
    expect(verdicts[3]?.reason).toBe(
      'blast-radius limit: 2 automatic containments in account E within 3600s (at most 2)',
    );
    expect(verdicts[5]?.reason).toBe(
      `blast-radius limit: ${counted + 3} automatic containments overall within 3600s (at most ${counted + 3})`,
    );
    const status = await idra.guardStatus();
    expect(status.admittedByAccount).toMatchObject({ E: 2, F: 1 });
    expect(status.deniedInWindow).toBe(denied + 2);
    // The batch is one update in the guard's history: its request and its seven verdicts recorded there.
    const history = await idra.client.workflow.getHandle(GUARD_WORKFLOW_ID).fetchHistory();
    const completed = (history.events ?? []).filter((event) => event.workflowExecutionUpdateCompletedEventAttributes);
    const [recorded] = await new EncryptionCodec(keyringFromEnv()).decode(
      completed.at(-1)!.workflowExecutionUpdateCompletedEventAttributes!.outcome!.success!.payloads!,
    );
    expect(defaultPayloadConverter.fromPayload(recorded!)).toEqual(verdicts);
  });
});

describe('the guard keeps counters, not records', () => {
  it('holds a storm of 10,000 identities over 100 accounts in a size set by accounts and window, not by admissions', () => {
    const state: GuardState = {
      limits: { perAccount: 1_000, total: 100_000, windowMs: 600_000 },
      limitsSetBy: { by: 'configuration', reason: '', at: '' },
      buckets: {},
    };
    const start = Date.UTC(2026, 10, 27);
    const storm = (from: number) => {
      for (let index = 0; index < 5_000; index++)
        admit(
          state,
          { response: `incident-${from + index}@run`, account: `account-${index % 100}` },
          start + index * 100,
        );
    };
    storm(0);
    const afterFirstHalf = JSON.stringify(state).length;
    storm(5_000);
    expect(
      Object.values(state.buckets)
        .flat()
        .reduce((sum, bucket) => sum + bucket.admitted, 0),
    ).toBe(10_000);
    // One bucket per account and tenth of the window: 1,000 counters, whatever the number of admissions.
    expect(Object.values(state.buckets).flat().length).toBeLessThanOrEqual(1_100);
    expect(JSON.stringify(state).length).toBeLessThan(afterFirstHalf + 1_000);
  });
});

describe("a responses worker's admission requests reach the guard in batches", () => {
  /** A guard stand-in whose answers the test releases batch by batch. */
  function heldGuard() {
    const batches: { requests: AdmissionRequest[]; answer: (verdicts: Admission[] | Error) => void }[] = [];
    const send = (requests: AdmissionRequest[]) =>
      new Promise<Admission[]>((resolve, reject) => {
        batches.push({
          requests,
          answer: (verdicts) => (verdicts instanceof Error ? reject(verdicts) : resolve(verdicts)),
        });
      });
    return { batches, ask: createAdmissionBatcher(send, 2, 3) };
  }
  const request = (response: string) => ({ response, account: 'A' });
  const verdictsFor = (requests: AdmissionRequest[]) =>
    requests.map((asked) => ({ admitted: true, reason: `for ${asked.response}` }));

  it('sends a request at once while fewer than two batches are out, then the waiting ones together, each answered with its own verdict', async () => {
    const { batches, ask } = heldGuard();
    const answers = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7'].map((response) => ask(request(response)));
    expect(batches.map((batch) => batch.requests.map((asked) => asked.response))).toEqual([['r1'], ['r2']]);
    batches[1]!.answer(verdictsFor(batches[1]!.requests));
    await expect(answers[1]).resolves.toEqual({ admitted: true, reason: 'for r2' });
    // At most three a batch: the sixth and seventh wait for the next free slot.
    expect(batches.map((batch) => batch.requests.length)).toEqual([1, 1, 3]);
    batches[0]!.answer(verdictsFor(batches[0]!.requests));
    batches[2]!.answer(verdictsFor(batches[2]!.requests));
    await Promise.all(answers.slice(0, 5));
    batches[3]!.answer(verdictsFor(batches[3]!.requests));
    await expect(Promise.all(answers)).resolves.toEqual(
      ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7'].map((response) => ({ admitted: true, reason: `for ${response}` })),
    );
    expect(batches.map((batch) => batch.requests.length)).toEqual([1, 1, 3, 2]);
  });

  it('fails every request of a batch that fails, or that is answered short, and goes on with the next', async () => {
    const { batches, ask } = heldGuard();
    const first = [ask(request('r1')), ask(request('r2')), ask(request('r3'))];
    batches[1]!.answer(new Error('the blast-radius guard is busy'));
    await expect(first[1]).rejects.toThrow('the blast-radius guard is busy');
    batches[2]!.answer([]);
    await expect(first[2]).rejects.toThrow('the guard answered 0 of 1 admission requests');
    batches[0]!.answer(verdictsFor(batches[0]!.requests));
    await expect(first[0]).resolves.toEqual({ admitted: true, reason: 'for r1' });
    const later = ask(request('r4'));
    batches[3]!.answer(verdictsFor(batches[3]!.requests));
    await expect(later).resolves.toEqual({ admitted: true, reason: 'for r4' });
  });
});
