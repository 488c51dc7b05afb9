import type { IAMClientConfig } from '@aws-sdk/client-iam';

type RetryStrategy = NonNullable<IAMClientConfig['retryStrategy']>;
type Token = { getRetryCount(): number; getRetryDelay(): number };

const MAX_ATTEMPTS = 5;
const MAX_DELAY_MS = 5_000;

const token = (count: number, delay: number): Token => ({ getRetryCount: () => count, getRetryDelay: () => delay });

/**
 * The SDK's retries, bounded per call but without the standard mode's shared retry quota. Under a provider
 * that fails many calls (throttling, 5xx, lost answers) the quota of a worker's client runs dry within
 * seconds, after which none of its calls is retried, and a step that needs eight calls in a row (a
 * rotation) almost never goes through. idra makes a handful of calls per response, so the bound per call
 * is the guard against retry storms: up to 5 tries, exponential backoff with full jitter (longer when
 * throttled), never for a request the provider rejected.
 */
export function boundedRetries(): RetryStrategy {
  return {
    acquireInitialRetryToken: () => Promise.resolve(token(0, 0)),
    refreshRetryTokenForRetry: (previous: Token, { errorType }: { errorType: string }) => {
      const count = previous.getRetryCount() + 1;
      if (count >= MAX_ATTEMPTS || errorType === 'CLIENT_ERROR') return Promise.reject(new Error('not retried'));
      const base = errorType === 'THROTTLING' ? 500 : 100;
      return Promise.resolve(token(count, Math.random() * Math.min(MAX_DELAY_MS, base * 2 ** count)));
    },
    recordSuccess: () => undefined,
  };
}
