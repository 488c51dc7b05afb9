/** What workers/main.ts logs once every task queue is being polled (the local harness waits for it). */
export const WORKERS_READY_LINE = 'idra workers polling';
