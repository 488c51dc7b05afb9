/** Response workflows and the guard run here; they hold no provider credentials. */
export const RESPONSE_TASK_QUEUE = 'idra-responses';

/**
 * How long a workflow task may take before the server hands it to another worker: what a worker killed
 * mid-task costs. The server's default, 10 s: a task that times out is retried from a full replay, which is
 * slower still, so a limit a loaded machine's replays exceed may never recover: at 3 s, a run of the suite beside
 * another on 2 cores saw the guard's task stay failed for minutes, refusing every admission meanwhile. Runs stay small (continue-as-new before 4,000 events or 2 MB: workflows/history-limits.ts).
 */
export const WORKFLOW_TASK_TIMEOUT = '10s';
