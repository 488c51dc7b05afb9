import type { DecisionKind } from './response';

/** What a state means to the rest of the system. */
export interface StateFacts {
  /** The response is over: nothing more happens to it. */
  final: boolean;
  /** Work is in flight (changes, undos): an update's caller waits for the state after it. */
  busy: boolean;
  /** The decisions the state takes; any other is refused, naming the state. */
  accepts: readonly DecisionKind[];
}

const waiting = (...accepts: DecisionKind[]): StateFacts => ({ final: false, busy: false, accepts });
const working = (...accepts: DecisionKind[]): StateFacts => ({ final: false, busy: true, accepts });
const ended: StateFacts = { final: true, busy: false, accepts: [] };

/**
 * Every state of every kind of response, the one table of what each means. Shared by all kinds: `planning`
 * (`blocked` while planning or the guard keeps failing) → (`awaiting_approval` when guarded) → the kind's own
 * states → `rolling_back` → `rolled_back`, or `needs_review` (a target someone else changed was left alone; an
 * analyst confirms), or `rollback_failed` (an undo failed after its retries; `rollback` retries them).
 * `contain`: `containing` → `awaiting_decision` or `containment_failed` → (`escalated`) → (`finishing`, the
 * after-approval steps) → `confirmed`, `timed_out_contained`, `reverted` (TTL) or a rollback.
 * `restrict_until_approved`: `restricting` → `restricted` or `restriction_failed` → (`review_escalated`) →
 * `restoring` (approved: the restriction undone exactly) → `restored`, or `kept_restricted`.
 * `just_in_time`: `removing_standing` → `on_jit` (grants asked for, approved, expiring; `jit_failed` when
 * the removal failed and was held) → `closing_jit` (the grants still active revoked) → `restoring`
 * (rollback: the standing privilege put back exactly) → `restored`, or `kept_on_jit` (confirm: it stays off).
 */
export const RESPONSE_STATES = {
  planning: working(),
  blocked: waiting('cancel'),
  awaiting_approval: waiting('approve', 'reject', 'cancel'),
  rolling_back: working(),
  needs_review: waiting('confirm', 'cancel'),
  rollback_failed: waiting('rollback', 'cancel'),
  rolled_back: ended,
  rejected: ended,
  expired: ended,
  no_playbook: ended,
  cancelled: ended,
  cancelled_with_changes: ended,

  containing: working('approve', 'confirm', 'rollback', 'cancel'),
  awaiting_decision: waiting('approve', 'confirm', 'rollback', 'cancel'),
  containment_failed: waiting('approve', 'confirm', 'rollback', 'cancel'),
  escalated: waiting('approve', 'confirm', 'rollback', 'reject', 'cancel'),
  finishing: working(),
  confirmed: ended,
  reverted: ended,
  timed_out_contained: ended,

  restricting: working('approve', 'reject', 'rollback', 'cancel'),
  restricted: waiting('approve', 'reject', 'rollback', 'cancel'),
  restriction_failed: waiting('approve', 'reject', 'rollback', 'cancel'),
  review_escalated: waiting('approve', 'reject', 'rollback', 'cancel'),
  restoring: working(),
  restored: ended,
  kept_restricted: ended,

  removing_standing: working('rollback', 'cancel'),
  on_jit: waiting('confirm', 'rollback', 'cancel'),
  jit_failed: waiting('confirm', 'rollback', 'cancel'),
  closing_jit: working(),
  kept_on_jit: ended,
} as const satisfies Record<string, StateFacts>;

export type ResponseState = keyof typeof RESPONSE_STATES;

/** Where every new response starts. */
export const FIRST_STATE: ResponseState = 'planning';

export function stateFacts(state: ResponseState): StateFacts {
  return RESPONSE_STATES[state];
}
