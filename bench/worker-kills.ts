import { setTimeout as sleep } from 'node:timers/promises';
import type { ResponseView } from '../model/response';
import { receiptTime } from './contain-run';
import { type BenchHarness, leakedKey } from './harness';
import { quantile, round } from './stats';

/** Kills land at a random point in the first KILL_WINDOW_MS of a response (it contains in about 0.4 s alone). */
const KILL_WINDOW_MS = 300;
/** How often the response's own record is read while waiting for it (Temporal's describe: no worker needed). */
const WATCH_MS = 50;

async function awaitingDecision(harness: BenchHarness, incident: string): Promise<boolean> {
  const description = await harness.idra.client.workflow.getHandle(incident).describe();
  return (
    description.typedSearchAttributes.getAll().find((pair) => pair.key.name === 'IdraState')?.value ===
    'awaiting_decision'
  );
}

/**
 * `--kill N`: N responses, one at a time; each time the worker processes are SIGKILLed at a random point and
 * new ones started. Recovery = from the new workers polling to the response awaiting a decision (its key
 * off). Kills that land after the key was already off are counted, not timed.
 */
export async function runKills(harness: BenchHarness, kills: number) {
  const users = await harness.seedUsers(kills, 'kill');
  const recovery: number[] = [];
  const sinceKill: number[] = [];
  const workerStart: number[] = [];
  let afterContainment = 0;
  for (const user of users) {
    const { incident } = await harness.idra.respond(leakedKey(user));
    await sleep(Math.random() * KILL_WINDOW_MS);
    // The host goes: every worker process at once (the responses worker mid-task, the AWS one mid-call).
    const dying = Object.values(harness.workers()).map((worker) => worker.child);
    const killedAt = Date.now();
    const exited = Promise.all(dying.map((child) => new Promise((resolve) => child.once('exit', resolve))));
    for (const child of dying) child.kill('SIGKILL');
    await exited;
    const spawnedAt = Date.now();
    await harness.restartWorkers();
    const pollingAt = Date.now();
    workerStart.push(pollingAt - spawnedAt);
    while (!(await awaitingDecision(harness, incident))) await sleep(WATCH_MS);
    const doneAt = Date.now();
    const view: ResponseView = await harness.idra.status(incident);
    if (receiptTime(view, 'apply') <= killedAt) afterContainment++;
    else {
      recovery.push(doneAt - pollingAt);
      sinceKill.push(doneAt - killedAt);
    }
  }
  return {
    kills,
    killed_mid_response: recovery.length,
    killed_after_containment: afterContainment,
    recovery_p50_ms: recovery.length ? round(quantile(recovery, 0.5)) : null,
    recovery_p99_ms: recovery.length ? round(quantile(recovery, 0.99)) : null,
    // The server's timeouts run from the kill: the sooner new workers poll, the more of them is left after.
    since_kill_p50_ms: sinceKill.length ? round(quantile(sinceKill, 0.5)) : null,
    since_kill_p99_ms: sinceKill.length ? round(quantile(sinceKill, 0.99)) : null,
    worker_polling_after_start_p50_ms: round(quantile(workerStart, 0.5)),
  };
}
