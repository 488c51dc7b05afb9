import { setTimeout as sleep } from 'node:timers/promises';
import { type BenchHarness, leakedKey } from './harness';
import { groupCpuSeconds, groupRssMegabytes } from './process-usage';
import { forEachConcurrently, quantile, round } from './stats';

/** Start requests in flight at once: enough to start 2,000 responses within seconds. */
const STARTERS = 50;
/** How often every process's memory is sampled, for its peak. */
const RSS_SAMPLE_MS = 250;
/** Histories read at once after the storm (reading is not timed). */
const HISTORY_READERS = 8;

type History = Awaited<ReturnType<ReturnType<BenchHarness['idra']['client']['workflow']['getHandle']>['fetchHistory']>>;
type Timestamp = { seconds?: { toString(): string } | number | null; nanos?: number | null } | null | undefined;

const eventMs = (time: Timestamp) => Number(time?.seconds?.toString() ?? 0) * 1000 + (time?.nanos ?? 0) / 1e6;

/** One response's storm figures, read from its history: the guard's verdict and the first change. */
export interface StormTimes {
  /** When the guard's verdict was recorded (the admission activity completed). */
  verdictAt: number;
  /** When the first stage's change was recorded as applied. */
  containedAt: number;
  /** Admission attempts beyond the first. */
  admissionRetries: number;
  /** Workflow tasks that timed out (each replayed on the next): what an overloaded worker costs. */
  workflowTaskTimeouts: number;
}

export function stormTimes(history: History): StormTimes {
  const activityTypes = new Map<string, string>();
  let verdictAt = NaN;
  let containedAt = NaN;
  let admissionRetries = 0;
  let workflowTaskTimeouts = 0;
  for (const event of history.events ?? []) {
    if (event.workflowTaskTimedOutEventAttributes) workflowTaskTimeouts++;
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) activityTypes.set(String(event.eventId), scheduled.activityType?.name ?? '');
    const started = event.activityTaskStartedEventAttributes;
    if (started && activityTypes.get(String(started.scheduledEventId)) === 'admitContainment')
      admissionRetries += Math.max(0, (started.attempt ?? 1) - 1);
    const completed = event.activityTaskCompletedEventAttributes;
    if (!completed) continue;
    const type = activityTypes.get(String(completed.scheduledEventId)) ?? '';
    if (type === 'admitContainment' && Number.isNaN(verdictAt)) verdictAt = eventMs(event.eventTime);
    if (type.endsWith('.apply') && Number.isNaN(containedAt)) containedAt = eventMs(event.eventTime);
  }
  return { verdictAt, containedAt, admissionRetries, workflowTaskTimeouts };
}

/** Peak resident memory of each process, sampled until `stop` is called. */
function sampleRss(pids: Record<string, number[]>) {
  const peak = Object.fromEntries(Object.keys(pids).map((name) => [name, 0]));
  const timer = setInterval(() => {
    for (const [name, group] of Object.entries(pids)) peak[name] = Math.max(peak[name]!, groupRssMegabytes(group));
  }, RSS_SAMPLE_MS);
  return { stop: () => (clearInterval(timer), peak) };
}

/**
 * `--storm N`: N leaked keys reported at once (STARTERS start requests in flight, not waiting for anything),
 * with the blast-radius limit raised so all may contain. From each history afterwards: when the guard's
 * verdict and the first change were recorded, and how often the admission was retried; the time series is
 * returned for the chart.
 */
export async function runStorm(harness: BenchHarness, count: number) {
  const users = await harness.seedUsers(count, 'storm');
  const pids = harness.pids();
  const cpuBefore = Object.fromEntries(Object.entries(pids).map(([name, group]) => [name, groupCpuSeconds(group)]));
  const rss = sampleRss(pids);

  const firstStart = Date.now();
  const incidents: string[] = [];
  await forEachConcurrently(users, STARTERS, async (user) => {
    incidents.push((await harness.idra.respond(leakedKey(user))).incident);
  });
  const startedSeconds = (Date.now() - firstStart) / 1000;
  while ((await harness.idra.client.workflow.count('IdraState = "awaiting_decision"')).count < count) await sleep(500);
  const peakRss = rss.stop();
  const cpu = Object.fromEntries(
    Object.entries(pids).map(([name, group]) => [name, round((groupCpuSeconds(group) - cpuBefore[name]!) / count, 3)]),
  );

  const times: StormTimes[] = [];
  await forEachConcurrently(incidents, HISTORY_READERS, async (incident) => {
    times.push(stormTimes(await harness.idra.client.workflow.getHandle(incident).fetchHistory()));
  });
  const verdicts = times.map((time) => (time.verdictAt - firstStart) / 1000);
  const containments = times.map((time) => (time.containedAt - firstStart) / 1000);
  const retries = times.map((time) => time.admissionRetries);
  return {
    report: {
      storm: count,
      starters: STARTERS,
      all_started_s: round(startedSeconds),
      last_verdict_s: round(Math.max(...verdicts)),
      verdict_p50_s: round(quantile(verdicts, 0.5)),
      verdict_p99_s: round(quantile(verdicts, 0.99)),
      last_containment_s: round(Math.max(...containments)),
      containment_p50_s: round(quantile(containments, 0.5)),
      containment_p99_s: round(quantile(containments, 0.99)),
      retried_admissions: retries.reduce((sum, retried) => sum + retried, 0),
      most_retries_of_one_admission: Math.max(...retries),
      workflow_task_timeouts: times.reduce((sum, time) => sum + time.workflowTaskTimeouts, 0),
      peak_rss_mb: peakRss,
      cpu_seconds_per_response: cpu,
    },
    verdicts,
    containments,
  };
}
