/**
 * `npm run bench`: idra's speed on this machine, measured on a fresh Temporal dev server, moto and the
 * production worker processes. The last line is one JSON object. Modes:
 *   (default)     --incidents N (200) --concurrency C (20): contain and roll back N leaked keys (contain-run.ts)
 *   --open [N]    N responses (2,000) left awaiting a decision, then all rolled back (open-responses.ts)
 *   --kill [N]    N worker SIGKILLs (20) mid-response, and how soon each response completes (worker-kills.ts)
 *   --ingest [N]  N leaked keys (2,000) posted at once to `idra ingest`: until acknowledged, until contained;
 *                 then 500 signals about one key (ingest-burst.ts)
 */
import { parseArgs } from 'node:util';
import { PACE_MS, runContain } from './contain-run';
import { startBench } from './harness';
import { runIngestBurst } from './ingest-burst';
import { runOpen } from './open-responses';
import { machine } from './process-usage';
import { runKills } from './worker-kills';

const MODE_DEFAULTS = { '--open': '2000', '--kill': '20', '--ingest': '2000' };

/** `--open`, `--kill` and `--ingest` take an optional count: given alone, their default. */
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

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: withModeDefaults(process.argv.slice(2)),
    options: {
      incidents: { type: 'string', default: '200' },
      concurrency: { type: 'string', default: '20' },
      open: { type: 'string' },
      kill: { type: 'string' },
      ingest: { type: 'string' },
    },
  });
  const incidents = count('incidents', values.incidents)!;
  const concurrency = count('concurrency', values.concurrency)!;
  const open = count('open', values.open);
  const kills = count('kill', values.kill);
  const ingest = count('ingest', values.ingest);
  if ([open, kills, ingest].filter(Boolean).length > 1)
    throw new Error('--open, --kill and --ingest are separate runs: give one');

  // The burst's one key contains too: one more than the burst's keys.
  const harness = await startBench(open ?? kills ?? (ingest ? ingest + 1 : incidents));
  try {
    let report: object;
    if (open) report = await runOpen(harness, open, concurrency);
    else if (kills) report = await runKills(harness, kills);
    else if (ingest) report = await runIngestBurst(harness, ingest);
    else report = await runContain(harness, incidents, concurrency);
    const how = open
      ? 'responses left open'
      : kills
        ? 'worker SIGKILLs'
        : ingest
          ? 'findings posted to the HTTP ingest'
          : `contain times from the workers' receipts; lanes paced by moto every ${PACE_MS} ms; CPU seconds per response (contain and roll back)`;
    console.log(`${machine()}; ${how}`);
    console.log(JSON.stringify(report));
  } finally {
    await harness.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
