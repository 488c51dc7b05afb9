import { ApplicationFailure } from '@temporalio/common';
import { STEP_ERRORS, type StepErrorType } from '../api/step-errors';

/**
 * A step's failure in the shared vocabulary (api/step-errors.ts): whether it is retried follows from its
 * type, never from the site that throws it. `retryAfterMs`: when the provider said to come back (a
 * `Retry-After`), the next attempt waits that long instead of the retry policy's backoff.
 */
export function stepFailure(type: StepErrorType, message: string, retryAfterMs?: number): ApplicationFailure {
  return ApplicationFailure.create({
    type,
    message,
    nonRetryable: !STEP_ERRORS[type].retryable,
    ...(retryAfterMs ? { nextRetryDelay: retryAfterMs } : {}),
  });
}

/** A provider's failed call as plain facts: its HTTP status, its own error code, its words, its Retry-After. */
export interface ProviderFault {
  status?: number;
  code?: string;
  message: string;
  retryAfterMs?: number;
}

/** How one provider speaks: its name for people, and which of its own codes mean what (they win over the status). */
export interface ProviderDialect {
  name: string;
  codes: Readonly<Record<string, StepErrorType>>;
}

/** What an HTTP status means when the provider's code says nothing more. */
function byStatus(status: number | undefined): StepErrorType {
  if (status === 404) return 'NoSuchEntity';
  if (status === 401 || status === 403) return 'AccessDenied';
  if (status === 429) return 'Throttled';
  if (status !== undefined && status >= 400 && status < 500 && status !== 408) return 'ProviderRejected';
  return 'ProviderFault';
}

/**
 * Sorts a provider's failure into the step vocabulary: what no retry can fix (a missing resource, a denied
 * permission, a rejected request) fails the step at once with the provider's words; throttling (also a code
 * the provider uses for it on another status, e.g. a 403 rate limit), unavailability and server faults are
 * retried, as the provider asked when it said when.
 */
export function classifyFault(fault: ProviderFault, what: string, dialect: ProviderDialect): ApplicationFailure {
  const type = (fault.code !== undefined && dialect.codes[fault.code]) || byStatus(fault.status);
  // The provider's code is worth quoting where the type alone does not say what happened.
  const words = `${fault.code ? `${fault.code}: ` : ''}${fault.message}`;
  const message =
    {
      NoSuchEntity: `${what} does not exist: ${fault.message}`,
      AccessDenied: `not permitted on ${what}: ${fault.message}`,
      ProviderRejected: `${dialect.name} rejected the request on ${what}: ${words}`,
      Throttled: `${dialect.name} throttled the call on ${what}${fault.retryAfterMs ? ` (retry after ${fault.retryAfterMs} ms)` : ''}: ${words}`,
    }[type as string] ?? `${dialect.name} call on ${what} failed (${fault.status ?? 'no status'}): ${words}`;
  return stepFailure(type, message, type === 'Throttled' ? fault.retryAfterMs : undefined);
}
