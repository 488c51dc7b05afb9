/**
 * `npm run bench`: idra's speed on this machine, measured on a fresh Temporal dev server, moto and the
 * production worker processes. The last line is one JSON object. Modes:
 *   (default)     Cloud Custodian disabling one key (custodian.ts), then idra containing and rolling back 30
 *                 leaked keys one at a time and 200 twenty at a time (contain-run.ts), on the same moto;
 *                 --incidents N --concurrency C runs one such phase instead (with 200 and 20 where one is left out)
 *   --storm [N]   N leaked keys (2,000) reported at once: time to every verdict and containment (storm.ts)
 *   --fleet       any of the above but --open and --kill on a Temporal cluster on PostgreSQL, two workers per
 *                 busy role (docs/deployment.md), instead of the dev server
 *   --guard [N]   the blast-radius guard alone: N admissions (2,000) one at a time, then batched (guard-alone.ts)
 *   --open [N]    N responses (2,000) left awaiting a decision, then all rolled back (open-responses.ts)
 *   --kill [N]    N worker SIGKILLs (20) mid-response, and how soon each response completes (worker-kills.ts)
 *   --ingest [N]  N leaked keys (2,000) posted at once to `idra ingest`: until acknowledged, until contained;
 *                 then 500 signals about one key (ingest-burst.ts)
 */
import { parseArgs } from 'node:util';
import { writeChart } from './bench-output';
import { PACE_MS, runContain } from './contain-run';
import { timeCustodian } from './custodian';
import { runGuardAlone } from './guard-alone';
import { type BenchHarness, startBench } from './harness';
import { runIngestBurst } from './ingest-burst';
import { runOpen } from './open-responses';
import { machine } from './process-usage';
import { quantile, round } from './stats';
import { runStorm } from './storm';
import { cumulativeCount, cumulativeShare } from './svg-chart';
import { runKills } from './worker-kills';

const MODE_DEFAULTS = { '--open': '2000', '--kill': '20', '--ingest': '2000', '--storm': '2000', '--guard': '2000' };
/** The default run's phases: one key at a time (latency, beside Custodian), then twenty at a time (throughput). */
const DEFAULT_PHASES = [
  { incidents: 30, concurrency: 1 },
  { incidents: 200, concurrency: 20 },
];
const CUSTODIAN_RUNS = 10;

/** The modes that take an optional count: given alone, their default. */
function withModeDefaults(args: string[]): string[] {
  return args.flatMap((arg, index) => {
    const defaultCount = MODE_DEFAULTS[arg as keyof typeof MODE_DEFAULTS];
    const next = args[index + 1];
    return defaultCount && (next === undefined || next.startsWith('--')) ? [arg, defaultCount] : [arg];
  });
}

