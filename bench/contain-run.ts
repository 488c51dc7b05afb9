import { ListAccessKeysCommand, UpdateAccessKeyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SeededUser } from '../infra/seed-aws';
import type { ResponseView } from '../model/response';
import { type BenchHarness, leakedKey, type SystemPart } from './harness';
import { groupCpuSeconds, groupRssMegabytes } from './process-usage';
import { forEachConcurrently, quantile, round } from './stats';

/** How often a lane looks at moto for its response's key: at most C × 1000 / PACE_MS requests per second. */
export const PACE_MS = 50;
/** Responses whose history length and state transitions are read (they are alike). */
const HISTORIES_DESCRIBED = 10;

/** The user's (first) access key status in moto. */
export async function keyStatus(iam: IAMClient, user: SeededUser): Promise<string | undefined> {
  const listed = await iam.send(new ListAccessKeysCommand({ UserName: user.userName }));
  return listed.AccessKeyMetadata?.[0]?.Status;
}

/** When the worker recorded AWS's acknowledgement of a deactivation, or of its undo. */
export function receiptTime(view: ResponseView, operation: 'apply' | 'compensate'): number {
  return Date.parse(
    view.changes.find((receipt) => receipt.action === 'aws.accessKey.deactivate' && receipt.operation === operation)
      ?.at ?? '',
  );
}

/** Waits until every response awaits a decision, asking Temporal a few at a time (not timed: receipts hold the times). */
export async function untilAwaitingDecision(
  harness: BenchHarness,
  incidents: string[],
): Promise<Map<string, ResponseView>> {
  const views = new Map<string, ResponseView>();
  while (views.size < incidents.length) {
    await forEachConcurrently(
      incidents.filter((incident) => !views.has(incident)),
      4,
      async (incident) => {
        const view = await harness.idra.status(incident);
        if (view.state === 'awaiting_decision') views.set(incident, view);
      },
    );
    if (views.size < incidents.length) await sleep(500);
  }
  return views;
}

/**
 * One phase of the default run: `incidents` leaked-key responses, `concurrency` lanes, each waiting for its
 * response to contain (watching moto every PACE_MS) before the next; then every response rolled back. Contain
 * latency = start request → the apply receipt; rollback latency = rollback request → the undo receipt; the
 * floor = a direct UpdateAccessKey on the same moto in the same run. Returns the report and the latency
 * samples (ms).
 */
export async function runContain(harness: BenchHarness, incidents: number, concurrency: number) {
  const { iam, idra } = harness;
  const users = await harness.seedUsers(incidents, `bench-c${concurrency}`);
  const [floorUser] = await harness.seedUsers(1, `bench-floor-c${concurrency}`);
  const floor: number[] = [];
  for (let index = 0; index < incidents; index++) {
    const started = performance.now();
    await iam.send(
      new UpdateAccessKeyCommand({
        UserName: floorUser!.userName,
        AccessKeyId: floorUser!.accessKeyIds[0],
        Status: index % 2 ? 'Active' : 'Inactive',
      }),
    );
    floor.push(performance.now() - started);
  }

  const pids = harness.pids();
  const cpuBefore = Object.fromEntries(Object.entries(pids).map(([name, group]) => [name, groupCpuSeconds(group)]));
  const started = new Map<string, number>();
  const incidentsStarted: string[] = [];
  const observedInMoto: number[] = [];
  let paceRequests = 0;
  const runStarted = Date.now();
  await forEachConcurrently(users, concurrency, async (user) => {
    const at = Date.now();
    const { incident } = await idra.respond(leakedKey(user));
    started.set(incident, at);
    incidentsStarted.push(incident);
    for (paceRequests++; (await keyStatus(iam, user)) !== 'Inactive'; paceRequests++) await sleep(PACE_MS);
    observedInMoto.push(Date.now() - at);
  });
  const paceSeconds = (Date.now() - runStarted) / 1000;
  const views = await untilAwaitingDecision(harness, incidentsStarted);
  const contain = [...views.values()].map((view) => receiptTime(view, 'apply') - (started.get(view.incident) ?? 0));
  const elapsedSeconds =
    (Math.max(...[...views.values()].map((view) => receiptTime(view, 'apply'))) - runStarted) / 1000;
  const histories = await Promise.all(
    incidentsStarted
      .slice(0, HISTORIES_DESCRIBED)
      .map((incident) => idra.client.workflow.getHandle(incident).describe()),
  );

  const rollback: number[] = [];
  const rollbackStarted = Date.now();
  await forEachConcurrently(incidentsStarted, concurrency, async (incident) => {
    const at = Date.now();
    const view = await idra.rollback(incident, { analyst: 'alice@example.com', reason: 'benchmark' });
    rollback.push(receiptTime(view, 'compensate') - at);
  });
  const rollbackSeconds = (Date.now() - rollbackStarted) / 1000;
  const perResponse = (name: SystemPart) =>
    round((groupCpuSeconds(pids[name]) - (cpuBefore[name] ?? 0)) / incidents, 3);

  const report = {
    incidents,
    concurrency,
    contain_p50_ms: round(quantile(contain, 0.5)),
    contain_p95_ms: round(quantile(contain, 0.95)),
    contain_p99_ms: round(quantile(contain, 0.99)),
    contain_observed_in_moto_p50_ms: round(quantile(observedInMoto, 0.5)),
    pacing_requests_per_s: round(paceRequests / paceSeconds),
    rollback_p50_ms: round(quantile(rollback, 0.5)),
    rollback_p99_ms: round(quantile(rollback, 0.99)),
    floor_p50_ms: round(quantile(floor, 0.5)),
    throughput_per_s: round(incidents / elapsedSeconds),
    rollback_throughput_per_s: round(incidents / rollbackSeconds),
    history_events_per_response: round(
      quantile(
        histories.map((history) => history.historyLength),
        0.5,
      ),
    ),
    state_transitions_per_response: round(
      quantile(
        histories.map((history) => Number(history.raw.workflowExecutionInfo?.stateTransitionCount ?? 0)),
        0.5,
      ),
    ),
    worker_rss_mb: {
      responses: groupRssMegabytes(pids.responses_worker),
      aws: groupRssMegabytes(pids.aws_worker),
    },
    cpu_seconds_per_response: Object.fromEntries(
      Object.keys(pids).map((name) => [name, perResponse(name as SystemPart)]),
    ),
  };
  return { report, contain, rollback };
}
