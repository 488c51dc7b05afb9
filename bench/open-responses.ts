import { setTimeout as sleep } from 'node:timers/promises';
import { keyStatus, PACE_MS } from './contain-run';
import { type BenchHarness, leakedKey } from './harness';
import { rssMegabytes } from './process-usage';
import { forEachConcurrently, round } from './stats';

/** How many responses are in a state, by the search attribute the workflow keeps (visibility, not the worker). */
async function countInState(harness: BenchHarness, state: string): Promise<number> {
  return (await harness.idra.client.workflow.count(`IdraState = "${state}"`)).count;
}

async function untilCount(harness: BenchHarness, state: string, expected: number): Promise<void> {
  while ((await countInState(harness, state)) < expected) await sleep(1000);
}

/**
 * `--open N`: N leaked-key responses started and left awaiting a decision, C at a time (each lane waits,
 * watching moto every PACE_MS, until its key is off): how fast they contain, and the worker's memory while
 * they are all open; then all rolled back, C at a time, and how fast.
 */
export async function runOpen(harness: BenchHarness, open: number, concurrency: number) {
  const users = await harness.seedUsers(open, 'open');
  const workers = harness.workers();
  // Every worker process's memory; the responses worker is the one that holds the open responses.
  const rss = () =>
    Object.fromEntries(Object.entries(workers).map(([name, worker]) => [name, rssMegabytes(worker.child.pid ?? 0)]));
  const rssIdle = rss();
  const started = Date.now();
  const incidents: string[] = [];
  await forEachConcurrently(users, concurrency, async (user) => {
    incidents.push((await harness.idra.respond(leakedKey(user))).incident);
    while ((await keyStatus(harness.iam, user)) !== 'Inactive') await sleep(PACE_MS);
  });
  await untilCount(harness, 'awaiting_decision', open);
  const openSeconds = (Date.now() - started) / 1000;
  const rssOpen = rss();

  const rollbackStarted = Date.now();
  await forEachConcurrently(incidents, concurrency, async (incident) => {
    await harness.idra.rollback(incident, { analyst: 'alice@example.com', reason: 'benchmark' });
  });
  const rollbackSeconds = (Date.now() - rollbackStarted) / 1000;
  return {
    open,
    concurrency,
    contained_per_s: round(open / openSeconds),
    worker_rss_idle_mb: rssIdle,
    worker_rss_open_mb: rssOpen,
    rolled_back_per_s: round(open / rollbackSeconds),
    worker_rss_after_rollback_mb: rss(),
  };
}
