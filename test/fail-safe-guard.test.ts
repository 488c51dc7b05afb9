import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdraClient } from '../clients/idra-client';
import type { SeededUser } from '../infra/seed-aws';
import { waitFor } from '../infra/wait-for';
import type { ResponseView } from '../model/response';
import { ACCOUNT, createUser, userState } from './support/aws';
import { FAIL_SAFE_NAMESPACE } from './support/namespaces';
import { inBatches } from './support/batches';
import { leakSignal } from './support/signals';
import { connectIdra, runWorkers } from './support/temporal';

const FALLBACK = 5;
const GUARD_LIMIT = 10;
const STORM = 100;

describe('fail safe: the blast-radius guard is unreachable during a storm', () => {
  let idra: IdraClient;
  let close: () => Promise<void>;
  const running: { stop: () => Promise<void> }[] = [];
  const limits = {
    TEMPORAL_NAMESPACE: FAIL_SAFE_NAMESPACE,
    IDRA_GUARD_FALLBACK_PER_ACCOUNT: String(FALLBACK),
    IDRA_GUARD_MAX_PER_ACCOUNT: String(GUARD_LIMIT),
    IDRA_GUARD_MAX_TOTAL: '1000',
  };
  beforeAll(async () => {
    ({ idra, close } = await connectIdra(FAIL_SAFE_NAMESPACE));
    // Responses and AWS workers, but nobody runs the guard: its queue is not polled.
    running.push(await runWorkers({ ...limits, IDRA_WORKER_ROLES: 'responses,aws' }));
  });
  afterAll(async () => {
    for (const workers of running) await workers.stop();
    await close();
  });

  const views = (incidents: string[]) => inBatches(incidents, 25, (incident) => idra.status(incident));
  const inactive = async (users: SeededUser[]) =>
    (await inBatches(users, 25, async (user) => (await userState(user.userName)).keys[user.accessKeyIds[0]!])).filter(
      (status) => status === 'Inactive',
    ).length;

  it(`contains at most the fallback limit (${FALLBACK}) while the guard is down, the rest wait blocked; the guard back, its limit holds`, async () => {
    const users = await inBatches(
      Array.from({ length: STORM }, (_, index) => index),
      20,
      (index) => createUser(`guardless-${index}`),
    );
    const incidents = (await inBatches(users, 25, (user) => idra.respond(leakSignal(user)))).map(
      (result) => result.incident,
    );

    const during = await waitFor(
      'every response to be contained by the fallback or blocked',
      async () => {
        const now = await views(incidents);
        return now.filter((view) => view.state === 'awaiting_decision').length === FALLBACK &&
          now.filter((view) => view.state === 'blocked').length === STORM - FALLBACK
          ? now
          : undefined;
      },
      120_000,
      1000,
    );
    expect(await inactive(users)).toBe(FALLBACK);
    const blocked = during.filter((view) => view.state === 'blocked');
    expect(new Set(blocked.map((view) => view.blockedBecause))).toEqual(
      new Set([
        "the blast-radius guard does not answer and this worker's fallback limit is reached: asking the guard again",
      ]),
    );
    expect(blocked.every((view) => view.changes.length === 0)).toBe(true);

    // The guard comes back: every blocked response gets its verdict, and no more than the guard's limit is added.
    running.push(await runWorkers({ ...limits, IDRA_WORKER_ROLES: 'guard' }));
    const after: ResponseView[] = await waitFor(
      'every response to be contained or awaiting approval',
      async () => {
        const now = await views(incidents);
        return now.every((view) => view.state === 'awaiting_decision' || view.state === 'awaiting_approval')
          ? now
          : undefined;
      },
      120_000,
      1000,
    );
    const contained = after.filter((view) => view.state === 'awaiting_decision').length;
    expect(contained).toBeGreaterThan(FALLBACK);
    expect(contained).toBeLessThanOrEqual(FALLBACK + GUARD_LIMIT);
    expect(await inactive(users)).toBe(contained);
    expect((await idra.guardStatus()).admittedByAccount[ACCOUNT]).toBe(GUARD_LIMIT);
    expect(
      new Set(
        after
          .filter((view) => view.state === 'awaiting_approval')
          .map((view) => view.guardedBecause[0]?.replace(/^blast-radius limit: \d+/, 'blast-radius limit: N')),
      ),
    ).toEqual(
      new Set([
        `blast-radius limit: N automatic containments in account ${ACCOUNT} within 600s (at most ${GUARD_LIMIT})`,
      ]),
    );
  });
});
