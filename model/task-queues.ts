import type { Provider } from './identity';

/** Response workflows run here; they hold no provider credentials. */
export const RESPONSE_TASK_QUEUE = 'idra-responses';

/** Each provider's actions run on its own queue, so only that provider's workers hold its credentials. */
export function providerTaskQueue(provider: Provider): string {
  return `idra-${provider}`;
}
