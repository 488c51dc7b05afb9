/**
 * Every change to the workflow code that responses already running must not see (`patched(id)`): what a
 * response started before it does stays as its history says. Histories of such responses are replayed by
 * test/replay.test.ts (test/histories/in-flight/, named for the change they predate).
 */
export const PATCHES = {
  /** Approval nobody could ever give (e.g. four-eyes with only the raiser and one other) escalates at once. */
  escalateUnmeetableApproval: 'escalate-unmeetable-approval',
  /** The first stage's targets are read while the guard decides. */
  readWhileAdmitting: 'read-while-admitting',
  /** Apply waits until the provider shows its change; no separate verify. */
  applyVerifies: 'apply-verifies',
  /**
   * A stage's steps of one provider are read and applied in one activity each; every stage's targets that
   * no earlier stage acts on are read while the guard decides; the playbook is shown with the next state;
   * the search attributes idra's client starts a response with are not set again.
   */
  stepBatches: 'step-batches',
} as const;
