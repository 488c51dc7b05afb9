import { proxyActivities, proxyLocalActivities, type RetryPolicy } from '@temporalio/workflow';
import { describeActivityName, type EngineActivities } from '../api/engine-activities';
import type { Identity } from '../model/identity';
import { providerTaskQueue } from '../providers/catalog';

const retry: RetryPolicy = { initialInterval: '500ms', maximumInterval: '10s', maximumAttempts: 10, nonRetryableErrorTypes: ['InvalidConfiguration'] };

/**
 * Planning is a local activity: it runs in the responses worker itself (which holds the configuration),
 * saving a round trip through the server on the way to the first change; the plan is still recorded.
 */
export const { planResponse, verifyDecision } = proxyLocalActivities<EngineActivities>({ startToCloseTimeout: '20s', retry });

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
  const describe = activities[describeActivityName(identity.provider)];
  // proxyActivities yields a function for every name; the check satisfies the type system only.
  if (!describe) throw new Error(`no describe activity for ${identity.provider}`);
  return describe(identity);
}
