import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdraClient, RespondResult } from '../clients/idra-client';
import type { SeededUser } from '../infra/seed-aws';
import { waitFor } from '../infra/wait-for';
import type { ResponseState } from '../model/response-states';
import { createUser, userState } from './support/aws';
import { STORM_NAMESPACE } from './support/namespaces';
import { inBatches } from './support/batches';
import { leakSignal } from './support/signals';
import { connectIdra, runWorkers } from './support/temporal';

const K = 10;

describe('blast radius: a storm of signals becomes approval requests, not mass lockout', () => {
  let idra: IdraClient;
  let close: () => Promise<void>;
  let workers: { stop: () => Promise<void> };

  beforeAll(async () => {
    ({ idra, close } = await connectIdra(STORM_NAMESPACE));
    workers = await runWorkers({
      TEMPORAL_NAMESPACE: STORM_NAMESPACE,
      IDRA_GUARD_MAX_PER_ACCOUNT: String(K),
      IDRA_GUARD_MAX_TOTAL: '1000',
      IDRA_GUARD_WINDOW: '10m',
    });
  });
  afterAll(async () => {
    await workers.stop();
    await close();
  });

  it(`300 signals about 100 identities in a few seconds: exactly 100 responses, ${K} contained, the rest awaiting approval`, async () => {
    const users: SeededUser[] = await inBatches(
      Array.from({ length: 100 }, (_, index) => index),
      20,
      (index) => createUser(`storm-${index}`),
    );
    // Three detectors report every identity, interleaved.
    const signals = [0, 1, 2].flatMap((round) =>
      users.map((user, index) =>
        leakSignal(user, 0, { id: `alert-${round}-${index}`, source: ['scanner-a', 'scanner-b', 'siem'][round] }),
      ),
    );
    const results: RespondResult[] = await inBatches(signals, 30, (signal) => idra.respond(signal));

    const incidents = [...new Set(results.map((result) => result.incident))];
    expect(incidents).toHaveLength(100);
    expect(results.filter((result) => !result.joined)).toHaveLength(100);

    const settled: ResponseState[] = ['awaiting_decision', 'awaiting_approval'];
    const states = await waitFor(
      'every response to contain or wait for approval',
      async () => {
        const views = await inBatches(incidents, 25, (incident) => idra.status(incident));
        return views.every((view) => settled.includes(view.state)) ? views : undefined;
      },
      120_000,
      500,
    );
    expect(states.filter((view) => view.state === 'awaiting_decision')).toHaveLength(K);
    const held = states.filter((view) => view.state === 'awaiting_approval');
    expect(held).toHaveLength(100 - K);
    expect(
      new Set(held.map((view) => view.guardedBecause[0]?.replace(/^blast-radius limit: \d+/, 'blast-radius limit: N'))),
    ).toEqual(
      new Set([`blast-radius limit: N automatic containments in account 123456789012 within 600s (at most ${K})`]),
    );
    expect(states.reduce((sum, view) => sum + view.signals.length, 0)).toBe(300);

    const inactive = (await inBatches(users, 20, (user) => userState(user.userName))).filter(
      (state) => Object.values(state.keys)[0] === 'Inactive',
    );
    expect(inactive).toHaveLength(K);
  });
});
