/** Response workflows and the guard run here; they hold no provider credentials. */
export const RESPONSE_TASK_QUEUE = 'idra-responses';
