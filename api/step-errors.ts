/**
 * The kinds of failure a step (or a describe) reports, as `ApplicationFailure` types: each provider maps
 * its own errors onto these, and the retry policies derive from them.
 */
export const STEP_ERRORS = {
  /** The step's parameters do not fit its action (or the action is unknown to the worker). */
  InvalidParams: { retryable: false },
  /** The target does not exist (or is not the one the signal named). */
  NoSuchEntity: { retryable: false },
  /** The step names another account than the one the worker's credentials reach. */
  WrongAccount: { retryable: false },
  /** An undo was asked of an action that has none. */
  Irreversible: { retryable: false },
  /** The worker's credentials lack a permission, or are not accepted. */
  AccessDenied: { retryable: false },
  /** The provider refused the request as the client's fault (a bad value, a conflict no retry resolves). */
  ProviderRejected: { retryable: false },
  /** The worker's own configuration cannot serve the step (e.g. no secret store configured). */
  InvalidConfiguration: { retryable: false },
  /** The provider asked to slow down (429, a throttling code, a secondary rate limit): retried with backoff. */
  Throttled: { retryable: true },
  /** A server fault, a lost answer or an unknown failure: retried. */
  ProviderFault: { retryable: true },
  /** Others kept changing the target between idra's read and its write (a stale etag each time): retried. */
  ConcurrentChange: { retryable: true },
  /** The change is made but the provider does not show it yet (eventual consistency): retried. */
  NotYetObserved: { retryable: true },
  /** The attempt's worker was silent as long as its heartbeat timeout: another attempt decides. */
  SilentAttempt: { retryable: true },
} as const satisfies Record<string, { retryable: boolean }>;

export type StepErrorType = keyof typeof STEP_ERRORS;

/** What no retry can fix: the step fails at once and the response holds (or undoes) and escalates. */
export const NON_RETRYABLE_STEP_ERRORS: readonly StepErrorType[] = (Object.keys(STEP_ERRORS) as StepErrorType[]).filter(
  (type) => !STEP_ERRORS[type].retryable,
);
