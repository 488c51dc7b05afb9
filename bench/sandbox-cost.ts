/**
 * What one workflow costs the worker before it does anything: the sandbox runs every module of the bundle
 * again for each workflow it starts or replays. Replays one recorded history many times with a bundle and
 * reports the time per workflow and the heap it kept, so two bundles (e.g. before and after a change) can be
 * compared in one run: `tsx bench/sandbox-cost.ts <bundle.js> <history.json> [count]` (the history must be
 * one the bundle's code recorded). The last line is JSON.
 */
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import fs from 'node:fs';
import { idraDataConverter } from '../codec/data-converter';

async function main(): Promise<void> {
  const [bundle, historyFile, countText = '200'] = process.argv.slice(2);
  if (!bundle || !historyFile) throw new Error('usage: tsx bench/sandbox-cost.ts <bundle.js> <history.json> [count]');
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const json = JSON.parse(fs.readFileSync(historyFile, 'utf8')) as {
    events: { workflowExecutionStartedEventAttributes?: { workflowId?: string } }[];
  };
  const workflowId = json.events[0]?.workflowExecutionStartedEventAttributes?.workflowId ?? 'replayed';
  const history = historyFromJSON(json);
  const count = Number(countText);
  const replays = function* () {
    for (let index = 0; index < count; index++) yield { workflowId, history };
  };
  const options = { workflowBundle: { codePath: bundle }, dataConverter: idraDataConverter() };
  // One replay first: the worker's own start is not the workflows' cost.
  for await (const result of Worker.runReplayHistories(options, replays())) if (result.error) throw result.error;
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  for await (const result of Worker.runReplayHistories(options, replays())) if (result.error) throw result.error;
  const ms = performance.now() - started;
  console.log(
    JSON.stringify({
      bundle_bytes: fs.statSync(bundle).size,
      replays: count,
      replay_ms_per_workflow: Math.round((ms / count) * 10) / 10,
      heap_delta_mb: Math.round((process.memoryUsage().heapUsed - heapBefore) / 1e5) / 10,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
