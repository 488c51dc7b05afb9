import type { Admission, Plan } from '../model/response';
import type { RecordedSignal } from '../model/signal';

/** Activities of the responses worker: configuration, planning and the blast-radius guard; no cloud access. */
export interface EngineActivities {
  /**
   * The response's plan, every action bound to its target: computed once, here, and recorded in history,
   * so the saga executes and undoes exactly what was planned whatever code or configuration changes later.
   * Null when no playbook matches.
   */
  planResponse(input: { signal: RecordedSignal; incident: string; tags: Record<string, string>; now: string }): Promise<Plan | null>;
  /** `response` names the asking run (`<incident>@<runId>`), so a retried request gets the same answer. */
  admitContainment(input: { response: string; account: string }): Promise<Admission>;
  /** Checks an analyst's signed assertion; returns why it is refused, or null when it holds. */
  verifyDecision(input: { assertion?: string; analyst: string; incident: string }): Promise<string | null>;
}

/** The activity that reads an identity's provider tags, on its provider's task queue. */
export function describeActivityName(provider: string): string {
  return `${provider}.identity.describe`;
}
