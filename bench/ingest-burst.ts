import { setTimeout as sleep } from 'node:timers/promises';
import { ingestOptions } from '../ingest/ingest-options';
import { createIngestServer } from '../ingest/ingest-server';
import { type BenchHarness, leakedKey } from './harness';
import { forEachConcurrently, round } from './stats';

/** Requests in flight at once, as a detector's sender (EventBridge, a SIEM) keeps them. */
const SENDERS = 100;
/** The burst of signals about one key. */
const ONE_KEY_BURST = 500;

/**
 * `--ingest N`: N leaked keys posted at once to `idra ingest` over HTTP (idra's signal route, SENDERS in
 * flight): how long until every one is acknowledged (202: in Temporal), and until every response contains;
 * then ONE_KEY_BURST signals about one more key: how many are taken, how many told to come back (429), and
 * that one response holds them.
 */
export async function runIngestBurst(harness: BenchHarness, count: number) {
  const [users, [oneKey]] = [await harness.seedUsers(count, 'burst'), await harness.seedUsers(1, 'one-key')];
  const token = 'bench-ingest-token-0123456789';
  const server = createIngestServer(
    // As deployed (the default rate per identity): the one key's burst meets it.
    ingestOptions({ signalToken: token, ratePerSecond: 100_000, ratePerIdentity: 20 }, (signal) =>
      harness.idra.respond(signal),
    ),
  );
  const url = await server.listen({ host: '127.0.0.1', port: 0 });
  const post = async (signal: unknown) => {
    const response = await fetch(`${url}/v1/signals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(signal),
    });
    return { status: response.status, body: (await response.json()) as { incident?: string } };
  };
  try {
    const started = Date.now();
    const statuses = new Map<number, number>();
    const incidents = new Set<string>();
    await forEachConcurrently(users, SENDERS, async (user) => {
      const { status, body } = await post(leakedKey(user));
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (body.incident) incidents.add(body.incident);
    });
    const acknowledgedSeconds = (Date.now() - started) / 1000;
    while ((await harness.idra.client.workflow.count('IdraState = "awaiting_decision"')).count < incidents.size)
      await sleep(500);
    const containedSeconds = (Date.now() - started) / 1000;

    const burst = await Promise.all(
      Array.from({ length: ONE_KEY_BURST }, (_, index) => post({ ...leakedKey(oneKey!), id: `burst:${index}` })),
    );
    const taken = burst.filter((answer) => answer.status === 202);
    return {
      ingest: count,
      senders: SENDERS,
      acknowledged_s: round(acknowledgedSeconds),
      acknowledged_per_s: round(count / acknowledgedSeconds),
      statuses: Object.fromEntries(statuses),
      responses_started: incidents.size,
      last_containment_s: round(containedSeconds),
      one_key_burst: ONE_KEY_BURST,
      one_key_taken: taken.length,
      one_key_told_to_retry: burst.filter((answer) => answer.status === 429).length,
      one_key_responses: new Set(taken.map((answer) => answer.body.incident)).size,
    };
  } finally {
    await server.close();
  }
}
