/** Response workflows and the guard run here; they hold no provider credentials. */
export const RESPONSE_TASK_QUEUE = 'idra-responses';

/**
 * How long a workflow task may take before the server hands it to another worker: what a worker killed
 * mid-task costs (the server's default is 10 s). Runs stay small (continue-as-new before 4,000 events or
 * 2 MB: workflows/history-limits.ts), so a task, even one that replays a whole run, takes far less.
 */
export const WORKFLOW_TASK_TIMEOUT = '3s';
