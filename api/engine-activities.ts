import type { AssertionVerdict } from '../model/decision';
import type { GuardLimits } from '../model/guard';
import type { IdentityFacts } from '../model/profile';
import type { AcceptedInput, Admission, Plan } from '../model/response';
import type { RecordedSignal } from '../model/signal';

/** Activities of the responses worker: configuration, planning and the blast-radius guard; no cloud access. */
export interface EngineActivities {
  /**
   * A response's input, validated (the workflow's own check, for responses started from the UI or another
   * client too) and what follows from it: the kind its signal calls for, the identity's account, where its
   * provider describes it. Fails (`InvalidInput`, naming each bad field) on input that is not a response's.
   */
  validateInput(input: { input: unknown; continued: boolean }): Promise<AcceptedInput>;
  /**
   * The response's plan, every action bound to its target: computed once, here, and recorded in history,
   * so the saga executes and undoes exactly what was planned whatever code or configuration changes later.
   * Null when no playbook matches.
   */
  planResponse(input: {
    signal: RecordedSignal;
    incident: string;
    facts: IdentityFacts;
    now: string;
  }): Promise<Plan | null>;
  /**
   * While planning fails: the containment the signal alone calls for (e.g. a leaked access key: deactivate
   * it), for an identity whose inventory entry says it is not protected. Null when there is none.
   */
  fallbackPlan(input: { signal: RecordedSignal; incident: string; now: string }): Promise<Plan | null>;
  /** `response` names the asking run (`<incident>@<runId>`), so a retried request gets the same answer. */
  admitContainment(input: { response: string; account: string }): Promise<Admission>;
  /** The worker's own, conservative blast-radius limit, for when the guard does not answer. */
  admitWithoutGuard(input: { response: string; account: string }): Promise<Admission>;
  /** The limits a new blast-radius guard starts with: the guard worker's own configuration (IDRA_GUARD_*). */
  guardConfiguration(): Promise<GuardLimits>;
  /** Checks an analyst's signed assertion: why it is refused, or the token that carried it (to be spent once). */
  verifyDecision(input: { assertion?: string; analyst: string; incident: string }): Promise<AssertionVerdict>;
}

/** The activity that reads an identity's provider tags, on its provider's task queue. */
export function describeActivityName(provider: string): string {
  return `${provider}.identity.describe`;
}
