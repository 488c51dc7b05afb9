import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
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
}

// Local activities: they run in the responses worker itself (which holds the configuration), so the path
// from signal to first change saves two round trips through the server; the results are still recorded.
export const engine = proxyLocalActivities<EngineActivities>({
  startToCloseTimeout: '20s',
  retry: { initialInterval: '500ms', maximumInterval: '10s', maximumAttempts: 10, nonRetryableErrorTypes: ['InvalidConfiguration'] },
});

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
