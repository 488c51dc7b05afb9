import { workflowInfo } from '@temporalio/workflow';

/**
 * Temporal warns at 10,240 events or 10 MB of history and accepts at most 2,000 updates per run; a
 * long-lived workflow continues as new well before any of them (or when the server suggests it). 2 MB also
 * keeps one page of history under the 4 MB a gRPC client receives by default (`idra audit` reads it), and
 * a replay after a cache eviction short.
 */
const MAX_EVENTS = 4_000;
const MAX_BYTES = 2 * 1024 * 1024;
const MAX_UPDATES = 1_500;

/** Whether this run should hand its state to a fresh one; `updates` is the number this run has received. */
export function historyNearLimits(updates: number): boolean {
  const info = workflowInfo();
  return (
    info.continueAsNewSuggested ||
    info.historyLength > MAX_EVENTS ||
    info.historySize > MAX_BYTES ||
    updates >= MAX_UPDATES
  );
}