function count(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${name} must be a positive whole number, not ${JSON.stringify(text.slice(0, 40))}`);
  return value;
}

/**
 * Custodian first (its policy lists every IAM user: before the phases seed theirs), then each phase; the
 * latency chart sets the first phase's containments beside Custodian's runs.
 */
async function runPhases(harness: BenchHarness, phases: typeof DEFAULT_PHASES) {
  const custodian = await timeCustodian(harness, CUSTODIAN_RUNS);
  if ('skipped' in custodian) console.log(`Cloud Custodian not measured: ${custodian.skipped}`);
  const custodianFields =
    'skipped' in custodian
      ? { custodian_skipped: custodian.skipped }
      : {
          custodian_in_process_p50_ms: round(quantile(custodian.inProcessMs, 0.5)),
          custodian_process_p50_ms: round(quantile(custodian.processMs, 0.5)),
          custodian_runs: CUSTODIAN_RUNS,
        };
  const report: Record<string, object> = {};
  const series = [];
  for (const phase of phases) {
    const result = await runContain(harness, phase.incidents, phase.concurrency);
    report[`concurrency_${phase.concurrency}`] = { ...result.report, ...custodianFields };
    // One key's latency beside Custodian's: the first phase (one at a time by default); later phases queue.
    if (series.length === 0)
      series.push({ name: `idra, ${phase.concurrency} at a time`, points: cumulativeShare(result.contain) });
  }
  if (!('skipped' in custodian))
    series.push(
      { name: 'Cloud Custodian, inside its process', points: cumulativeShare(custodian.inProcessMs) },
      { name: 'Cloud Custodian, a process per incident', points: cumulativeShare(custodian.processMs) },
    );
  const chart = writeChart('latency', {
    title: 'Time to disable one leaked key (same moto, same run)',
    xLabel: 'milliseconds',
    yLabel: 'share of keys disabled',
    series,
  });
  return { ...report, chart };
}

async function storm(harness: BenchHarness, count: number) {
  const result = await runStorm(harness, count);
  const chart = writeChart('storm', {
    title: `A storm of ${count.toLocaleString('en-US')} leaked keys`,
    xLabel: 'seconds from the first start',
    yLabel: 'responses',
    series: [
      { name: "guard's verdict recorded", points: cumulativeCount(result.verdicts) },
      { name: 'key contained', points: cumulativeCount(result.containments) },
    ],
  });
  return { ...result.report, chart };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: withModeDefaults(process.argv.slice(2)),
    options: {
      incidents: { type: 'string' },
      concurrency: { type: 'string' },
      open: { type: 'string' },
      kill: { type: 'string' },
      ingest: { type: 'string' },
      storm: { type: 'string' },
      guard: { type: 'string' },
      fleet: { type: 'boolean', default: false },
    },
  });
  const incidents = count('incidents', values.incidents);
  const concurrency = count('concurrency', values.concurrency);
  const open = count('open', values.open);
  const kills = count('kill', values.kill);
  const ingest = count('ingest', values.ingest);
  const stormSize = count('storm', values.storm);
  const guardAdmissions = count('guard', values.guard);
  if ([open, kills, ingest, stormSize, guardAdmissions].filter(Boolean).length > 1)
    throw new Error('--open, --kill, --ingest, --storm and --guard are separate runs: give one');
  if (values.fleet && (open || kills))
    throw new Error('--open and --kill run on the dev server only (test/fleet/fleet.test.ts kills fleet processes)');
  const phases =
    incidents || concurrency ? [{ incidents: incidents ?? 200, concurrency: concurrency ?? 20 }] : DEFAULT_PHASES;

  // The burst's one key contains too: one more than the burst's keys; the guard alone is asked twice N and once.
  const allowance =
    open ??
    kills ??
    stormSize ??
    (guardAdmissions ? 2 * guardAdmissions + 1 : undefined) ??
    (ingest ? ingest + 1 : phases.reduce((sum, phase) => sum + phase.incidents, 0));
  const harness = await startBench(allowance, { fleet: values.fleet });
  try {
    let report: object;
    if (open) report = await runOpen(harness, open, concurrency ?? 20);
    else if (kills) report = await runKills(harness, kills);
    else if (ingest) report = await runIngestBurst(harness, ingest);
    else if (stormSize) report = await storm(harness, stormSize);
    else if (guardAdmissions) report = await runGuardAlone(harness, guardAdmissions);
    else report = await runPhases(harness, phases);
    const how = open
      ? 'responses left open'
      : kills
        ? 'worker SIGKILLs'
        : ingest
          ? 'findings posted to the HTTP ingest'
          : stormSize
            ? "times from each response's history; CPU seconds per response until all await a decision"
            : guardAdmissions
              ? 'admissions sent straight to the guard, no responses running'
              : `contain times from the workers' receipts; lanes paced by moto every ${PACE_MS} ms; CPU seconds per response (contain and roll back)`;
    const where = values.fleet
      ? 'on the fleet (a Temporal cluster on PostgreSQL; 2 responses, 1 guard and 2 AWS worker processes)'
      : 'on the Temporal dev server';
    console.log(`${machine()}; ${where}; ${how}`);
    console.log(JSON.stringify(report));
  } finally {
    await harness.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
