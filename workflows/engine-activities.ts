import { proxyActivities, proxyLocalActivities, type RetryPolicy } from '@temporalio/workflow';
import type { Identity } from '../model/identity';
import type { Admission } from '../model/response';
import type { RecordedSignal } from '../model/signal';
import { providerTaskQueue } from '../model/task-queues';
import type { Resolution } from '../policy/plan';

/** Activities of the responses worker: configuration lookups and the blast-radius guard, no cloud access. */
export interface EngineActivities {
  resolveResponse(input: { signal: RecordedSignal; tags: Record<string, string> }): Promise<Resolution | null>;
  /** `response` names the asking run (`<incident>@<runId>`), so a retried request gets the same answer. */
  admitContainment(input: { response: string; account: string }): Promise<Admission>;
  /** Checks an analyst's signed assertion; returns why it is refused, or null when it holds. */
  verifyDecision(input: { assertion?: string; analyst: string; incident: string }): Promise<string | null>;
}

// Local activities: they run in the responses worker itself (which holds the configuration), so the path
// from signal to first change saves two round trips through the server; the results are still recorded.
const retry: RetryPolicy = { initialInterval: '500ms', maximumInterval: '10s', maximumAttempts: 10, nonRetryableErrorTypes: ['InvalidConfiguration'] };

/**
 * Resolving is a local activity: it runs in the responses worker itself (which holds the configuration),
 * saving a round trip through the server on the way to the first change; the result is still recorded.
 */
export const { resolveResponse, verifyDecision } = proxyLocalActivities<EngineActivities>({ startToCloseTimeout: '20s', retry });

/**
 * Admission stays a regular activity: in a storm, many responses ask the one guard workflow at once and the
 * server pushes back (too many updates in flight); retrying with backoff there must not hold each
 * response's workflow task open, as a local activity would.
 */
export const { admitContainment } = proxyActivities<EngineActivities>({ startToCloseTimeout: '20s', retry: { ...retry, maximumAttempts: 30 } });

/** The identity's provider tags, read by its provider's worker (`<provider>.identity.describe`). */
export function describeIdentity(identity: Identity): Promise<Record<string, string>> {
  const activities = proxyActivities<Record<string, (identity: Identity) => Promise<Record<string, string>>>>({
    taskQueue: providerTaskQueue(identity.provider),
    startToCloseTimeout: '10s',
    retry: { initialInterval: '500ms', maximumInterval: '10s', maximumAttempts: 8, nonRetryableErrorTypes: ['NoSuchEntity', 'WrongAccount', 'AccessDenied', 'ProviderRejected'] },
  });
  const describe = activities[`${identity.provider}.identity.describe`];
  // proxyActivities yields a function for every name; the check satisfies the type system only.
  if (!describe) throw new Error(`no describe activity for ${identity.provider}`);
  return describe(identity);
}
